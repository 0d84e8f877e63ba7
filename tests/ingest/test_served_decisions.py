"""Review decisions are served at once by a server of a store on disk: after a decision on
the web, ``/sparql`` and the entity pages show it (the document's graph and its
``pg:mentions``); a decision from the command line is picked up by the server's watch; and
``policygraph build`` afterwards gives the same answers."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.build import build_store
from graph.ingest import review
from graph.ingest.ingest import ingest_file
from graph.store import OxigraphStore
from serving.context import StoreContext
from serving.edits import EditService
from serving.settings import Settings
from tests.conftest import MINIMAL_DATA

TOKEN = "served-decisions-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DOC = "served-note"

#: Written for this test, in our own words.
TEXT = """\
A served note
Japan and the Republic of Korea should take part in AUKUS Pillar II together.
Hanako Yamada of the Harbour Policy Forum spoke for the plan in Tokyo.
The United Nations Command was named once.
"""


@pytest.fixture(scope="module")
def served(
    fixture_store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Path, Path]]:
    """A server of a store built from the tiny data set and one ingested note, with updates
    on: the client, the data directory and the store's path."""
    data = tmp_path_factory.mktemp("served-data")
    for turtle in MINIMAL_DATA.glob("*.ttl"):
        shutil.copy(turtle, data / turtle.name)
    text = tmp_path_factory.mktemp("served-text") / "note.txt"
    text.write_text(TEXT, encoding="utf-8")
    ingest_file(text, data, fixture_store, slug=DOC, language="en")
    store = tmp_path_factory.mktemp("served-store") / "store"
    build_store([data], store)
    settings = Settings(store=str(store), data=[data], update_token=TOKEN, warm_seconds=0)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield client, data, store


def _ask(client: TestClient, pattern: str) -> bool:
    query = f"ASK {{ {pattern} }}"
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def _counts(client: TestClient) -> dict[str, int]:
    """The number of quads of each named graph served."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    rows = answer.json()["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def _until(check: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Whether ``check`` holds within ``seconds`` (the server's watch looks once a second)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _item(data: Path, kind: str, text: str | None = None) -> str:
    record = review.load_document(data, DOC)
    return next(i.key for i in record.items if i.kind == kind and text in (None, i.text))


PROPOSAL = f"""id:proposal-served-note-pillar-2 a pg:Proposal ; pg:inDocument id:{DOC} ;
    pg:involves id:jpn , id:kor ; pg:concerns id:aukus-pillar-2 ;
    rdfs:comment "Both countries should join the pillar's work together."@en ;
    pg:evidence [ pg:inDocument id:{DOC} ; pg:lineStart 2 ; pg:lineEnd 2 ]"""


def made_body() -> dict[str, object]:
    return {"titles": {"ja": "別の題", "en": "Another title"}, "slug": "proposal-other"}


MENTIONS_UNC = f"id:{DOC} pg:mentions id:un-command"


@pytest.mark.slow
def test_decisions_are_served_at_once_and_the_build_agrees(
    served: tuple[TestClient, Path, Path],
) -> None:
    client, data, store = served
    assert _ask(client, MENTIONS_UNC)  # linked automatically, built
    unc = _item(data, "mention", "United Nations Command")

    # A rejection on the web: the mention leaves the served graph with the response.
    before: StoreContext = client.app.state.context  # type: ignore[attr-defined]
    answer = client.post(f"/documents/{DOC}/items/{unc}/reject", headers=AUTH)
    assert answer.status_code == 200, answer.text
    assert client.app.state.context is not before  # type: ignore[attr-defined]
    assert not _ask(client, MENTIONS_UNC)
    assert _ask(client, f"<{_iri(DOC, unc)}> pg:reviewStatus pg:Rejected")

    # A new entity from a candidate: its page and the document's mention of it, at once.
    candidate = _item(data, "entity", "Hanako Yamada")
    created = client.post(
        f"/documents/{DOC}/items/{candidate}/create",
        headers=AUTH,
        json={"labels": {"en": "Hanako Yamada", "ja": "山田花子"}, "class": "Person"},
    )
    assert created.status_code == 200, created.text
    assert _ask(client, f"id:{DOC} pg:mentions id:hanako-yamada . id:hanako-yamada a pg:Actor")
    page = client.get("/id/hanako-yamada")
    assert page.status_code == 200 and "山田花子" in page.text
    evidence = client.get("/api/entities/hanako-yamada").json()["evidence"]
    assert [(p["document"]["slug"], p["line_start"]) for p in evidence] == [(DOC, 3)]

    # An accepted proposal candidate made a proposal of the document, at once.
    candidate = _item(data, "proposal")
    assert client.post(f"/documents/{DOC}/items/{candidate}/accept", headers=AUTH).is_success
    page = client.get(f"/documents/{DOC}").text
    assert (
        "Accepted proposal candidates to write up" in page
        and 'class="decision create proposal"' in page
    )
    made = client.post(
        f"/documents/{DOC}/items/{candidate}/create",
        headers=AUTH,
        json={
            "titles": {
                "ja": "日韓のAUKUSピラーIIへの共同参加",
                "en": "Japan and Korea in Pillar II",
            },
            "asks": "Both countries should join the pillar's work together.",
            "slug": "proposal-served-note-pillar-2",
        },
    )
    assert made.status_code == 200, made.text
    assert made.json() == {
        "item": candidate,
        "status": "Accepted",
        "entity": "proposal-served-note-pillar-2",
    }
    assert _ask(client, PROPOSAL)
    proposal_page = client.get("/id/proposal-served-note-pillar-2")
    assert proposal_page.status_code == 200 and "Japan and Korea in Pillar II" in proposal_page.text
    again = client.post(
        f"/documents/{DOC}/items/{candidate}/create", headers=AUTH, json=made_body()
    )
    assert again.status_code == 400 and "already" in again.json()["error"]

    # A decision from the command line (the same function): the server's watch serves it.
    review.accept(data, DOC, unc)
    assert _until(lambda: _ask(client, MENTIONS_UNC))

    # A build of the same files: the server swaps it in, and answers as before.
    served_copy = client.app.state.context.generation  # type: ignore[attr-defined]
    served_counts = _counts(client)
    build_store([data], store)
    assert _until(lambda: client.app.state.context.generation != served_copy)  # type: ignore[attr-defined]
    # The files are what the build read: the new generation is served as it is, no copy.
    assert ".served-" not in client.app.state.context.generation.name  # type: ignore[attr-defined]
    assert _ask(client, MENTIONS_UNC)
    assert _ask(client, f"id:{DOC} pg:mentions id:hanako-yamada . id:hanako-yamada a pg:Actor")
    assert client.get("/id/hanako-yamada").status_code == 200
    assert _ask(client, PROPOSAL)
    assert _counts(client) == served_counts  # the same graphs, quad for quad


def _iri(doc: str, key: str) -> str:
    return f"https://w3id.org/policygraph/id/{doc}-{key}"


class _TellingLock:
    """A lock that tells when the thread named ``decision`` asks for it."""

    def __init__(self, lock: Any, asked: threading.Event) -> None:
        self.lock, self.asked = lock, asked

    def __enter__(self) -> None:
        if threading.current_thread().name == "decision":
            self.asked.set()
        self.lock.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.lock.release()


def test_a_decision_is_served_when_its_answer_returns_though_the_watch_read_it_first(
    served: tuple[TestClient, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's watch reads a decision's file before the decision serves it (it looks
    once a second); the decision still answers only once the copy with it is served."""
    client, data, _ = served
    entered, go, moved = threading.Event(), threading.Event(), threading.Event()
    prepare = EditService._prepare

    def held(self: EditService, edits: list[Any]) -> Any:
        if not entered.is_set():  # the watch's copy, held until the decision has moved
            entered.set()
            go.wait(60)
        return prepare(self, edits)

    monkeypatch.setattr(EditService, "_prepare", held)
    forum = _item(data, "entity", "Harbour Policy Forum")
    review.reject(data, DOC, forum)  # the decision's file, as the web's decision writes it
    assert entered.wait(60), "the watch did not read the decision's file"
    before = client.app.state.context  # type: ignore[attr-defined]
    edits = before.edits
    monkeypatch.setattr(edits, "_lock", _TellingLock(edits._lock, moved))
    answered: list[StoreContext] = []

    def decide() -> None:  # what the web's decision does after writing the file
        try:
            edits.refresh_documents()
            answered.append(client.app.state.context)  # type: ignore[attr-defined]
        finally:
            moved.set()

    decision = threading.Thread(target=decide, name="decision")
    decision.start()
    moved.wait(60)  # the decision returned, or waits for the watch's copy
    go.set()
    decision.join(60)
    (served_then,) = answered
    assert served_then is not before
    rejected = f"<{_iri(DOC, forum)}> pg:reviewStatus pg:Rejected"
    assert served_then.store.query(f"ASK {{ {rejected} }}")
