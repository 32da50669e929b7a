"""A pack's cover: title, date, the highest member marking, and the linked contents list.

Why: a minister's office reads one "read-book" in the morning; its first page
says what is inside, at which page, and how it is marked. Drawn directly on a
canvas (no layout engine) so the caller knows where each contents row is and
can link it to the member's first page once the pack is assembled.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from briefing.render.pdf.fonts import register_fonts
from briefing.render.pdf.styles import ACCENT, BOLD, MUTED, REGULAR, RULE, TLP_COLOURS, Geometry
from briefing.render.pdf.textpath import fit_text, visual

ROWS_PER_PAGE = 16


@dataclass(frozen=True, slots=True)
class ContentsRow:
    title: str
    edition: int
    as_of: str  # a long date: "29 September 2020"
    page: int  # 1-based page in the pack


@dataclass(frozen=True, slots=True)
class Cover:
    pdf: bytes
    #: (cover page index, (x1, y1, x2, y2), target page index from 0) for each row
    links: tuple[tuple[int, tuple[float, float, float, float], int], ...]


def cover_pages(rows: int) -> int:
    return max(1, -(-rows // ROWS_PER_PAGE))


def _line(text: str, font: str, size: float) -> str:
    return visual(text, font, size)


def draw_cover(
    *,
    title: str,
    date: str,
    edition: int,
    marking: str | None,
    rows: list[ContentsRow],
    size: tuple[float, float],
) -> Cover:
    """The cover page(s); page numbers are added with the rest of the pack's."""
    register_fonts()
    g = Geometry(*size)
    buffer = io.BytesIO()
    canv = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1, initialFontName=REGULAR)
    canv.setTitle(title)
    canv.setCreator("briefing")
    links = []
    for page in range(cover_pages(len(rows))):
        _banners(canv, g, marking)
        y = g.height - g.margin_top - 10 * mm
        if page == 0:
            canv.setFillColor(ACCENT)
            canv.setFont(BOLD, 24)
            canv.drawString(
                g.margin_x, y, _line(fit_text(title, BOLD, 24, g.frame_width), BOLD, 24)
            )
            y -= 9 * mm
            canv.setFont(REGULAR, 11)
            canv.setFillColor(MUTED)
            canv.drawString(g.margin_x, y, f"{date} · edition {edition}")
            y -= 14 * mm
        canv.setFillColor(ACCENT)
        canv.setFont(BOLD, 12)
        canv.drawString(g.margin_x, y, "Contents" if page == 0 else "Contents (continued)")
        y -= 4 * mm
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(g.margin_x, y, g.width - g.margin_x, y)
        for row in rows[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]:
            y -= 8 * mm
            canv.setFillColor(colors.black)
            canv.setFont(BOLD, 10.5)
            room = g.frame_width - 20 * mm
            canv.drawString(g.margin_x, y, _line(fit_text(row.title, BOLD, 10.5, room), BOLD, 10.5))
            canv.setFont(REGULAR, 10.5)
            canv.drawRightString(g.width - g.margin_x, y, str(row.page))
            canv.setFont(REGULAR, 8.5)
            canv.setFillColor(MUTED)
            canv.drawString(g.margin_x, y - 4.2 * mm, f"Edition {row.edition} · as of {row.as_of}")
            links.append(
                (page, (g.margin_x, y - 5.5 * mm, g.width - g.margin_x, y + 4 * mm), row.page - 1)
            )
            y -= 4 * mm
        canv.showPage()
    canv.save()
    return Cover(buffer.getvalue(), tuple(links))


def _banners(canv: Canvas, g: Geometry, marking: str | None) -> None:
    """The same bands as a briefing's pages (``document._banner``), top and bottom."""
    if not marking:
        return
    tlp = TLP_COLOURS.get(marking)
    for y in (g.height - 9 * mm - g.banner_height, 9 * mm):
        canv.saveState()
        canv.setFillColor(colors.black if tlp else ACCENT)
        canv.rect(g.margin_x, y, g.frame_width, g.banner_height, stroke=0, fill=1)
        canv.setFillColor(tlp or colors.white)
        canv.setFont(BOLD, 9)
        text = _line(fit_text(marking, BOLD, 9, g.frame_width - 12), BOLD, 9)
        canv.drawCentredString(g.width / 2, y + (g.banner_height - 9 * 0.72) / 2, text)
        canv.restoreState()
