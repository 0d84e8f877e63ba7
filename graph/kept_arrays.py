"""Numpy columns of an object kept with the warm caches as plain bytes.

The warm caches' unpickler makes data classes only, never a function
(:class:`serving.warm_cache.DataUnpickler`), and numpy's arrays pickle through its
rebuilder functions: an object holding columns gives them to pickle as bytes and reads
them back as read-only arrays over those bytes (no copy).

>>> state = {"counts": np.arange(3, dtype=np.int32), "name": "x"}
>>> kept = as_bytes(state, [("counts", np.int32)])
>>> kept["counts"], kept["name"]
(b'\\x00\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x02\\x00\\x00\\x00', 'x')
>>> from_bytes(kept, [("counts", np.int32)])["counts"].tolist()
[0, 1, 2]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

__all__ = ["as_bytes", "from_bytes"]

#: Columns: each one's name in an object's state, and the type of its items.
Columns = Iterable[tuple[str, npt.DTypeLike]]


def as_bytes(state: dict[str, object], columns: Columns) -> dict[str, object]:
    """``state`` (changed in place, and returned) with each of ``columns`` as its bytes."""
    for name, _ in columns:
        array = state[name]
        assert isinstance(array, np.ndarray)
        state[name] = array.tobytes()
    return state


def from_bytes(state: dict[str, object], columns: Columns) -> dict[str, object]:
    """``state`` (changed in place, and returned) with each of ``columns`` read back from
    its bytes as a read-only array of its type."""
    for name, dtype in columns:
        kept = state[name]
        assert isinstance(kept, bytes)
        state[name] = np.frombuffer(kept, dtype=dtype)
    return state
