"""Drop the right to open network sockets: the sandbox of the query and update workers.

The guard (:mod:`graph.query.guard`) refuses ``SERVICE``, ``LOAD`` and outside ``FROM``
before a query runs. This is the second line: the processes that *evaluate* queries and
updates call :func:`drop_network` first thing, and from then on the kernel refuses them
every way of getting a socket, so a spelling the guard missed still fetches nothing —
pyoxigraph's HTTP client gets ``EACCES`` and the query or update fails.

The filter is a seccomp-bpf program (through ``pyseccomp``, a ctypes binding of
``libseccomp.so.2``); every system call not named here is allowed. Refused with
``EACCES``:

* ``socket`` and ``socketpair``, in every domain: the workers never make a socket (their
  pipe to the server is inherited), and refusing ``AF_UNIX`` too keeps local services
  (a proxy, ``docker.sock``, the D-Bus bus) out of reach;
* ``io_uring_setup``/``_enter``/``_register``: an io_uring can open and connect a socket
  (``IORING_OP_SOCKET``) without the ``socket`` system call;
* ``pidfd_getfd``: it copies an open descriptor — the server's listening socket, say —
  out of another process of the same user;
* ``ptrace`` and ``process_vm_writev``: they would let a worker make another process
  (which has network) do the connecting.

Nor can a worker use a socket it already holds: it inherits only its pipes (``subprocess``
closes every other descriptor), and the server never passes it one. System calls of
another ABI (i386 ``int 0x80``, where ``socketcall`` lives, or x32) kill
the process: the filter is written for the native one only.

Where seccomp cannot be had — not Linux (macOS: ``pyseccomp`` is not installed), no
``libseccomp.so.2``, or a kernel without seccomp filters — :func:`drop_network` logs one
warning and returns ``False``; the worker then runs with the guard only, and
:func:`network_sandbox` (shown by ``/healthz``) says so.

Cost, measured on this project's 2-core machine: importing ``pyseccomp`` (it looks up
``libseccomp.so.2`` with ``ldconfig``) about 15 ms and building the filter about 4 ms, once
per worker start (a start takes about 0.5 s in all); loading it 0.07 ms; a system call
about 10 ns slower (``getppid``: 130 ns against 123 ns); per query nothing measurable.
"""

from __future__ import annotations

import errno
import functools
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyseccomp

__all__ = ["REFUSED_CALLS", "drop_network", "network_sandbox"]

_LOG = logging.getLogger(__name__)

#: The system calls a sandboxed process may no longer make (each fails with ``EACCES``).
REFUSED_CALLS: tuple[str, ...] = (
    "socket",
    "socketpair",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "pidfd_getfd",
    "ptrace",
    "process_vm_writev",
)
#: What :func:`network_sandbox` answers for each state.
SECCOMP, GUARD_ONLY = "seccomp", "guard only"


def drop_network() -> bool:
    """Make this process unable to open network connections, for good (its children too).

    Call it first thing in a worker process, never in the server: it cannot be undone.
    Returns whether the filter is in force; without seccomp it logs one warning and
    returns ``False`` (the process then relies on the guard alone).
    """
    reason = _unavailable()
    if reason is None:
        try:
            _build_filter().load()
            return True
        except OSError as exc:  # a kernel without seccomp filters, or one that refuses it
            reason = f"the kernel refused the seccomp filter ({exc})"
    _LOG.warning(
        "this worker can still open network connections: %s; only the query guard keeps "
        "SERVICE and LOAD from fetching",
        reason,
    )
    return False


@functools.cache
def network_sandbox() -> str:
    """``"seccomp"`` when worker processes on this platform lose the network (the filter
    can be built and the kernel has seccomp filters), else ``"guard only"``.

    Checked in the calling process without loading anything into it.
    """
    if _unavailable() is not None:
        return GUARD_ONLY
    try:
        _build_filter()
    except OSError:
        return GUARD_ONLY
    return SECCOMP if _kernel_has_seccomp() else GUARD_ONLY


def _unavailable() -> str | None:
    """Why seccomp cannot be used here, or ``None`` when the binding loads."""
    if not sys.platform.startswith("linux"):
        return f"seccomp exists on Linux only, not on {sys.platform}"
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, RuntimeError, OSError) as exc:  # RuntimeError: no libseccomp.so.2
        return f"the seccomp library cannot be loaded ({exc})"
    return None


def _build_filter() -> pyseccomp.SyscallFilter:
    """The filter: allow everything but :data:`REFUSED_CALLS`, which fail with EACCES."""
    import pyseccomp

    program = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    # Every thread, if the process has started any; another ABI's calls kill the process.
    program.set_attr(pyseccomp.Attr.CTL_TSYNC, 1)
    program.set_attr(pyseccomp.Attr.ACT_BADARCH, pyseccomp.KILL_PROCESS)
    for call in REFUSED_CALLS:
        program.add_rule(pyseccomp.ERRNO(errno.EACCES), call)
    return program


def _kernel_has_seccomp() -> bool:
    """Whether the kernel reports a seccomp mode for this process (``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            return any(line.startswith("Seccomp:") for line in status)
    except OSError:
        return False
