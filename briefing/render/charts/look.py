"""How the chart looks: colours, marker shapes, type sizes and spacings, all in points.

In: the timeline's category names (``category_styles``). Out: constants, and a ``Style``
(colour, marker, hollow or not) per category. Why one module: the text measurer, the axis,
the packer and the drawing must agree on every number (a label box packed ``LINE_H`` per
line is drawn ``LINE_H`` per line), so each number has exactly one home.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

TEXT = "#262626"
MUTED = "#4d4d4d"
AXIS = "#404040"
LEADER = "#a6a6a6"
NEUTRAL = "#7f7f7f"
RIM = "#262626"  # a filled marker's outline
#: The common categories' fixed colour and marker, the same in every briefing. Each has
#: its own marker shape, and the colours step through lightness (gray level ≈ 15, 27, 33,
#: 43, 52, 62, 68 %), so they stay apart on a grayscale printout; filled markers get a
#: dark rim, so even the lightest shows on white paper.
FIXED = {
    "legal": ("#262626", "X"),
    "political": ("#1f4e79", "o"),
    "security": ("#6a3d9a", "D"),
    "military": ("#e0452a", "s"),
    "diplomatic": ("#44aa66", "^"),
    "humanitarian": ("#5bb5e8", "P"),
    "economic": ("#e8b010", "v"),
}
#: Other categories: colour and marker picked from these by a hash of the name, so a
#: category keeps its look in every briefing (no two in one briefing share both).
PALETTE = ("#1f4e79", "#e0452a", "#44aa66", "#6a3d9a", "#e8b010", "#5bb5e8", "#262626", "#cc79a7")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "p", "h", "<", ">")
#: matplotlib's shapes differ in ink at one size; these make them look alike in weight.
MARKER_SCALE = {
    "s": 0.9, "^": 1.1, "D": 0.8, "v": 1.1, "P": 1.15, "X": 1.15, "*": 1.45, "<": 1.1, ">": 1.1,
}  # fmt: skip

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
LEADER_SEP = 6.0  # closest two leaders to different spots may be (else one goes unlabelled)
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
    """Category → colour and marker: fixed for the common ones, else from the name's hash.

    The look never depends on which other categories a briefing has (so "economic" is the
    same gold triangle everywhere); only when two uncommon categories of one briefing hash
    to the same look does the later one move on to the next free pair.
    """
    styles: dict[str | None, Style] = {None: Style(None, NEUTRAL, "o", hollow=True)}
    used: set[tuple[str, str]] = set()
    for name in categories:
        fixed = FIXED.get(name.strip().casefold())
        if fixed is not None:
            styles[name] = Style(name, *fixed)
            used.add(fixed)
    pairs = [(c, m) for m in MARKERS for c in PALETTE]
    for name in categories:
        if name in styles:
            continue
        digest = hashlib.sha256(name.strip().casefold().encode()).digest()
        start = int.from_bytes(digest[:4], "big") % len(pairs)
        for step in range(len(pairs)):
            pair = pairs[(start + step) % len(pairs)]
            if pair not in used or step == len(pairs) - 1:
                break
        used.add(pair)
        styles[name] = Style(name, *pair)
    return styles
