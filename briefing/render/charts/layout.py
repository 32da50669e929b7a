"""One chart's geometry: axis, ticks, span bars, labels and legend, in points.

In: a chunk of events (in time order) with their words and wraps, the category styles,
the width and the height limit. Out: a ``Layout``, or None when the chunk does not fit
under the limit, so that ``timeline`` splits it. It puts ``axis``, ``ticks`` and
``labels`` together; when no split of sides leaves every label room, the axis ends early
and all labels hang right (``_reserve_right``). Pure geometry: ``draw`` turns it into a
Figure, and ``Chart`` exposes the boxes and leaders computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from briefing.model import Event
from briefing.render.charts.axis import Axis, event_times, time_axis
from briefing.render.charts.index import STRIP_H, IndexRange, index_ranges
from briefing.render.charts.labels import Side, choose_sides, pack, span_lanes
from briefing.render.charts.look import (
    ASCENT,
    BAR_H,
    DESCENT,
    EDGE,
    LANE,
    LEADER_GAP,
    LEADER_SEP,
    LEGEND_LINE,
    LEGEND_SIZE,
    MARKER_SIZE,
    SLOT,
    TICK_LEN,
    Style,
)
from briefing.render.charts.measure import Block, Metrics, Word, font_metrics, wrap
from briefing.render.charts.ops import Box
from briefing.render.charts.ticks import axis_ticks


@dataclass(frozen=True, slots=True)
class Label:
    """One event's marker, its span bar if any, its leader's x, and its wrapped label."""

    event: Event
    style: Style
    x: float  # the leader's x: the marker (or a close neighbour's, shared), or the bar's start
    anchor_y: float  # top of the marker
    bar: tuple[float, float, float] | None  # x0, x1, y of a span's bar
    block: Block
    side: Side
    box: Box
    marker_x: float = math.nan  # where the marker is, when the leader is shared; else ``x``


@dataclass(frozen=True, slots=True)
class Mark:
    """An event marked on the axis without a label (an overview's unlabelled events)."""

    event: Event
    style: Style
    x: float
    bar: tuple[float, float, float] | None


@dataclass(frozen=True, slots=True)
class Layout:
    """One chart's geometry, origin bottom-left: what ``draw`` draws and ``Chart`` exposes.

    ``events`` are the labelled events (``labels[i]`` is ``events[i]``'s); ``marks`` the
    others, drawn as markers only.
    """

    width: float
    height: float
    events: tuple[Event, ...]
    axis: Axis
    axis_y: float
    ticks: tuple[tuple[float, str, Box], ...]
    labels: tuple[Label, ...]
    legend: tuple[tuple[Style, str, float, float, Box], ...]  # style, text, marker x, baseline
    marks: tuple[Mark, ...] = ()
    marked: tuple[Event, ...] = ()  # every event on the chart, labelled or not, in time order
    index: tuple[IndexRange, ...] = ()  # an overview's chronology numbers under the ticks


def chart_layout(
    events: list[Event],
    tokens: list[list[Word]],
    options: list[list[Block]],
    styles: dict[str | None, Style],
    width: float,
    max_height: float,
    labelled: list[bool] | None = None,
    numbers: list[int] | None = None,
) -> Layout | None:
    """Geometry of one chart, or None if it would be taller than ``max_height``.

    ``options[i]`` are ``events[i]``'s label wraps from widest to narrowest. Every event
    is marked; only those with ``labelled[i]`` (default: all) get a leader and a label.
    With ``numbers`` (each event's chronology row) and an event left unlabelled, a strip
    under the ticks keys every marker to its row (``index``).
    """
    metrics = font_metrics()
    labelled = labelled if labelled is not None else [True] * len(events)
    times = [event_times(event) for event in events]
    starts = [t0 for t0, _ in times]
    spans = [(t0, t1) for (t0, t1), event in zip(times, events, strict=True) if event.is_span]
    chosen = [k for k, on in enumerate(labelled) if on]
    widest = [options[k][0].width for k in chosen]
    narrowest = [options[k][-1].width for k in chosen]

    axis, xs = _axis(tuple(starts), tuple(spans), width)
    leads = _leader_xs(xs, chosen)
    split = choose_sides([leads[k] for k in chosen], widest, narrowest, width) if chosen else None
    if chosen and split is None:  # no split leaves every label room: end the axis early
        axis, xs = _reserve_right(starts, spans, chosen, narrowest, width)
        leads = _leader_xs(xs, chosen)
        split = (["right"] * len(chosen), [width - leads[k] - LEADER_GAP for k in chosen])
    sides, caps = split if split is not None else ([], [])
    candidates = [
        [block for block in options[k] if block.width <= cap]
        or [wrap(tokens[k], max(cap, 1.0), metrics)]
        for k, cap in zip(chosen, caps, strict=True)
    ]

    ticks = axis_ticks(axis, width, metrics)
    index: tuple[IndexRange, ...] = ()
    if numbers is not None and not all(labelled):
        index = _index(tuple(xs), tuple(numbers), width)
        ticks = [(x, text, _raised(box, STRIP_H)) for x, text, box in ticks]
    axis_y = ticks[0][2].y1 + 2 + TICK_LEN if ticks else 2 + TICK_LEN + (STRIP_H if index else 0)
    extents = [(axis.x(t0), axis.x(t1)) for t0, t1 in times]
    lanes = span_lanes(extents, events)
    lane_count = max((lane + 1 for lane in lanes if lane is not None), default=0)
    base = axis_y + MARKER_SIZE / 2 + 5 + lane_count * LANE

    legend, legend_h = _legend(events, styles, width, metrics)
    room = max_height - base - (4 + legend_h if legend else 2)
    xs_chosen = [leads[k] for k in chosen]
    placed = pack(xs_chosen, candidates, sides, room / SLOT) if chosen else []
    if placed is None or room < 0:
        return None
    labels, marks = [], []
    for k, event in enumerate(events):
        bar, anchor_y = None, axis_y + MARKER_SIZE / 2
        if lanes[k] is not None:
            bar_y = axis_y + 5 + lanes[k] * LANE
            bar = (xs[k], max(extents[k][1], xs[k] + 1.0), bar_y)
            anchor_y = bar_y + BAR_H / 2 + MARKER_SIZE / 2
        if not labelled[k]:
            marks.append(Mark(event, styles[event.category], xs[k], bar))
            continue
        i = len(labels)
        (row, block), x, side = placed[i], leads[k], sides[i]
        y0 = base + row * SLOT
        x0 = x + LEADER_GAP if side == "right" else x - LEADER_GAP - block.width
        box = Box(x0, y0, x0 + block.width, y0 + block.height)
        labels.append(
            Label(event, styles[event.category], x, anchor_y, bar, block, side, box, xs[k])
        )
    top = max((label.box.y1 for label in labels), default=base)
    height = top + (4 + legend_h if legend else 2)
    legend = [
        (s, text, mx, height - by, Box(b.x0, height - b.y1, b.x1, height - b.y0))
        for s, text, mx, by, b in legend
    ]
    return Layout(
        width,
        height,
        tuple(label.event for label in labels),
        axis,
        axis_y,
        tuple(ticks),
        tuple(labels),
        tuple(legend),
        tuple(marks),
        tuple(events),
        index,
    )


def _raised(box: Box, dy: float) -> Box:
    return Box(box.x0, box.y0 + dy, box.x1, box.y1 + dy)


def axis_xs(
    starts: tuple[float, ...], spans: tuple[tuple[float, float], ...], width: float
) -> list[float]:
    """The marker xs ``chart_layout`` gives these events (shared cache: computed once)."""
    return _axis(starts, spans, width)[1]


@lru_cache(maxsize=4)
def _index(xs: tuple[float, ...], numbers: tuple[int, ...], width: float) -> tuple[IndexRange, ...]:
    """The index strip: the same for every labelling tried on one set of events."""
    return index_ranges(list(xs), list(numbers), width, font_metrics())


@lru_cache(maxsize=4)
def _axis(
    starts: tuple[float, ...], spans: tuple[tuple[float, float], ...], width: float
) -> tuple[Axis, list[float]]:
    """The axis and marker xs: the same for every labelling tried on one set of events."""
    axis = time_axis(list(starts), list(spans), EDGE, width - EDGE)
    return axis, [axis.x(t0) for t0 in starts]


def _leader_xs(xs: list[float], chosen: list[int]) -> dict[int, float]:
    """Each labelled event's leader x: its marker's, or a close neighbour's shared one.

    Why: two leaders a millimetre apart cannot be told apart, so labelled events whose
    markers lie within ``LEADER_SEP`` of the first of a run share that one's leader; their
    labels stack on it, each opening with its own date. Distinct leaders are then always
    at least ``LEADER_SEP`` apart.
    """
    out: dict[int, float] = {}
    anchor = -math.inf
    for k in sorted(chosen, key=lambda k: (xs[k], k)):
        if xs[k] - anchor >= LEADER_SEP:
            anchor = xs[k]
        out[k] = anchor
    return out


def _reserve_right(
    starts: list[float],
    spans: list[tuple[float, float]],
    chosen: list[int],
    narrowest: list[float],
    width: float,
) -> tuple[Axis, list[float]]:
    """An axis ending early enough that every label fits hanging right of its leader."""
    reserve = 0.0
    for _ in range(6):
        hi = max(width / 2, width - EDGE - reserve)
        axis = time_axis(starts, spans, EDGE, hi)
        xs = [axis.x(t0) for t0 in starts]
        short = max(
            need - (width - xs[k] - LEADER_GAP) for need, k in zip(narrowest, chosen, strict=True)
        )
        if short <= 0 or hi == width / 2:
            break
        reserve += short + 0.5
    return axis, xs


def _legend(
    events: list[Event], styles: dict[str | None, Style], width: float, metrics: Metrics
) -> tuple[list[tuple[Style, str, float, float, Box]], float]:
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
