"""A PDF's text as extraction returns it, normalised so it can be compared with the source.

Why: extracted text is not typed text. Lines break anywhere (inside words, after
hyphens), table cells come one after another, a row may continue on the next
page after the banners and running header, ligatures and presentation forms
stand for several letters, no-break spaces glue citations, and right-to-left
runs come back in visual order. Both sides are therefore reduced to the same
form: NFKC, no white space, no hyphens, no citation markers; and each page loses
its furniture (banners, header, footer, page number), which is checked apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: A citation as printed (white space already removed): numbers only, ``[3]``, ``[1, 4]``,
#: ``[2–5]``; or, when a source has a locator, ``; ``-separated entries of a number and an
#: optional locator, ``[5, Suez series]``, ``[1, para. 12; 2]`` (``markup.citation_markup``).
#: A locator has no ``@ ; [ ]`` (``markdown.CITATION``). Numbers-only is tried first, so
#: ``[1,4]`` is two citations, not one with the locator "4".
_LOCATED = r"\d+(?:,[^@;\[\]]+)?"
CITATION_MARK = re.compile(rf"\[(\d+(?:[,–-]\d+)*)\]|\[({_LOCATED}(?:;{_LOCATED})*)\]")
#: Hyphens, soft hyphens, and U+FFFE/U+0002: what PDFium reports for a hyphen that ends a line.
_HYPHENS = re.compile("[-\u00ad\u2010\u2011\ufffe\x02]")
_SPACE = re.compile(r"\s+")
#: Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko…, presentation forms).
RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
ELLIPSIS = "…"


def squash(text: str) -> str:
    """NFKC, no white space (no-break spaces included), no soft or hard hyphens."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return _HYPHENS.sub("", text)


def without_citations(squashed: str) -> tuple[str, list[int]]:
    """``squashed`` without citation markers, and the numbers they held."""
    numbers: list[int] = []

    def take(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            numbers.extend(int(part) for part in re.split("[,–-]", match.group(1)))
        else:  # each entry's number is its leading digits; the rest is its locator
            numbers.extend(int(e.split(",", 1)[0]) for e in match.group(2).split(";"))
        return ""

    return CITATION_MARK.sub(take, squashed), numbers


def same_line(line: str, expected: str) -> bool:
    """An extracted (squashed) line shows ``expected`` (squashed): equal, cut with an
    ellipsis to fit, or, for right-to-left text, the same letters in visual order."""
    if line == expected:
        return True
    for cut in (ELLIPSIS, "..."):  # NFKC spells the ellipsis as three full stops
        if line.endswith(cut) and len(line) > len(cut) and expected.startswith(line[: -len(cut)]):
            return True
    return bool(RTL.search(expected)) and sorted(line) == sorted(expected)


def _header_line(lines: list[str], title: str, organization: str) -> bool:
    """Remove the running header when extraction put title and organisation on one line."""
    for i, line in enumerate(lines[:12]):
        if line.endswith(organization) and same_line(line[: -len(organization)], title):
            del lines[i]
            return True
    return False


@dataclass(frozen=True, slots=True)
class Furniture:
    """What every page prints around the text frame, as the renderer writes it."""

    marking: str | None
    draft: bool
    title: str
    organization: str
    as_of: str  # "As of 29 September 2020"


@dataclass(slots=True)
class PageFacts:
    """What one page's furniture showed."""

    markings: int = 0
    draft: bool = False
    number: bool = False


@dataclass(slots=True)
class DocumentText:
    """All pages' text after their furniture, squashed and joined, and what was stripped."""

    text: str
    pages: list[PageFacts] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)
    #: Where each page's text starts in ``text``.
    starts: list[int] = field(default_factory=list)
    #: The same text with its citation marks left in: where a typed "[3]" is counted.
    raw: str = ""


def extract_pages(pdf: bytes) -> list[str]:
    """Each page's text in content-stream order, one line per baseline.

    PDFium's text objects (one per run of text shown), not its text page: the text
    page merges runs that merely share a baseline (a label beside a wrapped cell),
    while the stream keeps each cell's lines together. Costs a third of pypdf's time.
    The objects are walked with PDFium's raw calls and one reused buffer: a briefing
    shows some 600 runs, and a wrapper object and two buffers per run cost a third of
    ``verify``'s time.
    """
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium

    document = pypdfium2.PdfDocument(pdf)
    pages: list[str] = []
    size = 4096
    buffer = ctypes.create_string_buffer(size)
    pointer = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    box = [ctypes.c_float() for _ in range(4)]
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            lines: list[str] = []
            line: list[str] = []
            baseline: float | None = None
            for obj in _text_objects(pdfium, page.raw):
                # filled only when it is big enough (the call returns the size it needs)
                got = pdfium.FPDFTextObj_GetText(obj, textpage.raw, pointer, size)
                if got > size:
                    size = got
                    buffer = ctypes.create_string_buffer(size)
                    pointer = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
                    got = pdfium.FPDFTextObj_GetText(obj, textpage.raw, pointer, size)
                text = buffer.raw[:got].decode("utf-16-le", errors="replace").rstrip("\x00")
                if not pdfium.FPDFPageObj_GetBounds(obj, *box):
                    raise pypdfium2.PdfiumError("Failed to locate pageobject.")
                bottom = box[1].value
                if baseline is not None and abs(bottom - baseline) > 2 and line:
                    lines.append("".join(line))
                    line = []
                line.append(text)
                baseline = bottom
            lines.append("".join(line))
            pages.append("\n".join(lines))
            textpage.close()
            page.close()
    finally:
        document.close()
    return pages


def _text_objects(pdfium: Any, parent: Any, form: bool = False, level: int = 0) -> Iterator[Any]:
    """The text objects of a page (or form XObject), depth first in stream order, forms
    entered up to 8 levels deep (as ``PdfPage.get_objects(max_depth=8)`` does)."""
    count = pdfium.FPDFFormObj_CountObjects if form else pdfium.FPDFPage_CountObjects
    get = pdfium.FPDFFormObj_GetObject if form else pdfium.FPDFPage_GetObject
    for i in range(count(parent)):
        obj = get(parent, i)
        kind = pdfium.FPDFPageObj_GetType(obj)
        if kind == pdfium.FPDF_PAGEOBJ_TEXT:
            yield obj
        elif kind == pdfium.FPDF_PAGEOBJ_FORM and level < 7:
            yield from _text_objects(pdfium, obj, True, level + 1)


def document_text(pages: list[str], furniture: Furniture) -> DocumentText:
    """Strip each page's furniture (first matches from the top; the page number from the
    bottom), squash what is left and join the pages in order."""
    total = len(pages)
    marking = squash(furniture.marking) if furniture.marking else None
    parts: list[str] = []
    facts: list[PageFacts] = []
    citations: list[int] = []
    raw: list[str] = []
    for number, page in enumerate(pages, start=1):
        lines = [squash(line) for line in page.splitlines()]
        lines = [line for line in lines if line]
        seen = PageFacts()
        wanted: list[tuple[str, str]] = []  # (kind, squashed text), removed top-down once each
        if marking:
            wanted += [("marking", marking), ("marking", marking)]
        if number > 1:  # the running header: title and organisation, one line or two
            title, organization = squash(furniture.title), squash(furniture.organization)
            if organization and _header_line(lines, title, organization):
                wanted.append(("header", "\n"))  # already removed
            else:
                wanted.append(("header", title))
                if organization:
                    wanted.append(("header", organization))
        wanted.append(("footer", squash(furniture.as_of)))
        if furniture.draft:  # the watermark: drawn over the page, so looked for from the end
            for i in range(len(lines) - 1, -1, -1):
                if lines[i] == "DRAFT":
                    del lines[i]
                    seen.draft = True
                    break
        page_mark = squash(f"Page {number} of {total}")
        for i in range(len(lines) - 1, -1, -1):
            if lines[i] == page_mark:
                del lines[i]
                seen.number = True
                break
        for kind, text in wanted:
            # a banner may wrap to two lines (a marking is never cut): try pairs as well
            for width in (1, 2):
                found = next(
                    (
                        i
                        for i in range(min(len(lines), 14) - width + 1)
                        if same_line("".join(lines[i : i + width]), text)
                    ),
                    None,
                )
                if found is not None:
                    del lines[found : found + width]
                    seen.markings += kind == "marking"
                    break
        facts.append(seen)
        raw.append("".join(lines))
        page_text, numbers = without_citations(raw[-1])
        parts.append(page_text)
        citations += numbers
    starts = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    return DocumentText("".join(parts), facts, citations, starts, "".join(raw))
