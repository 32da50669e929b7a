"""Embedded TrueType fonts: where they come from, registered once, and what they can draw.

One family, DejaVu Sans, for everything it covers: it is the one bundled face that
covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic (DejaVu Serif
has no Hebrew or Arabic). Scripts it lacks (Chinese, Korean, Devanagari, Ethiopic…)
come from the project's ``fonts/`` folder: each TrueType font there is a fallback,
in file-name order, for the characters DejaVu lacks (``use_fallbacks``; the text path
splits strings into runs by font, ``textpath.font_runs``).

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

from briefing.render import fontfiles
from briefing.render.fontfiles import (
    BOLD_FACE,
    BOLD_ITALIC_FACE,
    ITALIC_FACE,
    REGULAR_FACE,
    ProjectFont,
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
        return (
            f"U+{ord(self.char):04X} {self.char!r} has no glyph in {self.font} or in fonts/, "
            "so it would print as a box: add a font that has it to fonts/ (docs/fonts.md)"
        )


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


def charset(name: str) -> frozenset[int]:
    """The code points registered font ``name`` has a glyph for."""
    return _charset(name)


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


def missing_glyphs(text: str, font: str = SANS, *, fallbacks: bool = True) -> list[MissingGlyph]:
    """Characters of ``text`` that ``font`` cannot draw, once each; with ``fallbacks``,
    only those no project fallback font draws either (what prints as a box)."""
    charset = _charset(font)
    seen: dict[str, None] = {}
    for char in text:
        code = ord(char)
        if code in charset or code in _INVISIBLE or char in seen:
            continue
        if not (fallbacks and fallback_for(code, font) is not None):
            seen[char] = None
    return [MissingGlyph(char, "DejaVu Sans") for char in seen]


# ---- project fallback fonts ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fallback:
    """A registered project font: its regular and bold names, and what it can draw."""

    regular: str
    bold: str
    chars: frozenset[int]
    bold_chars: frozenset[int]


#: The fallbacks of the render under way, in order (``use_fallbacks``).
_fallbacks: tuple[Fallback, ...] = ()
_BOLD_FACES = frozenset({BOLD_FACE, BOLD_ITALIC_FACE})


def _registered_name(font: ProjectFont) -> str:
    # by content: a changed file is a new font, never the old registration (watch)
    return f"Fallback-{font.sha256[:16]}"


@cache
def _register(font: ProjectFont) -> str | None:
    """Register one project font with ReportLab; the problem as text if it cannot be."""
    try:
        data = font.path.read_bytes()
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    problem = fontfiles.outline_problem(data)
    if problem is not None:
        return problem
    name = _registered_name(font)
    try:
        # a collection (.ttc) contributes its first font
        ttf = TTFont(name, str(font.path), subfontIndex=0)
        ttf.face.charToGlyph  # noqa: B018 - parsed now, so a corrupt font fails here
        pdfmetrics.registerFont(ttf)
    except Exception as exc:  # any parse failure is one located line
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"is not a usable TrueType font ({why[:160]}); the font is not used"
    return None


def check_fonts(
    fonts: tuple[ProjectFont, ...],
) -> tuple[tuple[ProjectFont, ...], list[tuple[ProjectFont, str]]]:
    """The fonts that register, and each that does not with why."""
    register_fonts()
    usable: list[ProjectFont] = []
    problems: list[tuple[ProjectFont, str]] = []
    for font in fonts:
        problem = _register(font)
        if problem is None:
            usable.append(font)
        else:
            problems.append((font, problem))
    return tuple(usable), problems


def use_fallbacks(fonts: tuple[ProjectFont, ...]) -> list[tuple[ProjectFont, str]]:
    """Make ``fonts`` the fallbacks of the renders that follow (in this process).

    Returns the fonts that could not be used, with why. A ``-Bold`` file beside its
    regular file draws that family's bold runs instead of being a fallback of its own.
    """
    global _fallbacks
    usable, problems = check_fonts(fonts)
    if fontfiles.active() == usable and (_fallbacks or not usable):
        return problems
    chosen: list[Fallback] = []
    for font in usable:
        if fontfiles.is_bold_partner(font, usable):
            continue
        regular = _registered_name(font)
        partner = fontfiles.bold_partner(font, usable)
        bold = _registered_name(partner) if partner is not None else regular
        chosen.append(Fallback(regular, bold, _charset(regular), _charset(bold)))
    _fallbacks = tuple(chosen)
    fontfiles.set_active(usable)
    from briefing.render.pdf import textpath

    textpath.fallbacks_changed()
    return problems


def fallback_for(code: int, font: str) -> str | None:
    """The registered fallback font that draws character ``code`` for DejaVu face ``font``
    (its bold file for bold faces when it has one and it has the glyph), or None."""
    for fb in _fallbacks:
        if code in fb.chars:
            if font in _BOLD_FACES and fb.bold != fb.regular and code in fb.bold_chars:
                return fb.bold
            return fb.regular
    return None


def has_fallbacks() -> bool:
    return bool(_fallbacks)
