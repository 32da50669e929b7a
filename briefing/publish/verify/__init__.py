"""``briefing verify``: prove that every fact of a source reached its PDF.

Why: a renderer bug that drops one of an actor's ties, an event's end date or a
table row produces a valid, good-looking PDF that a test comparing output with
itself cannot catch, and that would be mailed to a minister. This reads the
built PDF back and checks it against the source and the manifest:

- the PDF is the one the manifest records (SHA-256, page count), built from the
  source as it is now;
- every printable value of the source (found by the schema walk, so no key is
  forgotten) is on the page, as printed: Markdown reduced to its text, dates in
  their printed form, each text of a list item inside that item's block;
- the marking is on every page (top and bottom banner), DRAFT where ``draft: true``,
  every page numbered, and every citation number names an entry of the sources list.

Every problem is one located line: ``sources/x.yaml:41:12: actors[0].ties[3]:
"EEU" is not in dist/x.pdf``. Nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import SourceError, Span
from briefing.model import Briefing, PartialDate, long_date, span_label
from briefing.publish.verify.match import Expected, missing_anywhere, missing_in_groups
from briefing.publish.verify.text import (
    CITATION_MARK,
    RTL,
    DocumentText,
    Furniture,
    document_text,
    extract_pages,
    squash,
    without_citations,
)
from briefing.source.walk import Item, walk

__all__ = ["VerifyResult", "verify_pdf", "verify_sources"]


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """How one source's PDF fared: every problem found, as values."""

    source: str
    output: str | None
    problems: tuple[SourceError, ...] = ()
    pages: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "output": self.output,
            "ok": self.ok,
            "pages": self.pages,
            "problems": [p.to_json() for p in self.problems],
        }


_EVENT_DATE = re.compile(r"timeline\.events\[(\d+)\]\.(date|end)")


def _event_part(b: Briefing, item: Item) -> str | None:
    """An event's date or end as the chronology prints them: one ``span_label`` for both
    (``30 Jan – 12 Jun 2022``), whose right part is the end and left part the date."""
    match = _EVENT_DATE.fullmatch(item.path)
    if match is None or b.timeline is None:
        return None
    event = b.timeline.events[int(match.group(1))]
    whole = span_label(event.date, event.end)
    if event.end is None or event.end == event.date:
        return whole
    right = event.end.label()
    if match.group(2) == "end":
        return right
    return whole.removesuffix(right).rstrip(" –")


def printed(item: Item, b: Briefing | None = None) -> list[str]:
    """The texts a reader sees for ``item``, before normalisation: Markdown as plain text
    without citation markers (their numbers are checked apart), dates in printed form."""
    from briefing.source.markdown import Paragraph, parse_blocks, parse_inline

    value = item.value
    if b is not None and (part := _event_part(b, item)) is not None:
        return [part]
    if isinstance(value, PartialDate):
        return [value.label()]
    if isinstance(value, dt.date):
        return [long_date(value)]
    if item.kind == "url":
        return [value]
    if item.kind == "blocks":
        out: list[str] = []

        def leaves(blocks: tuple[object, ...]) -> None:
            for block in blocks:
                if isinstance(block, Paragraph):
                    out.append("".join("" if r.cite else r.text for r in block.runs))
                else:
                    for entry in block.items:  # type: ignore[attr-defined]
                        leaves(entry)

        leaves(parse_blocks(value))
        return out
    # every citation group the parser knows (``[@a; @b]``, ``[@a, p. 4]``), not only ``[@a]``
    return ["".join("" if r.cite else r.text for r in parse_inline(value))]


def locator_numbers(item: Item) -> set[int]:
    """Numbers a citation's locator prints inside its brackets: ``[@a, 12]`` prints
    ``[1, 12]``, which reads back like two citations, so 12 is no unknown source."""
    from briefing.source.markdown import Paragraph, parse_blocks, parse_inline

    if not isinstance(item.value, str) or "[@" not in item.value:
        return set()
    runs = []
    if item.kind == "blocks":
        stack = list(parse_blocks(item.value))
        while stack:
            block = stack.pop()
            if isinstance(block, Paragraph):
                runs += block.runs
            else:
                stack += [b for entry in block.items for b in entry]
    else:
        runs = list(parse_inline(item.value))
    return {
        int(number)
        for run in runs
        for cite in run.cite or ()
        if cite.locator and re.fullmatch(r"[\d\s,–-]+", cite.locator)
        for number in re.findall(r"\d+", cite.locator)
    }


#: A bracket as typed: its squashed content may read back as a citation mark.
_BRACKET = re.compile(r"\[[^\[\]]*\]")


def _pieces(text: str) -> tuple[str, ...]:
    """One squashed string; the squashed words when it holds right-to-left text."""
    if RTL.search(text):  # bidi moves neutral punctuation to the other end: words only
        # a typed "[3]" is stripped from the page like a citation mark (when bidi leaves it
        # whole), so its digits are not words to find
        text = _BRACKET.sub(
            lambda m: " " if without_citations(squash(m.group(0)))[0] == "" else m.group(0), text
        )
        words = re.findall(r"\w+", unicodedata.normalize("NFKC", text))
        return tuple(squash(w) for w in words if squash(w))
    return (without_citations(squash(text))[0],)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def verify_pdf(
    b: Briefing, pdf: bytes, *, name: str, pages: int | None = None
) -> list[SourceError]:
    """Every way ``pdf`` (called ``name`` in messages) fails to show ``b``; empty when whole.

    ``pages``: the page count recorded for it, when there is a record.
    """
    from briefing.source.markdown import bare

    page_texts = extract_pages(pdf)
    furniture = Furniture(
        marking=b.marking,
        draft=b.draft,
        title=bare(b.title),
        organization=bare(b.organization or ""),
        as_of=f"As of {long_date(b.as_of)}",
    )
    doc = document_text(page_texts, furniture)
    problems: list[SourceError] = []
    items: list[tuple[Item, str]] = []
    groups: dict[str, list[Expected]] = {}
    loose: list[Expected] = []
    literal: set[int] = set()  # "[3]" written in a text: not a citation, whatever it says
    typed: dict[str, list[int]] = {}  # such a mark (squashed) → the texts that typed it
    for item in walk(b):
        literal |= locator_numbers(item)
        if item.kind == "marking":
            continue  # the banners: checked page by page below
        if item.path == "map.region" and not _region_printed(b, doc.text):
            continue  # printed only in the cases `_region_printed` lists
        for text in printed(item, b):
            literal.update(without_citations(squash(text))[1])
            marks = [] if RTL.search(text) else CITATION_MARK.finditer(squash(text))
            for mark in marks:
                typed.setdefault(mark.group(0), []).append(len(items))
            pieces = _pieces(text)
            if not any(pieces):
                continue  # only citations: their numbers are checked below
            exp = Expected(len(items), tuple(p for p in pieces if p))
            items.append((item, text))
            (groups.setdefault(item.group, []) if item.group else loose).append(exp)
    # a list item printing one text (a place, an actor with only a name) is a block too
    # small to place among the others: it is looked for anywhere
    blocks = [g for g in groups.values() if len(g) > 1]
    loose += [e for g in groups.values() if len(g) == 1 for e in g]
    missing = missing_anywhere(doc.text, loose, doc.starts) + missing_in_groups(
        doc.text, blocks, doc.starts
    )
    for index in sorted(missing):
        item, text = items[index]
        message = f'"{_quote(text)}" is not in {name}'
        problems.append(SourceError(item.span, item.path, message))
    for mark, where in typed.items():
        # both sides drop what reads like a citation mark, so a typed one is counted
        # apart: printed fewer times than typed, each text that typed it is named
        if doc.raw.count(mark) < len(where):
            for index in sorted(set(where) - set(missing)):
                item, text = items[index]
                message = f'"{mark}" of "{_quote(text)}" is not in {name}'
                problems.append(SourceError(item.span, item.path, message))
    problems += _page_checks(b, doc, name, len(page_texts), pages, literal)
    return sorted(problems, key=SourceError.sort_key)


def _region_printed(b: Briefing, text: str) -> bool:
    """Whether the map's region must be on the page: the format prints it inside the
    placeholder ("map to follow") and, with an image, a drawn map or when long, in the
    caption."""
    from briefing.render.pdf.front import REGION_IN_CAPTION

    m = b.map
    if m is None or m.region is None:
        return False
    if m.image is not None or m.draws_locator or len(m.region) > REGION_IN_CAPTION:
        return True
    return "MAPTOFOLLOW" in text


def _page_checks(
    b: Briefing,
    doc: DocumentText,
    name: str,
    count: int,
    recorded: int | None,
    literal: set[int],
) -> list[SourceError]:
    """Page count, the banners, DRAFT, page numbers, and citation numbers that resolve."""
    out: list[SourceError] = []
    start = Span(b.path, 1, 1)
    if recorded is not None and recorded != count:
        message = f"{name} has {count} pages; the manifest says {recorded}"
        out.append(SourceError(start, "", message))
    for number, page in enumerate(doc.pages, start=1):
        if b.marking and page.markings < 2:
            where = "banner" if page.markings == 1 else "banners"
            message = f'the marking "{_quote(b.marking)}" is missing from a {where[:-1]}'
            if page.markings == 0:
                message = f'the marking "{_quote(b.marking)}" is not on page {number} of {name}'
            else:
                message += f" of page {number} of {name}"
            out.append(SourceError(b.span_of("marking"), "marking", message))
        if b.draft and not page.draft:
            message = f"the DRAFT mark is not on page {number} of {name}"
            out.append(SourceError(b.span_of("draft"), "draft", message))
        if not page.number:
            message = f'page {number} of {name} has no "Page {number} of {count}"'
            out.append(SourceError(start, "", message))
    known = len(b.sources)
    for bad in sorted({n for n in doc.citations if not 1 <= n <= known and n not in literal}):
        message = f"{name} cites [{bad}], but the sources list has {known} entries"
        out.append(SourceError(b.span_of("sources"), "sources", message))
    return out


def verify_sources(sources: Sequence[Path], *, root: Path, out: Path) -> list[VerifyResult]:
    """Verify each source's PDF in ``out`` against the source and the manifest."""
    from briefing.publish.verify.files import verify_one

    return [verify_one(path, root=root, out=out) for path in sources]
