"""One briefing → PDF bytes: glyph preflight, timeline chart, images, then the PDF stage.

Why: this joins the stages that turn a checked ``Briefing`` into bytes, and owns
the checks that need the fonts (a character no embedded font can draw is a
located warning before layout, never a silent box). matplotlib is imported only
here and only when the briefing has a timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.errors import SourceError, SourceInvalid
from briefing.model import Briefing, PageSize

#: Bump whenever the same source would render to different bytes (layout, styles, fonts).
RENDER_VERSION = 5


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Settings of one render; ``page_size`` None means the source's own (or A4)."""

    page_size: PageSize | None = None

    def fingerprint(self) -> dict[str, object]:
        return {"page_size": self.page_size}


@dataclass(frozen=True, slots=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: tuple[SourceError, ...]


def glyph_warnings(b: Briefing) -> list[SourceError]:
    """A located warning for each character no embedded font can draw, per field.

    The fields come from the schema walk (``source.walk``), so no text key is missed."""
    from briefing.render.pdf.fonts import missing_glyphs
    from briefing.source.walk import texts

    warnings: list[SourceError] = []
    for item in texts(b):
        for missing in missing_glyphs(str(item.value)):
            warnings.append(SourceError(item.span, item.path, missing.describe(), "warning"))
    return warnings


def read_images(b: Briefing) -> dict[str, bytes]:
    """Every image's bytes, decoded once to prove they are whole.

    Why: the loader checks an image's first bytes; a truncated or corrupt file
    (or a decompression bomb) only shows when decoded, and must then be a located
    error at its ``image:`` key, not a failure deep inside layout.
    """
    from io import BytesIO

    from PIL import Image

    where: dict[Path, str] = {}
    if b.map is not None and b.map.image is not None:
        where[b.map.image] = "map.image"
    for i, fig in enumerate(b.figures):
        where.setdefault(fig.image, f"figures[{i}].image")
    images: dict[str, bytes] = {}
    errors: list[SourceError] = []
    for path, key in where.items():
        try:
            data = path.read_bytes()
            with Image.open(BytesIO(data)) as image:
                image.load()
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            message = f"the image cannot be read: {exc}"
            errors.append(SourceError(b.span_of(key), key, message))
            continue
        images[str(path)] = data
    if errors:
        raise SourceInvalid(errors)
    return images


def warm_up() -> None:
    """Import and initialise everything a render needs (fonts, ReportLab, matplotlib).

    Why: a parallel build forks its workers from the main process; warming up once
    before the fork means every worker starts with the ~0.6 s of imports done.
    """
    import matplotlib.backend_bases
    import matplotlib.figure  # noqa: F401

    import briefing.render.charts
    import briefing.source.load  # noqa: F401
    from briefing.render.pdf import render_pdf  # noqa: F401
    from briefing.render.pdf.fonts import register_fonts

    register_fonts()


def render(b: Briefing, options: RenderOptions) -> Rendered:
    """Render ``b`` to PDF bytes. Images are read here, once, and handed over as bytes."""
    from briefing.render.pdf import render_pdf
    from briefing.render.pdf.styles import geometry

    page_size: PageSize = options.page_size or b.page_size or "A4"
    warnings = glyph_warnings(b)
    charts: tuple[object, ...] = ()
    if b.timeline is not None and b.timeline.events:
        from briefing.render.charts import timeline_chart

        geo = geometry(page_size)
        charts = tuple(
            timeline_chart(
                b.timeline, width_pt=geo.frame_width, max_height_pt=geo.frame_height * 0.62
            )
        )
    images = read_images(b)
    pdf = render_pdf(b, page_size=page_size, charts=charts, images=images)
    return Rendered(pdf.data, pdf.pages, tuple(warnings))
