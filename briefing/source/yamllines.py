"""Raw source lines taken apart, and the parser's problem beside them: what the rules read.

Why: the YAML parser's nodes are gone when it fails, so the rules in
``yamlhelp`` and ``yamlindent`` read the lines the author wrote: indentation,
``- `` prefixes, the key and the value, and where the parser stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


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
