"""Briefing → the list of flowables, in reading order. Pure: no canvas, no files.

Why: the order is the product. Page 1 carries what a reader who reads nothing
else must see (``front``); then the timeline chart and its chronology, the
actor table (who the parties are, who backs whom), the body, and the sources
every citation links to (``body``).
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from briefing.model import Actor, Briefing, Event, span_label
from briefing.render.pdf.body import sections, sources
from briefing.render.pdf.changes import changes_box
from briefing.render.pdf.front import front_page
from briefing.render.pdf.inputs import StoryInputs
from briefing.render.pdf.markup import (
    cite,
    heading,
    isolated,
    para,
    paragraph,
    plain_markup,
)
from briefing.render.pdf.styles import Styles
from briefing.render.pdf.tables import Column, data_table
from briefing.source.markdown import plain
from briefing.source.schema import ACTOR


def build_story(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    return [
        *front_page(b, inputs),
        *changes_box(inputs),
        *_timeline(b, inputs),
        *_actors(b, inputs),
        *sections(b, inputs),
        *sources(b, inputs),
    ]


#: Room a table heading needs below it: itself, the header row and about two rows.
TABLE_START = 110


def _table_heading(
    text: str, style: ParagraphStyle, key: str, level: int, n: dict[str, int]
) -> list[Flowable]:
    """A heading that starts a table: a new page only when fewer than a few rows fit.

    Why: ``keepWithNext`` would bind the heading to the *whole* table, and ReportLab
    moves a table that fits on one page to the next page whole, leaving a half-empty
    page behind. The table splits by rows and repeats its header instead.
    """
    loose = ParagraphStyle(f"{style.name}-table", parent=style, keepWithNext=0)
    return [CondPageBreak(TABLE_START), heading(text, loose, key=key, level=level, numbers=n)]


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


def _timeline(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    """The chart(s), then the chronology: every event with date, label, detail and source."""
    if b.timeline is None:
        return []
    s = inputs.styles
    n = b.source_numbers()
    t = b.timeline
    title = heading(t.title or "Timeline", s.h1, key="timeline", level=0, numbers=n)
    out: list[Flowable] = [CondPageBreak(inputs.geometry.frame_height * 0.3)]
    out += _chart_blocks(title, list(inputs.charts), s)
    out += _table_heading("Chronology", s.h2, "chronology", 1, n)
    events = sorted(t.events, key=lambda e: (e.date.first_day(), e.date.last_day()))
    has_detail = any(e.detail for e in events)
    has_category = any(e.category for e in events)
    has_source = any(e.source for e in events)
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
    rows: list[list[Flowable]] = []
    for e in events:
        row: list[Flowable] = [
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


#: Relative widths of the actor columns; the columns themselves are the schema's actor
#: keys, in its order, headed by the key's name (a key added to the format gets a column).
ACTOR_WEIGHTS = {"name": 1.3, "type": 0.7, "role": 1.3, "alignment": 1.4, "ties": 1.1, "notes": 2.3}
ACTOR_COLUMNS: tuple[tuple[str, str, float], ...] = tuple(
    (f.key, f.key.replace("_", " ").capitalize(), ACTOR_WEIGHTS.get(f.key, 0.5))
    for f in ACTOR.fields
)


def _actor_value(actor: Actor, key: str) -> str | None:
    value = getattr(actor, key)
    if key == "ties":
        return ", ".join(value) if value else None
    return value


def _column_words(actors: tuple[Actor, ...], key: str) -> list[str]:
    """Texts whose words a column must hold unbroken (each column's minimum is capped)."""
    if key == "source":
        return ["[999]"]
    return [plain(_actor_value(a, key) or "") for a in actors]


def _actors(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    """The actor table: a column only when some actor fills it; never empty (omitted then)."""
    if not b.actors:
        return []
    s = inputs.styles
    n = b.source_numbers()
    keys = [c for c in ACTOR_COLUMNS if any(_actor_value(a, c[0]) for a in b.actors)]
    rows: list[list[Flowable]] = []
    for actor in b.actors:
        row: list[Flowable] = []
        for key, _, _ in keys:
            if key == "source":
                row.append(Paragraph(cite(actor.source, n), s.cell))
            elif key == "ties":
                ties = ", ".join(isolated(t, n) for t in actor.ties)
                row.append(paragraph(ties, s.cell, raw=" ".join(actor.ties)))
            else:
                style = s.cell_bold if key == "name" else s.cell
                row.append(para(_actor_value(actor, key) or "", style, n))
        rows.append(row)
    spec = [
        Column(header, weight, _column_words(b.actors, key), bold=key == "name")
        for key, header, weight in keys
    ]
    g = inputs.geometry
    table = data_table(spec, rows, g.frame_width, s, g.frame_height)
    head = _table_heading("Actors", s.h1, "actors", 0, n)
    if table.wrap(g.frame_width, g.frame_height)[1] <= SHORT_TABLE * g.frame_height:
        return [head[0], KeepTogether([*head[1:], table])]  # a short table is never split
    return [*head, table]


#: A table at most this share of the frame tall moves whole rather than leave a row behind.
SHORT_TABLE = 0.3
