"""One briefing → PDF bytes: glyph preflight, timeline chart, images, then the PDF stage.

Why: this joins the stages that turn a checked ``Briefing`` into bytes, and owns
the checks that need the fonts (a character no embedded font can draw is a
located warning before layout, never a silent box). matplotlib is imported only
here and only when the briefing has a timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import SourceError, SourceInvalid
from briefing.model import Briefing, MapPanel, PageSize
from briefing.render.edition import EditionStamp
from briefing.render.fontfiles import ProjectFont

if TYPE_CHECKING:
    from briefing.render.cache import DrawingCache

#: Bump whenever the same source would render to different bytes (layout, styles, fonts).
RENDER_VERSION = 13


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Settings of one render; ``page_size`` None means the source's own (or A4)."""

    page_size: PageSize | None = None
    #: Where drawn charts and maps are kept between builds (``publish`` passes
    #: ``dist/.cache``); None keeps nothing. Not in the fingerprint: it never changes bytes.
    cache_dir: Path | None = None
    #: The project's fallback fonts (``fonts/``, in file-name order; ``publish`` finds
    #: them). Their bytes are in the fingerprint: a new or changed font rebuilds.
    fonts: tuple[ProjectFont, ...] = ()

    def fingerprint(self) -> dict[str, object]:
        if self.fonts:
            fonts = [[f.shown, f.sha256] for f in self.fonts]
            return {"page_size": self.page_size, "fonts": fonts}
        return {"page_size": self.page_size}


@dataclass(frozen=True, slots=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: tuple[SourceError, ...]


def glyph_warnings(b: Briefing) -> list[SourceError]:
    """The loader's warnings (``b.warnings``: unclosed ``**``, uncited sources), then a
    located warning for each character no embedded font can draw, per field. The fields
    come from the schema walk (``source.walk``), so no text key is missed."""
    from briefing.render.pdf.fonts import missing_glyphs
    from briefing.source.walk import texts

    warnings: list[SourceError] = list(b.warnings)
    for item in texts(b):
        for missing in missing_glyphs(str(item.value)):
            warnings.append(SourceError(item.span, item.path, missing.describe(), "warning"))
    return warnings


def font_warnings(fonts: tuple[ProjectFont, ...]) -> list[SourceError]:
    """Make ``fonts`` the fallbacks of this render; one located warning per font that
    cannot be used (``publish`` checks them before the build and leaves those out, so
    a build never sees these; a direct render does)."""
    from briefing.errors import Span
    from briefing.render.pdf.fonts import use_fallbacks

    problems = use_fallbacks(fonts)
    return [SourceError(Span.whole(f.shown), "", why, "warning", "font") for f, why in problems]


def layout_errors(b: Briefing) -> list[SourceError]:
    """Problems only the fonts can find: a marking too long for two banner lines.

    A handling marking is printed whole or not at all, so one that would need a third
    line is an error before layout (measured on A4, the narrowest page).
    """
    from briefing.render.pdf.document import marking_lines
    from briefing.render.pdf.fonts import register_fonts

    if not b.marking:
        return []
    register_fonts()
    lines = marking_lines(b.marking)
    if len(lines) <= 2:
        return []
    message = (
        f"is too long for the banner: it needs {len(lines)} lines and a marking is never cut; "
        "shorten it to two lines (about 180 characters)"
    )
    return [SourceError(b.span_of("marking"), "marking", message)]


def preflight_warnings(b: Briefing) -> list[SourceError]:
    """Every warning found before layout: the loader's (loose `**`, uncited sources),
    glyphs no font draws, timeline slips."""
    from briefing.source.timeline_checks import timeline_warnings

    return sorted(
        [*glyph_warnings(b), *timeline_warnings(b)], key=lambda w: (w.span.line, w.span.column)
    )


def read_images(b: Briefing, page_size: PageSize | None = None) -> dict[str, bytes]:
    """Every image's bytes, decoded once to prove they are whole, ready to embed.

    Why: the loader checks an image's first bytes; a truncated or corrupt file
    (or a decompression bomb) only shows when decoded, and must then be a located
    error at its ``image:`` key, not a failure deep inside layout. With
    ``page_size``, images finer than print needs are resampled (``images``).
    """
    from briefing.render.images import ImageProblem, prepare

    boxes: dict[str, tuple[float, float]] = {}
    if page_size is not None:
        from briefing.render.pdf.styles import geometry

        geo = geometry(page_size)
        # the largest boxes they can print in: the map beside the sidebar or across the
        # frame (at most 0.74 as high as wide), a figure within half the frame's height
        boxes = {
            "map": (geo.frame_width, geo.frame_width * 0.74),
            "figure": (geo.frame_width, geo.frame_height * 0.5),
        }
    where: dict[Path, tuple[str, str]] = {}
    if b.map is not None and b.map.image is not None:
        where[b.map.image] = ("map.image", "map")
    for i, fig in enumerate(b.figures):
        where.setdefault(fig.image, (f"figures[{i}].image", "figure"))
    images: dict[str, bytes] = {}
    errors: list[SourceError] = []
    for path, (key, kind) in where.items():
        try:
            data = path.read_bytes()
            images[str(path)] = prepare(data, boxes.get(kind))
        except OSError as exc:
            message = f"the image cannot be read: {exc.strerror or exc}"
            errors.append(SourceError(b.span_of(key), key, message))
        except ImageProblem as exc:
            errors.append(SourceError(b.span_of(key), key, str(exc)))
    if errors:
        raise SourceInvalid(errors)
    return images


def warm_up() -> None:
    """Import and initialise everything a render needs (fonts, ReportLab, matplotlib).

    Why: a parallel build forks its workers from the main process; warming up once
    before the fork means every worker starts with the imports done. matplotlib is
    not among them: a rebuild whose charts come from the drawing cache never needs it.
    """
    import briefing.render.charts
    import briefing.source.load  # noqa: F401
    from briefing.render.pdf import render_pdf  # noqa: F401
    from briefing.render.pdf.fonts import register_fonts

    register_fonts()


def render(b: Briefing, options: RenderOptions, edition: EditionStamp | None = None) -> Rendered:
    """Render ``b`` to PDF bytes. Images are read here, once, and handed over as bytes.
    ``edition`` (from the history, see ``publish/editions.py``) stamps the title block and
    draws the changes box; without it the PDF carries no edition."""
    from briefing.render.cache import DrawingCache
    from briefing.render.pdf import render_pdf
    from briefing.render.pdf.styles import geometry

    page_size: PageSize = options.page_size or b.page_size or "A4"
    warnings = font_warnings(options.fonts)
    warnings += preflight_warnings(b)
    errors = layout_errors(b)
    if errors:
        raise SourceInvalid(errors)
    cache = DrawingCache(options.cache_dir)
    charts: tuple[object, ...] = ()
    if b.timeline is not None and b.timeline.events:
        geo = geometry(page_size)
        charts = timeline_charts(b, geo.frame_width, geo.frame_height * 0.62, cache)
    images = read_images(b, page_size)
    pdf = render_pdf(
        b,
        page_size=page_size,
        charts=charts,
        images=images,
        edition=edition,
        maps=map_drawer(b, cache),
    )
    if pdf.probes.get("front", 1) > 1:
        warnings.append(front_page_warning(b))
    return Rendered(pdf.data, pdf.pages, tuple(warnings))


#: What page 1 is made to hold whole: bullets, their words in all, key facts, places.
FRONT_BOUNDS = (7, 250, 8, 15)


def front_page_warning(b: Briefing) -> SourceError:
    """Page 1 could not hold the title, bottom line, key facts and map: say what and why."""
    from briefing.source.markdown import plain

    words = sum(len(plain(item).split()) for item in b.summary)
    places = len(b.map.places) if b.map is not None else 0
    over = [
        (words > FRONT_BOUNDS[1], "summary", f"the summary has {words} words (page 1 holds 250)"),
        (len(b.key_facts) > FRONT_BOUNDS[2], "key_facts", f"{len(b.key_facts)} key facts (8)"),
        (places > FRONT_BOUNDS[3], "map.places", f"the map has {places} places (15)"),
    ]
    reasons = [(key, why) for beyond, key, why in over if beyond]
    key = reasons[0][0] if reasons else "summary"
    why = "; ".join(w for _, w in reasons) or "the title block and bottom line are too long"
    moved = " and ".join(
        name for name, there in (("the key facts", b.key_facts), ("the map", b.map)) if there
    )
    message = f"page 1 could not hold {moved or 'the bottom line'}, which moved to page 2: {why}"
    return SourceError(b.span_of(key), key, message, "warning")


def timeline_charts(
    b: Briefing, width: float, max_height: float, cache: DrawingCache
) -> tuple[object, ...]:
    """The timeline's charts, from the cache when the timeline and frame are unchanged."""
    from briefing.render.cache import key_of

    key = key_of("timeline", b.timeline, width, max_height)
    cached = cache.get(key)
    if isinstance(cached, tuple):
        return cached
    from briefing.render.charts import timeline_chart

    assert b.timeline is not None
    charts = tuple(timeline_chart(b.timeline, width_pt=width, max_height_pt=max_height))
    cache.put(key, charts)
    return charts


def map_drawer(b: Briefing, cache: DrawingCache) -> Callable[..., object | None] | None:
    """What draws the map panel once the layout knows its size (None: nothing to draw).

    A locator map from ``places``/``overlays``; with an ``image`` and ``bounds``, the
    places on the image; else None (the placeholder, or the image alone).
    """
    m = b.map
    if m is None or not (m.draws_locator or (m.image and m.bounds and m.places)):
        return None

    def draw(panel: MapPanel, width: float, height: float, image_size: object) -> object:
        from briefing.render.cache import key_of

        key = key_of("map", panel, round(width, 3), round(height, 3), image_size)
        cached = cache.get(key)
        if cached is not None:
            return cached
        from briefing.render.maps import image_drawing, locator_map
        from briefing.render.pdf.drawing import measure_text

        if panel.image is not None:
            assert panel.bounds is not None
            assert isinstance(image_size, tuple)
            drawing = image_drawing(
                panel.places, panel.bounds, width, height, image_size, measure_text
            )
        else:
            from briefing.render.maps import naturalearth

            naturalearth.use_folder(cache.folder)  # the country data, extracted once
            drawing = locator_map(panel, width, height, measure_text)
        cache.put(key, drawing)
        return drawing

    return draw
