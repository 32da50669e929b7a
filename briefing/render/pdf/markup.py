"""Runs of source text → ReportLab paragraph markup, with every character escaped.

Why: ReportLab's paragraph markup is powerful enough to be dangerous (``<img
src=…>`` reads files, ``<font name=…>`` swaps fonts, ``<a href=javascript:…>``
makes live links). Source text must never reach it as markup, so this is the one
place where markup is written: tags come only from the parsed Markdown runs,
text and attribute values are escaped, and link targets have been checked by
the loader. Citations become numbered internal links to the sources list.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from briefing.render.pdf.flowables import Heading, Para
from briefing.render.pdf.fonts import BOLD_ITALIC_FACE, ITALIC_FACE, SANS, missing_glyphs
from briefing.render.pdf.styles import LINK
from briefing.render.pdf.textpath import has_rtl, needs_shaping
from briefing.render.pdf.xmltext import escape, quoteattr
from briefing.source.markdown import Cite, Run, bare, parse_inline


def source_anchor(number: int) -> str:
    """The internal destination name of source ``number`` in the sources list."""
    return f"src-{number}"


def runs_markup(runs: tuple[Run, ...], numbers: dict[str, int]) -> str:
    """Escaped markup for ``runs``; ``numbers`` maps source ids to their list numbers.

    Adjacent citation groups (only white space between them) print as one merged,
    sorted reference: ``[@d][@a]`` → ``[1, 4]``.
    """
    out: list[str] = []
    glued = _glue_citations(runs)
    i = 0
    while i < len(glued):
        run = glued[i]
        if run.cite is not None:
            cites = list(run.cite)
            j = i + 1
            while j < len(glued) and (glued[j].cite is not None or _gap(glued, j)):
                if glued[j].cite is not None:
                    cites += glued[j].cite
                j += 1
            while glued[j - 1].cite is None:  # white space after the last group stays text
                j -= 1
            out.append(f"<sup>{citation_markup(cites, numbers)}</sup>")
            i = j
            continue
        text = _styled(run)
        if run.href is not None:
            text = f'<a href={quoteattr(run.href)} color="{LINK.hexval()}"><u>{text}</u></a>'
        out.append(text)
        i += 1
    return "".join(out)


def _gap(runs: list[Run], j: int) -> bool:
    """True when ``runs[j]`` is white space between two citation groups."""
    run = runs[j]
    return (
        run.cite is None
        and run.href is None
        and not run.text.strip()
        and j + 1 < len(runs)
        and runs[j + 1].cite is not None
    )


def citation_markup(cites: list[Cite], numbers: dict[str, int]) -> str:
    """``[1, 4]``, ``[1–3]``, ``[2, p. 4]`` or ``[1, para. 12; 2]``: sorted, merged, each
    printed number linked to its entry in the sources list."""
    items = sorted({(numbers[c.id], c.locator or "") for c in cites})
    if any(locator for _, locator in items):
        parts = [
            _number_link(n) + (f", {escape(locator)}" if locator else "") for n, locator in items
        ]
        return "[" + "; ".join(parts) + "]"
    plain_numbers = [n for n, _ in items]
    parts = []
    k = 0
    while k < len(plain_numbers):
        m = k
        while m + 1 < len(plain_numbers) and plain_numbers[m + 1] == plain_numbers[m] + 1:
            m += 1
        if m - k >= 2:
            parts.append(f"{_number_link(plain_numbers[k])}–{_number_link(plain_numbers[m])}")
        else:
            parts += [_number_link(n) for n in plain_numbers[k : m + 1]]
        k = m + 1
    return "[" + ", ".join(parts) + "]"


def _number_link(number: int) -> str:
    return f'<a href="#{source_anchor(number)}" color="{LINK.hexval()}">{number}</a>'


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
        lacks = missing_glyphs(run.text, face, fallbacks=False)
        if len(lacks) == len(missing_glyphs(run.text, SANS, fallbacks=False)):
            text = f"<i>{text}</i>"
    if run.bold:
        text = f"<b>{text}</b>"
    return text


def inline(source: str, numbers: dict[str, int]) -> str:
    """Markup for a one-paragraph source text."""
    return runs_markup(parse_inline(source), numbers)


def isolated(source: str, numbers: dict[str, int]) -> str:
    """Markup for one value printed beside others (a list item, a name before its
    coordinates, a label before the citation we add): a value holding right-to-left text
    ends with a left-to-right mark (U+200E), so UAX #9 never runs what follows into it
    ("12" of "12 militias" after an Arabic tie, the latitude after an Arabic place name).

    Why a mark and not an isolate (U+2066…U+2069): a paragraph split across pages is
    resolved part by part (``textpath.order_lines``), and an isolate opened in one part
    is lost in the next; the mark sits at the value's end, beside its neighbour.
    """
    markup = inline(source, numbers)
    return f"{markup}\u200e" if has_rtl(source) else markup


def plain_markup(text: str) -> str:
    """Escaped markup for text that is never Markdown (dates, numbers, generated words)."""
    return escape(text)


def _shaped(style: ParagraphStyle, raw: str) -> ParagraphStyle:
    """The style with ReportLab's word shaping on for left-to-right complex scripts (Indic).

    Right-to-left text is not shaped at line breaking: ``Para`` orders and shapes each
    broken line at draw time (``textpath``); ReportLab's per-word shaping would guess
    each word's direction on its own and misplace brackets.
    """
    if raw and needs_shaping(raw) and not has_rtl(raw):
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
        inline(text, numbers), _shaped(style, text), key=key, level=level, plain=bare(text)
    )


def cite(source: str | tuple[str, ...] | list[str] | None, numbers: dict[str, int]) -> str:
    """Markup of a ``source:`` field (one id or a list): merged numbers, each linked."""
    if not source:
        return ""
    ids = [source] if isinstance(source, str) else list(source)
    return citation_markup([Cite(i) for i in ids], numbers)
