"""YAML syntax errors, said in the author's terms, with what to type instead.

Why: the YAML parser reports where it gave up in its own vocabulary ("while
scanning an alias", "did not find expected '-' indicator (while parsing a block
collection)"), which names neither the mistake nor the fix. The mistakes people
really make are few: a text starting with `*`, `@`, `[` or `&` without quotes, a
`: ` inside a text, a `body:` without `|`, a key one space out of line, a dash
without its space, text after a closing quote, an unclosed quote or bracket.
Each rule below recognises one of them from the parser's problem and the raw
lines, and says what to type; an error no rule recognises keeps the parser's
words, after a plain explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from briefing.errors import SourceError, Span


@dataclass(frozen=True, slots=True)
class Line:
    """One raw source line taken apart: indentation, ``- `` prefixes, key and value."""

    number: int  # from 1
    text: str
    key: str | None  # ``title`` in ``title: x``
    column: int  # 0-based column of the key (or of the value, when there is no key)
    dashes: int  # how many ``- `` prefixes the line has
    value: str  # what follows ``key: `` (or the whole item), comments included
    value_column: int

    @property
    def blank(self) -> bool:
        stripped = self.text.strip()
        return not stripped or stripped.startswith("#")

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))


_KEY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?=\s|$)")


def split(number: int, text: str) -> Line:
    """A raw line → its parts (good enough for the lines people write in sources)."""
    col = len(text) - len(text.lstrip(" "))
    dashes = 0
    while text[col : col + 2] in ("- ", "-\t") or text[col:].rstrip() == "-":
        dashes += 1
        col += 1
        while col < len(text) and text[col] in " \t":
            col += 1
    key = None
    value_col = col
    m = _KEY.match(text, col)
    if m is not None:
        key = m.group(1)
        value_col = m.end()
        while value_col < len(text) and text[value_col] in " \t":
            value_col += 1
    return Line(number, text, key, col, dashes, text[value_col:].rstrip(), value_col)


def quoted(value: str) -> str:
    """``value`` as a YAML quoted text: double quotes unless it holds one."""
    if '"' not in value:
        return '"' + value.replace("\\", "\\\\") + '"'
    return "'" + value.replace("'", "''") + "'"


def shown(line: Line, value: str) -> str:
    """The fixed line as a message shows it: no indentation, a long value cut in the middle."""
    prefix = line.text[line.column - 2 * line.dashes : line.value_column].lstrip()
    if line.dashes and not prefix.startswith("-"):
        prefix = "- " * line.dashes + prefix
    if len(value) > 70:
        value = value[:48] + "…" + value[-16:]
    return f"`{prefix}{value}`"


class Problem:
    """What the parser reported, with the raw lines to look at."""

    def __init__(self, exc: yaml.MarkedYAMLError, text: str) -> None:
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        mark = exc.problem_mark or exc.context_mark
        self.line = mark.line + 1 if mark is not None else 1
        self.column = mark.column + 1 if mark is not None else 1
        self.context_line = exc.context_mark.line + 1 if exc.context_mark else self.line
        self.context_column = exc.context_mark.column + 1 if exc.context_mark else self.column
        self.raw = text.splitlines()

    def at(self, number: int) -> Line:
        text = self.raw[number - 1] if 0 < number <= len(self.raw) else ""
        return split(number, text)

    def parsers_words(self) -> str:
        words = self.problem or self.context or "unreadable"
        if self.context and self.problem:
            at = self.context_line
            started = f" started at line {at}" if at != self.line else ""
            words += f" ({self.context}{started})"
        return words


#: (line, column, message) a rule found, or None when it does not apply.
Found = tuple[int, int, str] | None


def _tab(p: Problem) -> Found:
    for number in (p.line, p.context_line):
        text = p.at(number).text
        lead = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in lead:
            message = "this line is indented with a tab; YAML indents with spaces only: use spaces"
            return number, lead.index("\t") + 1, message
    return None


def _parent(p: Problem, number: int) -> Line | None:
    """The nearest line above ``number`` that is less indented (its key holds this line)."""
    indent = p.at(number).indent
    for above in range(number - 1, 0, -1):
        line = p.at(above)
        if not line.blank and line.indent < indent:
            return line
    return None


def _body_without_bar(p: Problem) -> Found:
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

_MEANINGS = {
    "*": "an alias (a reference to a value named elsewhere with `&`)",
    "&": "an anchor (a name for a value, to repeat it elsewhere with `*`)",
    "!": "a tag (a type for the value)",
    "@": "a reserved character",
    "`": "a reserved character",
    "%": "a directive",
    "[": "the start of a list",
    "{": "the start of a mapping",
    "|": "the start of a block of lines",
    ">": "the start of a folded block of lines",
}


def _starts_with_symbol(p: Problem) -> Found:
    """A text starting with ``*``, ``&``, ``@``, ``[``… written without quotes."""
    line = p.at(p.line)
    value = line.value
    first = value[:1]
    if first not in _MEANINGS or line.number != p.line:
        return None
    if first in "[{":
        end = _matching(value)
        after = value[end + 1 :].strip() if end >= 0 else ""
        if not (value[1:2] == "@" or (after and not after.startswith("#"))):
            return None  # a real list or mapping: another rule says what is wrong in it
    if "alias" in p.parsers_words() and first != "*":
        return None
    message = (
        f"a text that starts with `{first}` must be in quotes, or YAML reads the `{first}` as "
        f"{_MEANINGS[first]}; write {shown(line, quoted(value))}"
    )
    return line.number, line.value_column + 1, message


def _matching(value: str) -> int:
    """Index of the bracket closing the one ``value`` starts with (nesting counted), or -1."""
    depth = 0
    for i, char in enumerate(value):
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _undefined_alias(p: Problem) -> Found:
    if not p.problem.startswith("found undefined alias") and "alias" not in p.context:
        return None
    line = p.at(p.line)
    index = line.text.find("*", max(p.column - 1, 0))
    column = index + 1 if index >= 0 else p.column
    message = (
        "a text containing `*` at the start of a line or value must be in quotes, or YAML reads "
        f"`*` as {_MEANINGS['*']}; write {shown(line, quoted(line.value))}"
    )
    return p.line, column, message


def _no_space_after_colon(p: Problem) -> Found:
    if "simple key" not in p.context:
        return None
    line = p.at(p.context_line)
    m = re.match(r"\s*(?:-\s+)*([A-Za-z_][\w-]*):(\S.*)$", line.text)
    if m is None:
        return None
    key, value = m.groups()
    message = (
        f"`{key}:{value[:30]}` needs a space after the colon, or YAML does not see a key; "
        f"write `{key}: {value[:30]}`"
    )
    return line.number, line.text.index(":") + 1, message


def _no_colon(p: Problem) -> Found:
    """``type state``: a key without its colon, read as text running into the next line."""
    if "simple key" not in p.context:
        return None
    line = p.at(p.context_line)
    m = re.match(r"(\s*(?:-\s+)*)([A-Za-z_][\w-]*) +(\S.*)$", line.text)
    if m is None or line.key is not None:
        return None
    lead, key, value = m.groups()
    shown_value = value if len(value) <= 30 else value[:29] + "…"
    message = (
        f"`{key}` has no `:` after it, so YAML cannot tell the key from the value; "
        f"write `{key}: {shown_value}`"
    )
    return line.number, len(lead) + len(key) + 1, message


def _no_space_after_dash(p: Problem) -> Found:
    for number in dict.fromkeys((p.line, p.line - 1)):
        line = p.at(number)
        m = re.match(r"(\s*)-([^\s\-].*)$", line.text)
        if m is not None and not line.blank:
            fixed = f"- {m.group(2)}"
            fixed = fixed if len(fixed) <= 60 else fixed[:59] + "…"
            message = f"a list item needs a space after its dash; write `{fixed}`"
            return number, len(m.group(1)) + 1, message
    return None


def _text_after_quote(p: Problem) -> Found:
    line = p.at(p.line)
    value = line.value
    if value[:1] not in ("'", '"'):
        return None
    q = value[0]
    end = 1
    while True:
        end = value.find(q, end)
        if end < 0:
            return None
        if q == "'" and value[end + 1 : end + 2] == "'":
            end += 2
            continue
        if q == '"' and value[end - 1] == "\\":
            end += 1
            continue
        break
    after = value[end + 1 :].strip()
    if not after or after.startswith("#"):
        return None
    rest = value[end + 1 :]
    rest = rest[:-1] if rest.endswith(q) else rest  # the author's closing quote, at the end
    whole = value[1:end] + rest
    message = (
        "text follows the closing quote; put the whole text inside the quotes: "
        f"{shown(line, quoted(whole))}"
    )
    return line.number, line.value_column + end + 2, message


def _out_of_line(p: Problem) -> Found:
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


def _quote_runs_on(p: Problem) -> Found:
    """A quote opened and not closed on its line: YAML reads on into the next lines."""
    for number in dict.fromkeys([p.context_line, *range(p.line, max(p.line - 30, 0), -1)]):
        line = p.at(number)
        value = line.value
        if value[:1] not in ("'", '"') or (number == p.line and line.value_column >= p.column - 1):
            continue
        q = value[0]
        rest = value[1:].replace("''", "") if q == "'" else re.sub(r"\\.", "", value[1:])
        if q not in rest:
            message = (
                f"the quote `{q}` opened here is not closed on its line, so YAML reads on into "
                f"line {number + 1}; end the text with `{q}` on this line"
            )
            return number, line.value_column + 1, message
    return None


def _colon_in_text(p: Problem) -> Found:
    if "mapping values are not allowed" not in p.problem:
        return None
    line = p.at(p.line)
    value = line.value
    if line.key is None or not value:
        return None
    message = (
        "this text contains `: `, which YAML reads as the start of a value; put the text in "
        f"quotes: {shown(line, quoted(value))}"
    )
    return p.line, p.column, message


def _unclosed_quote(p: Problem) -> Found:
    if "quoted scalar" not in p.context:
        return None
    line = p.at(p.context_line)
    q = line.text[p.context_column - 1 : p.context_column] or '"'
    if "escape" in p.problem:
        message = (
            "a `\\` inside double quotes starts an escape such as `\\n`; write `\\\\` for a "
            "backslash, or use single quotes"
        )
        return p.line, p.column, message
    message = f"the quote `{q}` opened here is never closed; end the text with `{q}`"
    return p.context_line, p.context_column, message


def _flow(p: Problem) -> Found:
    if "flow" not in p.context:
        return None
    opening, closing = ("[", "]") if "sequence" in p.context else ("{", "}")
    what = "list" if opening == "[" else "mapping"
    start = p.at(p.context_line)
    text = "\n".join(p.raw[p.context_line - 1 : p.line])
    if text.count(opening) > text.count(closing):
        message = (
            f"the {what} opened with `{opening}` on line {start.number} is not closed with "
            f"`{closing}` on its line, or a text in it holds `{opening}`: close it, and put any "
            "text holding `[`, `]`, `{`, `}`, `,` or `: ` in quotes"
        )
    else:
        message = (
            f"in the {what} `{opening}…{closing}`, a comma, bracket or `: ` inside a text "
            f"(or a missing comma) ends an item early; put such a text in quotes: "
            f'`{opening}"a, b", c{closing}`'
        )
    return p.line, p.column, message


_RULES: tuple[Callable[[Problem], Found], ...] = (
    _tab,
    _unclosed_quote,
    _quote_runs_on,
    _no_space_after_colon,
    _no_colon,
    _body_without_bar,
    _starts_with_symbol,
    _undefined_alias,
    _text_after_quote,
    _no_space_after_dash,
    _out_of_line,
    _colon_in_text,
    _flow,
)


def explain(exc: yaml.MarkedYAMLError, text: str, file: str) -> SourceError:
    """The parser's error → one located message that names the mistake and the fix."""
    p = Problem(exc, text)
    for rule in _RULES:
        found = rule(p)
        if found is not None:
            line, column, message = found
            return SourceError(Span(file, line, column), "", f"invalid YAML: {message}")
    message = (
        "invalid YAML: it cannot be read from here on: check the quoting and indentation of "
        f"this line and the one above (the YAML parser says: {p.parsers_words()})"
    )
    return SourceError(Span(file, p.line, p.column), "", message)
