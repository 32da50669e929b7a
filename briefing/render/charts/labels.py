"""Where the labels go: which side of its leader each hangs, span-bar lanes, label rows.

In: the markers' x positions and each label's candidate wraps. Out: sides and width caps
(``choose_sides``), a lane per span's bar (``span_lanes``), and a row and wrap per label
(``pack``). Labels sit in rows above the axis with a leader down to their marker.

Why this guarantees no overlap: labels left of a split point hang right of their leader,
labels right of it hang left, and they are placed in an order in which no placed label can
ever block a later leader, so the greedy "lowest free row" always succeeds. Each label
tries its 1-, 2- and 3-line wraps and takes the one that ends lowest.
"""

from __future__ import annotations

import bisect
import math
from typing import Literal

from briefing.model import Event
from briefing.render.charts.look import H_PAD, L_PAD, LEADER_GAP
from briefing.render.charts.measure import Block

Side = Literal["right", "left"]


def choose_sides(
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


def span_lanes(extents: list[tuple[float, float]], events: list[Event]) -> list[int | None]:
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


def pack(
    xs: list[float], candidates: list[list[Block]], sides: list[Side], limit: float
) -> list[tuple[int, Block]] | None:
    """Each label's row (in slots) and shape: the lowest top among its candidate wraps.

    A label needs its slots (plus a spacer above) free of other labels and of leaders
    passing up to labels above; its own leader then runs up through every slot below it.
    Order makes this always possible: left-hanging labels left to right, then
    right-hanging ones right to left, so no label already placed stands over the x of a
    leader still to come (``choose_sides`` keeps the two groups from reaching into each other).
    None as soon as a label would end above ``limit`` slots: the chart must be split.
    """
    grid = _Grid()
    lefts = sorted((k for k, side in enumerate(sides) if side == "left"), key=lambda k: (xs[k], k))
    rights = sorted(
        (k for k, side in enumerate(sides) if side == "right"), key=lambda k: (-xs[k], -k)
    )
    placed: list[tuple[int, Block]] = [(0, candidates[0][0])] * len(xs)
    for k in lefts + rights:
        best: tuple[int, float, Block] | None = None
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
