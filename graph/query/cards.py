"""A short card for every entity: its labels in English, Japanese and Korean, and a
one-line description (its English ``rdfs:comment``, cut at the first sentence).

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en , "韓国"@ja ;'
...          ' rdfs:comment "A country. In Asia."@en } }')
>>> c = entity_cards(s)["kor"]
>>> c.labels, c.description
({'en': 'Korea', 'ja': '韓国'}, 'A country.')

The cards are held as one tuple each (:class:`EntityCards`) and a card is made when it is
asked for: the search page shows a few dozen; the home page and search read no other. At
5M triples 310,000 cards as models held 394 MB (each a model, its dictionary, its set of
the fields given and a dictionary of labels).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import cast

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.iris import ENTITY_BASE
from graph.store.port import GraphStore

__all__ = ["CARD_LANGUAGES", "EntityCard", "EntityCards", "entity_cards", "first_sentence"]

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


#: A card as held: its description (or ``None``), then each label's language and text in
#: turn, in the order of the card's labels.
CardRow = tuple[str | None, ...]


class EntityCards(Mapping[str, EntityCard]):
    """Every card by slug, held as rows (:data:`CardRow`), each made a card when asked for.

    >>> cards = EntityCards({"kor": ("A country.", "en", "Korea", "ja", "韓国")})
    >>> cards["kor"], cards.get("jpn") is None, list(cards)
    (EntityCard(labels={'en': 'Korea', 'ja': '韓国'}, description='A country.'), True, ['kor'])
    """

    __slots__ = ("rows",)

    def __init__(self, rows: dict[str, CardRow]) -> None:
        self.rows = rows

    def __getitem__(self, slug: str) -> EntityCard:
        row = self.rows[slug]
        labels = cast(tuple[str, ...], row[1:])  # languages and texts, never None
        return EntityCard(labels=dict(zip(labels[::2], labels[1::2], strict=True)),
                          description=row[0])  # fmt: skip

    def __contains__(self, slug: object) -> bool:
        return slug in self.rows  # without making the card (Mapping's would)

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"EntityCards({len(self)} cards)"


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of ``text``, cut to ``limit`` characters.

    >>> first_sentence("One. Two."), first_sentence("x" * 5, limit=3)
    ('One.', 'xx…')
    """
    match = _SENTENCE.match(text.strip())
    sentence = match.group(1) if match else text.strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def entity_cards(store: GraphStore) -> EntityCards:
    """The card of every entity with a label or a comment, by slug."""
    result = store.query(_CARDS)
    assert isinstance(result, ox.QuerySolutions)
    # Of several texts in one language, the smallest: one store, one card.
    labels: dict[str, dict[str, str]] = {}
    comments: dict[str, str] = {}
    # One text object per distinct text, one per language: many labels are alike.
    texts: dict[str, str] = {lang: lang for lang in CARD_LANGUAGES}
    for row in result:
        slug = row["e"].value[len(ENTITY_BASE) :]
        text = row["text"]
        assert isinstance(text, ox.Literal)
        lang = (text.language or "").split("-")[0]
        lang = texts.setdefault(lang, lang)
        if row["p"].value.endswith("#label"):
            held = labels.setdefault(slug, {})
            if lang not in held or text.value < held[lang]:
                held[lang] = text.value
        elif lang == "en" and (slug not in comments or text.value < comments[slug]):
            comments[slug] = text.value
    rows: dict[str, CardRow] = {}
    for slug in labels.keys() | comments.keys():
        description = first_sentence(comments[slug]) if slug in comments else None
        card: list[str | None] = [
            None if description is None else texts.setdefault(description, description)
        ]
        # In the order of their texts, as the store's ORDER BY used to give them.
        for lang, label in sorted(labels.get(slug, {}).items(), key=lambda kv: kv[1]):
            card += (lang, texts.setdefault(label, label))
        rows[slug] = tuple(card)
    return EntityCards(rows)
