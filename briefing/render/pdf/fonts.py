"""Embedded TrueType fonts: where they come from, registered once, and what they can draw.

One family, DejaVu Sans, for everything: it is the one bundled face that covers
Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic (DejaVu Serif has
no Hebrew or Arabic), so no per-character fallback is needed.

Why: the base-14 PDF fonts cannot draw Armenian, Azerbaijani ə or Cyrillic, so
every glyph in a briefing comes from an embedded TTF. DejaVu ships inside
matplotlib (a required dependency), so it is found without importing
matplotlib (that import costs half a second). ``pdfmetrics.registerFont`` is
process-global, so registration is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefing.render.fontfiles import (
    BOLD_FACE,
    BOLD_ITALIC_FACE,
    ITALIC_FACE,
    REGULAR_FACE,
    font_paths,
)

SANS = REGULAR_FACE

#: Family → (regular, bold, italic, bold italic) registered names.
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    SANS: (REGULAR_FACE, BOLD_FACE, ITALIC_FACE, BOLD_ITALIC_FACE),
}


@dataclass(frozen=True, slots=True)
class MissingGlyph:
    """A character no embedded font can draw."""

    char: str
    font: str

    def describe(self) -> str:
        return f"U+{ord(self.char):04X} {self.char!r} has no glyph in {self.font}"


@cache
def register_fonts() -> None:
    """Register every font and family mapping with ReportLab, once per process."""
    for name, path in font_paths().items():
        if name not in pdfmetrics.getRegisteredFontNames():
            # asciiReadable=False: glyph indices, not ASCII, so any Unicode subset embeds.
            pdfmetrics.registerFont(TTFont(name, str(path)))
    for family, (regular, bold, italic, bold_italic) in FAMILIES.items():
        addMapping(family, 0, 0, regular)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, italic)
        addMapping(family, 1, 1, bold_italic)
        pdfmetrics.registerFontFamily(
            family, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic
        )


@cache
def _charset(name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(name)
    return frozenset(font.face.charToGlyph)


#: Characters that are layout controls, never drawn: no glyph is needed for them.
_INVISIBLE = frozenset(
    {0x09, 0x0A, 0x0D, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0xFEFF, 0xAD, 0x061C}
    | set(range(0x2066, 0x206A))  # the bidi isolates: textpath drops them after ordering
)


def missing_glyphs(text: str, font: str = SANS) -> list[MissingGlyph]:
    """Characters of ``text`` that ``font`` (and its bold/italic faces) cannot draw, once each."""
    charset = _charset(font)
    seen: dict[str, None] = {}
    for char in text:
        code = ord(char)
        if code not in charset and code not in _INVISIBLE and char not in seen:
            seen[char] = None
    return [MissingGlyph(char, "DejaVu Sans") for char in seen]
