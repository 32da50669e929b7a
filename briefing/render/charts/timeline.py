"""The entry point: a ``Timeline`` → one ``Chart``: every event labelled, or an overview.

In: the timeline, the chart width and the most height the chart may take. Out: one chart.
Every label is measured and wrapped once (``measure``); if all labels fit under the height
(``layout`` says None when they do not), that is the chart. Otherwise it is an overview:
every event marked, key events labelled, then as many others as fit (binary search over a
priority order spread over the width; see ``_priority``), and an index strip keys every
marker to its chronology row (``index``). Never a stack of charts: a reader compares events across
the whole period on one scale, and the chronology under the chart lists every event.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

from briefing.model import Event, PartialDate, Timeline
from briefing.render.charts.axis import event_times
from briefing.render.charts.draw import draw
from briefing.render.charts.layout import Layout, axis_xs, chart_layout
from briefing.render.charts.look import Style, category_styles
from briefing.render.charts.measure import Block, Word, font_metrics, label_words, wrap_options
from briefing.render.charts.ops import Chart


def timeline_chart(
    timeline: Timeline, *, width_pt: float, max_height_pt: float
) -> tuple[Chart, ...]:
    """Draw ``timeline`` as one chart ``width_pt`` wide and at most ``max_height_pt`` tall.

    Every event is labelled when that fits; otherwise the chart is an overview: every
    event marked, key events labelled (even past the height limit, if they alone need
    more), then as many others as fit. Same input, same ops: positions are rounded.
    When the overview leaves many events of a short busy stretch unlabelled, a second
    chart shows that stretch on its own scale (``Chart.detail_of`` says which).
    """
    # The chronology's order, so an overview's index numbers are its rows.
    events = sorted(timeline.events, key=lambda e: (e.date.first_day(), e.date.last_day()))
    if not events:
        return ()
    styles = category_styles(timeline.categories())
    metrics = font_metrics()
    kinds: dict[dt.date, set[str | None]] = {}
    for event in events:
        kinds.setdefault(event.date.first_day(), set()).add(event.category)
    tokens = [
        label_words(event, metrics, len(kinds[event.date.first_day()]) > 1) for event in events
    ]
    options = [wrap_options(t, _max_label_width(width_pt), metrics) for t in tokens]
    whole = chart_layout(events, tokens, options, styles, width_pt, max_height_pt)
    if whole is not None:
        return (draw(whole),)
    rows = list(range(1, len(events) + 1))
    window = _busiest(events)
    if window is None:
        return (draw(_fit(events, tokens, options, styles, width_pt, max_height_pt, rows)),)
    i, j = window
    overview_height = max_height_pt * OVERVIEW_SHARE
    overview = _fit(events, tokens, options, styles, width_pt, overview_height, rows, (i, j))
    part = slice(i, j)
    detail_height = max_height_pt * (1 - OVERVIEW_SHARE)
    detail = _fit(
        events[part], tokens[part], options[part], styles, width_pt, detail_height, rows[part]
    )
    stretch = events[part]
    first, last = stretch[0].date, max((e.end or e.date for e in stretch), key=_last_day)
    return (draw(overview), replace(draw(detail), detail_of=(first, last)))


#: With a detail panel, the overview gets this share of the height and the detail the rest.
OVERVIEW_SHARE = 0.55


def _last_day(date: PartialDate) -> dt.date:
    return date.last_day()


def _busiest(events: list[Event]) -> tuple[int, int] | None:
    """The shortest stretch of time holding a third of the events (at least 8), if it is
    short enough (under a quarter of the whole period) for a detail panel to show more."""
    count = max(8, math.ceil(len(events) / 3))
    if len(events) < 2 * count or events[0].date.first_day() == events[-1].date.first_day():
        return None
    days = [e.date.first_day().toordinal() for e in events]
    start = min(range(len(events) - count + 1), key=lambda i: (days[i + count - 1] - days[i], -i))
    if (days[start + count - 1] - days[start]) * 4 > days[-1] - days[0]:
        return None
    end = start + count  # then take in later events while the stretch stays that short
    limit = max(
        events[end - 1].date.last_day().toordinal(), days[start] + (days[-1] - days[0]) // 4
    )
    while end < len(events) and days[end] <= limit:
        end += 1
    return start, end


def _fit(
    events: list[Event],
    tokens: list[list[Word]],
    options: list[list[Block]],
    styles: dict[str | None, Style],
    width: float,
    max_height: float,
    rows: list[int],
    detailed: tuple[int, int] | None = None,
) -> Layout:
    """All events labelled if they fit, else the overview with the most labels that fit.

    ``rows`` are the events' chronology rows (an overview's index strip prints them).
    ``detailed``: the stretch a detail panel shows; its events are labelled there, so here
    they come last, and its key events are not among those that must be labelled.
    """
    inside = set(range(*detailed)) if detailed else set()
    order = _priority(events, _marker_xs(events, width), inside)
    keys = sum(1 for k, event in enumerate(events) if event.key and k not in inside)

    def attempt(count: int, limit: float) -> Layout | None:
        chosen = set(order[:count])
        labelled = [k in chosen for k in range(len(events))]
        return chart_layout(events, tokens, options, styles, width, limit, labelled, rows)

    best = attempt(len(order), max_height)
    if best is not None:
        return best
    best = attempt(keys, max_height)
    if best is None:  # the key events alone need more height: they are labelled all the same
        return attempt(keys, math.inf) or attempt(0, math.inf)  # type: ignore[return-value]
    lo, hi = keys, len(order)  # attempt(lo) fits; find the most labels that still fit
    while hi - lo > 1:
        middle = (lo + hi) // 2
        layout = attempt(middle, max_height)
        if layout is None:
            hi = middle
        else:
            lo, best = middle, layout
    return best


def _marker_xs(events: list[Event], width: float) -> list[float]:
    """Where each event's marker sits (the axis every labelling of these events shares)."""
    times = [event_times(event) for event in events]
    spans = tuple((t0, t1) for (t0, t1), e in zip(times, events, strict=True) if e.is_span)
    return axis_xs(tuple(t0 for t0, _ in times), spans, width)


def _priority(events: list[Event], xs: list[float], inside: set[int]) -> list[int]:
    """Which events get labels first: key events, then the others spread over the width.

    The others follow farthest-first: each next one is the event whose marker lies
    farthest from every marker already labelled, so any prefix spreads over the whole
    chart rather than piling up where the events are dense (a pile of labels over one
    busy year is a tall staircase of leaders). Events of ``inside`` (a detail panel's
    stretch) come last, key events among them first.
    """
    keys = [k for k, event in enumerate(events) if event.key and k not in inside]
    out = list(keys)
    for group in (
        [k for k, e in enumerate(events) if not e.key and k not in inside],
        [k for k in sorted(inside) if events[k].key],
        [k for k in sorted(inside) if not events[k].key],
    ):
        near = {k: min((abs(xs[k] - xs[c]) for c in out), default=math.inf) for k in group}
        while near:
            pick = max(near, key=lambda k: (near[k], -k))
            out.append(pick)
            del near[pick]
            for k in near:
                near[k] = min(near[k], abs(xs[k] - xs[pick]))
    return out


def _max_label_width(width: float) -> float:
    """About a third of the chart: long enough for a phrase, narrow enough to share a row."""
    return max(40.0, min(150.0, 0.32 * width))
