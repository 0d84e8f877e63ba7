"""A briefing pack: one PowerPoint slide per view, written with python-pptx.

Each slide has the view's title as its title (a real title placeholder, so the outline and
screen readers see it), the figure as a 300 dpi PNG drawn at the very size it takes on the
slide (so its 8 pt labels stay 8 pt, 16 px on a 1920 px screen), and the caption and
source line beneath it as editable text; the speaker notes repeat title, caption and
source. The deck is 16:9 unless asked otherwise; it opens in PowerPoint, Keynote and
LibreOffice Impress (plain slides, no macros, no embedded fonts).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from viz.figure import FigureText, figure_size
from viz.view import View

__all__ = ["deck"]

_MARGIN = 0.4  # inches
_TITLE_HEIGHT = 0.85
_CAPTION_HEIGHT = 0.75


def deck(slides: Sequence[tuple[View, FigureText]], aspect: str | None = None) -> bytes:
    """The slides (a view with its words each) as a ``.pptx`` file's bytes, of ``aspect``
    (default: the first figure's)."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    from viz.static import render_static

    width, height = figure_size(aspect or (slides[0][1].aspect if slides else "16:9"))
    presentation = Presentation()
    presentation.slide_width = Inches(width)
    presentation.slide_height = Inches(height)
    presentation.core_properties.title = slides[0][1].title if slides else ""
    presentation.core_properties.author = "policygraph"
    layout = presentation.slide_layouts[5]  # "Title Only"
    figure_w = width - 2 * _MARGIN
    figure_h = height - _TITLE_HEIGHT - _CAPTION_HEIGHT - 2 * _MARGIN
    for view, text in slides:
        slide = presentation.slides.add_slide(layout)
        title = slide.shapes.title
        title.left, title.top = Inches(_MARGIN), Inches(_MARGIN * 0.6)
        title.width, title.height = Inches(figure_w), Inches(_TITLE_HEIGHT)
        title.text = text.title
        for paragraph in title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(26 if len(text.title) <= 70 else 20)
        png = render_static(view, "png", text.sized(figure_w, figure_h, bare=True))
        slide.shapes.add_picture(
            io.BytesIO(png),
            Inches(_MARGIN),
            Inches(_MARGIN * 0.6 + _TITLE_HEIGHT),
            Inches(figure_w),
            Inches(figure_h),
        )
        box = slide.shapes.add_textbox(
            Inches(_MARGIN),
            Inches(height - _MARGIN * 0.5 - _CAPTION_HEIGHT),
            Inches(figure_w),
            Inches(_CAPTION_HEIGHT),
        )
        box.name = "Caption"
        frame = box.text_frame
        frame.word_wrap = True
        lines = [line for line in (text.subtitle, text.caption, text.source) if line]
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = line
            paragraph.font.size = Pt(12 if line != text.source else 10)
        notes = slide.notes_slide.notes_text_frame
        notes.text = "\n".join([text.title, *lines])
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()
