"""The timeline section: the chart(s) with what each shows, then the chronology table.

Why its own module: the chart blocks (overview, detail panel, their notes) and the
chronology's columns change together when the timeline changes, and apart from the
rest of the story.
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from briefing.model import Briefing, Event, span_label
from briefing.render.pdf.inputs import StoryInputs
from briefing.render.pdf.markup import cite, heading, para, plain_markup
from briefing.render.pdf.styles import Styles
from briefing.render.pdf.tables import Column, data_table, table_heading
from briefing.source.markdown import plain


def _event_date(e: Event) -> str:
    """The date at its own precision; a span as the chart prints it (``span_label``)."""
    return span_label(e.date, e.end)


def _chart_blocks(title: Flowable, charts: list[Flowable], s: Styles) -> list[Flowable]:
    """The chart(s) with what each is: the overview's note, the detail panel's heading.

    Why: a second chart at another scale must say so, or a reader compares distances
    across the two as if they were one axis.
    """
    drawn = [c for c in charts if getattr(c, "chart", None) is not None]
    if not drawn:
        return [title]
    overview = drawn[0].chart  # type: ignore[attr-defined]
    details = [c for c in drawn[1:] if c.chart.detail_of is not None]  # type: ignore[attr-defined]
    first: list[Flowable] = [title, drawn[0]]
    if len(overview.events) < len(overview.marked):
        text = (
            f"Overview: all {len(overview.marked)} events are marked; "
            f"{len(overview.events)} are labelled (key events first)."
        )
        if details:
            span = span_label(*details[0].chart.detail_of)  # type: ignore[attr-defined]
            text += f" The detail below shows {span} on a larger scale."
        if overview.index_boxes:
            text += " The numbers under the axis are the events' rows (No.) in the chronology."
        else:
            text += " The chronology lists every event."
        first.append(Paragraph(text, s.caption))
    out: list[Flowable] = [KeepTogether(first)]
    for flowable in details:
        chart = flowable.chart  # type: ignore[attr-defined]
        span = span_label(*chart.detail_of)
        head = Paragraph(f"Detail: {plain_markup(span)}", s.h2)
        note = f"{len(chart.marked)} events of {span} on their own time scale" + (
            f"; {len(chart.events)} labelled." if len(chart.events) < len(chart.marked) else "."
        )
        out.append(KeepTogether([head, flowable, Paragraph(note, s.caption)]))
    return out


def _indexed(charts: object) -> bool:
    """Does a chart key its markers to chronology rows? Then the chronology numbers them."""
    return any(getattr(getattr(c, "chart", None), "index_boxes", ()) for c in charts)  # type: ignore[attr-defined]


def timeline_section(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    """The chart(s), then the chronology: every event with date, label, detail and source."""
    if b.timeline is None:
        return []
    s = inputs.styles
    n = b.source_numbers()
    t = b.timeline
    title = heading(t.title or "Timeline", s.h1, key="timeline", level=0, numbers=n)
    out: list[Flowable] = [CondPageBreak(inputs.geometry.frame_height * 0.3)]
    out += _chart_blocks(title, list(inputs.charts), s)
    out += table_heading("Chronology", s.h2, "chronology", 1, n)
    events = sorted(t.events, key=lambda e: (e.date.first_day(), e.date.last_day()))
    has_detail = any(e.detail for e in events)
    has_category = any(e.category for e in events)
    has_source = any(e.source for e in events)
    numbered = _indexed(inputs.charts)
    columns = [
        Column("Date", 1.1, [_event_date(e) for e in events], bold=True, max_min=80),
        Column("Event", 2.4, [plain(e.label) for e in events]),
    ]
    if has_detail:
        columns.append(Column("Detail", 3.6, [plain(e.detail or "") for e in events]))
    if has_category:
        columns.append(Column("Type", 0.9, [plain(e.category or "") for e in events], max_min=90))
    if has_source:
        columns.append(Column("Source", 0.5, ["[999]"]))
    if numbered:
        columns.insert(0, Column("No.", 0.3, [str(len(events))], max_min=30))
    rows: list[list[Flowable]] = []
    for number, e in enumerate(events, 1):
        row: list[Flowable] = [Paragraph(str(number), s.cell)] if numbered else []
        row += [
            Paragraph(plain_markup(_event_date(e)), s.cell_bold),
            para(e.label, s.cell, n),
        ]
        if has_detail:
            row.append(para(e.detail or "", s.cell, n))
        if has_category:
            row.append(para(e.category or "", s.cell, n))
        if has_source:
            row.append(Paragraph(cite(e.source, n), s.cell))
        rows.append(row)
    g = inputs.geometry
    out.append(data_table(columns, rows, g.frame_width, s, g.frame_height))
    return out
