"""What the proposal list leaves out: each proposal's summaries and its evidence.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:p a pg:Proposal ; rdfs:comment "Do it"@en ;'
...          ' pg:evidence [ pg:lineStart 3 ; pg:lineEnd 4 ; pg:quote "引用" ] } }')
>>> d = proposal_details(s)["p"]
>>> [x.value for x in d.summary], [(e.line_start, e.line_end, e.quote) for e in d.evidence]
(['Do it'], [(3, 4, '引用')])
"""

from __future__ import annotations

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.document_language import document_languages, quote_language
from graph.iris import ENTITY_BASE
from graph.query.terms import Label, Passage, label_of, text_of, titled_ref
from graph.store.port import GraphStore

__all__ = ["ProposalDetails", "proposal_details"]

_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

# Sorted in Python (:func:`_in_order`): Oxigraph's ORDER BY took 2.3 of the query's 5.8 CPU
# seconds at 1M triples.
_DETAILS = """
SELECT ?p ?summary ?ev ?quote ?start ?end ?doc ?docLabel WHERE {
    ?p a pg:Proposal .
    { ?p rdfs:comment ?summary }
    UNION {
        ?p pg:evidence ?ev .
        OPTIONAL { ?ev pg:quote ?quote }
        OPTIONAL { ?ev pg:lineStart ?start }
        OPTIONAL { ?ev pg:lineEnd ?end }
        OPTIONAL { ?ev pg:inDocument ?doc
                   OPTIONAL { ?doc rdfs:label ?docLabel FILTER (langMatches(lang(?docLabel), "en")) } }
    }
}"""


class ProposalDetails(BaseModel):
    """A proposal's summaries (by language) and its evidence passages, in line order."""

    model_config = ConfigDict(frozen=True)

    summary: list[Label] = []
    evidence: list[Passage] = []


def proposal_details(store: GraphStore) -> dict[str, ProposalDetails]:
    """The details of every proposal, by slug."""
    result = store.query(_DETAILS)
    assert isinstance(result, ox.QuerySolutions)
    summaries: dict[str, list[Label]] = {}
    passages: dict[str, list[Passage]] = {}
    titles: dict[str, str | None] = {}
    languages = document_languages(store)
    for row in sorted(result, key=_in_order):
        iri = row["p"].value
        if not iri.startswith(ENTITY_BASE):
            continue
        slug = iri[len(ENTITY_BASE) :]
        if (summary := label_of(row["summary"])) is not None:
            held = summaries.setdefault(slug, [])
            if summary not in held:
                held.append(summary)
        elif row["ev"] is not None:
            doc = row["doc"]
            passage = Passage(
                language=quote_language(languages, text_of(doc)),
                quote=text_of(row["quote"]),
                line_start=_int(row["start"]),
                line_end=_int(row["end"]),
                document=(
                    titled_ref(store, doc, row["docLabel"], titles)
                    if isinstance(doc, ox.NamedNode)
                    else None
                ),
            )
            found = passages.setdefault(slug, [])
            if passage not in found:
                found.append(passage)
    return {
        slug: ProposalDetails(summary=summaries.get(slug, []), evidence=passages.get(slug, []))
        for slug in summaries.keys() | passages.keys()
    }


def _in_order(row: ox.QuerySolution) -> tuple[object, ...]:
    """The place of ``row`` in ``ORDER BY ?p ?start ?end ?quote``: unbound first, then
    numbers by value, then texts (Python's sort is stable, as the engine's)."""
    return (row["p"].value, *(_sort_key(row[name]) for name in ("start", "end", "quote")))


def _sort_key(term: object) -> tuple[int, int, str]:
    """SPARQL's order of terms: unbound, blank nodes, IRIs, literals."""
    if isinstance(term, ox.Literal):
        text = term.value
        number = term.datatype.value == _INTEGER and text.lstrip("-").isdigit()
        return (4, int(text), "") if number else (5, 0, text)
    if isinstance(term, ox.NamedNode):
        return (3, 0, term.value)
    if isinstance(term, ox.BlankNode):
        return (2, 0, term.value)
    return (0, 0, "")


def _int(term: object) -> int | None:
    text = text_of(term)
    return int(text) if text is not None and text.lstrip("-").isdigit() else None
