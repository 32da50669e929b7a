"""yamlsrc: bytes → positioned nodes; YAML's typing never leaks, nothing unsafe is built."""

from __future__ import annotations

import itertools
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from briefing.errors import Span
from briefing.source import yamlsrc
from briefing.source.yamlsrc import Mapping, Rejected, Scalar, Sequence, parse

FILE = "sources/x.yaml"


def root_of(text: str | bytes) -> Mapping:
    data = text.encode() if isinstance(text, str) else text
    document = parse(data, file=FILE)
    assert document.errors == ()
    assert document.root is not None
    return document.root


def errors_of(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [str(e) for e in parse(data, file=FILE).errors]


def value(mapping: Mapping, key: str) -> yamlsrc.Node:
    return next(e.value for e in mapping.entries if e.key == key)


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in itertools.pairwise("abcdefghijklmnop"[:levels]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the C composer (when built) and with PyYAML's pure-Python one."""
    if request.param == "python":
        monkeypatch.setattr(yamlsrc, "_LOADER", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    return request.param


# ---- scalars keep their text -------------------------------------------------


@pytest.mark.parametrize(
    ("written", "text", "plain"),
    [
        ("no", "no", True),
        ("yes", "yes", True),
        ("off", "off", True),
        ("3:1", "3:1", True),
        ("1e3", "1e3", True),
        ("0x1F", "0x1F", True),
        ("1_000", "1_000", True),
        ("1921", "1921", True),
        ('"1921"', "1921", False),
        ("'1921'", "1921", False),
        ("2020-09-29", "2020-09-29", True),
        ("1994-05", "1994-05", True),
        (".inf", ".inf", True),
        ("true", "true", True),
        ('"true"', "true", False),
        ("AT&T <Holdings>", "AT&T <Holdings>", True),
        ("Հայաստան", "Հայաստան", True),
        ("!!str 1921", "1921", True),
    ],
)
def test_scalars_are_their_source_text(written: str, text: str, plain: bool, loader: str) -> None:
    node = value(root_of(f"k: {written}\n"), "k")
    assert node == Scalar(text, Span(FILE, 1, 4), plain=plain)


def test_block_scalars_are_not_plain() -> None:
    root = root_of("a: |\n  line one\n  line two\nb: >\n  folded\n  text\n")
    assert value(root, "a") == Scalar("line one\nline two\n", Span(FILE, 1, 4), plain=False)
    assert value(root, "b") == Scalar("folded text\n", Span(FILE, 4, 4), plain=False)


@pytest.mark.parametrize(
    ("written", "is_null"),
    [
        ("", True),
        ("~", True),
        ("null", True),
        ("Null", True),
        ("NULL", True),
        ('""', False),
        ('"null"', False),
        ("'~'", False),
        ("nil", False),
        ("none", False),
    ],
)
def test_null_only_when_unquoted(written: str, is_null: bool) -> None:
    node = value(root_of(f"k: {written}\n"), "k")
    assert isinstance(node, Scalar)
    assert node.is_null is is_null


def test_spans_are_one_based_and_count_characters(loader: str) -> None:
    root = root_of("é: x\nlist:\n  - Հայաստան\n  - {k: v}\n")
    assert root.span == Span(FILE, 1, 1)
    assert root.entries[0].key_span == Span(FILE, 1, 1)
    assert root.entries[0].value.span == Span(FILE, 1, 4)
    items = value(root, "list")
    assert isinstance(items, Sequence)
    assert items.span == Span(FILE, 3, 3)
    assert [i.span for i in items.items] == [Span(FILE, 3, 5), Span(FILE, 4, 5)]
    inner = items.items[1]
    assert isinstance(inner, Mapping)
    assert inner.entries[0].value.span == Span(FILE, 4, 9)


def test_utf8_bom_is_dropped_and_crlf_accepted() -> None:
    root = root_of(b"\xef\xbb\xbftitle: x\r\nb: y\r\n")
    assert [e.key for e in root.entries] == ["title", "b"]
    assert root.entries[1].key_span == Span(FILE, 2, 1)


# ---- aliases -----------------------------------------------------------------


def test_aliases_are_copied_into_a_tree() -> None:
    root = root_of("a: &x {k: v}\nb: *x\n")
    first, second = value(root, "a"), value(root, "b")
    assert isinstance(first, Mapping)
    assert first == second  # same content and position (the anchor's), separate objects
    assert first is not second


def test_alias_bomb_fails_fast_with_bounded_memory(loader: str) -> None:
    text = billion_laughs(9).encode()  # 9**9 (387 million) strings once expanded
    tracemalloc.start()
    started = time.perf_counter()
    try:
        document = parse(text, file=FILE)
    finally:
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert document.root is None
    assert [str(e) for e in document.errors] == [
        f"{FILE}:6:4: this value holds more than 100,000 values once its aliases (`*name`) "
        "are expanded; a briefing never needs that many"
    ]
    assert seconds < 0.5
    assert peak < 5_000_000


def test_alias_just_under_the_cap_is_accepted() -> None:
    # 1 + 9 + 9*(1 + 9) ... : four levels expand to 9**4 = 6561 strings, well under the cap
    document = parse(billion_laughs(4).encode(), file=FILE)
    assert document.errors == ()
    assert document.root is not None


def test_alias_loop_is_refused(loader: str) -> None:
    assert errors_of("a: &x [1, *x]\n") == [
        f"{FILE}:1:4: an alias (`*name`) refers to a value that contains it, so it never ends"
    ]


# ---- refusals ----------------------------------------------------------------


def test_python_tags_are_refused_and_never_run(tmp_path: Path, loader: str) -> None:
    marker = tmp_path / "pwned"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\nb: ok\n"
    document = parse(text.encode(), file=FILE)
    assert not marker.exists()
    assert [str(e) for e in document.errors] == [
        f"{FILE}:1:8: title: the tag `!!python/object/apply:os.system` is not allowed; "
        "a source holds only text, lists and mappings"
    ]
    assert document.root is not None
    assert isinstance(value(document.root, "title"), Rejected)
    assert value(document.root, "b") == Scalar("ok", Span(FILE, 2, 4), plain=True)


def test_a_tagged_top_level_mapping_is_refused() -> None:
    document = parse(b"!!python/object:builtins.dict {a: 1}\n", file=FILE)
    assert document.root is None
    assert [e.message for e in document.errors] == [
        "the tag `!!python/object:builtins.dict` is not allowed; "
        "a source holds only text, lists and mappings"
    ]


def test_custom_and_binary_tags_are_refused() -> None:
    assert errors_of("a: !include x.yaml\nb: !!binary aGk=\nc: !!str fine\n") == [
        f"{FILE}:1:4: a: the tag `!include` is not allowed; a source holds only text, "
        "lists and mappings",
        f"{FILE}:2:4: b: the tag `!!binary` is not allowed; a source holds only text, "
        "lists and mappings",
    ]


def test_duplicate_keys_are_reported_at_the_second(loader: str) -> None:
    document = parse(b"a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", file=FILE)
    assert [str(e) for e in document.errors] == [
        f"{FILE}:4:3: b.c: the key `c` is given twice (first on line 3)",
        f"{FILE}:5:1: a: the key `a` is given twice (first on line 1)",
    ]
    assert document.root is not None
    assert value(document.root, "a") == Scalar("1", Span(FILE, 1, 4), plain=True)


def test_merge_keys_and_non_text_keys_are_refused() -> None:
    assert errors_of("<<: {a: 1}\n[x]: 2\n? {y: 1}\n: 3\n") == [
        f"{FILE}:1:1: `<<` merge keys are not supported; write the keys out",
        f"{FILE}:2:1: a key must be text, got a list",
        f"{FILE}:3:3: a key must be text, got a mapping",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", f"{FILE}:1:1: the file is empty"),
        (b"# only a comment\n\n", f"{FILE}:1:1: the file is empty"),
        (b"---\n", f"{FILE}:1:1: the file is empty"),
        (b"- a\n- b\n", f"{FILE}:1:1: the top level must be a mapping of keys"),
        (b"just text\n", f"{FILE}:1:1: the top level must be a mapping of keys"),
        (b"a: 1\n---\nb: 2\n", f"{FILE}:2:1: a second YAML document starts here"),
        (b"a: 1\n...\n--- x\n", f"{FILE}:3:1: a second YAML document starts here"),
        (b"title: Caf\xe9\n", f"{FILE}:1:11: the file is not UTF-8 text (byte 0xe9 at offset 10)"),
        (b"a: ok\nb: \xc3\xa9\xff\n", f"{FILE}:2:5: the file is not UTF-8 text (byte 0xff at"),
        ("title: x\n".encode("utf-16"), f"{FILE}:1:1: the file is UTF-16 or UTF-32 text"),
        ("title: x\n".encode("utf-16-be"), f"{FILE}:1:1: the file is not UTF-8 text (a NUL byte"),
        (b"a: b\x07c\n", f"{FILE}:1:5: the file contains the control character U+0007"),
        (b"a:\n\tb: 1\n", f"{FILE}:2:1: invalid YAML: "),
        (b"a: [1, 2\n", f"{FILE}:2:1: invalid YAML: "),
        (b"a: *nope\n", f"{FILE}:1:4: invalid YAML: a text that starts with `*` must be in quotes"),
        (b"a: " + b"[" * 60 + b"]" * 60 + b"\n", f"{FILE}:1:54: values are nested more than 50"),
    ],
)
def test_file_level_problems_are_single_located_errors(
    data: bytes, expected: str, loader: str
) -> None:
    document = parse(data, file=FILE)
    assert document.root is None
    assert len(document.errors) == 1
    assert str(document.errors[0]).startswith(expected)


def test_syntax_errors_get_a_hint_from_the_character_at_fault() -> None:
    (tab,) = errors_of("a:\n\tb: 1\n")
    assert tab.endswith("YAML indents with spaces only: use spaces")
    (colon,) = errors_of("label: First war: 30,000 killed\n")
    assert colon == (
        f"{FILE}:1:17: invalid YAML: this text contains `: `, which YAML reads as the start of "
        'a value; put the text in quotes: `label: "First war: 30,000 killed"`'
    )


def test_pure_python_composer_depth_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsrc, "_LOADER", yaml.SafeLoader)
    data = b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n"
    (error,) = parse(data, file=FILE).errors
    assert error.message in {
        "the YAML is nested too deeply to read",
        "values are nested more than 50 levels deep",
    }


def test_oversized_files_are_refused_before_parsing() -> None:
    data = b"a: " + b"x" * yamlsrc.MAX_BYTES
    (error,) = parse(data, file=FILE).errors
    assert str(error) == f"{FILE}:1:1: the file is larger than 5 MiB, the most a source may be"


def test_describe_names_node_kinds() -> None:
    root = root_of("a: {k: v}\nb: [1]\nc: x\nd:\n")
    assert [yamlsrc.describe(e.value) for e in root.entries] == [
        "a mapping",
        "a list",
        "text",
        "nothing",
    ]
