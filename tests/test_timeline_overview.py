"""The timeline per the contract: one overview chart for dense timelines with key events
always labelled, leaders far enough apart to tell, fixed category looks distinct in
grayscale, warnings for category slips and future events, one date style for spans."""

from __future__ import annotations

import itertools
import random

from pdfcheck import page_texts, reader, squash
from test_charts import MAX_HEIGHT, WIDTH, D, assert_readable, random_timeline

from briefing.model import Event, PartialDate, Timeline, span_label
from briefing.render import RenderOptions, render
from briefing.render.charts import PathOp, timeline_chart
from briefing.render.charts.look import FIXED, LEADER_SEP, category_styles
from briefing.source.load import check, load


def chart_of(timeline: Timeline):
    """The overview (first) chart."""
    return timeline_chart(timeline, width_pt=WIDTH, max_height_pt=MAX_HEIGHT)[0]


def with_keys(timeline: Timeline, every: int) -> Timeline:
    events = tuple(
        Event(e.date, e.label, end=e.end, category=e.category, key=n % every == 0)
        for n, e in enumerate(timeline.events)
    )
    return Timeline(events=events)


def test_300_events_are_one_chart_with_every_key_event_labelled() -> None:
    timeline = with_keys(random_timeline(300, seed=3), every=25)
    chart = chart_of(timeline)
    assert len(chart.marked) == 300
    keys = [e for e in timeline.events if e.key]
    assert all(k in chart.events for k in keys)
    assert len(chart.events) > len(keys)  # then as many others as fit
    assert chart.height <= MAX_HEIGHT
    assert_readable(chart)


def test_labelled_leaders_are_far_enough_apart_to_tell() -> None:
    rng = random.Random(5)
    events = tuple(
        Event(D(2023, rng.randint(1, 12), rng.randint(1, 28)), f"Clash {n} reported")
        for n in range(90)
    )
    chart = chart_of(Timeline(events=events))
    xs = sorted({round(leader.x, 3) for leader in chart.leaders})
    assert all(b - a >= LEADER_SEP - 1e-6 for a, b in itertools.pairwise(xs))
    assert_readable(chart)


def test_a_key_event_is_labelled_even_in_a_crowd() -> None:
    events = [
        Event(D(2023, 4, 15 + n % 10), f"Report {n} of fighting in Khartoum") for n in range(80)
    ]
    events.append(Event(D(2023, 4, 19), "RSF seize the airport", key=True))
    chart = chart_of(Timeline(events=tuple(events)))
    assert any(e.label == "RSF seize the airport" for e in chart.events)


def test_common_categories_have_fixed_looks_whatever_else_is_there() -> None:
    alone = category_styles(["economic"])["economic"]
    crowded = category_styles(["military", "political", "cyber", "economic"])["economic"]
    assert alone == crowded
    assert (alone.color, alone.marker) == FIXED["economic"]
    other = category_styles(["cyber"])["cyber"]
    assert other == category_styles(["legal", "cyber", "military"])["cyber"]


def _gray(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_fixed_categories_are_distinct_in_grayscale() -> None:
    looks = list(FIXED.values())
    assert len({marker for _, marker in looks}) == len(looks)
    grays = sorted(_gray(colour) for colour, _ in looks)
    assert all(b - a >= 0.05 for a, b in itertools.pairwise(grays))
    assert grays[-1] <= 0.72  # the lightest still shows on white paper
    assert len({"political", "military", "diplomatic", "security", "economic",
                     "humanitarian", "legal"} & set(FIXED)) == 7  # fmt: skip


def test_chart_draws_each_category_in_its_fixed_colour() -> None:
    timeline = Timeline(
        events=(
            Event(D(2020), "A", category="economic"),
            Event(D(2021), "B", category="humanitarian"),
        )
    )
    fills = {op.fill[:3] for op in chart_of(timeline).ops if isinstance(op, PathOp) and op.fill}
    for name in ("economic", "humanitarian"):
        colour = FIXED[name][0]
        rgb = tuple(round(int(colour[i : i + 2], 16) / 255, 4) for i in (1, 3, 5))
        assert rgb in fills


def test_span_labels_follow_one_rule() -> None:
    P = PartialDate
    assert span_label(P(2022, 12, 10), P(2022, 12, 29)) == "10–29 Dec 2022"
    assert span_label(P(1999, 3, 24), P(1999, 6, 10)) == "24 Mar – 10 Jun 1999"
    assert span_label(P(1998, 2), P(1999, 6)) == "Feb 1998 – Jun 1999"
    assert span_label(P(1999, 3), P(1999, 6)) == "Mar–Jun 1999"
    assert span_label(P(1988), P(1994, 5)) == "1988 – May 1994"
    assert span_label(P(1998), P(2001)) == "1998–2001"
    assert span_label(P(1994, 5), None) == "May 1994"


SOURCE = """\
title: Spans
as_of: 2023-06-30
summary: [One.]
timeline:
  events:
    - {date: 1998-02, end: 1999-06, label: Long war, category: military}
    - {date: 1999-03-24, end: 1999-06-10, label: Air campaign, category: Military}
    - {date: 2022-12-10, end: 2022-12-29, label: Talks, category: diplomatc}
    - {date: 2023-04-02, end: 2023-04, label: Fighting through April, category: diplomatic}
    - {date: 2023-09-01, label: Planned vote, category: political}
"""


def test_chart_and_chronology_print_spans_alike(project) -> None:
    path = project.source(SOURCE)
    text = squash(
        " ".join(page_texts(reader(render(load(path, root=project.root), RenderOptions()).pdf)))
    )
    for span in ("Feb 1998 – Jun 1999", "24 Mar – 10 Jun 1999", "10–29 Dec 2022"):
        assert text.count(squash(span)) >= 2, span  # once on the chart, once in the chronology
    assert "February" not in text


def test_end_within_the_month_of_its_date_is_valid(project) -> None:
    assert check(project.source(SOURCE), root=project.root) == []
    bad = SOURCE.replace("end: 2023-04, label", "end: 2023-03, label")
    (error,) = check(project.source(bad, "bad.yaml"), root=project.root)
    assert "timeline.events[3].end" in str(error)


def test_warnings_for_category_slips_and_events_after_as_of(project) -> None:
    path = project.source(SOURCE)
    warnings = [str(w) for w in render(load(path, root=project.root), RenderOptions()).warnings]
    assert any("events[1].category" in w and "only in case" in w for w in warnings)
    assert any("events[2].category" in w and "`diplomatc`" in w and "typo" in w for w in warnings)
    assert any("events[4].date" in w and "after the briefing's as_of" in w for w in warnings)
    assert not any("events[3].category" in w for w in warnings)


def test_key_is_a_known_event_field(project) -> None:
    text = SOURCE.replace("label: Talks,", "label: Talks, key: true,")
    b = load(project.source(text), root=project.root)
    assert b.timeline is not None
    assert [e.key for e in b.timeline.events] == [False, False, True, False, False]
    bad = SOURCE.replace("label: Talks,", "label: Talks, key: maybe,")
    assert check(project.source(bad, "bad.yaml"), root=project.root)


def test_a_dense_timeline_prints_one_chart_and_says_it_is_an_overview(project) -> None:
    lines = ["title: Dense", "as_of: 2023-12-31", "summary: [One.]", "timeline:", "  events:"]
    rng = random.Random(9)
    for n in range(300):
        lines.append(f"    - {{date: 2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}, "
                     f"label: Incident {n} near the capital}}")  # fmt: skip
    rendered = render(
        load(project.source("\n".join(lines) + "\n"), root=project.root), RenderOptions()
    )
    texts = page_texts(reader(rendered.pdf))
    assert "Overview: all 300 events are marked" in " ".join(" ".join(texts).split())
    assert rendered.pages <= 14  # the chronology's 300 rows; no stack of charts


def test_chronology_omits_detail_and_source_columns_no_event_fills(project) -> None:
    path = project.source(SOURCE)
    text = " ".join(page_texts(reader(render(load(path, root=project.root), RenderOptions()).pdf)))
    assert "Date Event Type" in " ".join(text.split())
    assert "Detail" not in text
    assert "Source" not in text


def busy_last_year(count: int = 60) -> Timeline:
    rng = random.Random(11)
    events = [Event(D(1950 + 3 * n), f"Event of {1950 + 3 * n}") for n in range(20)]
    events += [
        Event(D(2023, rng.randint(1, 12), rng.randint(1, 28)), f"Clash {n} near the capital")
        for n in range(count)
    ]
    return Timeline(events=tuple(events))


def test_a_busy_stretch_gets_a_detail_panel_that_says_what_it_is(project) -> None:
    overview, detail = timeline_chart(busy_last_year(), width_pt=WIDTH, max_height_pt=MAX_HEIGHT)
    assert overview.detail_of is None
    assert len(overview.marked) == 80
    assert detail.detail_of is not None
    assert detail.detail_of[0].year == 2023
    assert detail.detail_of[1].year == 2023
    assert all(e.date.year == 2023 for e in detail.marked)
    assert overview.height + detail.height <= MAX_HEIGHT + 1
    assert_readable(overview)
    assert_readable(detail)
    lines = ["title: Busy", "as_of: 2023-12-31", "summary: [One.]", "timeline:", "  events:"]
    lines += [f"    - {{date: {e.date.iso()}, label: {e.label}}}" for e in busy_last_year().events]
    path = project.source("\n".join(lines) + "\n")
    pdf = render(load(path, root=project.root), RenderOptions()).pdf
    text = " ".join(" ".join(page_texts(reader(pdf))).split())
    assert "Detail: " in text
    assert "on their own time scale" in text
    assert "The detail below shows" in text
