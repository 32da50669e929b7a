"""The PDF stage: ``Briefing`` (+ drawn charts, image bytes) → PDF bytes.

The only package that imports ReportLab. ``render_pdf`` is pure apart from
reading nothing: images arrive as bytes and charts as drawing operations, so the
same inputs give the same bytes in any folder.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing import __version__
from briefing.model import Briefing, PageSize, long_date
from briefing.render.edition import EditionStamp
from briefing.source.markdown import bare


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    data: bytes
    pages: int
    #: ``PageProbe`` key → page: ``front`` is the page the facts and map ended on.
    probes: dict[str, int]


def render_pdf(
    briefing: Briefing,
    *,
    page_size: PageSize,
    charts: Sequence[object],
    images: dict[str, bytes],
    edition: EditionStamp | None = None,
    maps: Callable[..., object | None] | None = None,
) -> RenderedPdf:
    """Lay out ``briefing`` and return the PDF's bytes and page count."""
    from briefing.render.pdf.document import BriefingDocTemplate, Furniture, Metadata, epoch_for
    from briefing.render.pdf.drawing import chart_flowables
    from briefing.render.pdf.fonts import register_fonts
    from briefing.render.pdf.inputs import StoryInputs
    from briefing.render.pdf.story import build_story
    from briefing.render.pdf.styles import geometry, make_styles

    register_fonts()
    geo = geometry(page_size)
    authors = [bare(a) for a in briefing.authors]
    author = "; ".join(filter(None, [bare(briefing.organization or ""), *authors]))
    keywords = tuple(
        dict.fromkeys(
            filter(
                None,
                [
                    briefing.marking,
                    bare(briefing.map.region) if briefing.map and briefing.map.region else None,
                    *(briefing.timeline.categories() if briefing.timeline else ()),
                    "briefing",
                    edition.keyword() if edition else None,
                ],
            )
        )
    )
    subtitle = bare(briefing.subtitle) if briefing.subtitle else ""
    meta = Metadata(
        title=bare(briefing.title),
        author=author,
        subject=subtitle or f"Briefing as of {briefing.as_of.isoformat()}",
        keywords=keywords,
        creator=f"briefing {__version__}",
        language=briefing.language,
        epoch=epoch_for(briefing.as_of),
    )
    furniture = Furniture(
        geometry=geo,
        short_title=bare(briefing.title),
        organization=bare(briefing.organization or ""),
        as_of=long_date(briefing.as_of),
        marking=briefing.marking,
        draft=briefing.draft,
    )
    buffer = io.BytesIO()
    doc = BriefingDocTemplate(buffer, furniture=furniture, meta=meta)
    story = build_story(
        briefing,
        StoryInputs(make_styles(), geo, chart_flowables(charts), images, edition, maps),
    )
    pages = doc.build_story(story)
    return RenderedPdf(buffer.getvalue(), pages, dict(doc.probes))
