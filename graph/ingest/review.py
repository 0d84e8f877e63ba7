"""Review decisions on an ingested document: the plain functions the CLI
(``policygraph review``) and the web review queue call.

Every decision locks the document's folder, reads its Turtle, changes one item, validates
what changed against the shapes and rewrites the file atomically; a refused decision leaves
the file as it was. What each decision does is tabled in docs/ingest.md.
"""

from __future__ import annotations

import fcntl
import functools
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from graph.build.sources import document_graph, parse_file
from graph.errors import UnknownEntityError, UsageError, ValidationError
from graph.files import FileKey, file_key
from graph.ingest.folder import DOCUMENT_FILE, document_folder, write_file
from graph.ingest.gazetteer import MATCHED_CLASSES
from graph.ingest.model import DocumentRecord, NewEntity, NewProposal, ReviewItem
from graph.ingest.turtle import read_document, render_document
from graph.iris import ENTITY_BASE, ONTOLOGY_NS, entity_iri, is_slug
from graph.store.port import GraphStore

__all__ = [
    "accept",
    "create",
    "document_quads",
    "link",
    "list_documents",
    "load_document",
    "mentioned_entities",
    "open_items",
    "propose",
    "reject",
]

#: The class of each relation of a proposal to the entities on its lines.
_RELATION_CLASSES = {
    "involves": "Actor",
    "concerns": "Framework",
    "addresses": "Topic",
    "location": "Place",
}

_LANGUAGES = ("en", "ja", "ko")

#: Words left out of a proposal's slug made from its English title.
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)


def list_documents(data_dir: Path) -> list[str]:
    """The slugs of the documents ingested under ``data_dir``, sorted."""
    folder = document_folder(data_dir, "x").parent
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / DOCUMENT_FILE).is_file())


#: The records last read or written, by file, with the key of the file they came from.
_RECORDS: dict[Path, tuple[FileKey, DocumentRecord]] = {}
_RECORDS_LOCK = threading.Lock()


def load_document(data_dir: Path, slug: str) -> DocumentRecord:
    """The document ``slug`` as last written, parsed again only when its file changed.

    The record is shared by every caller until the file changes: do not change it (the
    decisions below change copies).

    :raises UnknownEntityError: no such document under ``data_dir``.
    :raises DataSyntaxError: its Turtle cannot be read.
    """
    path = document_folder(data_dir, slug) / DOCUMENT_FILE
    try:
        if not is_slug(slug):
            raise FileNotFoundError(slug)
        key = file_key(path)
    except OSError:
        raise UnknownEntityError(f"no ingested document {slug!r} under {data_dir}") from None
    with _RECORDS_LOCK:
        cached = _RECORDS.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    record = read_document(path, slug)
    with _RECORDS_LOCK:
        _RECORDS[path] = (key, record)
    return record


def _changeable(data_dir: Path, slug: str, key: str) -> tuple[DocumentRecord, ReviewItem]:
    """A copy of the document's record to change, and a copy of its item ``key`` in it
    (the shared record stays as the file is until the change is written)."""
    shared = load_document(data_dir, slug)
    item = replace(_item(shared, key), alternatives=list(_item(shared, key).alternatives))
    items = [item if i.key == item.key else i for i in shared.items]
    return replace(shared, items=items, created=list(shared.created)), item


def document_quads(data_dir: Path, slug: str) -> list[ox.Quad]:
    """The document's Turtle as quads of its own named graph, as ``policygraph build`` loads
    them: what a server replaces that graph with after a decision.

    :raises UnknownEntityError: no such document.
    """
    path = document_folder(data_dir, slug) / DOCUMENT_FILE
    if not is_slug(slug) or not path.is_file():
        raise UnknownEntityError(f"no ingested document {slug!r} under {data_dir}")
    return parse_file(path, document_graph(slug))


def mentioned_entities(record: DocumentRecord) -> list[str]:
    """The entities the build derives ``pg:mentions`` for: those of the items linked
    automatically or accepted (the rule ``mentions`` of graph.build.materialise)."""
    return sorted(
        {i.entity for i in record.items if i.entity and i.status in ("AutoLinked", "Accepted")}
    )


def open_items(record: DocumentRecord) -> list[ReviewItem]:
    """The items waiting for a decision, mentions first."""
    return [item for item in record.items if item.is_open]


def _item(record: DocumentRecord, key: str) -> ReviewItem:
    item = record.item(key)
    if item is None:
        raise UnknownEntityError(f"document {record.slug!r} has no item {key!r}")
    return item


def _exists(store: GraphStore, iri: str) -> bool:
    return bool(store.query(f"ASK {{ <{iri}> ?p ?o }}"))


@functools.cache
def _shapes_and_ontology() -> tuple[rdflib.Graph, rdflib.Graph]:
    """The shapes and the ontology, parsed once (pySHACL reads them, never changes them)."""
    from ontology import ONTOLOGY_FILE, SHAPES_FILE

    return (
        rdflib.Graph().parse(SHAPES_FILE, format="turtle"),
        rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle"),
    )


def _validate(
    record: DocumentRecord, item: ReviewItem, types: dict[str, list[str]] | None = None
) -> None:
    """Validate the document with only ``item``, the created entities and the proposal made
    from ``item`` (if any) against the shapes (the rest is unchanged and was valid);
    ``types`` (entity IRI → class IRIs, from the store) types the entities it links to."""
    from pyshacl import validate as shacl_validate

    made = [p for p in record.proposals if entity_iri(p.slug) == item.entity]
    partial = replace(record, items=[item], proposals=made)
    data = rdflib.Graph().parse(data=render_document(partial), format="turtle")
    for entity, classes in (types or {}).items():
        for class_iri in classes:
            data.add((rdflib.URIRef(entity), rdflib.RDF.type, rdflib.URIRef(class_iri)))
    shapes, ontology = _shapes_and_ontology()
    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    if conforms:
        return
    # The store's entities are only typed here (for the proposal's shapes): what the shapes
    # say of them (their labels …) is the store's business, not this decision's.
    stubs = {rdflib.URIRef(entity) for entity in types or {}}
    messages = sorted(
        {
            str(results.value(result, SH.resultMessage))
            for result in results.subjects(rdflib.RDF.type, SH.ValidationResult)
            if results.value(result, SH.focusNode) not in stubs
        }
    )
    if messages:
        raise ValidationError(f"refused, the result would not conform: {'; '.join(messages)}")


@contextmanager
def _locked(data_dir: Path, slug: str) -> Iterator[None]:
    """Hold the document's folder locked (an advisory lock on the directory) so that two
    decisions, from the web and the command line, do not overwrite each other."""
    folder = document_folder(data_dir, slug)
    if not is_slug(slug) or not folder.is_dir():
        raise UnknownEntityError(f"no ingested document {slug!r} under {data_dir}")
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _save(
    data_dir: Path,
    record: DocumentRecord,
    item: ReviewItem,
    types: dict[str, list[str]] | None = None,
) -> ReviewItem:
    """Validate the change, write the file, and keep ``record`` as what the file now holds
    (the next page load does not parse it again)."""
    _validate(record, item, types)
    path = document_folder(data_dir, record.slug) / DOCUMENT_FILE
    write_file(path, render_document(record))
    with _RECORDS_LOCK:
        _RECORDS[path] = (file_key(path), record)
    return item


def accept(data_dir: Path, slug: str, key: str) -> ReviewItem:
    """Accept an item: a mention as linked (an ambiguous one takes its best alternative),
    a proposal candidate for curation. An entity candidate needs ``link`` or ``create``.

    :raises UnknownEntityError: no such document or item.
    :raises UsageError: the item cannot be accepted as it is.
    """
    with _locked(data_dir, slug):
        record, item = _changeable(data_dir, slug, key)
        if item.kind == "entity" and item.entity is None:
            raise UsageError(
                f"{key} is a name the graph lacks: link it to an entity (link {key} ENTITY) "
                f"or create one (create {key} --label-en … --label-ja … --class …)"
            )
        if item.kind == "proposal" and item.entity is not None:
            raise UsageError(f"{key} is made into {item.entity.removeprefix(ENTITY_BASE)} already")
        if item.kind == "mention" and item.entity is None:
            best = item.best_alternative
            if best is None:
                raise UsageError(f"{key} has no entity to accept; link it instead")
            item.entity = best.entity
        item.status = "Accepted"
        return _save(data_dir, record, item)


def reject(data_dir: Path, slug: str, key: str) -> ReviewItem:
    """Reject an item: it adds nothing to the graph (a proposal made from a proposal
    candidate goes with it).

    :raises UnknownEntityError: no such document or item.
    """
    with _locked(data_dir, slug):
        record, item = _changeable(data_dir, slug, key)
        if item.kind == "proposal" and item.entity is not None:
            record.proposals = [p for p in record.proposals if entity_iri(p.slug) != item.entity]
            item.entity = None
        item.status = "Rejected"
        return _save(data_dir, record, item)


def _entity_iri(entity: str) -> str:
    """``kor``, ``id:kor`` or a full IRI → the entity's IRI."""
    slug = entity.removeprefix("id:").removeprefix(ENTITY_BASE)
    if not is_slug(slug):
        raise UsageError(f"{entity!r} is not an entity slug (e.g. kor, aukus-pillar-2)")
    return entity_iri(slug)


def link(data_dir: Path, store: GraphStore, slug: str, key: str, entity: str) -> ReviewItem:
    """Link a mention or entity candidate to an existing entity, and accept it.

    :raises UnknownEntityError: no such document, item or entity.
    :raises UsageError: the item is a proposal candidate.
    """
    with _locked(data_dir, slug):
        record, item = _changeable(data_dir, slug, key)
        if item.kind == "proposal":
            raise UsageError(f"{key} is a proposal candidate; accept or reject it")
        iri = _entity_iri(entity)
        created = {entity_iri(e.slug) for e in record.created}
        if iri not in created and not _exists(store, iri):
            raise UnknownEntityError(f"no entity {entity!r} in the graph")
        item.entity = iri
        item.status = "Accepted"
        return _save(data_dir, record, item)


def _class_iri(store: GraphStore, name: str) -> str:
    local = name.removeprefix("pg:").removeprefix(ONTOLOGY_NS)
    iri = ONTOLOGY_NS + local
    roots = " ".join(f"pg:{c}" for c in MATCHED_CLASSES)
    if not re.fullmatch(r"[A-Z][A-Za-z]*", local) or not store.query(
        f"ASK {{ <{iri}> rdfs:subClassOf* ?root VALUES ?root {{ {roots} }} }}"
    ):
        raise UsageError(
            f"--class {name!r} is not a class of actors, frameworks, places, events or "
            "topics (e.g. Person, Organization, ThinkTank, Place, Initiative)"
        )
    return iri


def create(
    data_dir: Path,
    store: GraphStore,
    slug: str,
    key: str,
    labels: dict[str, str],
    class_name: str,
    new_slug: str | None = None,
) -> ReviewItem:
    """Create a new entity from an entity candidate (labels by language, a class of the
    ontology), with the candidate's passages as its evidence; link and accept the candidate.

    :raises UnknownEntityError: no such document or item.
    :raises UsageError: not an entity candidate, a bad class or slug, a slug in use.
    :raises ValidationError: the new entity would not conform (e.g. no Japanese label).
    """
    with _locked(data_dir, slug):
        record, item = _changeable(data_dir, slug, key)
        if item.kind != "entity":
            raise UsageError(
                f"{key} is not an entity candidate; only a candidate becomes an entity"
            )
        if item.entity is not None:
            raise UsageError(f"{key} is linked to {item.entity} already; link it anew instead")
        type_iri = _class_iri(store, class_name)
        clean = _clean_labels(labels)
        if new_slug is None:
            new_slug = re.sub(r"[^a-z0-9]+", "-", clean.get("en", "").lower()).strip("-")
        if not is_slug(new_slug):
            raise UsageError(
                f"the new entity needs a slug (--slug, lowercase kebab-case), not {new_slug!r}"
            )
        iri = entity_iri(new_slug)
        if _slug_taken(store, record, new_slug):
            raise UsageError(
                f"the slug {new_slug!r} is taken; link to that entity or choose --slug"
            )
        record.created.append(NewEntity(new_slug, type_iri, clean, list(item.passages)))
        item.entity = iri
        item.status = "Accepted"
        return _save(data_dir, record, item)


def _clean_labels(labels: dict[str, str]) -> dict[str, str]:
    """The non-empty labels, white space collapsed, in en, ja or ko.

    :raises UsageError: a label in another language.
    """
    clean = {lang: " ".join(text.split()) for lang, text in labels.items() if text and text.strip()}
    unknown = sorted(set(clean) - set(_LANGUAGES))
    if unknown:
        raise UsageError(f"labels are in en, ja or ko, not {', '.join(unknown)}")
    return clean


def _slug_taken(store: GraphStore, record: DocumentRecord, new_slug: str) -> bool:
    made = {e.slug for e in record.created} | {p.slug for p in record.proposals}
    return new_slug == record.slug or new_slug in made or _exists(store, entity_iri(new_slug))


def _on_lines(
    store: GraphStore, record: DocumentRecord, item: ReviewItem
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The entities linked (automatically or accepted) on the lines of ``item``'s passages,
    by the relation a proposal has to them (actors it involves, frameworks it concerns,
    topics it addresses, places it is about), and the class of each found in the store."""
    lines = {n for p in item.passages for n in range(p.line_start, p.line_end + 1)}
    linked = {
        other.entity
        for other in record.items
        if other.kind != "proposal"
        and other.entity
        and other.status in ("AutoLinked", "Accepted")
        and any(n in lines for p in other.passages for n in range(p.line_start, p.line_end + 1))
    }
    if not linked:
        return {}, {}
    created = {entity_iri(e.slug): e.type_iri for e in record.created}
    roots = _roots(store, "?e a/rdfs:subClassOf* ?root", linked - set(created))
    kinds = _roots(store, "?e rdfs:subClassOf* ?root", set(created.values()))
    for entity in linked & set(created):
        roots[entity] = kinds.get(created[entity], set())
    relations: dict[str, list[str]] = {}
    for relation, name in _RELATION_CLASSES.items():
        found = sorted(e for e in linked if ONTOLOGY_NS + name in roots.get(e, set()))
        if found:
            relations[relation] = found
    # What the shapes need to know of the store's entities (an organisation that is also a
    # framework is both).
    types = {e: sorted(r) for e, r in roots.items() if e not in created}
    return relations, types


def _roots(store: GraphStore, pattern: str, iris: set[str]) -> dict[str, set[str]]:
    """For each of ``iris`` (``?e``), the classes of :data:`_RELATION_CLASSES` (``?root``)
    that ``pattern`` finds in the store."""
    if not iris:
        return {}
    classes = " ".join(f"pg:{c}" for c in _RELATION_CLASSES.values())
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    rows = store.query(
        f"SELECT DISTINCT ?e ?root WHERE {{ VALUES ?root {{ {classes} }} "
        f"VALUES ?e {{ {values} }} {pattern} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["e"].value, set()).add(row["root"].value)
    return found


def propose(
    data_dir: Path,
    store: GraphStore,
    slug: str,
    key: str,
    titles: dict[str, str],
    asks: str | None = None,
    new_slug: str | None = None,
) -> ReviewItem:
    """Make a ``pg:Proposal`` of the document from a proposal candidate: the analyst's
    titles (Japanese and English) and, if given, what it asks in their words
    (``rdfs:comment``); the candidate's passages as its evidence; ``pg:inDocument`` the
    document; and the entities linked on the candidate's lines as the actors it involves,
    frameworks it concerns, topics it addresses and places it is about. The candidate is
    accepted and linked to it.

    :raises UnknownEntityError: no such document or item.
    :raises UsageError: not a proposal candidate, or made into a proposal already; a title
        missing or in another language; a bad slug or one in use.
    :raises ValidationError: the proposal would not conform to the shapes.
    """
    with _locked(data_dir, slug):
        record, item = _changeable(data_dir, slug, key)
        if item.kind != "proposal":
            raise UsageError(
                f"{key} is not a proposal candidate; an entity candidate becomes an entity "
                f"(create {key} --label-en … --label-ja … --class …)"
            )
        if item.entity is not None:
            raise UsageError(f"{key} is made into {item.entity.removeprefix(ENTITY_BASE)} already")
        clean = _clean_labels(titles)
        if "ja" not in clean or "en" not in clean:
            raise UsageError(
                "a proposal needs a Japanese and an English title (--title-ja, --title-en), "
                "in your own words or, in Japanese, as printed"
            )
        if new_slug is None:
            words = re.sub(r"[^a-z0-9]+", " ", clean["en"].lower()).split()
            new_slug = "-".join(["proposal", *[w for w in words if w not in _SMALL_WORDS][:5]])
        if not is_slug(new_slug):
            raise UsageError(
                f"the proposal needs a slug (--slug, lowercase kebab-case), not {new_slug!r}"
            )
        if _slug_taken(store, record, new_slug):
            raise UsageError(f"the slug {new_slug!r} is taken; choose another with --slug")
        relations, types = _on_lines(store, record, item)
        summary = " ".join((asks or "").split()) or None
        made = NewProposal(new_slug, clean, list(item.passages), summary, relations)
        record.proposals.append(made)
        item.entity = entity_iri(new_slug)
        item.status = "Accepted"
        return _save(data_dir, record, item, types)
