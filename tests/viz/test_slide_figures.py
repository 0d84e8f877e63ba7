"""Every view as a 16:9 figure, checked from the figure itself: the SVG's text elements
(size, position, string) and boxes, and the PDF's fonts.

At 16:9 the figure is 13.33 in (960 pt) wide; on a 1920 px slide one point is two pixels,
so a label of at least 7 pt is at least 14 px tall.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from graph.memo import Memo
from graph.store import OxigraphStore
from tests.viz.svg_boxes import groups, lines_of, page_size, path_box, svg_root, union
from viz import views
from viz.data import graph_data
from viz.export import export
from viz.figure import FigureOptions
from viz.focus import FOCUS_LIMIT, fold
from viz.placement import overlaps
from viz.view import View
from viz.words import class_name

SLIDE_PIXELS = 1920
SMALLEST_PIXELS = 14

#: The views drawn, each made from the store and the module's memo (the graph read once, as
#: a served store or a command line reads it).
VIEWS: dict[str, Callable[[OxigraphStore, Memo], View]] = {
    "ego": lambda s, m: views.ego(s, "kor", 2, memo=m),
    "frameworks": lambda s, m: views.frameworks(s, ["ipef", "cptpp", "oecd"], memo=m),
    "proposals": lambda s, m: views.proposals(s, section="jkvg2025-section-1-2", memo=m),
    "path": lambda s, m: views.path(s, "kor", "aukus-pillar-2", memo=m),
    "overview": lambda s, m: views.overview(s, memo=m),
    "memberships": lambda s, m: views.memberships(s, ["jpn", "kor"], as_of="2025-06-01", memo=m),
}


@pytest.fixture(scope="module")
def memo(report_store: OxigraphStore) -> Memo:
    """What the views read from the report's store, kept for the module."""
    return Memo()


@pytest.fixture(scope="module", params=sorted(VIEWS))
def drawn(
    request: pytest.FixtureRequest, report_store: OxigraphStore, memo: Memo
) -> tuple[View, bytes]:
    view = VIEWS[request.param](report_store, memo)
    return view, export(view, report_store, "svg", FigureOptions(), memo)


@pytest.mark.slow
def test_labels_are_at_least_14_px_on_a_1920_px_slide(drawn: tuple[View, bytes]) -> None:
    view, svg = drawn
    root = svg_root(svg)
    width, height = page_size(root)
    assert round(width / height, 2) == round(16 / 9, 2)
    labels = groups(root, "label:") | groups(root, "edge-label:")
    assert len(labels) >= min(len(view.nodes), 12)
    sizes = [line.size for g in labels.values() for line in lines_of(g)]
    assert min(sizes) * SLIDE_PIXELS / width >= SMALLEST_PIXELS


@pytest.mark.slow
def test_no_two_texts_overlap(drawn: tuple[View, bytes]) -> None:
    _, svg = drawn
    root = svg_root(svg)
    texts = groups(root, "label:") | groups(root, "edge-label:")
    for frame in ("title", "source", "caption", "unlabelled"):
        texts |= groups(root, frame)
    boxes = {key: union([line.box for line in lines_of(g)]) for key, g in texts.items()}
    clashes = [
        (a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2)
        if overlaps(box_a, box_b)
    ]  # fmt: skip
    assert clashes == []


@pytest.mark.slow
def test_every_label_is_a_whole_entity_label(
    drawn: tuple[View, bytes], report_store: OxigraphStore
) -> None:
    view, svg = drawn
    data = graph_data(report_store)
    labels = groups(svg_root(svg), "label:")
    # A view may mark a label (memberships: " *" for a partial member list).
    marks = {n["id"]: str(n.get("pgSuffix", "")) for n in view.nodes}
    groups_of = {n["id"]: n for n in fold(view).nodes if n.get("pgAggregate")}
    for gid, group in labels.items():
        slug = gid.removeprefix("label:")
        written = "".join(line.text for line in lines_of(group))
        if slug in groups_of:  # a group of entities: how many, and of what class
            group = groups_of[slug]
            one, many = class_name(group["pgGroup"], "en")
            said = f"{group['pgCount']}{one if group['pgCount'] == 1 else many}"
            assert "".join(written.split()) == "".join(said.split())
            continue
        whole = data.label(slug) + marks[slug]
        assert "".join(written.split()) == "".join(whole.split()), slug
        assert "…" not in written


@pytest.mark.slow
def test_the_legend_and_the_words_stand_beside_the_drawing(drawn: tuple[View, bytes]) -> None:
    _, svg = drawn
    root = svg_root(svg)
    drawing = path_box(groups(root, "drawing")["drawing"])
    legend = path_box(groups(root, "legend")["legend"])
    assert not overlaps(legend, drawing)
    assert legend[0] > drawing[2]  # to the right
    for frame in ("title", "source"):
        box = union([line.box for line in lines_of(groups(root, frame)[frame])])
        assert not overlaps(box, drawing), frame
    for gid, group in (groups(root, "label:") | groups(root, "edge-label:")).items():
        box = union([line.box for line in lines_of(group)])
        assert not overlaps(box, legend), gid


@pytest.mark.slow
def test_text_is_text_in_fonts_with_cjk_fallbacks(drawn: tuple[View, bytes]) -> None:
    _, svg = drawn
    text = svg.decode("utf-8")
    assert text.count("<text") >= 10
    assert 'id="DejaVuSans-' not in text  # no glyphs drawn as paths
    assert "font-family: 'IPAexGothic', 'NanumGothic', 'Noto Sans CJK JP'" in text
    # The fonts the labels were placed with travel inside, cut down to the figure's text.
    assert "@font-face { font-family: 'IPAexGothic'; src: url(data:font/ttf;base64," in text
    assert len(svg) < 2_000_000


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(VIEWS))
def test_pdf_embeds_its_fonts(report_store: OxigraphStore, memo: Memo, name: str) -> None:
    view = VIEWS[name](report_store, memo)
    pdf = export(view, report_store, "pdf", FigureOptions(lang="ja"), memo)
    assert b"/MediaBox [ 0 0 959.976 540 ]" in pdf  # 13.333 × 7.5 in: 16:9
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/FontFile2") >= 1  # TrueType programs inside the file
    assert b"/Type3" not in pdf


def test_korean_figure_has_korean_title_labels_legend_and_source(
    report_store: OxigraphStore,
) -> None:
    view = views.frameworks(report_store, ["ipef"])
    svg = export(view, report_store, "svg", FigureOptions(lang="ko", highlight=("kor",)))
    root = svg_root(svg)
    words = {key: "".join(line.text for line in lines_of(g)) for key, g in groups(root, "").items()}
    assert words["title"].startswith("인도") and words["title"].endswith("의 구성원")
    assert words["label:kor"] == graph_data(report_store).provenance.labels_ko["kor"] == "한국"
    assert "국가" in words["legend"] and "빨간 고리: 강조" in words["legend"]
    assert words["source"].startswith("출처: 한일비전그룹 보고서(2025년 9월 18일)")


def test_the_users_title_subtitle_and_caption_are_drawn(report_store: OxigraphStore) -> None:
    view = views.path(report_store, "kor", "aukus-pillar-2")
    options = FigureOptions(
        aspect="4:3", title="Korea and AUKUS", subtitle="Briefing, 5 December", caption="Draft"
    )
    root = svg_root(export(view, report_store, "svg", options))
    width, height = page_size(root)
    assert (width, height) == (720, 540)
    for gid, expected in (("title", "Korea and AUKUS"), ("subtitle", "Briefing, 5 December"),
                          ("caption", "Draft")):  # fmt: skip
        assert "".join(line.text for line in lines_of(groups(root, gid)[gid])) == expected
    source = "".join(line.text for line in lines_of(groups(root, "source")["source"]))
    assert source.startswith("Source: Japan–Korea Vision Group report (18 September 2025), lines")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_every_legend_word_is_translated(
    report_store: OxigraphStore, memo: Memo, lang: str
) -> None:
    from viz.figure import figure_text

    for name, make in VIEWS.items():
        text = figure_text(make(report_store, memo), report_store, FigureOptions(lang=lang), memo)
        english = [e.label for e in text.legend if e.label.isascii()]
        assert english == [], name
        assert not any(words.isascii() for words in text.relations.values()), name


@pytest.mark.slow
def test_a_large_view_is_drawn_as_its_readable_focus(drawn: tuple[View, bytes]) -> None:
    view, svg = drawn
    root = svg_root(svg)
    labels = {gid.removeprefix("label:") for gid in groups(root, "label:")}
    folded = fold(view)
    if len(view.nodes) <= FOCUS_LIMIT or getattr(view, "whole", False):
        assert folded is view
        return
    drawn_ids = {n["id"] for n in folded.nodes}
    assert len(drawn_ids) <= FOCUS_LIMIT < len(view.nodes)
    # Every label names a node of the focus, and every group of entities has its label.
    assert labels <= drawn_ids
    assert {i for i, n in folded.node_map.items() if n.get("pgAggregate")} <= labels
    legend = "".join(line.text for line in lines_of(groups(root, "legend")["legend"]))
    assert "a group of entities" in legend
