"""watch: rebuild on save, located errors with the last good PDF kept, Ctrl-C exits 0.

The end-to-end tests run ``briefing watch`` as a real process (signals, watchdog's
threads, buffering) and poll with generous deadlines, so a loaded CI machine is
slow but not flaky. Every process started is stopped in ``finally``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from conftest import Project
from pdfcheck import all_text, reader

from briefing.cli.scaffold import source_text
from briefing.cli.watch import Watch, WatchOptions, affected
from briefing.publish.build import BuildReport, SourceResult

TODAY = dt.date(2024, 3, 1)
DEADLINE = 30.0  # seconds; a change shows in well under 2 s on an idle machine


def wait_for(condition: Callable[[], object], what: str, timeout: float = DEADLINE) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def briefing_text(title: str, *, as_of: str = "2024-03-01") -> str:
    text = source_text("brief", title=title, today=TODAY)
    return re.sub(r"^as_of: \S+", f"as_of: {as_of}", text, count=1, flags=re.M)


def line_of(text: str, prefix: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(prefix))


# --- which sources a change affects -----------------------------------------------------------

A, B, C = Path("/p/sources/a.yaml"), Path("/p/sources/b.yaml"), Path("/p/sources/c.yaml")
MAP, PHOTO = Path("/p/assets/map.png"), Path("/p/assets/sub/photo.jpg")
USES = {A: frozenset({MAP}), B: frozenset({MAP, PHOTO}), C: frozenset()}


@pytest.mark.parametrize(
    ("changed", "failed", "expected"),
    [
        ({A}, set(), [A]),
        ({C, A}, set(), [A, C]),
        ({MAP}, set(), [A, B]),
        ({PHOTO}, set(), [B]),
        ({Path("/p/assets/sub")}, set(), [B]),  # the folder holding a used image moved
        ({Path("/p/assets/other.png")}, set(), []),
        ({Path("/p/assets/other.png")}, {C}, [C]),  # a failed source may want a new image
        ({Path("/p/sources/.a.yaml.swp")}, {C}, []),  # editor files never rebuild anything
        ({Path("/p/sources/notes.txt")}, set(), []),
    ],
)
def test_affected(changed: set[Path], failed: set[Path], expected: list[Path]) -> None:
    assert affected(changed, [A, B, C], USES, frozenset(failed)) == expected


# --- in process: a burst of saves is one rebuild -----------------------------------------------


class Recorder:
    """A ``Listener`` that keeps every round."""

    def __init__(self) -> None:
        self.rounds: list[tuple[list[str], list[SourceResult]]] = []
        self._current: list[SourceResult] = []
        self.done = 0

    def started(self, sources: Sequence[Path], changed: Sequence[Path]) -> None:
        self._current = []
        self.rounds.append(([p.name for p in sources], self._current))

    def waiting(self) -> None:
        pass

    def plan(self, total: int) -> None:
        pass

    def result(self, result: SourceResult) -> None:
        self._current.append(result)

    def finished(self, report: BuildReport) -> None:
        self.done += 1


@pytest.fixture
def watching(project: Project) -> Iterator[tuple[Project, Recorder, list[Path]]]:
    """A ``Watch`` running in a thread over ``project``, stopped after the test."""
    recorder, opened = Recorder(), []
    session = Watch(
        root=project.root,
        out=project.root / "dist",
        sources=None,
        listener=recorder,
        options=WatchOptions(debounce=1.0),
        on_first_good=opened.append,
    )
    stop = threading.Event()
    thread = threading.Thread(target=session.run, args=(stop,), daemon=True)
    project.source(briefing_text("First"), "brief.yaml")
    thread.start()
    try:
        wait_for(lambda: recorder.done >= 1, "the first build")
        yield project, recorder, opened
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()


def test_a_burst_of_saves_is_one_rebuild(watching: tuple[Project, Recorder, list[Path]]) -> None:
    project, recorder, opened = watching
    assert [r.status for r in recorder.rounds[0][1]] == ["built"]
    assert opened == [project.root / "dist" / "brief.pdf"]
    for n in range(5):
        project.source(briefing_text(f"Save {n}"), "brief.yaml")
    wait_for(lambda: recorder.done >= 2, "the rebuild")
    time.sleep(2.5)  # more than the debounce: a second round would have started by now
    assert recorder.done == 2
    assert recorder.rounds[1][0] == ["brief.yaml"]
    assert [r.status for r in recorder.rounds[1][1]] == ["built"]
    assert "Save 4" in all_text(reader(project.root / "dist" / "brief.pdf"))
    assert len(opened) == 1


def test_a_new_source_is_built_and_an_unrelated_file_ignored(
    watching: tuple[Project, Recorder, list[Path]],
) -> None:
    project, recorder, _ = watching
    project.write("assets/unused.txt", "nothing uses me")
    project.source(briefing_text("Second"), "other.yaml")
    wait_for(lambda: recorder.done >= 2, "the new source's build")
    time.sleep(2.5)
    assert recorder.done == 2
    assert recorder.rounds[1][0] == ["other.yaml"]
    assert (project.root / "dist" / "other.pdf").is_file()


# --- end to end: the real command ---------------------------------------------------------------


class Running:
    """``briefing watch`` in a subprocess, its output in files (no pipe can fill up)."""

    def __init__(self, root: Path, args: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.out_file = root.parent / "watch.out"
        self.err_file = root.parent / "watch.err"
        with self.out_file.open("wb") as out, self.err_file.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "briefing", "watch", *args],
                cwd=root,
                stdout=out,
                stderr=err,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            )

    @property
    def stdout(self) -> str:
        return self.out_file.read_text(encoding="utf-8")

    @property
    def stderr(self) -> str:
        return self.err_file.read_text(encoding="utf-8")

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=DEADLINE)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=DEADLINE)


def test_watch_rebuilds_reports_errors_keeps_the_pdf_and_stops_on_sigint(
    project: Project,
) -> None:
    source = project.source(briefing_text("First title"), "brief.yaml")
    pdf = project.root / "dist" / "brief.pdf"
    watch = Running(project.root, [])
    try:
        wait_for(lambda: "watching for changes" in watch.stdout, "the first build")
        assert "built       sources/brief.yaml → dist/brief.pdf" in watch.stdout
        first = pdf.read_bytes()

        # Save a change: the PDF changes.
        source.write_text(briefing_text("Second title"), encoding="utf-8")
        wait_for(lambda: pdf.read_bytes() != first, "the PDF to change")
        good = pdf.read_bytes()
        assert "Second title" in all_text(reader(good))

        # Break the source: the located error is printed, the good PDF stays.
        broken = briefing_text("Third title", as_of="2020-02-30")
        source.write_text(broken, encoding="utf-8")
        error = (
            f"sources/brief.yaml:{line_of(broken, 'as_of:')}:8: as_of: `2020-02-30` "
            "is not a real date: February 2020 has no day 30"
        )
        wait_for(lambda: error in watch.stderr.splitlines(), "the located error")
        wait_for(lambda: "failed      sources/brief.yaml" in watch.stdout, "the failed line")
        assert pdf.read_bytes() == good

        # Fix it: built again.
        source.write_text(briefing_text("Fourth title"), encoding="utf-8")
        wait_for(lambda: pdf.read_bytes() != good, "the PDF to change after the fix")
        assert "Fourth title" in all_text(reader(pdf))

        assert watch.interrupt() == 0
        assert "stopped watching" in watch.stderr
        assert "Traceback" not in watch.stderr + watch.stdout
    finally:
        watch.kill()


def test_watch_rebuilds_when_an_image_it_uses_changes(project: Project) -> None:
    from PIL import Image

    image = project.root / "assets" / "map.png"
    Image.new("RGB", (60, 40), (200, 40, 40)).save(image)
    text = briefing_text("With a map").replace(
        "  # image: assets/map.png", "  image: assets/map.png"
    )
    project.source(text, "brief.yaml")
    pdf = project.root / "dist" / "brief.pdf"
    watch = Running(project.root, ["sources/brief.yaml"])
    try:
        wait_for(lambda: "watching for changes" in watch.stdout, "the first build")
        first = pdf.read_bytes()
        Image.new("RGB", (60, 40), (40, 40, 200)).save(image)
        wait_for(lambda: pdf.read_bytes() != first, "the PDF to change with the image")
        assert "changed: assets/map.png" in watch.stdout
        assert watch.interrupt() == 0
    finally:
        watch.kill()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="click.launch runs xdg-open")
def test_watch_open_launches_the_viewer_once(project: Project, tmp_path: Path) -> None:
    bin_dir, log = tmp_path / "bin", tmp_path / "opened.log"
    bin_dir.mkdir()
    viewer = bin_dir / "xdg-open"
    viewer.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\n')
    viewer.chmod(0o755)
    source = project.source(briefing_text("First"), "brief.yaml")
    pdf = project.root / "dist" / "brief.pdf"
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    watch = Running(project.root, ["--open"], env)
    try:
        wait_for(log.exists, "the viewer to be launched")
        first = pdf.read_bytes()
        source.write_text(briefing_text("Second"), encoding="utf-8")
        wait_for(lambda: pdf.read_bytes() != first, "the PDF to change")
        assert watch.interrupt() == 0
        assert [Path(line).resolve() for line in log.read_text().splitlines()] == [pdf.resolve()]
    finally:
        watch.kill()


def test_a_system_limit_is_one_line_and_exit_1(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from click.testing import CliRunner

    from briefing.cli import cli

    def refuse(self: Watch, stop: threading.Event | None = None) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(Watch, "run", refuse)
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, ["watch"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr == "briefing: watching stopped: [Errno 28] inotify watch limit reached\n"
