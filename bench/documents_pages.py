"""Review pages of a long document: the Vision Group report ingested as a document.

Run: ``.venv/bin/python -m bench.documents_pages [--store var/store]`` — ingests the report's
text into a temporary data directory (with the built store's names), serves the app over
that store through ``TestClient``, and prints the time of:

- ``/documents`` cold (the document's Turtle parsed for the first time) and warm;
- the document's page (4,372 lines, every name marked) warm;
- one decision (``accept`` of a proposal candidate: read, validate, rewrite) and the next
  load of the page (the record kept from the decision, not parsed again).

With ``--served``, the report's data and the document are also built into a store on disk
(``policygraph build``), served as ``policygraph serve`` serves it, and one decision is timed
there: written, then served at once — a copy of the store with the document's graph
replaced and ``inferred`` derived again, published after its caches warm (at most
``POLICYGRAPH_WARM_SECONDS``) — and an ASK on ``/sparql`` that sees it.

The figures and the command go in docs/ingest.md ("The review queue on the web").
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.deps import get_store
from api.main import create_app
from graph import DATA_DIR, DEFAULT_SOURCE
from graph.build import build_store
from graph.ingest.ingest import ingest_file
from graph.iris import ENTITY_BASE
from graph.store import open_store
from serving.settings import Settings

TOKEN = "bench-documents-token-0123456789"


def _timed(client: TestClient, method: str, url: str, **kwargs: object) -> float:
    started = time.perf_counter()
    answer = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    assert answer.status_code == 200, (url, answer.status_code, answer.text[:200])
    return seconds


def _served(data: Path, slug: str) -> list[tuple[str, float]]:
    """Build the report's data and the document into a store, serve it from disk, and time
    a decision served at once and the ASK that sees it."""
    started = time.perf_counter()
    store_path = data / "served-store"
    build_store([DATA_DIR, data], store_path)
    rows = [("build (report + document)", time.perf_counter() - started)]
    settings = Settings(store=str(store_path), data=[data], update_token=TOKEN)  # type: ignore[arg-type]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    ask = f"ASK {{ <{ENTITY_BASE}{slug}-p2> pg:reviewStatus pg:Rejected }}"
    with TestClient(create_app(settings)) as client:
        client.get("/healthz")
        url = f"/documents/{slug}/items/p2/reject"
        rows.append(("served: a decision (reject p2)", _timed(client, "POST", url, headers=auth)))
        started = time.perf_counter()
        seen = client.get("/sparql", params={"query": ask}, headers={"Accept": "application/json"})
        rows.append(("served: the ASK that sees it", time.perf_counter() - started))
        assert seen.json()["boolean"] is True, seen.text
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="var/store", help="a built store (its names)")
    parser.add_argument(
        "--served", action="store_true", help="also time a decision on a store served from disk"
    )
    args = parser.parse_args()
    store = open_store(Path(args.store))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        result = ingest_file(DEFAULT_SOURCE, data, store, slug="report-as-document")
        slug = result.folder.name
        settings = Settings(store="memory:", data=[data], update_token=TOKEN)  # type: ignore[arg-type]
        app = create_app(settings)
        app.dependency_overrides[get_store] = lambda: store
        with TestClient(app) as client:
            client.get("/healthz")
            rows = [
                ("/documents, cold", _timed(client, "GET", "/documents")),
                ("/documents, warm", _timed(client, "GET", "/documents")),
            ]
            _timed(client, "GET", f"/documents/{slug}")  # names and classes read once
            rows.append((f"/documents/{slug}, warm", _timed(client, "GET", f"/documents/{slug}")))
            auth = {"Authorization": f"Bearer {TOKEN}"}
            url = f"/documents/{slug}/items/p1/accept"
            rows.append(("a decision (accept p1)", _timed(client, "POST", url, headers=auth)))
            rows.append(("the page after it", _timed(client, "GET", f"/documents/{slug}")))
        store.close()
        if args.served:
            rows += _served(data, slug)
    for what, seconds in rows:
        print(f"{what:<40} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
