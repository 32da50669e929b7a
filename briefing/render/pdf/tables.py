"""Ruled data tables that never fail: widths from content, header on every page, tall rows split.

Why: tables are where ReportLab layouts usually break (LayoutError on a tall
cell, words chopped mid-syllable in a narrow column). Column widths start from
the widest word each column must hold, so names are not cut, and the rest of
the width goes by weight; rows split inside only when they are tall, so short
rows move whole to the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from briefing.render.pdf.fontruns import plain_width
from briefing.render.pdf.markup import heading, plain_markup
from briefing.render.pdf.styles import ACCENT, BOLD, REGULAR, RULE, ZEBRA, Styles

PADDING = 3.5
#: A row at least this share of the frame height may split across pages; shorter rows
#: always move whole to the next page (a fragment of a short row reads badly).
TALL_ROW = 1 / 3


@dataclass(frozen=True, slots=True)
class Column:
    """A column: header, relative weight, and the words its cells must hold unbroken."""

    header: str
    weight: float
    words: Sequence[str] = ()
    bold: bool = False
    max_min: float = 110  # the widest a column's minimum may grow to keep others readable


def base_style(extra: list[tuple] | None = None) -> TableStyle:
    """Padding and alignment; FONTNAME on every cell so Helvetica never sneaks in."""
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    return TableStyle(cmds + (extra or []))


def column_widths(columns: Sequence[Column], total: float, size: float = 7.6) -> list[float]:
    """Widths summing to ``total``: each at least its widest word (capped), the rest by weight."""
    mins = []
    for col in columns:
        font = BOLD if col.bold else REGULAR
        words = [w for text in col.words for w in text.split()]
        widest = max((plain_width(w, font, size) for w in words), default=0.0)
        header = max((stringWidth(w, BOLD, 7.5) for w in col.header.split()), default=0.0)
        mins.append(min(max(widest, header), col.max_min) + 2 * PADDING + 1)
    if sum(mins) >= total:
        scale = total / sum(mins)
        return [m * scale for m in mins]
    weights = [c.weight for c in columns]
    widths = [total * w / sum(weights) for w in weights]
    fixed: set[int] = set()
    # pin columns below their minimum at it; share what is left among the rest by weight
    while short := {i for i, w in enumerate(widths) if i not in fixed and w < mins[i]}:
        fixed |= short
        free = [i for i in range(len(columns)) if i not in fixed]
        remaining = total - sum(mins[i] for i in fixed)
        free_weight = sum(weights[i] for i in free)
        widths = [
            mins[i] if i in fixed else remaining * weights[i] / free_weight
            for i in range(len(columns))
        ]
    return widths


def split_in_row(rows: list[list], widths: Sequence[float], frame_height: float) -> int:
    """ReportLab's ``splitInRow`` for these rows: 1 when some row is tall, else 0.

    Why: with in-row splitting on, ReportLab also cuts short rows at a page foot into
    slivers; with a minimum split height instead, a row just taller than a page can
    never split and the build fails. A row shorter than a third of the frame always
    fits on a fresh page, so only tables holding a taller one split inside rows.
    """
    limit = frame_height * TALL_ROW
    for row in rows:
        for cell, width in zip(row, widths, strict=False):
            flowables = cell if isinstance(cell, list | tuple) else [cell]
            inner = width - 2 * PADDING
            height = sum(f.wrap(inner, frame_height)[1] for f in flowables)
            if height > limit:
                return 1
    return 0


def data_table(
    columns: Sequence[Column],
    rows: list[list[Flowable]],
    total: float,
    s: Styles,
    frame_height: float,
) -> Table:
    """A ruled table whose header repeats on every page and whose tall rows split."""
    head = [Paragraph(plain_markup(c.header), s.cell_head) for c in columns]
    style = base_style(
        [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ]
    )
    widths = column_widths(columns, total)
    return Table(
        [head, *rows],
        colWidths=widths,
        style=style,
        repeatRows=1,
        splitByRow=1,
        splitInRow=split_in_row(rows, widths, frame_height),
        hAlign="LEFT",
    )


#: Room a table heading needs below it: itself, the header row and about two rows.
TABLE_START = 110


def table_heading(
    text: str, style: ParagraphStyle, key: str, level: int, n: dict[str, int]
) -> list[Flowable]:
    """A heading that starts a table: a new page only when fewer than a few rows fit.

    Why: ``keepWithNext`` would bind the heading to the *whole* table, and ReportLab
    moves a table that fits on one page to the next page whole, leaving a half-empty
    page behind. The table splits by rows and repeats its header instead.
    """
    loose = ParagraphStyle(f"{style.name}-table", parent=style, keepWithNext=0)
    return [CondPageBreak(TABLE_START), heading(text, loose, key=key, level=level, numbers=n)]
