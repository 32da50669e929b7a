"""The body: numbered sections with paragraphs and lists, figures, and the sources list.

Why: section bodies are the only texts with block structure (paragraphs,
bullet and numbered lists); they arrive parsed by ``text.parse_blocks`` and
become paragraphs here. Headings keep with their first lines (``keepWithNext``
in their styles, and widows/orphans are off). Every citation links to its
entry in the sources list, whose anchors are made here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer

from briefing.model import Briefing, Figure
from briefing.render.pdf.inputs import StoryInputs
from briefing.render.pdf.markup import (
    escape,
    heading,
    inline,
    isolated,
    paragraph,
    plain_markup,
    quoteattr,
    runs_markup,
    source_anchor,
)
from briefing.render.pdf.styles import LINK, REGULAR
from briefing.source.markdown import Block, ListBlock, Run, parse_blocks
from briefing.source.markdown import Paragraph as TextParagraph


def sections(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    """Sections numbered 1, 2… and sub-sections 1.1…; figures after the heading they name."""
    s = inputs.styles
    n = b.source_numbers()
    after: dict[str, list[Figure]] = {}
    trailing: list[Figure] = []
    for fig in b.figures:
        (after.setdefault(fig.after, []) if fig.after is not None else trailing).append(fig)
    numbers = iter(range(1, len(b.figures) + 1))
    out: list[Flowable] = []
    for i, section in enumerate(b.sections, start=1):
        out.append(heading(f"{i}. {section.heading}", s.h1, key=f"s{i}", level=0, numbers=n))
        out += _blocks(parse_blocks(section.body), inputs, n, depth=0)
        for j, sub in enumerate(section.sections, start=1):
            key = f"s{i}-{j}"
            out.append(heading(f"{i}.{j} {sub.heading}", s.h2, key=key, level=1, numbers=n))
            out += _blocks(parse_blocks(sub.body), inputs, n, depth=0)
            out += _figures(after.pop(sub.heading, []), inputs, numbers, n)
        out += _figures(after.pop(section.heading, []), inputs, numbers, n)
    out += _figures(trailing, inputs, numbers, n)
    return out


def _blocks(
    blocks: tuple[Block, ...], inputs: StoryInputs, n: dict[str, int], depth: int
) -> list[Flowable]:
    s = inputs.styles
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, TextParagraph):
            chunks = split_long(block.runs)
            for k, chunk in enumerate(chunks):
                raw = "".join(r.text for r in chunk)
                style = s.body if len(chunks) == 1 else _continued(s.body, k, len(chunks))
                out.append(paragraph(runs_markup(chunk, n), style, raw=raw))
        elif isinstance(block, ListBlock):
            for k, item in enumerate(block.items):
                mark = "•" if block.start is None else f"{block.start + k}."
                flows = _blocks(item, inputs, n, depth + 1)
                first = True
                for flow in flows:
                    if isinstance(flow, Paragraph) and flow.style.name.startswith("body"):
                        flow.style = _indented(flow.style, depth)
                        if first:
                            flow.bulletText = mark
                            first = False
                out += flows
            out.append(Spacer(1, 3))
    return out


#: Characters of one paragraph flowable. ReportLab re-breaks the whole rest of a
#: paragraph on every page it spills onto, so a 100 000-character paragraph (most
#: of all one of many small fragments, like ``> > >`` or ``&`` escapes) costs time
#: quadratic in its length; cut into pieces this size, it costs linear time.
PARAGRAPH_CHUNK = 3000


def split_long(runs: tuple[Run, ...], limit: int = PARAGRAPH_CHUNK) -> list[tuple[Run, ...]]:
    """``runs`` cut at spaces into pieces of at most ``limit`` characters (a word longer
    than that is cut inside; a citation is never cut)."""
    if sum(len(r.text) for r in runs) <= limit:
        return [runs]
    chunks: list[tuple[Run, ...]] = []
    current: list[Run] = []
    size = 0
    for run in runs:
        text = run.text
        while run.cite is None and size + len(text) > limit:
            room = limit - size
            cut = text.rfind(" ", 0, room + 1)
            if cut <= 0:
                if current:
                    chunks.append(tuple(current))
                    current, size = [], 0
                    continue
                cut = room
            head, text = text[:cut], text[cut:].lstrip(" ")
            if head:
                current.append(replace(run, text=head))
            chunks.append(tuple(current))
            current, size = [], 0
        if text:
            current.append(replace(run, text=text))
            size += len(text)
    if current:
        chunks.append(tuple(current))
    return chunks


def _continued(style: ParagraphStyle, index: int, count: int) -> ParagraphStyle:
    """A piece of a long paragraph: no paragraph spacing between the pieces."""
    space_before = style.spaceBefore if index == 0 else 0
    space_after = style.spaceAfter if index == count - 1 else 0
    return ParagraphStyle(
        f"{style.name}-piece", parent=style, spaceBefore=space_before, spaceAfter=space_after
    )


def _indented(style: ParagraphStyle, depth: int) -> ParagraphStyle:
    return ParagraphStyle(
        f"list-d{depth}",
        parent=style,
        leftIndent=14 * (depth + 1),
        bulletIndent=14 * depth + 2,
        bulletFontName=REGULAR,
        spaceAfter=2,
    )


def _figures(
    figs: list[Figure], inputs: StoryInputs, numbers: Iterator[int], n: dict[str, int]
) -> list[Flowable]:
    """Each figure scaled to the frame width and at most half the frame height, captioned."""
    s = inputs.styles
    g = inputs.geometry
    out: list[Flowable] = []
    for fig in figs:
        data = inputs.images[str(fig.image)]
        iw, ih = ImageReader(BytesIO(data)).getSize()
        scale = min(g.frame_width / iw, g.frame_height * 0.5 / ih)
        img = Image(BytesIO(data), width=iw * scale, height=ih * scale)
        img.hAlign = "CENTER"
        parts = [f"<b>Figure {next(numbers)}.</b>"]
        if fig.caption:
            parts.append(inline(fig.caption, n))
        if fig.credit:
            parts.append(f"<i>— Credit: {inline(fig.credit, n)}</i>")
        raw = " ".join(filter(None, [fig.caption, fig.credit]))
        style = ParagraphStyle("figure-caption", parent=s.caption, alignment=TA_CENTER)
        caption = paragraph(" ".join(parts), style, raw=raw)
        out.append(KeepTogether([Spacer(1, 6), img, caption, Spacer(1, 6)]))
    return out


def sources(b: Briefing, inputs: StoryInputs) -> list[Flowable]:
    """The numbered reference list; each entry is the target of its citations."""
    if not b.sources:
        return []
    s = inputs.styles
    n = b.source_numbers()
    out: list[Flowable] = [heading("Sources", s.h1, key="sources", level=0, numbers=n)]
    for number, src in enumerate(b.sources, start=1):
        # the anchor after "[N]": a word starting with an anchor is never split by ReportLab
        parts = [f'[{number}]<a name="{source_anchor(number)}"/>&nbsp;']
        if src.publisher:
            parts.append(f"{isolated(src.publisher, n)}, ")
        parts.append(f"<b>{isolated(src.title, n)}</b>")
        if src.date:
            parts.append(f", {plain_markup(src.date.label())}")
        parts.append(".")
        if src.url:
            link = f"<a href={quoteattr(src.url)} color={quoteattr(LINK.hexval())}>"
            parts.append(f" {link}{escape(src.url)}</a>")
        if src.accessed:
            parts.append(f" (accessed {plain_markup(src.accessed.label())})")
        if src.url or src.accessed:
            parts.append(".")
        if src.note:
            parts.append(f" {inline(src.note, n)}")
        raw = " ".join(filter(None, [src.title, src.publisher, src.note]))
        out.append(paragraph("".join(parts), s.source, raw=raw))
    return out
