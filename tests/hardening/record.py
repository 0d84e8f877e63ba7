"""The tally behind ``docs/reliability.md``: what the hardening tests tried, and what held.

Tests record after their assertions passed, so the tally counts only what was handled as
it should be. Three tables, each class → count:

* ``inputs`` (:func:`record_inputs`): hostile inputs sent — requests, payloads, queries;
* ``faults`` (:func:`record_faults`): faults injected — killed builds, a full disk, a
  damaged store, a killed worker, a store swapped in under load …;
* ``checks`` (:func:`record_checks`): checks that no data was lost — the store whole after
  a fault, nothing written by a refused edit, every build served.

A record goes through pytest's own reporting, not a file: it is a *user property* of the
running test (``reliability.TABLE`` → ``[class, count]`` as JSON), which pytest writes into
its JUnit XML report when asked for one (``--junitxml=PATH``). :mod:`bench.reliability`
asks for one and sums the properties of the tests that passed (:func:`read_tally`); a run
without ``--junitxml`` writes nothing anywhere. The fixture that points the records at the
running test is in ``tests/conftest.py`` (:func:`recording`).
"""

from __future__ import annotations

import contextlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

__all__ = [
    "BREAKOUT_INPUTS",
    "HOSTILE_PAGES",
    "PROPERTY_PREFIX",
    "TABLES",
    "read_tally",
    "record_checks",
    "record_faults",
    "record_inputs",
    "recording",
]

Table = Literal["inputs", "faults", "checks"]
#: Classes of inputs that several test modules count.
BREAKOUT_INPUTS = "break-outs in URL parameters (slugs, named-query values, search)"
HOSTILE_PAGES = (
    "pages and views rendered over hostile data (script tags, attribute break-outs, "
    "javascript: links)"
)
TABLES: tuple[Table, ...] = ("inputs", "faults", "checks")
#: The user properties of the tally are named ``reliability.TABLE``.
PROPERTY_PREFIX = "reliability."

#: The user properties of the running test (``None`` outside a test).
_current: list[tuple[str, object]] | None = None


@contextlib.contextmanager
def recording(properties: list[tuple[str, object]]) -> Iterator[None]:
    """Records made in the block go to ``properties`` (a test's ``user_properties``)."""
    global _current
    previous, _current = _current, properties
    try:
        yield
    finally:
        _current = previous


def record_inputs(kind: str, count: int) -> None:
    """Add ``count`` hostile inputs of class ``kind`` to the running test's report."""
    _add("inputs", kind, count)


def record_faults(kind: str, count: int) -> None:
    """Add ``count`` injected faults of class ``kind``."""
    _add("faults", kind, count)


def record_checks(kind: str, count: int) -> None:
    """Add ``count`` passed checks that no data was lost, of class ``kind``."""
    _add("checks", kind, count)


def read_tally(junit: Path) -> dict[Table, dict[str, int]]:
    """The three tables summed over the tests that passed in the JUnit XML report ``junit``
    (empty tables for a missing or unreadable report).

    >>> import tempfile
    >>> report = Path(tempfile.mkdtemp()) / "junit.xml"
    >>> _ = report.write_text('<testsuites><testsuite><testcase name="a"><properties>'
    ...     '<property name="reliability.faults" value=\\'["killed builds", 2]\\'/>'
    ...     '</properties></testcase><testcase name="b"><properties>'
    ...     '<property name="reliability.faults" value=\\'["killed builds", 5]\\'/>'
    ...     '</properties><failure/></testcase></testsuite></testsuites>')
    >>> read_tally(report)["faults"], read_tally(report)["inputs"]
    ({'killed builds': 2}, {})
    """
    tally: dict[Table, dict[str, int]] = {table: {} for table in TABLES}
    try:
        cases = list(ET.parse(junit).getroot().iter("testcase"))
    except (OSError, ET.ParseError):
        return tally
    for case in cases:
        if any(case.find(tag) is not None for tag in ("failure", "error", "skipped")):
            continue
        for prop in case.iter("property"):
            table = prop.get("name", "").removeprefix(PROPERTY_PREFIX)
            if table not in TABLES or not prop.get("name", "").startswith(PROPERTY_PREFIX):
                continue
            kind, count = json.loads(prop.get("value", "[]"))
            rows = tally[table]  # type: ignore[index]
            rows[kind] = rows.get(kind, 0) + int(count)
    return tally


def _add(table: Table, kind: str, count: int) -> None:
    if _current is not None:  # outside a test (a doctest, a script) there is no report
        _current.append((PROPERTY_PREFIX + table, json.dumps([kind, count], ensure_ascii=False)))
