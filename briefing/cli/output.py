"""How a build talks to people and to schedulers: a progress bar on a terminal, plain
one-line-per-source output otherwise, problems on stderr, and one summary line.

Why: cron and CI logs want greppable lines in source order; a person at a
terminal wants to see progress. Only the CLI uses this module.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from briefing.cli.base import emit
from briefing.errors import display_path, printable
from briefing.publish.build import BuildReport, SourceResult


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def stop_on_sigterm() -> None:
    """Turn SIGTERM (``systemctl stop``, a CI timeout) into an orderly exit 143: the
    workers are stopped, the lock is released, no temporary file is left behind."""

    def stop(signum: int, frame: object) -> None:
        emit(f"briefing: stopped by {signal.Signals(signum).name}", err=True)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


class BuildPrinter:
    """Receives results in source order (``result``) and prints them."""

    def __init__(self, *, quiet: bool, verbose: bool, debug: bool, root: Path) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.debug = debug
        self.root = root
        self.tty = _isatty(sys.stdout) and not quiet
        self._bar: Any = None

    def waiting(self) -> None:
        if not self.quiet:
            emit("waiting for another build of this output folder to finish…", err=True)

    def plan(self, total: int) -> None:
        if self.tty and total > 1:
            self._bar = click.progressbar(
                length=total, label="Building", show_pos=True, file=sys.stderr
            )
            self._bar.__enter__()

    def result(self, r: SourceResult) -> None:
        if self._bar is not None:
            try:
                self._bar.update(1)
            except (OSError, ValueError):
                self._bar = None
        for problem in (*r.errors, *r.warnings):
            self._problem(str(problem))
        if r.debug and self.debug:
            self._problem(r.debug.rstrip())
        if self.quiet:
            return
        if r.status == "up to date" and self._bar is not None and not self.verbose:
            return
        self._line(self._describe(r))

    def _describe(self, r: SourceResult) -> str:
        text = f"{r.status:<10}  {printable(r.source)}"
        if r.status == "built" and r.output:
            pages = f"{r.pages} page{'s' if r.pages != 1 else ''}"
            if r.draft_of is not None:
                pages += f", draft of edition {r.draft_of}"
            elif r.edition is not None:
                pages += f", {'new ' if r.new_edition else ''}edition {r.edition}"
            text += f" → {self._rel(r.output)} ({pages})"
        if self.verbose and r.status != "up to date":
            text += f" [{r.seconds:.2f} s]"
        return text

    def _rel(self, output: str) -> str:
        try:
            return Path(output).resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return output

    def _line(self, text: str) -> None:
        if self._bar is not None:
            # keep the bar on its own line: clear it, print, let it redraw
            emit("\r\033[K", nl=False, err=True)
        emit(text)

    def _problem(self, text: str) -> None:
        if self._bar is not None:
            emit("\r\033[K", nl=False, err=True)
        emit(text, err=True)

    def finish(self, report: BuildReport) -> None:
        if self._bar is not None:
            with contextlib.suppress(OSError, ValueError):
                self._bar.__exit__(None, None, None)
        for note in report.notes:
            self._problem(str(note))
        if report.locked_out:
            emit("briefing: another build holds the output folder's lock; stopped", err=True)
            return
        if self.quiet:
            return
        for gone in report.removed:
            why = (
                "its source is gone: PDF and entry deleted"
                if gone.reason == "source deleted"
                else f"its id changed: the old {gone.output} was deleted"
            )
            self._line(f"{'removed':<10}  {printable(gone.source)} ({why})")
        parts = [
            f"{report.count('built')} built",
            f"{report.count('up to date')} up to date",
            f"{report.count('failed')} failed",
            f"{report.warning_count} warning{'s' if report.warning_count != 1 else ''}",
        ]
        emit(f"{', '.join(parts)} in {report.seconds:.2f} s")


class WatchPrinter:
    """Prints each round of ``watch`` as ``build`` prints a build, under a timestamped line."""

    def __init__(self, *, root: Path, debug: bool) -> None:
        self.root = root
        self.debug = debug
        self.rounds = 0
        self.printer: Any = None

    def started(self, sources: Sequence[Path], changed: Sequence[Path]) -> None:
        self.printer = BuildPrinter(quiet=False, verbose=False, debug=self.debug, root=self.root)
        if changed:
            names = ", ".join(display_path(p, self.root) for p in changed[:3])
            more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            click.echo(f"[{time.strftime('%H:%M:%S')}] changed: {names}{more}")

    def waiting(self) -> None:
        self.printer.waiting()

    def plan(self, total: int) -> None:
        self.printer.plan(total)

    def result(self, result: SourceResult) -> None:
        self.printer.result(result)

    def finished(self, report: BuildReport) -> None:
        self.printer.finish(report)
        self.rounds += 1
        if self.rounds == 1:
            self.watching()

    def watching(self) -> None:
        click.echo("watching for changes (Ctrl-C to stop)")
