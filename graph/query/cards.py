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

# One branch per property and no ORDER BY (the smallest text is chosen in Python): at 1M
# triples 0.9 CPU s, where ``FILTER (?p IN (…))`` over every triple and sorting took 8.5.
_CARDS = f"""
SELECT ?e ?p ?text WHERE {{
    {{ ?e rdfs:label ?text BIND (rdfs:label AS ?p) }}
    UNION {{ ?e rdfs:comment ?text BIND (rdfs:comment AS ?p) }}
    FILTER (STRSTARTS(STR(?e), "{ENTITY_BASE}"))
    FILTER (langMatches(lang(?text), "en") || langMatches(lang(?text), "ja")
            || langMatches(lang(?text), "ko"))
}}"""

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
    # Of several texts in one language, the smallest: one store, one card.
    labels: dict[str, dict[str, str]] = {}
    comments: dict[str, str] = {}
    for row in result:
        slug = row["e"].value[len(ENTITY_BASE) :]
        text = row["text"]
        assert isinstance(text, ox.Literal)
        lang = (text.language or "").split("-")[0]
        if row["p"].value.endswith("#label"):
            held = labels.setdefault(slug, {})
            if lang not in held or text.value < held[lang]:
                held[lang] = text.value
        elif lang == "en" and (slug not in comments or text.value < comments[slug]):
            comments[slug] = text.value
    return {
        slug: EntityCard(
            # In the order of their texts, as the store's ORDER BY used to give them.
            labels=dict(sorted(labels.get(slug, {}).items(), key=lambda kv: kv[1])),
            description=first_sentence(comments[slug]) if slug in comments else None,
        )
        for slug in labels.keys() | comments.keys()
    }
