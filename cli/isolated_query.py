"""``policygraph query`` runs the user's query in a child process, so an engine crash ends
with a one-line error instead of taking the command down.

pyoxigraph 0.5.13 aborts the whole process (a Rust panic, not an exception) on some
``ORDER BY`` over values of mixed kinds — see docs/engine-issues.md. Nothing in the
calling process can catch that, so the command hands the query to a fresh ``python``
(``python -m cli.isolated_query``, the request as JSON on stdin) that opens the store,
runs and renders the query and writes the bytes to stdout. The parent prints them only
when the child succeeded, so a crash prints nothing half-done.

The child's outcome, as the parent reports it:

* exit 0: its output is the answer;
* a :class:`~graph.errors.PolicyGraphError` (a malformed query, an unknown store …):
  the child writes the message as JSON on stdout and exits with status
  :data:`USER_ERROR`; the parent raises :class:`ChildError` with the same message;
* killed by a signal (the engine's abort is ``SIGABRT``): :class:`EngineCrashError`, one
  line naming the signal and the panic message, with the work-around when it is the
  known sorting panic;
* anything else is a bug: its stderr (with the traceback) is passed through unchanged.

Cost: one more Python start (imports, opening the store) per query.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass

from graph.errors import PolicyGraphError

__all__ = ["ChildError", "EngineCrashError", "QueryRequest", "run_isolated"]

#: The child's exit status for "stdout holds a user's error as JSON", not an answer.
USER_ERROR = 86
#: What Rust prints when a sort's comparison is not a total order (the known panic).
TOTAL_ORDER_PANIC = "does not correctly implement a total order"
_WORKAROUND = (
    "; sorting by values of mixed kinds (numbers with dates or text) triggers it: "
    "sort by STR(?x) instead (docs/engine-issues.md)"
)


@dataclass(frozen=True)
class QueryRequest:
    """What the child runs: the query, how to render it, and on which store."""

    sparql: str
    fmt: str
    labels: bool
    lang: str
    store: str


class ChildError(PolicyGraphError):
    """A user's error found in the child (its message and exit code, passed on)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class EngineCrashError(PolicyGraphError):
    """The query engine killed the child process (a panic or another fatal signal)."""


def run_isolated(request: QueryRequest) -> bytes:
    """Run ``request`` in a child process and return its rendered results.

    :raises ChildError: the query, format or store is at fault (one line, as in-process).
    :raises EngineCrashError: the engine crashed on the query; nothing was written.
    """
    child = subprocess.run(
        [sys.executable, "-m", __name__],
        input=json.dumps(asdict(request)).encode(),
        capture_output=True,
        check=False,
    )
    stderr = child.stderr.decode("utf-8", errors="replace")
    if child.returncode < 0:
        raise EngineCrashError(_crash_message(-child.returncode, stderr))
    sys.stderr.write(stderr)  # warnings; for a bug, its traceback, as in-process
    if child.returncode == 0:
        return child.stdout
    if child.returncode == USER_ERROR:
        error = json.loads(child.stdout)
        raise ChildError(error["message"], error["exit_code"])
    raise SystemExit(child.returncode)


def _crash_message(signum: int, stderr: str) -> str:
    """One line: which signal ended the child, the engine's panic message if it printed
    one, and the work-around for the known sorting panic."""
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    panic = next((line.strip() for line in stderr.splitlines() if TOTAL_ORDER_PANIC in line), None)
    message = f"the query engine crashed on this query ({name}"
    message += f': "{panic}")' if panic else ")"
    message += "; nothing was printed"
    return message + (_WORKAROUND if panic else "")


def _serve(request: QueryRequest) -> bytes:
    """Run the query in this (child) process: what ``policygraph query`` did in-process."""
    from graph.query import render_results
    from graph.query.labels import render_labelled
    from graph.store import open_store

    graph_store = open_store(request.store)
    try:
        result = graph_store.query(request.sparql)
        if request.labels:
            return render_labelled(result, graph_store, request.fmt, request.lang)  # type: ignore[arg-type]
        return render_results(result, request.fmt)
    finally:
        graph_store.close()


def main() -> None:  # pragma: no cover - runs in the child process
    """The child: read a :class:`QueryRequest` as JSON on stdin, write the answer."""
    request = QueryRequest(**json.loads(sys.stdin.buffer.read()))
    try:
        data = _serve(request)
    except PolicyGraphError as exc:
        json.dump({"message": str(exc), "exit_code": exc.exit_code}, sys.stdout)
        sys.exit(USER_ERROR)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
