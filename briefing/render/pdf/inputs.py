"""What the story needs besides the briefing, gathered by ``render_pdf``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    #: ``(panel, width, height, image_size)`` → the drawn map (``MapDrawing``) or None
    #: (placeholder); handed in by ``render`` with its cache, called once the layout
    #: knows the panel's size.
    maps: Callable[..., object | None] | None = None
