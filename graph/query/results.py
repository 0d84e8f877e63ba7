"""Rendering query results: SPARQL JSON/CSV/TSV serialised by Oxigraph, or a text table.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> print(render_results(s.query('SELECT ?x WHERE { VALUES ?x { id:kor "韓国"@ja } }'), "table").decode(), end="")
x
---------
id:kor
"韓国"@ja
<BLANKLINE>
(2 rows)
"""

from __future__ import annotations

import unicodedata

import pyoxigraph as ox

from graph.errors import UsageError
from graph.iris import PREFIXES
from graph.query.formats import GRAPH_FORMATS, SOLUTION_FORMATS, format_named
from graph.query.serialise import serialise_result
from graph.store.port import QueryResult

__all__ = ["RESULT_FORMATS", "render_results", "short_term", "text_table"]

# The names and serialisers of the one format table (graph.query.formats), as /sparql's.
_SOLUTION_FORMATS = {f.name: f.serializer for f in SOLUTION_FORMATS}
_GRAPH_FORMATS = {f.name: f.serializer for f in GRAPH_FORMATS}

#: Formats ``render_results`` accepts (graph results take the RDF formats; a table or a
#: solutions format of a CONSTRUCT gives Turtle).
RESULT_FORMATS = ("table", *_SOLUTION_FORMATS, *_GRAPH_FORMATS)


def render_results(result: QueryResult, fmt: str) -> bytes:
    """The bytes to print for a query result in ``fmt``.

    :raises UsageError: an unknown format.
    """
    if fmt not in RESULT_FORMATS:
        raise UsageError(
            f"unknown result format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}"
        )
    if isinstance(result, ox.QueryTriples):
        rdf_format = _GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        assert isinstance(rdf_format, ox.RdfFormat)
        data = ox.serialize(result, format=rdf_format, prefixes=PREFIXES)
    elif fmt in _GRAPH_FORMATS:
        raise UsageError(f"{fmt} is for CONSTRUCT/DESCRIBE results; use table, json, csv or tsv")
    elif fmt == "table":
        data = _table(result).encode("utf-8")
    else:
        data = serialise_result(result, format_named(fmt, "solutions")).data  # ASK as /sparql
    assert data is not None  # serialising without an output returns the bytes
    return data


# Literals of these types print as they are written in SPARQL: 48, 1.5, true.
_BARE_DATATYPES = frozenset({"xsd:integer", "xsd:decimal", "xsd:double", "xsd:boolean"})


def _short(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal) and not term.language:
        datatype = _short(term.datatype)
        if datatype in _BARE_DATATYPES:
            return term.value
        if datatype != "xsd:string":
            return f'"{term.value}"^^{datatype}'
    return str(term)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(result: ox.QuerySolutions | ox.QueryBoolean) -> str:
    if isinstance(result, ox.QueryBoolean):
        return f"{'true' if bool(result) else 'false'}\n"
    names = [v.value for v in result.variables]
    return text_table(names, [[_short(row[name]) for name in names] for row in result])


def short_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term as the text table prints it: ``id:kor``, ``48``, ``"韓国"@ja``."""
    return _short(term)


def text_table(names: list[str], rows: list[list[str]]) -> str:
    """Columns ``names`` over text ``rows``, aligned (CJK counts double), with a row count."""
    widths = [max([_width(name)] + [_width(r[i]) for r in rows]) for i, name in enumerate(names)]

    def line(cells: list[str]) -> str:
        padded = (c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    out = [line(names), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out) + f"\n\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
