"""Where the embedded fonts live, known without importing ReportLab or matplotlib.

Why: build fingerprints include the font files (a font update changes the PDF),
and a build with nothing to do must stay cheap: this module imports nothing heavy.
DejaVu ships inside matplotlib, a required dependency, so its folder is found
from the package spec instead of importing it (that import costs half a second).
"""

from __future__ import annotations

import hashlib
import importlib.util
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
