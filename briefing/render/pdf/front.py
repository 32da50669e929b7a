"""Page 1: title block, the boxed bottom line up front, key facts and the map panel.

Why: page 1 is what a policymaker reads when they read nothing else, so it holds
all four for any source within the bounds (7 bullets of 250 words, 8 key facts,
15 places). The composition adapts instead of moving blocks to page 2: each
``LEVELS`` step tightens type and spacing, and at each the facts go in a sidebar
left of the map (the layout of OCHA situation reports) or else in a grid above
it, with the map as tall as the room left allows down to a floor. The places are
listed in a compact key under the map, not in the caption. A ``PageProbe`` after
the block tells the renderer whether page 1 held it, so it can warn when not.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table

from briefing.model import Briefing, Fact, MapPanel, long_date
from briefing.render.pdf.changes import changes_box
from briefing.render.pdf.flowables import Anchor, MapBox, PlaceMark, map_drawing
from briefing.render.pdf.inputs import StoryInputs
from briefing.render.pdf.markup import (
    cite,
    heading,
    inline,
    isolated,
    para,
    paragraph,
    plain_markup,
)
from briefing.render.pdf.styles import ACCENT, ACCENT_LIGHT, BOLD, RULE
from briefing.render.pdf.tables import base_style, split_in_row
from briefing.source.markdown import bare

SIDEBAR_SHARE = 0.33
GAP = 14
MAP_ASPECT = 0.74  # map height / width beside the sidebar
FULL_MAP_ASPECT = 0.42  # map height / width across the frame
#: A region name longer than this is also printed in the caption (the placeholder clips it).
REGION_IN_CAPTION = 120


def front_page(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    """Title block, bottom line, key facts and map, composed to fit page 1 together."""
    width = inputs.geometry.frame_width
    boxes = changes_box(inputs)  # from edition 2 on, at least its heading stays on page 1
    reserve = SLACK + sum(box.least_height(width) for box in boxes)  # type: ignore[attr-defined]
    for level in range(len(LEVELS)):
        looks = _looks(inputs, level)
        head = [*_title_block(b, inputs, looks), *_bluf(b, inputs, looks)]
        room = inputs.geometry.first_frame_height - stack_height(head, width)
        rest = _facts_and_map(b, inputs, looks, room - reserve)
        if rest is not None:
            return [*head, *rest, PageProbe("front")]
    looks = _looks(inputs, len(LEVELS) - 1)
    head = [*_title_block(b, inputs, looks), *_bluf(b, inputs, looks)]
    return [*head, *_facts_and_map(b, inputs, looks, None), PageProbe("front")]  # type: ignore[misc]


class PageProbe(Flowable):
    """Invisible; the document records the page it lands on (``probe`` key → page).

    Why: whether page 1 held everything is known only after layout; the probe after the
    map tells the renderer, which then warns what moved to page 2.
    """

    def __init__(self, probe: str) -> None:
        super().__init__()
        self.probe = probe

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def stack_height(flowables: list[Flowable], width: float) -> float:
    """Height of flowables stacked in a frame ``width`` wide, spaces included (a bound)."""
    total = 0.0
    for f in flowables:
        total += f.wrap(width, 100_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    return total


@dataclass(frozen=True, slots=True)
class Looks:
    """Type sizes of one page-1 composition level (0: roomy … 2: compact)."""

    title: ParagraphStyle
    bluf: ParagraphStyle
    fact_value: ParagraphStyle
    fact_label: ParagraphStyle
    gap: float  # space under the title block and the bottom line
    min_map: float  # the least map height worth printing


#: (title size, bottom-line size, fact value size, gap, least map height) per level.
LEVELS = ((20.0, 10.0, 13.0, 14.0, 150.0), (18.0, 9.5, 12.0, 10.0, 120.0),
          (16.0, 9.0, 11.0, 7.0, 100.0), (15.0, 8.5, 10.5, 6.0, 90.0),
          (14.0, 8.2, 10.0, 5.0, 80.0))  # fmt: skip
#: Room left unused at the foot of page 1, for rounding in ReportLab's own layout.
SLACK = 6.0


def _looks(inputs: StoryInputs, level: int) -> Looks:
    s = inputs.styles
    title, bluf, value, gap, min_map = LEVELS[level]
    return Looks(
        title=ParagraphStyle(f"title-{level}", parent=s.title, fontSize=title, leading=title * 1.2),
        bluf=ParagraphStyle(f"bluf-{level}", parent=s.bluf, fontSize=bluf, leading=bluf * 1.38),
        fact_value=ParagraphStyle(
            f"fact-{level}", parent=s.fact_value, fontSize=value, leading=value * 1.18
        ),
        fact_label=s.fact_label,
        gap=gap,
        min_map=min_map,
    )


def _title_block(b: Briefing, inputs: StoryInputs, looks: Looks) -> list[Flowable]:
    s = inputs.styles
    n = b.source_numbers()
    out: list[Flowable] = []
    if b.organization:
        out += [para(b.organization, s.org, n), Spacer(1, 3)]
    out.append(para(b.title, looks.title, n))
    if b.subtitle:
        out.append(para(b.subtitle, s.subtitle, n))
    meta = [f"<b>As of</b> {plain_markup(long_date(b.as_of))}"]
    if inputs.edition is not None:
        meta.insert(0, f"<b>{plain_markup(inputs.edition.title_text())}</b>")
    if b.authors:
        meta.append("<b>By</b> " + ", ".join(isolated(a, n) for a in b.authors))
    if b.review_by:
        meta.append(f"<b>Review by</b> {plain_markup(long_date(b.review_by))}")
    out += [
        Spacer(1, 6),
        paragraph("  ·  ".join(meta), s.meta, raw=" ".join(b.authors)),
        Spacer(1, 6),
        HRFlowable(
            width="100%", thickness=2, color=ACCENT, spaceBefore=0, spaceAfter=looks.gap - 4
        ),
    ]
    return out


def _bluf(b: Briefing, inputs: StoryInputs, looks: Looks) -> list[Flowable]:
    """The summary as a tinted box with an accent bar; one row per bullet so it can split."""
    s = inputs.styles
    n = b.source_numbers()
    bullet = ParagraphStyle(
        "bluf-bullet",
        parent=looks.bluf,
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
    return [Anchor(key="summary", level=0, plain="Summary"), table, Spacer(1, looks.gap)]


# --- key facts and map -----------------------------------------------------------------------


def _fact_flowables(fact: Fact, looks: Looks, n: dict[str, int]) -> list[Flowable]:
    label = f"{isolated(fact.label, n)} {cite(fact.source, n)}".strip()
    return [
        para(fact.value, looks.fact_value, n),
        paragraph(label, looks.fact_label, raw=fact.label),
    ]


def _fact_grid(b: Briefing, looks: Looks, width: float, columns: int, page: float) -> Table:
    """Facts as cards in a full-width grid, an accent rule above each."""
    n = b.source_numbers()
    cells = [_fact_flowables(f, looks, n) for f in b.key_facts]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [[] for _ in range(columns - len(rows[-1]))]
    gap = 10
    card = (width - gap * (columns - 1)) / columns
    cmds: list[tuple] = [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), gap),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
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
        splitInRow=split_in_row(rows, widths, page),
        hAlign="LEFT",
    )


def _grid_columns(count: int, width: float) -> int:
    """Cards per row: all in one row up to four, else even rows (3 or 4 a row)."""
    most = 4 if width > 400 else 3
    if count <= most:
        return count
    return 3 if count in (5, 6, 9) else most


def _fact_column(b: Briefing, looks: Looks) -> list[Flowable]:
    """Facts stacked for the sidebar."""
    n = b.source_numbers()
    out: list[Flowable] = []
    for fact in b.key_facts:
        out.append(HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceAfter=3))
        out += _fact_flowables(fact, looks, n)
        out.append(Spacer(1, 5))
    return out


def _map_box(m: MapPanel, inputs: StoryInputs, width: float, height: float) -> MapBox:
    image = inputs.images.get(str(m.image)) if m.image is not None else None
    drawing = map_drawing(m, inputs, width, height, image)
    return MapBox(
        width,
        height,
        region=bare(m.region or m.title or "Map"),
        places=tuple(PlaceMark(bare(p.name), p.lat, p.lon) for p in m.places),
        image=image,
        drawing=drawing,
    )


def _coord(lat: float, lon: float) -> str:
    return f"{abs(lat):.2f}°{'N' if lat >= 0 else 'S'} {abs(lon):.2f}°{'E' if lon >= 0 else 'W'}"


def _map_caption(m: MapPanel, inputs: StoryInputs, n: dict[str, int]) -> Paragraph | None:
    """Caption and credit (the places are in the key under the map)."""
    parts: list[str] = []
    if m.region and (m.image is not None or m.draws_locator or len(m.region) > REGION_IN_CAPTION):
        parts.append(f"<b>Region:</b> {isolated(m.region, n)}.")
    if m.caption:
        parts.append(isolated(m.caption, n))
    if m.credit:
        parts.append(f"<i>— Credit: {inline(m.credit, n)}</i>")
    if not parts:
        return None
    raw = " ".join(filter(None, [m.region, m.caption, m.credit]))
    return paragraph(" ".join(parts), inputs.styles.caption, raw=raw)


def _places_key(m: MapPanel, inputs: StoryInputs, width: float, n: dict[str, int]) -> Table | None:
    """Every place with its coordinates, in compact columns under the map.

    Why not in the caption: fifteen places with coordinates make a paragraph taller
    than the map; in columns they take a few lines, and each name is still on page 1.
    """
    if not m.places:
        return None
    style = ParagraphStyle("place-key", parent=inputs.styles.caption, fontSize=7, leading=8.6,
                           spaceBefore=0)  # fmt: skip
    columns = max(1, min(len(m.places), int(width // 118)))
    cells = [
        paragraph(f"<b>{isolated(p.name, n)}</b> {_coord(p.lat, p.lon)}", style, raw=p.name)
        for p in m.places
    ]
    per_column = -(-len(cells) // columns)
    rows = [
        [
            cells[c * per_column + r] if c * per_column + r < len(cells) else Spacer(1, 0)
            for c in range(columns)
        ]
        for r in range(per_column)
    ]
    cmds = [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, 0), 3),
    ]
    widths = [width / columns] * columns
    page = inputs.geometry.frame_height
    return Table(
        rows,
        colWidths=widths,
        style=base_style(cmds),
        splitByRow=1,
        splitInRow=split_in_row(rows, widths, page),
        hAlign="LEFT",
    )


def _map_parts(
    m: MapPanel, inputs: StoryInputs, width: float, n: dict[str, int]
) -> tuple[Paragraph | None, Table | None, float]:
    """The caption and the places key at ``width``, and their height together."""
    caption = _map_caption(m, inputs, n)
    key = _places_key(m, inputs, width, n)
    parts = [f for f in (caption, key) if f is not None]
    return caption, key, stack_height(parts, width) + (3 if key is not None else 0)


def _facts_and_map(
    b: Briefing, inputs: StoryInputs, looks: Looks, room: float | None
) -> list[Flowable] | None:
    """The facts and the map in ``room`` points, or None when no composition fits.

    Tried in order: facts in a sidebar beside the map (the map as tall as it likes up
    to its aspect, at least ``looks.min_map``), then facts as a grid across the page
    with the map below. ``room`` None: the grid composition at its natural size.
    """
    m = b.map
    width = inputs.geometry.frame_width
    limit = room if room is not None else 100_000.0
    if m is not None and b.key_facts and room is not None:
        side = width * SIDEBAR_SHARE
        map_width = width - side - GAP
        column = _fact_column(b, looks)
        column_height = stack_height(column, side) + PANEL_TITLE
        _, _, below = _map_parts(m, inputs, map_width, b.source_numbers())
        height = min(map_width * MAP_ASPECT, limit - PANEL_TITLE - below)
        if height >= looks.min_map and column_height <= limit:
            return _side_by_side(b, inputs, looks, column, side, map_width, round(height, 1))
    out: list[Flowable] = []
    if b.key_facts:
        columns = _grid_columns(len(b.key_facts), width)
        grid = _fact_grid(b, looks, width, columns, inputs.geometry.frame_height)
        out += [heading("Key facts", _panel_title(inputs, 4), key="key-facts", level=0,
                        numbers={}), grid, Spacer(1, 4)]  # fmt: skip
    if m is None:
        return out if stack_height(out, width) <= limit else None
    caption, key, below = _map_parts(m, inputs, width, b.source_numbers())
    used = stack_height(out, width) + PANEL_TITLE + below
    height = min(width * FULL_MAP_ASPECT, limit - used)
    if room is not None and height < looks.min_map:
        return None
    height = max(height, looks.min_map)
    n = b.source_numbers()
    title = heading(m.title or "Map", _panel_title(inputs, 4), key="map", level=0, numbers=n)
    box = _map_box(m, inputs, width, round(height, 1))
    out.append(KeepTogether([title, box]))
    out += [f for f in (caption, key) if f is not None]
    return out


#: Height of a panel title ("Key facts", the map's title) with its space below.
PANEL_TITLE = 20.0


def _panel_title(inputs: StoryInputs, space_before: float) -> ParagraphStyle:
    s = inputs.styles
    return ParagraphStyle(
        "panel-title", parent=s.h2, spaceBefore=space_before, spaceAfter=5, keepWithNext=1
    )


def _side_by_side(
    b: Briefing,
    inputs: StoryInputs,
    looks: Looks,
    column: list[Flowable],
    side: float,
    map_width: float,
    map_height: float,
) -> list[Flowable]:
    """Key facts in a sidebar left of the map; both titles are outline entries."""
    n = b.source_numbers()
    m = b.map
    assert m is not None
    sub = _panel_title(inputs, 0)
    left: list[Flowable] = [Paragraph("Key facts", sub), *column]
    right: list[Flowable] = [
        para(m.title or "Map", sub, n),
        _map_box(m, inputs, map_width, map_height),
    ]
    caption, key, _ = _map_parts(m, inputs, map_width, n)
    right += [f for f in (caption, key) if f is not None]
    table = Table(
        [[left, right]],
        colWidths=[side + GAP, map_width],
        style=base_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), GAP),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        hAlign="LEFT",
    )
    return [
        Anchor(key="key-facts", level=0, plain="Key facts"),
        Anchor(key="map", level=0, plain=bare(m.title or "Map")),
        table,
    ]
