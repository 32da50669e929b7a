"""Briefing → the list of flowables, in reading order. Pure: no canvas, no files.

Why: the order is the product. Page 1 carries what a reader who reads nothing
else must see (title block, bottom line up front, key facts, map panel); then
the timeline and its chronology, the actor table, the body, and the sources
that every citation links to. Each part is its own function so the story reads
like the briefing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from briefing.model import Actor, Briefing, Event, Figure, Section
from briefing.pdf.flowables import Heading, MapBox, PlaceMark
from briefing.pdf.markup import inline, needs_shaping, paragraph, plain_markup, runs_markup
from briefing.pdf.markup import source_anchor as anchor
from briefing.pdf.styles import (
    ACCENT,
    ACCENT_LIGHT,
    BOLD,
    REGULAR,
    RULE,
    ZEBRA,
    Geometry,
    Styles,
)
from briefing.text import ListBlock, Paragraph as TextParagraph, parse_blocks, plain


@dataclass(frozen=True, slots=True)
class StoryInputs:
    """What the story needs besides the briefing: styles, page geometry, drawn charts, images."""

    styles: Styles
    geometry: Geometry
    charts: Sequence[Flowable]
    images: dict[str, bytes]  # str(path) → bytes, read once by the caller


def build_story(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    story: list[Flowable] = []
    story += _title_block(b, inputs)
    story += _bluf(b, inputs)
    story += _key_facts(b, inputs)
    story += _map(b, inputs)
    story += _timeline(b, inputs)
    story += _actors(b, inputs)
    story += _sections(b, inputs)
    story += _sources(b, inputs)
    return story


# --- helpers -----------------------------------------------------------------------------


class _Ctx:
    """Per-story helpers bound to the briefing's citation numbers and styles."""

    def __init__(self, b: Briefing, inputs: StoryInputs) -> None:
        self.numbers = b.source_numbers()
        self.s = inputs.styles


def _p(text: str, style, numbers: dict[str, int]) -> Paragraph:  # noqa: ANN001
    return paragraph(inline(text, numbers), style, raw=text)


def _heading(text: str, style, key: str, level: int, numbers: dict[str, int]) -> Heading:  # noqa: ANN001
    markup = inline(text, numbers)
    if needs_shaping(text):
        from reportlab.lib.styles import ParagraphStyle

        style = ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)
    return Heading(markup, style, key=key, level=level, plain=plain(text))


def _cite(source_id: str | None, numbers: dict[str, int]) -> str:
    if source_id is None:
        return ""
    n = numbers[source_id]
    return f'<a href="#{anchor(n)}" color="#1f4e99">[{n}]</a>'


def _table_style(extra: list[tuple] | None = None) -> TableStyle:
    """Base table style. FONTNAME is set for every cell so Helvetica never sneaks in."""
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    return TableStyle(cmds + (extra or []))


def _data_table(
    header: list[str], rows: list[list[Flowable]], widths: list[float], s: Styles
) -> Table:
    """A ruled table whose header repeats on every page and whose tall rows split."""
    head = [Paragraph(plain_markup(h), s.cell_head) for h in header]
    style = _table_style(
        [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ]
    )
    return Table(
        [head, *rows],
        colWidths=widths,
        style=style,
        repeatRows=1,
        splitByRow=1,
        splitInRow=1,
        hAlign="LEFT",
    )


def _widths(weights: list[float], total: float) -> list[float]:
    scale = total / sum(weights)
    return [w * scale for w in weights]


# --- page 1 --------------------------------------------------------------------------------


def _title_block(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    s = inputs.styles
    n = b.source_numbers()
    out: list[Flowable] = []
    if b.organization:
        out.append(_p(b.organization.upper(), s.org, n))
        out.append(Spacer(1, 3))
    out.append(_p(b.title, s.title, n))
    if b.subtitle:
        out.append(_p(b.subtitle, s.subtitle, n))
    meta = [f"<b>As of</b> {plain_markup(b.as_of.strftime('%-d %B %Y'))}"]
    if b.authors:
        meta.append("<b>By</b> " + ", ".join(inline(a, n) for a in b.authors))
    if b.review_by:
        meta.append(f"<b>Review by</b> {plain_markup(b.review_by.strftime('%-d %B %Y'))}")
    out.append(Spacer(1, 6))
    out.append(paragraph("  ·  ".join(meta), s.meta, raw=" ".join(b.authors)))
    out.append(Spacer(1, 6))
    out.append(HRFlowable(width="100%", thickness=2, color=ACCENT, spaceBefore=0, spaceAfter=10))
    return out


def _bluf(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    s = inputs.styles
    n = b.source_numbers()
    rows: list[list[Flowable]] = [
        [Heading("BOTTOM LINE UP FRONT", s.box_label, key="summary", level=0, plain="Summary")]
    ]
    for item in b.summary:
        para = paragraph(inline(item, n), s.bluf, raw=item)
        para.bulletText = "■"
        para.style = _bulleted(para.style)
        rows.append([para])
    table = Table(
        rows,
        colWidths=[inputs.geometry.frame_width],
        style=_table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
                ("TOPPADDING", (0, 1), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -2), 2),
            ]
        ),
        splitByRow=1,
        splitInRow=1,
    )
    return [table, Spacer(1, 12)]


def _bulleted(style):  # noqa: ANN001, ANN202
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        f"{style.name}-bullet",
        parent=style,
        bulletFontName=BOLD,
        bulletFontSize=6,
        bulletColor=ACCENT,
        bulletOffsetY=-1.5,
    )


def _key_facts(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    if not b.key_facts:
        return []
    s = inputs.styles
    n = b.source_numbers()
    columns = 3 if len(b.key_facts) != 4 else 2
    width = inputs.geometry.frame_width
    cells: list[list[Flowable]] = []
    for fact in b.key_facts:
        label = inline(fact.label, n)
        cite = _cite(fact.source, n)
        cells.append(
            [
                paragraph(inline(fact.value, n), s.fact_value, raw=fact.value),
                paragraph(f"{label} {cite}".strip(), s.fact_label, raw=fact.label),
            ]
        )
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [[]] * (columns - len(rows[-1]))
    gap = 8
    table = Table(
        rows,
        colWidths=[
            (width - gap * (columns - 1)) / columns + (gap if i < columns - 1 else 0)
            for i in range(columns)
        ],
        style=_table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-2, -1), gap),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        ),
        splitByRow=1,
        splitInRow=1,
        hAlign="LEFT",
    )
    # an accent rule above each fact card, drawn per cell that holds a fact
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell:
                table.setStyle([("LINEABOVE", (c, r), (c, r), 1.5, ACCENT)])
    heading = _heading("Key facts", s.h1, "key-facts", 0, n)
    return [heading, table, Spacer(1, 4)]


def _map(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    if b.map is None:
        return []
    m = b.map
    s = inputs.styles
    n = b.source_numbers()
    width = inputs.geometry.frame_width
    height = round(width * 0.46, 1)
    image = inputs.images.get(str(m.image)) if m.image is not None else None
    region = plain(m.region or m.title or "Map")
    box = MapBox(
        width,
        height,
        region=region,
        places=tuple(PlaceMark(plain(p.name), p.lat, p.lon) for p in m.places),
        image=image,
    )
    caption_parts: list[str] = []
    if m.caption:
        caption_parts.append(inline(m.caption, n))
    if m.places:
        caption_parts.append(
            "<b>Places:</b> "
            + "; ".join(
                f"{inline(p.name, n)} ({_coord(p.lat, 'N', 'S')}, {_coord(p.lon, 'E', 'W')})"
                for p in m.places
            )
            + "."
        )
    if m.credit:
        caption_parts.append(f"<i>Credit:</i> {inline(m.credit, n)}")
    raw = " ".join(filter(None, [m.caption, m.credit, *(p.name for p in m.places)]))
    out: list[Flowable] = [_heading(m.title or "Map", s.h1, "map", 0, n), box]
    if caption_parts:
        out.append(paragraph(" ".join(caption_parts), s.caption, raw=raw))
    return [KeepTogether(out[:2]), *out[2:]]


def _coord(value: float, pos: str, neg: str) -> str:
    return f"{abs(value):.2f}° {pos if value >= 0 else neg}"


# --- timeline and actors -------------------------------------------------------------------


def _event_date(e: Event) -> str:
    if e.end is None:
        return e.date.label()
    return f"{e.date.label()} – {e.end.label()}"


def _timeline(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    if b.timeline is None:
        return []
    s = inputs.styles
    n = b.source_numbers()
    t = b.timeline
    out: list[Flowable] = [
        CondPageBreak(inputs.geometry.frame_height * 0.3),
        _heading(t.title or "Timeline", s.h1, "timeline", 0, n),
    ]
    charts = list(inputs.charts)
    if charts:
        out.append(KeepTogether([charts[0]]))
        out.extend(charts[1:])
    out.append(_heading("Chronology", s.h2, "chronology", 1, n))
    has_detail = any(e.detail for e in t.events)
    has_source = any(e.source for e in t.events)
    has_category = any(e.category for e in t.events)
    header = ["Date", "Event"]
    weights = [1.2, 2.4]
    if has_detail:
        header.append("Detail")
        weights.append(3.6)
    if has_category:
        header.append("Type")
        weights.append(0.9)
    if has_source:
        header.append("Source")
        weights.append(0.6)
    rows: list[list[Flowable]] = []
    for e in sorted(t.events, key=lambda e: (e.date.first_day(), e.date.precision)):
        row: list[Flowable] = [
            Paragraph(plain_markup(_event_date(e)), s.cell_bold),
            _p(e.label, s.cell, n),
        ]
        if has_detail:
            row.append(_p(e.detail or "", s.cell, n))
        if has_category:
            row.append(_p(e.category or "", s.cell, n))
        if has_source:
            row.append(Paragraph(_cite(e.source, n), s.cell))
        rows.append(row)
    out.append(_data_table(header, rows, _widths(weights, inputs.geometry.frame_width), s))
    return out


_ACTOR_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("name", "Name", 1.3),
    ("type", "Type", 0.9),
    ("role", "Role", 1.4),
    ("alignment", "Alignment", 1.5),
    ("ties", "Ties", 1.2),
    ("notes", "Notes", 1.9),
    ("source", "Source", 0.6),
)


def _actor_cell(actor: Actor, key: str) -> str | None:
    value = getattr(actor, key)
    if key == "ties":
        return ", ".join(value) if value else None
    return value


def _actors(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    if not b.actors:
        return []
    s = inputs.styles
    n = b.source_numbers()
    columns = [c for c in _ACTOR_COLUMNS if any(_actor_cell(a, c[0]) for a in b.actors)]
    rows: list[list[Flowable]] = []
    for actor in b.actors:
        row: list[Flowable] = []
        for key, _, _ in columns:
            if key == "source":
                row.append(Paragraph(_cite(actor.source, n), s.cell))
            elif key == "ties":
                row.append(
                    paragraph(
                        ", ".join(inline(t, n) for t in actor.ties),
                        s.cell,
                        raw=" ".join(actor.ties),
                    )
                )
            else:
                value = _actor_cell(actor, key) or ""
                row.append(_p(value, s.cell_bold if key == "name" else s.cell, n))
        rows.append(row)
    table = _data_table(
        [c[1] for c in columns],
        rows,
        _widths([c[2] for c in columns], inputs.geometry.frame_width),
        s,
    )
    return [
        CondPageBreak(inputs.geometry.frame_height * 0.2),
        _heading("Actors", s.h1, "actors", 0, n),
        table,
    ]


# --- body ----------------------------------------------------------------------------------


def _sections(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    s = inputs.styles
    n = b.source_numbers()
    figures_after: dict[str, list[Figure]] = {}
    trailing: list[Figure] = []
    for fig in b.figures:
        if fig.after is None:
            trailing.append(fig)
        else:
            figures_after.setdefault(fig.after, []).append(fig)
    counter = iter(range(1, len(b.figures) + 1))
    out: list[Flowable] = []
    for i, section in enumerate(b.sections, start=1):
        out.append(_heading(f"{i}. {section.heading}", s.h1, f"s{i}", 0, n))
        out.extend(_body(section.body, inputs, n))
        for j, sub in enumerate(section.sections, start=1):
            out.append(_heading(f"{i}.{j} {sub.heading}", s.h2, f"s{i}-{j}", 1, n))
            out.extend(_body(sub.body, inputs, n))
            out.extend(_figures(figures_after.get(sub.heading, []), inputs, counter, n))
        out.extend(_figures(figures_after.get(section.heading, []), inputs, counter, n))
    out.extend(_figures(trailing, inputs, counter, n))
    return out


def _body(source: str, inputs: StoryInputs, n: dict[str, int]) -> list[Flowable]:
    return _blocks(parse_blocks(source), inputs, n, depth=0)


def _blocks(blocks, inputs: StoryInputs, n: dict[str, int], depth: int) -> list[Flowable]:  # noqa: ANN001
    s = inputs.styles
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, TextParagraph):
            raw = "".join(r.text for r in block.runs)
            style = s.body if depth == 0 else s.bullet
            out.append(paragraph(runs_markup(block.runs, n), style, raw=raw))
        elif isinstance(block, ListBlock):
            for k, item in enumerate(block.items):
                mark = "•" if block.start is None else f"{block.start + k}."
                flows = _blocks(item, inputs, n, depth + 1)
                for f_index, flow in enumerate(flows):
                    if isinstance(flow, Paragraph):
                        flow.style = _indented(flow.style, depth)
                        if f_index == 0:
                            flow.bulletText = mark
                out.extend(flows)
            if out:
                out.append(Spacer(1, 3))
    return out


def _indented(style, depth: int):  # noqa: ANN001, ANN202
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        f"{style.name}-d{depth}",
        parent=style,
        leftIndent=14 * (depth + 1),
        bulletIndent=14 * depth + 2,
        bulletFontName=REGULAR,
        spaceAfter=2,
    )


def _figures(figs: list[Figure], inputs: StoryInputs, counter, n: dict[str, int]) -> list[Flowable]:  # noqa: ANN001
    s = inputs.styles
    out: list[Flowable] = []
    g = inputs.geometry
    for fig in figs:
        number = next(counter)
        data = inputs.images[str(fig.image)]
        from io import BytesIO

        from reportlab.lib.utils import ImageReader

        reader = ImageReader(BytesIO(data))
        iw, ih = reader.getSize()
        scale = min(g.frame_width / iw, g.frame_height * 0.5 / ih)
        img = Image(BytesIO(data), width=iw * scale, height=ih * scale)
        img.hAlign = "CENTER"
        parts = [f"<b>Figure {number}.</b>"]
        if fig.caption:
            parts.append(inline(fig.caption, n))
        if fig.credit:
            parts.append(f"<i>Credit:</i> {inline(fig.credit, n)}")
        raw = " ".join(filter(None, [fig.caption, fig.credit]))
        out.append(
            KeepTogether(
                [Spacer(1, 6), img, paragraph(" ".join(parts), s.caption, raw=raw), Spacer(1, 6)]
            )
        )
    return out


def _sources(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    if not b.sources:
        return []
    s = inputs.styles
    n = b.source_numbers()
    out: list[Flowable] = [_heading("Sources", s.h1, "sources", 0, n)]
    for number, src in enumerate(b.sources, start=1):
        parts = [f'<a name="{anchor(number)}"/>[{number}]&nbsp;']
        if src.publisher:
            parts.append(f"{inline(src.publisher, n)}, ")
        parts.append(f"<b>{inline(src.title, n)}</b>")
        if src.date:
            parts.append(f", {plain_markup(src.date.label())}")
        parts.append(".")
        if src.url:
            from xml.sax.saxutils import escape, quoteattr

            parts.append(f' <a href={quoteattr(src.url)} color="#1f4e99">{escape(src.url)}</a>')
        if src.accessed:
            parts.append(f" Accessed {plain_markup(src.accessed.label())}.")
        if src.note:
            parts.append(f" {inline(src.note, n)}")
        raw = " ".join(filter(None, [src.title, src.publisher, src.note]))
        out.append(paragraph("".join(parts), s.source, raw=raw))
    return out


# Section is referenced by type checkers through Briefing; keep the import meaningful.
_ = Section
