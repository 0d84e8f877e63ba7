"""The result formats the SPARQL endpoint offers, as data: media types ↔ Oxigraph formats.

Each result kind (solutions of SELECT/ASK, triples of CONSTRUCT/DESCRIBE) has a table, the
default first. A format has one short name (for ``?format=`` links), its canonical media
type and the aliases clients also send.

>>> [f.name for f in SOLUTION_FORMATS]
['json', 'xml', 'csv', 'tsv']
>>> format_named("turtle", "graph").media_type
'text/turtle'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from graph.errors import UsageError

__all__ = [
    "FORMATS_BY_KIND",
    "FORMATS_NS",
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "ResultFormat",
    "ResultKind",
    "format_for_media_type",
    "format_named",
    "media_types",
]

#: The W3C namespace of format IRIs (``formats:Turtle`` …).
FORMATS_NS = "http://www.w3.org/ns/formats/"
_FORMAT_IRI_NAMES = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
    "trig": "TriG",
}

#: ``solutions`` for SELECT and ASK, ``graph`` for CONSTRUCT and DESCRIBE.
ResultKind = Literal["solutions", "graph"]


@dataclass(frozen=True)
class ResultFormat:
    """One way to write results: ``?format=`` name, media types, Oxigraph's serialiser."""

    name: str
    media_type: str
    serializer: ox.QueryResultsFormat | ox.RdfFormat
    aliases: tuple[str, ...] = ()
    #: Other names clients put in ``?format=`` (SPARQLWrapper sends ``n3``, ``json-ld`` …).
    other_names: tuple[str, ...] = ()

    @property
    def format_iri(self) -> str:
        """The format's IRI in the W3C ``formats`` namespace (for service descriptions)."""
        return FORMATS_NS + _FORMAT_IRI_NAMES[self.name]

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (text formats say they are UTF-8)."""
        if self.media_type.startswith("text/") or self.name in {"json", "jsonld"}:
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(
        "json",
        "application/sparql-results+json",
        ox.QueryResultsFormat.JSON,
        ("application/json",),
    ),
    ResultFormat(
        "xml",
        "application/sparql-results+xml",
        ox.QueryResultsFormat.XML,
        ("application/xml", "text/xml"),
    ),
    ResultFormat("csv", "text/csv", ox.QueryResultsFormat.CSV),
    ResultFormat("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
)

GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(
        "turtle",
        "text/turtle",
        ox.RdfFormat.TURTLE,
        ("application/x-turtle", "application/turtle"),
        ("ttl", "n3"),  # Turtle is valid N3
    ),
    ResultFormat(
        "ntriples",
        "application/n-triples",
        ox.RdfFormat.N_TRIPLES,
        ("text/plain",),
        ("nt", "n-triples"),
    ),
    ResultFormat(
        "jsonld",
        "application/ld+json",
        ox.RdfFormat.JSON_LD,
        ("application/json",),
        ("json-ld", "json"),
    ),
    ResultFormat(
        "rdfxml",
        "application/rdf+xml",
        ox.RdfFormat.RDF_XML,
        ("application/xml", "text/xml"),
        ("rdf+xml", "rdf", "xml"),
    ),
    ResultFormat("trig", "application/trig", ox.RdfFormat.TRIG),
)

FORMATS_BY_KIND: dict[ResultKind, tuple[ResultFormat, ...]] = {
    "solutions": SOLUTION_FORMATS,
    "graph": GRAPH_FORMATS,
}


def media_types(kind: ResultKind) -> list[str]:
    """Every media type offered for ``kind``, in the server's order of preference.

    Canonical types come first, then the aliases, so a wildcard picks a canonical type.
    """
    formats = FORMATS_BY_KIND[kind]
    return [f.media_type for f in formats] + [a for f in formats for a in f.aliases]


def format_for_media_type(media_type: str, kind: ResultKind) -> ResultFormat:
    """The format of ``kind`` that answers ``media_type`` (canonical or alias).

    :raises UsageError: no format of ``kind`` has that media type.
    """
    for fmt in FORMATS_BY_KIND[kind]:
        if media_type == fmt.media_type or media_type in fmt.aliases:
            return fmt
    raise UsageError(f"no {kind} format has the media type {media_type}")


def format_named(name: str, kind: ResultKind) -> ResultFormat:
    """The format of ``kind`` that ``name`` (a ``?format=`` value) means.

    ``name`` is a format's name, one of its other names, or one of its media types.

    >>> format_named("application/rdf+xml", "graph").name, format_named("n3", "graph").name
    ('rdfxml', 'turtle')

    :raises UsageError: ``name`` is not a format of ``kind``.
    """
    for wanted in name.lower().split(","):  # a media-type list, as SPARQLWrapper sends
        wanted = wanted.split(";")[0].strip()
        for fmt in FORMATS_BY_KIND[kind]:
            if wanted in (fmt.name, fmt.media_type, *fmt.other_names, *fmt.aliases):
                return fmt
    names = ", ".join(f.name for f in FORMATS_BY_KIND[kind])
    raise UsageError(f"format {name!r} does not fit {kind} results; choose one of {names}")
