"""The finder's facets as bit sets, read once per served store: a page's selection and
counts without a query over every proposal.

:func:`graph.query.finder.facet_counts` asks the store, for each facet, how many of the
selected proposals have each value (``COUNT(DISTINCT ?proposal)`` grouped by value). A
:class:`FacetIndex` reads once, per facet, which proposals have which value — the same
pattern, without the count — and keeps each value's proposals as numbers. A selection is
the intersection (or, for "any", the union) of its values' sets, an integer whose bits are
the proposals' numbers, and a count the number of a value's proposals inside it: the same
numbers as the queries, since every value of a selection adds its own pattern, joined to
the others on ``?proposal`` only.

Where a facet's selecting pattern differs from its counting pattern (a section also keeps
the proposals of its sub-parts; a part must be a chapter; membership as of a date), the
proposals a value keeps are read with the value's own pattern, once, and kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pyoxigraph as ox

from graph.iris import ENTITY_BASE, ONTOLOGY_NS
from graph.query.term_labels import TermLabels, term_labels
from graph.query.terms import sparql_order
from graph.store.port import GraphStore

__all__ = ["FacetIndex", "actor_memberships", "bit_set", "bits_of"]

#: The facets whose selecting pattern, with a value, keeps exactly the proposals its
#: counting pattern binds to that value (the other facets read what a value keeps).
SAME_PATTERN = ("actor", "framework", "member_of", "ask", "topic", "level", "status", "document")
#: Sets read with a value's own pattern, kept per index (least recently used dropped).
SELECTED_KEPT = 256


def bit_set(numbers: Iterable[int]) -> int:
    """The integer whose bits ``numbers`` are set.

    >>> bin(bit_set([0, 3, 3]))
    '0b1001'
    """
    numbers = list(numbers)
    if not numbers:
        return 0
    field_ = bytearray(max(numbers) // 8 + 1)
    for number in numbers:
        field_[number >> 3] |= 1 << (number & 7)
    return int.from_bytes(field_, "little")


def bits_of(bits: int) -> Iterator[int]:
    """The numbers whose bits are set in ``bits``, smallest first.

    >>> list(bits_of(0b1001))
    [0, 3]
    """
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        while byte:
            low = byte & -byte
            yield index * 8 + low.bit_length() - 1
            byte ^= low


def _local(node: object) -> str | None:
    if not isinstance(node, ox.NamedNode):
        return None
    for base in (ENTITY_BASE, ONTOLOGY_NS):
        if node.value.startswith(base):
            return node.value[len(base) :]
    return None


@dataclass(frozen=True)
class FacetValues:
    """One facet's values: the proposals each is counted for, as the numbers
    ``members[start[i]:start[i + 1]]`` of the value ``names[i]`` (4 bytes a pair: a bit set
    per value took 90 MB at 1M triples), and each one's label (the English label, or for a
    document any label; of several the smallest: see :func:`graph.query.term_labels.term_labels`)."""

    names: list[str]
    start: npt.NDArray[np.int64]
    members: npt.NDArray[np.int32]
    labels: dict[str, str | None]
    #: How many proposals each value is counted for (its count with nothing chosen).
    totals: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: dict[str, list[int]], labels: dict[str, str | None]) -> FacetValues:
        """The values of ``pairs`` (value -> proposal numbers) and their ``labels``."""
        names = list(pairs)
        sizes = [len(set(pairs[name])) for name in names]
        start = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum(sizes, out=start[1:])
        members = np.fromiter(
            (n for name in names for n in sorted(set(pairs[name]))), dtype=np.int32,
            count=int(start[-1]),
        )  # fmt: skip
        return cls(names, start, members, labels, dict(zip(names, sizes, strict=True)))

    def numbers(self, value: str) -> npt.NDArray[np.int32]:
        """The proposals counted for ``value`` (none for a value no proposal has)."""
        at = self._position.get(value)
        if at is None:
            return np.zeros(0, dtype=np.int32)
        return self.members[self.start[at] : self.start[at + 1]]

    def counts(self, within: npt.NDArray[np.bool_]) -> dict[str, int]:
        """How many proposals of ``within`` (a mask over the proposals) each value has."""
        hits = np.zeros(len(self.members) + 1, dtype=np.int64)
        np.cumsum(within[self.members], out=hits[1:])
        found = hits[self.start[1:]] - hits[self.start[:-1]]
        return dict(zip(self.names, found.tolist(), strict=True))

    @cached_property
    def _position(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.names)}

    def __getstate__(self) -> dict[str, object]:
        """Its fields for the warm caches, the arrays as bytes: the caches' unpickler
        makes data classes only (:class:`serving.warm_cache.DataUnpickler`)."""
        state = dict(self.__dict__)
        state.pop("_position", None)
        state["start"], state["members"] = self.start.tobytes(), self.members.tobytes()
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        start, members = state["start"], state["members"]
        assert isinstance(start, bytes) and isinstance(members, bytes)
        arrays = {
            "start": np.frombuffer(start, dtype=np.int64),
            "members": np.frombuffer(members, dtype=np.int32),
        }
        self.__dict__.update({**state, **arrays})


@dataclass
class FacetIndex:
    """Every proposal's number, and per facet the bit set of each value's proposals.

    ``proposals`` lists the proposals' IRIs by number: the order given when the index was
    read (the catalogue's), then any other proposal by IRI.
    """

    proposals: list[str]
    facets: dict[str, FacetValues]
    #: The framework IRIs each actor is a member of today (``member_of`` counts).
    memberships: dict[str, frozenset[str]] = field(default_factory=dict)
    #: The proposals each framework IRI concerns (by framework IRI).
    concerned: FacetValues | None = None
    _selected: OrderedDict[tuple[str, str, str], int] = field(
        default_factory=OrderedDict, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __getstate__(self) -> dict[str, object]:
        """What is pickled with the warm caches: not the lock, nor the kept selections."""
        state = dict(self.__dict__)
        state.pop("_lock")
        state["_selected"] = OrderedDict()
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def everything(self) -> int:
        """The set of every proposal."""
        return (1 << len(self.proposals)) - 1

    def mask(self, bits: int) -> npt.NDArray[np.bool_]:
        """The bit set ``bits`` as a mask over the proposals' numbers."""
        n = len(self.proposals)
        raw = np.frombuffer(bits.to_bytes((n + 7) // 8, "little"), dtype=np.uint8)
        return np.unpackbits(raw, bitorder="little")[:n].astype(bool)

    def counts(self, name: str, within: int) -> dict[str, int]:
        """How many proposals of ``within`` each value of the facet ``name`` is counted for."""
        if name == "member_of":
            return self.member_counts(within)
        values = self.facets[name]
        if within == self.everything:
            return values.totals
        return values.counts(self.mask(within))

    @classmethod
    def read(
        cls, store: GraphStore, order: Iterable[str] = (), labels: TermLabels | None = None
    ) -> FacetIndex:
        """The index of ``store``, proposals numbered in ``order`` (IRIs) first; the values'
        labels read before are taken from ``labels`` (:func:`term_labels`), the others
        added to it."""
        from graph.query.finder import FACETS

        numbers: dict[str, int] = {}
        proposals: dict[str, int] = {}  # the numbers of the store's proposals
        for iri in order:
            numbers.setdefault(iri, len(numbers))
        # The others by IRI, sorted here: the engine's ORDER BY compared the IRIs' texts,
        # read again from the store at each comparison (18.4 CPU s at 5M triples, 188,145
        # proposals; 1.9 at 1M).
        every = _select(store, "SELECT ?proposal WHERE { ?proposal a pg:Proposal }")
        for _, iri in sorted(sparql_order(proposal) for (proposal,) in every):
            numbers.setdefault(iri, len(numbers))
            proposals[iri] = numbers[iri]
        facets: dict[str, FacetValues] = {}
        found: dict[str, tuple[dict[str, list[int]], dict[str, str]]] = {}
        concerned: dict[str, list[int]] = {}
        for name, spec in FACETS.items():
            if name == "member_of":  # from the memberships below: the join is the slowest
                continue
            pairs: dict[str, list[int]] = {}
            iris: dict[str, str] = {}
            # Whatever the pattern binds, the proposals kept here: joined to ``?proposal a
            # pg:Proposal``, the queries took twice as long (7.3 CPU s against 3.6 at 1M).
            query = "SELECT DISTINCT ?proposal ?value WHERE {\n    " + spec.counting(99) + "\n}"
            for subject, term in _select(store, query):
                number = proposals.get(getattr(subject, "value", ""))
                if number is None or term is None:
                    continue
                if name == "framework":  # what pg:concerns names
                    concerned.setdefault(term.value, []).append(number)
                value = _local(term)
                if value is None:
                    continue
                if spec.kind == "term" and value not in spec.terms:
                    continue
                pairs.setdefault(value, []).append(number)
                iris.setdefault(value, term.value)
            found[name] = (pairs, iris)
        values = {iri for _, iris in found.values() for iri in iris.values()}
        read = term_labels(store, values, labels)
        for name, (pairs, iris) in found.items():
            # An ingested document may have a title in its own language only.
            chosen = 1 if name == "document" else 0
            facets[name] = FacetValues.of(
                pairs, {value: read.get(iri, (None, None))[chosen] for value, iri in iris.items()}
            )
        memberships, member_labels = actor_memberships(store)
        index = cls(
            list(numbers),
            facets,
            {actor: frozenset(found) for actor, found in memberships.items()},
            FacetValues.of(concerned, {}),
        )
        totals = index.member_counts(index.everything)
        facets["member_of"] = replace(FacetValues.of({}, member_labels), totals=totals)
        return index

    def value_bits(self, name: str, value: str) -> int:
        """The proposals counted for ``value`` of the facet ``name`` (its counting pattern)."""
        if name == "member_of":
            assert self.concerned is not None
            frameworks = self.memberships.get(value, ())
            return bit_set(n for f in frameworks for n in self.concerned.numbers(f).tolist())
        return bit_set(self.facets[name].numbers(value).tolist())

    def selected_by(self, store: GraphStore, name: str, value: str, as_of: str = "") -> int:
        """The proposals that choosing ``value`` for ``name`` keeps (its selecting pattern,
        for a ``member_of`` value as of the date ``as_of`` if given)."""
        if name in SAME_PATTERN and not (name == "member_of" and as_of):
            return self.value_bits(name, value)
        key = (name, value, as_of)
        with self._lock:
            if key in self._selected:
                self._selected.move_to_end(key)
                return self._selected[key]
        from datetime import date

        from graph.query.finder import Selection, selection_sparql

        one = Selection.of({name: [value]}, date.fromisoformat(as_of) if as_of else None)
        numbers = {iri: n for n, iri in enumerate(self.proposals)}
        found = bit_set(
            numbers[row["proposal"].value]
            for row in _select(store, selection_sparql(one))
            if row["proposal"].value in numbers
        )
        with self._lock:
            self._selected[key] = found
            while len(self._selected) > SELECTED_KEPT:
                self._selected.popitem(last=False)
        return found

    def member_counts(self, base: int) -> dict[str, int]:
        """For each actor, how many proposals of ``base`` concern a framework it is a
        member of today (the ``member_of`` facet's counts; actors with none left out)."""
        if base == self.everything and "member_of" in self.facets:
            return self.facets["member_of"].totals
        assert self.concerned is not None
        kept = self.mask(base)
        within: dict[str, int] = {}
        for framework in self.concerned.names:
            numbers = self.concerned.numbers(framework)
            if len(found := numbers[kept[numbers]]):
                within[framework] = bit_set(found.tolist())
        counts: dict[str, int] = {}
        for actor, frameworks in self.memberships.items():
            union = 0
            for framework in frameworks:
                union |= within.get(framework, 0)
            if union:
                counts[actor] = union.bit_count()
        return counts


_MEMBERS = """SELECT ?value ?framework ?label WHERE {
    ?value pg:memberOf ?framework .
    OPTIONAL { ?value rdfs:label ?label FILTER (langMatches(lang(?label), "en")) }
}"""


def actor_memberships(store: GraphStore) -> tuple[dict[str, set[str]], dict[str, str | None]]:
    """Each member's frameworks today (IRIs, by ``pg:memberOf``), by slug, and its label
    (the smallest English one, else ``None``): what the ``member_of`` facet counts and shows.
    """
    memberships: dict[str, set[str]] = {}
    labels: dict[str, str | None] = {}
    for row in _select(store, _MEMBERS):
        if (value := _local(row["value"])) is None:
            continue
        memberships.setdefault(value, set()).add(row["framework"].value)
        text, known = row["label"], labels.get(value)
        if isinstance(text, ox.Literal) and (known is None or text.value < known):
            labels[value] = text.value
        else:
            labels.setdefault(value, None)
    return memberships, labels


def _select(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result
