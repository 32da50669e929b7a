"""The timeline chart: laid out here in points, drawn by matplotlib, handed over as vector ops.

Why this route: a PNG blurs in print, and matplotlib's SVG through svglib costs ~300 ms
and loses the embedded font. So a matplotlib ``Figure`` (never pyplot) is drawn into a
small recording renderer, and ``pdf/chart.py`` replays the recorded paths and strings on
the ReportLab canvas with the document's own DejaVu fonts: vector, searchable text, no
Helvetica. This module never imports reportlab; ``pdf/`` never imports matplotlib.

Why the layout is computed here rather than by matplotlib's autoscaling: labels must never
overlap each other or leave the chart, for any data (1–300 events, same-day clusters, a
century with a busy last week). That takes a placement with a guarantee, and the geometry
is exposed on ``Chart`` (``label_boxes``, ``leaders``, ``tick_boxes``, ``legend_boxes``)
so tests can check the guarantee numerically. The parts:

* time axis (``_pieces``): piecewise linear. A gap longer than all other drawn time
  together, or one whose removal lets a crowded cluster (a busy week) spread out, becomes
  a fixed-width break (``//``); each piece keeps proportional spacing.
* labels (``_pack``): bold date + text (Markdown bold/italic kept, citations left to the
  chronology), wrapped to ≤ 3 lines, in rows above the axis with a leader down to the
  marker; spans are bars in lanes just above the axis. Labels left of a split point hang
  right of their leader, labels right of it hang left (``_sides``; when no split leaves
  room, the axis ends early and all hang right), and they are placed in an order in which
  no placed label can ever block a later leader, so the greedy "lowest free row" always
  succeeds. Each label tries its 1-, 2- and 3-line wraps and takes the lowest.
* a chart taller than ``max_height_pt`` is split into consecutive time chunks.

matplotlib is imported inside functions: importing it costs ~0.5 s, which a build with
nothing to draw must not pay. Text widths come from the same TTFs the PDF embeds (advance
widths, no kerning, as ReportLab draws), so a measured box is the drawn box.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefing.model import MONTH_ABBR, Event, Timeline
from briefing.text import parse_inline

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase

Face = Literal["regular", "bold", "italic", "bolditalic"]
RGBA = tuple[float, float, float, float]
#: ``("M", (x, y))``, ``("L", (x, y))``, ``("C", (x1, y1, x2, y2, x, y))`` or ``("Z", ())``.
Segment = tuple[str, tuple[float, ...]]
Side = Literal["right", "left"]


@dataclass(frozen=True, slots=True)
class PathOp:
    """One filled and/or stroked path, in points, origin bottom-left."""

    segments: tuple[Segment, ...]
    fill: RGBA | None
    stroke: RGBA | None
    line_width: float
    dash: tuple[float, ...] = ()
    dash_offset: float = 0.0
    cap: Literal["butt", "round", "projecting"] = "butt"
    join: Literal["miter", "round", "bevel"] = "miter"


@dataclass(frozen=True, slots=True)
class TextOp:
    """One string: ``(x, y)`` is the left end of its baseline; always DejaVu Sans."""

    x: float
    y: float
    text: str
    face: Face
    size: float
    angle: float
    color: RGBA


Op = PathOp | TextOp


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


@dataclass(frozen=True, slots=True)
class Leader:
    """The vertical line from a marker (``y0``) to the top of its label (``y1``)."""

    x: float
    y0: float
    y1: float


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn chart of ``events`` (a consecutive chunk of the timeline, in time order).

    ``label_boxes[i]`` and ``leaders[i]`` belong to ``events[i]``.
    """

    width: float
    height: float
    ops: tuple[Op, ...]
    events: tuple[Event, ...]
    label_boxes: tuple[Box, ...]
    leaders: tuple[Leader, ...]
    tick_boxes: tuple[Box, ...]
    legend_boxes: tuple[Box, ...]


# -- look ------------------------------------------------------------------------------------

TEXT = "#262626"
MUTED = "#4d4d4d"
AXIS = "#404040"
LEADER = "#a6a6a6"
NEUTRAL = "#7f7f7f"
#: Colour-blind-safe, spread in lightness; each category also gets its own marker shape,
#: so the chart still reads in grayscale.
PALETTE = ("#1f4e79", "#d55e00", "#009e73", "#6a3d9a", "#555555", "#56b4e9", "#b8860b", "#cc79a7")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: matplotlib's shapes differ in ink at one size; these make them look alike in weight.
MARKER_SCALE = {"s": 0.9, "^": 1.1, "D": 0.8, "v": 1.1, "P": 1.15, "X": 1.15, "*": 1.45}

LABEL_SIZE = 7.0
TICK_SIZE = 6.5
LEGEND_SIZE = 7.0
LINE_H = 8.4  # label line pitch
SLOT = LINE_H / 2  # packing grid: a label of n lines takes 2n slots plus one spacer above
ASCENT = 0.80  # box extent above the baseline, as a fraction of the size
DESCENT = 0.24
MAX_LINES = 3
MARKER_SIZE = 5.5
TAG_W = 5.0  # a category marker inside a label
BAR_H = 4.0
LANE = 6.0  # span-bar lane pitch
LEADER_GAP = 2.0  # between a leader and its own text
H_PAD = 6.0  # between two labels side by side
L_PAD = 2.5  # between a label and someone else's leader
EDGE = 5.0  # chart side to the outermost marker
PAD = 6.0  # axis line beyond a piece's outermost marker
BREAK_W = 10.0  # the gap in the axis line at a break
MIN_SEP = 5.0  # closest two distinct markers may be before a cluster gets its own piece
COMFORT = 10.0  # spacing a zoomed piece is given when room allows
POINT_W = 26.0  # a piece holding a single date: room for its year under it
ZOOM_W = 60.0  # a piece shorter than a year: room for a few day or month ticks
MAX_PIECES = 6
TICK_LEN = 3.0
TICK_SPACING = 36.0  # minimum distance between tick marks
LEGEND_LINE = 10.0

_FONT_FILES: dict[Face, str] = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bolditalic": "DejaVuSans-BoldOblique.ttf",
}

#: rcParams that would change what is drawn; set so a user's matplotlibrc cannot.
_RC: dict[str, Any] = {
    "text.parse_math": False,  # "$x_1$" is text, never mathtext
    "text.usetex": False,
    "path.effects": [],
    "path.sketch": None,
    "path.simplify": False,
    "lines.scale_dashes": True,
}


# -- public entry point ----------------------------------------------------------------------


def timeline_chart(
    timeline: Timeline, *, width_pt: float, max_height_pt: float
) -> tuple[Chart, ...]:
    """Draw ``timeline`` as one chart, or several consecutive time chunks if one is too tall.

    Every chart is ``width_pt`` wide and at most ``max_height_pt`` tall, unless a single
    event alone needs more. Same input, same ops: positions are rounded to 0.001 pt.
    """
    events = sorted(timeline.events, key=lambda event: event.date.first_day())
    if not events:
        return ()
    styles = _styles(timeline.categories())
    layouts = _fit(events, styles, width_pt, max_height_pt)
    return tuple(_draw(layout) for layout in layouts)


def _fit(
    events: list[Event], styles: dict[str | None, _Style], width: float, max_height: float
) -> list[_Layout]:
    """Lay out all events, or the fewest equal consecutive chunks that each fit."""
    metrics = _metrics()
    kinds: dict[dt.date, set[str | None]] = {}
    for event in events:
        kinds.setdefault(event.date.first_day(), set()).add(event.category)
    tokens = [_words(event, metrics, len(kinds[event.date.first_day()]) > 1) for event in events]
    options = [_wrap_options(t, _max_label_width(width), metrics) for t in tokens]
    count = len(events)
    for parts in range(1, count + 1):
        layouts = []
        for i in range(parts):
            chunk = slice(round(i * count / parts), round((i + 1) * count / parts))
            limit = max_height if chunk.stop - chunk.start > 1 else math.inf
            layout = _layout(events[chunk], tokens[chunk], options[chunk], styles, width, limit)
            if layout is None:
                break
            layouts.append(layout)
        else:
            return layouts
    raise AssertionError("unreachable: a chart of one event always fits")


def _max_label_width(width: float) -> float:
    """About a third of the chart: long enough for a phrase, narrow enough to share a row."""
    return max(40.0, min(150.0, 0.32 * width))


# -- text ------------------------------------------------------------------------------------


class _Metrics:
    """Advance widths of the DejaVu TTFs the PDF embeds: measured here, drawn identically there."""

    def __init__(self) -> None:
        from matplotlib import ft2font, get_data_path

        base = Path(get_data_path()) / "fonts" / "ttf"
        self._fonts = {
            face: ft2font.FT2Font(str(base / name)) for face, name in _FONT_FILES.items()
        }
        load_flags = getattr(ft2font, "LoadFlags", None)
        self._flags = load_flags.NO_SCALE if load_flags else ft2font.LOAD_NO_SCALE
        self._advances: dict[tuple[Face, str], float] = {}

    def width(self, text: str, face: Face, size: float) -> float:
        advances = self._advances
        total = 0.0
        for char in text:
            advance = advances.get((face, char))
            if advance is None:
                font = self._fonts[face]
                # A character the face lacks is drawn (by ReportLab too) as glyph 0, .notdef.
                glyph = font.load_glyph(font.get_char_index(ord(char)), flags=self._flags)
                advance = advances[(face, char)] = glyph.horiAdvance / font.units_per_EM
            total += advance
        return total * size


@cache
def _metrics() -> _Metrics:
    return _Metrics()


@dataclass(frozen=True, slots=True)
class _Run:
    dx: float
    text: str
    face: Face


@dataclass(frozen=True, slots=True)
class _Block:
    """Wrapped label text: ``lines[i]`` is a tuple of runs, ``widths[i]`` its width."""

    lines: tuple[tuple[_Run, ...], ...]
    widths: tuple[float, ...]

    @property
    def width(self) -> float:
        return max(self.widths)

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_H


@dataclass(frozen=True, slots=True)
class _Word:
    """What a line may not break inside: one or more styled parts (``**Heav**iest``)."""

    parts: tuple[tuple[str, Face], ...]
    width: float

    @property
    def is_tag(self) -> bool:
        return self.parts == (("", "regular"),)


def _date_text(event: Event) -> str:
    """The date at its own precision; a span shares what its ends share (``Mar–May 2020``)."""
    start, end = event.date, event.end
    if end is None:
        return start.short_label()
    if start == end:
        return start.short_label()
    if start.year == end.year and start.precision == end.precision != "year":
        assert start.month is not None
        assert end.month is not None
        if start.precision == "month":
            return f"{MONTH_ABBR[start.month - 1]}–{end.short_label()}"
        if start.month == end.month:
            return f"{start.day}–{end.short_label()}"
        return f"{start.day} {MONTH_ABBR[start.month - 1]}–{end.short_label()}"
    return f"{start.short_label()}–{end.short_label()}"


def _faced(bold: bool, italic: bool) -> Face:
    if italic:
        return "bolditalic" if bold else "italic"
    return "bold" if bold else "regular"


def _words(event: Event, metrics: _Metrics, tagged: bool) -> list[_Word]:
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
    words = [_Word((("", "regular"),), TAG_W)] if tagged else []
    for word in parts:
        width = sum(metrics.width(text, face, LABEL_SIZE) for text, face in word)
        words.append(_Word(tuple(word), width))
    return words


def _break_long(words: list[_Word], max_width: float, metrics: _Metrics) -> list[_Word]:
    """Split any word wider than a line into line-wide pieces (URLs, long compounds)."""
    out: list[_Word] = []
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
                    out.append(_Word(tuple(parts), width))
                    parts, width = [], 0.0
                if parts and parts[-1][1] == face:
                    parts[-1] = (parts[-1][0] + char, face)
                else:
                    parts.append((char, face))
                width += advance
        out.append(_Word(tuple(parts), width))
    return out


def _lines(words: list[_Word], max_width: float, space: float) -> list[list[_Word]]:
    lines: list[list[_Word]] = [[]]
    used = 0.0
    for word in words:
        if lines[-1] and used + space + word.width > max_width:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + word.width
        lines[-1].append(word)
    return lines


def _ellipsize(line: list[_Word], max_width: float, space: float, metrics: _Metrics) -> None:
    """End ``line`` with "…", dropping words and then characters until it fits."""
    while True:
        last = line[-1]
        text, face = last.parts[-1]
        parts = (*last.parts[:-1], (text + "…", face))
        width = sum(metrics.width(t, f, LABEL_SIZE) for t, f in parts)
        used = sum(word.width for word in line[:-1]) + space * (len(line) - 1)
        if used + width <= max_width or (len(line) == 1 and len(parts) == 1 and len(text) <= 1):
            line[-1] = _Word(parts, width)
            return
        if len(line) > 1:
            line.pop()
        elif len(text) > 1 or len(last.parts) == 1:
            line[-1] = _Word((*last.parts[:-1], (text[:-1], face)), 0.0)
        else:
            line[-1] = _Word(last.parts[:-1], 0.0)


def _block(lines: list[list[_Word]], space: float, metrics: _Metrics) -> _Block:
    """Lines of words → runs of one face, each at its offset from the line's start."""
    out: list[tuple[_Run, ...]] = []
    widths: list[float] = []
    for line in lines:
        runs: list[_Run] = []
        x = 0.0
        for n, word in enumerate(line):
            if n:
                x += space
            for k, (text, face) in enumerate(word.parts):
                if runs and runs[-1].face == face and not word.is_tag and runs[-1].text:
                    last = runs[-1]
                    joined = f"{last.text} {text}" if k == 0 else last.text + text
                    runs[-1] = _Run(last.dx, joined, face)
                else:
                    runs.append(_Run(x, text, face))
                x += metrics.width(text, face, LABEL_SIZE) if text else word.width
        out.append(tuple(runs))
        widths.append(x)
    return _Block(tuple(out), tuple(widths))


def _wrap(words: list[_Word], max_width: float, metrics: _Metrics) -> _Block:
    """Wrap to ``max_width``; past ``MAX_LINES`` lines the last one ends with "…"."""
    space = _space(metrics)
    words = _break_long(words, max_width, metrics)
    lines = _lines(words, max_width, space)
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        _ellipsize(lines[-1], max_width, space, metrics)
    return _block(lines, space, metrics)


def _space(metrics: _Metrics) -> float:
    # Every word gap is measured as a bold space, the widest: drawn text never outgrows its box.
    return metrics.width(" ", "bold", LABEL_SIZE)


def _wrap_options(words: list[_Word], max_width: float, metrics: _Metrics) -> list[_Block]:
    """The label wrapped to 1, 2 … ``MAX_LINES`` lines, each at the least width that does it.

    Widest (fewest lines) first. Offering narrower, taller shapes lets the packer slip a
    label between two leaders instead of stacking it above them.
    """
    space = _space(metrics)
    widest = _wrap(words, max_width, metrics)
    pieces = _break_long(words, max_width, metrics)
    if len(_lines(pieces, max_width, space)) > MAX_LINES:
        return [widest]
    options: list[_Block] = []
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


# -- time axis -------------------------------------------------------------------------------


def _year_fraction(day: dt.date, *, end_of_day: bool = False) -> float:
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - (0 if end_of_day else 1)) / days


def _times(event: Event) -> tuple[float, float]:
    """Where an event starts and ends on the time axis (a span ends after its last day)."""
    start = event.date.decimal_year()
    if event.end is None:
        return start, start
    return start, max(start, _year_fraction(event.end.last_day(), end_of_day=True))


@dataclass(frozen=True, slots=True)
class _Piece:
    """One linear stretch of the axis: times ``t0..t1`` sit at ``x0..x1``."""

    t0: float
    t1: float
    x0: float
    x1: float
    line0: float
    line1: float

    def x(self, t: float) -> float:
        if self.t1 == self.t0:
            return self.x0
        return self.x0 + (t - self.t0) * (self.x1 - self.x0) / (self.t1 - self.t0)


@dataclass(frozen=True, slots=True)
class _Axis:
    pieces: tuple[_Piece, ...]

    def x(self, t: float) -> float:
        starts = [piece.t0 for piece in self.pieces]
        return self.pieces[max(0, bisect.bisect_right(starts, t) - 1)].x(t)


def _pieces(starts: list[float], spans: list[tuple[float, float]], lo: float, hi: float) -> _Axis:
    """Cut the time axis into linear pieces between ``lo`` and ``hi`` (see module docstring)."""
    points = sorted(set(starts) | {end for _, end in spans})
    marks = sorted(set(starts))
    breakable = _breakable(points, spans)
    groups = [(0, len(points) - 1)]
    while len(groups) < MAX_PIECES:
        widths = _allocate(points, marks, groups, lo, hi)
        cut = _waste_cut(points, groups, breakable)
        if cut is None:
            cut = _crowd_cut(points, marks, groups, breakable, widths)
        if cut is None:
            break
        groups = [part for g in groups for part in _split(g, cut)]
    widths = _allocate(points, marks, groups, lo, hi)
    pieces: list[_Piece] = []
    cursor = lo
    for (i, j), width in zip(groups, widths, strict=True):
        t0, t1 = points[i], points[j]
        x0, x1 = (cursor, cursor + width) if t1 > t0 else (cursor + width / 2,) * 2
        pieces.append(_Piece(t0, t1, x0, x1, cursor - PAD, cursor + width + PAD))
        cursor += width + 2 * PAD + BREAK_W
    first = pieces[0]
    pieces[0] = _Piece(first.t0, first.t1, first.x0, first.x1, 0.0, first.line1)
    last = pieces[-1]
    pieces[-1] = _Piece(last.t0, last.t1, last.x0, last.x1, last.line0, hi + EDGE)
    return _Axis(tuple(pieces))


def _split(group: tuple[int, int], cut: int) -> list[tuple[int, int]]:
    i, j = group
    return [(i, cut), (cut + 1, j)] if i <= cut < j else [group]


def _breakable(points: list[float], spans: list[tuple[float, float]]) -> list[bool]:
    """``out[i]``: the gap after ``points[i]`` lies outside every span (a span is never cut)."""
    ordered = sorted(spans)
    reach, k, out = -math.inf, 0, []
    for i in range(len(points) - 1):
        while k < len(ordered) and ordered[k][0] <= points[i]:
            reach = max(reach, ordered[k][1])
            k += 1
        out.append(reach < points[i + 1])
    return out


def _waste_cut(
    points: list[float], groups: list[tuple[int, int]], breakable: list[bool]
) -> int | None:
    """A gap longer than all other drawn time together: mostly empty axis, so cut it."""
    total = sum(points[j] - points[i] for i, j in groups)
    best, best_gap = None, 0.0
    for i, j in groups:
        for g in range(i, j):
            gap = points[g + 1] - points[g]
            if breakable[g] and gap > best_gap:
                best, best_gap = g, gap
    rest = total - best_gap  # zero: only single points around it, a linear axis shows them best
    return best if best is not None and best_gap > rest > 0 else None


def _need(lo: float, hi: float, marks: list[float], spacing: float) -> float:
    """Width that puts the closest two of ``marks`` ``spacing`` apart on a piece ``lo..hi``."""
    if hi <= lo or len(marks) < 2:
        return 0.0
    closest = min(b - a for a, b in itertools.pairwise(marks))
    return spacing * (hi - lo) / closest


def _marks_in(marks: list[float], lo: float, hi: float) -> list[float]:
    return marks[bisect.bisect_left(marks, lo) : bisect.bisect_right(marks, hi)]


def _crowd_cut(
    points: list[float],
    marks: list[float],
    groups: list[tuple[int, int]],
    breakable: list[bool],
    widths: list[float],
) -> int | None:
    """In the most crowded piece, the cut that best separates its markers, if it helps a lot.

    A busy week at the end of a century cannot be told apart on one linear scale; cut the
    gap before it and it gets a piece of its own. Evenly dense data (300 random events)
    gains little from any cut and stays on one scale. A cut gap must be at least as long
    as the cluster it sets apart, so a cut never splits what reads as one stretch.
    """
    worst, worst_spacing = None, MIN_SEP
    for (i, j), width in zip(groups, widths, strict=True):
        need = _need(points[i], points[j], _marks_in(marks, points[i], points[j]), 1.0)
        if need and width / need < worst_spacing:
            worst, worst_spacing = (i, j), width / need
    if worst is None:
        return None
    i, j = worst
    current = _need(points[i], points[j], _marks_in(marks, points[i], points[j]), MIN_SEP)
    best, best_need = None, current / 4
    for g in range(i, j):
        gap = points[g + 1] - points[g]
        if not breakable[g] or gap < min(points[g] - points[i], points[j] - points[g + 1]):
            continue
        left = _need(points[i], points[g], _marks_in(marks, points[i], points[g]), MIN_SEP)
        right = _need(points[g + 1], points[j], _marks_in(marks, points[g + 1], points[j]), MIN_SEP)
        if max(left, right) < best_need:
            best, best_need = g, max(left, right)
    return best


def _allocate(
    points: list[float], marks: list[float], groups: list[tuple[int, int]], lo: float, hi: float
) -> list[float]:
    """Piece widths: one common scale, except that no piece gets less than its floor."""
    available = (hi - lo) - (len(groups) - 1) * (2 * PAD + BREAK_W)
    spans = [points[j] - points[i] for i, j in groups]
    floors = []
    for (i, j), span in zip(groups, spans, strict=True):
        if span == 0:
            floors.append(POINT_W)
            continue
        need = _need(points[i], points[j], _marks_in(marks, points[i], points[j]), COMFORT)
        floors.append(min(max(need, ZOOM_W if span < 1 else 20.0), 0.45 * available))
    fixed = [span == 0 for span in spans]
    if sum(floors) >= available or all(fixed):
        return [floor * available / sum(floors) for floor in floors]
    while True:
        free = available - sum(f for f, done in zip(floors, fixed, strict=True) if done)
        time = sum(s for s, done in zip(spans, fixed, strict=True) if not done)
        scale = free / time if time else 0.0
        grow = [k for k, done in enumerate(fixed) if not done and spans[k] * scale < floors[k]]
        if not grow:
            return [
                f if done else s * scale for f, s, done in zip(floors, spans, fixed, strict=True)
            ]
        for k in grow:
            fixed[k] = True
        if all(fixed):
            return [floor * available / sum(floors) for floor in floors]


# -- ticks -----------------------------------------------------------------------------------

#: (unit, step) from fine to coarse; the finest whose labels fit is used.
_UNITS = (
    ("day", 1),
    ("day", 2),
    ("day", 7),
    ("month", 1),
    ("month", 3),
    ("month", 6),
    ("year", 1),
    ("year", 2),
    ("year", 5),
    ("year", 10),
    ("year", 20),
    ("year", 50),
    ("year", 100),
)
_UNIT_YEARS = {"day": 1 / 365.25, "month": 1 / 12, "year": 1.0}


def _date_of(t: float) -> dt.date:
    year = math.floor(t + 1e-9)
    days = 366 if calendar.isleap(year) else 365
    return dt.date(year, 1, 1) + dt.timedelta(days=min(days - 1, round((t - year) * days)))


def _tick_dates(unit: str, step: int, lo: float, hi: float) -> list[dt.date]:
    first, last = _date_of(max(lo, 1.0)), _date_of(min(hi, 9999.99))
    if unit == "year":
        start = math.ceil(first.year / step) * step
        return [dt.date(y, 1, 1) for y in range(max(start, 1), last.year + 1, step)]
    out: list[dt.date] = []
    if unit == "month":
        for index in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
            year, month = divmod(index, 12)
            if month % step == 0:
                out.append(dt.date(year, month + 1, 1))
        return out
    day = first
    while day <= last:
        month_days = calendar.monthrange(day.year, day.month)[1]
        if (day.day - 1) % step == 0 and day.day + step - 1 <= month_days:  # no crowding at the 1st
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _tick_text(unit: str, day: dt.date, first: bool) -> str:
    if unit == "year":
        return str(day.year)
    month = MONTH_ABBR[day.month - 1]
    with_year = first or (day.month == 1 and (unit == "month" or day.day == 1))
    if unit == "month":
        return f"{month} {day.year}" if with_year else month
    return f"{day.day} {month} {day.year}" if with_year else f"{day.day} {month}"


def _ticks(
    piece: _Piece, zone: tuple[float, float], metrics: _Metrics
) -> list[tuple[float, str, Box]]:
    """Tick marks and labels for one piece, kept inside its zone so pieces never collide."""

    def label(x: float, text: str) -> tuple[float, str, Box] | None:
        if not piece.line0 <= x <= piece.line1:
            return None  # the tick mark must sit on the drawn axis line
        width = metrics.width(text, "regular", TICK_SIZE)
        left = min(max(x - width / 2, zone[0]), zone[1] - width)
        if left < zone[0] - 1e-9 or not left <= x <= left + width:
            return None
        return x, text, Box(left, 0.5, left + width, 0.5 + (ASCENT + DESCENT) * TICK_SIZE)

    if piece.t1 == piece.t0:
        only = label(piece.x0, str(_date_of(piece.t0).year))
        return [only] if only else []
    scale = (piece.x1 - piece.x0) / (piece.t1 - piece.t0)
    lo = piece.t0 - (piece.x0 - max(piece.line0, zone[0])) / scale
    hi = piece.t1 + (min(piece.line1, zone[1]) - piece.x1) / scale
    for unit, step in _UNITS:
        if (
            _UNIT_YEARS[unit] * step * scale < TICK_SPACING
            or hi - lo > 400 * _UNIT_YEARS[unit] * step
        ):
            continue
        ticks = []
        for n, day in enumerate(_tick_dates(unit, step, lo, hi)):
            placed = label(piece.x(_year_fraction(day)), _tick_text(unit, day, n == 0))
            if placed is not None:
                ticks.append(placed)
        if ticks and all(a[2].x1 + 6 <= b[2].x0 for a, b in itertools.pairwise(ticks)):
            return ticks
    start = _date_of(piece.t0)
    fallback = label(piece.x0, f"{MONTH_ABBR[start.month - 1]} {start.year}")
    return [fallback] if fallback else []


# -- styles ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    name: str | None
    color: str
    marker: str
    hollow: bool = False


def _styles(categories: Sequence[str]) -> dict[str | None, _Style]:
    """Category → colour and marker, by order of first appearance, stable across chunks."""
    styles: dict[str | None, _Style] = {None: _Style(None, NEUTRAL, "o", hollow=True)}
    for i, name in enumerate(categories):
        marker = MARKERS[(i + i // len(PALETTE)) % len(MARKERS)]
        styles[name] = _Style(name, PALETTE[i % len(PALETTE)], marker)
    return styles


# -- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Label:
    event: Event
    style: _Style
    x: float  # the leader's x: the marker, or the start of the bar
    anchor_y: float  # top of the marker
    bar: tuple[float, float, float] | None  # x0, x1, y of a span's bar
    block: _Block
    side: Side
    box: Box


@dataclass(frozen=True, slots=True)
class _Layout:
    width: float
    height: float
    events: tuple[Event, ...]
    axis: _Axis
    axis_y: float
    ticks: tuple[tuple[float, str, Box], ...]
    labels: tuple[_Label, ...]
    legend: tuple[tuple[_Style, str, float, float, Box], ...]  # style, text, marker x, baseline


def _layout(
    events: list[Event],
    tokens: list[list[_Word]],
    options: list[list[_Block]],
    styles: dict[str | None, _Style],
    width: float,
    max_height: float,
) -> _Layout | None:
    """Geometry of one chart, or None if it would be taller than ``max_height``.

    ``options[i]`` are ``events[i]``'s label wraps from widest to narrowest.
    """
    metrics = _metrics()
    times = [_times(event) for event in events]
    widest = [opts[0].width for opts in options]
    narrowest = [opts[-1].width for opts in options]
    starts = [t0 for t0, _ in times]
    spans = [(t0, t1) for (t0, t1), event in zip(times, events, strict=True) if event.is_span]

    axis = _pieces(starts, spans, EDGE, width - EDGE)
    xs = [axis.x(t0) for t0 in starts]
    split = _sides(xs, widest, narrowest, width)
    if split is None:  # no split leaves every label room: end the axis early instead
        axis, xs = _reserve_right(starts, spans, narrowest, width)
        split = (["right"] * len(xs), [width - x - LEADER_GAP for x in xs])
    sides, caps = split
    candidates = [
        [block for block in opts if block.width <= cap] or [_wrap(t, max(cap, 1.0), metrics)]
        for t, opts, cap in zip(tokens, options, caps, strict=True)
    ]

    ticks = _all_ticks(axis, width, metrics)
    axis_y = ticks[0][2].y1 + 2 + TICK_LEN if ticks else 2 + TICK_LEN
    extents = [(axis.x(t0), axis.x(t1)) for t0, t1 in times]
    lanes = _lanes(extents, events)
    lane_count = max((lane + 1 for lane in lanes if lane is not None), default=0)
    base = axis_y + MARKER_SIZE / 2 + 5 + lane_count * LANE

    legend, legend_h = _legend(events, styles, width, metrics)
    room = max_height - base - (4 + legend_h if legend else 2)
    placed = _pack(xs, candidates, sides, room / SLOT if room < math.inf else math.inf)
    if placed is None:
        return None
    labels = []
    for k, event in enumerate(events):
        (row, block), x, side = placed[k], xs[k], sides[k]
        y0 = base + row * SLOT
        x0 = x + LEADER_GAP if side == "right" else x - LEADER_GAP - block.width
        bar, anchor_y = None, axis_y + MARKER_SIZE / 2
        if lanes[k] is not None:
            bar_y = axis_y + 5 + lanes[k] * LANE
            bar = (x, max(extents[k][1], x + 1.0), bar_y)
            anchor_y = bar_y + BAR_H / 2 + MARKER_SIZE / 2
        box = Box(x0, y0, x0 + block.width, y0 + block.height)
        labels.append(_Label(event, styles[event.category], x, anchor_y, bar, block, side, box))
    top = max(label.box.y1 for label in labels)
    height = top + (4 + legend_h if legend else 2)
    legend = [
        (s, text, mx, height - by, Box(b.x0, height - b.y1, b.x1, height - b.y0))
        for s, text, mx, by, b in legend
    ]
    return _Layout(
        width, height, tuple(events), axis, axis_y, tuple(ticks), tuple(labels), tuple(legend)
    )


def _reserve_right(
    starts: list[float], spans: list[tuple[float, float]], narrowest: list[float], width: float
) -> tuple[_Axis, list[float]]:
    """An axis ending early enough that every label fits hanging right of its leader."""
    reserve = 0.0
    for _ in range(6):
        hi = max(width / 2, width - EDGE - reserve)
        axis = _pieces(starts, spans, EDGE, hi)
        xs = [axis.x(t0) for t0 in starts]
        short = max(need - (width - x - LEADER_GAP) for need, x in zip(narrowest, xs, strict=True))
        if short <= 0 or hi == width / 2:
            break
        reserve += short + 0.5
    return axis, xs


def _sides(
    xs: list[float], widest: list[float], narrowest: list[float], width: float
) -> tuple[list[Side], list[float]] | None:
    """Which labels hang right of their leader and which left, and how wide each may be.

    Labels left of a split hang right, the others hang left; a left-hanging label may not
    reach back over the last right-hanging leader (that is what keeps packing always
    possible). Of the splits that leave every label room for its narrowest wrap, the one
    where the tightest label keeps most of its widest wrap wins; None if there is none.
    """
    order = sorted(range(len(xs)), key=lambda k: xs[k])
    sx = [xs[k] for k in order]
    n = len(sx)
    room_right = [width - x - LEADER_GAP for x in sx]
    enough = max(widest)  # a label with this much room is unconstrained, and so are its outer ones
    best_score, best_split = -1.0, None
    for split in range(n, -1, -1):
        if 0 < split < n and sx[split - 1] == sx[split]:
            continue  # markers at one x always hang the same way
        score = 1.0
        for rank in range(split - 1, -1, -1):
            k = order[rank]
            if room_right[rank] >= enough:
                break  # further left only gets more room
            if room_right[rank] < narrowest[k]:
                score = -1.0
                break
            score = min(score, room_right[rank] / widest[k])
        wall = sx[split - 1] + L_PAD + 0.5 if split else 0.0
        for rank in range(split, n if score >= 0 else split):
            k = order[rank]
            room = sx[rank] - LEADER_GAP - wall
            if room >= enough:
                break  # further right only gets more room
            if room < narrowest[k]:
                score = -1.0
                break
            score = min(score, room / widest[k])
        if score > best_score + 1e-9:
            best_score, best_split = score, split
        if best_score >= 1.0:
            break
    if best_split is None:
        return None
    sides: list[Side] = ["right"] * n
    caps = [0.0] * n
    wall = sx[best_split - 1] + L_PAD + 0.5 if best_split else 0.0
    for rank, k in enumerate(order):
        if rank < best_split:
            caps[k] = room_right[rank]
        else:
            sides[k], caps[k] = "left", xs[k] - LEADER_GAP - wall
    return sides, caps


def _all_ticks(axis: _Axis, width: float, metrics: _Metrics) -> list[tuple[float, str, Box]]:
    pieces = axis.pieces
    ticks = []
    for n, piece in enumerate(pieces):
        zone0 = 0.0 if n == 0 else piece.line0 - BREAK_W / 2 + 0.5
        zone1 = width if n == len(pieces) - 1 else piece.line1 + BREAK_W / 2 - 0.5
        ticks += _ticks(piece, (zone0, zone1), metrics)
    return ticks


def _lanes(extents: list[tuple[float, float]], events: list[Event]) -> list[int | None]:
    """A lane above the axis for each span's bar: the lowest whose last bar ended before."""
    ends: list[float] = []
    lanes: list[int | None] = []
    for (x0, x1), event in zip(extents, events, strict=True):
        if not event.is_span:
            lanes.append(None)
            continue
        lane = next((n for n, end in enumerate(ends) if end + 2 < x0), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = max(x1, x0 + 1.0)
        lanes.append(lane)
    return lanes


def _pack(
    xs: list[float], candidates: list[list[_Block]], sides: list[Side], limit: float
) -> list[tuple[int, _Block]] | None:
    """Each label's row (in slots) and shape: the lowest top among its candidate wraps.

    A label needs its slots (plus a spacer above) free of other labels and of leaders
    passing up to labels above; its own leader then runs up through every slot below it.
    Order makes this always possible: left-hanging labels left to right, then
    right-hanging ones right to left, so no label already placed stands over the x of a
    leader still to come (``_sides`` keeps the two groups from reaching into each other).
    None as soon as a label would end above ``limit`` slots: the chart must be split.
    """
    grid = _Grid()
    lefts = sorted((k for k, side in enumerate(sides) if side == "left"), key=lambda k: (xs[k], k))
    rights = sorted(
        (k for k, side in enumerate(sides) if side == "right"), key=lambda k: (-xs[k], -k)
    )
    placed: list[tuple[int, _Block]] = [(0, candidates[0][0])] * len(xs)
    for k in lefts + rights:
        best: tuple[int, float, _Block] | None = None
        for block in candidates[k]:
            a = xs[k] + LEADER_GAP if sides[k] == "right" else xs[k] - LEADER_GAP - block.width
            row = grid.lowest(a, a + block.width, 2 * len(block.lines) + 1)
            if best is None or row + 2 * len(block.lines) < best[0] + 2 * len(best[2].lines):
                best = (row, a, block)
        assert best is not None
        row, a, block = best
        if row + 2 * len(block.lines) > limit + 1e-9:
            return None
        grid.take(row, 2 * len(block.lines) + 1, a, a + block.width, xs[k])
        placed[k] = (row, block)
    return placed


class _Grid:
    """Label boxes as x-intervals per slot row, and leaders as (x, the row they rise to)."""

    def __init__(self) -> None:
        self.boxes: list[list[tuple[float, float]]] = []
        self.leader_xs: list[float] = []
        self.leader_rows: list[int] = []

    def lowest(self, a: float, b: float, need: int) -> int:
        """The lowest row with ``need`` slots free over ``a..b`` and no leader crossing them."""
        lo = bisect.bisect_left(self.leader_xs, a - L_PAD)
        hi = bisect.bisect_right(self.leader_xs, b + L_PAD)
        row = max(self.leader_rows[lo:hi], default=0)
        slot = row
        while slot < row + need:
            if slot < len(self.boxes) and _blocked(self.boxes[slot], a, b):
                row = slot = slot + 1
            else:
                slot += 1
        return row

    def take(self, row: int, need: int, a: float, b: float, leader_x: float) -> None:
        while len(self.boxes) < row + need:
            self.boxes.append([])
        for slot in range(row, row + need):
            bisect.insort(self.boxes[slot], (a, b))
        index = bisect.bisect_right(self.leader_xs, leader_x)
        self.leader_xs.insert(index, leader_x)
        self.leader_rows.insert(index, row)


def _blocked(boxes: list[tuple[float, float]], a: float, b: float) -> bool:
    # Boxes in one slot never overlap, so sorted by left edge they are sorted by right edge.
    i = bisect.bisect_left(boxes, (b + H_PAD, -math.inf))
    return bool(i) and boxes[i - 1][1] > a - H_PAD


def _legend(
    events: list[Event], styles: dict[str | None, _Style], width: float, metrics: _Metrics
) -> tuple[list[tuple[_Style, str, float, float, Box]], float]:
    """Legend items laid out in lines from the top; y measured down from the chart top."""
    present = {event.category for event in events}
    entries = [style for name, style in styles.items() if name is not None and name in present]
    if not entries:
        return [], 0.0
    if None in present:
        entries.append(styles[None])
    items = []
    x, line = 0.0, 0
    for style in entries:
        text = style.name or "other"
        text_w = metrics.width(text, "regular", LEGEND_SIZE)
        item_w = MARKER_SIZE + 3 + text_w
        if x and x + item_w > width:
            x, line = 0.0, line + 1
        baseline = 1 + ASCENT * LEGEND_SIZE + line * LEGEND_LINE
        top = baseline - ASCENT * LEGEND_SIZE
        box = Box(x, top, min(width, x + item_w), top + (ASCENT + DESCENT) * LEGEND_SIZE)
        items.append((style, text, x + MARKER_SIZE / 2, baseline, box))
        x += item_w + 12
    return items, (line + 1) * LEGEND_LINE


# -- drawing ---------------------------------------------------------------------------------


def _draw(layout: _Layout) -> Chart:
    """Build the matplotlib Figure for ``layout`` and record what it draws."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(layout.width / 72, layout.height / 72), dpi=72)
        figure.patch.set_visible(False)
        _add_artists(figure, layout)
        renderer = _recorder_type()(layout.width, layout.height)
        figure.draw(renderer)
    labels = layout.labels
    return Chart(
        width=layout.width,
        height=layout.height,
        ops=tuple(renderer.ops),
        events=layout.events,
        label_boxes=tuple(label.box for label in labels),
        leaders=tuple(Leader(label.x, label.anchor_y, label.box.y1) for label in labels),
        tick_boxes=tuple(box for _, _, box in layout.ticks),
        legend_boxes=tuple(item[4] for item in layout.legend),
    )


def _add_artists(figure: Any, layout: _Layout) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text
    from matplotlib.transforms import IdentityTransform

    identity = IdentityTransform()

    def add(artist: Any, zorder: float) -> None:
        artist.set_transform(identity)
        artist.set_zorder(zorder)
        figure.add_artist(artist)

    def text(x: float, y: float, s: str, face: Face, size: float, color: str, z: float) -> None:
        weight = "bold" if face in ("bold", "bolditalic") else "normal"
        style = "italic" if face in ("italic", "bolditalic") else "normal"
        font = FontProperties(family="DejaVu Sans", size=size, weight=weight, style=style)
        add(Text(x, y, s, color=color, fontproperties=font, parse_math=False), z)

    def marker(
        xs: list[float], ys: list[float], style: _Style, z: float, size: float = MARKER_SIZE
    ) -> None:
        face = "white" if style.hollow else style.color
        edge = style.color if style.hollow else "white"
        add(
            Line2D(
                xs,
                ys,
                linestyle="none",
                marker=style.marker,
                markersize=size * MARKER_SCALE.get(style.marker, 1.0),
                markerfacecolor=face,
                markeredgecolor=edge,
                markeredgewidth=0.7 if style.hollow else 0.4,
                fillstyle="full",
            ),
            z,
        )

    axis_y = layout.axis_y
    leaders = [[(lab.x, lab.anchor_y), (lab.x, lab.box.y1)] for lab in layout.labels]
    add(LineCollection(leaders, colors=LEADER, linewidths=0.5, capstyle="butt"), 1)
    pieces = layout.axis.pieces
    axis_lines = [[(p.line0, axis_y), (p.line1, axis_y)] for p in pieces]
    for left, right in itertools.pairwise(pieces):
        middle = (left.line1 + right.line0) / 2
        for dx in (-1.6, 1.6):
            axis_lines.append(
                [(middle + dx - 1.5, axis_y - 3.5), (middle + dx + 1.5, axis_y + 3.5)]
            )
    axis_lines += [[(x, axis_y), (x, axis_y - TICK_LEN)] for x, _, _ in layout.ticks]
    add(LineCollection(axis_lines, colors=AXIS, linewidths=0.7, capstyle="butt"), 2)
    for _, label, box in layout.ticks:
        text(box.x0, box.y0 + DESCENT * TICK_SIZE, label, "regular", TICK_SIZE, MUTED, 5)

    by_style: dict[_Style, tuple[list[float], list[float]]] = {}
    for lab in layout.labels:
        y = axis_y
        if lab.bar is not None:
            x0, x1, bar_y = lab.bar
            bar_color = lab.style.color
            add(Rectangle((x0, bar_y), x1 - x0, BAR_H, facecolor=bar_color, edgecolor="none"), 3)
            y = bar_y + BAR_H / 2
        xs, ys = by_style.setdefault(lab.style, ([], []))
        xs.append(lab.x)
        ys.append(y)
        block, box = lab.block, lab.box
        for n, (runs, line_w) in enumerate(zip(block.lines, block.widths, strict=True)):
            baseline = box.y1 - (LINE_H - (ASCENT + DESCENT) * LABEL_SIZE) / 2
            baseline -= ASCENT * LABEL_SIZE + n * LINE_H
            left = box.x0 if lab.side == "right" else box.x1 - line_w
            for run in runs:
                if run.text:
                    text(left + run.dx, baseline, run.text, run.face, LABEL_SIZE, TEXT, 6)
                else:
                    tag_y = baseline + 0.35 * LABEL_SIZE
                    marker([left + run.dx + TAG_W / 2], [tag_y], lab.style, 6, TAG_W - 0.5)
    for style, (xs, ys) in by_style.items():
        marker(xs, ys, style, 4)
    for style, label, mx, baseline, _ in layout.legend:
        marker([mx], [baseline + 0.3 * LEGEND_SIZE], style, 4)
        text(mx + MARKER_SIZE / 2 + 3, baseline, label, "regular", LEGEND_SIZE, MUTED, 6)


@cache
def _recorder_type() -> type[RendererBase]:
    """The recording renderer class, defined on first use so matplotlib loads lazily."""
    from matplotlib.backend_bases import GraphicsContextBase, RendererBase
    from matplotlib.font_manager import weight_dict
    from matplotlib.path import Path as MplPath

    def rgba(color: Sequence[float], alpha: float | None = None) -> RGBA:
        r, g, b = (round(float(c), 4) for c in color[:3])
        a = float(color[3]) if alpha is None and len(color) > 3 else alpha
        return (r, g, b, round(1.0 if a is None else a, 4))

    def face_of(prop: Any) -> Face:
        """matplotlib's weight and style → one of the four DejaVu Sans faces."""
        weight = prop.get_weight()
        bold = (weight if isinstance(weight, int) else weight_dict.get(weight, 400)) >= 600
        if prop.get_style() in ("italic", "oblique"):
            return "bolditalic" if bold else "italic"
        return "bold" if bold else "regular"

    class Recorder(RendererBase):
        """Records paths and strings as ops instead of painting; 1 px = 1 pt (72 dpi).

        Clipping is not recorded: every artist is a figure-level artist without a clip
        box, laid out inside the figure by construction.
        """

        def __init__(self, width: float, height: float) -> None:
            super().__init__()
            self._size = (width, height)
            self.ops: list[Op] = []

        def flipy(self) -> bool:
            return False

        def points_to_pixels(self, points: Any) -> Any:
            return points

        def get_canvas_width_height(self) -> tuple[float, float]:
            return self._size

        def new_gc(self) -> GraphicsContextBase:
            return GraphicsContextBase()

        def option_image_nocomposite(self) -> bool:
            return True

        def draw_path(self, gc: Any, path: Any, transform: Any, rgbFace: Any = None) -> None:
            forced = gc.get_forced_alpha()
            fill = None
            if rgbFace is not None:
                fill = rgba(rgbFace, gc.get_alpha() if forced else None)
                fill = None if fill[3] == 0 else fill
            stroke = rgba(gc.get_rgb())
            width = float(gc.get_linewidth())
            stroke = None if width <= 0 or stroke[3] == 0 else stroke
            if fill is None and stroke is None:
                return
            offset, dashes = gc.get_dashes()
            self.ops.append(
                PathOp(
                    segments=_segments(path, transform, MplPath),
                    fill=fill,
                    stroke=stroke,
                    line_width=round(width, 3),
                    dash=tuple(round(float(d), 3) for d in dashes) if dashes is not None else (),
                    dash_offset=round(float(offset or 0.0), 3),
                    cap=gc.get_capstyle(),
                    join=gc.get_joinstyle(),
                )
            )

        def get_text_width_height_descent(
            self, s: str, prop: Any, ismath: Any
        ) -> tuple[float, float, float]:
            # The layout's own metrics: FT2Font's set_text costs ~0.5 ms a string, and the
            # texts are placed left/baseline, so these numbers only size matplotlib's bbox.
            size = float(prop.get_size_in_points())
            width = _metrics().width(s, face_of(prop), size)
            return width, (ASCENT + DESCENT) * size, DESCENT * size

        def draw_text(
            self,
            gc: Any,
            x: float,
            y: float,
            s: str,
            prop: Any,
            angle: float,
            ismath: Any = False,
            mtext: Any = None,
        ) -> None:
            face = face_of(prop)
            self.ops.append(
                TextOp(
                    x=round(float(x), 3),
                    y=round(float(y), 3),
                    text=s,
                    face=face,
                    size=round(float(prop.get_size_in_points()), 3),
                    angle=round(float(angle), 3),
                    color=rgba(gc.get_rgb()),
                )
            )

    return Recorder


def _segments(path: Any, transform: Any, mpl_path: Any) -> tuple[Segment, ...]:
    """matplotlib path → move/line/cubic/close in points; quadratics become cubics."""
    out: list[Segment] = []
    current = start = (0.0, 0.0)
    for vertices, code in path.iter_segments(transform, simplify=False, curves=True):
        v = [round(float(value), 3) for value in vertices]
        if code == mpl_path.MOVETO:
            out.append(("M", (v[0], v[1])))
            current = start = (v[0], v[1])
        elif code == mpl_path.LINETO:
            out.append(("L", (v[0], v[1])))
            current = (v[0], v[1])
        elif code == mpl_path.CURVE3:
            (cx, cy), end = (v[0], v[1]), (v[2], v[3])
            c1 = (current[0] + 2 / 3 * (cx - current[0]), current[1] + 2 / 3 * (cy - current[1]))
            c2 = (end[0] + 2 / 3 * (cx - end[0]), end[1] + 2 / 3 * (cy - end[1]))
            out.append(("C", (*(round(c, 3) for c in (*c1, *c2)), *end)))
            current = end
        elif code == mpl_path.CURVE4:
            out.append(("C", tuple(v[:6])))
            current = (v[4], v[5])
        elif code == mpl_path.CLOSEPOLY:
            out.append(("Z", ()))
            current = start
    return tuple(out)
