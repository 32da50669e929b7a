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

#: Registered name → file name inside matplotlib's ``mpl-data/fonts/ttf``.
FONT_FILES: dict[str, str] = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
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
