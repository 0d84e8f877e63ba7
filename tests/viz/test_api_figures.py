"""``GET /viz/{view}?format=svg|png|pdf|pptx`` with the figure options of slides."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from pptx import Presentation

from tests.viz.svg_boxes import groups, lines_of, page_size, svg_root
from tests.viz.test_api_viz import client

__all__ = ["client"]


def test_a_korean_4_3_svg_with_the_users_words(client: TestClient) -> None:
    response = client.get(
        "/viz/frameworks",
        params={"slug": ["msp", "ipef"], "format": "svg", "lang": "ko", "aspect": "4:3",
                "title": "MSP와 IPEF", "caption": "초안", "highlight": "kor"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    root = svg_root(response.content)
    assert page_size(root) == (720, 540)
    words = {k: "".join(line.text for line in lines_of(g)) for k, g in groups(root, "").items()}
    assert words["title"] == "MSP와 IPEF" and words["caption"] == "초안"
    assert words["label:kor"] == "대한민국"  # rdfs:label@ko
    assert words["label:jpn"] == "Japan"  # no Korean label: English
    assert words["source"].startswith("출처: 한일비전그룹 보고서(2025년 9월 18일)")


def test_pdf_with_embedded_fonts(client: TestClient) -> None:
    response = client.get("/viz/path?source=kor&target=aukus-pillar-2&format=pdf&lang=ja")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/FontFile2" in response.content


def test_pptx_is_one_slide(client: TestClient) -> None:
    response = client.get("/viz/ego?slug=kor&format=pptx")
    assert response.status_code == 200
    deck = Presentation(io.BytesIO(response.content))
    (slide,) = deck.slides
    assert slide.shapes.title.text == "Republic of Korea: neighbourhood at depth 1"
    assert round(deck.slide_width / deck.slide_height, 3) == round(16 / 9, 3)


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("/viz/ego?slug=kor&lang=fr", 422, "lang"),
        ("/viz/ego?slug=kor&format=png&aspect=3:2", 422, "16:9"),
        ("/viz/ego?slug=kor&format=png&highlight=nowhere", 404, "nowhere"),
        ("/viz/path?source=kor&target=msp&format=svg&highlight=lonely", 400, "not in this view"),
    ],
)
def test_bad_figure_options(client: TestClient, query: str, status: int, words: str) -> None:
    response = client.get(query)
    assert response.status_code == status, response.text
    assert words in response.text
