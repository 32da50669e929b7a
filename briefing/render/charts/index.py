"""The index strip: every marker of an overview keyed to its row in the chronology.

In: the markers' x positions in chronology order (``xs[i]`` is row ``numbers[i]``), the
chart width and the text ``Metrics``. Out: ``IndexRange``s, each a bracket under a run of
markers with the rows it covers ("14–22"), laid out in a strip under the tick labels.

Why: an overview labels only as many events as fit, so an unlabelled marker must still be
findable. Labelling each marker with its own number cannot work in a crowd (71 events in
one year sit a fraction of a point apart), so consecutive rows whose markers sit close are
bracketed together, and brackets whose numbers would touch are merged until none do. The
result has a guarantee tests check: every event is in exactly one bracket, the brackets'
rows are consecutive and ascending, and no two texts overlap or leave the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.render.charts.look import ASCENT, DESCENT, TICK_SIZE
from briefing.render.charts.measure import Metrics
from briefing.render.charts.ops import Box

#: Height of the strip under the tick labels: the numbers, then the bracket above them.
STRIP_H = 12.0
#: Markers closer than this are one clump: bracketed together.
CLUMP = 3.0
#: Least room between two index texts.
TEXT_GAP = 5.0
#: Where the bracket runs, above the numbers' box.
BRACKET_Y = 0.5 + (ASCENT + DESCENT) * TICK_SIZE + 1.5


@dataclass(frozen=True, slots=True)
class IndexRange:
    """Chronology rows ``first..last`` (1-based), their markers between ``x0`` and ``x1``."""

    first: int
    last: int
    x0: float
    x1: float
    box: Box  # the text's box

    @property
    def text(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def index_ranges(
    xs: list[float], numbers: list[int], width: float, metrics: Metrics
) -> tuple[IndexRange, ...]:
    """Brackets over runs of consecutive rows, merged until their texts stand apart."""
    order = sorted(range(len(xs)), key=lambda k: numbers[k])
    runs: list[list[int]] = []
    for k in order:
        if runs and _x_range(runs[-1], xs)[1] + CLUMP > xs[k]:
            runs[-1].append(k)
        else:
            runs.append([k])
    while True:
        boxes = [_box(run, xs, numbers, width, metrics) for run in runs]
        clash = next(
            (
                n
                for n in range(len(runs) - 1)
                if boxes[n].x1 + TEXT_GAP > boxes[n + 1].x0
                or _x_range(runs[n], xs)[1] + CLUMP > _x_range(runs[n + 1], xs)[0]
            ),
            None,
        )
        if clash is None:
            break
        runs[clash : clash + 2] = [runs[clash] + runs[clash + 1]]
    return tuple(
        IndexRange(numbers[run[0]], numbers[run[-1]], *_x_range(run, xs), box)
        for run, box in zip(runs, boxes, strict=True)
    )


def _x_range(run: list[int], xs: list[float]) -> tuple[float, float]:
    return min(xs[k] for k in run), max(xs[k] for k in run)


def _box(run: list[int], xs: list[float], numbers: list[int], width: float, m: Metrics) -> Box:
    """The run's number text, centred under its markers and kept inside the chart."""
    first, last = numbers[run[0]], numbers[run[-1]]
    text = str(first) if first == last else f"{first}–{last}"
    text_w = m.width(text, "regular", TICK_SIZE)
    x0, x1 = _x_range(run, xs)
    left = min(max((x0 + x1) / 2 - text_w / 2, 0.0), width - text_w)
    return Box(left, 0.5, left + text_w, 0.5 + (ASCENT + DESCENT) * TICK_SIZE)


def index_brackets(ranges: tuple[IndexRange, ...]) -> list[list[tuple[float, float]]]:
    """Each range's bracket: a line over its markers' span with a short drop at each end,
    widened to reach its own text, so a reader's eye runs from the numbers to the markers."""
    y, drop = BRACKET_Y, 2.0
    out = []
    for r in ranges:
        a = min(r.x0, (r.box.x0 + r.box.x1) / 2 - 1.0)
        b = max(r.x1, (r.box.x0 + r.box.x1) / 2 + 1.0)
        out.append([(a, y + drop), (a, y), (b, y), (b, y + drop)])
    return out
