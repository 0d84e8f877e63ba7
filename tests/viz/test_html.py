"""The HTML page: self-contained, escaped, deterministic; the embed variant; nothing-to-show."""

from __future__ import annotations

import re

from graph.store import OxigraphStore
from tests.viz.conftest import XSS_LABEL
from viz import views
from viz.html import permalink, render_html, vis_assets

_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?(?!data:|#|["'])[^"'\s>]+)"""
    r"""|(?:url\(\s*(?!["']?data:)[^)]+\))|(?:@import)""",
    re.IGNORECASE,
)


def _markup(page: str) -> str:
    """The page without its inline scripts (vis-network's code mentions URLs in strings)."""
    return re.sub(r"<script>.*?</script>", "<script></script>", page, flags=re.DOTALL)


def test_page_loads_nothing_from_elsewhere(tiny_store: OxigraphStore) -> None:
    page = render_html(views.ego(tiny_store, "kor", 2))
    markup = _markup(page)
    # Only the share section names a URL, as text inside <code>.
    outside_share = markup.split('<section class="share"')[0]
    assert _EXTERNAL.findall(outside_share) == []
    assert "default-src 'none'" in page and "connect-src 'none'" in page
    script, style = vis_assets()
    assert script in page and style in page  # vis-network inlined from pyvis's copy
    assert markup.count("<script") == 2 and "<link" not in markup


def test_labels_and_quotes_are_escaped(tiny_store: OxigraphStore) -> None:
    page = render_html(views.ego(tiny_store, "evil", 2))
    assert XSS_LABEL not in page
    assert "</script><b>" not in page  # the quote on p1's edges
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # in the data, as text
    titled = render_html(views.path(tiny_store, "evil", "kor"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in titled  # in the title, escaped


def test_full_page_shows_permalink_snippet_and_command(tiny_store: OxigraphStore) -> None:
    view = views.ego(tiny_store, "kor", 2)
    page = render_html(view, base_url="http://example.test:8000")
    assert 'id="permalink">http://example.test:8000/viz/ego?slug=kor&amp;depth=2<' in page
    assert "&lt;iframe src=&#34;http://example.test:8000/viz/ego?slug=kor&amp;amp;depth=2" in page
    assert "embed=1" in page
    assert 'id="command">policygraph viz ego kor --depth 2<' in page
    assert permalink(view) == "http://127.0.0.1:8000/viz/ego?slug=kor&depth=2"


def test_embed_page_has_the_figure_without_chrome(tiny_store: OxigraphStore) -> None:
    page = render_html(views.ego(tiny_store, "kor", 2), embed=True)
    assert 'class="embed"' in page and 'id="network"' in page
    assert 'class="legend"' in page and 'class="caption"' in page
    assert "iframe-snippet" not in page and "<header>" not in page


def test_nothing_to_show_is_a_page_that_says_so(tiny_store: OxigraphStore) -> None:
    page = render_html(views.path(tiny_store, "kor", "lonely"))
    assert 'id="nothing"' in page and "Nothing to show" in page
    assert 'id="network"' not in page


def test_the_same_view_renders_the_same_page(tiny_store: OxigraphStore) -> None:
    first = render_html(views.ego(tiny_store, "kor", 2))
    assert render_html(views.ego(tiny_store, "kor", 2)) == first


def test_legend_is_drawn_in_the_page(tiny_store: OxigraphStore) -> None:
    page = render_html(views.frameworks(tiny_store, ["msp", "ipef"]))
    legend = page.split('<aside class="legend"')[1].split("</aside>")[0]
    for label in ("Country", "Framework", "chair", "observer", "degree centrality"):
        assert label in legend
    assert legend.count("<svg") == 6  # 2 classes, 4 roles


def test_a_japanese_or_korean_page_has_no_english_controls(tiny_store: OxigraphStore) -> None:
    english = ("Find", "Reset", "Any date", "Download", "Legend", "Filter by class", "Permalink")
    for lang, legend in (("ja", "凡例"), ("ko", "범례")):
        markup = _markup(render_html(views.ego(tiny_store, "kor", 2, lang=lang)))
        assert f"<summary>{legend}</summary>" in markup
        assert [w for w in english if f">{w}" in markup] == []
    markup = _markup(render_html(views.ego(tiny_store, "kor", 2)))
    assert all(f">{w}" in markup for w in english)
