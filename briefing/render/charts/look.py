"""How the chart looks: colours, marker shapes, type sizes and spacings, all in points.

In: the timeline's category names (``category_styles``). Out: constants, and a ``Style``
(colour, marker, hollow or not) per category. Why one module: the text measurer, the axis,
the packer and the drawing must agree on every number (a label box packed ``LINE_H`` per
line is drawn ``LINE_H`` per line), so each number has exactly one home.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Style:
    name: str | None
    color: str
    marker: str
    hollow: bool = False


def category_styles(categories: Sequence[str]) -> dict[str | None, Style]:
    """Category → colour and marker, by order of first appearance, stable across chunks."""
    styles: dict[str | None, Style] = {None: Style(None, NEUTRAL, "o", hollow=True)}
    for i, name in enumerate(categories):
        marker = MARKERS[(i + i // len(PALETTE)) % len(MARKERS)]
        styles[name] = Style(name, PALETTE[i % len(PALETTE)], marker)
    return styles
