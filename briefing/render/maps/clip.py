"""Cutting projected shapes to the panel and thinning their vertices.

Why by hand: the map must stay small in the PDF and cheap to draw, so every ring and
line is clipped to the panel (Sutherland–Hodgman for rings against a rectangle,
Liang–Barsky for lines) and vertices closer than a fraction of a point to the last kept
one are dropped: a coastline with 30,000 vertices becomes a few hundred path segments.
Clipping a self-intersecting ring is still well defined: the result is filled with the
non-zero rule, so a bow-tie overlay is drawn as its two lobes, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

Point = tuple[float, float]


def thin(points: Sequence[Point], tolerance: float) -> list[Point]:
    """``points`` without vertices within ``tolerance`` of the previous kept one (ends kept)."""
    if len(points) <= 2:
        return list(points)
    out = [points[0]]
    lx, ly = points[0]
    t2 = tolerance * tolerance
    for x, y in points[1:-1]:
        if (x - lx) ** 2 + (y - ly) ** 2 >= t2:
            out.append((x, y))
            lx, ly = x, y
    out.append(points[-1])
    return out


def clip_ring(points: Sequence[Point], x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    """The ring cut to the rectangle (possibly empty); stays closed implicitly."""
    ring = list(points)
    if not ring:
        return ring
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    if min(xs) >= x0 and max(xs) <= x1 and min(ys) >= y0 and max(ys) <= y1:
        return ring
    if max(xs) < x0 or min(xs) > x1 or max(ys) < y0 or min(ys) > y1:
        return []
    for edge in range(4):
        if not ring:
            break
        out: list[Point] = []
        prev = ring[-1]
        prev_in = _inside(prev, edge, x0, y0, x1, y1)
        for cur in ring:
            cur_in = _inside(cur, edge, x0, y0, x1, y1)
            if cur_in:
                if not prev_in:
                    out.append(_cross(prev, cur, edge, x0, y0, x1, y1))
                out.append(cur)
            elif prev_in:
                out.append(_cross(prev, cur, edge, x0, y0, x1, y1))
            prev, prev_in = cur, cur_in
        ring = out
    return ring


def _inside(p: Point, edge: int, x0: float, y0: float, x1: float, y1: float) -> bool:
    if edge == 0:
        return p[0] >= x0
    if edge == 1:
        return p[0] <= x1
    if edge == 2:
        return p[1] >= y0
    return p[1] <= y1


def _cross(a: Point, b: Point, edge: int, x0: float, y0: float, x1: float, y1: float) -> Point:
    (ax, ay), (bx, by) = a, b
    if edge in (0, 1):
        x = x0 if edge == 0 else x1
        t = (x - ax) / (bx - ax) if bx != ax else 0.0
        return x, ay + t * (by - ay)
    y = y0 if edge == 2 else y1
    t = (y - ay) / (by - ay) if by != ay else 0.0
    return ax + t * (bx - ax), y


def clip_line(
    points: Sequence[Point], x0: float, y0: float, x1: float, y1: float
) -> list[list[Point]]:
    """The polyline cut to the rectangle: the pieces inside, in order."""
    pieces: list[list[Point]] = []
    current: list[Point] = []
    for a, b in pairwise(points):
        if (
            (a[0] < x0 and b[0] < x0)
            or (a[0] > x1 and b[0] > x1)
            or (a[1] < y0 and b[1] < y0)
            or (a[1] > y1 and b[1] > y1)
        ):
            seg = None  # both ends beyond one side: the common case, decided cheaply
        else:
            seg = _clip_segment(a, b, x0, y0, x1, y1)
        if seg is None:
            if current:
                pieces.append(current)
                current = []
            continue
        p, q = seg
        if current and current[-1] == p:
            current.append(q)
        else:
            if current:
                pieces.append(current)
            current = [p, q]
        if q != b:  # left the rectangle
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return pieces


def _clip_segment(
    a: Point, b: Point, x0: float, y0: float, x1: float, y1: float
) -> tuple[Point, Point] | None:
    """Liang–Barsky: the part of segment ``ab`` inside the rectangle, or None."""
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return None
            t0 = max(t0, t)
        else:
            if t < t0:
                return None
            t1 = min(t1, t)
    start = a if t0 == 0.0 else (ax + t0 * dx, ay + t0 * dy)
    end = b if t1 == 1.0 else (ax + t1 * dx, ay + t1 * dy)
    return start, end
