"""The look of a briefing: page geometry, colours and paragraph styles, built per document.

Why: one place decides typography so every flowable agrees, and styles are
values made for each document (never a module-level stylesheet edited in place).
Colours are chosen to survive grayscale printing: each carries meaning by
lightness as well as hue, and text is always near-black or white on dark.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from briefing.render.pdf.fonts import FAMILIES, SANS

REGULAR, BOLD, ITALIC, BOLD_ITALIC = FAMILIES[SANS]

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#4d4d4d")
RULE = colors.HexColor("#9aa5b1")
ACCENT = colors.HexColor("#1f3a5f")  # deep navy: headings, rules, banners
ACCENT_LIGHT = colors.HexColor("#e8eef5")  # box fills: light enough for grayscale toner
PANEL = colors.HexColor("#f4f6f8")
LINK = colors.HexColor("#1f4e99")
ZEBRA = colors.HexColor("#f6f7f9")

#: FIRST TLP 2.0 colours: the label's text colour, printed on black.
TLP_COLOURS = {
    "TLP:RED": colors.HexColor("#FF2B2B"),
    "TLP:AMBER": colors.HexColor("#FFC000"),
    "TLP:AMBER+STRICT": colors.HexColor("#FFC000"),
    "TLP:GREEN": colors.HexColor("#33FF00"),
    "TLP:CLEAR": colors.HexColor("#FFFFFF"),
}

PAGE_SIZES = {"A4": A4, "letter": LETTER}


@dataclass(frozen=True, slots=True)
class Geometry:
    """Page size and the boxes around the text frame (points)."""

    width: float
    height: float
    margin_x: float = 20 * mm
    margin_top: float = 26 * mm  # banner + running header
    margin_bottom: float = 24 * mm  # footer + banner
    banner_height: float = 5.2 * mm

    @property
    def frame_width(self) -> float:
        return self.width - 2 * self.margin_x

    @property
    def frame_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom

    @property
    def first_frame_height(self) -> float:
        """Page 1 has no running header: its frame starts 9 mm higher."""
        return self.frame_height + 9 * mm


def geometry(page_size: str) -> Geometry:
    width, height = PAGE_SIZES[page_size]
    return Geometry(width, height)


@dataclass(frozen=True, slots=True)
class Styles:
    """Every paragraph style a briefing uses; built fresh per document by ``make_styles``."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    org: ParagraphStyle
    meta: ParagraphStyle
    box_label: ParagraphStyle
    bluf: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    fact_value: ParagraphStyle
    fact_label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    caption: ParagraphStyle
    source: ParagraphStyle
    placeholder: ParagraphStyle


def make_styles() -> Styles:
    def style(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": REGULAR,
            "fontSize": 9.5,
            "leading": 13.2,
            "textColor": INK,
            "alignment": TA_LEFT,
            "splitLongWords": 1,
            "uriWasteReduce": 0.3,
            "embeddedHyphenation": 1,  # a long word may break after a hyphen it has
            "allowWidows": 0,
            "allowOrphans": 0,
        }
        base.update(kw)
        return ParagraphStyle(name, **base)  # type: ignore[arg-type]

    return Styles(
        title=style("title", fontName=BOLD, fontSize=20, leading=24, textColor=ACCENT),
        subtitle=style("subtitle", fontSize=12, leading=15.5, textColor=MUTED, spaceBefore=3),
        org=style("org", fontName=BOLD, fontSize=8.5, leading=11, textColor=ACCENT),
        meta=style("meta", fontSize=8.5, leading=11.5, textColor=MUTED),
        box_label=style("box_label", fontName=BOLD, fontSize=8.5, leading=11, textColor=ACCENT),
        bluf=style("bluf", fontSize=10, leading=14, leftIndent=11, bulletIndent=0),
        h1=style(
            "h1",
            fontName=BOLD,
            fontSize=13,
            leading=16,
            textColor=ACCENT,
            spaceBefore=14,
            spaceAfter=5,
            keepWithNext=1,
        ),
        h2=style(
            "h2",
            fontName=BOLD,
            fontSize=10.5,
            leading=13.5,
            textColor=INK,
            spaceBefore=9,
            spaceAfter=3,
            keepWithNext=1,
        ),
        body=style("body", spaceAfter=6),
        bullet=style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=3),
        fact_value=style("fact_value", fontName=BOLD, fontSize=13, leading=15.5, textColor=ACCENT),
        fact_label=style("fact_label", fontSize=8, leading=10.2, textColor=MUTED),
        cell=style("cell", fontSize=7.6, leading=9.8),
        cell_bold=style("cell_bold", fontName=BOLD, fontSize=7.6, leading=9.8),
        cell_head=style(
            "cell_head", fontName=BOLD, fontSize=7.5, leading=9.5, textColor=colors.white
        ),
        caption=style("caption", fontSize=8, leading=10.5, textColor=MUTED, spaceBefore=3),
        source=style("source", fontSize=8.5, leading=11.5, leftIndent=18, firstLineIndent=-18),
        placeholder=style(
            "placeholder", fontSize=8.5, leading=11.5, textColor=MUTED, alignment=TA_CENTER
        ),
    )
