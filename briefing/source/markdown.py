"""The Markdown subset of source texts → a small intermediate form of runs and blocks.

Why: the contract allows ``**bold**``, ``*italic*``, ``[label](url)``, citations
``[@id]`` and, in section bodies, paragraphs and lists. A real parser
(markdown-it-py, CommonMark rules) gets the edge cases right; everything it is
not asked to parse stays literal text. HTML, entities, code spans, autolinks
and headings are switched off, so ``AT&T <Holdings>`` and ``&amp;`` print as
written. The PDF stage turns runs into ReportLab markup with every character
escaped, so source text can never reach ReportLab's paragraph markup.
Parses are cached (results are immutable): the loader, the chart and the PDF
stage all read the same texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: One citation group, Pandoc style: ``[@a]``, ``[@a; @b]``, ``[@a, p. 4]``, ``[@a, para. 12; @b]``.
_ID = r"[A-Za-z0-9_-]+"
_ITEM = re.compile(rf"\s*@({_ID})\s*(?:,\s*([^@;\[\]]*?))?\s*")
CITATION = re.compile(rf"\[@{_ID}\s*(?:,[^@;\[\]]*)?(?:;\s*@{_ID}\s*(?:,[^@;\[\]]*)?)*\]")


@dataclass(frozen=True, slots=True)
class Cite:
    """One source in a citation group, with its locator (``p. 4``) if given."""

    id: str
    locator: str | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one style. ``cite`` set: the run is a citation group
    (``text`` is then what the author wrote, ``[@a; @b, p. 4]``)."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    cite: tuple[Cite, ...] | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet list (``start`` is None) or a numbered list starting at ``start``."""

    items: tuple[tuple[Block, ...], ...]
    start: int | None = None


Block = Paragraph | ListBlock


@cache
def _parser() -> MarkdownIt:
    """The configured parser, built once per process (markdown-it import is ~70 ms)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "newline", "escape", "list"])
    normalize = md.normalizeLink

    def normalize_link(url: str) -> str:
        # markdown-it re-assembles a link from its parsed parts; a host it cannot parse
        # (``http://[::1``) comes out mangled (``http://:1%5B:``), and messages would
        # quote the mangled one. Such a link stays as written: the loader refuses it.
        try:
            urlsplit(url).hostname  # noqa: B018  (raises on a broken host)
        except ValueError:
            return url
        return str(normalize(url))

    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    return md


#: ``\\[`` (not itself escaped): a literal bracket. It stands in for two characters (same
#: offsets) while citations are found, so ``\\[@a]`` or ``\\[3]`` prints as typed.
_ESCAPED_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\\\[")
_LITERAL = "\ue001\ue001"


def protect_brackets(source: str) -> str:
    """``source`` with each escaped ``[`` replaced by two placeholder characters."""
    if "\\[" not in source:
        return source
    return _ESCAPED_BRACKET.sub(lambda m: m.group(1) + _LITERAL, source)


def _restore(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    return tuple(
        replace(r, text=r.text.replace(_LITERAL, "[")) if _LITERAL[0] in r.text else r for r in runs
    )


@lru_cache(maxsize=4096)
def parse_inline(source: str) -> tuple[Run, ...]:
    """Parse a one-paragraph text (summary bullet, label, cell): block syntax stays literal."""
    tokens = _parser().parseInline(protect_brackets(source))
    children = tokens[0].children if tokens and tokens[0].children else []
    return _restore(_merge(_runs(children)))


@lru_cache(maxsize=1024)
def parse_blocks(source: str) -> tuple[Block, ...]:
    """Parse a section body: paragraphs, bullet and numbered lists, inline markup within."""
    tokens = _parser().parse(protect_brackets(source))
    blocks, _ = _blocks(tokens, 0, closing=None)
    return tuple(_restored(b) for b in blocks)


def _restored(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return Paragraph(_restore(block.runs))
    items = tuple(tuple(_restored(b) for b in item) for item in block.items)
    return ListBlock(items, block.start)


def plain(source: str, *, blocks: bool = False) -> str:
    """The text a reader sees (citations as ``[@id]``), for glyph checks and tests."""
    parsed = parse_blocks(source) if blocks else (Paragraph(parse_inline(source)),)
    return "\n".join(_plain_block(b) for b in parsed)


def bare(source: str) -> str:
    """The text a reader sees, without its citations: for what is printed where a citation
    cannot be a linked number (running header, map labels, PDF bookmarks and metadata),
    which printed it raw (``Why now? [@s1]``) before."""
    runs = parse_inline(source)
    text = " ".join("".join(r.text for r in runs if r.cite is None).split())
    if any(r.cite is not None for r in runs):
        text = re.sub(r" ([.,;:!?])", r"\1", text)  # "killed [@a]." → "killed."
    return text


def references(source: str, *, blocks: bool = False) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The cited source ids and the link targets in a text, in order of appearance."""
    runs = _all_runs(parse_blocks(source)) if blocks else parse_inline(source)
    cites = tuple(c.id for r in runs if r.cite is not None for c in r.cite)
    links = tuple(dict.fromkeys(r.href for r in runs if r.href is not None))
    return cites, links


def _all_runs(blocks: tuple[Block, ...]) -> list[Run]:
    out: list[Run] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.extend(block.runs)
        else:
            for item in block.items:
                out.extend(_all_runs(item))
    return out


def _plain_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return "".join(r.text for r in block.runs)
    return "\n".join(" ".join(_plain_block(b) for b in item) for item in block.items)


def _blocks(tokens: list[Token], i: int, closing: str | None) -> tuple[list[Block], int]:
    """Walk block tokens from ``i`` until ``closing``; return the blocks and the next index."""
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if closing is not None and tok.type == closing:
            return out, i + 1
        if tok.type == "inline":
            out.append(Paragraph(_merge(_runs(tok.children or []))))
            i += 1
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            start = None
            if tok.type == "ordered_list_open":
                start = int(tok.attrGet("start") or 1)
            items, i = _items(tokens, i + 1, tok.type.replace("_open", "_close"))
            out.append(ListBlock(tuple(items), start))
        else:  # paragraph_open/close and other structural tokens carry no text
            i += 1
    return out, i


def _items(tokens: list[Token], i: int, closing: str) -> tuple[list[tuple[Block, ...]], int]:
    items: list[tuple[Block, ...]] = []
    while i < len(tokens) and tokens[i].type != closing:
        if tokens[i].type == "list_item_open":
            blocks, i = _blocks(tokens, i + 1, "list_item_close")
            items.append(tuple(blocks))
        else:
            i += 1
    return items, i + 1


def _runs(children: list[Token]) -> list[Run]:
    """Inline tokens → runs; nesting of strong/em/link is tracked as a style stack."""
    runs: list[Run] = []
    bold = italic = 0
    href: str | None = None
    for tok in children:
        match tok.type:
            case "text":
                runs.extend(_split_citations(Run(tok.content, bold > 0, italic > 0, href)))
            case "softbreak" | "hardbreak":
                runs.append(Run(" ", bold > 0, italic > 0, href))
            case "strong_open":
                bold += 1
            case "strong_close":
                bold -= 1
            case "em_open":
                italic += 1
            case "em_close":
                italic -= 1
            case "link_open":
                href = str(tok.attrGet("href") or "")
            case "link_close":
                href = None
            case _:
                if tok.content:
                    runs.append(Run(tok.content, bold > 0, italic > 0, href))
    return runs


def _split_citations(run: Run) -> list[Run]:
    """Cut ``[@id]`` out of a text run; inside a link a citation stays literal text."""
    if run.href is not None or "[@" not in run.text:
        return [run]
    out: list[Run] = []
    pos = 0
    for m in CITATION.finditer(run.text):
        if m.start() > pos:
            out.append(replace(run, text=run.text[pos : m.start()]))
        out.append(replace(run, text=m.group(0), cite=parse_group(m.group(0))))
        pos = m.end()
    if pos < len(run.text):
        out.append(replace(run, text=run.text[pos:]))
    return out


def parse_group(group: str) -> tuple[Cite, ...]:
    """The sources of a well-formed citation group (``CITATION`` matched it)."""
    cites: list[Cite] = []
    for item in group[1:-1].split(";"):
        m = _ITEM.fullmatch(item)
        if m is not None:
            cites.append(Cite(m.group(1), " ".join((m.group(2) or "").split()) or None))
    return tuple(cites)


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    """Join neighbouring runs of the same style (markdown-it splits text at ``[``, ``*``…)."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.cite is None
            and run.cite is None
            and (prev.bold, prev.italic, prev.href) == (run.bold, run.italic, run.href)
        ):
            out[-1] = replace(prev, text=prev.text + run.text)
        else:
            out.append(run)
    # citations were split before merging; re-split merged text in case "[@" spanned tokens
    result: list[Run] = []
    for run in out:
        result.extend(_split_citations(run) if run.cite is None else [run])
    return tuple(result)


# ---- problems the author must hear about ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem in one text: ``offset`` into the text, and the characters found there."""

    offset: int
    found: str
    message: str
    severity: str = "error"


_ITEM_LOOSE = re.compile(rf"\s*@{_ID}\s*(?:,(.*))?", re.S)
_STARS = re.compile(r"(?<!\\)\*+")


def problems(source: str) -> list[Problem]:
    """Malformed citations (errors) and unclosed ``**``/``*`` (warnings), in text order.

    Anything that starts like a citation (``[@``) must parse as one: a group is never
    printed raw. Emphasis that markdown-it leaves unmatched shows as stray asterisks.
    """
    out: list[Problem] = []
    source = protect_brackets(source)  # an escaped ``\\[@`` is text; offsets are kept
    pos = source.find("[@")
    while pos >= 0:
        end = source.find("]", pos)
        nested = source.find("[", pos + 1)
        para_end = source.find("\n\n", pos)
        if end < 0 or 0 <= nested < end or 0 <= para_end < end:
            found = source[pos:].split("\n", 1)[0][:40]
            message = f"`{found}` starts a citation that is never closed with `]`"
            out.append(Problem(pos, found, message))
            pos = source.find("[@", pos + 2)
            continue
        group = source[pos : end + 1]
        problem = _group_problem(group)
        if problem is not None:
            out.append(Problem(pos, group, f"`{' '.join(group.split())}` {problem}"))
        pos = source.find("[@", end)
    out += _emphasis_problems(source)
    out += _cited_in_link(source)
    return sorted(out, key=lambda p: p.offset)


def _cited_in_link(source: str) -> list[Problem]:
    """A citation inside a link's label: it would print raw (``[@s1]``), not as a number."""
    if "[@" not in source or "](" not in source:
        return []
    out: list[Problem] = []
    for run in parse_inline(source):
        if run.href is None or (m := CITATION.search(run.text)) is None:
            continue
        written = re.search(r"(?<!\\)" + re.escape(m.group(0)), source)
        if written is None:  # written escaped (`\\[@a]`): a literal bracket, not a citation
            continue
        at = written.start()
        message = (
            f"`{m.group(0)}` is inside a link's label, where it would print as written; "
            f"put it after the link: `[label](url) {m.group(0)}`"
        )
        out.append(Problem(at, m.group(0), message))
    return out


def _group_problem(group: str) -> str | None:
    items = group[1:-1].split(";")
    for item in items:
        if not item.strip():
            return "has an empty entry: write `[@a; @b]`"
        m = _ITEM_LOOSE.fullmatch(item)
        if m is None:
            if item.strip() == "@":
                return "is not a citation: the id after `@` is missing (write `[@id]`)"
            if re.match(r"\s*@\s", item):
                return "is not a citation: no space may follow `@` (write `[@id]`)"
            return (
                "is not a citation: each entry is `@id` and an optional locator (`[@a, p. 4; @b]`)"
            )
        locator = m.group(1)
        if locator is not None:
            if "@" in locator:
                return "is not a citation: separate sources with `;`, not `,` (write `[@a; @b]`)"
            if not locator.strip():
                return "has an empty locator after `,` (write `[@a, p. 4]`)"
    return None


def _emphasis_problems(source: str) -> list[Problem]:
    """Asterisks markdown-it did not pair into bold or italic, located by what follows them."""
    if "*" not in source:
        return []
    masked = source.replace("\\*", "\ue000\ue000")
    tokens = _parser().parse(masked)
    out: list[Problem] = []
    start = 0
    for token in tokens:
        for child in token.children or []:
            if child.type != "text" or "*" not in child.content:
                continue
            for m in _STARS.finditer(child.content):
                before = child.content[m.start() - 1 : m.start()]
                after = child.content[m.end() : m.end() + 1]
                if (not before or before.isspace()) and (not after or after.isspace()):
                    continue  # "5 * 3": a lone asterisk between spaces is text
                context = child.content[m.start() : m.start() + 12]
                where = masked.find(context, start)
                if where < 0:
                    where = masked.find(m.group(0), start)
                start = max(where, 0) + 1
                kind = "bold" if len(m.group(0)) >= 2 else "italic"
                message = f"`{m.group(0)}` opens {kind} text that is never closed"
                if (
                    where >= 0
                    and before
                    and not before.isspace()
                    and (not after or after.isspace())
                ):
                    message = f"`{m.group(0)}` closes {kind} text that was never opened"
                out.append(Problem(max(where, 0), m.group(0), message, "warning"))
    return out
