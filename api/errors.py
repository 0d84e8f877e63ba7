"""How the one error tree of :mod:`graph.errors` becomes HTTP: one table, one handler.

=========================  ======
error                      status
=========================  ======
UnknownEntityError         404
NotAcceptableError         406
UnsupportedMediaTypeError  415
UpdateUnauthorizedError    401 (with ``WWW-Authenticate: Bearer``)
UpdateRefusedError         403
EditRejectedError          422
QueryTimeoutError          503
StoreError                 503
any other PolicyGraphError 400
=========================  ======

The body is JSON ``{"error": message}``.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from graph.errors import (
    EditRejectedError,
    PolicyGraphError,
    QueryTimeoutError,
    StoreError,
    UnknownEntityError,
    UpdateRefusedError,
    UpdateUnauthorizedError,
    UsageError,
)

__all__ = ["NotAcceptableError", "UnsupportedMediaTypeError", "error_response", "status_of"]


class NotAcceptableError(UsageError):
    """No representation the client accepts (``Accept`` or ``?format=``) exists."""


class UnsupportedMediaTypeError(UsageError):
    """A request body comes in a media type the route does not read."""


_STATUS: dict[type[PolicyGraphError], int] = {
    UnknownEntityError: 404,
    NotAcceptableError: 406,
    UnsupportedMediaTypeError: 415,
    UpdateUnauthorizedError: 401,
    UpdateRefusedError: 403,
    EditRejectedError: 422,
    QueryTimeoutError: 503,
    StoreError: 503,
}


def status_of(exc: PolicyGraphError) -> int:
    """The HTTP status for ``exc``: the first matching row of the table, else 400."""
    return next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)


async def error_response(request: Request, exc: PolicyGraphError) -> JSONResponse:
    """The exception handler for every :class:`~graph.errors.PolicyGraphError`."""
    headers = (
        {"WWW-Authenticate": 'Bearer realm="policygraph edits"'}
        if isinstance(exc, UpdateUnauthorizedError)
        else None
    )
    return JSONResponse({"error": str(exc)}, status_code=status_of(exc), headers=headers)
