"""The proposals with everything the proposal browser filters and shows, read once per served
store (:attr:`serving.context.StoreContext.catalogue`).

The proposals are a :class:`~graph.query.proposal_table.ProposalTable` (columns, each
summary made a model when a page asks for it); a proposal's ``section`` values are its
section and everything the section is part of (a chapter), as
:func:`graph.query.proposals.list_proposals` matches them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import InitVar, dataclass, field

import numpy as np
import numpy.typing as npt

from graph.memo import Memo
from graph.query.facet_index import FacetIndex, bits_of
from graph.query.outline import OutlineChapter, report_outline, section_ancestors
from graph.query.proposal_details import ProposalDetails, proposal_details
from graph.query.proposal_details_table import DetailsTable
from graph.query.proposal_table import ProposalLink, ProposalTable, ProposalView
from graph.query.proposals import ProposalSummary, every_proposal
from graph.query.term_labels import TermLabels
from graph.store.port import GraphStore
from serving.model_rows import Models, Rows

__all__ = ["FILTERS", "KeptDetails", "ProposalCatalogue"]

#: The filters of the browser, in the order they are shown.
FILTERS = ("section", "actor", "framework", "topic")
#: The relations of the filters other than ``section``.
_RELATIONS = {"actor": "involves", "framework": "concerns", "topic": "addresses"}


#: The proposals' details as the catalogue keeps them, with the warm caches too: columns
#: beside the proposals' table, each made a model when a page asks for it (a page of the
#: browser shows 200).
KeptDetails = DetailsTable


@dataclass
class ProposalCatalogue:
    """Every proposal of a store with its details and the report's outline.

    The proposals are columns (:class:`ProposalTable`) and so are their details
    (:class:`KeptDetails`), each made a model when a page asks for it. Each proposal's
    sections (its own and what that is part of) are a number into a list of the distinct
    sets. Kept with the warm caches, the outline is rows of plain values
    (:mod:`serving.model_rows`), made models again when read back: each model's set of
    fields given is then one set shared by all (pickled as models, a 5M-triple store's
    outline held a set per model, 52 MB).
    """

    proposals: ProposalTable
    details: Mapping[str, ProposalDetails]
    #: For each proposal (slug), its section and everything the section is part of
    #: (:func:`graph.query.outline.section_ancestors`): kept per proposal number.
    ancestors: InitVar[Mapping[str, frozenset[str]]]
    outline: list[OutlineChapter]
    #: The finder's facets by proposal number, in the order of ``proposals``
    #: (:mod:`graph.query.facet_index`).
    index: FacetIndex | None = None
    #: The distinct sets of sections of the proposals, and the number of each proposal's
    #: set (-1 for none): at 5M triples a set per proposal took 57 MB.
    _sections: list[frozenset[str]] = field(init=False, repr=False, compare=False)
    _section_of: npt.NDArray[np.int32] = field(init=False, repr=False, compare=False)
    #: The positions in ``proposals`` of the proposals each slug is a value of, in order, as
    #: 32-bit integers (an entity page lists them: a scan of every proposal took 0.3 s a
    #: page at 1M triples). Bytes, not lists of numbers: the warm caches read lists back
    #: slowly (7.8 of a 5M-triple restart's 37 s).
    _involving: dict[str, bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self, ancestors: Mapping[str, frozenset[str]]) -> None:
        table = self.proposals
        if not isinstance(self.details, DetailsTable):
            self.details = DetailsTable.of(self.details, table)
        distinct: dict[frozenset[str], int] = {}
        numbers = [
            distinct.setdefault(found, len(distinct))
            if (found := ancestors.get(table.slug(at)))
            else -1
            for at in range(len(table))
        ]
        self._sections = list(distinct)
        self._section_of = np.array(numbers, dtype=np.int32)
        named: dict[int, set[str]] = {}  # each proposal's slugs of the other filters
        for at, (_, slug, _, _) in table.pairs(_RELATIONS.values()):
            if slug:
                named.setdefault(at, set()).add(slug)
        positions: dict[str, list[int]] = {}
        for at, sections in enumerate(numbers):
            slugs = named.get(at, set())
            if sections >= 0:
                slugs.update(self._sections[sections])
            for slug in slugs:
                positions.setdefault(slug, []).append(at)
        self._involving = {
            slug: np.array(kept, dtype=np.int32).tobytes() for slug, kept in positions.items()
        }

    def __getstate__(self) -> dict[str, object]:
        """Its fields for the warm caches, the outline as rows and the arrays as bytes."""
        state = dict(self.__dict__)
        state["outline"] = Rows().of(self.outline)
        state["_section_of"] = self._section_of.tobytes()
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        section_of = state["_section_of"]
        assert isinstance(section_of, bytes)
        self.__dict__.update(
            {
                **state,
                "outline": Models().of(state["outline"]),
                "_section_of": np.frombuffer(section_of, dtype=np.int32),
            }
        )

    @classmethod
    def read(cls, store: GraphStore, memo: Memo | None = None) -> ProposalCatalogue:
        """The catalogue of ``store``; its proposals are the table kept in ``memo`` (shared,
        not copied: the catalogue only reads it)."""
        read: TermLabels = {}  # the named entities' labels, read once for both
        proposals = every_proposal(store, memo, read)
        outline = report_outline(store)
        index = FacetIndex.read(store, proposals.iris, read)
        if index.proposals == proposals.iris:  # one list of the IRIs, not two
            index.proposals = proposals.iris
        return cls(proposals, proposal_details(store), section_ancestors(store), outline, index)

    def numbered(self, bits: int) -> ProposalView:
        """The proposals whose numbers in :attr:`index` are set in ``bits``, in order."""
        count = len(self.proposals)
        return self.proposals.view([n for n in bits_of(bits) if n < count])

    def values(self, proposal: ProposalSummary, name: str) -> set[str]:
        """The slugs ``proposal`` has for the filter ``name``."""
        at = self.proposals.position(proposal.iri)
        return set() if at is None else self._values_at(at, (name,))

    def _values_at(self, at: int, names: tuple[str, ...] = FILTERS) -> set[str]:
        """The slugs the proposal numbered ``at`` has for the filters ``names``."""
        found: set[str] = set()
        if "section" in names and (sections := int(self._section_of[at])) >= 0:
            found.update(self._sections[sections])
        relations = {_RELATIONS[name] for name in names if name in _RELATIONS}
        for relation, (_, slug, _, _) in self.proposals.named(at):
            if slug and relation in relations:
                found.add(slug)
        return found

    def involving(self, slug: str) -> list[ProposalSummary]:
        """The proposals that involve, concern, address or lie in ``slug``."""
        return self.proposals.view(self._positions_involving(slug))[:]

    def links_involving(self, slug: str) -> list[ProposalLink]:
        """:meth:`involving` as the links an entity's page lists, made from the columns."""
        table = self.proposals
        return [table.link(at) for at in self._positions_involving(slug)]

    def _positions_involving(self, slug: str) -> list[int]:
        found: list[int] = np.frombuffer(self._involving.get(slug, b""), dtype=np.int32).tolist()
        return found

    def in_sections(self) -> Iterator[tuple[str, str, str]]:
        """Each proposal that has a section (an entity's), in order: the section's slug,
        the proposal's slug and label — the home page's lists, read from the columns
        (made models, the proposals took 0.5 CPU s at 1M triples, 0.14 before they were
        columns)."""
        table = self.proposals
        for at, (_, section, _, _) in table.pairs(["section"]):
            if section:
                yield section, table.slug(at), table.labels[at]

    def from_documents(self) -> list[ProposalSummary]:
        """The proposals made from an ingested document, not from the report's sections."""
        table = self.proposals
        sectioned = set(table.having("section"))
        return [table[at] for at in table.having("document") if at not in sectioned]
