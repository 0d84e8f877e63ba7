"""``docs/reliability.md`` from one command: run the hostile tests, then write what they tried.

Run::

    .venv/bin/python -m bench.reliability

It runs ``pytest`` on ``tests/hardening`` and on every other test module that records into
the tally (the store fault tests of ``tests/graph`` …) with a JUnit XML report
(``var/reliability/junit.xml``), in which each test's records are its user properties
(:mod:`tests.hardening.record`), and rewrites the document:

* **inputs tried** — hostile inputs by class, with counts;
* **faults injected** — killed builds, a full disk, damaged and foreign stores, a held
  lock, workers killed at the timeout, new builds swapped in under load …;
* **load held** — the last soak (``var/reliability/soak.json``, written by
  ``python -m bench.soak``), if there is one;
* **data lost** — zero when every check that data survived passed and no test failed;
* **known bugs** — the strict ``xfail`` tests, with their reasons.

Tests record only after their assertions passed, so the counts are of inputs and faults
that were handled as they should be. The command exits 1 when a test failed (the document
then says so).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from bench.soak import JSON as SOAK_JSON
from bench.soak import SoakResult, render
from graph import REPO_ROOT
from graph.files import write_atomically
from tests.hardening.record import read_tally

__all__ = ["TestRun", "document", "main", "recording_modules", "run_tests"]

DOC = REPO_ROOT / "docs" / "reliability.md"
JUNIT = REPO_ROOT / "var" / "reliability" / "junit.xml"
#: What a test module imports to record into the tally.
_RECORDS = "from tests.hardening.record import"


@dataclass
class TestRun:
    """What pytest reported: counts, failures, known bugs (xfail reasons) and time."""

    passed: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    known_bugs: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether no test failed (and some ran)."""
        return not self.failed and self.passed > 0


def recording_modules(tests: Path = REPO_ROOT / "tests") -> list[Path]:
    """The test modules outside ``tests/hardening`` that record into the tally."""
    hardening = tests / "hardening"
    return sorted(
        path
        for path in tests.rglob("test_*.py")
        if hardening not in path.parents and _RECORDS in path.read_text(encoding="utf-8")
    )


def run_tests(junit: Path = JUNIT) -> TestRun:
    """Run the hostile tests; what pytest reported (the tally is in ``junit``)."""
    junit.unlink(missing_ok=True)
    junit.parent.mkdir(parents=True, exist_ok=True)
    targets = [REPO_ROOT / "tests" / "hardening", *recording_modules()]
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}",
        *(str(t.relative_to(REPO_ROOT)) for t in targets),
    ]  # fmt: skip
    print("$", " ".join(command[2:]), flush=True)
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    subprocess.run(command, cwd=REPO_ROOT, env=env, check=False)
    outcome = read_junit(junit)
    outcome.seconds = time.monotonic() - started
    return outcome


def read_junit(path: Path) -> TestRun:
    """The counts and names of a pytest JUnit XML report."""
    outcome = TestRun()
    if not path.exists():
        outcome.failed.append("pytest wrote no report")
        return outcome
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        if case.find("failure") is not None or case.find("error") is not None:
            outcome.failed.append(name)
        elif (skipped := case.find("skipped")) is not None:
            if skipped.get("type") == "pytest.xfail":
                outcome.known_bugs.append((name, skipped.get("message", "")))
            else:
                outcome.skipped.append(f"{name}: {skipped.get('message', '')}")
        else:
            outcome.passed += 1
    return outcome


#: What the probes of outside access, bounded work and protocol conformance assert: the
#: outcome behind their counts above (each test fails if it does not hold).
_OUTSIDE_AND_BOUNDS = [
    "## Outside access, bounded work, protocol conformance",
    "",
    "- **SERVICE, LOAD and outside FROM, in generated spellings** (dots, CR-ended comments, "
    "glued punctuation, case, `\\u` escapes, prefixed, relative and BASE-resolved IRIs), on "
    "every channel (GET, the GET fast path, POST form, POST direct, the `/query` permalink, "
    "updates for a token holder): a loopback listener is reached **0 times**; queries get "
    "400 and updates 403, each with a one-line reason.",
    "- **The same with the guards switched off** (a server whose guard is a no-op): the "
    "query workers, update children and figure renderers run under a seccomp filter that "
    "refuses every socket, so the listener is still reached **0 times**.",
    "- **Nesting and size**: queries and updates nested past 64 brackets or holding more "
    "than 1,000 operators are refused with 400 before any parser sees them; an update that "
    "still crashes the engine (guard bypassed) kills only its child, and the server answers "
    "the next request. Updates stop at 5 s (503), 10,000 changed triples and 1 GiB (400).",
    "- **Heavy work**: 50 concurrent `/viz/overview?format=png` requests leave `/healthz` "
    "under 1 s in every poll and the server under 300 MB (800 MB with its renderer "
    "children); distinct figures past the queue get 503 with `Retry-After`.",
    "- **Edits**: a full disk at each of nine commit steps, or a SIGKILL at three, leaves the "
    "edit either wholly there (it was answered 204) or wholly absent, and two restarts in a "
    "row succeed; edits that describe ontology terms or borrow another graph's blank nodes "
    "are refused.",
    "- **W3C manifests**: the SPARQL 1.1 Protocol tests (27 pass, 7 refused by policy with "
    "the right 4xx and nothing written) and the Graph Store Protocol tests (7 pass, 7 "
    "refused by policy) run against a real `policygraph serve` "
    "(`tests/w3c/`, with their licence).",
    "",
]


def _lower(row: tuple[str, int]) -> str:
    return row[0].lower()


def _table(rows: dict[str, int], what: str) -> list[str]:
    if not rows:
        return ["(none recorded)"]
    lines = [f"| {what} | count |", "|---|--:|"]
    lines += [f"| {kind} | {count:,} |" for kind, count in sorted(rows.items(), key=_lower)]
    lines.append(f"| **total** | **{sum(rows.values()):,}** |")
    return lines


def document(outcome: TestRun, tally_path: Path = JUNIT, soak: Path = SOAK_JSON) -> str:
    """The whole of ``docs/reliability.md`` for a test run and the tally it left."""
    tally = read_tally(tally_path)
    known = sorted({reason for _, reason in outcome.known_bugs})
    status = (
        f"{outcome.passed} tests passed, none failed"
        if outcome.ok
        else f"**{len(outcome.failed)} tests FAILED**, {outcome.passed} passed"
    )
    lines = [
        "# Reliability",
        "",
        "What the hardening tests throw at policygraph, and what held. Generated by "
        "`.venv/bin/python -m bench.reliability` (it runs the tests; do not edit by hand); "
        "the load figures come from the last `.venv/bin/python -m bench.soak`.",
        "",
        f"Last run: {time.strftime('%Y-%m-%d')}, {status}"
        f"{f', {len(outcome.known_bugs)} known-bug tests (xfail)' if outcome.known_bugs else ''}"
        f" in {outcome.seconds / 60:.1f} min ({platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}). Tests count an input, a fault or a check only "
        "after their assertions passed.",
        "",
        "## Inputs tried",
        "",
        "Hostile inputs by class: requests, payloads, queries and paths, each answered as "
        "it should be (refused with a 4xx, escaped, cut, or answered — never a 5xx other "
        "than a query timeout's 503, never a hang).",
        "",
        *_table(tally["inputs"], "input"),
        "",
        "## Faults injected",
        "",
        "Faults around the store, the builds and the query workers; after each the server or "
        "the command goes on, or stops with a one-line error, and the store is whole.",
        "",
        *_table(tally["faults"], "fault"),
        "",
    ]
    lines += _OUTSIDE_AND_BOUNDS
    if soak.exists():
        lines += render(SoakResult.read(soak)).rstrip("\n").split("\n")
    else:
        lines += ["## Load held", "", "No soak yet: run `.venv/bin/python -m bench.soak`."]
    lost = "**0**" if outcome.ok else "**unknown — a test failed, see below**"
    lines += [
        "",
        "## Data lost",
        "",
        f"{lost}. Checked, not assumed: after each fault the tests read the data back — the "
        "store's quad count is the same after every killed build, the previous store answers "
        "after a full disk, a refused or invalid write leaves the edits file untouched, an "
        "accepted edit survives a restart and a rebuild, every new build is served and no "
        "reader sees an older build after a newer one. Each check below passed this many "
        "times; any failure fails its test and this command.",
        "",
        *_table(tally["checks"], "check that data survived"),
        "",
    ]
    if known:
        lines += [
            "## Known bugs",
            "",
            "Pinned by strict `xfail` tests (each fails once the bug is fixed, to be "
            "turned into a plain test):",
            "",
            *(f"- {reason}" for reason in known),
            "",
        ]
    if outcome.failed or outcome.skipped:
        lines += ["## Not passed", ""]
        lines += [f"- FAILED {name}" for name in outcome.failed]
        lines += [f"- skipped {name}" for name in outcome.skipped]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """The command line: run the tests, write the document, exit 1 if a test failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.reliability", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--doc", type=Path, default=DOC, help="the document to write")
    args = parser.parse_args(argv)
    outcome = run_tests()
    text = document(outcome)
    write_atomically(args.doc, text.encode("utf-8"))
    print(text)
    if not outcome.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
