"""The walk: a YAML node and its declared type → checked values, every problem recorded.

Why: ``schema.py`` says what each key holds; this module walks a file's tree
along those declarations (structures, lists), dispatching each scalar to its
check in ``scalars``, ``urls`` or ``paths``. Every check records its problem in
the ``Context`` and returns None, so the loader can go on and report every
problem of a file in one run. Values come back as plain dicts and tuples;
``load`` builds the model from them.
"""

from __future__ import annotations

import re

from briefing.source import scalars
from briefing.source.context import Context
from briefing.source.geojson import geojson_file
from briefing.source.paths import image_path
from briefing.source.schematypes import (
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
    article,
    expected,
)
from briefing.source.suggest import short
from briefing.source.urls import url
from briefing.source.yamlsrc import Mapping, Node, Rejected, Scalar, Sequence, describe, join


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
    problem = struct.rule(values) if struct.rule is not None else None
    if problem is not None:  # a rule tying keys together: reported at the key at fault
        key, message = problem
        key_path = join(path, key)
        ctx.error(ctx.locations[key_path], key_path, message)
        values.pop(key, None)
        complete = False
    for spec in struct.fields:
        if spec.required and spec.key not in given:
            where = struct.noun if path else "a briefing"
            if not path and struct.name != "briefing":
                where = f"`{node.span.file}`"
            message = f"required key missing: {where} needs `{spec.key}`"
            ctx.error(node.span, join(path, spec.key), message)
            complete = False
    return values if complete else None


#: Characters a YAML escape (``"\e"``, ``"\ud800"``) can put in a value but no page can
#: show: C0/C1 controls other than tab and newline, lone surrogates, non-characters.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def convert(ctx: Context, node: Node, typ: FieldType, path: str) -> object | None:
    """One value of any type; None (with the problem recorded) when it is not valid."""
    if isinstance(node, Rejected):
        return None  # reported by yamlsrc
    match typ:
        case Struct():
            return convert_struct(ctx, node, typ, path)
        case ListOf():
            return _list(ctx, node, typ, path)
    if not isinstance(node, Scalar) or node.is_null:
        hint = ""
        if isinstance(typ, Text) and isinstance(node, Mapping | Sequence):
            key = path.rsplit(".", 1)[-1]
            hint = (
                f"; for text over several lines, write `{key}: |` and the lines under it, "
                "indented: YAML then keeps them as written, `- ` lists and `: ` included"
            )
        ctx.error(node.span, path, f"expected {expected(typ)}, got {describe(node)}{hint}")
        return None
    bad = _UNPRINTABLE.search(node.text)
    if bad is not None:
        code = f"U+{ord(bad.group()):04X}"
        ctx.error(node.span, path, f"contains the control character {code}, which cannot print")
        return None
    match typ:
        case Text():
            return scalars.text(ctx, node, typ, path)
        case Date():
            return scalars.date(ctx, node, typ, path)
        case Number():
            return scalars.number(ctx, node, typ, path)
        case Bool():
            return scalars.boolean(ctx, node, path)
        case Choice():
            return scalars.choice(ctx, node, typ, path)
        case Pattern():
            return scalars.pattern(ctx, node, typ, path)
        case SourceId():
            return scalars.source_id(ctx, node, path)
        case SourceRef():
            return scalars.reference(ctx, node, path, ctx.source_refs)
        case HeadingRef():
            return scalars.reference(ctx, node, path, ctx.after_refs)
        case Url():
            return url(ctx, node, path)
        case ImagePath():
            return image_path(ctx, node, path)
        case GeoJsonPath():
            return geojson_file(ctx, node, path)
        case Marking():
            return scalars.marking(ctx, node, typ, path)
    raise TypeError(typ)  # pragma: no cover - every FieldType is matched above


def _item_without_dash(ctx: Context, node: Mapping, typ: ListOf, path: str) -> bool:
    """A mapping of an item's keys where a list of items belongs: the first ``- `` is missing."""
    item = typ.item
    if not isinstance(item, Struct) or not node.entries:
        return False
    first = node.entries[0]
    if item.field(first.key) is None:
        return False
    value = first.value.text if isinstance(first.value, Scalar) else "…"
    message = (
        f"a `- ` is missing before line {first.key_span.line}: each {article(item)} in "
        f"`{path.rsplit('.', 1)[-1]}` starts with `- `; write `- {first.key}: {short(value, 30)}`"
    )
    ctx.error(first.key_span, path, message)
    return True


def _list(ctx: Context, node: Node, typ: ListOf, path: str) -> tuple[object, ...] | None:
    if isinstance(node, Scalar) and typ.single and not node.is_null:
        ctx.locations[f"{path}[0]"] = node.span  # later stages look items up by index
        item = convert(ctx, node, typ.item, path)
        return None if item is None else (item,)
    if isinstance(node, Mapping) and _item_without_dash(ctx, node, typ, path):
        node = Sequence((node,), node.span)  # checked as the list of one it was meant to be
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
