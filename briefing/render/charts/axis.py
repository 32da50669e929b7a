"""The time axis: event times → x positions, on a piecewise-linear scale with breaks.

In: the events' start times, the spans' (start, end) times, and the x range to fill.
Out: an ``Axis`` of ``Piece``s, each a linear stretch with its own scale, drawn with a
fixed-width break (``//``) between two pieces.

Why not one linear scale: on a century with a busy last week, 1921 would sit far from
everything and the week's days on top of each other. So a gap longer than all other drawn
time together (``_waste_cut``), or one whose removal lets a crowded cluster spread out
(``_crowd_cut``), becomes a break; each piece keeps proportional spacing, and a gap inside
a span is never cut.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass

from briefing.model import Event, year_fraction
from briefing.render.charts.look import (
    BREAK_W,
    COMFORT,
    EDGE,
    MAX_PIECES,
    MIN_SEP,
    PAD,
    POINT_W,
    ZOOM_W,
)


def event_times(event: Event) -> tuple[float, float]:
    """Where an event starts and ends on the time axis (a span ends after its last day)."""
    start = event.date.decimal_year()
    if event.end is None:
        return start, start
    return start, max(start, year_fraction(event.end.last_day(), end_of_day=True))


@dataclass(frozen=True, slots=True)
class Piece:
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
class Axis:
    pieces: tuple[Piece, ...]

    def x(self, t: float) -> float:
        starts = [piece.t0 for piece in self.pieces]
        return self.pieces[max(0, bisect.bisect_right(starts, t) - 1)].x(t)


def time_axis(starts: list[float], spans: list[tuple[float, float]], lo: float, hi: float) -> Axis:
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
    pieces: list[Piece] = []
    cursor = lo
    for (i, j), width in zip(groups, widths, strict=True):
        t0, t1 = points[i], points[j]
        x0, x1 = (cursor, cursor + width) if t1 > t0 else (cursor + width / 2,) * 2
        pieces.append(Piece(t0, t1, x0, x1, cursor - PAD, cursor + width + PAD))
        cursor += width + 2 * PAD + BREAK_W
    first = pieces[0]
    pieces[0] = Piece(first.t0, first.t1, first.x0, first.x1, 0.0, first.line1)
    last = pieces[-1]
    pieces[-1] = Piece(last.t0, last.t1, last.x0, last.x1, last.line0, hi + EDGE)
    return Axis(tuple(pieces))


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
