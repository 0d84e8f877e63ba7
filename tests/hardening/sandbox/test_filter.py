"""The seccomp filter of :mod:`graph.sandbox`, tried in fresh processes (never in the test
process: it cannot be undone): after :func:`drop_network` no socket can be had, and
pyoxigraph's ``SERVICE`` and ``LOAD`` reach nothing; without it, the same code does reach
the listener, so the probe can tell."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap

import pytest

import graph.sandbox as sandbox
from tests.hardening.record import record_checks, record_inputs
from tests.hardening.sandbox.conftest import Listener

#: Run in a child: optionally drop the network, then try every way out; print what happened.
_PROBE = textwrap.dedent(
    """
    import ctypes, json, os, socket, sys
    import pyoxigraph as ox
    from graph.sandbox import drop_network

    url, sandboxed = sys.argv[1], sys.argv[2] == "1"
    applied = drop_network() if sandboxed else False
    seen = {"applied": applied}

    def attempt(name, action):
        try:
            action()
            seen[name] = "ok"
        except OSError as exc:
            seen[name] = exc.errno or str(exc)  # pyoxigraph's errors carry no errno

    for name, family in (("inet", socket.AF_INET), ("inet6", socket.AF_INET6),
                         ("unix", socket.AF_UNIX), ("netlink", socket.AF_NETLINK)):
        attempt(name, lambda f=family: socket.socket(f).close())
    attempt("socketpair", lambda: [s.close() for s in socket.socketpair()])
    libc = ctypes.CDLL(None, use_errno=True)
    for name, number, args in (("io_uring_setup", 425, (8, None)),
                               ("pidfd_getfd", 438, (-1, 0, 0)),
                               ("ptrace", 101, (3, 0, 0, 0))):  # PEEKUSER of no process
        result = libc.syscall(number, *args)
        seen[name] = ctypes.get_errno() if result == -1 else "ok"
    attempt("service", lambda: list(ox.Store().query(
        "SELECT * { SERVICE <" + url + "> { ?s ?p ?o } }")))
    attempt("load", lambda: ox.Store().update("LOAD <" + url + ">"))
    print(json.dumps(seen))
    """
)
#: Every way out the probe tries.
_WAYS = ("inet", "inet6", "unix", "netlink", "socketpair", "io_uring_setup", "pidfd_getfd",
         "ptrace", "service", "load")  # fmt: skip
EACCES = 13


def _probe(listener: Listener, sandboxed: bool) -> dict[str, object]:
    child = subprocess.run(
        [sys.executable, "-c", _PROBE, listener.url, "1" if sandboxed else "0"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    seen: dict[str, object] = json.loads(child.stdout)
    return seen


def test_after_drop_network_every_way_out_is_eacces(listener: Listener) -> None:
    seen = _probe(listener, sandboxed=True)
    assert seen["applied"] is True
    refused = {way: EACCES for way in _WAYS if way not in ("service", "load")}
    assert {way: seen[way] for way in refused} == refused
    assert seen["service"] == seen["load"] == "Permission denied (os error 13)"
    assert listener.hits == 0
    record_inputs("ways out of a sandboxed process (sockets, io_uring, SERVICE, LOAD …)", 10)


def test_without_the_filter_the_same_probe_reaches_the_listener(listener: Listener) -> None:
    """The control: the probe does connect when nothing stops it."""
    seen = _probe(listener, sandboxed=False)
    assert seen["applied"] is False
    assert seen["inet"] == seen["unix"] == "ok"
    assert EACCES not in (seen["io_uring_setup"], seen["pidfd_getfd"], seen["ptrace"])
    assert listener.hits >= 1


def test_this_platform_has_the_sandbox() -> None:
    sandbox.network_sandbox.cache_clear()
    assert sandbox.network_sandbox() == "seccomp"


def test_without_seccomp_one_warning_and_the_guard_only(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """As on macOS: nothing is loaded, one warning says the worker keeps the network."""

    def never(*_: object) -> None:
        raise AssertionError("the filter must not be built here")

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(sandbox, "_build_filter", never)
    sandbox.network_sandbox.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="graph.sandbox"):
            assert sandbox.drop_network() is False
        assert sandbox.network_sandbox() == "guard only"
    finally:
        sandbox.network_sandbox.cache_clear()
    [record] = caplog.records
    assert "can still open network connections" in record.getMessage()
    assert "Linux only, not on darwin" in record.getMessage()


def test_a_kernel_that_refuses_the_filter_is_a_warning_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class Refused:
        def load(self) -> None:
            raise OSError(22, "Invalid argument")

    monkeypatch.setattr(sandbox, "_build_filter", Refused)
    with caplog.at_level(logging.WARNING, logger="graph.sandbox"):
        assert sandbox.drop_network() is False
    assert "the kernel refused the seccomp filter" in caplog.records[0].getMessage()
    record_checks("workers without seccomp start with one warning (guard only)", 2)
