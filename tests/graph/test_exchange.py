"""The exchange formats keep the graph's meaning: each file, read back by a reader that is
not ours (networkx, python-igraph, json + jsonschema, openpyxl), has every entity and every
membership of the store, with roles, dates, statuses, evidence counts and the names in
English, Japanese and Korean. The expected values come from SPARQL on the store."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import igraph
import jsonschema
import networkx as nx
import openpyxl
import pytest

from graph.export import export
from graph.iris import ENTITY_BASE, ONTOLOGY_NS
from graph.store import OxigraphStore

#: Each exchange format and the suffix its users give the file.
FORMATS = {"graphml": "graphml", "gexf": "gexf", "cytoscape": "cyjs", "kumu": "xlsx"}
#: One membership: (member, framework, role, start, end, status).
Membership = tuple[str, str, str, str, str, str]

pytestmark = pytest.mark.slow  # the four exports of the report take about 8 s


def _slug(term: object) -> str:
    return str(term.value)[len(ENTITY_BASE) :]  # type: ignore[attr-defined]


def _local(term: object) -> str:
    return str(term.value)[len(ONTOLOGY_NS) :]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def files(report_store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report exported once in each exchange format."""
    directory = tmp_path_factory.mktemp("exchange")
    return {fmt: export(report_store, fmt, directory / f"report.{suffix}")[0]
            for fmt, suffix in FORMATS.items()}  # fmt: skip


@pytest.fixture(scope="module")
def memberships(report_store: OxigraphStore) -> Counter[Membership]:
    """Every pg:Membership of the store, as the vocabulary reads it (no role: a member; no
    status: active)."""
    rows = report_store.query(
        """SELECT ?member ?framework ?role ?start ?end ?status WHERE {
             ?m a pg:Membership ; pg:member ?member ; pg:framework ?framework .
             OPTIONAL { ?m pg:role ?role } OPTIONAL { ?m pg:startDate ?start }
             OPTIONAL { ?m pg:endDate ?end } OPTIONAL { ?m pg:status ?status } }"""
    )
    return Counter(
        (
            _slug(row["member"]),
            _slug(row["framework"]),
            _local(row["role"]) if row["role"] else "Member",
            row["start"].value if row["start"] else "",
            row["end"].value if row["end"] else "",
            _local(row["status"]) if row["status"] else "Active",
        )
        for row in rows  # type: ignore[union-attr]
    )


@pytest.fixture(scope="module")
def names(report_store: OxigraphStore) -> dict[tuple[str, str], set[str]]:
    """Every rdfs:label of every typed entity, by (slug, language); an entity without a
    label under (slug, "")."""
    rows = report_store.query(
        f"""SELECT DISTINCT ?x ?label WHERE {{
              ?x a ?class . OPTIONAL {{ ?x rdfs:label ?label }}
              FILTER (STRSTARTS(STR(?x), "{ENTITY_BASE}") && STRSTARTS(STR(?class), "{ONTOLOGY_NS}"))
            }}"""
    )
    found: dict[tuple[str, str], set[str]] = {}
    for row in rows:  # type: ignore[union-attr]
        label = row["label"]
        key = (_slug(row["x"]), label.language or "" if label else "")
        found.setdefault(key, set()).update([label.value] if label else [])
    return found


def _memberships_in(
    edges: list[dict[str, object]], source: str, target: str
) -> Counter[Membership]:
    return Counter(
        (
            str(e[source]), str(e[target]), str(e["role"]), str(e["start_date"]),
            str(e["end_date"]), str(e["status"]),
        )
        for e in edges
        if e["relation"] == "membership"
    )  # fmt: skip


def _check_nodes(
    nodes: dict[str, dict[str, object]], names: dict[tuple[str, str], set[str]]
) -> None:
    """Every typed entity is a node, with its three names, and nothing else is."""
    assert set(nodes) == {slug for slug, _lang in names}
    korean = 0
    for slug, data in nodes.items():
        assert data["label"] in names.get((slug, "en"), {slug})
        assert data["label_ja"] in names.get((slug, "ja"), {""})
        assert data["label_ko"] in names.get((slug, "ko"), {""})
        korean += data["label_ko"] != ""
    assert korean == sum(1 for _slug, lang in names if lang == "ko") > 300
    assert nodes["kor"]["label_ko"] == "한국" and nodes["kor"]["type"] == "Country"


def _check_degrees(nodes: dict[str, dict[str, object]], edges: list[tuple[str, str]]) -> None:
    """A node's degree is the number of the file's edges that start or end at it."""
    counted = Counter([s for s, _t in edges] + [t for _s, t in edges])
    assert all(int(str(data["degree"])) == counted[slug] for slug, data in nodes.items())


def test_graphml_read_by_networkx(
    files: dict[str, Path],
    memberships: Counter[Membership],
    names: dict[tuple[str, str], set[str]],
) -> None:
    graph = nx.read_graphml(files["graphml"], force_multigraph=True)
    edges = [{"source": s, "target": t, **d} for s, t, d in graph.edges(data=True)]
    assert _memberships_in(edges, "source", "target") == memberships
    _check_nodes(dict(graph.nodes(data=True)), names)
    _check_degrees(dict(graph.nodes(data=True)), [(s, t) for s, t in graph.edges()])
    evidence = [int(e["evidence"]) for e in edges if e["relation"] == "membership"]
    assert min(evidence) >= 1  # every membership has evidence


def test_graphml_read_by_igraph(files: dict[str, Path], memberships: Counter[Membership]) -> None:
    with pytest.warns(RuntimeWarning, match="already an 'id' edge attribute"):
        graph = igraph.Graph.Read_GraphML(str(files["graphml"]))  # keeps our edge ids
    slugs = graph.vs["id"]
    edges = [
        {"source": slugs[e.source], "target": slugs[e.target], **e.attributes()} for e in graph.es
    ]
    assert graph.is_directed()
    assert all(str(e["id"]).startswith(f"{e['source']}--{e['relation']}--") for e in edges)
    assert _memberships_in(edges, "source", "target") == memberships
    kor = graph.vs.find(id="kor")
    assert (kor["label"], kor["label_ja"], kor["label_ko"]) == ("Republic of Korea", "韓国", "한국")
    assert kor["degree"] == kor.degree()


def test_gexf_read_by_networkx_with_spells_for_dated_memberships(
    files: dict[str, Path],
    memberships: Counter[Membership],
    names: dict[tuple[str, str], set[str]],
) -> None:
    graph = nx.read_gexf(files["gexf"])
    edges = [{"source": s, "target": t, **d} for s, t, d in graph.edges(data=True)]
    assert _memberships_in(edges, "source", "target") == memberships
    _check_nodes(dict(graph.nodes(data=True)), names)
    dated = sum(n for m, n in memberships.items() if m[3] or m[4])
    spelled = [e for e in edges if "spells" in e]
    assert len(spelled) == dated > 100
    for edge in spelled:
        ((start, end),) = edge["spells"]
        assert edge["start_date"] == "" or start.startswith(edge["start_date"])
        assert edge["end_date"] == "" or end.startswith(edge["end_date"])
    root = ET.parse(files["gexf"]).getroot()
    assert root.tag == "{http://www.gexf.net/1.2draft}gexf"
    graph_element = root.find("{http://www.gexf.net/1.2draft}graph")
    assert graph_element is not None
    assert (graph_element.get("mode"), graph_element.get("timeformat")) == ("dynamic", "date")


def test_gexf_spell_of_a_year_and_of_a_month(files: dict[str, Path]) -> None:
    """A year or month as a start is its first day; as an end, its last day."""
    edges = [d for _s, _t, d in nx.read_gexf(files["gexf"]).edges(data=True) if "spells" in d]
    by_dates = {(e["start_date"], e["end_date"]): e["spells"][0] for e in edges}
    year_start = next(v for (s, _e), v in by_dates.items() if len(s) == 4)
    assert year_start[0].endswith("-01-01")
    month_end = next(v for (_s, e), v in by_dates.items() if len(e) == 7)
    assert month_end[1][8:] in {"28", "29", "30", "31"}


#: What Cytoscape.js needs of an elements file (the parts we rely on).
CYTOSCAPE_SCHEMA = {
    "type": "object",
    "required": ["elements"],
    "properties": {
        "elements": {
            "type": "object",
            "required": ["nodes", "edges"],
            "properties": {
                "nodes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "type": "object",
                                "required": ["id", "name", "type", "label_ja", "label_ko"],
                                "properties": {"id": {"type": "string", "minLength": 1}},
                            }
                        },
                    },
                },
                "edges": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "type": "object",
                                "required": ["id", "source", "target", "relation", "role",
                                             "start_date", "end_date", "status", "evidence"],
                                "properties": {
                                    "id": {"type": "string", "minLength": 1},
                                    "source": {"type": "string"},
                                    "target": {"type": "string"},
                                    "evidence": {"type": "integer", "minimum": 0},
                                },
                            }
                        },
                    },
                },
            },
        }
    },
}  # fmt: skip


def test_cytoscape_json(
    files: dict[str, Path],
    memberships: Counter[Membership],
    names: dict[tuple[str, str], set[str]],
) -> None:
    document = json.loads(files["cytoscape"].read_text(encoding="utf-8"))
    jsonschema.validate(document, CYTOSCAPE_SCHEMA)
    nodes = {n["data"]["id"]: n["data"] for n in document["elements"]["nodes"]}
    edges = [e["data"] for e in document["elements"]["edges"]]
    ids = [e["id"] for e in edges]
    assert len(set(ids)) == len(ids) and not set(ids) & set(nodes)  # unique, as Cytoscape needs
    assert {e["source"] for e in edges} | {e["target"] for e in edges} <= set(nodes)
    assert _memberships_in(edges, "source", "target") == memberships
    _check_nodes({slug: {**data, "label": data["name"]} for slug, data in nodes.items()}, names)
    _check_degrees(nodes, [(e["source"], e["target"]) for e in edges])
    assert "한국" in files["cytoscape"].read_text(encoding="utf-8")  # not \\u-escaped


def test_kumu_workbook(
    files: dict[str, Path],
    memberships: Counter[Membership],
    names: dict[tuple[str, str], set[str]],
) -> None:
    book = openpyxl.load_workbook(files["kumu"], read_only=True)
    assert book.sheetnames == ["Elements", "Connections"]
    elements = list(book["Elements"].iter_rows(values_only=True))
    connections = list(book["Connections"].iter_rows(values_only=True))
    # Kumu's rules: an element sheet starts with ID (or Label); connections with From, To
    # after an optional ID, and From/To name element IDs when elements have IDs.
    assert elements[0][:5] == ("ID", "Label", "Type", "Description", "Tags")
    assert connections[0][:4] == ("ID", "From", "To", "Type")
    element_rows = [dict(zip(elements[0], row, strict=True)) for row in elements[1:]]
    connection_rows = [dict(zip(connections[0], row, strict=True)) for row in connections[1:]]
    ids = {str(row["ID"]) for row in element_rows}
    assert all(row["From"] in ids and row["To"] in ids for row in connection_rows)
    assert all("_" not in str(row["ID"]) for row in element_rows)  # Kumu: no underscores
    nodes = {
        str(row["ID"]): {
            "label": row["Label"], "label_ja": row["Label (ja)"] or "",
            "label_ko": row["Label (ko)"] or "", "type": row["Type"], "degree": row["Degree"],
        }
        for row in element_rows
    }  # fmt: skip
    _check_nodes(nodes, names)
    _check_degrees(nodes, [(str(r["From"]), str(r["To"])) for r in connection_rows])
    as_edges = [
        {
            "from": r["From"], "to": r["To"], "relation": r["Type"], "role": r["Role"] or "",
            "start_date": r["Start date"] or "", "end_date": r["End date"] or "",
            "status": r["Status"] or "",
        }
        for r in connection_rows
    ]  # fmt: skip
    assert _memberships_in(as_edges, "from", "to") == memberships
    kor = next(row for row in element_rows if row["ID"] == "kor")
    assert set(str(kor["Tags"]).split("|")) >= {"Country", "Actor"}
