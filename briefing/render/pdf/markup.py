"""Runs of source text → ReportLab paragraph markup, with every character escaped.

Why: ReportLab's paragraph markup is powerful enough to be dangerous (``<img
src=…>`` reads files, ``<font name=…>`` swaps fonts, ``<a href=javascript:…>``
makes live links). Source text must never reach it as markup, so this is the one
place where markup is written: tags come only from the parsed Markdown runs,
text and attribute values are escaped, and link targets have been checked by
the loader. Citations become numbered internal links to the sources list.
"""

from __future__ import annotations

import re
from dataclasses import replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.platypus import Paragraph

from briefing.render.pdf.flowables import Heading, Para
from briefing.render.pdf.fonts import BOLD_ITALIC_FACE, ITALIC_FACE, SANS, missing_glyphs
from briefing.render.pdf.styles import LINK
from briefing.source.markdown import Run, parse_inline, plain

#: Scripts that need OpenType shaping (Arabic, Hebrew, Syriac, Thaana, N'Ko…, Indic).
_COMPLEX = re.compile(r"[\u0590-\u08ff\u0900-\u0dff\ufb1d-\ufdff\ufe70-\ufeff]")


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities: source text never becomes markup.

    (``xml.sax.saxutils`` does the same but imports ``ssl``, ``http`` and ``email``.)
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An attribute value, quoted, with quotes and newlines escaped as well."""
    escaped = escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
    return f'"{escaped.replace(chr(9), "&#9;")}"'


def source_anchor(number: int) -> str:
    """The internal destination name of source ``number`` in the sources list."""
    return f"src-{number}"


def needs_shaping(text: str) -> bool:
    return _COMPLEX.search(text) is not None


def runs_markup(runs: tuple[Run, ...], numbers: dict[str, int]) -> str:
    """Escaped markup for ``runs``; ``numbers`` maps source ids to their list numbers."""
    out: list[str] = []
    for run in _glue_citations(runs):
        if run.cite is not None:
            number = numbers[run.cite]
            out.append(
                f'<a href="#{source_anchor(number)}" color="{LINK.hexval()}">'
                f"<sup>[{number}]</sup></a>"
            )
            continue
        text = _styled(run)
        if run.href is not None:
            text = f'<a href={quoteattr(run.href)} color="{LINK.hexval()}"><u>{text}</u></a>'
        out.append(text)
    return "".join(out)


def _glue_citations(runs: tuple[Run, ...]) -> list[Run]:
    """A space before a citation becomes a no-break space, so "[3]" never starts a line."""
    glued = list(runs)
    for i in range(1, len(glued)):
        before = glued[i - 1]
        if glued[i].cite is not None and before.cite is None and before.text[-1:].isspace():
            glued[i - 1] = replace(before, text=before.text.rstrip() + "\xa0")
    return glued


def _styled(run: Run) -> str:
    """Escape a run and wrap it in ``<b>``/``<i>``; italic is dropped for characters the
    oblique faces lack (DejaVu Sans Oblique has no Arabic), so nothing prints as a box."""
    text = escape(run.text)
    if run.italic:
        face = BOLD_ITALIC_FACE if run.bold else ITALIC_FACE
        if len(missing_glyphs(run.text, face)) == len(missing_glyphs(run.text, SANS)):
            text = f"<i>{text}</i>"
    if run.bold:
        text = f"<b>{text}</b>"
    return text


def inline(source: str, numbers: dict[str, int]) -> str:
    """Markup for a one-paragraph source text."""
    return runs_markup(parse_inline(source), numbers)


def plain_markup(text: str) -> str:
    """Escaped markup for text that is never Markdown (dates, numbers, generated words)."""
    return escape(text)


def _shaped(style: ParagraphStyle, raw: str) -> ParagraphStyle:
    """The style with OpenType shaping on when ``raw`` needs it (shaping costs time)."""
    if raw and needs_shaping(raw):
        return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)
    return style


def paragraph(markup: str, style: ParagraphStyle, *, raw: str = "") -> Paragraph:
    """A Paragraph of ready markup; ``raw`` is the source text, to decide on shaping."""
    return Para(markup, _shaped(style, raw))


def para(text: str, style: ParagraphStyle, numbers: dict[str, int]) -> Paragraph:
    """A Paragraph of one source text (Markdown subset, citations numbered)."""
    return Para(inline(text, numbers), _shaped(style, text))


def heading(
    text: str, style: ParagraphStyle, *, key: str, level: int, numbers: dict[str, int]
) -> Heading:
    """A bookmarked heading of one source text."""
    return Heading(
        inline(text, numbers), _shaped(style, text), key=key, level=level, plain=plain(text)
    )


def cite(source_ids: tuple[str, ...], numbers: dict[str, int]) -> str:
    """Markup of a ``source:`` field: ``[2]`` or ``[1, 3]``, each number linked to its entry."""
    if not source_ids:
        return ""
    ordered = sorted({numbers[i] for i in source_ids})
    last = len(ordered) - 1
    return ", ".join(
        f'<a href="#{source_anchor(n)}" color="{LINK.hexval()}">'
        f"{'[' if k == 0 else ''}{n}{']' if k == last else ''}</a>"
        for k, n in enumerate(ordered)
    )


#: A stretch of right-to-left script, spaces between its words included.
_RTL_RUN = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+(?:\s+[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+)*"
)


def shape_line(text: str, font: str, size: float) -> str:
    """HarfBuzz-shaped text: joined Arabic forms, each right-to-left stretch in visual order.

    For one line drawn straight on the canvas (chart labels, banners, running header):
    it sits in a left-to-right page, so shaping each stretch of one direction on its own
    gives the order bidi would (drawString's own shaping is inert without python-bidi).
    Arabic joined forms are, if anything, narrower than the isolated forms measured.
    """
    shaped = None
    pos = 0
    pieces: list[str] = []
    for match in _RTL_RUN.finditer(text):
        pieces += [text[pos : match.start()], match.group(0)]
        pos = match.end()
    pieces.append(text[pos:])
    for piece in filter(None, pieces):
        part = shapeStr(piece, font, size, force=True)
        shaped = part if shaped is None else shaped + part
    return shaped if shaped is not None else text
