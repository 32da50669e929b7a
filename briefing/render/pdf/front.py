"""Page 1: title block, the boxed bottom line up front, key facts and the map panel.

Why: page 1 is what a policymaker reads when they read nothing else, so it
holds the summary and the facts, and the map beside them when both fit: key
facts in a sidebar left of the map (the layout of OCHA situation reports). When
the sidebar would be taller than the map, facts become a full-width grid above
the map instead, so nothing is ever squeezed or cut.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table

from briefing.model import Briefing, Fact, MapPanel, long_date
from briefing.render.pdf.flowables import Anchor, MapBox, PlaceMark, map_drawing
from briefing.render.pdf.inputs import StoryInputs
from briefing.render.pdf.markup import cite, heading, inline, para, paragraph, plain_markup
from briefing.render.pdf.styles import ACCENT, ACCENT_LIGHT, BOLD
from briefing.render.pdf.tables import base_style, split_in_row
from briefing.source.markdown import plain

SIDEBAR_SHARE = 0.33
GAP = 14
MAP_ASPECT = 0.74  # map height / width beside the sidebar
FULL_MAP_ASPECT = 0.42  # map height / width across the frame
#: A region name longer than this is also printed in the caption (the placeholder clips it).
REGION_IN_CAPTION = 120


def front_page(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    return [*_title_block(b, inputs), *_bluf(b, inputs), *_facts_and_map(b, inputs)]


def _title_block(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    s = inputs.styles
    n = b.source_numbers()
    out: list[Flowable] = []
    if b.organization:
        out += [para(b.organization, s.org, n), Spacer(1, 3)]
    out.append(para(b.title, s.title, n))
    if b.subtitle:
        out.append(para(b.subtitle, s.subtitle, n))
    meta = [f"<b>As of</b> {plain_markup(long_date(b.as_of))}"]
    if inputs.edition is not None:
        meta.insert(0, f"<b>{plain_markup(inputs.edition.title_text())}</b>")
    if b.authors:
        meta.append("<b>By</b> " + ", ".join(inline(a, n) for a in b.authors))
    if b.review_by:
        meta.append(f"<b>Review by</b> {plain_markup(long_date(b.review_by))}")
    out += [
        Spacer(1, 6),
        paragraph("  ·  ".join(meta), s.meta, raw=" ".join(b.authors)),
        Spacer(1, 6),
        HRFlowable(width="100%", thickness=2, color=ACCENT, spaceBefore=0, spaceAfter=10),
    ]
    return out


def _bluf(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    """The summary as a tinted box with an accent bar; one row per bullet so it can split."""
    s = inputs.styles
    n = b.source_numbers()
    bullet = ParagraphStyle(
        "bluf-bullet",
        parent=s.bluf,
        bulletFontName=BOLD,
        bulletFontSize=6,
        bulletColor=ACCENT,
        bulletOffsetY=-1.5,
    )
    g = inputs.geometry
    rows: list[list[Flowable]] = [[Paragraph("BOTTOM LINE UP FRONT", s.box_label)]]
    for item in b.summary:
        p = para(item, bullet, n)
        p.bulletText = "■"
        rows.append([p])
    table = Table(
        rows,
        colWidths=[g.frame_width],
        style=base_style(
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
        splitInRow=split_in_row(rows, [g.frame_width - 20], g.frame_height),
    )
    return [Anchor(key="summary", level=0, plain="Summary"), table, Spacer(1, 14)]


# --- key facts and map -----------------------------------------------------------------------


def _fact_flowables(
    fact: Fact, inputs: StoryInputs, n: dict[str, int], *, compact: bool = False
) -> list[Flowable]:
    s = inputs.styles
    label = f"{inline(fact.label, n)} {cite(fact.source, n)}".strip()
    value = ParagraphStyle("fact-compact", parent=s.fact_value, fontSize=11.5, leading=13.5)
    return [
        para(fact.value, value if compact else s.fact_value, n),
        paragraph(label, s.fact_label, raw=fact.label),
    ]


def _fact_grid(b: Briefing, inputs: StoryInputs) -> Table:
    """Facts as cards in a full-width grid, an accent rule above each."""
    n = b.source_numbers()
    count = len(b.key_facts)
    columns = count if count <= 4 else (3 if count in (5, 6, 9) else 4)
    cells = [_fact_flowables(f, inputs, n) for f in b.key_facts]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [[] for _ in range(columns - len(rows[-1]))]
    width = inputs.geometry.frame_width
    gap = 10
    card = (width - gap * (columns - 1)) / columns
    cmds: list[tuple] = [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), gap),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell:
                cmds.append(("LINEABOVE", (c, r), (c, r), 1.5, ACCENT))
    widths = [card + gap] * (columns - 1) + [card]
    return Table(
        rows,
        colWidths=widths,
        style=base_style(cmds),
        splitByRow=1,
        splitInRow=split_in_row(rows, widths, inputs.geometry.frame_height),
        hAlign="LEFT",
    )


def _fact_column(b: Briefing, inputs: StoryInputs, width: float) -> tuple[list[Flowable], float]:
    """Facts stacked for the sidebar, and their height at ``width``."""
    n = b.source_numbers()
    out: list[Flowable] = []
    for fact in b.key_facts:
        out.append(HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceAfter=3))
        out += _fact_flowables(fact, inputs, n, compact=True)
        out.append(Spacer(1, 6))
    height = sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in out)
    return out, height


def _map_box(m: MapPanel, inputs: StoryInputs, width: float, height: float) -> MapBox:
    image = inputs.images.get(str(m.image)) if m.image is not None else None
    drawing = map_drawing(m, inputs, width, height, image)
    return MapBox(
        width,
        height,
        region=plain(m.region or m.title or "Map"),
        places=tuple(PlaceMark(plain(p.name), p.lat, p.lon) for p in m.places),
        image=image,
        drawing=drawing,
    )


def _coord(value: float, pos: str, neg: str) -> str:
    return f"{abs(value):.2f}° {pos if value >= 0 else neg}"


def _map_caption(m: MapPanel, inputs: StoryInputs, n: dict[str, int]) -> Paragraph | None:
    """Caption, every place with its coordinates (so no place is only a dot), and credit."""
    parts: list[str] = []
    if m.region and (m.image is not None or len(m.region) > REGION_IN_CAPTION):
        parts.append(f"<b>Region:</b> {inline(m.region, n)}.")
    if m.caption:
        parts.append(inline(m.caption, n))
    if m.places:
        places = "; ".join(
            f"{inline(p.name, n)} ({_coord(p.lat, 'N', 'S')}, {_coord(p.lon, 'E', 'W')})"
            for p in m.places
        )
        parts.append(f"<b>Places:</b> {places}.")
    if m.credit:
        parts.append(f"<i>— Credit: {inline(m.credit, n)}</i>")
    if not parts:
        return None
    raw = " ".join(filter(None, [m.caption, m.credit, *(p.name for p in m.places)]))
    return paragraph(" ".join(parts), inputs.styles.caption, raw=raw)


def _facts_and_map(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    s = inputs.styles
    n = b.source_numbers()
    width = inputs.geometry.frame_width
    facts_heading = heading("Key facts", s.h1, key="key-facts", level=0, numbers=n)
    m = b.map
    if m is not None and b.key_facts:
        side = width * SIDEBAR_SHARE
        map_width = width - side - GAP
        map_height = round(map_width * MAP_ASPECT, 1)
        column, column_height = _fact_column(b, inputs, side)
        caption = _map_caption(m, inputs, n)
        caption_height = caption.wrap(map_width, 10_000)[1] if caption is not None else 0
        fits = map_height + caption_height + 30 <= inputs.geometry.frame_height * 0.8
        if fits and column_height <= map_height + caption_height + 20:
            return _side_by_side(b, inputs, column, side, map_width, map_height)
    out: list[Flowable] = []
    if b.key_facts:
        out += [facts_heading, _fact_grid(b, inputs), Spacer(1, 4)]
    if m is not None:
        box = _map_box(m, inputs, width, round(width * FULL_MAP_ASPECT, 1))
        title = heading(m.title or "Map", s.h1, key="map", level=0, numbers=n)
        out.append(KeepTogether([title, box]))
        caption = _map_caption(m, inputs, n)
        if caption is not None:
            out.append(caption)
    return out


def _side_by_side(
    b: Briefing,
    inputs: StoryInputs,
    column: list[Flowable],
    side: float,
    map_width: float,
    map_height: float,
) -> list[Flowable]:
    """Key facts in a sidebar left of the map; both titles are outline entries."""
    s = inputs.styles
    n = b.source_numbers()
    m = b.map
    assert m is not None
    sub = ParagraphStyle("panel-title", parent=s.h2, spaceBefore=0, spaceAfter=6)
    left: list[Flowable] = [Paragraph("Key facts", sub), *column]
    right: list[Flowable] = [
        para(m.title or "Map", sub, n),
        _map_box(m, inputs, map_width, map_height),
    ]
    caption = _map_caption(m, inputs, n)
    if caption is not None:
        right.append(caption)
    table = Table(
        [[left, right]],
        colWidths=[side + GAP, map_width],
        style=base_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), GAP),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        hAlign="LEFT",
    )
    return [
        Anchor(key="key-facts", level=0, plain="Key facts"),
        Anchor(key="map", level=0, plain=plain(m.title or "Map")),
        table,
    ]
