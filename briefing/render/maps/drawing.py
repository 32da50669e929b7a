"""What the map stage hands over (``MapDrawing``) and the path helpers its modules share.

Why a module of its own: like ``charts/ops.py`` for the timeline, these values are the
whole contract with ``pdf/`` (which replays ``ops`` on the canvas); the boxes let the
tests check numerically that no name overlaps another, a marker or the furniture, and
that none leaves the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from briefing.render.charts.ops import Box, Op, PathOp, Segment, TextOp

Segs = tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class MapDrawing:
    """A drawn map panel, in points, origin bottom-left.

    Per place (in ``places`` order): ``marker_boxes`` (None: outside the frame),
    ``label_boxes`` (None: numbered instead), ``numbers`` and ``number_boxes``.
    ``image_box``: where the analyst's image goes (drawn under ``ops``), if any.
    """

    width: float
    height: float
    ops: tuple[Op, ...]
    map_box: Box
    marker_boxes: tuple[Box | None, ...]
    label_boxes: tuple[Box | None, ...]
    numbers: tuple[int | None, ...]
    number_boxes: tuple[Box | None, ...]
    key_boxes: tuple[Box, ...]
    furniture_boxes: tuple[Box, ...]
    projection: str
    resolution: str | None
    window: tuple[float, float, float, float]
    key_count: int = 0
    image_box: Box | None = None
    #: The country names printed on the map, each with its box (below the place names).
    country_boxes: tuple[tuple[str, Box], ...] = ()


def rect(x: float, y: float, w: float, h: float) -> Segs:
    return (("M", (x, y)), ("L", (x + w, y)), ("L", (x + w, y + h)), ("L", (x, y + h)), ("Z", ()))


def circle(x: float, y: float, r: float) -> Segs:
    """Four Bézier quarters (the usual 0.5523 handle)."""
    k = r * 0.5523
    return (
        ("M", (x + r, y)),
        ("C", (x + r, y + k, x + k, y + r, x, y + r)),
        ("C", (x - k, y + r, x - r, y + k, x - r, y)),
        ("C", (x - r, y - k, x - k, y - r, x, y - r)),
        ("C", (x + k, y - r, x + r, y - k, x + r, y)),
        ("Z", ()),
    )


def polygon(x: float, y: float, r: float, sides: int, turn: float = 90.0) -> Segs:
    pts = [
        (
            x + r * math.cos(math.radians(turn + 360 * k / sides)),
            y + r * math.sin(math.radians(turn + 360 * k / sides)),
        )
        for k in range(sides)
    ]
    return (("M", pts[0]), *(("L", p) for p in pts[1:]), ("Z", ()))


def translate(op: Op, dx: float, dy: float) -> Op:
    if not dx and not dy:
        return op
    if isinstance(op, TextOp):
        return replace(op, x=op.x + dx, y=op.y + dy)
    segs = tuple(
        (kind, (values[0] + dx, values[1] + dy))
        if len(values) == 2
        else (kind, tuple(v + (dx if i % 2 == 0 else dy) for i, v in enumerate(values)))
        for kind, values in op.segments
    )
    return replace(op, segments=segs)


def shift_box(box: Box, dx: float, dy: float) -> Box:
    return Box(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy)


__all__ = ["MapDrawing", "PathOp", "Segs", "circle", "polygon", "rect", "shift_box", "translate"]
