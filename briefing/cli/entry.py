"""The process around the command line: ``main``, the entry point of the ``briefing``
script and ``python -m briefing``.

Why a module of its own: how the process starts and ends (standard descriptors, the
exit code, ``os._exit``, saving coverage in test runs) is not about any command.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import click

from briefing.cli.base import EXIT_FAILED, EXIT_OK
from briefing.cli.commands import cli


def _standard_fds_open() -> None:
    """Give a closed stdin, stdout or stderr (``>&-``) to ``/dev/null``.

    Why: otherwise the next file this process opens (the lock, a PDF) would get
    descriptor 1 or 2, and anything printed would be written into it.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``briefing`` script and ``python -m briefing``.

    Ends with ``os._exit`` once output is flushed: every file the command writes is
    already closed and renamed into place, and tearing down an interpreter that has
    loaded matplotlib and ReportLab costs ~60 ms that a scheduled build never needs.
    """
    _standard_fds_open()
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="briefing")
        code = EXIT_OK
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or EXIT_OK
        else:  # sys.exit("message"): print it the way Python would
            click.echo(str(exc.code), err=True)
            code = EXIT_FAILED
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        _save_coverage()
    finally:
        os._exit(code)


def _save_coverage() -> None:
    """Write the coverage measured in this process (a test run) before ``os._exit``, which
    skips the atexit hook coverage would save it in; nothing when coverage is not running."""
    coverage = sys.modules.get("coverage")
    current = coverage.Coverage.current() if coverage is not None else None
    if current is not None:
        current.stop()
        current.save()
