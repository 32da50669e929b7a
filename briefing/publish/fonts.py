"""The project's fallback fonts (``fonts/``): found, checked once per run, reported.

Why: a font file the renderer cannot use (CFF outlines, a truncated download, not a
font at all) must be one clear located line, never a traceback inside a worker. So
``build`` and ``check`` look at the folder first: the usable fonts go to every render
(and into the fingerprint, through ``RenderOptions.fonts``), and each unusable one is
an error of the run (``fonts/x.otf: …``): every source still builds, without that
font, and the run exits 1 until the file is fixed or removed.
"""

from __future__ import annotations

from pathlib import Path

from briefing.errors import SourceError, Span
from briefing.render.fontfiles import ProjectFont, project_fonts


def checked_fonts(root: Path) -> tuple[tuple[ProjectFont, ...], list[SourceError]]:
    """The usable fonts of ``root/fonts`` in file-name order, and a located error for each
    that is not. Without font files nothing is imported (a no-op build stays cheap)."""
    fonts = project_fonts(root)
    if not fonts:
        return (), []
    from briefing.render.pdf.fonts import check_fonts

    usable, problems = check_fonts(fonts)
    errors = [SourceError(Span.whole(f.shown), "", why, "error", "font") for f, why in problems]
    return usable, errors
