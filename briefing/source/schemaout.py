"""A declared format → a JSON Schema document and a Markdown reference.

Why: editors (YAML language servers) and people read the format from these two
renderings; generating both from the declarations in ``schema.py`` keeps them
equal to what the loader accepts. Nothing here knows the briefing format itself.
"""

from __future__ import annotations

import re

import yaml

from briefing.source.schematypes import (
    MAX_TEXT,
    SOURCE_ID_REGEX,
    Bool,
    Choice,
    Date,
    Field,
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
    example_yaml,
    expected,
)


class _Yaml12Loader(yaml.SafeLoader):
    """Reads examples as an editor's YAML 1.2 parser would: dates stay text."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def as_json_value(text: str) -> object:
    """YAML text → the JSON value an editor's language server validates against the schema."""
    return yaml.load(text, Loader=_Yaml12Loader)


# ---- JSON Schema -------------------------------------------------------------

_TEXT_TYPES = ["string", "number", "boolean"]  # any scalar is read as its text
_NULL = {"type": "null"}


def json_schema(root: Struct, structs: tuple[Struct, ...], *, title: str) -> dict[str, object]:
    """A JSON Schema (draft 2020-12) document: ``root`` at the top, ``structs`` as ``$defs``.

    Optional keys also accept null (a key written with no value); texts accept
    any scalar, since the loader reads ``title: 1921`` as the text "1921".
    """
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **_struct_json(root, top=True),
        "$defs": {s.name: _struct_json(s, top=False) for s in structs if s is not root},
    }


def _struct_json(struct: Struct, *, top: bool) -> dict[str, object]:
    properties = {}
    for f in struct.fields:
        schema = _type_json(f.type)
        if not f.required:
            schema = {"anyOf": [schema, _NULL]}
        schema["description"] = f.description
        if f.example:
            schema["examples"] = [as_json_value(f.example)]
        properties[f.key] = schema
    out: dict[str, object] = {
        "type": "object",
        "description": struct.description,
        "properties": properties,
        "required": [f.key for f in struct.fields if f.required],
        "additionalProperties": False,
    }
    if not top:
        out["examples"] = [as_json_value(example_yaml(struct))]
    return out


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


def _type_json(typ: FieldType) -> dict[str, object]:
    match typ:
        case Text(max_length=limit):
            return {"type": list(_TEXT_TYPES), "maxLength": limit}
        case HeadingRef():
            return {"type": list(_TEXT_TYPES)}
        case Date(full=True):
            return {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
        case Date():
            return {
                "anyOf": [
                    {"type": "integer", "minimum": 1, "maximum": 9999},
                    {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
                ]
            }
        case Number(minimum=low, maximum=high):
            return {"type": "number", "minimum": low, "maximum": high}
        case Bool():
            return {"type": "boolean"}
        case Choice(options=options):
            pattern = "^(" + "|".join(_any_case(o) for o in options) + ")$"
            return {"type": "string", "pattern": pattern, "examples": list(options)}
        case Pattern(regex=regex, max_length=limit):
            # A YAML parser reads ``id: 2020`` as a number; the loader reads it as the text.
            kinds = ["string", "integer"] if re.fullmatch(regex, "1") else "string"
            return {"type": kinds, "pattern": f"^{regex}$", "maxLength": limit, "minimum": 0}
        case SourceId() | SourceRef():
            return {"type": ["string", "integer"], "pattern": f"^{SOURCE_ID_REGEX}$"}
        case Url():
            return {
                "type": "string",
                "format": "uri",
                "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+",
            }
        case ImagePath() | GeoJsonPath():
            return {"type": "string", "minLength": 1, "not": {"pattern": "^([/\\\\]|[A-Za-z]:)"}}
        case Marking(labels=labels):
            not_tlp = {"not": {"type": "string", "pattern": "^\\s*[Tt][Ll][Pp]"}}
            return {"type": list(_TEXT_TYPES), "anyOf": [{"enum": list(labels)}, not_tlp]}
        case ListOf(item=item, min_items=low, max_items=high, single=single):
            array: dict[str, object] = {
                "type": "array",
                "items": _type_json(item),
                "maxItems": high,
            }
            if low:
                array["minItems"] = low
            return {"anyOf": [_type_json(item), array]} if single else array
        case Struct(name=name):
            return {"$ref": f"#/$defs/{name}"}
    raise TypeError(typ)  # pragma: no cover - the match above covers FieldType


def markdown_reference(
    root: Struct,
    structs: tuple[Struct, ...],
    *,
    title: str,
    intro: str,
    example: str,
    rules: str,
) -> str:
    """The reference page: intro, the complete example, a table per structure, the rules."""
    out = [
        f"# {title}",
        "",
        "<!-- Generated from briefing/source/manual.py (markdown_reference); "
        "do not edit by hand. -->",
        "",
        intro,
        "",
        "## A complete example",
        "",
        "```yaml",
        example.rstrip("\n"),
        "```",
        "",
        "## Top-level keys",
        "",
        *_table(root),
        "",
        "## Structures",
    ]
    for struct in structs:
        if struct is root:
            continue
        out += ["", f"### {struct.name}", "", struct.description, "", *_table(struct)]
        for key, why in struct.refused:
            out += ["", f"Not allowed here: `{key}` ({why})."]
    out += ["", rules, ""]
    return "\n".join(out)


def _table(struct: Struct) -> list[str]:
    rows = ["| key | required | type | meaning | example |", "|---|---|---|---|---|"]
    for f in struct.fields:
        cells = (
            f"`{f.key}`",
            "yes" if f.required else "no",
            _type_words(f.type),
            f.description,
            _example_cell(f),
        )
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return rows


def _type_words(typ: FieldType) -> str:
    """The reference's type column: what ``expected`` says, plus sizes and links."""
    match typ:
        case Struct(name=name):
            return f"[{name}](#{name})"
        case ListOf(item=Struct(name=name), min_items=low, max_items=high):
            return f"list of [{name}](#{name}), {_sizes(low, high)}"
        case ListOf(item=item, min_items=low, max_items=high, single=single):
            kind = "text or list of texts" if single else f"list of {expected(item)}s"
            return f"{kind}, {_sizes(low, high)}"
        case Text(markup="blocks"):
            return "text (paragraphs and lists allowed)"
        case Text(max_length=limit) if limit < MAX_TEXT:
            return f"text, at most {limit} characters"
        case Pattern(regex=regex, rule=rule):
            return f"`{regex}`: {rule}"
        case SourceId():
            return f"`{SOURCE_ID_REGEX}`, unique"
        case SourceRef():
            return "the `id` of a source"
        case HeadingRef():
            return "a section or sub-section heading"
        case Marking():
            return "text (a `TLP…` marking must be a TLP 2.0 label)"
        case Choice(options=options):
            return " or ".join(f"`{o}`" for o in options) + " (any letter case)"
    return expected(typ)


def _sizes(low: int, high: int) -> str:
    return f"at most {high}" if low == 0 else f"{low} to {high}"


def _example_cell(f: Field) -> str:
    if isinstance(f.type, Struct) or (
        isinstance(f.type, ListOf) and isinstance(f.type.item, Struct)
    ):
        return "see below"
    return f"`{f.key}: {f.example}`"
