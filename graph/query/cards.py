"""A short card for every entity: its labels in English, Japanese and Korean, and a
one-line description (its English ``rdfs:comment``, cut at the first sentence).

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en , "韓国"@ja ;'
...          ' rdfs:comment "A country. In Asia."@en } }')
>>> c = entity_cards(s)["kor"]
>>> c.labels, c.description
({'en': 'Korea', 'ja': '韓国'}, 'A country.')
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.iris import ENTITY_BASE
from graph.store.port import GraphStore

__all__ = ["CARD_LANGUAGES", "EntityCard", "entity_cards", "first_sentence"]

#: The languages a card shows labels in.
CARD_LANGUAGES = ("en", "ja", "ko")

_CARDS = f"""
SELECT ?e ?p ?text WHERE {{
    ?e ?p ?text .
    FILTER (?p IN (rdfs:label, rdfs:comment))
    FILTER (STRSTARTS(STR(?e), "{ENTITY_BASE}"))
    FILTER (langMatches(lang(?text), "en") || langMatches(lang(?text), "ja")
            || langMatches(lang(?text), "ko"))
}} ORDER BY ?e ?p ?text"""

_SENTENCE = re.compile(r"^(.+?[.!?。])(\s|$)")


class EntityCard(BaseModel):
    """An entity's labels by language and a one-line description."""

    model_config = ConfigDict(frozen=True)

    labels: dict[str, str] = {}
    description: str | None = None


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of ``text``, cut to ``limit`` characters.

    >>> first_sentence("One. Two."), first_sentence("x" * 5, limit=3)
    ('One.', 'xx…')
    """
    match = _SENTENCE.match(text.strip())
    sentence = match.group(1) if match else text.strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def entity_cards(store: GraphStore) -> dict[str, EntityCard]:
    """The card of every entity with a label or a comment, by slug."""
    result = store.query(_CARDS)
    assert isinstance(result, ox.QuerySolutions)
    labels: dict[str, dict[str, str]] = {}
    comments: dict[str, str] = {}
    for row in result:
        slug = row["e"].value[len(ENTITY_BASE) :]
        text = row["text"]
        assert isinstance(text, ox.Literal)
        lang = (text.language or "").split("-")[0]
        if row["p"].value.endswith("#label"):
            labels.setdefault(slug, {}).setdefault(lang, text.value)
        elif lang == "en":
            comments.setdefault(slug, first_sentence(text.value))
    return {
        slug: EntityCard(labels=labels.get(slug, {}), description=comments.get(slug))
        for slug in labels.keys() | comments.keys()
    }
