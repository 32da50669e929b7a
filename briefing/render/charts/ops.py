"""What the chart stage hands over: frozen values, in points, origin bottom-left.

In: nothing; these are plain data. Out: ``Chart``, the recorded drawing (``PathOp`` and
``TextOp``) together with the geometry the layout guarantees (label boxes, leaders, tick
and legend boxes), so tests can check numerically that nothing overlaps. Why a module of
its own: these types are the whole contract between ``draw`` (matplotlib, no reportlab)
and ``pdf/chart.py`` (reportlab, no matplotlib); nothing else crosses between the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefing.model import Event, PartialDate

Face = Literal["regular", "bold", "italic", "bolditalic"]
RGBA = tuple[float, float, float, float]
#: ``("M", (x, y))``, ``("L", (x, y))``, ``("C", (x1, y1, x2, y2, x, y))`` or ``("Z", ())``.
Segment = tuple[str, tuple[float, ...]]


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
    #: Width of a white outline drawn under the text (map names over tints); 0: none.
    halo: float = 0.0


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
    """A drawn chart: ``marked`` are all its events, ``events`` the labelled ones.

    ``label_boxes[i]`` and ``leaders[i]`` belong to ``events[i]``. Both are in time order;
    an overview chart marks every event and labels as many as fit (key events first).
    """

    width: float
    height: float
    ops: tuple[Op, ...]
    events: tuple[Event, ...]
    marked: tuple[Event, ...]
    label_boxes: tuple[Box, ...]
    leaders: tuple[Leader, ...]
    tick_boxes: tuple[Box, ...]
    legend_boxes: tuple[Box, ...]
    #: A detail panel: the first and last date of the stretch it shows (None: the overview).
    detail_of: tuple[PartialDate, PartialDate] | None = None
    #: An overview's index strip: chronology rows ``first..last`` and the box of their text,
    #: one per bracket, left to right; every marked event is in exactly one (empty: none).
    index_boxes: tuple[tuple[int, int, Box], ...] = ()
