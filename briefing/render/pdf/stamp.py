"""Overlays drawn for distribution: the controlled-copy stamp and pack page numbers.

Why: a reader's copy is the installed PDF plus one line in every page's footer
("Copy 3 of 12 · For …, … · Copy ID …"), and a pack renumbers its members'
pages; re-laying-out a briefing for that would cost a full render per copy.
These functions draw only the overlay, one small page per stamp, which
``briefing.distribute.pdfedit`` lays over the installed pages. The positions
follow ``document.py``'s footer: "As of …" at the left margin and "Page X of Y"
at the right, on the line ``margin_bottom − 8 mm``; the stamp is centred in the
space between them and shrinks (then ends in "…") so it overlaps neither.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from briefing.render.pdf.fonts import register_fonts
from briefing.render.pdf.styles import MUTED, REGULAR, Geometry
from briefing.render.pdf.textpath import fit_text, measure, visual

#: The footer's own texts at their widest: the stamp keeps clear of both.
_WIDEST_LEFT = "As of 30 September 0000"
_WIDEST_RIGHT = "Page 888 of 888"
_FOOTER_SIZE = 8
_GAP = 4 * mm
STAMP_SIZES = (7.0, 6.5, 6.0, 5.5)
#: A fixed date keeps the overlay's bytes independent of the clock.
_EPOCH = (2000, 1, 1, 0, 0, 0)


def _canvas(buffer: io.BytesIO, size: tuple[float, float]) -> Canvas:
    register_fonts()
    canv = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1, initialFontName=REGULAR)
    canv.setCreator("briefing")
    return canv


def stamp_box(width: float) -> tuple[float, float]:
    """The x range (left, right) the stamp may use on a page ``width`` points wide."""
    g = Geometry(width, 0)
    left = g.margin_x + stringWidth(_WIDEST_LEFT, REGULAR, _FOOTER_SIZE) + _GAP
    right = width - g.margin_x - stringWidth(_WIDEST_RIGHT, REGULAR, _FOOTER_SIZE) - _GAP
    return left, right


def stamp_overlay(stamps: list[tuple[str, str, str]], sizes: list[tuple[float, float]]) -> bytes:
    """A PDF with one page per (stamp, page size), stamp-major: page ``i * len(sizes) + j``.

    A stamp is (head, holder, tail): when it cannot fit even at the smallest size, only
    the holder's name is shortened ("…"), so the copy number and id always print whole.
    """
    buffer = io.BytesIO()
    canv = _canvas(buffer, sizes[0])
    for head, holder, tail in stamps:
        text = head + holder + tail
        for width, height in sizes:
            canv.setPageSize((width, height))
            left, right = stamp_box(width)
            room = right - left
            size = next((s for s in STAMP_SIZES if measure(text, REGULAR, s) <= room), None)
            if size is None:
                size = STAMP_SIZES[-1]
                rest = measure(head + tail, REGULAR, size)
                shown = head + fit_text(holder, REGULAR, size, room - rest) + tail
            else:
                shown = text
            shown = visual(shown, REGULAR, size)
            y = Geometry(width, height).margin_bottom - 8 * mm
            canv.setFont(REGULAR, size)
            canv.setFillColor(MUTED)
            canv.drawCentredString((left + right) / 2, y, shown)
            canv.showPage()
    canv.save()
    return buffer.getvalue()


def page_number_overlay(sizes: list[tuple[float, float]]) -> bytes:
    """One page per pack page: "Page k of M" where ``document.py`` draws a briefing's."""
    buffer = io.BytesIO()
    canv = _canvas(buffer, sizes[0])
    total = len(sizes)
    for number, (width, height) in enumerate(sizes, start=1):
        canv.setPageSize((width, height))
        g = Geometry(width, height)
        canv.setFont(REGULAR, _FOOTER_SIZE)
        canv.setFillColor(MUTED)
        canv.drawRightString(
            width - g.margin_x, g.margin_bottom - 8 * mm, f"Page {number} of {total}"
        )
        canv.showPage()
    canv.save()
    return buffer.getvalue()
