"""The one error hierarchy of policygraph.

Every error a user can cause is a :class:`PolicyGraphError`; the CLI prints its message on
one line and exits with :attr:`PolicyGraphError.exit_code`, the API maps it to a status in one
exception handler. Anything else is a bug and keeps its traceback.

::

    PolicyGraphError
    ├── StoreError            the store path is missing, locked, unwritable or corrupt
    ├── DataSyntaxError       a Turtle file does not parse (file, line, column)
    ├── ValidationError       the data violates the SHACL shapes (a readable report)
    │   └── EditRejectedError     an update would make the data violate them (nothing written)
    ├── QuerySyntaxError      a SPARQL query does not parse (the parser's position)
    ├── QueryRefusedError     a query would reach outside the dataset (SERVICE, LOAD …)
    │   └── UpdateRefusedError    an update refused: updates off, wrong token, other graph
    │       └── UpdateUnauthorizedError   an update without a bearer token
    ├── QueryTimeoutError     a query (and its serialisation) ran past its time limit
    ├── UnknownEntityError    no entity has this slug
    ├── UsageError            a bad option value: unknown format, unwritable output …
    └── EvidenceError         the evidence checker cannot run (source file missing …)
"""

from __future__ import annotations

__all__ = [
    "DataSyntaxError",
    "EditRejectedError",
    "EvidenceError",
    "PolicyGraphError",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "StoreError",
    "UnknownEntityError",
    "UpdateRefusedError",
    "UpdateUnauthorizedError",
    "UsageError",
    "ValidationError",
]


class PolicyGraphError(Exception):
    """A problem the user can fix; its message is one readable line (or a short report)."""

    exit_code: int = 2


class StoreError(PolicyGraphError):
    """The store cannot be opened, written or swapped."""


class DataSyntaxError(PolicyGraphError):
    """A data file does not parse; the message names the file, line and column."""


class ValidationError(PolicyGraphError):
    """The data does not conform to the SHACL shapes."""


class EditRejectedError(ValidationError):
    """An update (or Graph Store write) would leave data that violates the shapes."""


class QuerySyntaxError(PolicyGraphError):
    """A SPARQL query or update does not parse."""


class QueryRefusedError(PolicyGraphError):
    """A query asks for something the server never does (remote fetches, updates)."""


class UpdateRefusedError(QueryRefusedError):
    """A SPARQL update is refused: updates are off, the token is wrong, or it would write
    outside the ``edits`` graph."""


class UpdateUnauthorizedError(UpdateRefusedError):
    """A SPARQL update (or Graph Store write) came without ``Authorization: Bearer``."""


class QueryTimeoutError(PolicyGraphError):
    """A query (with the serialisation of its results) took longer than allowed."""


class UnknownEntityError(PolicyGraphError):
    """No entity has the given slug."""


class UsageError(PolicyGraphError):
    """A command-line or API parameter has a value that cannot be used."""


class EvidenceError(PolicyGraphError):
    """The evidence check cannot be run."""
