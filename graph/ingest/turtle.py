"""The Turtle of an ingested document: written in a fixed order so that a review decision
is a small diff, and read back into a :class:`~graph.ingest.model.DocumentRecord`.

The layout is described in docs/ingest.md.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from graph.errors import DataSyntaxError
from graph.ingest.model import (
    KEY_LETTER,
    STATUSES,
    Alternative,
    DocumentRecord,
    ItemKind,
    NewEntity,
    NewProposal,
    Passage,
    ReviewItem,
)
from graph.iris import ENTITY_BASE, ONTOLOGY_NS, entity_iri, is_slug

__all__ = ["PROPOSAL_RELATIONS", "read_document", "render_document"]

#: What a proposal made from a document links to, in the order written: the ``pg:``
#: properties from a proposal to the actors, frameworks, topics and places on its lines.
PROPOSAL_RELATIONS = ("involves", "concerns", "addresses", "location")


_HEADER = """\
@prefix pg:   <https://w3id.org/policygraph/ontology#> .
@prefix id:   <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

# Written by `policygraph ingest` and `policygraph review` (docs/ingest.md). Review
# decisions rewrite this file; the statuses say what reaches the graph.
"""

_CLASS_OF_KIND: dict[ItemKind, str] = {
    "mention": "Mention",
    "entity": "EntityCandidate",
    "proposal": "ProposalCandidate",
}
_KIND_OF_CLASS: dict[str, ItemKind] = {
    ONTOLOGY_NS + name: kind for kind, name in _CLASS_OF_KIND.items()
}

_PG = ONTOLOGY_NS
_DCT = "http://purl.org/dc/terms/"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

_Node = ox.NamedNode | ox.BlankNode
_Term = ox.NamedNode | ox.BlankNode | ox.Literal


def _string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _iri(iri: str) -> str:
    """``id:slug`` or a ``pg:`` prefixed name where the IRI allows it, else ``<iri>``."""
    for prefix, base in (("id", ENTITY_BASE), ("pg", ONTOLOGY_NS)):
        local = iri.removeprefix(base)
        if local != iri and (is_slug(local) or (prefix == "pg" and local.isalnum())):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def _passages(doc: str, passages: list[Passage]) -> str:
    rendered = [
        f"[ a pg:Passage ; pg:inDocument {doc} ; pg:lineStart {p.line_start} ; "
        f"pg:lineEnd {p.line_end} ;\n            pg:quote {_string(p.quote)} ]"
        for p in passages
    ]
    return " ,\n        ".join(rendered)


def _score(score: float) -> str:
    return str(Decimal(score).quantize(Decimal("0.001")))


def _item_slug(record: DocumentRecord, item: ReviewItem) -> str:
    return f"id:{record.slug}-{item.key}"


def _render_item(record: DocumentRecord, item: ReviewItem) -> str:
    doc = f"id:{record.slug}"
    lines = [f"{_item_slug(record, item)} a pg:{_CLASS_OF_KIND[item.kind]} ;"]
    if item.text is not None:
        lines.append(f"    pg:matchedText {_string(item.text)} ;")
    if item.entity is not None:
        lines.append(f"    pg:entity {_iri(item.entity)} ;")
    if item.alternatives:
        alternatives = " ,\n        ".join(
            f"[ a pg:Alternative ; pg:entity {_iri(a.entity)} ; pg:score {_score(a.score)} ]"
            for a in item.alternatives
        )
        lines.append(f"    pg:alternative {alternatives} ;")
    if item.suggested_class is not None:
        lines.append(f"    pg:suggestedClass {_iri(item.suggested_class)} ;")
    if item.cues:
        lines.append(f"    pg:cue {' , '.join(_string(c) for c in item.cues)} ;")
    lines.append(f"    pg:reviewStatus pg:{item.status} ;")
    lines.append(f"    pg:evidence {_passages(doc, item.passages)} .")
    return "\n".join(lines)


def _render_entity(record: DocumentRecord, entity: NewEntity) -> str:
    labels = " , ".join(
        f"{_string(text)}@{lang}" for lang, text in sorted(entity.labels.items()) if text
    )
    return (
        f"id:{entity.slug} a {_iri(entity.type_iri)} ;\n"
        f"    rdfs:label {labels} ;\n"
        f"    pg:evidence {_passages(f'id:{record.slug}', entity.passages)} ."
    )


def _render_proposal(record: DocumentRecord, proposal: NewProposal) -> str:
    titles = " , ".join(
        f"{_string(text)}@{lang}" for lang, text in sorted(proposal.titles.items()) if text
    )
    lines = [f"id:{proposal.slug} a pg:Proposal ;", f"    rdfs:label {titles} ;"]
    if proposal.asks:
        lines.append(f"    rdfs:comment {_string(proposal.asks)}@en ;")
    lines.append(f"    pg:inDocument id:{record.slug} ;")
    for relation in PROPOSAL_RELATIONS:
        values = proposal.relations.get(relation, [])
        if values:
            lines.append(f"    pg:{relation} {' , '.join(_iri(v) for v in values)} ;")
    lines.append(f"    pg:evidence {_passages(f'id:{record.slug}', proposal.passages)} .")
    return "\n".join(lines)


def render_document(record: DocumentRecord) -> str:
    """The Turtle of ``record``: document, created entities and proposals, mentions,
    candidates."""
    doc = f"id:{record.slug}"
    head = [f"{doc} a pg:Document ;", f"    rdfs:label {_string(record.title)}@{record.language} ;"]
    head.append(f"    dcterms:language {_string(record.language)} ;")
    if record.date:
        datatype = {4: "gYear", 7: "gYearMonth"}.get(len(record.date), "date")
        head.append(f"    dcterms:date {_string(record.date)}^^xsd:{datatype} ;")
    if record.publisher:
        head.append(f"    dcterms:publisher {_string(record.publisher)} ;")
    if record.url:
        head.append(f"    pg:url {_string(record.url)}^^xsd:anyURI ;")
    mentions = [_item_slug(record, i) for i in record.items if i.kind == "mention"]
    candidates = [_item_slug(record, i) for i in record.items if i.kind != "mention"]
    for prop, slugs in (("pg:mention", mentions), ("pg:candidate", candidates)):
        if slugs:
            head.append(f"    {prop} " + " ,\n        ".join(slugs) + " ;")
    head.append(f"    pg:sha256 {_string(record.sha256)} .")
    blocks = [_HEADER, "\n".join(head)]
    if record.created:
        blocks.append("# ---- Entities created in review ----")
        blocks += [_render_entity(record, entity) for entity in record.created]
    if record.proposals:
        blocks.append("# ---- Proposals made in review from proposal candidates ----")
        blocks += [_render_proposal(record, proposal) for proposal in record.proposals]
    for kind, title in (
        ("mention", "Mentions of entities the graph knows"),
        ("entity", "Names the graph lacks (entity candidates)"),
        ("proposal", "Recommendation-like sentences (proposal candidates)"),
    ):
        items = [i for i in record.items if i.kind == kind]
        if items:
            blocks.append(f"# ---- {title} ----")
            blocks += [_render_item(record, item) for item in items]
    return "\n\n".join(blocks) + "\n"


def _key_order(key: str) -> tuple[str, int]:
    return key[0], int(key[1:]) if key[1:].isdigit() else 0


def _parse(path: Path) -> dict[_Node, dict[str, list[_Term]]]:
    """The triples of the Turtle file ``path``, by subject and predicate IRI (pyoxigraph:
    a long document's file parses in a tenth of the time rdflib takes).

    :raises DataSyntaxError: the file does not parse.
    """
    index: dict[_Node, dict[str, list[_Term]]] = {}
    try:
        with path.open("rb") as handle:
            for triple in ox.parse(handle, format=ox.RdfFormat.TURTLE):
                properties = index.setdefault(triple.subject, {})
                properties.setdefault(triple.predicate.value, []).append(triple.object)
    except (SyntaxError, ValueError, OSError) as exc:
        raise DataSyntaxError(f"{path}: cannot parse: {exc}") from exc
    return index


class _Described:
    """The triples of one parsed file, read by subject and property."""

    def __init__(self, index: dict[_Node, dict[str, list[_Term]]]) -> None:
        self.index = index

    def objects(self, node: _Term, prop: str) -> list[_Term]:
        """The values of ``prop`` on ``node`` (none for a literal or an unknown node)."""
        if isinstance(node, ox.Literal):
            return []
        return self.index.get(node, {}).get(prop, [])

    def value(self, node: _Term, prop: str) -> _Term | None:
        """One value of ``prop`` on ``node``, or None."""
        found = self.objects(node, prop)
        return found[0] if found else None

    def text(self, node: _Term, prop: str) -> str | None:
        """The lexical form (or IRI) of one value of ``prop`` on ``node``, or None."""
        found = self.value(node, prop)
        return None if found is None else found.value

    def passages(self, node: _Term) -> list[Passage]:
        """The passages of ``node``'s ``pg:evidence``, sorted."""
        return sorted(
            Passage(
                int(self.text(p, _PG + "lineStart") or 0),
                int(self.text(p, _PG + "lineEnd") or 0),
                self.text(p, _PG + "quote") or "",
            )
            for p in self.objects(node, _PG + "evidence")
        )


def read_document(path: Path, slug: str) -> DocumentRecord:
    """Read the Turtle written by :func:`render_document` back.

    :raises DataSyntaxError: the file does not parse or does not describe document ``slug``.
    """
    graph = _Described(_parse(path))
    doc = ox.NamedNode(entity_iri(slug))
    if ox.NamedNode(_PG + "Document") not in graph.objects(doc, _TYPE):
        raise DataSyntaxError(f"{path}: does not describe the document id:{slug}")
    title = graph.value(doc, _LABEL)
    record = DocumentRecord(
        slug=slug,
        title="" if title is None else title.value,
        language=graph.text(doc, _DCT + "language")
        or (title.language if isinstance(title, ox.Literal) else None)
        or "en",
        sha256=graph.text(doc, _PG + "sha256") or "",
        date=graph.text(doc, _DCT + "date"),
        publisher=graph.text(doc, _DCT + "publisher"),
        url=graph.text(doc, _PG + "url"),
    )
    prefix = entity_iri(f"{slug}-")
    for node in (*graph.objects(doc, _PG + "mention"), *graph.objects(doc, _PG + "candidate")):
        kind = next(
            (
                _KIND_OF_CLASS[t.value]
                for t in graph.objects(node, _TYPE)
                if t.value in _KIND_OF_CLASS
            ),
            None,
        )
        status = (graph.text(node, _PG + "reviewStatus") or "").removeprefix(ONTOLOGY_NS)
        if (
            kind is None
            or status not in STATUSES
            or not isinstance(node, ox.NamedNode)
            or not node.value.startswith(prefix)
        ):
            raise DataSyntaxError(f"{path}: {node} is not a review item this tool wrote")
        alternatives = [
            Alternative(
                graph.text(a, _PG + "entity") or "", float(graph.text(a, _PG + "score") or 0)
            )
            for a in graph.objects(node, _PG + "alternative")
        ]
        record.items.append(
            ReviewItem(
                key=node.value.removeprefix(prefix),
                kind=kind,
                status=status,
                passages=graph.passages(node),
                text=graph.text(node, _PG + "matchedText"),
                entity=graph.text(node, _PG + "entity"),
                alternatives=sorted(alternatives, key=lambda a: (-a.score, a.entity)),
                suggested_class=graph.text(node, _PG + "suggestedClass"),
                cues=sorted(c.value for c in graph.objects(node, _PG + "cue")),
            )
        )
    record.items.sort(key=lambda i: (list(KEY_LETTER.values()).index(i.key[0]), _key_order(i.key)))
    created = {item.entity for item in record.items if item.entity}
    for entity in sorted(created):
        node = ox.NamedNode(entity)
        if ox.NamedNode(_PG + "Proposal") in graph.objects(node, _TYPE):
            record.proposals.append(_read_proposal(graph, node))
            continue
        labels = {
            lit.language: lit.value
            for lit in graph.objects(node, _LABEL)
            if isinstance(lit, ox.Literal) and lit.language
        }
        type_iri = graph.text(node, _TYPE)
        if labels and type_iri is not None:
            record.created.append(
                NewEntity(entity.removeprefix(ENTITY_BASE), type_iri, labels, graph.passages(node))
            )
    return record


def _read_proposal(graph: _Described, node: ox.NamedNode) -> NewProposal:
    """A proposal made in review, as :func:`_render_proposal` wrote it."""
    titles = {
        lit.language: lit.value
        for lit in graph.objects(node, _LABEL)
        if isinstance(lit, ox.Literal) and lit.language
    }
    relations = {
        relation: sorted(v.value for v in graph.objects(node, _PG + relation))
        for relation in PROPOSAL_RELATIONS
        if graph.objects(node, _PG + relation)
    }
    return NewProposal(
        node.value.removeprefix(ENTITY_BASE),
        titles,
        graph.passages(node),
        graph.text(node, "http://www.w3.org/2000/01/rdf-schema#comment"),
        relations,
    )
