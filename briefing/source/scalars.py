"""One check per scalar value type of the format, each with its messages beside it.

Why: ``schema.py`` says what each key holds; these functions say how a YAML
scalar becomes that value, or why it cannot. Each records its problem in the
``Context`` and returns None, so the walk goes on and reports every problem.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from briefing.model import MONTH_NAMES, PartialDate
from briefing.source import dates
from briefing.source.context import Context, Reference, TextRef
from briefing.source.schematypes import (
    SOURCE_ID_REGEX,
    Choice,
    Date,
    Marking,
    Number,
    Pattern,
    Text,
    expected,
)
from briefing.source.suggest import Suggester, short
from briefing.source.yamlsrc import Scalar


def _invisible(value: str) -> str | None:
    """ "is empty" with the code points, when ``value`` holds only format characters
    (U+200B zero width space, U+2060 word joiner, bidi marks…): it would print as nothing,
    a title or marking that is not there while the source looks filled in."""
    if value and all(unicodedata.category(c) == "Cf" or c.isspace() for c in value):
        codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(value) if not c.isspace())
        return f"is empty: it holds only invisible characters ({codes})"
    return None


def text(ctx: Context, node: Scalar, typ: Text, path: str) -> str | None:
    """Any scalar's own characters, trimmed; remembered for the citation and link checks."""
    value = node.text.strip()
    if not value or (blank := _invisible(value)) is not None:
        ctx.error(node.span, path, blank if value else "is empty")
        return None
    if len(value) > typ.max_length:
        ctx.error(
            node.span,
            path,
            f"is {len(value):,} characters long; it may be at most {typ.max_length:,}",
        )
        return None
    if typ.markup == "blocks" and node.folded_item is not None:
        key = path.rsplit(".", 1)[-1]
        message = (
            f"line {node.folded_item} starts a list item, but without `|` after `{key}:` YAML "
            f"joins the lines into one paragraph and the list is lost; write `{key}: |`"
        )
        ctx.error(node.span, path, message)
        return None
    ctx.texts.append(TextRef(path, node.span, value, blocks=typ.markup == "blocks"))
    if typ.heading:
        ctx.headings.append(value)
    return value


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date(ctx: Context, node: Scalar, typ: Date, path: str) -> PartialDate | dt.date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → a PartialDate (a ``date`` when ``full``)."""
    value = node.text.strip()
    m = _DATE.fullmatch(value)
    if m is None:
        form = "YYYY-MM-DD" if typ.full else "YYYY, YYYY-MM or YYYY-MM-DD"
        hint = dates.hint(value, full=typ.full)
        ctx.error(node.span, path, f"`{short(value)}` is not a date written {form}{hint}")
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    if typ.full and day is None:
        ctx.error(node.span, path, f"needs a full date (YYYY-MM-DD), got `{value}`")
        return None
    if year == 0:
        ctx.error(node.span, path, f"`{value}` is not a real date: there is no year 0")
        return None
    if month is not None and not 1 <= month <= 12:
        ctx.error(node.span, path, f"`{value}` is not a real date: there is no month {month}")
        return None
    if month is not None and day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            month_name = f"{MONTH_NAMES[month - 1]} {year}"
            message = f"`{value}` is not a real date: {month_name} has no day {day}"
            ctx.error(node.span, path, message)
            return None
    partial = PartialDate(year, month, day)
    return partial.first_day() if typ.full else partial


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def number(ctx: Context, node: Scalar, typ: Number, path: str) -> float | None:
    """A decimal number written without quotes, within the type's range."""
    value = node.text.strip()
    if not _NUMBER.fullmatch(value):
        ctx.error(node.span, path, f"expected {expected(typ)}, got `{short(value)}`")
        return None
    if not node.plain:
        ctx.error(node.span, path, f'expected a number, got the text "{value}" (remove the quotes)')
        return None
    result = float(value)
    if not (math.isfinite(result) and typ.minimum <= result <= typ.maximum):
        ctx.error(node.span, path, f"must be from {typ.minimum:g} to {typ.maximum:g}, got {value}")
        return None
    return result


_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


def boolean(ctx: Context, node: Scalar, path: str) -> bool | None:
    """``true``/``false`` (YAML 1.2 spellings) without quotes: a quoted "true" is text.

    YAML 1.1's ``yes``/``no``/``on``/``off`` are refused, so ``no`` cannot mean false
    here while it means the word "no" in every text.
    """
    value = node.text.strip()
    if value in _TRUE | _FALSE:
        if node.plain:
            return value in _TRUE
        ctx.error(
            node.span, path, f'expected true or false, got the text "{value}" (remove the quotes)'
        )
        return None
    ctx.error(node.span, path, f"expected true or false, got `{short(value)}`")
    return None


def choice(ctx: Context, node: Scalar, typ: Choice, path: str) -> str | None:
    """One of the options in any letter case, normalised to the declared spelling."""
    value = node.text.strip()
    for option in typ.options:
        if value.lower() == option.lower():
            return option
    ctx.error(node.span, path, f"expected {expected(typ)}, got `{short(value)}`")
    return None


def pattern(ctx: Context, node: Scalar, typ: Pattern, path: str) -> str | None:
    value = node.text.strip()
    if len(value) > typ.max_length or not re.fullmatch(typ.regex, value):
        ctx.error(node.span, path, f"`{short(value)}` is not valid here: use {typ.rule}")
        return None
    return value


def source_id(ctx: Context, node: Scalar, path: str) -> str | None:
    """A source's own id; the first of two equal ids wins, the second is reported."""
    value = node.text.strip()
    if len(value) > 100 or not re.fullmatch(SOURCE_ID_REGEX, value):
        ctx.error(
            node.span,
            path,
            f"`{short(value)}` is not a valid source id: use letters, digits, `_` and `-`",
        )
        return None
    first = ctx.source_ids.get(value)
    if first is not None:
        ctx.error(
            node.span, path, f"the source id `{value}` is used twice (first on line {first.line})"
        )
        return None
    ctx.source_ids[value] = node.span
    return value


def reference(ctx: Context, node: Scalar, path: str, refs: list[Reference]) -> str | None:
    value = node.text.strip()
    if not value:
        ctx.error(node.span, path, "is empty")
        return None
    refs.append(Reference(path, node.span, value))
    return value


#: Labels from TLP 1.0 that readers still write, with their TLP 2.0 name.
_TLP_RENAMED = {"TLP:WHITE": "TLP:CLEAR"}


def marking(ctx: Context, node: Scalar, typ: Marking, path: str) -> str | None:
    """Any text, except that a ``TLP…`` marking must be spelled as a TLP 2.0 label."""
    value = node.text.strip()
    if not value or (blank := _invisible(value)) is not None:
        ctx.error(node.span, path, blank if value else "is empty")
        return None
    if not value.upper().startswith("TLP") or value in typ.labels:
        return value
    labels = ", ".join(typ.labels)
    renamed = _TLP_RENAMED.get(value.upper())
    if renamed is not None:
        hint = f"; `{value}` is TLP 1.0, use `{renamed}`"
    else:
        hint = Suggester(typ.labels).hint(value)
    ctx.error(node.span, path, f"`{short(value)}` is not a TLP 2.0 label ({labels}){hint}")
    return None
