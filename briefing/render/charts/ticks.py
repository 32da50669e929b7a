"""Date ticks under the time axis: where the marks go and what their labels say.

In: an ``Axis``, the chart width and the text ``Metrics``. Out: ``(x, text, box)`` per
tick. Each piece gets the finest unit (days up to centuries) whose labels fit without
touching, and its labels are kept inside the piece's own zone, so the labels of two pieces
on either side of a break never collide.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math

from briefing.model import MONTH_ABBR, year_fraction
from briefing.render.charts.axis import Axis, Piece
from briefing.render.charts.look import ASCENT, BREAK_W, DESCENT, TICK_SIZE, TICK_SPACING
from briefing.render.charts.measure import Metrics
from briefing.render.charts.ops import Box

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
    piece: Piece, zone: tuple[float, float], metrics: Metrics
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
            placed = label(piece.x(year_fraction(day)), _tick_text(unit, day, n == 0))
            if placed is not None:
                ticks.append(placed)
        if ticks and all(a[2].x1 + 6 <= b[2].x0 for a, b in itertools.pairwise(ticks)):
            return ticks
    start = _date_of(piece.t0)
    fallback = label(piece.x0, f"{MONTH_ABBR[start.month - 1]} {start.year}")
    return [fallback] if fallback else []


def axis_ticks(axis: Axis, width: float, metrics: Metrics) -> list[tuple[float, str, Box]]:
    pieces = axis.pieces
    ticks = []
    for n, piece in enumerate(pieces):
        zone0 = 0.0 if n == 0 else piece.line0 - BREAK_W / 2 + 0.5
        zone1 = width if n == len(pieces) - 1 else piece.line1 + BREAK_W / 2 - 0.5
        ticks += _ticks(piece, (zone0, zone1), metrics)
    return ticks
