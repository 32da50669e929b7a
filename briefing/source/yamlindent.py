"""Indentation and structure mistakes: keys out of line, a ``body:`` without ``|``, tabs, dashes.

Why: YAML's structure is its indentation, so one space more or less, a tab, or a
dash without its space changes what a file means or stops the parser far from the
mistake. These rules compare the raw lines (columns of sibling keys and items)
to name the line to change and what to type; ``yamlhelp`` tries them in order.
"""

from __future__ import annotations

import re

from briefing.source.yamllines import Found, Line, Problem


def _parent(p: Problem, number: int) -> Line | None:
    """The nearest line above ``number`` that is less indented (its key holds this line)."""
    indent = p.at(number).indent
    for above in range(number - 1, 0, -1):
        line = p.at(above)
        if not line.blank and line.indent < indent:
            return line
    return None


def body_without_bar(p: Problem) -> Found:
    """``body:`` followed by indented text lines: without ``|`` YAML reads them as YAML."""
    for number in dict.fromkeys((p.context_line, p.line)):
        line = p.at(number)
        if line.blank:
            continue
        parent = _parent(p, number)
        if parent is None or parent.key is None or parent.value:
            continue
        first = next(
            (p.at(n) for n in range(parent.number + 1, number + 1) if not p.at(n).blank), None
        )
        if first is None or first.key is not None or (first.dashes and parent.key not in _BLOCKS):
            continue
        starts = first.text.lstrip()[:1]
        why = (
            f"so the `{starts}` starting line {first.number} has a meaning in YAML"
            if starts in "*&!@`[{%"
            else "so YAML reads the lines below it as keys and lists, not as text"
        )
        message = (
            f"`{parent.key}:` is followed by text on the lines below without `|`, {why}; "
            f"write `{parent.key}: |` to keep the lines as written, paragraphs and `- ` lists "
            "included"
        )
        return parent.number, parent.column + 1, message
    return None


def _block_text_keys() -> frozenset[str]:
    """Keys whose value is text with paragraphs and lists (``body``): a list under one is text."""
    from briefing.source.schema import STRUCTS
    from briefing.source.schematypes import Text

    return frozenset(
        f.key
        for s in STRUCTS
        for f in s.fields
        if isinstance(f.type, Text) and f.type.markup == "blocks"
    )


_BLOCKS = _block_text_keys()


def no_space_after_dash(p: Problem) -> Found:
    for number in dict.fromkeys((p.line, p.line - 1)):
        line = p.at(number)
        m = re.match(r"(\s*)-([^\s\-].*)$", line.text)
        if m is not None and not line.blank:
            fixed = f"- {m.group(2)}"
            fixed = fixed if len(fixed) <= 60 else fixed[:59] + "…"
            message = f"a list item needs a space after its dash; write `{fixed}`"
            return number, len(m.group(1)) + 1, message
    return None


def out_of_line(p: Problem) -> Found:
    """A key (or ``- `` item) one or two spaces left or right of the ones it belongs with."""
    indentation = (
        "expected '-' indicator",
        "expected key",
        "expected <block end>",
        "mapping values are not allowed",
    )
    if not any(words in p.problem for words in indentation):
        return None
    line = p.at(p.line)
    if line.blank:
        return None
    dash = line.dashes > 0
    mine = line.indent if dash else line.column
    for above in range(line.number - 1, 0, -1):
        other = p.at(above)
        if other.blank:
            continue
        if dash:
            if other.dashes == 0:
                if other.column < mine:
                    return None
                continue
            theirs = other.indent
            what, their_name = "this `- ` item", "the `- ` item"
        else:
            if other.key is None:
                if other.column <= mine:
                    return None
                continue
            theirs = other.column
            what, their_name = f"`{line.key or line.value[:20]}`", f"`{other.key}`"
        if theirs == mine:
            return None
        if theirs > mine + 2:
            continue
        if theirs < mine and (theirs < mine - 2 or (not dash and not other.value)):
            return None  # less indented: ``map:`` holding ``title:`` is not a sibling
        if _odd_one_is(p, other, line, mine, dash):
            line, other, mine, theirs = other, line, theirs, mine
            what, their_name = their_name, what
            what = what if dash else f"`{line.key}`"
        more = theirs - mine
        fix = f"{abs(more)} more space{'s' if abs(more) > 1 else ''}" if more > 0 else None
        fix = fix or f"{abs(more)} space{'s' if abs(more) > 1 else ''} less"
        message = (
            f"{what} is out of line with {their_name} on line {other.number}: it starts in "
            f"column {mine + 1}, {their_name} in column {theirs + 1}; the items of one list and "
            f"the keys of one mapping must start in the same column (indent it by {fix})"
        )
        return line.number, mine + 1, message
    return None


def _odd_one_is(p: Problem, other: Line, line: Line, mine: int, dash: bool) -> bool:
    """Whether ``other`` (above) rather than ``line`` is out of line with the keys around them.

    ``title`` at column 2 between ``region`` and ``caption`` at column 3 is the odd
    one out; so is a first key one space left of all the keys after it.
    """

    def column(n: int, step: int) -> int | None:
        while 0 < n <= len(p.raw):
            near = p.at(n)
            if not near.blank:
                return near.indent if dash else near.column
            n += step
        return None

    before, after = column(other.number - 1, -1), column(line.number + 1, 1)
    parent_above = before is not None and before < min(mine, other.indent if dash else other.column)
    return before == mine or (parent_above and after == mine)


def tab(p: Problem) -> Found:
    for number in (p.line, p.context_line):
        text = p.at(number).text
        lead = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in lead:
            message = "this line is indented with a tab; YAML indents with spaces only: use spaces"
            return number, lead.index("\t") + 1, message
    return None
