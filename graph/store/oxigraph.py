"""The pyoxigraph adapters: embedded on disk (the default) and in memory.

SPARQL goes to Oxigraph's own engine as a string, with the contract's prefixes known.

>>> store = OxigraphStore.memory()
>>> store.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en } }')
>>> [str(row["l"].value) for row in store.query("SELECT ?l WHERE { id:kor rdfs:label ?l }")]
['Korea']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.errors import QuerySyntaxError, StoreError
from graph.iris import PREFIXES
from graph.store.port import QueryResult

__all__ = ["OxigraphStore"]


class OxigraphStore:
    """A :class:`~graph.store.port.GraphStore` on a ``pyoxigraph.Store``."""

    def __init__(
        self, store: ox.Store, *, location: Path | None = None, writable: bool = True
    ) -> None:
        self._store: ox.Store | None = store
        self.location = location
        self.writable = writable
        # A read-only store never changes: its size and graph names are read once (counting
        # the quads walks the whole store; pages and /sparql ask on every request).
        self._size: int | None = None
        self._graph_names: list[str] | None = None

    @classmethod
    def memory(cls) -> OxigraphStore:
        """A fresh, empty store that lives in memory (tests, tiny data)."""
        return cls(ox.Store())

    @classmethod
    def open(cls, directory: Path, *, read_only: bool = True) -> OxigraphStore:
        """Open the on-disk store in ``directory``.

        :raises StoreError: the directory does not hold a store or cannot be opened (for
            example because another process holds it for writing).
        """
        try:
            if read_only:
                if not directory.is_dir():
                    raise StoreError(f"no store at {directory}: run `policygraph build` first")
                store = ox.Store.read_only(str(directory))
            else:
                store = ox.Store(str(directory))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise StoreError(
                f"cannot open the store at {directory} ({exc}); if no other process holds it, "
                f"rebuild it with `policygraph build`"
            ) from exc
        return cls(store, location=directory, writable=not read_only)

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query on Oxigraph's engine (see :class:`GraphStore`)."""
        substitutions: (
            dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None
        ) = {ox.Variable(name): value for name, value in bindings.items()} if bindings else None
        named: list[ox.NamedNode | ox.BlankNode] | None = (
            [ox.NamedNode(iri) for iri in named_graphs] if named_graphs is not None else None
        )
        try:
            if default_graphs is not None:  # an explicit dataset, possibly an empty default graph
                return self.raw.query(
                    sparql,
                    base_iri=base_iri,
                    prefixes=PREFIXES,
                    default_graph=[ox.NamedNode(iri) for iri in default_graphs],
                    named_graphs=named,
                    substitutions=substitutions,
                )
            return self.raw.query(
                sparql,
                base_iri=base_iri,
                prefixes=PREFIXES,
                use_default_graph_as_union=True,
                named_graphs=named,
                substitutions=substitutions,
            )
        except SyntaxError as exc:
            raise QuerySyntaxError(f"malformed SPARQL query: {exc}") from exc
        except RuntimeError as exc:  # e.g. an unknown function, a bound variable not projected
            raise QuerySyntaxError(f"the query cannot be evaluated: {exc}") from exc

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (see :class:`GraphStore`)."""
        try:
            self.raw.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"malformed SPARQL update: {exc}") from exc

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction."""
        self.raw.extend(quads)

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads with Oxigraph's bulk loader: several times quicker, not one transaction
        (for a store no one else reads yet, such as a build's new store)."""
        self.raw.bulk_extend(quads)

    def graph_names(self) -> list[str]:
        """The IRIs of the non-empty named graphs, sorted."""
        if self._graph_names is not None:
            return list(self._graph_names)
        names = sorted(g.value for g in self.raw.named_graphs() if isinstance(g, ox.NamedNode))
        if not self.writable:
            self._graph_names = names
        return list(names)

    def __len__(self) -> int:
        if self._size is not None:
            return self._size
        size = len(self.raw)
        if not self.writable:
            self._size = size
        return size

    def flush(self) -> None:
        """Write everything to disk (a no-op in memory)."""
        if self.location is not None and self.writable:
            self.raw.flush()

    def close(self) -> None:
        """Release the store; pyoxigraph closes RocksDB when the object is collected."""
        if self._store is not None:
            self.flush()
        self._store = None
