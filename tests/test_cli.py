"""The command line's contract: help, version, check, schema, internal errors, exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import __version__
from briefing.cli import cli

GOOD = (
    'title: "Good"\nas_of: 2024-03-01\nsummary:\n  - One bullet.\n'
    "sections:\n  - heading: Body\n    body: Text.\n"
)


def invoke(root: Path, *args: str):
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(old)


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["schema"]])
def test_help_everywhere(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_check_reports_every_problem_and_exits_1(project) -> None:
    project.source(GOOD, "good.yaml")
    project.source("title: x\nas_of: 2024-13-01\nreviewby: 2024-01-01\n", "bad.yaml")
    result = invoke(project.root, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [  # every error, in file order, and nothing else
        "sources/bad.yaml:1:1: summary: required key missing: a briefing needs `summary`",
        "sources/bad.yaml:2:8: as_of: `2024-13-01` is not a real date: there is no month 13",
        "sources/bad.yaml:3:1: reviewby: unknown key at the top level; did you mean `review_by`?",
    ]
    assert result.stdout.splitlines() == [
        "failed     sources/bad.yaml",
        "ok         sources/good.yaml",
        "1 ok, 1 failed",
    ]
    assert "Traceback" not in result.output
    assert not (project.root / "dist").exists()  # check writes nothing


def test_check_clean_project_exits_0(project) -> None:
    project.source(GOOD)
    result = invoke(project.root, "check")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_schema_is_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "title" in schema["properties"]
    out = tmp_path / "s.json"
    assert CliRunner().invoke(cli, ["schema", "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text()) == schema


def test_internal_error_is_one_line_and_exit_1(project, monkeypatch) -> None:
    project.source(GOOD)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr("briefing.render.render", broken)
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 1
    problem = [ln for ln in result.stderr.splitlines() if "internal error" in ln]
    assert problem == [
        "sources/x.yaml: internal error while building this source: "
        "ZeroDivisionError: simulated bug (run with --debug for details)"
    ]
    assert "Traceback" not in result.output
    debug = invoke(project.root, "build", "-j", "1", "--debug")
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert not (project.root / "dist" / "x.pdf").exists()


def test_check_finds_a_truncated_image(project) -> None:
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (200, 100), (1, 2, 3)).save(buf, "PNG")
    project.write("assets/map.png", buf.getvalue()[:90])
    project.source(GOOD + "map:\n  region: R\n  image: assets/map.png\n")
    result = invoke(project.root, "check")
    assert result.exit_code == 1
    assert result.stderr.startswith("sources/x.yaml:10:10: map.image: the image cannot be read:")


def test_every_command_fails_the_same_way(tmp_path: Path) -> None:
    """One failure type: ``briefing: …`` on stderr and the exit code it carries; `schema`
    used to print click's "Error: …" instead."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = invoke(tmp_path, "schema", "--out", str(blocker / "schema.json"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"briefing: cannot write {blocker / 'schema.json'}: {blocker} is a file, not a folder"
    ]
    result = invoke(tmp_path, "new", "x")  # no project above tmp_path: usage, exit 2
    assert result.exit_code == 2
    assert "Error: no sources/ folder" in result.stderr
