"""Every proposal's summary kept as columns, each made a model when it is asked for.

At 5M triples the summaries of 188,145 proposals took 514 MB kept as models (each a
dictionary of fields, six lists, a set of the fields given, a model per reference).
:class:`ProposalTable` keeps each proposal's own texts and numbers in columns, and what it
names (its section, actors, frameworks …) as pairs of a relation and a number into one
table of distinct references; ``table[i]`` makes the :class:`ProposalSummary` of the
``i``-th proposal, with every field given, as :func:`graph.query.proposals.every_proposal`
made it. A page shows 200 of them; a whole-store filter reads the columns
(:meth:`ProposalTable.naming`) and makes models only of the proposals it keeps.

>>> from graph.query.terms import TermRef
>>> kor = TermRef(iri="https://w3id.org/policygraph/id/kor", slug="kor", label="Korea")
>>> p = ProposalSummary(slug="p1", iri="https://w3id.org/policygraph/id/p1", label="P",
...                     involves=[kor], asks={"callsOn": [kor]})
>>> table = ProposalTable.of([p])
>>> table[0] == p, table[0].model_fields_set == set(ProposalSummary.model_fields)
(True, True)
>>> table.naming("involves", {kor.iri}), table.naming("concerns", {kor.iri})
([0], [])
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import NamedTuple, TypeAlias, overload

import numpy as np
import numpy.typing as npt

from graph.iris import ENTITY_BASE, ONTOLOGY_NS, slug_of
from graph.kept_arrays import as_bytes, from_bytes
from graph.model_construct import construct
from graph.query.proposal_summary import ProposalSummary
from graph.query.terms import TermRef
from graph.query.wording import ASK_KINDS

__all__ = ["RELATIONS", "ProposalTable", "ProposalView", "Ref", "SummaryRow", "ref_row"]

#: What a proposal names, by relation: its fields of references, then each kind of ask.
RELATIONS = ("section", "document", "involves", "concerns", "addresses", "sub_proposal_of",
             "locations", *(f"asks:{kind}" for kind in ASK_KINDS))  # fmt: skip
_RELATION = {name: at for at, name in enumerate(RELATIONS)}
_ASKS = tuple((_RELATION[f"asks:{kind}"], kind) for kind in ASK_KINDS)
#: A reference as kept: its IRI, slug, ontology name and label (:class:`TermRef`'s fields).
Ref: TypeAlias = tuple[str, str | None, str | None, str | None]
#: A proposal's summary as a table is made of: its IRI, label, Japanese label, summary
#: order, level and ordinal, and what it names: a relation of :data:`RELATIONS` with a
#: reference, each relation's references in their order.
SummaryRow: TypeAlias = tuple[
    str, str, str | None, int | None, str | None, int | None, list[tuple[str, Ref]]
]
#: A number the report does not give (summary orders and ordinals are never negative).
_NONE = -1
#: The fields a summary is made with: all of them, as :func:`graph.query.proposals._summary`
#: gives them (one set shared by every model made; nothing changes a model's set).
_GIVEN = set(ProposalSummary.model_fields)
_REF_GIVEN = set(TermRef.model_fields)


class ProposalLink(NamedTuple):
    """A proposal as a list of links shows it (an entity's page lists every proposal naming
    it: 6,875 for the largest actor at 1M triples, each a model took 200 ms)."""

    slug: str
    label: str
    label_ja: str | None


class ProposalTable(Sequence[ProposalSummary]):
    """The summaries of proposals as columns (see the module); a sequence of models."""

    def __init__(
        self,
        iris: list[str],
        texts: tuple[list[str], list[str | None], list[str | None]],
        numbers: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
        refs: list[Ref],
        named: tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8], npt.NDArray[np.int32]],
    ) -> None:
        #: Each proposal's IRI, in the summaries' order.
        self.iris = iris
        self.labels, self.labels_ja, self.levels = texts
        self.orders, self.ordinals = numbers
        #: The distinct references the proposals name.
        self.refs = refs
        #: Proposal ``i`` names ``refs[targets[k]]`` by ``RELATIONS[kinds[k]]`` for each
        #: ``k`` in ``range(start[i], start[i + 1])``, in the order of its fields' lists.
        self.start, self.kinds, self.targets = named

    @classmethod
    def of(cls, summaries: Iterable[ProposalSummary]) -> ProposalTable:
        """The table of ``summaries``. Made again, a summary and its references have every
        field given, as :func:`graph.query.proposals.every_proposal` gives them; an ask
        kind with no reference is not kept."""
        return cls.of_rows(_row(p) for p in summaries)

    @classmethod
    def of_rows(cls, rows: Iterable[SummaryRow]) -> ProposalTable:
        """The table of the summaries ``rows``, in their order."""
        iris: list[str] = []
        labels: list[str] = []
        labels_ja: list[str | None] = []
        levels: list[str | None] = []
        orders: list[int] = []
        ordinals: list[int] = []
        refs: dict[Ref, int] = {}
        start, kinds, targets = [0], [], []
        for iri, label, label_ja, order, level, ordinal, named in rows:
            iris.append(iri)
            labels.append(label)
            labels_ja.append(label_ja)
            levels.append(level)
            orders.append(_NONE if order is None else order)
            ordinals.append(_NONE if ordinal is None else ordinal)
            for name, ref in named:
                kinds.append(_RELATION[name])
                targets.append(refs.setdefault(ref, len(refs)))
            start.append(len(kinds))
        return cls(
            iris,
            (labels, labels_ja, levels),
            (np.array(orders, dtype=np.int64), np.array(ordinals, dtype=np.int64)),
            list(refs),
            (
                np.array(start, dtype=np.int32),
                np.array(kinds, dtype=np.uint8),
                np.array(targets, dtype=np.int32),
            ),
        )

    def __len__(self) -> int:
        return len(self.iris)

    @overload
    def __getitem__(self, at: int) -> ProposalSummary: ...
    @overload
    def __getitem__(self, at: slice) -> list[ProposalSummary]: ...
    def __getitem__(self, at: int | slice) -> ProposalSummary | list[ProposalSummary]:
        if isinstance(at, slice):
            return [self.model(i) for i in range(len(self))[at]]
        return self.model(range(len(self))[at])

    def __iter__(self) -> Iterator[ProposalSummary]:
        return (self.model(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ProposalTable | ProposalView | list):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def slug(self, at: int) -> str:
        """The slug of proposal ``at``."""
        return self.iris[at][len(ENTITY_BASE) :]

    def link(self, at: int) -> ProposalLink:
        """What a list of links shows of proposal ``at``, read from the columns."""
        return ProposalLink(self.slug(at), self.labels[at], self.labels_ja[at])

    def position(self, iri: str) -> int | None:
        """The number of the proposal ``iri``, if it is one of the table's."""
        by_iri = self._by_iri
        low, high = 0, len(by_iri)
        while low < high:  # the first whose IRI is not below ``iri``
            middle = (low + high) // 2
            if self.iris[int(by_iri[middle])] < iri:
                low = middle + 1
            else:
                high = middle
        if low < len(by_iri) and self.iris[found := int(by_iri[low])] == iri:
            return found
        return None

    @property
    def _by_iri(self) -> npt.NDArray[np.int32]:
        """The proposals' numbers in the order of their IRIs (made on first use, 4 bytes a
        proposal in an array: a dictionary by IRI took 10 MB more at 5M triples)."""
        if "_sorted" not in self.__dict__:
            order = sorted(range(len(self.iris)), key=self.iris.__getitem__)
            self.__dict__["_sorted"] = np.array(order, dtype=np.int32)
        found: npt.NDArray[np.int32] = self.__dict__["_sorted"]
        return found

    def named(self, at: int) -> Iterator[tuple[str, Ref]]:
        """What proposal ``at`` names: each relation's name with a reference."""
        low, high = int(self.start[at]), int(self.start[at + 1])
        kinds, targets = self.kinds[low:high].tolist(), self.targets[low:high].tolist()
        for kind, target in zip(kinds, targets, strict=True):
            yield RELATIONS[kind], self.refs[target]

    def model(self, at: int) -> ProposalSummary:
        """The summary of proposal ``at``, made now (its lists are its own)."""
        related: dict[int, list[TermRef]] = {}
        low, high = int(self.start[at]), int(self.start[at + 1])
        kinds, targets = self.kinds[low:high].tolist(), self.targets[low:high].tolist()
        for kind, target in zip(kinds, targets, strict=True):
            related.setdefault(kind, []).append(_ref(self.refs[target]))
        order, ordinal = int(self.orders[at]), int(self.ordinals[at])
        sections, documents = related.get(0), related.get(1)
        return construct(
            ProposalSummary,
            _GIVEN,
            {
                "slug": self.slug(at),
                "iri": self.iris[at],
                "label": self.labels[at],
                "label_ja": self.labels_ja[at],
                "summary_order": None if order == _NONE else order,
                "section": sections[0] if sections else None,
                "document": documents[0] if documents else None,
                "involves": related.get(2, []),
                "concerns": related.get(3, []),
                "addresses": related.get(4, []),
                "level": self.levels[at],
                "ordinal": None if ordinal == _NONE else ordinal,
                "asks": {kind: related[code] for code, kind in _ASKS if code in related},
                "sub_proposal_of": related.get(5, []),
                "locations": related.get(6, []),
            },
        )

    def naming(self, relation: str, iris: Collection[str]) -> list[int]:
        """The proposals that name one of ``iris`` by ``relation``, in order."""
        wanted = np.array([ref[0] in iris for ref in self.refs] + [False], dtype=bool)
        hits = (self.kinds == _RELATION[relation]) & wanted[self.targets]
        owners = np.searchsorted(self.start, np.flatnonzero(hits), side="right") - 1
        found: list[int] = np.unique(owners).tolist()
        return found

    def pairs(self, relations: Collection[str]) -> Iterator[tuple[int, Ref]]:
        """Each proposal's number with each reference it names by one of ``relations``, in
        the order of the proposals."""
        hits = np.flatnonzero(np.isin(self.kinds, [_RELATION[name] for name in relations]))
        owners = (np.searchsorted(self.start, hits, side="right") - 1).tolist()
        refs = self.refs
        for at, target in zip(owners, self.targets[hits].tolist(), strict=True):
            yield at, refs[target]

    def having(self, relation: str) -> list[int]:
        """The proposals that name anything by ``relation``, in order."""
        hits = np.flatnonzero(self.kinds == _RELATION[relation])
        found: list[int] = np.unique(np.searchsorted(self.start, hits, side="right") - 1).tolist()
        return found

    def view(self, positions: Sequence[int]) -> ProposalView:
        """The proposals at ``positions``, each made a model when asked for."""
        return ProposalView(self, positions)

    def __getstate__(self) -> dict[str, object]:
        """Its columns for the warm caches, the arrays as bytes: the caches' unpickler
        makes data classes only (:class:`serving.warm_cache.DataUnpickler`)."""
        state = dict(self.__dict__)
        state.pop("_sorted", None)
        as_bytes(state, _ARRAYS)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        from_bytes(state, _ARRAYS)
        self.__dict__.update(state)


#: The columns kept as arrays, and their types.
_ARRAYS = (("orders", np.int64), ("ordinals", np.int64), ("start", np.int32),
           ("kinds", np.uint8), ("targets", np.int32))  # fmt: skip


class ProposalView(Sequence[ProposalSummary]):
    """Some proposals of a :class:`ProposalTable`, each made a model when asked for (a page
    of the finder shows 200 of the proposals it keeps)."""

    def __init__(self, table: ProposalTable, positions: Sequence[int]) -> None:
        self.table, self.positions = table, positions

    def __len__(self) -> int:
        return len(self.positions)

    @overload
    def __getitem__(self, at: int) -> ProposalSummary: ...
    @overload
    def __getitem__(self, at: slice) -> list[ProposalSummary]: ...
    def __getitem__(self, at: int | slice) -> ProposalSummary | list[ProposalSummary]:
        if isinstance(at, slice):
            return [self.table.model(i) for i in self.positions[at]]
        return self.table.model(self.positions[at])

    def __iter__(self) -> Iterator[ProposalSummary]:
        return (self.table.model(i) for i in self.positions)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ProposalTable | ProposalView | list):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _row(p: ProposalSummary) -> SummaryRow:
    if p.slug != p.iri[len(ENTITY_BASE) :]:
        raise ValueError(f"{p.slug!r} is not the end of its IRI {p.iri!r}")
    named = [
        (name, (ref.iri, ref.slug, ref.name, ref.label)) for name, refs in _named(p) for ref in refs
    ]
    return (p.iri, p.label, p.label_ja, p.summary_order, p.level, p.ordinal, named)


def _named(p: ProposalSummary) -> Iterator[tuple[str, list[TermRef]]]:
    yield "section", [p.section] if p.section else []
    yield "document", [p.document] if p.document else []
    yield "involves", p.involves
    yield "concerns", p.concerns
    yield "addresses", p.addresses
    yield "sub_proposal_of", p.sub_proposal_of
    yield "locations", p.locations
    for kind, refs in p.asks.items():
        yield f"asks:{kind}", refs


def ref_row(iri: str, label: str | None) -> Ref:
    """The fields of the reference :func:`graph.query.terms.ref_of` makes of the IRI ``iri``
    and ``label`` (a model each, the summaries took 0.3 CPU s more at 1M triples).

    >>> from graph.query.terms import ref_of
    >>> import pyoxigraph as ox
    >>> iris = ["https://w3id.org/policygraph/id/kor", "https://w3id.org/policygraph/ontology#Country"]
    >>> all(_ref(ref_row(i, "L")) == ref_of(ox.NamedNode(i), ox.Literal("L")) for i in iris)
    True
    """
    name = iri[len(ONTOLOGY_NS) :] if iri.startswith(ONTOLOGY_NS) else None
    return (iri, slug_of(iri), name, label)


def _ref(row: Ref) -> TermRef:
    iri, slug, name, label = row
    return construct(TermRef, _REF_GIVEN, {"iri": iri, "slug": slug, "name": name, "label": label})
