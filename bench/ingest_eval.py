"""Ingest evaluation: the Vision Group report ingested as if it were new.

Run: ``.venv/bin/python -m bench.ingest_eval [--sample-out FILE] [--misses]`` — builds a fresh store of
``graph/data/`` in a temporary directory, ingests the report's text into a temporary data
directory with that store's names as the gazetteer, and prints (docs/ingest.md explains
the method):

- recall of the (entity, passage) pairs the curated evidence cites for actors and
  frameworks, under three definitions (A: the entity's own ``pg:evidence``; B: A plus the
  membership passages of the member and the affiliation passages of the person; C: B plus
  the membership passages of the framework and the affiliation passages of the organisation);
  with ``--misses``, the pairs of A not found, with the text of their lines;
- precision on the seeded random sample of 100 linked mentions whose verdicts are recorded
  by hand in docs/ingest-precision-sample.md (``--sample-out`` writes the sample's rows for
  a new hand check, without verdicts);
- the time of the whole ingest (tokenizers loaded cold) and of ``policygraph ingest`` as a
  process, wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from graph import DATA_DIR, DEFAULT_SOURCE, REPO_ROOT
from graph.build import build_store
from graph.ingest.ingest import ingest_file
from graph.ingest.model import ReviewItem
from graph.iris import slug_of
from graph.store import open_store
from graph.store.port import GraphStore

SEED = 20261207
SAMPLE_SIZE = 100
SAMPLE_FILE = REPO_ROOT / "docs" / "ingest-precision-sample.md"
SLUG = "report-as-new"

#: Which curated passages count as citing an entity, by definition (see the docstring).
_DEFINITIONS = {
    "A": "?e pg:evidence ?p .",
    "B": "{ ?e pg:evidence ?p } UNION { ?n pg:member|pg:person ?e ; pg:evidence ?p }",
    "C": "{ ?e pg:evidence ?p } UNION "
    "{ ?n pg:member|pg:person|pg:framework|pg:organization ?e ; pg:evidence ?p }",
}

_PAIRS = """
SELECT DISTINCT ?e ?start ?end WHERE {
    %s
    ?p pg:inDocument id:jkvg2025 ; pg:lineStart ?start ; pg:lineEnd ?end .
    { ?e a pg:Actor } UNION { ?e a pg:Framework }
    FILTER (isIRI(?e))
}
"""


def cited_pairs(store: GraphStore, definition: str) -> set[tuple[str, int, int]]:
    """(entity IRI, first line, last line) of each curated passage citing an actor or a
    framework under ``definition`` (A, B or C)."""
    result = store.query(_PAIRS % _DEFINITIONS[definition])
    assert isinstance(result, ox.QuerySolutions)
    return {(r["e"].value, int(r["start"].value), int(r["end"].value)) for r in result}


def linked_lines(items: list[ReviewItem]) -> dict[str, set[int]]:
    """Entity IRI → the lines of its linked mentions (linked automatically)."""
    lines: dict[str, set[int]] = {}
    for item in items:
        if item.kind == "mention" and item.entity and item.status == "AutoLinked":
            for passage in item.passages:
                span = range(passage.line_start, passage.line_end + 1)
                lines.setdefault(item.entity, set()).update(span)
    return lines


def recall(pairs: set[tuple[str, int, int]], lines: dict[str, set[int]]) -> tuple[int, int]:
    """How many pairs have a linked mention of their entity on one of their lines."""
    found = sum(bool(lines.get(e, set()) & set(range(a, b + 1))) for e, a, b in pairs)
    return found, len(pairs)


def missed_pairs(pairs: set[tuple[str, int, int]], lines: dict[str, set[int]], source: Path) -> str:
    """The pairs not found, one a line: the entity's slug, the lines, their text."""
    text = source.read_text(encoding="utf-8").splitlines()
    rows = []
    for entity, first, last in sorted(pairs, key=lambda p: (p[1], p[0])):
        if not lines.get(entity, set()) & set(range(first, last + 1)):
            cited = "".join(line.strip() for line in text[first - 1 : last])
            rows.append(f"  missed {slug_of(entity)} {first}-{last}: {cited[:120]}")
    return "\n".join(rows)


def sample(items: list[ReviewItem]) -> list[ReviewItem]:
    """The seeded random sample of linked mentions checked by hand."""
    linked = [i for i in items if i.kind == "mention" and i.entity]
    return sorted(random.Random(SEED).sample(linked, SAMPLE_SIZE), key=lambda i: int(i.key[1:]))


def sample_rows(items: list[ReviewItem]) -> str:
    """The sample as Markdown table rows, verdict column empty."""
    rows = []
    for item in items:
        passage = item.passages[0]
        rows.append(
            f"| {item.key} | {slug_of(item.entity or '')} | {item.text} | {passage.line_start} "
            f"| {passage.quote.replace('|', '¦')} |  |  |"
        )
    return "\n".join(rows)


def verdicts(path: Path = SAMPLE_FILE) -> dict[tuple[str, str, int], str]:
    """(item key, entity slug, line) → the hand verdict (``yes`` or ``no``) in ``path``; a
    verdict counts only for the same mention (the key alone could shift with the code)."""
    found: dict[tuple[str, str, int], str] = {}
    if not path.is_file():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and re.fullmatch(r"m\d+", cells[0]) and cells[5] in ("yes", "no"):
            found[(cells[0], cells[1], int(cells[3]))] = cells[5]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample-out", type=Path, help="write the sample's rows here")
    parser.add_argument(
        "--misses", action="store_true", help="list the pairs of definition A not found"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "store"
        build_store([DATA_DIR], store_path)
        store = open_store(store_path)
        data = Path(tmp) / "data"
        started, cpu = time.perf_counter(), time.process_time()
        result = ingest_file(DEFAULT_SOURCE, data, store, slug=SLUG, language="ja")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        items = result.record.items
        lines = linked_lines(items)
        print(
            f"ingest of {result.line_count} lines: {seconds:.2f} s in process, {cpu:.2f} s CPU "
            f"(steps: {', '.join(f'{k} {v:.2f}' for k, v in result.seconds.items())})"
        )
        for name, count in result.counts().items():
            print(f"  {name}: {count}")
        for definition in _DEFINITIONS:
            found, total = recall(cited_pairs(store, definition), lines)
            print(f"recall {definition}: {found}/{total} = {found / total:.1%}")
        if args.misses:
            print(missed_pairs(cited_pairs(store, "A"), lines, DEFAULT_SOURCE))
        store.close()
        chosen = sample(items)
        if args.sample_out:
            args.sample_out.write_text(sample_rows(chosen) + "\n", encoding="utf-8")
            print(f"wrote the sample to {args.sample_out}")
        judged = verdicts()
        keys = [(i.key, slug_of(i.entity or "") or "", i.passages[0].line_start) for i in chosen]
        if all(k in judged for k in keys):
            correct = sum(judged[k] == "yes" for k in keys)
            print(f"precision (hand-checked sample of {len(keys)}): {correct}/{len(keys)}")
        else:
            missing = sum(k not in judged for k in keys)
            print(f"precision: {missing} of the sample's mentions have no verdict in {SAMPLE_FILE}")
        started = time.perf_counter()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = subprocess.run(
            [sys.executable, "-m", "cli.main", "ingest", str(DEFAULT_SOURCE), "--slug", "cli-run",
             "--data", str(data), "--store", str(store_path)],
            capture_output=True, text=True, cwd=REPO_ROOT, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        print(
            f"policygraph ingest (a process, cold): {wall:.1f} s, {used:.1f} s CPU, "
            f"exit {process.returncode}"
        )


if __name__ == "__main__":
    main()
