"""The parts no other test reached: the CLI's guard against internal errors, write_atomic's
cleanup, the parallel build's process pool, and the progress bar on a terminal."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.cli.output import BuildPrinter
from briefing.errors import SourceError, Span
from briefing.publish import workers
from briefing.publish.build import BuildOptions, BuildReport, SourceResult, build
from briefing.publish.fsutil import TEMP_SUFFIX, write_atomic
from briefing.publish.verify import verify_sources

SOURCE = (
    'title: "Briefing {n}"\nas_of: 2024-03-01\nsummary:\n  - Bullet {n}.\n'
    "actors:\n  - {{name: Actor {n}, type: state, ties: [Tie {n}, Other]}}\n"
    "sections:\n  - heading: Body {n}\n    body: Text {n}.\n"
)


def test_guard_turns_an_internal_error_into_one_line(project, monkeypatch) -> None:
    project.source(SOURCE.format(n=1))

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("briefing.publish.check.check_sources", broken)
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stderr == (
        "briefing: internal error: RuntimeError: simulated bug "
        "(run with --debug for the traceback)\n"
    )
    debug = CliRunner().invoke(cli, ["check", "--debug"])
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'raise RuntimeError("simulated bug")' in debug.stderr


def test_guard_lets_click_errors_through(project, monkeypatch) -> None:
    def usage(*args, **kwargs):
        raise click.UsageError("bad usage")

    monkeypatch.setattr("briefing.publish.check.check_sources", usage)
    project.source(SOURCE.format(n=1))
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2
    assert "Error: bad usage" in result.stderr
    assert "internal error" not in result.stderr


def test_write_atomic_removes_its_temporary_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch
) -> None:
    dest = tmp_path / "x.pdf"
    dest.write_bytes(b"old")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(b"new", dest)
    assert dest.read_bytes() == b"old"
    assert list(tmp_path.glob(f".*{TEMP_SUFFIX}")) == []
    monkeypatch.undo()
    write_atomic(b"new", dest)
    assert dest.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]


_RENDER_ONE = workers.render_one


def _render_noting_pid(task):
    """``render_one`` that says which process ran it, as a warning."""
    outcome = _RENDER_ONE(task)
    if outcome.pdf is None:
        return outcome
    note = SourceError(Span(task.display, 1, 1), "", f"pid {os.getpid()}", "warning")
    return replace(outcome, warnings=(note,))


def test_parallel_build_uses_the_pool_and_keeps_source_order(project, monkeypatch) -> None:
    """Worker processes render; results come back in source order, one failure stays local,
    and every PDF verifies."""
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)
    paths = [project.source(SOURCE.format(n=n), f"s{n}.yaml") for n in range(4)]
    paths.insert(2, project.source("title: T\nas_of: 2024-13-01\n", "s1b.yaml"))
    monkeypatch.setattr(workers, "render_one", _render_noting_pid)
    seen: list[str] = []
    report = build(
        paths,
        root=project.root,
        out=project.root / "dist",
        options=BuildOptions(jobs=2, verify=True),
        on_result=lambda r: seen.append(r.source),
    )
    assert seen == [f"sources/{p.name}" for p in paths]
    assert [r.status for r in report.results] == ["built", "built", "failed", "built", "built"]
    pids = {int(str(w).rsplit(" ", 1)[1]) for r in report.results for w in r.warnings}
    assert pids
    assert os.getpid() not in pids  # rendered in worker processes
    good = [p for p in paths if p.name != "s1b.yaml"]
    assert all(r.ok for r in verify_sources(good, root=project.root, out=project.root / "dist"))


def test_progress_bar_on_a_terminal(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    printer = BuildPrinter(quiet=False, verbose=False, debug=False, root=tmp_path)
    assert printer.tty
    printer.plan(3)
    assert printer._bar is not None
    printer.result(SourceResult("sources/a.yaml", "up to date", "a", str(tmp_path / "a.pdf"), 1))
    printer.result(
        SourceResult("sources/b.yaml", "failed", "b", errors=("sources/b.yaml:1:1: bad",))
    )
    printer.result(SourceResult("sources/c.yaml", "built", "c", str(tmp_path / "c.pdf"), 2))
    printer.finish(BuildReport((), 0.5))
    out, err = capsys.readouterr()
    assert "Building" in err
    assert "\rsources/b.yaml:1:1: bad" in err  # the bar's line is cleared before a problem
    assert "sources/b.yaml:1:1: bad" in err
    assert "up to date  sources/a.yaml" not in out  # the bar stands for up-to-date sources
    assert "failed      sources/b.yaml" in out
    assert "built       sources/c.yaml" in out
    assert out.splitlines()[-1].startswith("0 built, 0 up to date, 0 failed, 0 warnings")
