"""The entry point: a ``Timeline`` → one ``Chart``, or several consecutive time chunks.

In: the timeline, the chart width and the most height one chart may take. Out: the charts,
in time order. Every label is measured and wrapped once (``text``); then the fewest equal
chunks of events whose layouts each fit (``layout`` says None when one does not) are laid
out and drawn (``draw``).
"""

from __future__ import annotations

import datetime as dt
import math

from briefing.model import Event, Timeline
from briefing.render.charts.draw import draw
from briefing.render.charts.layout import Layout, chart_layout
from briefing.render.charts.look import Style, category_styles
from briefing.render.charts.measure import font_metrics, label_words, wrap_options
from briefing.render.charts.ops import Chart


def timeline_chart(
    timeline: Timeline, *, width_pt: float, max_height_pt: float
) -> tuple[Chart, ...]:
    """Draw ``timeline`` as one chart, or several consecutive time chunks if one is too tall.

    Every chart is ``width_pt`` wide and at most ``max_height_pt`` tall, unless a single
    event alone needs more. Same input, same ops: positions are rounded to 0.001 pt.
    """
    events = sorted(timeline.events, key=lambda event: event.date.first_day())
    if not events:
        return ()
    styles = category_styles(timeline.categories())
    layouts = _fit(events, styles, width_pt, max_height_pt)
    return tuple(draw(layout) for layout in layouts)


def _fit(
    events: list[Event], styles: dict[str | None, Style], width: float, max_height: float
) -> list[Layout]:
    """Lay out all events, or the fewest equal consecutive chunks that each fit."""
    metrics = font_metrics()
    kinds: dict[dt.date, set[str | None]] = {}
    for event in events:
        kinds.setdefault(event.date.first_day(), set()).add(event.category)
    tokens = [
        label_words(event, metrics, len(kinds[event.date.first_day()]) > 1) for event in events
    ]
    options = [wrap_options(t, _max_label_width(width), metrics) for t in tokens]
    count = len(events)
    for parts in range(1, count + 1):
        layouts = []
        for i in range(parts):
            chunk = slice(round(i * count / parts), round((i + 1) * count / parts))
            limit = max_height if chunk.stop - chunk.start > 1 else math.inf
            layout = chart_layout(
                events[chunk], tokens[chunk], options[chunk], styles, width, limit
            )
            if layout is None:
                break
            layouts.append(layout)
        else:
            return layouts
    raise AssertionError("unreachable: a chart of one event always fits")


def _max_label_width(width: float) -> float:
    """About a third of the chart: long enough for a phrase, narrow enough to share a row."""
    return max(40.0, min(150.0, 0.32 * width))
