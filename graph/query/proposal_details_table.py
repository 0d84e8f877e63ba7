"""The proposals' details kept as columns beside their :class:`ProposalTable`, each made a
model when a page asks for it.

At 5M triples the details of 188,145 proposals took 146 MB kept as rows of plain values
(:mod:`serving.model_rows`: a tuple per model, a list per list of models, a slug per
proposal). :class:`DetailsTable` keeps, per proposal number of the table, its summaries
and its evidence passages as runs of columns — their texts, line numbers, documents
(numbers into a list of the distinct ones) and languages — and makes the
:class:`ProposalDetails` of a slug when it is asked for, with the fields each model was
given.

>>> from graph.iris import ENTITY_BASE
>>> from graph.query.proposal_summary import ProposalSummary
>>> from graph.query.terms import Label, Passage
>>> table = ProposalTable.of([ProposalSummary(slug="p", iri=ENTITY_BASE + "p", label="P")])
>>> d = ProposalDetails(summary=[Label(value="Do it", lang="en")],
...                     evidence=[Passage(quote="引用", line_start=3, line_end=4)])
>>> kept = DetailsTable.of({"p": d}, table)
>>> kept["p"] == d, kept["p"].evidence[0].model_fields_set == d.evidence[0].model_fields_set
(True, True)
>>> kept.get("q") is None, list(kept)
(True, ['p'])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.iris import ENTITY_BASE
from graph.kept_arrays import as_bytes, from_bytes
from graph.query.proposal_details import ProposalDetails
from graph.query.proposal_table import ProposalTable
from graph.query.terms import Label, Passage, TermRef

__all__ = ["DetailsTable"]

#: A line number the passage does not give (``np.int64``'s least).
_NO_LINE = np.iinfo(np.int64).min


class _Distinct:
    """Numbers for distinct values, in the order they are met."""

    def __init__(self) -> None:
        self.numbers: dict[object, int] = {}

    def of(self, value: object) -> int:
        return self.numbers.setdefault(value, len(self.numbers))

    def values(self) -> list[Any]:
        return list(self.numbers)


class DetailsTable(Mapping[str, ProposalDetails]):
    """The details of the proposals of a :class:`ProposalTable`, by slug (see the module)."""

    #: Whether each proposal has details, and the number of its fields given.
    has: npt.NDArray[np.uint8]
    own_given: npt.NDArray[np.uint8]
    #: Proposal ``i``'s summaries are ``texts[summary_start[i]:summary_start[i + 1]]``,
    #: each with the numbers of its language and of its fields given.
    summary_start: npt.NDArray[np.int32]
    texts: list[str]
    text_lang: npt.NDArray[np.uint8]
    text_given: npt.NDArray[np.uint8]
    #: Its passages are the rows ``evidence_start[i]`` to ``evidence_start[i + 1]`` of
    #: the quotes, lines (start, end), documents, languages and fields given.
    evidence_start: npt.NDArray[np.int32]
    quotes: list[str | None]
    lines: npt.NDArray[np.int64]
    docs: npt.NDArray[np.int32]
    langs: npt.NDArray[np.uint8]
    passage_given: npt.NDArray[np.uint8]
    #: The passages' dates, by row, where one is given.
    as_of: dict[int, str]
    #: What the numbers stand for: sets of fields given, languages, documents (each a
    #: reference with its fields given).
    given: list[frozenset[str]]
    languages: list[str]
    documents: list[tuple[TermRef, frozenset[str]]]
    #: The details of slugs that are not the table's.
    others: dict[str, ProposalDetails]

    def __init__(self, table: ProposalTable, columns: dict[str, object]) -> None:
        self.table = table
        self.__dict__.update(columns)

    @classmethod
    def of(cls, details: Mapping[str, ProposalDetails], table: ProposalTable) -> DetailsTable:
        """The table of ``details`` (by slug) of the proposals of ``table``; the details of a
        slug that is not in ``table`` are kept as they are."""
        given, languages, documents = _Distinct(), _Distinct(), _Distinct()
        models: dict[object, TermRef] = {}  # a document's reference by its key
        n = len(table)
        has = np.zeros(n, dtype=np.uint8)
        own_given = np.zeros(n, dtype=np.uint8)
        starts: dict[int, tuple[list[Label], list[Passage]]] = {}
        others: dict[str, ProposalDetails] = {}
        numbers = {iri: at for at, iri in enumerate(table.iris)}
        for slug, found in details.items():
            at = numbers.get(ENTITY_BASE + slug)
            if at is None:
                others[slug] = found
                continue
            has[at], own_given[at] = 1, given.of(frozenset(found.model_fields_set))
            starts[at] = (found.summary, found.evidence)
        summary_start, evidence_start = [0], [0]
        texts: list[str] = []
        text_lang, text_given = [], []
        quotes: list[str | None] = []
        lines: list[tuple[int, int]] = []
        docs, langs, passage_given = [], [], []
        as_of: dict[int, str] = {}
        for at in range(n):
            summary, evidence = starts.get(at, ([], []))
            for label in summary:
                texts.append(label.value)
                text_lang.append(languages.of(label.lang))
                text_given.append(given.of(frozenset(label.model_fields_set)))
            for passage in evidence:
                if passage.as_of is not None:
                    as_of[len(quotes)] = passage.as_of
                quotes.append(passage.quote)
                lines.append((_line(passage.line_start), _line(passage.line_end)))
                document = passage.document
                if document is None:
                    docs.append(-1)
                else:  # by its values: a model's hash and equality are slow
                    key = (*document.__dict__.values(), frozenset(document.model_fields_set))
                    docs.append(documents.of(key))
                    models.setdefault(key, document)
                langs.append(languages.of(passage.language))
                passage_given.append(given.of(frozenset(passage.model_fields_set)))
            summary_start.append(len(texts))
            evidence_start.append(len(quotes))
        if len(given.numbers) > 255 or len(languages.numbers) > 255:
            raise ValueError("more distinct field sets or languages than a byte numbers")
        return cls(
            table,
            {
                "has": has,
                "own_given": own_given,
                "summary_start": np.array(summary_start, dtype=np.int32),
                "texts": texts,
                "text_lang": np.array(text_lang, dtype=np.uint8),
                "text_given": np.array(text_given, dtype=np.uint8),
                "evidence_start": np.array(evidence_start, dtype=np.int32),
                "quotes": quotes,
                "lines": np.array(lines, dtype=np.int64).reshape(-1, 2),
                "docs": np.array(docs, dtype=np.int32),
                "langs": np.array(langs, dtype=np.uint8),
                "passage_given": np.array(passage_given, dtype=np.uint8),
                "as_of": as_of,
                "given": given.values(),
                "languages": languages.values(),
                "documents": [(models[key], frozenset(key[-1])) for key in documents.values()],
                "others": others,
            },
        )

    def __getitem__(self, slug: str) -> ProposalDetails:
        at = self.table.position(ENTITY_BASE + slug)
        if at is None or not self.has[at] or self.table.slug(at) != slug:
            return self.others[slug]
        return self.model(at)

    def model(self, at: int) -> ProposalDetails:
        """The details of proposal number ``at`` of the table, made now."""
        given: list[set[str]] = self._sets
        summary = []
        for k in range(int(self.summary_start[at]), int(self.summary_start[at + 1])):
            summary.append(
                Label.model_construct(
                    given[self.text_given[k]],
                    value=self.texts[k],
                    lang=self.languages[self.text_lang[k]],
                )
            )
        evidence = []
        for k in range(int(self.evidence_start[at]), int(self.evidence_start[at + 1])):
            start, end = self.lines[k].tolist()
            doc = int(self.docs[k])
            evidence.append(
                Passage.model_construct(
                    given[self.passage_given[k]],
                    quote=self.quotes[k],
                    line_start=None if start == _NO_LINE else start,
                    line_end=None if end == _NO_LINE else end,
                    document=None if doc < 0 else self._document(doc),
                    as_of=self.as_of.get(k),
                    language=self.languages[self.langs[k]],
                )
            )
        return ProposalDetails.model_construct(
            given[self.own_given[at]], summary=summary, evidence=evidence
        )

    def _document(self, number: int) -> TermRef:
        return self.documents[number][0]  # frozen: one model for every passage naming it

    @property
    def _sets(self) -> list[set[str]]:
        """One set per distinct set of fields given, shared by the models made."""
        if "_shared" not in self.__dict__:
            self.__dict__["_shared"] = [set(kept) for kept in self.given]
        shared: list[set[str]] = self.__dict__["_shared"]
        return shared

    def __iter__(self) -> Iterator[str]:
        for at in np.flatnonzero(self.has).tolist():
            yield self.table.slug(at)
        yield from self.others

    def __len__(self) -> int:
        return int(np.count_nonzero(self.has)) + len(self.others)

    def __getstate__(self) -> dict[str, object]:
        """Its columns for the warm caches, the arrays as bytes: the caches' unpickler
        makes data classes only (:class:`serving.warm_cache.DataUnpickler`)."""
        state = dict(self.__dict__)
        state.pop("_shared", None)
        as_bytes(state, _ARRAYS)
        state["documents"] = [(ref.model_dump(), sorted(given)) for ref, given in self.documents]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        from_bytes(state, _ARRAYS)
        lines = state["lines"]
        assert isinstance(lines, np.ndarray)
        state["lines"] = lines.reshape(-1, 2)
        documents = state["documents"]
        assert isinstance(documents, list)
        state["documents"] = [
            (TermRef.model_construct(set(given), **fields), frozenset(given))
            for fields, given in documents
        ]
        self.__dict__.update(state)


#: The columns kept as arrays, and their types.
_ARRAYS: tuple[tuple[str, type[np.generic]], ...] = (
    ("has", np.uint8), ("own_given", np.uint8), ("summary_start", np.int32),
    ("text_lang", np.uint8), ("text_given", np.uint8), ("evidence_start", np.int32),
    ("lines", np.int64), ("docs", np.int32), ("langs", np.uint8), ("passage_given", np.uint8),
)  # fmt: skip


def _line(number: int | None) -> int:
    return _NO_LINE if number is None else number
