"""init and new: a project and a commented source that builds as written; nothing overwritten."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Project
from pdfcheck import all_text, reader

from briefing.cli import cli
from briefing.cli.scaffold import SCHEMA_PATH, new_source, source_text
from briefing.source.load import load
from briefing.source.manual import json_schema
from briefing.source.schema import STRUCTS

TODAY = dt.date(2024, 3, 1)
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/briefing.schema.json"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` → its bytes (None for a folder), to prove nothing changed."""
    return {
        p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }


# --- init ------------------------------------------------------------------------------------


def test_init_makes_a_project_whose_example_checks_and_builds(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    code, out, err = invoke("init", str(root))
    assert (code, err) == (0, "")
    assert sorted(snapshot(root)) == [
        ".gitignore",
        "assets",
        "dist",
        "distribution.yaml",
        "fonts",
        "fonts/README.md",
        "schema",
        "schema/briefing.schema.json",
        "sources",
        "sources/example.yaml",
    ]
    assert "dist/" in (root / ".gitignore").read_text().splitlines()
    schema = json.loads((root / SCHEMA_PATH).read_text(encoding="utf-8"))
    assert schema == json_schema()
    assert f"next: cd {root} && briefing new my-briefing && briefing watch --open" in out
    assert "delete it (rm sources/example.yaml" in out

    example = root / "sources" / "example.yaml"
    code, out, err = invoke("check", str(example))
    assert (code, err) == (0, "")
    assert out.splitlines() == ["ok         sources/example.yaml", "1 ok, 0 failed"]

    code, out, err = invoke("build", str(example))
    assert (code, err) == (0, "")
    assert (root / "dist" / "example.pdf").is_file()
    assert "Example briefing" in all_text(reader(root / "dist" / "example.pdf"))


def test_init_into_an_existing_empty_folder(tmp_path: Path) -> None:
    code, _, err = invoke("init", str(tmp_path))
    assert (code, err) == (0, "")
    assert (tmp_path / "sources" / "example.yaml").is_file()


@pytest.mark.parametrize(
    "existing",
    [".gitignore", "sources/notes.yaml", "assets/map.png", "dist/old.pdf", "schema/x.json"],
)
def test_init_overwrites_nothing_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    root = tmp_path / "desk"
    (root / existing).parent.mkdir(parents=True)
    (root / existing).write_bytes(b"keep me\n")
    before = snapshot(root)
    code, out, err = invoke("init", str(root))
    assert code == 1
    assert out == ""
    taken = existing.split("/")[0] + ("/" if "/" in existing else "")
    assert err == f"briefing: {taken} already exists in {root}; nothing was written\n"
    assert snapshot(root) == before


def test_init_refuses_a_file_as_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    target.write_text("not a folder")
    code, _, err = invoke("init", str(target))
    assert code == 1
    assert err == f"briefing: {target} exists and is not a folder; nothing was written\n"
    assert target.read_text() == "not a folder"


# --- new -------------------------------------------------------------------------------------


def test_new_writes_a_source_that_checks_and_builds(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.root)
    code, out, err = invoke("new", "nk-2020", "--title", "Nagorno-Karabakh: a test")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "wrote sources/nk-2020.yaml",
        "wrote schema/briefing.schema.json",
        "next: briefing watch sources/nk-2020.yaml --open",
    ]
    source = project.root / "sources" / "nk-2020.yaml"
    assert source.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    assert (source.parent / "../schema/briefing.schema.json").resolve() == (
        project.root / SCHEMA_PATH
    ).resolve()

    code, out, err = invoke("check")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["ok         sources/nk-2020.yaml", "1 ok, 0 failed"]

    code, out, err = invoke("build", "--strict")
    assert (code, err) == (0, "")
    text = all_text(reader(project.root / "dist" / "nk-2020.pdf"))
    assert "Nagorno-Karabakh: a test" in text
    assert "DRAFT" in text.replace("\n", "")


def test_new_default_title_and_dates() -> None:
    text = source_text("nk-2020", today=TODAY)
    assert 'title: "Nk 2020"' in text
    assert re.search(r"^as_of: 2024-03-01\b", text, re.M)
    assert re.search(r"^review_by: 2024-03-15\b", text, re.M)
    assert "{{" not in text
    assert "}}" not in text


def test_template_shows_every_key_of_the_format() -> None:
    """Every key of every structure appears, active or commented out, with guidance."""
    text = source_text("x", today=TODAY)
    written = set(re.findall(r"^[\s#-]*\{?([a-z_]+):", text, re.M))
    written |= set(re.findall(r"[{,]\s*([a-z_]+):", text))
    for struct in STRUCTS:
        for field in struct.fields:
            assert field.key in written, f"{struct.name}.{field.key} is not in the template"


@pytest.mark.parametrize(
    "title",
    [
        'Quotes "inside" and a colon: here',
        "# not a comment",
        "Türkiye, Հայաստան, Россия",
        "AT&T <Holdings>",
        "yes",
        "1921",
    ],
)
def test_new_keeps_any_title_as_written(project: Project, title: str) -> None:
    (path, *_) = new_source(project.root, "t", title=title, today=TODAY)
    assert load(path, root=project.root).title == title


@pytest.mark.parametrize("name", ["nk-2020.yaml", "nk-2020.yml"])
def test_new_refuses_an_existing_source(
    project: Project, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    project.source("title: mine\n", name)
    monkeypatch.chdir(project.root)
    before = snapshot(project.root)
    code, out, err = invoke("new", "nk-2020")
    assert code == 1
    assert out == ""
    assert err == f"briefing: sources/{name} already exists; nothing was written\n"
    assert snapshot(project.root) == before


@pytest.mark.parametrize(
    ("briefing_id", "problem"),
    [
        ("NK", "`NK` is not a valid briefing id"),
        ("-nk", "`-nk` is not a valid briefing id"),
        ("nk_2020", "`nk_2020` is not a valid briefing id"),
        ("nk 2020", "`nk 2020` is not a valid briefing id"),
        ("../nk", "`../nk` is not a valid briefing id"),
        ("", "`` is not a valid briefing id"),
        ("a" * 101, "a briefing id is at most 100 characters long"),
    ],
)
def test_new_refuses_an_invalid_id(
    project: Project, monkeypatch: pytest.MonkeyPatch, briefing_id: str, problem: str
) -> None:
    monkeypatch.chdir(project.root)
    code, out, err = invoke("new", "--", briefing_id)
    assert code == 2
    assert out == ""
    assert f"Error: Invalid value for 'ID': {problem}" in err
    assert snapshot(project.root) == {"assets": None, "sources": None}


def test_new_refuses_a_title_that_would_not_load(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.root)
    code, _, err = invoke("new", "x", "--title", "cites [@nowhere]")
    assert code == 2
    assert "Error: Invalid value for '--title': the source would not load:\n" in err
    assert (
        "sources/x.yaml:15:8: title: cites `[@nowhere]`, but no source in `sources` has that id"
        in err
    )
    assert snapshot(project.root) == {"assets": None, "sources": None}


def test_new_outside_a_project_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("new", "x")
    assert code == 2
    assert "no sources/ folder in" in err
    assert "briefing init" in err
    assert list(tmp_path.iterdir()) == []


def test_new_refreshes_a_stale_schema_and_leaves_a_current_one(project: Project) -> None:
    schema = project.write(str(SCHEMA_PATH), "{}\n")
    written = new_source(project.root, "a", today=TODAY)
    assert written == [project.root / "sources" / "a.yaml", schema]
    assert json.loads(schema.read_text(encoding="utf-8")) == json_schema()
    assert new_source(project.root, "b", today=TODAY) == [project.root / "sources" / "b.yaml"]


def test_template_passes_the_editors_schema_check() -> None:
    """What the editor sees through the ``$schema`` line agrees with ``check``: no squiggles."""
    jsonschema = pytest.importorskip("jsonschema")
    from briefing.source.schemaout import as_json_value

    validator = jsonschema.Draft202012Validator(json_schema())
    assert list(validator.iter_errors(as_json_value(source_text("x", today=TODAY)))) == []
