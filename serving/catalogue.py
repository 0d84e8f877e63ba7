"""The proposals with everything the proposal browser filters and shows, read once per served
store (:attr:`serving.context.StoreContext.catalogue`).

:class:`ProposalCatalogue` filters in Python: ``section`` matches a proposal's section or
anything the section is part of (a chapter), as :func:`graph.query.proposals.list_proposals`
does, and each facet counts the proposals that match the *other* filters.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from graph.memo import Memo
from graph.query.facet_index import FacetIndex, bits_of
from graph.query.outline import OutlineChapter, report_outline, section_ancestors
from graph.query.proposal_details import ProposalDetails, proposal_details
from graph.query.proposals import ProposalSummary, every_proposal
from graph.query.term_labels import TermLabels
from graph.query.terms import TermRef
from graph.store.port import GraphStore
from serving.model_rows import Models, Rows

__all__ = ["FILTERS", "Facet", "FacetValue", "KeptDetails", "ProposalCatalogue"]

#: The filters of the browser, in the order they are shown.
FILTERS = ("section", "actor", "framework", "topic")


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, how many proposals it would keep, and whether it is chosen."""

    slug: str
    label: str
    count: int
    chosen: bool
    depth: int = 0


@dataclass(frozen=True)
class Facet:
    """A filter and its values."""

    name: str
    values: list[FacetValue]


class KeptDetails(Mapping[str, ProposalDetails]):
    """The proposals' details as read back from the warm caches: kept as rows
    (:mod:`serving.model_rows`), each made a model when a page asks for it (a page of the
    browser shows 200). Read back as models, the details of 37,664 proposals took 0.29
    CPU s at 1M triples, as rows 0.06 (both with the collector held off)."""

    def __init__(self, rows: dict[str, object]) -> None:
        self.rows = rows
        self._models = Models()

    def __getitem__(self, slug: str) -> ProposalDetails:
        found = self._models.of(self.rows[slug])
        assert isinstance(found, ProposalDetails)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getstate__(self) -> dict[str, object]:
        return {"rows": self.rows}

    def __setstate__(self, state: dict[str, object]) -> None:
        rows = state["rows"]
        assert isinstance(rows, dict)
        self.rows, self._models = rows, Models()


@dataclass
class ProposalCatalogue:
    """Every proposal of a store with its details and the report's outline.

    Kept with the warm caches, the proposals' details are rows of plain values
    (:mod:`serving.model_rows`), each made a model again when a page asks for it
    (:class:`KeptDetails`). The proposals stay models: every page that lists them goes
    through all of them, and made again from rows they took longer than unpickled (at 1M
    triples 0.65 CPU s against 0.20 s, once the collector is kept out of reading the
    caches: :func:`serving.warm_cache.restore`).
    """

    proposals: list[ProposalSummary]
    details: Mapping[str, ProposalDetails]
    ancestors: dict[str, frozenset[str]]
    outline: list[OutlineChapter]
    labels: dict[str, str] = field(default_factory=dict)
    #: The finder's facets by proposal number, in the order of ``proposals``
    #: (:mod:`graph.query.facet_index`).
    index: FacetIndex | None = None
    #: The positions in ``proposals`` of the proposals each slug is a value of, in order, as
    #: 32-bit integers (an entity page lists them: a scan of every proposal took 0.3 s a
    #: page at 1M triples). Bytes, not lists of proposals: the warm caches read lists of
    #: references back slowly (7.8 of a 5M-triple restart's 37 s).
    _involving: dict[str, bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        positions: dict[str, array[int]] = {}
        for at, p in enumerate(self.proposals):
            for slug in set().union(*(self.values(p, name) for name in FILTERS)):
                if (found := positions.get(slug)) is None:
                    found = positions[slug] = array("i")
                found.append(at)
        self._involving = {slug: found.tobytes() for slug, found in positions.items()}

    def __getstate__(self) -> dict[str, object]:
        """Its fields for the warm caches, the details as rows."""
        state = dict(self.__dict__)
        details, rows = self.details, Rows()
        state["details"] = (
            details.rows
            if isinstance(details, KeptDetails)
            else {slug: rows.of(found) for slug, found in details.items()}
        )
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        details = state["details"]
        assert isinstance(details, dict)
        self.__dict__.update({**state, "details": KeptDetails(details)})

    @classmethod
    def read(cls, store: GraphStore, memo: Memo | None = None) -> ProposalCatalogue:
        """The catalogue of ``store``; its proposal summaries are the ones kept in ``memo``
        (shared, not copied: the catalogue only reads them)."""
        read: TermLabels = {}  # the named entities' labels, read once for both
        proposals = every_proposal(store, memo, read)
        labels: dict[str, str] = {}
        for p in proposals:
            for ref in [
                *p.involves,
                *p.concerns,
                *p.addresses,
                *([p.section] if p.section else []),
            ]:
                if ref.slug:
                    labels.setdefault(ref.slug, ref.label or ref.slug)
        outline = report_outline(store)
        for chapter in outline:
            labels[chapter.slug] = chapter.label
            for section in chapter.sections:
                labels[section.slug] = section.label
        index = FacetIndex.read(store, (p.iri for p in proposals), read)
        return cls(
            proposals, proposal_details(store), section_ancestors(store), outline, labels, index
        )

    def numbered(self, bits: int) -> list[ProposalSummary]:
        """The proposals whose numbers in :attr:`index` are set in ``bits``, in order."""
        count = len(self.proposals)
        return [self.proposals[n] for n in bits_of(bits) if n < count]

    def values(self, proposal: ProposalSummary, name: str) -> set[str]:
        """The slugs ``proposal`` has for the filter ``name``."""
        if name == "section":
            return set(self.ancestors.get(proposal.slug, ()))
        refs: list[TermRef] = {
            "actor": proposal.involves,
            "framework": proposal.concerns,
            "topic": proposal.addresses,
        }[name]
        return {ref.slug for ref in refs if ref.slug}

    def _matcher(
        self, chosen: dict[str, str | None], skip: str | None = None
    ) -> Callable[[ProposalSummary], bool]:
        given = {k: v for k, v in chosen.items() if v and k != skip}

        def match(p: ProposalSummary) -> bool:
            return all(v in self.values(p, k) for k, v in given.items())

        return match

    def select(self, chosen: dict[str, str | None]) -> list[ProposalSummary]:
        """The proposals matching every filter given, in the report's summary order."""
        match = self._matcher(chosen)
        return [p for p in self.proposals if match(p)]

    def involving(self, slug: str) -> list[ProposalSummary]:
        """The proposals that involve, concern, address or lie in ``slug``."""
        found = array("i")
        found.frombytes(self._involving.get(slug, b""))
        return [self.proposals[at] for at in found]

    def facets(self, chosen: dict[str, str | None]) -> list[Facet]:
        """Each filter's values with the counts they would give, most proposals first
        (sections in the report's order)."""
        found = []
        for name in FILTERS:
            match = self._matcher(chosen, skip=name)
            counts: Counter[str] = Counter()
            for p in self.proposals:
                if match(p):
                    counts.update(self.values(p, name))
            current = chosen.get(name)
            if name == "section":
                values = []
                for chapter in self.outline:
                    for slug, depth in [(chapter.slug, 0)] + [
                        (s.slug, 1) for s in chapter.sections
                    ]:
                        values.append(
                            FacetValue(slug, self.labels.get(slug, slug), counts[slug],
                                       slug == current, depth)
                        )  # fmt: skip
            else:
                ranked = sorted(
                    counts.items(), key=lambda kv: (-kv[1], self.labels.get(kv[0], kv[0]))
                )
                values = [
                    FacetValue(slug, self.labels.get(slug, slug), n, slug == current)
                    for slug, n in ranked
                ]
            if current and not any(v.chosen for v in values):
                values.insert(0, FacetValue(current, self.labels.get(current, current), 0, True))
            found.append(Facet(name, values))
        return found
