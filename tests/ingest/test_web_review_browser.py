"""A document reviewed end to end in a real browser (headless Debian chromium, offline):
open it from /documents, enter the update token, accept an ambiguous mention, link a
candidate to an existing entity found by name completion, create a new entity from another,
reject the proposal candidate, reload and see the decisions; the page at 1280 and 390 px; then the reviewed document through
``policygraph build`` and ``check-evidence``.

Every request outside the test server is aborted and counted; the test asserts there were
none, no page errors, no Content-Security-Policy violations and no dialogs.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.main import create_app
from graph.build import build_store
from graph.ingest import review
from graph.ingest.ingest import ingest_file
from graph.store import OxigraphStore, open_store
from serving.settings import Settings
from tests.browser import watch
from tests.conftest import MINIMAL_DATA, MINIMAL_SOURCE, run_cli
from tests.contexts import serve_store
from tests.servers import serve_in_thread
from tests.viz.test_browser import browser

__all__ = ["browser"]

pytestmark = pytest.mark.slow

TOKEN = "browser-review-token-0123456789"

#: A short note written for this test: an ambiguous name (MOFA: Japan's or Korea's?), a
#: person and a variant name of a think tank the graph knows, and a recommendation.
ROUND_TABLE = """Notes from a round table in Busan

MOFA officials opened the round table on supply chains.
Taro Kimura of the Asan Policy Institute chaired the second session.
Both sides should meet again before the autumn summit.
"""


#: Markup that would run if a page inserted the text as HTML (the test counts dialogs).
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
HOSTILE_LINE = f"The Asan Institute for Policy Studies wrote {HOSTILE} in a memo."


@pytest.fixture(scope="module")
def review_data(names_store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the round-table note, ingested with the report's names."""
    data = tmp_path_factory.mktemp("browser-review")
    text = data.parent / "round-table.txt"
    text.write_text(ROUND_TABLE, encoding="utf-8")
    ingest_file(text, data, names_store, date="2026-10-02", publisher="Tests")
    markup = data.parent / "markup-note.txt"
    markup.write_text(f"Markup in a note\n\n{HOSTILE_LINE}\n", encoding="utf-8")
    ingest_file(markup, data, names_store, title=f"Markup {HOSTILE}")
    return data


@pytest.fixture(scope="module")
def server(names_store: OxigraphStore, review_data: Path) -> Iterator[str]:
    settings = Settings(store="memory:", data=[review_data], update_token=TOKEN)  # type: ignore[arg-type]
    app = create_app(settings)
    serve_store(app, names_store)
    with serve_in_thread(app) as url:
        yield url


def _png_width(path: Path) -> int:
    width: int = struct.unpack(">I", path.read_bytes()[16:20])[0]
    return width


def _decide(page: Any, item: str, button: str) -> None:
    """Click a decision of ``item``: the page loads again with it taken."""
    with page.expect_navigation():
        page.locator(f"#item-{item} button", has_text=button).first.click()


def test_a_document_is_reviewed_in_the_browser_and_survives_the_build(
    browser: Any, server: str, review_data: Path, tmp_path: Path
) -> None:
    record = review.load_document(review_data, "round-table")
    ambiguous = next(i for i in record.items if i.kind == "mention" and i.is_open)
    person, institute = (
        next(i for i in record.items if i.text == t)
        for t in ("Taro Kimura", "Asan Policy Institute")
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    visit = watch(context.new_page(), (server,), routes=context, csp=True)
    page = visit.page

    page.goto("/documents")
    page.click("a[href='/documents/round-table']")
    page.wait_for_url("**/documents/round-table")
    assert page.locator("#queue article.item").count() == 4
    assert not page.locator(f"#item-{ambiguous.key} fieldset.decide").is_visible()  # read-only

    page.fill("#update-token", TOKEN)
    page.click("#token-form button[type=submit]")
    assert "Reviewing" in page.inner_text("#token-status")
    # Accept the ambiguous MOFA as its best candidate (the button says which).
    accept = page.locator(f"#item-{ambiguous.key} button", has_text="Accept")
    assert "Ministry of Foreign Affairs" in accept.inner_text()
    _decide(page, ambiguous.key, "Accept")
    # Link the variant name to the think tank, found by typing part of its name.
    field = page.locator(f"#link-{institute.key}")
    field.fill("Asan")
    options = page.locator(f"#names-{institute.key} option")
    options.first.wait_for(state="attached")
    values = options.evaluate_all("os => os.map(o => o.value)")
    assert "kor-asan-institute" in values
    field.fill("kor-asan-institute")
    _decide(page, institute.key, "Link")
    # Create the person, with a Japanese label (required by the shapes) and a class.
    page.click(f"#item-{person.key} summary")
    page.fill(f"#item-{person.key} input[name=label-ja]", "木村太郎")
    page.select_option(f"#item-{person.key} select[name=class]", "Person")
    _decide(page, person.key, "Create and link")
    _decide(page, "p1", "Reject")

    page.reload()
    decided = page.locator("#decided tbody tr")
    assert decided.count() == 4
    rows = {r.get_attribute("data-key"): r.inner_text() for r in decided.all()}
    assert (
        "Accepted" in rows[ambiguous.key] and "Ministry of Foreign Affairs" in rows[ambiguous.key]
    )
    assert (
        "Accepted" in rows[institute.key]
        and "Asan Institute for Policy Studies" in rows[institute.key]
    )
    assert "Accepted" in rows[person.key] and "Taro Kimura (new)" in rows[person.key]
    assert "Rejected" in rows["p1"]
    assert page.locator("#queue article.item").count() == 0
    assert "Nothing waits for a decision" in page.inner_text("#queue")
    assert (
        page.locator("mark.st-accepted a[href='/id/kor-asan-institute']").inner_text()
        == "Asan Policy Institute"
    )
    assert "Reviewing" in page.inner_text("#token-status")  # the token stays for the tab
    created = page.locator("#queue li", has_text="taro-kimura").inner_text()
    assert "木村太郎" in created and "Taro Kimura" in created
    page.click("a[href='#L4']")
    assert page.evaluate("location.hash") == "#L4"

    shots = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shots[width] = tmp_path / f"document-page-{width}.png"
        page.screenshot(path=str(shots[width]), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    assert {w: _png_width(p) for w, p in shots.items()} == {1280: 1280, 390: 390}
    # The think tank's entity page lists the note, with the passage, and its co-mentions.
    page.goto("/id/kor-asan-institute")
    section = page.locator("#documents")
    section.wait_for(state="visible")
    assert "Notes from a round table in Busan" in section.inner_text()
    assert sorted(section.locator("q").all_inner_texts()) == sorted(
        [HOSTILE_LINE[:80], "Taro Kimura of the Asan Policy Institute chaired the second session."]
    )
    # each quote in its document's language (the note is English), not the report's
    assert section.locator("q").evaluate_all("qs => qs.map(q => q.lang)") == ["en", "en"]
    with page.expect_navigation():
        section.locator("a", has_text="mentioned on the same lines").click()
    assert page.input_value("#cm-entity") == "kor-asan-institute"
    assert page.inner_text("#co-count") == "1 pair"  # the person created on line 4
    assert (
        page.inner_text("#co-mentions tbody tr")
        == "Asan Institute for Policy Studies\tTaro Kimura (new)\t1\tround-table"
    )
    # The note with markup shows it as text, on its page and in its title.
    page.goto("/documents/markup-note")
    assert page.inner_text("h1") == f"Markup {HOSTILE}"
    assert page.inner_text("#L3 .lt") == HOSTILE_LINE
    assert page.locator("#L3 mark a[href='/id/kor-asan-institute']").count() == 1
    assert page.locator("main img, main script").count() == 0
    visit.assert_clean()  # no dialog: nothing of the markup ran
    context.close()

    # What the browser decided is in the Turtle, and it builds and checks.
    store_path = tmp_path / "store"
    build_store([MINIMAL_DATA, review_data], store_path)
    store = open_store(store_path)
    try:
        rows_ = store.query("SELECT ?e WHERE { id:round-table pg:mentions ?e }")
        mentioned = {row["e"].value.rsplit("/", 1)[-1] for row in rows_}  # type: ignore[union-attr]
    finally:
        store.close()
    assert {
        "kor-asan-institute",
        "taro-kimura",
        ambiguous.best_alternative.entity.rsplit("/", 1)[-1],
    } <= mentioned  # type: ignore[union-attr]
    checked = run_cli(
        "check-evidence", "--source", MINIMAL_SOURCE, "--data", review_data, "--store", store_path
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
