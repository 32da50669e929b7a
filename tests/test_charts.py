"""The timeline chart's geometry: nothing overlaps or leaves the chart, for any data.

Every chart is checked against the same properties (``assert_readable``): label boxes are
pairwise disjoint and inside the chart, no leader crosses another label, tick labels and
legend entries collide with nothing, and every drawn string (measured the way ReportLab
draws it) lies inside one of the recorded boxes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefing.model import Event, PartialDate, Timeline
from briefing.render.charts import Box, Chart, PathOp, TextOp, timeline_chart
from briefing.render.pdf.drawing import FACE_FONTS
from briefing.render.pdf.fonts import register_fonts

WIDTH = 481.0  # A4 text width with 57 pt margins
MAX_HEIGHT = 430.0
EPS = 1e-6


def D(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    return PartialDate(year, month, day)


def example() -> Timeline:
    return Timeline(
        events=(
            Event(
                D(1921), "Soviet authorities add Karabakh to Azerbaijan SSR", category="political"
            ),
            Event(D(1988), "First war: 30,000 killed", end=D(1994, 5), category="military"),
            Event(D(1994, 5), "Ceasefire agreed in Bishkek", category="diplomatic"),
            Event(D(2010), "Talks stall after the Kazan summit", category="diplomatic"),
            Event(D(2016, 4), "Four-Day War", category="military"),
            Event(D(2020, 9, 27), "Heaviest clashes since 2016", category="military"),
            Event(D(2020, 9, 28), "Armenia declares martial law", category="political"),
        ),
        title="A century of dispute",
    )


def century_with_busy_week() -> Timeline:
    years = (1921, 1936, 1948, 1961, 1977, 1989, 1999, 2008, 2014)
    events = [Event(D(y), f"Event of {y}", category="political") for y in years]
    events += [
        Event(D(2020, 9, day), f"Day {day}: shelling reported near Stepanakert", category=cat)
        for day, cat in ((21, "military"), (22, "diplomatic"), (23, "military"), (24, None),
                         (26, "military"), (27, "humanitarian"))
    ]  # fmt: skip
    return Timeline(events=tuple(events))


def random_timeline(count: int, seed: int) -> Timeline:
    rng = random.Random(seed)
    words = ["talks", "ceasefire", "border", "clash", "Stepanakert", "sanctions", "refugees",
             "Минская", "Հայաստան", "Azərbaycan", "agreement", "OSCE"]  # fmt: skip
    events = []
    for _ in range(count):
        year = rng.randint(1921, 2020)
        month = rng.choice([None, rng.randint(1, 12)])
        day = rng.randint(1, 28) if month and rng.random() < 0.5 else None
        end = D(min(2020, year + rng.randint(0, 6))) if rng.random() < 0.1 else None
        label = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        category = rng.choice(["political", "military", "diplomatic", "economic", None])
        events.append(Event(D(year, month, day), label, end=end, category=category))
    return Timeline(events=tuple(events))


def charts_of(timeline: Timeline, width: float = WIDTH) -> tuple[Chart, ...]:
    return timeline_chart(timeline, width_pt=width, max_height_pt=MAX_HEIGHT)


def texts(chart: Chart) -> list[TextOp]:
    return [op for op in chart.ops if isinstance(op, TextOp)]


def text_box(op: TextOp) -> Box:
    """The extent ReportLab gives the string (same faces, same advance widths)."""
    width = stringWidth(op.text, FACE_FONTS[op.face], op.size)
    return Box(op.x, op.y - 0.24 * op.size, op.x + width, op.y + 0.80 * op.size)


def inside(inner: Box, outer: Box, tolerance: float = 0.01) -> bool:
    return (
        inner.x0 >= outer.x0 - tolerance
        and inner.x1 <= outer.x1 + tolerance
        and inner.y0 >= outer.y0 - tolerance
        and inner.y1 <= outer.y1 + tolerance
    )


def assert_readable(chart: Chart) -> None:
    register_fonts()
    frame = Box(0, 0, chart.width, chart.height)
    labels, ticks, legend = chart.label_boxes, chart.tick_boxes, chart.legend_boxes
    index = tuple(box for _, _, box in chart.index_boxes)
    assert len(labels) == len(chart.leaders) == len(chart.events)
    for box in (*labels, *ticks, *legend, *index):
        assert inside(box, frame, EPS), (box, frame)
    for group in (labels, ticks, legend, index):
        for a, b in itertools.combinations(group, 2):
            assert not a.overlaps(b), (a, b)
    for a, b in itertools.product(legend, (*labels, *ticks, *index)):
        assert not a.overlaps(b), (a, b)
    for a, b in itertools.product(labels, (*ticks, *index)):
        assert not a.overlaps(b), (a, b)
    for a, b in itertools.product(ticks, index):
        assert not a.overlaps(b), (a, b)
    for n, (leader, own) in enumerate(zip(chart.leaders, labels, strict=True)):
        assert leader.y0 < own.y0
        assert leader.y1 == pytest.approx(own.y1)
        assert own.x0 - 3 <= leader.x <= own.x1 + 3  # the leader runs along its own label
        for m, box in enumerate(labels):
            if m != n:
                crosses = box.x0 < leader.x < box.x1 and box.y0 < leader.y1 and leader.y0 < box.y1
                assert not crosses, (n, m, leader, box)
    boxes = (*labels, *ticks, *legend, *index)
    for op in texts(chart):
        assert op.text.strip(), op
        assert any(inside(text_box(op), box) for box in boxes), op


def all_text(chart: Chart) -> str:
    return " ".join(op.text for op in texts(chart))


def test_example_is_one_readable_chart_with_every_date_at_its_precision() -> None:
    (chart,) = charts_of(example())
    assert_readable(chart)
    assert chart.width == WIDTH
    assert 60 < chart.height < 200
    text = all_text(chart)
    for expected in (
        "1921",
        "1988 – May 1994",
        "May 1994",
        "Apr 2016",
        "27 Sep 2020",
        "28 Sep 2020",
    ):
        assert expected in text
    for expected in ("Heaviest clashes", "Four-Day War", "political", "military", "diplomatic"):
        assert expected in text


def test_example_axis_gives_1921_and_the_last_days_room() -> None:
    (chart,) = charts_of(example())
    x = {event.date: leader.x for event, leader in zip(chart.events, chart.leaders, strict=True)}
    # A linear axis would put 1921 two thirds of the width away from 1988 and 27/28 Sep 2020
    # a tenth of a point apart; the broken axis shortens the first and spreads the second.
    assert x[D(1988)] - x[D(1921)] < 0.25 * WIDTH
    assert x[D(2020, 9, 28)] - x[D(2020, 9, 27)] >= 5
    assert x[D(1921)] < x[D(1988)] < x[D(1994, 5)] < x[D(2010)] < x[D(2016, 4)]
    assert x[D(2016, 4)] < x[D(2020, 9, 27)]


def test_example_draws_markers_bar_and_axis_as_vector_paths() -> None:
    (chart,) = charts_of(example())
    paths = [op for op in chart.ops if isinstance(op, PathOp)]
    filled = {op.fill for op in paths if op.fill is not None}
    # Fixed looks: political dark blue, military vermilion.
    assert {(0.1216, 0.3059, 0.4745, 1.0), (0.8784, 0.2706, 0.1647, 1.0)} <= filled
    assert any(seg[0] == "C" for op in paths for seg in op.segments)  # round markers
    assert all(op.stroke is None or op.line_width > 0 for op in paths)


def test_century_with_busy_last_week_spreads_the_week() -> None:
    (chart,) = charts_of(century_with_busy_week())
    assert_readable(chart)
    week = [
        leader.x
        for event, leader in zip(chart.events, chart.leaders, strict=True)
        if event.date.year == 2020
    ]
    assert len(week) == 6
    assert all(b - a >= 5 for a, b in itertools.pairwise(week))


def test_300_random_events_are_one_readable_overview_marking_all_in_order() -> None:
    timeline = random_timeline(300, seed=20201)
    (chart,) = charts_of(timeline)
    chronology = sorted(timeline.events, key=lambda e: (e.date.first_day(), e.date.last_day()))
    assert chart.marked == tuple(chronology)  # the chronology's order: index numbers are rows
    assert 10 < len(chart.events) < 300  # as many labels as fit, not all
    assert chart.height <= MAX_HEIGHT
    assert_readable(chart)


def test_40_events_on_one_day_stack_as_far_as_they_fit_in_one_chart() -> None:
    timeline = Timeline(
        events=tuple(
            Event(D(2020, 9, 27), f"Report {n} of shelling in Martuni", category="ab"[n % 2])
            for n in range(40)
        )
    )
    (chart,) = charts_of(timeline)
    assert len(chart.marked) == 40
    assert chart.height <= MAX_HEIGHT
    assert_readable(chart)
    text = all_text(chart)
    assert all(f"{event.label}" in text for event in chart.events)


def test_very_long_labels_wrap_to_three_lines_and_end_with_an_ellipsis() -> None:
    timeline = Timeline(
        events=(
            Event(D(2001), "A " + "very " * 80 + "long label"),
            Event(D(2002, 3), "Supercalifragilisticexpialidocious" * 8, category="x"),
            Event(D(2002, 4), "https://example.org/" + "path/" * 40, category="y"),
        )
    )
    (chart,) = charts_of(timeline)
    assert_readable(chart)
    lines = {round(op.y, 3) for op in texts(chart) if op.size == 7.0}
    assert len(lines) <= 9  # three labels, three lines each at most
    assert sum(op.text.endswith("…") for op in texts(chart)) == 3


def test_dollar_and_underscore_print_literally_and_markdown_styles_apply() -> None:
    timeline = Timeline(
        events=(Event(D(2003), "$x_1$ costs $5 for snake_case *now* **here** [@src]"),)
    )
    (chart,) = charts_of(timeline)
    assert_readable(chart)
    ops = texts(chart)
    text = all_text(chart)
    assert "$x_1$ costs $5 for snake_case" in text
    assert "[@src]" not in text  # citations live in the chronology, not on the chart
    assert any(op.text == "now" and op.face == "italic" for op in ops)
    assert any(op.text.endswith("here") and op.face == "bold" for op in ops)


def test_unicode_labels_keep_their_characters() -> None:
    labels = (
        "Հայաստան ընդդեմ Ադրբեջանի",
        "Россия и Азербайджан",
        "Azərbaycan, Türkiye, Ελλάδα",
        "漢字 \u07fb no glyph in DejaVu",  # drawn as .notdef, measured as ReportLab draws it
    )
    timeline = Timeline(events=tuple(Event(D(2020, 10, n + 1), t) for n, t in enumerate(labels)))
    (chart,) = charts_of(timeline)
    assert_readable(chart)
    text = all_text(chart)
    assert all(word in text for label in labels for word in label.split())


def test_spans_get_bars_in_lanes_below_the_labels() -> None:
    timeline = Timeline(
        events=(
            Event(D(1990), "First span", end=D(2000), category="a"),
            Event(D(1995), "Overlapping span", end=D(2005, 6), category="b"),
            Event(D(2001), "A point"),
        )
    )
    (chart,) = charts_of(timeline)
    assert_readable(chart)
    leaders = dict(zip((e.label for e in chart.events), chart.leaders, strict=True))
    # The second span overlaps the first, so it rides in the lane above it.
    assert leaders["Overlapping span"].y0 > leaders["First span"].y0 > leaders["A point"].y0


@pytest.mark.parametrize("width", [200.0, 320.0, 700.0])
def test_other_widths_stay_inside(width: float) -> None:
    for chart in charts_of(random_timeline(25, seed=int(width)), width=width):
        assert chart.width == width
        assert_readable(chart)


def test_empty_timeline_has_no_chart() -> None:
    assert timeline_chart(Timeline(events=()), width_pt=WIDTH, max_height_pt=MAX_HEIGHT) == ()


def test_same_input_gives_identical_ops() -> None:
    first = charts_of(random_timeline(60, seed=7))
    second = charts_of(random_timeline(60, seed=7))
    assert first == second
    assert [chart.ops for chart in first] == [chart.ops for chart in second]


def test_same_input_gives_identical_ops_in_other_processes() -> None:
    code = (
        "import hashlib, sys; sys.path[:0] = [sys.argv[1]]; import test_charts as t; "
        "print(hashlib.sha256(repr(t.charts_of(t.example())).encode()).hexdigest())"
    )
    here = str(Path(__file__).parent)
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code, here], capture_output=True, text=True, check=True, env=env
        )
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_importing_charts_does_not_import_matplotlib() -> None:
    code = "import sys, briefing.render.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


#: Letters DejaVu Sans draws, Markdown punctuation included, spaces weighted like prose.
_ALPHABET = (
    string.ascii_letters + string.digits + string.punctuation + " " * 12 + "\u00a0"
    + "əğışçöüÀÉÑßœ" + "АБВГДЖЗИЙКЛабвгджзийкл" + "ԱԲԳԴԵաբգդե" + "ΑΒΓΔαβγδ" + "–—…“”"
)  # fmt: skip
_dates = st.builds(
    lambda day, precision: PartialDate(
        day.year,
        day.month if precision != "year" else None,
        day.day if precision == "day" else None,
    ),
    st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)),
    st.sampled_from(["year", "month", "day"]),
)
_events = st.builds(
    lambda date, label, category, years: Event(
        date,
        label,
        end=PartialDate(date.year + years) if years is not None else None,
        category=category,
    ),
    _dates,
    st.text(_ALPHABET, min_size=1, max_size=90),
    st.sampled_from([None, "political", "military", "diplomatic", "economic", "humanitarian"]),
    st.one_of(st.none(), st.integers(0, 8)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_events, min_size=1, max_size=40))
def test_any_timeline_is_readable(events: list[Event]) -> None:
    charts = charts_of(Timeline(events=tuple(events)))
    assert len(charts[0].marked) == len(events)  # the overview; a detail panel may follow
    for chart in charts:
        assert chart.height <= MAX_HEIGHT or len(chart.events) <= 1
        assert_readable(chart)
