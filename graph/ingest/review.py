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

from graph.build.sources import document_graph, parse_file
from graph.errors import UnknownEntityError, UsageError, ValidationError
from graph.ingest.folder import DOCUMENT_FILE, document_folder, write_file
from graph.ingest.gazetteer import MATCHED_CLASSES
from graph.ingest.model import DocumentRecord, NewEntity, ReviewItem
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
    "reject",
]

_LANGUAGES = ("en", "ja", "ko")

_FileKey = tuple[int, int, int]


def list_documents(data_dir: Path) -> list[str]:
    """The slugs of the documents ingested under ``data_dir``, sorted."""
    folder = document_folder(data_dir, "x").parent
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / DOCUMENT_FILE).is_file())


#: The records last read or written, by file, with the key of the file they came from.
_RECORDS: dict[Path, tuple[_FileKey, DocumentRecord]] = {}
_RECORDS_LOCK = threading.Lock()


def _file_key(path: Path) -> _FileKey:
    """What changes when a file is rewritten: its modification time, size and inode (a
    rename over it gives a new inode even within the clock's resolution)."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


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
        key = _file_key(path)
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


def _validate(record: DocumentRecord, item: ReviewItem) -> None:
    """Validate the document with only ``item`` and the created entities against the shapes
    (the other items are unchanged and were valid)."""
    from pyshacl import validate as shacl_validate

    partial = replace(record, items=[item])
    data = rdflib.Graph().parse(data=render_document(partial), format="turtle")
    shapes, ontology = _shapes_and_ontology()
    conforms, _, text = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    if not conforms:
        messages = sorted(set(re.findall(r"Message: (.+)", str(text))))
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


def _save(data_dir: Path, record: DocumentRecord, item: ReviewItem) -> ReviewItem:
    """Validate the change, write the file, and keep ``record`` as what the file now holds
    (the next page load does not parse it again)."""
    _validate(record, item)
    path = document_folder(data_dir, record.slug) / DOCUMENT_FILE
    write_file(path, render_document(record))
    with _RECORDS_LOCK:
        _RECORDS[path] = (_file_key(path), record)
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
        if item.kind == "mention" and item.entity is None:
            best = item.best_alternative
            if best is None:
                raise UsageError(f"{key} has no entity to accept; link it instead")
            item.entity = best.entity
        item.status = "Accepted"
        return _save(data_dir, record, item)


def reject(data_dir: Path, slug: str, key: str) -> ReviewItem:
    """Reject an item: it adds nothing to the graph.

    :raises UnknownEntityError: no such document or item.
    """
    with _locked(data_dir, slug):
        record, item = _changeable(data_dir, slug, key)
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
        clean = {
            lang: " ".join(text.split()) for lang, text in labels.items() if text and text.strip()
        }
        unknown = sorted(set(clean) - set(_LANGUAGES))
        if unknown:
            raise UsageError(f"labels are in en, ja or ko, not {', '.join(unknown)}")
        if new_slug is None:
            new_slug = re.sub(r"[^a-z0-9]+", "-", clean.get("en", "").lower()).strip("-")
        if not is_slug(new_slug):
            raise UsageError(
                f"the new entity needs a slug (--slug, lowercase kebab-case), not {new_slug!r}"
            )
        iri = entity_iri(new_slug)
        if (
            _exists(store, iri)
            or any(e.slug == new_slug for e in record.created)
            or new_slug == slug
        ):
            raise UsageError(
                f"the slug {new_slug!r} is taken; link to that entity or choose --slug"
            )
        record.created.append(NewEntity(new_slug, type_iri, clean, list(item.passages)))
        item.entity = iri
        item.status = "Accepted"
        return _save(data_dir, record, item)
