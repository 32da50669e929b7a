"""Problems with a source, as data: where they are, which key, and what is wrong.

Why: analysts fix sources from the terminal, so every problem must point at
``file:line:column`` and the key path, and all problems of a file must be
reported in one run. Nothing here prints or exits; ``cli.py`` decides that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A position in a source file; line and column count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class SourceError:
    """One problem in one source: printed as ``file:line:col: key.path: message``.

    ``key_path`` uses the contract's notation (``actors[3].ties``, indices from 0);
    it is empty for problems that belong to the whole file (encoding, YAML syntax).
    """

    span: Span
    key_path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.key_path}: " if self.key_path else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.span}: {prefix}{where}{self.message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.key_path)


class SourceInvalid(Exception):
    """A source could not be loaded; carries every error found in it, in file order."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = sorted(errors, key=SourceError.sort_key)
        super().__init__("\n".join(str(e) for e in self.errors))


def display_path(path: Path, root: Path) -> str:
    """The path as messages show it: ``sources/x.yaml`` (POSIX, relative to ``root``) when
    inside the project, else as given."""
    for resolve in (Path.absolute, Path.resolve):
        try:
            return resolve(path).relative_to(resolve(root)).as_posix()
        except (ValueError, OSError, RuntimeError):
            continue
    return str(path)
