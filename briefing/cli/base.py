"""What every command shares: exit codes, the one way to fail, the internal-error guard,
and finding the project.

Why a module of its own: ``commands`` and the commands in modules of their own
(``verify``, ``diff``, ``distribute``, ``trace``) fail, exit and find the project the same
way, so a message has one shape whichever command prints it.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing.cli.project import project_above
from briefing.errors import SourceError

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes, for schedulers: 0 done, 1 something failed (the rest was still done),
#: 2 usage: a bad option, a missing file, not a project folder, a bad environment.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


#: Streams that failed (a full disk, a closed pipe): given up on, and kept referenced so
#: that their unflushable buffers are never flushed again (no "Exception ignored").
_DEAD: dict[str, Any] = {}


def emit(text: str, *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` that never stops the program: a stdout or stderr that cannot be
    written (``> /dev/full``, ``| head -1``, closed) is silenced for the rest of the run,
    and the build goes on to write its PDFs, its manifest and its exit code."""
    name = "stderr" if err else "stdout"
    if name in _DEAD:
        return
    try:
        click.echo(text, err=err, nl=nl)
    except (OSError, ValueError):
        _DEAD[name] = getattr(sys, name)
        # forked workers flush the standard streams first: give them one that works
        setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115


class Failure(click.ClickException):
    """The one way a command fails: ``briefing: <message>`` on stderr, and its exit code.

    A ``click.ClickException`` like click's own (a bad option is click's ``UsageError``,
    exit 2, with the usage line): click prints it and exits with ``exit_code``.
    """

    def __init__(
        self, message: str, exit_code: int = EXIT_FAILED, *, located: bool = False
    ) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.located = located  # already ``file:line:col: …``: printed as it is

    @classmethod
    def of(cls, problem: SourceError, exit_code: int = EXIT_FAILED) -> Failure:
        """A located problem (``file:line:col: key: message``) as the command's failure."""
        return cls(str(problem), exit_code, located=True)

    def show(self, file: Any = None) -> None:
        message = self.format_message()
        emit(message if self.located else f"briefing: {message}", err=True)


def usage(message: str) -> click.UsageError:
    """A usage problem found after parsing (no project folder, no such file): exit 2 with
    the command's usage line, as click reports a bad option."""
    return click.UsageError(message)


def guarded(func: F) -> F:
    """Turn any unexpected exception into one line and exit 1 (traceback with --debug)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                traceback.print_exc()
            click.echo(
                f"briefing: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback)",
                err=True,
            )
            sys.exit(EXIT_FAILED)

    return wrapper  # type: ignore[return-value]


def find_root(paths: Sequence[Path]) -> Path:
    """The project folder (the one holding ``sources/``) for the given sources or the cwd."""
    cwd = Path.cwd()
    if not paths:
        found = project_above(cwd)
        if found is not None:
            return found
        raise usage(
            f"no sources/ folder in {cwd} or any folder above it: run this in a project folder "
            "(one holding sources/*.yaml), name the source files to use, "
            "or start a project with `briefing init`"
        )
    first = paths[0].resolve()
    for parent in first.parents:
        if parent.name == "sources" and parent.is_dir():
            return parent.parent
    return cwd if (cwd / "sources").is_dir() else first.parent


def source_paths(paths: Sequence[Path], root: Path) -> list[Path]:
    from briefing.publish.build import discover

    if not paths:
        found = discover(root)
        if not found:
            raise usage(f"no *.yaml or *.yml files in {root / 'sources'}")
        return found
    for path in paths:
        if path.is_dir():
            raise usage(f"{path} is a folder, not a source file: name the YAML files in it")
        if path.exists() and not path.is_file():  # a pipe or a device would block or never end
            raise usage(f"{path} is not a regular file (a pipe or a device); a source is a file")
        if not path.is_file():
            raise usage(f"no such source file: {path}")
    return list(paths)


def json_dump(data: object) -> None:
    emit(json.dumps(data, indent=2, ensure_ascii=False))
