"""A view: a pyvis ``Network`` with the title, legend, caption and layout a figure needs.

:func:`compose` turns a subgraph of the projection into a :class:`View`, encoding every
node and edge from :mod:`viz.encoding`; the view functions of :mod:`viz.views` choose the
subgraph and the words around it.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx
from pyvis.network import Network

from graph.analysis import Evidence, Provenance
from graph.errors import UsageError
from viz.data import GraphData
from viz.encoding import edge_style, group_of, node_size, node_style
from viz.layout import SEED, Position, force_layout, radial_layout
from viz.sources import Sources, sources_of
from viz.words import source_line

__all__ = [
    "DEFAULT_MAX_NODES",
    "PHYSICS_LIMIT",
    "SOURCE_NAME",
    "EdgeSpec",
    "LegendEntry",
    "View",
    "ViewTooLargeError",
    "compose",
]

#: Views with more nodes than this are refused unless the caller allows more.
DEFAULT_MAX_NODES = 1000
#: Above this many nodes the browser does not simulate: positions are final as computed.
PHYSICS_LIMIT = 250
#: Edge labels are drawn up to this many edges (always in the path view); tooltips keep them.
EDGE_LABEL_LIMIT = 150
#: How the caption names the report.
SOURCE_NAME = "Japan–Korea Vision Group report (2025)"
#: The fonts of labels on the canvas and of the page: CJK-capable first.
FONT_STACK = (
    '"Noto Sans CJK JP", "Noto Sans JP", "Noto Sans CJK KR", "IPAexGothic", "NanumGothic", '
    '"Hiragino Sans", "Yu Gothic", "Malgun Gothic", system-ui, sans-serif'
)
#: Quotes shown in an edge's tooltip (the rest are counted).
_QUOTES = 3


class ViewTooLargeError(UsageError):
    """A view would have more entities than the configured limit."""


@dataclass(frozen=True)
class LegendEntry:
    """One line of a view's legend: a class of node, a relation, or a note."""

    kind: Literal["node", "edge", "note"]
    label: str
    colour: str = ""
    shape: str = ""
    marker: str = ""
    dashes: tuple[int, ...] = ()
    width: float = 1.5


@dataclass(frozen=True)
class EdgeSpec:
    """An edge to draw: a ``pg:`` predicate (or ``role:Name``) with its evidence."""

    source: str
    target: str
    relation: str
    evidence: tuple[Evidence, ...] = ()
    note: str = ""


def _edge_order(edge: EdgeSpec) -> tuple[object, ...]:
    """The order edges are drawn and numbered in: by their ends and relation, then note and
    evidence (every field: the same view comes out the same in every process)."""
    return (
        edge.source, edge.target, edge.relation, edge.note,
        [e.sort_key() for e in edge.evidence],
    )  # fmt: skip


class View(Network):  # type: ignore[misc]
    """A pyvis ``Network`` that knows its title, legend, caption and how to reproduce it.

    ``nodes`` and ``edges`` are pyvis's lists of vis-network dicts; ``options`` for
    vis-network are in :attr:`vis_options`; ``message`` is set instead of nodes when there is
    nothing to show.
    """

    def __init__(
        self,
        *,
        name: str,
        title: str,
        params: Mapping[str, str | int | list[str]],
        lang: str = "en",
    ) -> None:
        super().__init__(height="100%", width="100%", directed=True, cdn_resources="local")
        self.view_name = name
        self.title = title
        self.params: dict[str, str | int | list[str]] = dict(params)
        self.lang = lang
        self.caption = ""
        #: The documents (with their lines) and outside sources the caption names.
        self.sources = Sources()
        self.legend: list[LegendEntry] = []
        self.message = ""
        self.physics = False
        self.vis_options: dict[str, Any] = {}
        #: The entity the view is centred on, if any (the focus starts from it).
        self.centre: str | None = None
        #: The nodes a small screen keeps when it folds the rest (the chosen frameworks,
        #: the actors and their shared frameworks); empty: the best-connected ones.
        self.key_nodes: list[str] = []
        #: Groups the view's own layout folds its nodes into at first, each ``id``,
        #: ``members``, ``holders`` and ``status`` (the membership view: frameworks by who
        #: holds them and how); empty: the page groups by class and relation.
        self.groups: list[dict[str, Any]] = []
        #: Names in the view's language of what its title names but it does not draw (the
        #: documents a proposals view is limited to), by slug.
        self.names: dict[str, str] = {}

    def add_node(self, n_id: str, label: str | None = None, **options: Any) -> None:
        """pyvis's ``add_node``, in constant time (pyvis scans a list for duplicates)."""
        if n_id in self.node_map:
            return
        node = {**options, "id": n_id, "label": label or n_id}
        node.setdefault("shape", "dot")
        self.nodes.append(node)
        self.node_ids.append(n_id)
        self.node_map[n_id] = node

    def add_edge(self, source: str, to: str, **options: Any) -> None:
        """pyvis's ``add_edge`` for a directed network, in constant time; every edge is
        kept (parallel ones too: each has its own ``id``)."""
        if source not in self.node_map or to not in self.node_map:
            raise ValueError(f"an edge between unknown nodes {source!r} and {to!r}")
        self.edges.append({**options, "from": source, "to": to})

    @property
    def is_empty(self) -> bool:
        return not self.nodes


def compose(
    view: View,
    data: GraphData,
    nodes: Collection[str],
    edges: Iterable[EdgeSpec],
    *,
    max_nodes: int,
    suggestion: str,
    empty_message: str,
    centre: str | None = None,
    emphasised: Iterable[str] = (),
    emphasis_note: str = "",
    layout: Literal["force", "radial", "overview"] = "force",
    edge_labels: bool | None = None,
) -> View:
    """Fill ``view`` with ``nodes`` (slugs) and ``edges`` between them, encoded and laid out.

    :raises ViewTooLargeError: there are more than ``max_nodes`` nodes; the message ends
        with ``suggestion`` (how to narrow the view).
    """
    count = len(nodes)
    if count > max_nodes:
        raise ViewTooLargeError(
            f"the {view.view_name} view would show {count:,} entities, more than the limit "
            f"of {max_nodes:,}: {suggestion}"
        )
    if count == 0:
        view.message = empty_message
        view.caption = caption(view.sources)
        return view
    # Every field in the key: two edges of one pair and relation (two memberships with
    # different dates) otherwise came in the order of a set of them, another in each process.
    specs = sorted(set(edges), key=_edge_order)
    view.centre = centre
    view.physics = count <= PHYSICS_LIMIT
    positions = _positions(data, nodes, specs, centre, layout)
    emphasised = set(emphasised)
    maximum = data.max_centrality
    for slug in sorted(nodes):
        _add_node(view, data, slug, positions[slug], slug == centre, slug in emphasised, maximum)
    show_labels = edge_labels if edge_labels is not None else len(specs) <= EDGE_LABEL_LIMIT
    pair_index: dict[frozenset[str], int] = {}
    for i, spec in enumerate(specs):
        pair = frozenset((spec.source, spec.target))
        nth = pair_index[pair] = pair_index.get(pair, -1) + 1
        _add_edge(view, data, spec, i, nth, show_labels)
    view.legend = _legend(view, specs, centre, emphasis_note if emphasised else "")
    # What the view shows: the passages of its edges and of its nodes (a node's tooltip and
    # side panel list them; an entity known only from a document may have no edge with one).
    shown = [*(s.evidence for s in specs), *(data.provenance.evidence.get(n, ()) for n in nodes)]
    view.sources = sources_of(itertools.chain.from_iterable(shown), data.provenance.documents)
    view.caption = caption(view.sources)
    # The page lays out what it shows itself (viz/templates/explore.js): no simulation.
    view.vis_options = _vis_options(False)
    return view


def caption(sources: Sources) -> str:
    """The source line of a view in English: each document with its lines (the report as
    :data:`SOURCE_NAME`), then outside sources.

    >>> from graph.analysis import DocumentName
    >>> cited = [Evidence(173, 173, "q"), Evidence(14, 15, "q"), Evidence(source="MFAT")]
    >>> caption(sources_of(cited, {}))
    'Source: Japan–Korea Vision Group report (2025), lines 14–15, 173 (2 passages); background: MFAT.'
    >>> note = {"note": DocumentName("note", (("ja", "試験用メモ"),))}
    >>> caption(sources_of([Evidence(1, 1, "q", document="note"), *cited[:1]], note))
    'Source: Japan–Korea Vision Group report (2025), line 173 (1 passage); 試験用メモ, line 1 (1 passage).'
    >>> caption(Sources())
    'Source: Japan–Korea Vision Group report (2025).'
    """
    return source_line(sources, "en", report=SOURCE_NAME)


def _positions(
    data: GraphData,
    nodes: Collection[str],
    specs: list[EdgeSpec],
    centre: str | None,
    layout: str,
) -> dict[str, Position]:
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from((s.source, s.target) for s in specs)
    if layout == "overview":
        cached = data.layouts.get("overview")
        if cached is None or set(cached) != set(simple):
            cached = data.layouts["overview"] = force_layout(simple)
        return cached
    if layout == "radial" and centre is not None:
        rings = radial_layout(simple, centre)
        if len(simple) > PHYSICS_LIMIT:
            return rings
        return force_layout(simple, initial=rings, iterations=40, fixed=[centre])
    return force_layout(simple)


def _add_node(
    view: View,
    data: GraphData,
    slug: str,
    at: Position,
    centre: bool,
    emphasised: bool,
    maximum: float,
) -> None:
    node = data.graph.nodes[slug]
    kind = str(node.get("type", ""))
    style = node_style(kind)
    ko = data.provenance.labels_ko.get(slug, "")
    lines = [
        str(node.get("label") or slug),
        *([f"ja: {node['label_ja']}"] if node.get("label_ja") else []),
        *([f"ko: {ko}"] if ko else []),
        f"type: {kind} ({style.label})",
        f"id: {slug}",
    ]
    passages = data.provenance.evidence.get(slug, ())
    by_document: dict[str, list[str]] = {}
    for e in passages:
        if e.lines:
            by_document.setdefault(data.provenance.title_of(e), []).append(e.lines)
    for title, ranges in by_document.items():
        lines.append(
            f"{title or 'report'} lines "
            + ", ".join(ranges[:8])
            + (" …" if len(ranges) > 8 else "")
        )
    view.add_node(
        slug,
        label=data.label(slug, view.lang),
        shape=style.shape,
        color={
            "background": style.colour,
            "border": "#000000" if (centre or emphasised) else "#333333",
            "highlight": {"background": style.colour, "border": "#000000"},
            "hover": {"background": style.colour, "border": "#000000"},
        },
        size=node_size(data.centrality.get(slug, 0.0), maximum=maximum),
        borderWidth=4 if centre else 3 if emphasised else 1,
        title="\n".join(lines),
        x=round(at[0], 1),
        y=round(at[1], 1),
        pgGroup=group_of(kind),
        pgType=kind,
        pgNames={"en": str(node.get("label") or slug), "ja": str(node.get("label_ja") or ""),
                 "ko": ko},
        pgEvidence=_quotes(passages, data.provenance, view.lang),
    )  # fmt: skip


def _add_edge(
    view: View, data: GraphData, spec: EdgeSpec, i: int, nth: int, show_label: bool
) -> None:
    style = edge_style(spec.relation)
    lines = [
        f"{data.label(spec.source)} → {data.label(spec.target)}",
        style.label + (f" ({spec.note})" if spec.note else ""),
    ]
    for e in spec.evidence[:_QUOTES]:
        if e.line_start is not None:
            lines.append(f"「{e.quote}」 ({data.provenance.place(e)})")
        elif e.source:
            lines.append(f"source: {e.source}" + (f" (as of {e.as_of})" if e.as_of else ""))
    if len(spec.evidence) > _QUOTES:
        lines.append(f"… and {len(spec.evidence) - _QUOTES} more passages")
    options: dict[str, Any] = {
        "id": f"e{i}:{spec.source}:{spec.relation}:{spec.target}",
        "color": {"color": style.colour, "highlight": style.colour},
        "width": style.width,
        "title": "\n".join(lines),
        "relation": spec.relation,
    }
    if style.dashes:
        options["dashes"] = list(style.dashes)
    if nth:
        # A second relation between the same two entities bends away from the first.
        options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.2 * nth, 2)}
    if show_label:
        options["label"] = style.label
    if spec.relation == "memberOf" or spec.relation.startswith("role:"):
        # A membership's terms and passages for the page's side panel.
        options["pgEvidence"] = _quotes(spec.evidence, data.provenance, view.lang)
        terms = data.terms.get((spec.source, spec.target), ())
        if spec.relation.startswith("role:"):
            terms = tuple(t for t in terms if t.role == spec.relation[5:]) or terms
        if terms:
            options["pgTerms"] = [[t.role, t.start, t.end, t.status] for t in terms]
    view.add_edge(spec.source, spec.target, **options)


def _quotes(evidence: Iterable[Evidence], provenance: Provenance, lang: str) -> list[list[str]]:
    """Up to :data:`_QUOTES` + 1 passages as ``[lines, quote, title, language]`` — the title
    in ``lang`` of a document other than the report (empty for the report's), the language
    the quote is written in — or ``["", source]`` for an outside source."""
    quotes = []
    for e in evidence:
        if e.line_start is not None:
            title = provenance.title_of(e, lang)
            quotes.append([e.lines, e.quote, title, provenance.language_of(e)])
        elif e.source:
            quotes.append(["", e.source + (f" (as of {e.as_of})" if e.as_of else "")])
        if len(quotes) > _QUOTES:
            break
    return quotes


def _legend(
    view: View, specs: list[EdgeSpec], centre: str | None, emphasis_note: str
) -> list[LegendEntry]:
    styles = {node_style(str(n.get("pgType", ""))) for n in view.nodes}
    entries = [
        LegendEntry("node", s.label, s.colour, s.shape, s.marker)
        for s in sorted(styles, key=lambda s: s.order)
    ]
    relations = {edge_style(s.relation) for s in specs}
    entries += [
        LegendEntry("edge", s.label, s.colour, dashes=tuple(s.dashes), width=s.width)
        for s in sorted(relations, key=lambda s: (s.order, s.label))
    ]
    entries.append(LegendEntry("note", "Node size: degree centrality in the whole graph"))
    if centre is not None:
        entries.append(LegendEntry("note", "Thick outline: the entity at the centre"))
    if emphasis_note:
        entries.append(LegendEntry("note", emphasis_note))
    return entries


def _vis_options(physics: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "layout": {"randomSeed": SEED, "improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000,
                "springLength": 140,
                "springConstant": 0.03,
                "damping": 0.5,
                "avoidOverlap": 0.3,
            },
            "minVelocity": 1.0,
            "stabilization": {"enabled": physics, "iterations": 200, "updateInterval": 50},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": True},
        "nodes": {
            "font": {"face": FONT_STACK, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False,
            "font": {
                "face": FONT_STACK,
                "size": 10,
                "align": "middle",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
    }
