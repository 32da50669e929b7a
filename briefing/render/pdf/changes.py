"""The page-1 box "Changes since edition N−1 (date)": the notes, then the changes found.

Why a flowable of its own: the box goes right after page 1's core (title block,
bottom line, key facts, map), so it takes its room from the body, never from the
core. When page 1 has less room left than the whole box needs, it prints as many
lines as fit and counts the rest ("and 5 more changes") rather than moving to page
2: a reader of page 1 alone must still see that, and roughly what, changed (at the
least, the heading and "7 changes"). Only when not even that fits does it move to
the top of the next page, whole. The manifest and ``briefing diff`` carry every line.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from briefing.render.edition import EditionStamp
from briefing.render.pdf.inputs import StoryInputs
from briefing.render.pdf.markup import paragraph, plain_markup
from briefing.render.pdf.styles import ACCENT, BOLD, PANEL
from briefing.render.pdf.textpath import has_rtl

PAD_X = 10
PAD_TOP = 4
PAD_BOTTOM = 5
GAP = 1  # between lines
SPACE_BEFORE = 8
_MORE = re.compile(r"and (\d+) more changes?")


def changes_box(inputs: StoryInputs) -> list[Flowable]:
    """The box for ``inputs.edition``, or nothing (no edition, or nothing to say)."""
    stamp = inputs.edition
    if stamp is None or stamp.box_title() is None:
        return []
    return [ChangesBox(stamp, inputs)]


def _iso(text: str) -> str:
    markup = plain_markup(text)
    return f"{markup}\u200e" if has_rtl(text) else markup


def change_markup(line: str) -> str:
    """One change line, its right-to-left parts isolated: "label: old → new".

    Why: UAX #9 makes "عدد القتلى: 39 → 41" one right-to-left run, and the arrow has
    no mirror image, so it printed "41 → 39": the change read backwards. Each side of
    an arrow, and the label before the first ": ", ends with a left-to-right mark
    (U+200E; see ``markup.isolated``), so old stays left of the arrow, new right.
    """
    if not has_rtl(line):
        return plain_markup(line)
    pieces = line.split(" → ")
    label, sep, old = pieces[0].partition(": ")
    head = f"{_iso(label)}{sep}{_iso(old)}" if sep else _iso(label)
    return " → ".join([head, *(_iso(p) for p in pieces[1:])])


def _counter(more: int) -> str:
    return f"and {more} more change{'s' if more != 1 else ''}"


class ChangesBox(Flowable):
    """A tinted, outlined box: heading, one bulleted line per change, then the counter."""

    def __init__(self, stamp: EditionStamp, inputs: StoryInputs) -> None:
        super().__init__()
        s = inputs.styles
        self.title = str(stamp.box_title())
        lines = list(stamp.lines)
        self.hidden = 0
        if lines and (m := _MORE.fullmatch(lines[-1])):
            self.hidden = int(m.group(1))
            lines.pop()
        if not lines and stamp.previous is not None:
            lines = [f"No changes to the content since edition {stamp.previous}"]
        self.lines = lines
        self.style = ParagraphStyle(
            "change",
            parent=s.body,
            fontSize=8.3,
            leading=10.4,
            spaceAfter=0,
            leftIndent=9,
            bulletIndent=0,
            bulletFontName=BOLD,
            bulletColor=ACCENT,
        )
        self.label = ParagraphStyle("change-label", parent=s.box_label, leading=10.4)
        self.shown = len(lines)
        self._parts: list[Paragraph] = []
        self._width = 0.0

    def getSpaceBefore(self) -> float:
        return SPACE_BEFORE

    def _paragraphs(self, shown: int) -> list[Paragraph]:
        parts = [paragraph(plain_markup(self.title.upper()), self.label, raw=self.title)]
        for line in self.lines[:shown]:
            p = paragraph(change_markup(line), self.style, raw=line)
            p.bulletText = "•"
            parts.append(p)
        more = self.hidden + len(self.lines) - shown
        if more:
            count = _counter(more) if shown else f"{more} change{'s' if more != 1 else ''}"
            parts.append(paragraph(f"<i>{plain_markup(count)}</i>", self.style))
        return parts

    def _height(self, parts: list[Paragraph], width: float) -> float:
        inner = width - 2 * PAD_X
        heights = [p.wrap(inner, 10_000)[1] for p in parts]
        return PAD_TOP + PAD_BOTTOM + sum(heights) + GAP * (len(parts) - 1)

    def least_height(self, width: float) -> float:
        """The heading and the count alone, with the space above: what page 1 keeps free."""
        return SPACE_BEFORE + self._height(self._paragraphs(0), width)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        total = len(self.lines)
        for shown in range(total, -1, -1):  # 0: the heading and the count alone
            parts = self._paragraphs(shown)
            height = self._height(parts, availWidth)
            if height <= availHeight:
                break
        else:  # not even the heading fits here: the whole box, at the top of the next page
            shown = total
            parts = self._paragraphs(total)
            height = self._height(parts, availWidth)
        self._parts, self.shown, self.height = parts, shown, height
        return availWidth, height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        return []

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(PANEL)
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(0.8)
        canv.rect(0, 0, self._width, self.height, stroke=1, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(0, 0, 3, self.height, stroke=0, fill=1)
        canv.restoreState()
        y = self.height - PAD_TOP
        inner = self._width - 2 * PAD_X
        for p in self._parts:
            _, h = p.wrap(inner, 10_000)
            y -= h
            p.drawOn(canv, PAD_X, y)
            y -= GAP
