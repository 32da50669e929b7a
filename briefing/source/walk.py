"""Every printable value of a ``Briefing``, found by walking the declared schema.

Why: the glyph preflight and ``briefing verify`` must see *every* text of a
source, including keys added to the format later. A hand-written list of
fields silently misses new ones (it once missed ``authors``); walking
``schema.BRIEFING`` next to the model cannot, because the loader builds the
model from the same declarations. Each value comes with its key path and the
position it was written at, so a problem about it is a located line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from briefing.errors import Span
from briefing.model import Briefing, PartialDate
from briefing.source.schema import BRIEFING
from briefing.source.schematypes import Date, ListOf, Marking, Struct, Text, Url

#: ``text``: inline Markdown; ``blocks``: a section body (paragraphs, lists); ``marking``:
#: the handling marking (printed in the banners); ``date``: a date printed in its human
#: form; ``url``: a link target printed as written.
Kind = Literal["text", "blocks", "marking", "date", "url"]


@dataclass(frozen=True, slots=True)
class Item:
    """One printable value: where it is in the source and what it holds.

    ``group`` is the key path of the innermost list item of structures it belongs
    to (``actors[2]`` for ``actors[2].ties[0]``), or ``""`` for top-level values:
    the values of one group are printed together (a table row, a source entry).
    """

    path: str
    span: Span
    value: str | PartialDate | dt.date
    kind: Kind
    group: str


def walk(b: Briefing) -> Iterator[Item]:
    """Every printable value of ``b`` in the order the schema declares them."""
    yield from _struct(b, b, BRIEFING, "", "")


def texts(b: Briefing) -> Iterator[Item]:
    """The values that are source text (Markdown or marking): what fonts must draw."""
    return (item for item in walk(b) if item.kind in ("text", "blocks", "marking"))


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _struct(b: Briefing, obj: object, struct: Struct, prefix: str, group: str) -> Iterator[Item]:
    for spec in struct.fields:
        value = getattr(obj, spec.key, None)
        if value is None or value == ():
            continue
        path = _join(prefix, spec.key)
        typ = spec.type
        if isinstance(typ, ListOf):
            for i, item in enumerate(value):  # type: ignore[arg-type]
                item_path = f"{path}[{i}]"
                if isinstance(typ.item, Struct):
                    yield from _struct(b, item, typ.item, item_path, item_path)
                else:
                    yield from _value(b, item, typ.item, item_path, group)
        elif isinstance(typ, Struct):
            yield from _struct(b, value, typ, path, group)
        else:
            yield from _value(b, value, typ, path, group)


def _value(b: Briefing, value: object, typ: object, path: str, group: str) -> Iterator[Item]:
    kind: Kind | None = None
    match typ:
        case Text(markup="blocks"):
            kind = "blocks"
        case Text():
            kind = "text"
        case Marking():
            kind = "marking"
        case Date():
            kind = "date"
        case Url():
            kind = "url"
    if kind is not None and isinstance(value, str | PartialDate | dt.date):
        yield Item(path, b.span_of(path), value, kind, group)
