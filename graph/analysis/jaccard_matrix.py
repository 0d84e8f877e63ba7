"""The Jaccard index of every pair of sets, held compactly: only the pairs that share a member.

Most pairs of frameworks in a large graph share no member (index 0.0): a tuple of tuples of
Python floats held 5,000² of them at 5M triples, over a gigabyte. :class:`JaccardMatrix`
keeps, row by row, the columns whose sets share a member and how many members they share
(compressed sparse rows, in the narrowest unsigned integers that hold them), and the size of
each set; an index is made when asked, ``shared / (size_i + size_j - shared)`` divided in
float64 — the same division of the same integers, so the same float, as
:func:`graph.analysis.overlap.jaccard`. A row reads as a tuple of Python floats, so
``matrix[i][j]``, ``list(row)`` and JSON work as they did. It pickles as plain bytes (no
numpy rebuilder for the warm caches' unpickler to allow).

The shared counts are found per shared member: each row adds up, with one ``bincount``,
the sets of every member of its set — ``Σ d²`` for members in ``d`` sets, never a set
intersection per pair.

>>> m = JaccardMatrix.of_sets([{"a", "b"}, {"b", "c"}, {"d"}, set()])
>>> len(m), m[0][1], m[1]
(4, 0.3333333333333333, (0.3333333333333333, 1.0, 0.0, 0.0))
>>> m == ((1.0, 1 / 3, 0.0, 0.0), (1 / 3, 1.0, 0.0, 0.0), (0.0, 0.0, 1.0, 0.0), (0.0,) * 4)
True
>>> m.shared(0, 1), m.shared(0, 2), m.union(0, 1)
(1, 0, 3)
>>> [pair.tolist() for pair in m.sharing_pairs()]
[[0], [1], [1]]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Set
from typing import Any, overload

import numpy as np
import numpy.typing as npt

__all__ = ["Integers", "JaccardMatrix"]

_Ints = npt.NDArray[np.int64]
#: Arrays of integers of any width.
Integers = npt.NDArray[np.integer[Any]]


class JaccardMatrix(Sequence[tuple[float, ...]]):
    """A symmetric matrix of Jaccard indices, read-only, holding the nonzero ones only.

    ``matrix[i]`` is row ``i`` as a tuple of floats (made when asked); ``matrix[i][j]`` the
    index of sets ``i`` and ``j`` (1.0 on the diagonal, 0.0 for an empty set). Equal to
    another matrix, or to a sequence of rows, with the same values.
    """

    __slots__ = ("_columns", "_shared", "_sizes", "_starts")

    def __init__(
        self, sizes: Integers, starts: Integers, columns: Integers, shared: Integers
    ) -> None:
        """Row ``i``'s sets sharing a member are ``columns[starts[i]:starts[i + 1]]``
        (ascending, the diagonal included), sharing ``shared[…]`` members; set ``i`` has
        ``sizes[i]`` members. The arrays are made read-only; the columns and the counts are
        held in the narrowest unsigned integers that hold them (16 bits for 5,000 sets)."""
        self._sizes = _frozen(sizes, np.dtype(np.int64))
        self._starts = _frozen(starts, np.dtype(np.int64))
        self._columns = _frozen(columns, np.min_scalar_type(max(len(sizes) - 1, 0)))
        self._shared = _frozen(shared, np.min_scalar_type(int(self._sizes.max(initial=0))))

    @classmethod
    def of_sets(cls, sets: Sequence[Set[str]]) -> JaccardMatrix:
        """The matrix of ``sets``, in their order."""
        ids: dict[str, int] = {}
        member_of = [ids.setdefault(member, len(ids)) for found in sets for member in found]
        sizes = np.fromiter((len(found) for found in sets), dtype=np.int64, count=len(sets))
        # Each member's sets (by member id), and each set's members (in the sets' order).
        members = np.asarray(member_of, dtype=np.int64)
        holders = np.repeat(np.arange(len(sets), dtype=np.int64), sizes)
        order = np.argsort(members, kind="stable")
        sets_of = holders[order]
        held = np.bincount(members, minlength=len(ids))
        held_from = np.concatenate(([0], np.cumsum(held)))
        row_from = np.concatenate(([0], np.cumsum(sizes)))
        columns, shared, starts = [], [], [0]
        for row in range(len(sets)):
            mine = members[row_from[row] : row_from[row + 1]]
            counts = np.bincount(sets_of[_ranges(held_from[mine], held[mine])], minlength=len(sets))
            found = np.flatnonzero(counts)
            columns.append(found.astype(np.uint32))  # not 64 bits: half the peak at 5M
            shared.append(counts[found].astype(np.uint32))
            starts.append(starts[-1] + len(found))
        empty = np.zeros(0, dtype=np.uint32)
        return cls(
            sizes,
            np.asarray(starts, dtype=np.int64),
            np.concatenate(columns) if columns else empty,
            np.concatenate(shared) if shared else empty,
        )

    def __len__(self) -> int:
        return len(self._sizes)

    @overload
    def __getitem__(self, index: int) -> tuple[float, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[float, ...], ...]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return tuple(self._row(i) for i in range(len(self))[index])
        return self._row(range(len(self))[index])  # an IndexError beyond the matrix

    def __iter__(self) -> Iterator[tuple[float, ...]]:
        return (self._row(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, JaccardMatrix):
            return all(
                np.array_equal(mine, theirs)
                for mine, theirs in zip(self._arrays(), other._arrays(), strict=True)
            )
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(other) == len(self) and all(
                tuple(theirs) == mine for mine, theirs in zip(self, other, strict=True)
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(array.tobytes() for array in self._arrays()))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __getstate__(self) -> tuple[tuple[str, bytes], ...]:
        return tuple((array.dtype.str, array.tobytes()) for array in self._arrays())

    def __setstate__(self, state: tuple[tuple[str, bytes], ...]) -> None:
        # Read-only views of the bytes: no copy.
        sizes, starts, columns, shared = (
            np.frombuffer(data, dtype=np.dtype(kind)) for kind, data in state
        )
        self._sizes, self._starts, self._columns, self._shared = sizes, starts, columns, shared

    @property
    def sizes(self) -> _Ints:
        """The number of members of each set (read-only)."""
        return self._sizes

    def shared(self, i: int, j: int) -> int:
        """How many members sets ``i`` and ``j`` share."""
        start, stop = int(self._starts[i]), int(self._starts[i + 1])
        at = start + int(np.searchsorted(self._columns[start:stop], j))
        return int(self._shared[at]) if at < stop and self._columns[at] == j else 0

    def union(self, i: int, j: int) -> int:
        """How many members sets ``i`` and ``j`` have together."""
        return int(self._sizes[i] + self._sizes[j]) - self.shared(i, j)

    def sharing_pairs(self) -> tuple[Integers, Integers, Integers]:
        """Every pair ``i < j`` of sets sharing a member, as three arrays of integers of 32
        bits or fewer: ``i``, ``j`` and the members they share, by ``i`` then ``j``."""
        rows = np.repeat(np.arange(len(self), dtype=np.int32), np.diff(self._starts))
        above = self._columns > rows
        return rows[above], self._columns[above], self._shared[above]

    def indexes(
        self, first: Integers, second: Integers, shared: Integers
    ) -> npt.NDArray[np.float64]:
        """The Jaccard indexes of the pairs ``first[k]``, ``second[k]`` sharing ``shared[k]``
        members (as :meth:`sharing_pairs` gives them)."""
        union = self._sizes[first] + self._sizes[second] - shared
        indexes = np.zeros(len(shared))
        np.divide(shared, union, out=indexes, where=union > 0)
        return indexes

    def _row(self, i: int) -> tuple[float, ...]:
        start, stop = self._starts[i], self._starts[i + 1]
        columns = self._columns[start:stop].astype(np.int64)
        row = np.zeros(len(self))
        row[columns] = self.indexes(
            np.full(len(columns), i, dtype=np.int64), columns, self._shared[start:stop]
        )
        return tuple(row.tolist())

    def _arrays(self) -> tuple[npt.NDArray[Any], ...]:
        return (self._sizes, self._starts, self._columns, self._shared)


def _frozen(values: npt.ArrayLike, dtype: np.dtype[Any]) -> npt.NDArray[Any]:
    array = np.array(values, dtype=dtype)
    array.flags.writeable = False
    return array


def _ranges(starts: _Ints, lengths: _Ints) -> _Ints:
    """The indexes ``starts[k] … starts[k] + lengths[k] - 1`` for every ``k``, in one array.

    >>> _ranges(np.array([5, 0]), np.array([2, 3])).tolist()
    [5, 6, 0, 1, 2]
    """
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return np.repeat(starts - ends + lengths, lengths) + np.arange(total)
