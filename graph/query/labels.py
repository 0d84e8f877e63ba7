"""Names for IRIs, like the Wikidata Query Service's label service: each IRI's
``rdfs:label`` in the language asked for, else English, else any label.

The workbench asks ``/api/labels`` for the IRIs of its results; ``policygraph query
--labels`` puts a label column beside each IRI column. IRIs are checked by Oxigraph and
passed as ``VALUES`` terms it serialises, so a hostile string cannot change the query.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en, "韓国"@ja } }')
>>> kor = "https://w3id.org/policygraph/id/kor"
>>> labels_of(s, [kor], "ja"), labels_of(s, [kor], "ko"), labels_of(s, ["not an iri"])
({'https://w3id.org/policygraph/id/kor': '韓国'}, {'https://w3id.org/policygraph/id/kor': 'Korea'}, {})
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Literal

import pyoxigraph as ox

from graph.errors import UsageError
from graph.query.results import short_term, text_table
from graph.store.port import GraphStore, QueryResult

__all__ = [
    "LABEL_LANGUAGES",
    "MAX_IRIS",
    "LabelLanguage",
    "labelled_rows",
    "labels_of",
    "render_labelled",
]

LabelLanguage = Literal["en", "ja", "ko"]
#: The languages a label can be asked in.
LABEL_LANGUAGES: tuple[LabelLanguage, ...] = ("en", "ja", "ko")
#: IRIs one call names at most (the rest are left unnamed).
MAX_IRIS = 2000

_QUERY = "SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }}"


def labels_of(store: GraphStore, iris: Iterable[str], lang: LabelLanguage = "en") -> dict[str, str]:
    """IRI → its label in ``lang`` (else English, else any); IRIs without a label, and
    strings that are not IRIs, are left out."""
    nodes: dict[str, ox.NamedNode] = {}
    for iri in iris:
        if len(nodes) >= MAX_IRIS:
            break
        try:
            nodes.setdefault(iri, ox.NamedNode(iri))
        except ValueError:
            continue
    if not nodes:
        return {}
    result = store.query(_QUERY.format(values=" ".join(str(n) for n in nodes.values())))
    assert isinstance(result, ox.QuerySolutions)
    ranked: dict[str, tuple[int, str]] = {}
    for row in result:
        label = row["l"]
        if not isinstance(label, ox.Literal):
            continue
        rank = _rank(label.language or "", lang)
        iri = row["s"].value
        if iri not in ranked or (rank, label.value) < ranked[iri]:
            ranked[iri] = (rank, label.value)
    return {iri: value for iri, (_, value) in ranked.items()}


def _rank(tag: str, lang: str) -> int:
    """0 for the language asked for, 1 for English, 2 for any other."""
    base = tag.split("-")[0].lower()
    return 0 if base == lang else 1 if base == "en" else 2


def labelled_rows(
    result: ox.QuerySolutions,
    store: GraphStore,
    lang: LabelLanguage = "en",
    *,
    compact: bool = True,
) -> tuple[list[str], list[list[str]]]:
    """The columns and rows of ``result`` as text, with a ``…Label`` column after each
    column that holds IRIs; ``compact`` writes terms as ``policygraph query`` prints them
    (``id:kor``), else as their plain values (full IRIs, as SPARQL's CSV).

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en, "한국"@ko } }')
    >>> labelled_rows(s.query("SELECT ?x ?n WHERE { VALUES (?x ?n) { (id:kor 1) } }"), s, "ko")
    (['x', 'xLabel', 'n'], [['id:kor', '한국', '1']])
    """
    names = [v.value for v in result.variables]
    rows = [[row[name] for name in names] for row in result]
    iri_columns = {
        i for i in range(len(names)) if any(isinstance(r[i], ox.NamedNode) for r in rows)
    }
    found = labels_of(
        store,
        (r[i].value for r in rows for i in iri_columns if isinstance(r[i], ox.NamedNode)),
        lang,
    )
    columns: list[str] = []
    for i, name in enumerate(names):
        columns += [name, f"{name}Label"] if i in iri_columns else [name]
    text_rows = []
    for r in rows:
        cells: list[str] = []
        for i, term in enumerate(r):
            cells.append(short_term(term) if compact else "" if term is None else term.value)
            if i in iri_columns:
                cells.append(found.get(term.value, "") if isinstance(term, ox.NamedNode) else "")
        text_rows.append(cells)
    return columns, text_rows


def render_labelled(
    result: QueryResult, store: GraphStore, fmt: str, lang: LabelLanguage = "en"
) -> bytes:
    """``result`` with label columns, as a text table, CSV or TSV.

    :raises UsageError: a format other than these, or a result that is not a SELECT's.
    """
    if fmt not in {"table", "csv", "tsv"}:
        raise UsageError(f"--labels works with --format table, csv or tsv, not {fmt!r}")
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError("--labels names the columns of a SELECT query's results")
    columns, rows = labelled_rows(result, store, lang, compact=fmt == "table")
    if fmt == "table":
        return text_table(columns, rows).encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
