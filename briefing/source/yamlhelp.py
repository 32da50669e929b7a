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

import yaml

from briefing.errors import SourceError, Span
from briefing.source.yamlindent import (
    body_without_bar,
    no_space_after_dash,
    out_of_line,
    tab,
)
from briefing.source.yamllines import Found, Problem, quoted, shown

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


def _open_bracket(p: Problem) -> tuple[str, int, int] | None:
    """The innermost `[` or `{` still open at the problem: its character, line and column.

    Why: at the end of the file the parser says only "while parsing a flow node", with
    its mark after the last line, where no bracket is to be seen.
    """
    stack: list[tuple[str, int, int]] = []
    quote = ""
    for number, line in enumerate(p.raw[: p.line], start=1):
        end = p.column - 1 if number == p.line else len(line)
        for i, char in enumerate(line[:end]):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"" and (i == 0 or line[i - 1] in " [{,:"):
                quote = char
            elif char == "#" and (i == 0 or line[i - 1] == " "):
                break
            elif char in "[{":
                stack.append((char, number, i + 1))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _flow(p: Problem) -> Found:
    if "flow" not in p.context:
        return None
    if "flow node" in p.context and (opened := _open_bracket(p)) is not None:
        char, line, column = opened
        what, closing = ("list", "]") if char == "[" else ("mapping", "}")
        message = (
            f"the {what} opened with this `{char}` is never closed with `{closing}`: close "
            f"it, or put a text that starts with `{char}` in quotes"
        )
        return line, column, message
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
    tab,
    _unclosed_quote,
    _quote_runs_on,
    _no_space_after_colon,
    _no_colon,
    body_without_bar,
    _starts_with_symbol,
    _undefined_alias,
    _text_after_quote,
    no_space_after_dash,
    out_of_line,
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
