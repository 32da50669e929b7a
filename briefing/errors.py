"""Problems with a source, as data: where they are, which key, and what is wrong.

Why: analysts fix sources from the terminal, so every problem must point at
``file:line:column`` and the key path, and all problems of a file must be
reported in one run. Nothing here prints or exits; ``cli.py`` decides that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A position in a source file; line and column count from 1.

    Line 0 means the file as a whole (it cannot be read, or a problem of the
    file outside its text, like a build that timed out): shown as ``file`` alone.
    """

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    @classmethod
    def whole(cls, file: str) -> Span:
        """The file as a whole, not a place in it."""
        return cls(file, 0, 0)


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
    #: A short stable name for the kind of problem (``timeout``, ``id-taken``…), for
    #: programs reading ``--json``; empty for most problems of a source's content.
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.key_path}: " if self.key_path else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return printable(f"{self.span}: {prefix}{where}{self.message}")

    def to_json(self) -> dict[str, object]:
        """The problem as data for ``--json`` reports, with the printed line as ``text``."""
        return {
            "file": printable(self.span.file),
            "line": self.span.line or None,
            "column": self.span.column or None,
            "key_path": printable(self.key_path),
            "severity": self.severity,
            "code": self.code,
            "message": printable(self.message),
            "text": str(self),
        }

    @classmethod
    def from_json(cls, raw: object) -> SourceError:
        """A problem written by ``to_json``, read back from a file anyone may have edited
        (the manifest keeps problems so an unchanged source reports them without being
        read again). ``ValueError`` says what is wrong; ``text`` is not trusted, it is
        made again from the fields."""
        if not isinstance(raw, dict):
            raise ValueError("a problem is not an object")
        texts = {k: raw.get(k) for k in ("file", "key_path", "message", "code")}
        if not all(isinstance(v, str) for v in texts.values()):
            raise ValueError("a problem lacks its file, key_path, message or code")
        place = [raw.get("line"), raw.get("column")]
        if not all(v is None or (type(v) is int and v >= 0) for v in place):
            raise ValueError("a problem's line or column is not a whole number")
        severity = raw.get("severity")
        if severity not in ("error", "warning"):
            raise ValueError("a problem's severity is not error or warning")
        line, column = (v or 0 for v in place)
        return cls(
            Span(texts["file"], line, column),  # type: ignore[arg-type]
            texts["key_path"],  # type: ignore[arg-type]
            texts["message"],  # type: ignore[arg-type]
            severity,
            texts["code"],  # type: ignore[arg-type]
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.key_path)


class SourceInvalid(Exception):
    """A source could not be loaded; carries every error found in it, in file order."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = sorted(errors, key=SourceError.sort_key)
        super().__init__("\n".join(str(e) for e in self.errors))


#: What must never reach a terminal or a log as is: C0/C1 control characters (an
#: ``ESC`` starts a terminal command), line and paragraph separators, and
#: surrogates (a file name that is not UTF-8 decodes to them, and cannot be printed).
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to print on one line: control characters, separators and undecodable
    bytes are shown as escapes (``\\x1b``, ``\\xe9``), everything else unchanged."""
    return _UNPRINTABLE.sub(_escape, text)


def display_path(path: Path, root: Path) -> str:
    """The path as messages show it: ``sources/x.yaml`` (POSIX, relative to ``root``) when
    inside the project, else as given."""
    for resolve in (Path.absolute, Path.resolve):
        try:
            return resolve(path).relative_to(resolve(root)).as_posix()
        except (ValueError, OSError, RuntimeError):
            continue
    return str(path)
