"""Dense timelines on paper: every event findable, key events labelled, nothing overlapping.

An overview labels only as many events as fit; the index strip under its axis keys every
marker to its row in the chronology, and the chronology numbers its rows. These tests read
the charts' geometry and the PDF back (the chronology's numbers next to their dates).
"""

from __future__ import annotations

import io
import itertools
import random
from pathlib import Path

import pdfplumber
from pageread import page_lines
from test_charts import MAX_HEIGHT, WIDTH, D, assert_readable

from briefing.model import Event, Timeline
from briefing.render import RenderOptions, render
from briefing.render.charts import Chart, timeline_chart
from briefing.render.charts.index import index_ranges
from briefing.render.charts.measure import font_metrics
from briefing.source.load import load

ROOT = Path(__file__).resolve().parent.parent
SUDAN = ROOT / "sources" / "sudan-2023.yaml"


def assert_indexed(chart: Chart, first_row: int = 1) -> None:
    """The strip's ranges run over the chart's rows in order, each row in exactly one."""
    ranges = [(a, b) for a, b, _ in chart.index_boxes]
    assert ranges, "an overview must key its markers to the chronology"
    assert ranges[0][0] == first_row
    assert ranges[-1][1] == first_row + len(chart.marked) - 1
    for (_, b), (c, _) in itertools.pairwise(ranges):
        assert c == b + 1, ranges
    assert all(a <= b for a, b in ranges)
    boxes = [box for _, _, box in chart.index_boxes]
    assert all(x.x1 < y.x0 for x, y in itertools.pairwise(boxes))  # left to right


def test_index_ranges_put_each_marker_under_its_own_bracket_and_texts_apart() -> None:
    rng = random.Random(4)
    metrics = font_metrics()
    for _ in range(40):
        count = rng.randint(1, 300)
        xs = sorted(rng.choice([rng.uniform(5, 476), 470.0]) for _ in range(count))
        numbers = list(range(1, count + 1))
        ranges = index_ranges(xs, numbers, WIDTH, metrics)
        for k, x in enumerate(xs):
            (own,) = [r for r in ranges if r.first <= numbers[k] <= r.last]
            assert own.x0 - 1e-9 <= x <= own.x1 + 1e-9
        for a, b in itertools.pairwise(ranges):
            assert a.last + 1 == b.first
            assert a.box.x1 + 4.99 <= b.box.x0  # texts never touch
            assert a.x1 < b.x0  # brackets never share a marker
        assert all(r.box.x0 >= 0 and r.box.x1 <= WIDTH for r in ranges)


def sudan_charts() -> tuple[Chart, ...]:
    b = load(SUDAN, root=ROOT)
    assert b.timeline is not None
    return timeline_chart(b.timeline, width_pt=WIDTH, max_height_pt=MAX_HEIGHT)


def test_sudan_overview_keys_every_event_and_labels_every_key_event() -> None:
    charts = sudan_charts()
    overview = charts[0]
    assert len(overview.marked) == 71
    assert_readable(overview)
    assert_indexed(overview)
    labelled = {e for chart in charts for e in chart.events}
    keys = [e for e in overview.marked if e.key]
    assert len(keys) == 10
    assert all(k in labelled for k in keys)
    for detail in charts[1:]:
        assert_readable(detail)
        first = overview.marked.index(detail.marked[0]) + 1
        if len(detail.events) < len(detail.marked):
            assert_indexed(detail, first)  # the detail's numbers are the chronology's too
        assert all(k in detail.events for k in keys if k in detail.marked)
    # Labels spread over the chart rather than piling over the busy last years.
    xs = sorted(leader.x for leader in overview.leaders)
    assert xs[0] < 0.1 * WIDTH
    assert xs[len(xs) // 2] < 0.7 * WIDTH


def chronology_rows(pdf: bytes) -> dict[int, str]:
    """Chronology row number → the date printed next to it, read from the pages' words.

    A number counts only in the "No." column: left of the "Date" header's x.
    """
    rows: dict[int, str] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = page.extract_words()
            heads = [w for w in words if w["text"] == "No."]
            dates = [w for w in words if w["text"] == "Date"]
            if not heads or not dates:
                continue
            limit = dates[0]["x0"] - 1
            for word in words:
                column = abs(word["x0"] - heads[0]["x0"]) < 6 and word["x1"] < limit
                if column and word["text"].isdigit() and word["top"] > heads[0]["top"]:
                    line = sorted(
                        (w for w in words if abs(w["top"] - word["top"]) < 2 and w["x0"] >= limit),
                        key=lambda w: w["x0"],
                    )
                    rows[int(word["text"])] = " ".join(w["text"] for w in line[:6])
    return rows


def test_sudan_pdf_numbers_the_chronology_as_the_index_strip_does() -> None:
    b = load(SUDAN, root=ROOT)
    rendered = render(b, RenderOptions())
    rows = chronology_rows(rendered.pdf)
    assert sorted(rows) == list(range(1, 72))
    assert rows[1].startswith("1 Jan 1956")
    assert rows[71].startswith("18 Dec 2023")
    overview = sudan_charts()[0]
    for n, event in enumerate(overview.marked, 1):
        assert str(event.date.year) in rows[n], (n, event, rows[n])
    text = " ".join(line.text for line in page_lines(rendered.pdf))
    assert "rows (No.) in the chronology" in text


def timeline_source(count: int, seed: int) -> str:
    rng = random.Random(seed)
    lines = ["title: T", "as_of: 2024-12-31", "summary: [One.]", "timeline:", "  events:"]
    for n in range(count):
        year = rng.choice([rng.randint(1950, 2022), 2023, 2023, 2024])
        key = ", key: true" if n % 40 == 0 else ""
        lines.append(
            f"    - {{date: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}, "
            f"label: Incident {n} reported near the border{key}, "
            f"category: {rng.choice(['military', 'political', 'diplomatic'])}}}"
        )
    return "\n".join(lines) + "\n"


def test_200_events_every_one_findable_and_every_key_labelled(project) -> None:
    b = load(project.source(timeline_source(200, 7)), root=project.root)
    assert b.timeline is not None
    charts = timeline_chart(b.timeline, width_pt=WIDTH, max_height_pt=MAX_HEIGHT)
    for chart in charts:
        assert_readable(chart)
    assert_indexed(charts[0])
    labelled = {e for chart in charts for e in chart.events}
    assert all(e in labelled for e in b.timeline.events if e.key)
    rows = chronology_rows(render(b, RenderOptions()).pdf)
    assert sorted(rows) == list(range(1, 201))


def test_three_events_are_all_labelled_without_numbers(project) -> None:
    source = timeline_source(3, 1)
    b = load(project.source(source), root=project.root)
    assert b.timeline is not None
    (chart,) = timeline_chart(b.timeline, width_pt=WIDTH, max_height_pt=MAX_HEIGHT)
    assert len(chart.events) == 3
    assert chart.index_boxes == ()
    assert chronology_rows(render(b, RenderOptions()).pdf) == {}  # no "No." column


def test_a_crowded_year_gets_one_bracket_not_a_pile_of_numbers() -> None:
    events = [Event(D(1950 + n), f"Early event {n}") for n in range(0, 60, 6)]
    events += [Event(D(2023, 1 + n % 12, 1 + n % 28), f"Incident {n}") for n in range(120)]
    (chart, *_) = timeline_chart(
        Timeline(events=tuple(events)), width_pt=WIDTH, max_height_pt=MAX_HEIGHT
    )
    assert_readable(chart)
    assert_indexed(chart)
    assert len(chart.index_boxes) < 40
