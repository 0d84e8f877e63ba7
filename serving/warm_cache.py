"""The warm caches of a store generation, kept on disk beside it: a restart reads them.

A store generation never changes, so what a server's warm-up reads from it — the
projection, the proposal catalogue, the cards, the framework table, the label index, the
views' data (:meth:`serving.context.StoreContext.warm_steps`) — is the same for every
server that opens it. The first server to warm up on a generation writes those values
to :data:`WARM_FILE` inside the generation's directory; a server restarted on it reads
them back instead of asking the store again: at a million triples, seconds of unpickling
where the queries took minutes. Like the measures (:mod:`graph.analysis.measures`), the
file goes when the generation goes, and a served copy with accepted edits
(:func:`graph.store.edits.make_served_copy`) leaves it behind and keeps none of its own
(no later server opens a served copy; see :class:`serving.context.StoreContext`).

The file starts with one line naming what wrote it — a digest of the code that computes
the values (``graph``, ``serving``, ``viz``) and the versions of the libraries whose
objects are kept — and the number of quads served; a file written by other code or for
other data is ignored (and replaced), so a new release never reads stale values. The rest
is a pickle, written by the server itself into the store's own directory, and read back
with an unpickler that builds only data: classes of policygraph, networkx, pydantic,
pyoxigraph and the standard containers, never a function — a file planted in the
generation cannot make the server call a function of its choosing
(:class:`DataUnpickler`). Written atomically (:func:`graph.files.replacing`).

>>> import tempfile
>>> from graph.memo import Memo
>>> directory, memo = Path(tempfile.mkdtemp()), Memo()
>>> memo.get("cards", lambda: {"kor": "Korea"})
{'kor': 'Korea'}
>>> keep(directory, memo, quads=3)
True
>>> fresh = Memo()
>>> restore(directory, fresh, quads=3), fresh.get("cards", dict)
(['cards'], {'kor': 'Korea'})
>>> restore(directory, Memo(), quads=4)  # another store's
[]
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import shutil
import time
from collections.abc import Callable, Collection
from functools import cache
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import BinaryIO

from graph.files import replacing
from graph.memo import Memo
from graph.store.claims import remove_unclaimed
from graph.store.location import WARM_FILE
from serving.collector import held_off
from serving.model_rows import FieldSets

__all__ = [
    "KEPT",
    "WARM_FILE",
    "DataUnpickler",
    "code_digest",
    "hand_over",
    "keep",
    "restore",
    "share_field_sets",
]

_LOG = logging.getLogger(__name__)

#: The memo keys kept: every value the warm-up reads that is plain data (not the analytics,
#: which hold the store; their measures have a file of their own).
KEPT = (
    "triples",
    "graph_names",
    "projection",
    "proposal_summaries",
    "catalogue",
    "cards",
    "frameworks",
    "class_counts",
    "ontology_terms",
    "graph_data",
    "label_index",
    "entities_by_document",
    "hub_descriptions",
    "entity_question_counts",
    "framework_overlap",
    "framework_overlap_pairs",
)
#: The packages whose code computes the values kept, and the libraries whose objects are.
_PACKAGES = ("graph", "serving", "viz")
_LIBRARIES = ("networkx", "pydantic", "pyoxigraph")


@cache
def code_digest() -> str:
    """A digest of the code that computes the kept values and of the libraries' versions
    (read once per process: a few hundred small files)."""
    digest = hashlib.sha256()
    for package in _PACKAGES:
        spec = find_spec(package)
        assert spec is not None and spec.submodule_search_locations is not None
        root = Path(next(iter(spec.submodule_search_locations)))
        for source in sorted(root.rglob("*.py")):
            digest.update(f"{package}/{source.relative_to(root).as_posix()}".encode())
            digest.update(source.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library} {version(library)}".encode())
    return digest.hexdigest()[:32]


def _constant(value: object) -> Callable[[], object]:
    return lambda: value


#: Modules whose classes a kept value may be made of (a class, never a function).
_DATA_MODULES = ("graph", "serving", "viz", "networkx", "pydantic", "pydantic_core", "pyoxigraph",
                 "collections", "datetime", "decimal", "builtins")  # fmt: skip
#: The functions a kept value may name: pickle's own rebuilders of an object of such a
#: class, and networkx's ``frozen`` (a frozen graph's methods, which only raise).
_REBUILDERS = {
    ("networkx.classes.function", "frozen"),
    ("copyreg", "_reconstructor"),
    ("copyreg", "__newobj__"),
    ("copyreg", "__newobj_ex__"),
}


class DataUnpickler(pickle.Unpickler):
    """An unpickler that resolves only classes of :data:`_DATA_MODULES` and pickle's own
    rebuilders: a pickle that names ``os.system``, ``eval`` or any other function is refused.

    >>> import io, os
    >>> planted = pickle.dumps(os.getcwd)  # any function
    >>> DataUnpickler(io.BytesIO(planted)).load()
    Traceback (most recent call last):
    ...
    _pickle.UnpicklingError: the warm caches name posix.getcwd, which is not a data class
    """

    def find_class(self, module: str, name: str) -> object:
        found = super().find_class(module, name)
        if (module, name) in _REBUILDERS:
            return found
        if isinstance(found, type) and module.split(".", 1)[0] in _DATA_MODULES:
            return found
        raise pickle.UnpicklingError(
            f"the warm caches name {module}.{name}, which is not a data class"
        )


def _missing() -> object:
    raise KeyError("not in the memo")  # pragma: no cover - asked only for keys it holds


def _header(quads: int) -> bytes:
    return f"policygraph-warm {code_digest()} {quads}\n".encode()


def _load(handle: BinaryIO) -> dict[object, object]:
    """The values pickled in ``handle`` — one pickled ``dict`` after another to its end (the
    server's own and those a child made, :func:`keep`) — read by :class:`DataUnpickler`
    (data only, see the module) with the cyclic garbage collector held off
    (:mod:`serving.collector`: at 1M triples the collections took 4.0–4.5 CPU s of reading
    the caches, 1.5–1.8 without).

    :raises pickle.UnpicklingError: a part is not a ``dict``.
    """
    values: dict[object, object] = {}
    parts = 0
    with held_off():
        while True:
            try:
                part = DataUnpickler(handle).load()
            except EOFError:
                if parts:
                    return values
                raise
            if not isinstance(part, dict):
                raise pickle.UnpicklingError("the warm caches hold something else than values")
            values.update(part)
            parts += 1


def restore(generation: Path, memo: Memo, *, quads: int) -> list[str]:
    """Put the values kept in ``generation``'s :data:`WARM_FILE` into ``memo``; returns
    their keys (none when there is no usable file: missing, damaged, or written by other
    code or for a store of another size than ``quads``)."""
    try:
        with (generation / WARM_FILE).open("rb") as handle:
            if handle.readline() != _header(quads):
                return []
            values = _load(handle)
    except FileNotFoundError:
        return []
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError) as exc:
        _LOG.warning("ignoring the warm caches in %s: %s", generation / WARM_FILE, exc)
        return []
    return _put(values, memo)


def hand_over(made: Path, memo: Memo) -> list[str]:
    """Put the values of :data:`KEPT` pickled in the file ``made`` (by a child process,
    :mod:`serving.store_lane`; no header line) into ``memo``; returns their keys.

    :raises pickle.UnpicklingError: the file holds something else than values (or names a
        function: :class:`DataUnpickler`).
    :raises EOFError: the file is empty or cut short.
    """
    with made.open("rb") as handle:
        values = _load(handle)
    return _put(values, memo)


def _put(values: dict[object, object], memo: Memo) -> list[str]:
    """Put the values of :data:`KEPT` among ``values`` into ``memo``; returns their keys."""
    for key, value in values.items():
        if key in KEPT:
            memo.get(key, _constant(value))
    return [key for key in KEPT if key in values]


def share_field_sets(memo: Memo, restored: Collection[str] = ()) -> int:
    """Give the models in the values of :data:`KEPT` that ``memo`` holds one set of the
    fields given per distinct set (:class:`serving.model_rows.FieldSets`); returns how
    many models were met. Values ``restored`` are left: they were kept so, and pickle
    reads a set met many times back as one.

    At 5M triples the proposals, the cards and the hubs' descriptions held 1.1 million
    such sets (about 340 MB); shared before the caches are kept, the file holds each once.
    """
    sets, started = FieldSets(), time.monotonic()
    met = sum(
        sets.share(memo.get(key, _missing)) for key in KEPT if key in memo and key not in restored
    )
    _LOG.info("warm-up: models' field sets held once in %.1f s", time.monotonic() - started)
    return met


#: Writings of the warm caches tried while requests keep changing a value being pickled
#: (a cached property set on first use: "dictionary changed size during iteration").
_ATTEMPTS = 3


def keep(
    generation: Path,
    memo: Memo,
    *,
    quads: int,
    handed: Path | None = None,
    handed_keys: Collection[str] = (),
) -> bool:
    """Write the values of :data:`KEPT` that ``memo`` holds to ``generation``'s
    :data:`WARM_FILE`; ``False`` when it cannot be written (a read-only disk: the next
    server warms up from the store again).

    ``handed``: a file holding the pickled values of ``handed_keys`` (made by a child
    process, :mod:`serving.store_lane`), copied into the file as it is rather than pickled
    again; those keys' values in ``memo`` are not pickled.
    """
    values = {
        key: memo.get(key, _missing) for key in KEPT if key in memo and key not in handed_keys
    }
    # A server killed while writing left its temporary file; one still writing claims it.
    remove_unclaimed(generation.glob(f".{WARM_FILE}.*.tmp"))
    for _ in range(_ATTEMPTS):
        try:
            with replacing(generation / WARM_FILE, claim=True) as handle:
                handle.write(_header(quads))
                # Streamed into the file: no copy of the whole pickle in memory.
                pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)
                if handed is not None:
                    with handed.open("rb") as made:
                        shutil.copyfileobj(made, handle)
        except RuntimeError as exc:  # a visitor's request filled a lazy value meanwhile
            reason: Exception = exc
            continue  # the file was removed; lazy values fill once, so try again
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            reason = exc
            break
        return True
    _LOG.warning("the warm caches were not kept in %s: %s", generation, reason)
    return False
