"""The Turtle of an ingested document: written in a fixed order so that a review decision
is a small diff, and read back into a :class:`~graph.ingest.model.DocumentRecord`.

The layout is described in docs/ingest.md.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS

from graph.errors import DataSyntaxError
from graph.ingest.model import (
    KEY_LETTER,
    STATUSES,
    Alternative,
    DocumentRecord,
    ItemKind,
    NewEntity,
    Passage,
    ReviewItem,
)
from graph.iris import ENTITY_BASE, ONTOLOGY_NS, entity_iri, is_slug

__all__ = ["read_document", "render_document"]

PG = rdflib.Namespace(ONTOLOGY_NS)
DCT = rdflib.Namespace("http://purl.org/dc/terms/")

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
_KIND_OF_CLASS: dict[rdflib.term.Node, ItemKind] = {
    PG[name]: kind for kind, name in _CLASS_OF_KIND.items()
}


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


def render_document(record: DocumentRecord) -> str:
    """The Turtle of ``record``: document, created entities, mentions, candidates."""
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


def _read_passages(graph: rdflib.Graph, node: rdflib.term.Node) -> list[Passage]:
    passages = [
        Passage(
            int(str(graph.value(p, PG.lineStart))),
            int(str(graph.value(p, PG.lineEnd))),
            str(graph.value(p, PG.quote)),
        )
        for p in graph.objects(node, PG.evidence)
    ]
    return sorted(passages)


def read_document(path: Path, slug: str) -> DocumentRecord:
    """Read the Turtle written by :func:`render_document` back.

    :raises DataSyntaxError: the file does not parse or does not describe document ``slug``.
    """
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several kinds on bad Turtle
        raise DataSyntaxError(f"{path}: cannot parse: {exc}") from exc
    doc = rdflib.URIRef(entity_iri(slug))
    if (doc, RDF.type, PG.Document) not in graph:
        raise DataSyntaxError(f"{path}: does not describe the document id:{slug}")

    def text(node: rdflib.term.Node, prop: rdflib.URIRef) -> str | None:
        value = graph.value(node, prop)
        return None if value is None else str(value)

    title = graph.value(doc, RDFS.label)
    record = DocumentRecord(
        slug=slug,
        title=str(title),
        language=text(doc, DCT.language) or getattr(title, "language", None) or "en",
        sha256=text(doc, PG.sha256) or "",
        date=text(doc, DCT.date),
        publisher=text(doc, DCT.publisher),
        url=text(doc, PG.url),
    )
    prefix = entity_iri(f"{slug}-")
    for node in (*graph.objects(doc, PG.mention), *graph.objects(doc, PG.candidate)):
        kind = next(
            (_KIND_OF_CLASS[t] for t in graph.objects(node, RDF.type) if t in _KIND_OF_CLASS),
            None,
        )
        status = str(graph.value(node, PG.reviewStatus)).removeprefix(ONTOLOGY_NS)
        if kind is None or status not in STATUSES or not str(node).startswith(prefix):
            raise DataSyntaxError(f"{path}: {node} is not a review item this tool wrote")
        alternatives = [
            Alternative(str(graph.value(a, PG.entity)), float(str(graph.value(a, PG.score))))
            for a in graph.objects(node, PG.alternative)
        ]
        record.items.append(
            ReviewItem(
                key=str(node).removeprefix(prefix),
                kind=kind,
                status=status,
                passages=_read_passages(graph, node),
                text=text(node, PG.matchedText),
                entity=text(node, PG.entity),
                alternatives=sorted(alternatives, key=lambda a: (-a.score, a.entity)),
                suggested_class=text(node, PG.suggestedClass),
                cues=sorted(str(c) for c in graph.objects(node, PG.cue)),
            )
        )
    record.items.sort(key=lambda i: (list(KEY_LETTER.values()).index(i.key[0]), _key_order(i.key)))
    created = {item.entity for item in record.items if item.entity}
    for entity in sorted(created):
        node = rdflib.URIRef(entity)
        labels = {
            lit.language: str(lit)
            for lit in graph.objects(node, RDFS.label)
            if isinstance(lit, rdflib.Literal) and lit.language
        }
        type_iri = graph.value(node, RDF.type)
        if labels and type_iri is not None:
            record.created.append(
                NewEntity(
                    str(node).removeprefix(ENTITY_BASE),
                    str(type_iri),
                    labels,
                    _read_passages(graph, node),
                )
            )
    return record
