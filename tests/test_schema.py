"""schema: one declaration of the format, read by the loader, the JSON Schema and the docs.

These tests keep the three from drifting: every declared key is in the reference
page and the JSON Schema, the page on disk is the generated one, the declared
examples load, and the JSON Schema agrees with the loader on typical mistakes.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import Project

from briefing.source import manual, schema
from briefing.source.load import check, load
from briefing.source.schema import BRIEFING, STRUCTS
from briefing.source.schemaout import as_json_value
from briefing.source.schematypes import Field, ListOf, Struct

DOCS = Path(__file__).resolve().parent.parent / "docs" / "source-format.md"


def key_paths(struct: Struct, prefix: str = "") -> list[str]:
    """Every key path the declarations allow, with ``[0]`` for list items."""
    paths: list[str] = []
    for f in struct.fields:
        path = f"{prefix}.{f.key}" if prefix else f.key
        paths.append(path)
        match f.type:
            case Struct() as inner:
                paths += key_paths(inner, path)
            case ListOf(item=Struct() as inner):
                paths += key_paths(inner, f"{path}[0]")
    return paths


def all_fields() -> list[tuple[Struct, Field]]:
    return [(s, f) for s in STRUCTS for f in s.fields]


def section_of(markdown: str, struct: Struct) -> str:
    """The part of the reference that documents ``struct``."""
    heading = "## Top-level keys" if struct is BRIEFING else f"### {struct.name}"
    start = markdown.index(f"\n{heading}\n")
    end = markdown.find("\n#", start + len(heading) + 2)
    return markdown[start:end]


def test_docs_page_is_the_generated_reference() -> None:
    assert DOCS.read_text(encoding="utf-8") == manual.markdown_reference(), (
        "docs/source-format.md is stale; regenerate it with: python -c "
        '"from briefing.source.manual import markdown_reference as m; '
        "open('docs/source-format.md','w',encoding='utf-8').write(m())\""
    )


@pytest.mark.parametrize(
    ("struct", "f"), all_fields(), ids=[f"{s.name}.{f.key}" for s, f in all_fields()]
)
def test_every_key_is_documented_and_in_the_json_schema(struct: Struct, f: Field) -> None:
    markdown = manual.markdown_reference()
    row = re.search(
        rf"^\| `{re.escape(f.key)}` \| (yes|no) \|(.+)$", section_of(markdown, struct), re.M
    )
    assert row is not None, f"{struct.name}.{f.key} missing from the reference"
    assert row.group(1) == ("yes" if f.required else "no")
    assert f.description in row.group(2)

    document = manual.json_schema()
    node = document if struct is BRIEFING else document["$defs"][struct.name]
    assert f.key in node["properties"]
    assert (f.key in node["required"]) is f.required
    assert node["additionalProperties"] is False


def test_every_key_has_a_description_and_an_example() -> None:
    for struct, f in all_fields():
        assert f.description.strip(), f"{struct.name}.{f.key}"
        structured = isinstance(f.type, Struct) or (
            isinstance(f.type, ListOf) and isinstance(f.type.item, Struct)
        )
        assert structured or f.example.strip(), f"{struct.name}.{f.key} has no example"


def test_the_reference_has_its_parts() -> None:
    markdown = manual.markdown_reference()
    assert markdown.startswith("# The briefing source format\n")
    assert f"```yaml\n{manual.EXAMPLE}```" in markdown
    for struct in STRUCTS:
        if struct is not BRIEFING:
            assert f"\n### {struct.name}\n\n{struct.description}\n" in markdown
    for words in ("## How values are read", "## Errors", "did you mean `review_by`?"):
        assert words in markdown


def test_keys_match_the_model() -> None:
    for struct in STRUCTS:
        model = struct.model
        if model is None:
            from briefing.model import Briefing as model  # the top level: built by load.py
        names = {f.name for f in dataclasses.fields(model)}
        assert {f.key for f in struct.fields} <= names, struct.name
        required = {
            f.name
            for f in dataclasses.fields(model)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        declared = {f.key for f in struct.fields if f.required}
        if struct is BRIEFING:
            required.discard("id")  # a briefing's id defaults to the file's stem
        assert required == declared, struct.name


def test_every_declared_key_loads_from_the_declared_examples(project: Project) -> None:
    project.png("assets/nk-map.png")
    project.jpeg("assets/stepanakert.jpg")
    line = '{"type": "LineString", "coordinates": [[46.5, 39.9], [47.0, 39.6]]}'
    project.write("assets/line-of-contact.geojson", line)
    path = project.source(schema.example_document())
    assert check(path, root=project.root) == []
    briefing = load(path, root=project.root)
    assert set(key_paths(BRIEFING)) <= set(briefing.locations)
    assert_built(briefing, BRIEFING)


def assert_built(value: object, struct: Struct) -> None:
    """Every declared structure reaches the model as its own class, never as a dict."""
    assert struct.model is None or type(value) is struct.model, (struct.name, type(value))
    for f in struct.fields:
        child = getattr(value, f.key)
        item = f.type.item if isinstance(f.type, ListOf) else f.type
        if isinstance(item, Struct):
            for one in child if isinstance(f.type, ListOf) else (child,):
                assert_built(one, item)


# ---- the JSON Schema -----------------------------------------------------------

jsonschema = pytest.importorskip("jsonschema")


def validator() -> object:
    document = manual.json_schema()
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def test_json_schema_is_valid_draft_2020_12_and_accepts_the_examples() -> None:
    v = validator()
    assert list(v.iter_errors(as_json_value(manual.EXAMPLE))) == []
    assert list(v.iter_errors(as_json_value(schema.example_document()))) == []


def test_json_schema_accepts_each_declared_example() -> None:
    document = manual.json_schema()
    for struct, f in all_fields():
        if not f.example:
            continue
        node = document if struct is BRIEFING else document["$defs"][struct.name]
        sub = {**node["properties"][f.key], "$defs": document["$defs"]}
        errors = list(jsonschema.Draft202012Validator(sub).iter_errors(as_json_value(f.example)))
        assert errors == [], f"{struct.name}.{f.key}: {errors}"


BASE = "title: T\nas_of: 2020-09-29\nsummary: [S]\n"


@pytest.mark.parametrize(
    ("snippet", "valid"),
    [
        ("", True),
        ("reviewby: 2020-10-13\n", False),
        ("page_size: Letter\n", True),
        ("page_size: A5\n", False),
        ("draft: true\n", True),
        ('draft: "true"\n', False),
        ("marking: TLP:AMBER\n", True),
        ("marking: TLP:Amber\n", False),
        ("marking: OFFICIAL\n", True),
        ("language: en-GB\n", True),
        ("language: english!\n", False),
        ("id: nk-2020\n", True),
        ("id: NK_2020\n", False),
        ("authors: Jane Doe\n", True),
        ("subtitle: 1921\n", True),
        ("subtitle:\n", True),
        ("subtitle: {a: 1}\n", False),
        ("actors: [{name: A, ties: CSTO}]\n", True),
        ("actors: [{name: A, ties: {a: b}}]\n", False),
        ("actors: [{role: R}]\n", False),
        ("map: {places: [{name: P, lat: 91, lon: 0}]}\n", False),
        ("map: {places: [{name: P, lat: 45, lon: 0}]}\n", True),
        ("timeline: {events: [{date: 1994-05, label: L}]}\n", True),
        ("timeline: {events: [{date: 1921, label: L}]}\n", True),
        ("timeline: {events: [{date: 20-01-01, label: L}]}\n", False),
        ("timeline: {events: []}\n", False),
        ("sections: [{heading: H, body: B, sections: [{heading: I, body: C}]}]\n", True),
        (
            "sections: [{heading: H, body: B, sections: [{heading: I, body: C, sections: []}]}]\n",
            False,
        ),
        ("sources: [{id: s, title: T, url: 'https://example.org/'}]\n", True),
        ("sources: [{id: s, title: T, url: 'ftp://example.org/'}]\n", False),
        ("sources: [{id: s, title: T, url: 'https:///x'}]\n", False),
    ],
)
def test_json_schema_agrees_with_the_loader(project: Project, snippet: str, valid: bool) -> None:
    text = BASE + snippet
    json_errors = list(validator().iter_errors(as_json_value(text)))
    load_errors = check(project.source(text), root=project.root)
    assert (json_errors == []) is valid, json_errors
    assert (load_errors == []) is valid, load_errors


def test_summary_size_limits_agree() -> None:
    v = validator()
    for count, valid in ((0, False), (1, True), (7, True), (8, False)):
        items = ", ".join(f"s{i}" for i in range(count))
        data = as_json_value(f"title: T\nas_of: 2020-09-29\nsummary: [{items}]\n")
        assert (list(v.iter_errors(data)) == []) is valid, count
