"""Citations and emphasis in texts: malformed groups (errors), unclosed ``**``/``*`` and
sources nothing cites (warnings), each at the line where it was written.

Why: a citation that does not parse would print raw (``[@a, @b]`` on the page), so it
is an error at load, like an unknown id; a stray ``**`` only looks odd, so it warns.
The walk keeps the scalar's start position only; the exact line of a problem inside a
multi-line body is found by looking for what was written in the file's own lines
(the n-th occurrence after the scalar starts), else the scalar's start is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from briefing.errors import SourceError, Span
from briefing.source import markdown
from briefing.source.context import Context, TextRef


def check_texts(ctx: Context, lines: Sequence[str]) -> list[SourceError]:
    """Errors go to ``ctx``; warnings are returned (they do not stop the load)."""
    warnings: list[SourceError] = []
    for ref in ctx.texts:
        if "[@" not in ref.text and "*" not in ref.text:
            continue
        for problem in markdown.problems(ref.text):
            span = locate(lines, ref, problem.offset, problem.found)
            if problem.severity == "error":
                ctx.error(span, ref.path, problem.message)
            else:
                warnings.append(SourceError(span, ref.path, problem.message, "warning"))
    return warnings


def uncited(ctx: Context, cited: Iterable[str]) -> list[SourceError]:
    """A warning at each source that no citation and no ``source:`` field names."""
    used = set(cited) | {ref.name for ref in ctx.source_refs}
    where = {span: path for path, span in ctx.locations.items() if path.endswith(".id")}
    out: list[SourceError] = []
    for source_id, span in ctx.source_ids.items():
        if source_id not in used:
            path = where.get(span, "sources")
            message = f"the source `{source_id}` is never cited (no `[@{source_id}]`, no `source:`)"
            out.append(SourceError(span, path, message, "warning"))
    return out


def cited_ids(ctx: Context) -> list[str]:
    """Every id cited in a text (well-formed groups only)."""
    out: list[str] = []
    for ref in ctx.texts:
        if "[@" in ref.text:
            out += markdown.references(ref.text, blocks=ref.blocks)[0]
    return out


def locate(lines: Sequence[str], ref: TextRef, offset: int, found: str) -> Span:
    """Where ``found`` (at ``offset`` in the text) was written in the file."""
    needle = found.split("\n", 1)[0][:30]
    if not needle or not lines:
        return ref.span
    nth = ref.text.count(needle, 0, offset)
    line_no, column = ref.span.line, ref.span.column
    seen = 0
    for index in range(line_no - 1, len(lines)):
        line = lines[index]
        start = column - 1 if index == line_no - 1 else 0
        hit = line.find(needle, start)
        while hit >= 0:
            if seen == nth:
                return Span(ref.span.file, index + 1, hit + 1)
            seen += 1
            hit = line.find(needle, hit + len(needle))
    return ref.span
