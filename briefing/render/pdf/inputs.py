"""What the story needs besides the briefing, gathered by ``render_pdf``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable

from briefing.render.edition import EditionStamp
from briefing.render.pdf.styles import Geometry, Styles


@dataclass(frozen=True, slots=True)
class StoryInputs:
    """Styles, page geometry, drawn charts, and image bytes by path (read once, upstream)."""

    styles: Styles
    geometry: Geometry
    charts: Sequence[Flowable]
    images: dict[str, bytes]
    edition: EditionStamp | None = None
