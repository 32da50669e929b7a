"""One check per value type of the format, each with its messages beside it.

Why: ``schema.py`` says what each key holds; this module says how a YAML node
becomes that value, or why it cannot. Every check records its problem in the
``Context`` and returns None, so the loader can go on and report every problem
of a file in one run. Cross-references (citations, ``source:``, ``after:``) are
only collected here; ``load.py`` resolves them once the whole file is read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from briefing.errors import SourceError, Span
from briefing.model import MONTH_NAMES, PartialDate
from briefing.source.geojson import geojson_file, south_not_above_north
from briefing.source.schematypes import (
    SOURCE_ID_REGEX,
    Bool,
    Choice,
    Date,
    FieldType,
    GeoJsonPath,
    HeadingRef,
    ImagePath,
    ListOf,
    Marking,
    Number,
    Pattern,
    SourceId,
    SourceRef,
    Struct,
    Text,
    Url,
    expected,
)
from briefing.source.yamlsrc import Mapping, Node, Rejected, Scalar, Sequence, describe, join


@dataclass(frozen=True, slots=True)
class TextRef:
    """A text whose citations and links are checked once ``sources`` is known."""

    path: str
    span: Span
    text: str
    blocks: bool


@dataclass(frozen=True, slots=True)
class Reference:
    """A value naming something elsewhere in the file: a source id or a section heading."""

    path: str
    span: Span
    name: str


@dataclass(slots=True)
class Context:
    """What one file's walk collects: errors, positions and references to resolve later."""

    file: str
    root: Path
    errors: list[SourceError] = field(default_factory=list)
    locations: dict[str, Span] = field(default_factory=dict)
    texts: list[TextRef] = field(default_factory=list)
    source_ids: dict[str, Span] = field(default_factory=dict)
    source_refs: list[Reference] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    after_refs: list[Reference] = field(default_factory=list)
    suggesters: dict[str, Suggester] = field(default_factory=dict)

    def error(self, span: Span, path: str, message: str) -> None:
        self.errors.append(SourceError(span, path, message))

    def suggester(self, kind: str, names: Iterable[str]) -> Suggester:
        """One ``Suggester`` per kind of name (a structure's keys, source ids…) per file."""
        if kind not in self.suggesters:
            self.suggesters[kind] = Suggester(names)
        return self.suggesters[kind]


class Suggester:
    """Did-you-mean over a fixed set of names, with a bounded cost per file.

    The same spelling ignoring case, ``_``, ``-``, ``:`` and spaces is found at
    once; otherwise difflib compares the word with every name, which is
    costly for thousands of bad citations against thousands of ids, so those
    comparisons stop after ``budget`` and later words get no suggestion.
    """

    def __init__(self, names: Iterable[str], budget: int = 50_000) -> None:
        self.by_squash: dict[str, str] = {}
        self.by_lower: dict[str, str] = {}
        for name in names:
            self.by_squash.setdefault(_squash(name), name)
            self.by_lower.setdefault(name.lower(), name)
        self.budget = budget

    def suggest(self, word: str) -> str | None:
        match = self.by_squash.get(_squash(word))
        if match is not None or len(self.by_lower) > self.budget:
            return match
        self.budget -= len(self.by_lower)
        close = difflib.get_close_matches(word.lower(), list(self.by_lower), n=1, cutoff=0.6)
        return self.by_lower[close[0]] if close else None

    def hint(self, word: str) -> str:
        """``; did you mean `x`?`` or nothing: the tail of a message about an unknown name."""
        match = self.suggest(word)
        return f"; did you mean `{match}`?" if match is not None else ""


def _squash(text: str) -> str:
    return re.sub(r"[\s_:+-]", "", text.lower())


def short(text: str, limit: int = 60) -> str:
    """A value quoted in a message, cut so that one absurd value cannot flood the terminal."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- structures and lists ----------------------------------------------------


def convert_struct(ctx: Context, node: Node, struct: Struct, path: str) -> dict[str, object] | None:
    """A mapping → its checked values by key; None when a required key is missing or bad.

    Unknown keys, missing keys and bad values are all reported; optional keys
    with a bad value are left out so the rest of the structure is still checked.
    """
    if not isinstance(node, Mapping):
        ctx.error(node.span, path, f"expected {expected(struct)}, got {describe(node)}")
        return None
    refused = dict(struct.refused)
    known = [f.key for f in struct.fields]
    values: dict[str, object] = {}
    given: set[str] = set()
    complete = True
    for entry in node.entries:
        key_path = join(path, short(entry.key, 40))
        spec = struct.field(entry.key)
        if spec is None:
            if entry.key in refused:
                ctx.error(entry.key_span, key_path, refused[entry.key])
            else:
                hint = ctx.suggester(f"{struct.name} keys", known).hint(entry.key)
                hint = hint or f"; the keys are: {', '.join(known)}"
                where = "at the top level" if not path else f"in {struct.noun}"
                ctx.error(entry.key_span, key_path, f"unknown key {where}{hint}")
            continue
        given.add(spec.key)
        value = entry.value
        if isinstance(value, Scalar) and value.is_null:
            if spec.required:
                ctx.error(entry.key_span, key_path, "is required but has no value")
                complete = False
            continue
        ctx.locations[key_path] = value.span
        converted = convert(ctx, value, spec.type, key_path)
        if converted is None:
            complete = complete and not spec.required
            continue
        values[spec.key] = converted
    rule = _KEY_RULES.get(struct.name)
    if rule is not None and not rule(ctx, values, path):
        complete = False
    for spec in struct.fields:
        if spec.required and spec.key not in given:
            where = "a briefing" if not path else struct.noun
            message = f"required key missing: {where} needs `{spec.key}`"
            ctx.error(node.span, join(path, spec.key), message)
            complete = False
    return values if complete else None


def _end_not_before_date(ctx: Context, values: dict[str, object], path: str) -> bool:
    """An event's ``end`` may have another precision, but its first day is not before ``date``'s."""
    start, end = values.get("date"), values.get("end")
    if not isinstance(start, PartialDate) or not isinstance(end, PartialDate):
        return True
    if end.first_day() >= start.first_day():
        return True
    end_path = join(path, "end")
    message = f"`{end.iso()}` falls before the event's `date` ({start.iso()})"
    ctx.error(ctx.locations[end_path], end_path, message)
    del values["end"]
    return False


#: Rules that tie two keys of one structure together, by structure name.
_KEY_RULES: dict[str, Callable[[Context, dict[str, object], str], bool]] = {
    "event": _end_not_before_date,
    "bounds": south_not_above_north,
}


#: Characters a YAML escape (``"\e"``, ``"\ud800"``) can put in a value but no page can
#: show: C0/C1 controls other than tab and newline, lone surrogates, non-characters.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def convert(ctx: Context, node: Node, typ: FieldType, path: str) -> object | None:
    """One value of any type; None (with the problem recorded) when it is not valid."""
    if isinstance(node, Rejected):
        return None  # reported by yamlsrc
    match typ:
        case Struct(model=model_type):
            values = convert_struct(ctx, node, typ, path)
            if values is None or model_type is None:
                return values
            return model_type(**values)
        case ListOf():
            return _list(ctx, node, typ, path)
    if not isinstance(node, Scalar) or node.is_null:
        ctx.error(node.span, path, f"expected {expected(typ)}, got {describe(node)}")
        return None
    bad = _UNPRINTABLE.search(node.text)
    if bad is not None:
        code = f"U+{ord(bad.group()):04X}"
        ctx.error(node.span, path, f"contains the control character {code}, which cannot print")
        return None
    match typ:
        case Text():
            return text(ctx, node, typ, path)
        case Date():
            return date(ctx, node, typ, path)
        case Number():
            return number(ctx, node, typ, path)
        case Bool():
            return boolean(ctx, node, path)
        case Choice():
            return choice(ctx, node, typ, path)
        case Pattern():
            return pattern(ctx, node, typ, path)
        case SourceId():
            return source_id(ctx, node, path)
        case SourceRef():
            return _reference(ctx, node, path, ctx.source_refs)
        case HeadingRef():
            return _reference(ctx, node, path, ctx.after_refs)
        case Url():
            return url(ctx, node, path)
        case ImagePath():
            return image_path(ctx, node, path)
        case GeoJsonPath():
            return geojson_file(ctx, node, path)
        case Marking():
            return marking(ctx, node, typ, path)
    raise TypeError(typ)  # pragma: no cover - every FieldType is matched above


def _list(ctx: Context, node: Node, typ: ListOf, path: str) -> tuple[object, ...] | None:
    if isinstance(node, Scalar) and typ.single and not node.is_null:
        ctx.locations[f"{path}[0]"] = node.span  # later stages look items up by index
        item = convert(ctx, node, typ.item, path)
        return None if item is None else (item,)
    if not isinstance(node, Sequence):
        ctx.error(node.span, path, f"expected {expected(typ)}, got {describe(node)}")
        return None
    count = len(node.items)
    if not typ.min_items <= count <= typ.max_items:
        allowed = (
            f"{typ.min_items} to {typ.max_items}" if typ.min_items else f"at most {typ.max_items}"
        )
        ctx.error(node.span, path, f"has {count} items, but {allowed} are allowed")
        return None
    items: list[object] = []
    ok = True
    for i, item_node in enumerate(node.items):
        item_path = f"{path}[{i}]"
        ctx.locations[item_path] = item_node.span
        item = convert(ctx, item_node, typ.item, item_path)
        if item is None:
            ok = False
        else:
            items.append(item)
    return tuple(items) if ok else None


# ---- scalar values -----------------------------------------------------------


def text(ctx: Context, node: Scalar, typ: Text, path: str) -> str | None:
    """Any scalar's own characters, trimmed; remembered for the citation and link checks."""
    value = node.text.strip()
    if not value:
        ctx.error(node.span, path, "is empty")
        return None
    if len(value) > typ.max_length:
        ctx.error(
            node.span,
            path,
            f"is {len(value):,} characters long; it may be at most {typ.max_length:,}",
        )
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
        ctx.error(node.span, path, f"`{short(value)}` is not a date written {form}")
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


def _reference(ctx: Context, node: Scalar, path: str, refs: list[Reference]) -> str | None:
    value = node.text.strip()
    if not value:
        ctx.error(node.span, path, "is empty")
        return None
    refs.append(Reference(path, node.span, value))
    return value


def url(ctx: Context, node: Scalar, path: str) -> str | None:
    value = node.text.strip()
    problem = url_problem(value, schemes=("http", "https"))
    if problem is not None:
        ctx.error(node.span, path, problem)
        return None
    return value


def url_problem(value: str, *, schemes: tuple[str, ...]) -> str | None:
    """Why ``value`` is not an acceptable link target, or None when it is.

    ``http``/``https`` need a host name; ``mailto`` needs an address. Other
    schemes (``javascript:``, ``file:``, ``ftp:``) never become links in a PDF
    meant to be forwarded.
    """
    names = [f"{s}:" for s in schemes]
    allowed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    if any(c.isspace() for c in value):
        return f"`{short(value)}` is not a URL: it contains a space"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"`{short(value)}` is not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        got = f"uses `{scheme}:`" if scheme else "is not an absolute URL"
        return f"`{short(value)}` {got}; only {allowed} links are allowed"
    if scheme == "mailto":
        return None if parts.path else f"`{short(value)}` has no e-mail address"
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if not host:
        return f"`{short(value)}` has no host name"
    return None


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
#: Image formats recognised only to say what a refused file is.
_OTHER_IMAGES = {b"GIF87a": "a GIF", b"GIF89a": "a GIF", b"<svg": "an SVG", b"<?xml": "an XML/SVG"}


def image_path(ctx: Context, node: Scalar, path: str) -> Path | None:
    """A relative path to a real PNG or JPEG inside the project → its resolved absolute path.

    Symlinks are resolved before the containment check, so a link pointing
    outside the project is refused like ``../``; the file's first bytes decide
    its format, not its name.
    """
    value = node.text.strip()
    given = Path(value)
    if given.is_absolute() or value.startswith(("\\", "~")) or re.match(r"[A-Za-z]:", value):
        ctx.error(node.span, path, f"`{short(value)}` must be relative to the project folder")
        return None
    try:
        root = ctx.root.resolve()
        target = (root / given).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, NUL bytes
        ctx.error(node.span, path, f"`{short(value)}` cannot be resolved: {exc}")
        return None
    if not target.is_relative_to(root):
        via = " (through a link)" if ".." not in given.parts else ""
        ctx.error(node.span, path, f"`{short(value)}` leads outside the project folder{via}")
        return None
    if not target.exists():
        ctx.error(node.span, path, f"`{short(value)}` does not exist")
        return None
    if not target.is_file():
        ctx.error(node.span, path, f"`{short(value)}` is not a file")
        return None
    try:
        with target.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        ctx.error(node.span, path, f"`{short(value)}` cannot be read: {exc.strerror or exc}")
        return None
    if head.startswith((_PNG, _JPEG)):
        return target
    kind = next((k for magic, k in _OTHER_IMAGES.items() if head.startswith(magic)), None)
    what = f"is {kind} image" if kind else "is not a PNG or JPEG image"
    ctx.error(node.span, path, f"`{short(value)}` {what}; only PNG and JPEG are supported")
    return None


#: Labels from TLP 1.0 that readers still write, with their TLP 2.0 name.
_TLP_RENAMED = {"TLP:WHITE": "TLP:CLEAR"}


def marking(ctx: Context, node: Scalar, typ: Marking, path: str) -> str | None:
    """Any text, except that a ``TLP…`` marking must be spelled as a TLP 2.0 label."""
    value = node.text.strip()
    if not value:
        ctx.error(node.span, path, "is empty")
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
