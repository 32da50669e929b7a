"""The document template: page furniture, page totals, bookmarks, metadata, fixed dates.

Why: everything that is on every page (handling-marking banners, running header,
footer with "Page X of Y", the DRAFT watermark) is drawn through ReportLab's
hooks (``PageTemplate(onPage=…)`` and a canvas that defers pages until the total
is known), from values held by this document, never module globals. Bookmarks
come from ``afterFlowable`` on our own ``Heading`` flowables, keyed by stable
slugs. Dates in the PDF come from ``SOURCE_DATE_EPOCH`` or the briefing's
``as_of``, never the wall clock, and ``invariant`` is set per document, so the
same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from briefing.render.pdf.flowables import Anchor, Heading
from briefing.render.pdf.styles import (
    ACCENT,
    BOLD,
    MUTED,
    REGULAR,
    RULE,
    TLP_COLOURS,
    Geometry,
    geometry,
)
from briefing.render.pdf.textpath import fit_words, visual, wrap_words


@dataclass(frozen=True, slots=True)
class Furniture:
    """What every page shows around the text frame; plain text only (no markup)."""

    geometry: Geometry
    short_title: str
    organization: str
    as_of: str
    marking: str | None
    draft: bool


#: Marking banner type sizes: one line at 9 pt; a marking that needs two lines at 8 pt.
BANNER_SIZE = 9.0
BANNER_SIZE_TWO = 8.0
#: A two-line banner is this much taller; it grows away from the text (up at the top of the
#: page, down at the foot), so the running header and footer do not move.
BANNER_EXTRA = 3.2 * mm
BANNER_PAD = 12.0


def marking_lines(marking: str, g: Geometry | None = None) -> list[str]:
    """The marking as the banner prints it: one line, else two at a smaller size, never cut.

    More than two lines means the marking cannot be printed whole: the caller reports it
    (``render.layout_errors``) before layout. Measured on A4 unless told: the narrowest
    page, since the command line may override the source's page size.
    """
    g = g or geometry("A4")
    limit = g.frame_width - BANNER_PAD
    lines = wrap_words(marking, BOLD, BANNER_SIZE, limit)
    if len(lines) <= 1:
        return lines
    return wrap_words(marking, BOLD, BANNER_SIZE_TWO, limit)


def _banner(canv: Canvas, furniture: Furniture, y: float, *, top: bool) -> None:
    """A marking band whose inner edge is at height ``y`` (its bottom at the top of the page,
    its top at the foot): TLP labels in their colours on black, others white on the accent
    colour, so the marking survives grayscale copies as a dark band. Never cut: a marking
    too long for one line takes two, in a taller band."""
    marking = furniture.marking
    if not marking:
        return
    g = furniture.geometry
    tlp = TLP_COLOURS.get(marking)
    lines = marking_lines(marking, g)
    two = len(lines) > 1
    height = g.banner_height + (BANNER_EXTRA if two else 0)
    bottom = y if top else y + g.banner_height - height
    canv.saveState()
    canv.setFillColor(colors.black if tlp else ACCENT)
    canv.rect(g.margin_x, bottom, g.frame_width, height, stroke=0, fill=1)
    canv.setFillColor(tlp or colors.white)
    size = BANNER_SIZE_TWO if two else BANNER_SIZE
    canv.setFont(BOLD, size)
    leading = size * 1.15
    first = bottom + (height + leading * (len(lines) - 1) - size * 0.72) / 2
    for i, line in enumerate(lines):
        canv.drawCentredString(g.width / 2, first - i * leading, visual(line, BOLD, size))
    canv.restoreState()


def _draw_page(canv: Canvas, doc: BaseDocTemplate, *, furniture: Furniture, first: bool) -> None:
    """Everything but the page total, drawn before the page's flowables."""
    g = furniture.geometry
    canv.saveState()
    top = g.height - 9 * mm
    _banner(canv, furniture, top - g.banner_height, top=True)
    _banner(canv, furniture, 9 * mm, top=False)
    if not first:
        y = g.height - g.margin_top + 7 * mm
        canv.setFont(BOLD, 8)
        canv.setFillColor(ACCENT)
        org = fit_words(furniture.organization, REGULAR, 8, g.frame_width * 0.35)
        right = visual(org, REGULAR, 8)
        title = visual(fit_words(furniture.short_title, BOLD, 8, g.frame_width * 0.6), BOLD, 8)
        canv.drawString(g.margin_x, y, title)
        canv.setFont(REGULAR, 8)
        canv.setFillColor(MUTED)
        canv.drawRightString(g.width - g.margin_x, y, right)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(g.margin_x, y - 4, g.width - g.margin_x, y - 4)
    y = g.margin_bottom - 8 * mm
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(g.margin_x, y + 10, g.width - g.margin_x, y + 10)
    canv.setFont(REGULAR, 8)
    canv.setFillColor(MUTED)
    canv.drawString(g.margin_x, y, visual(f"As of {furniture.as_of}", REGULAR, 8))
    canv.restoreState()


def _watermark(canv: Canvas, doc: BaseDocTemplate, *, furniture: Furniture) -> None:
    """The DRAFT watermark, drawn after the page's flowables so no box can hide it.

    Translucent gray over the content: text under it stays readable, and the word
    stays in the page's extracted text.
    """
    if not furniture.draft:
        return
    g = furniture.geometry
    canv.saveState()
    canv.setFillColor(colors.Color(0.5, 0.5, 0.5, alpha=0.22))
    canv.setFont(BOLD, 110)
    canv.translate(g.width / 2, g.height / 2)
    canv.rotate(52)
    canv.drawCentredString(0, -38, "DRAFT")
    canv.restoreState()


class BriefingCanvas(Canvas):
    """A canvas that holds pages back until the end, so each can say "Page X of Y".

    Why: the total is unknown until layout ends; a second layout pass would double
    the cost. Each finished page's state is kept and replayed at ``save``.
    """

    def __init__(self, *args: Any, furniture: Furniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._page_number(total)
            super().showPage()
        super().save()

    def _page_number(self, total: int) -> None:
        g = self._furniture.geometry
        self.saveState()
        self.setFont(REGULAR, 8)
        self.setFillColor(MUTED)
        self.drawRightString(
            g.width - g.margin_x, g.margin_bottom - 8 * mm, f"Page {self._pageNumber} of {total}"
        )
        self.restoreState()


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    creator: str
    language: str
    epoch: int  # seconds since 1970 for CreationDate/ModDate


def epoch_for(as_of: dt.date) -> int:
    """``SOURCE_DATE_EPOCH`` when the environment sets it, else midnight UTC of ``as_of``."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    return int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp())


class BriefingDocTemplate(BaseDocTemplate):
    """First page without running header; later pages with it; outline from headings."""

    def __init__(self, target: Any, *, furniture: Furniture, meta: Metadata) -> None:
        g = furniture.geometry
        super().__init__(
            target,
            pagesize=(g.width, g.height),
            leftMargin=g.margin_x,
            rightMargin=g.margin_x,
            topMargin=g.margin_top,
            bottomMargin=g.margin_bottom,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=list(meta.keywords),
            creator=meta.creator,
            producer=meta.creator,
            lang=meta.language,
            invariant=1,
            initialFontName=REGULAR,
            initialFontSize=9.5,
            initialLeading=13,
        )
        self._meta = meta
        self._furniture = furniture
        frame = Frame(
            g.margin_x,
            g.margin_bottom,
            g.frame_width,
            g.frame_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        first_frame = Frame(
            g.margin_x,
            g.margin_bottom,
            g.frame_width,
            g.first_frame_height,  # no running header on page 1
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="first",
        )
        self.addPageTemplates(
            [
                PageTemplate(
                    "first",
                    [first_frame],
                    onPage=partial(_draw_page, furniture=furniture, first=True),
                    onPageEnd=partial(_watermark, furniture=furniture),
                    autoNextPageTemplate="later",
                ),
                PageTemplate(
                    "later",
                    [frame],
                    onPage=partial(_draw_page, furniture=furniture, first=False),
                    onPageEnd=partial(_watermark, furniture=furniture),
                ),
            ]
        )
        #: ``PageProbe`` key → the page it landed on (e.g. whether page 1 held it all).
        self.probes: dict[str, int] = {}

    def beforeDocument(self) -> None:
        """Stamp the PDF's dates from ``epoch`` instead of the wall clock or 2000-01-01."""
        stamp = self.canv._doc._timeStamp
        stamp.t = self._meta.epoch
        stamp.lt = time.gmtime(self._meta.epoch)
        stamp.YMDhms = tuple(stamp.lt)[:6]
        self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:
        probe = getattr(flowable, "probe", None)
        if isinstance(probe, str):
            self.probes[probe] = self.page
        if isinstance(flowable, Heading | Anchor) and flowable.key:
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level)

    def build_story(self, story: list[Flowable]) -> int:
        """Lay out ``story``; returns the page count."""
        maker: Callable[..., BriefingCanvas] = partial(BriefingCanvas, furniture=self._furniture)
        self.build(story, canvasmaker=maker)
        return self.page
