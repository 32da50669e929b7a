"""Chart labels as text: built from an event, measured, and wrapped to at most three lines.

In: an ``Event`` (its date and Markdown label). Out: the label's ``Word``s
(``label_words``: bold date, then the text with Markdown bold/italic kept, citations left
to the chronology), and ``Block``s of styled ``Run``s, the label wrapped to 1, 2 or 3
lines (``wrap_options``; ``wrap`` ends the last line with "…" when more would be needed).

Why every width is measured here: ``Metrics`` reads advance widths from the same TTFs the
PDF embeds (no kerning, as ReportLab draws), so a measured box is the drawn box and the
packer's no-overlap guarantee holds on the page. matplotlib's ``ft2font`` (where the
TTFs come from) is imported only when ``Metrics`` is first built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from briefing.model import Event, span_label
from briefing.render.charts.look import LABEL_SIZE, LINE_H, MAX_LINES, TAG_W
from briefing.render.charts.ops import Face
from briefing.render.fontfiles import (
    STYLE_FACES,
    ProjectFont,
    active,
    bold_partner,
    fallback_key,
    font_paths,
    is_bold_partner,
    joins_previous,
)
from briefing.source.markdown import parse_inline


class Metrics:
    """Advance widths of the TTFs the PDF embeds: measured here, drawn identically there.

    DejaVu first; a character it lacks is measured in the first project fallback font
    that has it (``fontfiles.active()``), a combining mark in its base character's
    font: the rule of ``render/pdf/fontruns.font_runs``, which draws the labels.
    """

    def __init__(self, fallbacks: tuple[ProjectFont, ...] = ()) -> None:
        from matplotlib import ft2font

        paths = font_paths()
        self._fonts = {
            face: ft2font.FT2Font(str(paths[name])) for face, name in STYLE_FACES.items()
        }
        load_flags = getattr(ft2font, "LoadFlags", None)
        self._flags = load_flags.NO_SCALE if load_flags else ft2font.LOAD_NO_SCALE
        self._advances: dict[tuple[Face, str], float] = {}
        # (regular, bold or None, regular's characters, bold's characters) per fallback
        self._fallbacks: list[tuple[Any, Any, frozenset[int], frozenset[int]]] = []
        for font in fallbacks:
            if is_bold_partner(font, fallbacks):
                continue
            regular = ft2font.FT2Font(str(font.path))
            partner = bold_partner(font, fallbacks)
            bold = ft2font.FT2Font(str(partner.path)) if partner is not None else None
            chars = frozenset(regular.get_charmap())
            bold_chars = frozenset(bold.get_charmap()) if bold is not None else frozenset()
            self._fallbacks.append((regular, bold, chars, bold_chars))

    def _font_for(self, face: Face, char: str) -> Any:
        font = self._fonts[face]
        code = ord(char)
        if not self._fallbacks or font.get_char_index(code):
            return font
        for regular, bold, chars, bold_chars in self._fallbacks:
            if code in chars:
                if bold is not None and face in ("bold", "bolditalic") and code in bold_chars:
                    return bold
                return regular
        # A character no font has is drawn (by ReportLab too) as DejaVu's glyph 0, .notdef.
        return font

    def _advance(self, font: Any, char: str) -> float:
        glyph = font.load_glyph(font.get_char_index(ord(char)), flags=self._flags)
        return glyph.horiAdvance / font.units_per_EM

    def width(self, text: str, face: Face, size: float) -> float:
        advances = self._advances
        total = 0.0
        previous: Any = None
        for char in text:
            if previous is not None and joins_previous(char):
                total += self._advance(previous, char)  # a mark stays in its base's font
                continue
            advance = advances.get((face, char))
            if advance is None:
                font = self._font_for(face, char)
                advance = advances[(face, char)] = self._advance(font, char)
            if self._fallbacks:
                previous = self._font_for(face, char)
            total += advance
        return total * size


_metrics: dict[str, Metrics] = {}


def font_metrics() -> Metrics:
    """The metrics of the fonts in use (the project's fallback fonts of this render)."""
    fonts = active()
    key = fallback_key(fonts)
    metrics = _metrics.get(key)
    if metrics is None:
        metrics = _metrics[key] = Metrics(fonts)
    return metrics


@dataclass(frozen=True, slots=True)
class Run:
    dx: float
    text: str
    face: Face


@dataclass(frozen=True, slots=True)
class Block:
    """Wrapped label text: ``lines[i]`` is a tuple of runs, ``widths[i]`` its width."""

    lines: tuple[tuple[Run, ...], ...]
    widths: tuple[float, ...]

    @property
    def width(self) -> float:
        return max(self.widths)

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_H


@dataclass(frozen=True, slots=True)
class Word:
    """What a line may not break inside: one or more styled parts (``**Heav**iest``)."""

    parts: tuple[tuple[str, Face], ...]
    width: float

    @property
    def is_tag(self) -> bool:
        return self.parts == (("", "regular"),)


def _date_text(event: Event) -> str:
    """The date as the chronology prints it (``model.span_label``: one style everywhere)."""
    return span_label(event.date, event.end)


def _faced(bold: bool, italic: bool) -> Face:
    if italic:
        return "bolditalic" if bold else "italic"
    return "bold" if bold else "regular"


def label_words(event: Event, metrics: Metrics, tagged: bool) -> list[Word]:
    """Bold date words, then the label's words in their Markdown styles.

    Citations are left out (the chronology under the chart carries them); link text stays,
    without the link. ``tagged``: a blank word in front, where the label repeats its
    category marker — events of different categories on one day share one spot on the
    axis, where only the top marker shows.
    """
    parts: list[list[tuple[str, Face]]] = [[(word, "bold")] for word in _date_text(event).split()]
    glued = False
    for run in parse_inline(event.label):
        if run.cite is not None:
            glued = False
            continue
        for piece in re.split(r"(\s+)", run.text):
            if not piece or piece.isspace():
                glued = glued and not piece
                continue
            face = _faced(run.bold, run.italic)
            if glued:
                parts[-1].append((piece, face))
            else:
                parts.append([(piece, face)])
            glued = True
    words = [Word((("", "regular"),), TAG_W)] if tagged else []
    for word in parts:
        width = sum(metrics.width(text, face, LABEL_SIZE) for text, face in word)
        words.append(Word(tuple(word), width))
    return words


def _break_long(words: list[Word], max_width: float, metrics: Metrics) -> list[Word]:
    """Split any word wider than a line into line-wide pieces (URLs, long compounds)."""
    out: list[Word] = []
    for word in words:
        if word.width <= max_width:
            out.append(word)
            continue
        parts: list[tuple[str, Face]] = []
        width = 0.0
        for text, face in word.parts:
            for char in text:
                advance = metrics.width(char, face, LABEL_SIZE)
                if parts and width + advance > max_width:
                    out.append(Word(tuple(parts), width))
                    parts, width = [], 0.0
                if parts and parts[-1][1] == face:
                    parts[-1] = (parts[-1][0] + char, face)
                else:
                    parts.append((char, face))
                width += advance
        out.append(Word(tuple(parts), width))
    return out


def _lines(words: list[Word], max_width: float, space: float) -> list[list[Word]]:
    lines: list[list[Word]] = [[]]
    used = 0.0
    for word in words:
        if lines[-1] and used + space + word.width > max_width:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + word.width
        lines[-1].append(word)
    return lines


def _ellipsize(line: list[Word], max_width: float, space: float, metrics: Metrics) -> None:
    """End ``line`` with "…", dropping words and then characters until it fits."""
    while True:
        last = line[-1]
        text, face = last.parts[-1]
        parts = (*last.parts[:-1], (text + "…", face))
        width = sum(metrics.width(t, f, LABEL_SIZE) for t, f in parts)
        used = sum(word.width for word in line[:-1]) + space * (len(line) - 1)
        if used + width <= max_width or (len(line) == 1 and len(parts) == 1 and len(text) <= 1):
            line[-1] = Word(parts, width)
            return
        if len(line) > 1:
            line.pop()
        elif len(text) > 1 or len(last.parts) == 1:
            line[-1] = Word((*last.parts[:-1], (text[:-1], face)), 0.0)
        else:
            line[-1] = Word(last.parts[:-1], 0.0)


def _block(lines: list[list[Word]], space: float, metrics: Metrics) -> Block:
    """Lines of words → runs of one face, each at its offset from the line's start."""
    out: list[tuple[Run, ...]] = []
    widths: list[float] = []
    for line in lines:
        runs: list[Run] = []
        x = 0.0
        for n, word in enumerate(line):
            if n:
                x += space
            for k, (text, face) in enumerate(word.parts):
                if runs and runs[-1].face == face and not word.is_tag and runs[-1].text:
                    last = runs[-1]
                    joined = f"{last.text} {text}" if k == 0 else last.text + text
                    runs[-1] = Run(last.dx, joined, face)
                else:
                    runs.append(Run(x, text, face))
                x += metrics.width(text, face, LABEL_SIZE) if text else word.width
        out.append(tuple(runs))
        widths.append(x)
    return Block(tuple(out), tuple(widths))


def wrap(words: list[Word], max_width: float, metrics: Metrics) -> Block:
    """Wrap to ``max_width``; past ``MAX_LINES`` lines the last one ends with "…"."""
    space = _space(metrics)
    words = _break_long(words, max_width, metrics)
    lines = _lines(words, max_width, space)
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        _ellipsize(lines[-1], max_width, space, metrics)
    return _block(lines, space, metrics)


def _space(metrics: Metrics) -> float:
    # Every word gap is measured as a bold space, the widest: drawn text never outgrows its box.
    return metrics.width(" ", "bold", LABEL_SIZE)


def wrap_options(words: list[Word], max_width: float, metrics: Metrics) -> list[Block]:
    """The label wrapped to 1, 2 … ``MAX_LINES`` lines, each at the least width that does it.

    Widest (fewest lines) first. Offering narrower, taller shapes lets the packer slip a
    label between two leaders instead of stacking it above them.
    """
    space = _space(metrics)
    widest = wrap(words, max_width, metrics)
    pieces = _break_long(words, max_width, metrics)
    if len(_lines(pieces, max_width, space)) > MAX_LINES:
        return [widest]
    options: list[Block] = []
    low = max(word.width for word in pieces)
    for count in range(len(widest.lines), MAX_LINES + 1):
        lo, hi = low, max_width
        for _ in range(8):
            middle = (lo + hi) / 2
            if len(_lines(pieces, middle, space)) <= count:
                hi = middle
            else:
                lo = middle
        block = _block(_lines(pieces, hi, space), space, metrics)
        if not options or block.width < options[-1].width - 1.0:
            options.append(block)
    return options
