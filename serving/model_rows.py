"""Pydantic models kept as rows of plain values in the warm caches, and made again from them.

Pickled one by one, a model is a dictionary of its fields, the set of the fields given
and two more slots, each rebuilt by a call into pydantic. As rows — a model is a tuple of
its class, the fields given (one frozen set shared by every model given the same fields)
and its values in the order of the class's fields — the pickle holds tuples, strings and
numbers, which the unpickler makes in C (the catalogue's details at 1M triples: 0.06 CPU
s against 0.29); :meth:`Models.model` makes a model again with
:func:`graph.model_construct.construct` (its values were checked when it was first made)
when it is asked for. Made again all at once, models cost more than unpickled ones
(the catalogue's proposals: 0.65 against 0.20 CPU s): rows are for values read a few at
a time.

A model met twice (the same object: the catalogue's proposals share their references to
an actor) is one row, and comes back as one model; equal models that were distinct
objects come back distinct, as pickle would give them.

>>> from graph.query.terms import Label, TermRef
>>> ref = TermRef(iri="https://w3id.org/policygraph/id/kor", slug="kor", label="Korea")
>>> rows = Rows()
>>> kept = rows.of([ref, ref, Label(value="한국", lang="ko")])
>>> kept[0] is kept[1], kept[0][2:]
(True, ('https://w3id.org/policygraph/id/kor', 'kor', None, 'Korea'))
>>> again = Models().of(kept)
>>> again == [ref, ref, Label(value="한국", lang="ko")], again[0] is again[1]
(True, True)
>>> again[0].model_fields_set == ref.model_fields_set
True
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import TypeAlias

from pydantic import BaseModel

from graph.model_construct import construct

__all__ = ["FieldSets", "Models", "Rows", "Value"]


#: A field's value as kept: a row (a model), a list, a dictionary or a plain value.
Value: TypeAlias = object


#: The values a row holds as they are (a text as the one object held for it).
_PLAIN = (str, int, float, bool, type(None))


#: What a row holds that holds rows.
_NESTED = (tuple, list, dict)


@cache
def _fields(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(cls.model_fields)


class Rows:
    """Turns models into rows, one row per model object however often it is met."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[object, ...]] = {}
        # The models met, kept alive while their ids key ``_rows``.
        self._models: list[BaseModel] = []
        self._given: dict[frozenset[str], frozenset[str]] = {}
        # One text object per distinct text: rows name the same few predicates, documents
        # and sections many times (measured on the hubs' descriptions, once kept as rows).
        self._texts: dict[str, str] = {}

    def of(self, value: Value) -> Value:
        """``value`` with every model in it (in lists and dictionaries too) as a row, and
        each text as the one text object held for it.

        :raises TypeError: a tuple or another container the rows cannot tell apart from
            a row (the models kept here have none).
        """
        if isinstance(value, BaseModel):
            if (row := self._rows.get(id(value))) is None:
                given = frozenset(value.model_fields_set)
                fields, texts = value.__dict__, self._texts
                row = (
                    type(value),
                    self._given.setdefault(given, given),
                    # Plain values inline, not through a call each: two thirds of the
                    # time (measured on the largest hub's description at 1M: 43 ms, not 65).
                    *(
                        (texts.setdefault(v, v) if type(v) is str else v)
                        if type(v) in _PLAIN
                        else self.of(v)
                        for v in map(fields.__getitem__, _fields(type(value)))
                    ),
                )
                self._rows[id(value)] = row
                self._models.append(value)
            return row
        if isinstance(value, list):
            return [self.of(item) for item in value]
        if isinstance(value, dict):
            return {key: self.of(item) for key, item in value.items()}
        if isinstance(value, (tuple, set, frozenset)):
            raise TypeError(f"a {type(value).__name__} in a model kept as rows")
        if type(value) is str:
            return self._texts.setdefault(value, value)
        return value


class FieldSets:
    """Gives the models it is shown one set of the fields given per distinct set, and one
    text object per distinct text in their text fields.

    A pydantic model keeps the names of the fields it was given in a set of its own (216
    bytes or more): at 5M triples the warm caches held over a million of them, most equal
    (every :class:`~graph.query.terms.TermRef` is given its four fields). Sharing one is
    safe for the models kept: nothing changes a kept model (most are frozen) nor reads its
    set but a copy (``model_copy`` copies it). The IRIs, slugs and labels of the same
    entity, named by thousands of proposals and descriptions, were a text each too.

    >>> from graph.query.terms import TermRef
    >>> refs = [TermRef(iri="https://w3id.org/policygraph/id/kor", slug="kor") for _ in "ab"]
    >>> refs[0].model_fields_set is refs[1].model_fields_set
    False
    >>> FieldSets().share({"refs": refs})
    2
    >>> refs[0].model_fields_set is refs[1].model_fields_set, sorted(refs[0].model_fields_set)
    (True, ['iri', 'slug'])
    """

    def __init__(self) -> None:
        self._sets: dict[frozenset[str], set[str]] = {}
        self._texts: dict[str, str] = {}
        # What :meth:`share` has looked into (values share models: looked into once).
        self._seen: set[int] = set()

    def of(self, given: set[str] | frozenset[str]) -> set[str]:
        """The one set held for the fields ``given``."""
        key = frozenset(given)
        if (found := self._sets.get(key)) is None:
            found = self._sets[key] = set(key)
        return found

    def share(self, value: object) -> int:
        """Give every model in ``value`` — in its lists, tuples, dictionaries' values,
        data classes' fields and models' fields, however deep — the set held for its
        fields; returns how many models were met (none met before). Anything else is left
        as it is; what is shown must live as long as this object (its ids are kept)."""
        met, seen, texts, stack = 0, self._seen, self._texts, [value]
        while stack:
            item = stack.pop()
            if isinstance(item, _LEAVES) or id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, BaseModel):
                met += 1
                object.__setattr__(item, "__pydantic_fields_set__", self.of(item.model_fields_set))
                values = item.__dict__  # an equal text for a text: the model is the same
                for name, field in values.items():
                    if type(field) is str:
                        values[name] = texts.setdefault(field, field)
                    else:
                        stack.append(field)
            elif isinstance(item, list | tuple):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.values())
            elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        return met


#: What :meth:`FieldSets.share` does not look into (no model is ever inside).
_LEAVES = (str, bytes, int, float, bool, type(None), set, frozenset)


class Models:
    """Turns rows back into models, one model per row object however often it is met."""

    def __init__(self) -> None:
        self._models: dict[int, BaseModel] = {}
        # The rows met, kept alive while their ids key ``_models``.
        self._rows: list[tuple[object, ...]] = []
        self._given = FieldSets()

    def of(self, value: Value) -> Value:
        """``value`` with every row in it as its model again."""
        if isinstance(value, tuple):
            return self.model(value)
        if isinstance(value, list):
            return [self.of(item) for item in value]
        if isinstance(value, dict):
            return {key: self.of(item) for key, item in value.items()}
        return value

    def model(self, row: tuple[object, ...]) -> BaseModel:
        """The model of one row."""
        if (found := self._models.get(id(row))) is not None:
            return found
        cls, given, *values = row
        assert isinstance(cls, type) and issubclass(cls, BaseModel)
        assert isinstance(given, frozenset)
        of = self.of
        fields = {
            name: of(v) if type(v) in _NESTED else v
            for name, v in zip(_fields(cls), values, strict=True)
        }
        # Not model_construct's loop over the fields' aliases and defaults: half the time
        # of making the largest hub's description (56 ms, not 110, at 1M triples).
        found = construct(cls, self._given.of(given), fields)
        self._models[id(row)] = found
        self._rows.append(row)
        return found
