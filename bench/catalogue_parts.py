"""The CPU seconds of each part of :meth:`serving.catalogue.ProposalCatalogue.read`, in process.

On a store opened read-only, with the cyclic collector off as in the server's warm-up
(:func:`serving.collector.held_off`)::

    .venv/bin/python -m bench.catalogue_parts --store /tmp/s2/1m/store

Each part is called in turn, as the catalogue calls it: the proposals' summaries, the
outline, the section ancestors, the facet index, the details, then the catalogue made of
them. Nothing is asserted: a shared 2-core machine varies; the figures go to
``docs/benchmarks.md`` with the load average.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from graph.query.facet_index import FacetIndex
from graph.query.outline import report_outline, section_ancestors
from graph.query.proposal_details import proposal_details
from graph.query.proposals import every_proposal
from graph.query.term_labels import TermLabels
from graph.store import open_store
from serving.catalogue import ProposalCatalogue

__all__ = ["main"]

T = TypeVar("T")


def main() -> None:
    """Time each part on ``--store`` and print the CPU seconds as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args()
    store = open_store(str(args.store))
    gc.disable()  # as the warm-up does
    seconds: dict[str, float] = {}

    def timed(name: str, read: Callable[[], T]) -> T:
        started = time.process_time()
        found = read()
        seconds[name] = round(time.process_time() - started, 1)
        return found

    labels: TermLabels = {}
    proposals = timed("summaries", lambda: every_proposal(store, None, labels))
    outline = timed("outline", lambda: report_outline(store))
    ancestors = timed("section ancestors", lambda: section_ancestors(store))
    index = timed("facet index", lambda: FacetIndex.read(store, proposals.iris, labels))
    details = timed("details", lambda: proposal_details(store))
    timed("post_init", lambda: ProposalCatalogue(proposals, details, ancestors, outline, index))
    seconds["total"] = round(sum(seconds.values()), 1)
    print(json.dumps({"store": str(args.store), "load": os.getloadavg()[0], "CPU s": seconds}))


if __name__ == "__main__":
    main()
