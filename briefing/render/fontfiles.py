"""Where the embedded fonts live, known without importing ReportLab or matplotlib.

Why: build fingerprints include the font files (a font update changes the PDF),
and a build with nothing to do must stay cheap: this module imports nothing heavy.
DejaVu ships inside matplotlib, a required dependency, so its folder is found
from the package spec instead of importing it (that import costs half a second).
"""

from __future__ import annotations

import hashlib
import importlib.util
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: The one place the embedded faces are named: the PDF registers them under these names,
#: the chart stage measures with the same files, the fingerprint hashes them.
REGULAR_FACE = "DejaVuSans"
BOLD_FACE = "DejaVuSans-Bold"
ITALIC_FACE = "DejaVuSans-Oblique"
BOLD_ITALIC_FACE = "DejaVuSans-BoldOblique"

#: Registered name → file name inside matplotlib's ``mpl-data/fonts/ttf``.
FONT_FILES: dict[str, str] = {
    face: f"{face}.ttf" for face in (REGULAR_FACE, BOLD_FACE, ITALIC_FACE, BOLD_ITALIC_FACE)
}

#: The chart stage's style names (``charts.ops.Face``) → registered name.
STYLE_FACES: dict[str, str] = {
    "regular": REGULAR_FACE,
    "bold": BOLD_FACE,
    "italic": ITALIC_FACE,
    "bolditalic": BOLD_ITALIC_FACE,
}


def font_dir() -> Path:
    """matplotlib's bundled TTF folder."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed; it ships the DejaVu fonts briefing embeds")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def font_paths() -> dict[str, Path]:
    """Registered name → TTF path."""
    base = font_dir()
    return {name: base / file for name, file in FONT_FILES.items()}


@cache
def fonts_hash() -> str:
    """One hash over every embedded font file's bytes, once per process."""
    h = hashlib.sha256()
    for name, path in sorted(font_paths().items()):
        h.update(name.encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


# ---- project fallback fonts ------------------------------------------------------------

#: The project folder (beside ``sources/`` and ``assets/``) whose fonts are fallbacks.
FONTS_FOLDER = "fonts"
#: What counts as a font file there; ``.otf``/``.otc`` are looked at only to be refused
#: with a clear line when their outlines are CFF.
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


@dataclass(frozen=True, slots=True)
class ProjectFont:
    """One font file of the project's ``fonts/`` folder: where, as shown, and its hash."""

    path: Path
    shown: str
    sha256: str


def project_fonts(root: Path) -> tuple[ProjectFont, ...]:
    """The font files of ``root/fonts`` in file-name order (never system fonts).

    Unreadable files are listed with an empty hash: the check that registers them
    (``render.pdf.fonts.check_fonts``) reports them, one located line each.
    """
    folder = root / FONTS_FOLDER
    try:
        candidates = sorted(
            (p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file()),
            key=lambda p: p.name,
        )
    except OSError:
        return ()
    out: list[ProjectFont] = []
    for path in candidates:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        out.append(ProjectFont(path, f"{FONTS_FOLDER}/{path.name}", digest))
    return tuple(out)


def outline_problem(data: bytes) -> str | None:
    """Why ``data`` is not a TrueType font ReportLab can embed, or None if it may be.

    Read from the sfnt header and table directory only (no font library): a CFF
    (PostScript-outline) OpenType font, a collection whose first font is one, or not
    a font at all. A file that passes may still be corrupt further in (the
    registration finds that).
    """
    tag = data[:4]
    offset = 0
    if tag == b"ttcf":
        if len(data) < 16:
            return "is not a font file (a truncated collection header)"
        offset = int.from_bytes(data[12:16], "big")
        tag = data[offset : offset + 4]
    if tag == b"OTTO":
        return CFF_MESSAGE
    if tag not in (b"\x00\x01\x00\x00", b"true"):
        return "is not a TrueType font file (.ttf or .ttc)"
    count = int.from_bytes(data[offset + 4 : offset + 6], "big")
    tables = {data[offset + 12 + 16 * i : offset + 16 + 16 * i] for i in range(count)}
    if b"CFF " in tables or b"CFF2" in tables:
        return CFF_MESSAGE
    if b"glyf" not in tables:
        return "has no TrueType outlines (no glyf table); use a .ttf font"
    return None


CFF_MESSAGE = (
    "has CFF (PostScript) outlines, which cannot be embedded: briefing embeds TrueType "
    "(glyf) fonts only; use the family's .ttf version or convert the font to TrueType "
    "outlines (docs/fonts.md); the font is not used"
)


def fallback_key(fonts: tuple[ProjectFont, ...]) -> str:
    """One short string naming a set of fallback fonts (their order and bytes)."""
    if not fonts:
        return ""
    h = hashlib.sha256()
    for font in fonts:
        h.update(f"{font.shown}\0{font.sha256}\n".encode())
    return h.hexdigest()


_active: tuple[ProjectFont, ...] = ()


def set_active(fonts: tuple[ProjectFont, ...]) -> None:
    """The fallback fonts of the render under way (a render is one per process at a time)."""
    global _active
    _active = fonts


def active() -> tuple[ProjectFont, ...]:
    """The fallback fonts of the render under way: the chart stage measures with them."""
    return _active


def bold_partner(font: ProjectFont, fonts: tuple[ProjectFont, ...]) -> ProjectFont | None:
    """``X-Bold.ttf`` beside ``X-Regular.ttf`` (or ``X.ttf``) is the bold face of ``X``."""
    stem = Path(font.shown).stem
    family = stem[: -len("-Regular")] if stem.lower().endswith("-regular") else stem
    for other in fonts:
        if Path(other.shown).stem.lower() == f"{family}-bold".lower():
            return other
    return None


def is_bold_partner(font: ProjectFont, fonts: tuple[ProjectFont, ...]) -> bool:
    """True for ``X-Bold`` when a regular ``X`` is there too (then it is not a fallback of
    its own: it draws the bold runs of ``X``)."""
    stem = Path(font.shown).stem
    if not stem.lower().endswith("-bold"):
        return False
    family = stem[: -len("-bold")].lower()
    return any(
        Path(o.shown).stem.lower() in (family, f"{family}-regular") for o in fonts if o != font
    )


def joins_previous(char: str) -> bool:
    """A combining mark, joiner or variation selector: drawn in its base character's font,
    by the PDF's font runs and by the chart's measuring alike (one rule, or a label's
    width would disagree with what is drawn)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or code in (0x200C, 0x200D)
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )
