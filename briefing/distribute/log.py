"""``dist/distribution/log.jsonl``: the append-only record of who holds which copy.

Why: re-runs deliver only what is owed, and a leaked copy is traced to its
holder, both from this file. Each delivery appends one JSON line with a single
``write`` to a file opened with ``O_APPEND``, then ``fsync``: a crash leaves
every earlier line intact and at most the copy in flight unrecorded. A line
that cannot be read (a disk filled mid-write) is reported, never fatal.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from briefing.errors import SourceError, Span

LOG_PATH = Path("distribution") / "log.jsonl"
Status = Literal["sent", "failed"]


@dataclass(frozen=True, slots=True)
class Record:
    """One delivery attempt; ``kind`` + ``item`` name the briefing or pack."""

    time: str
    kind: str
    item: str
    edition: int
    recipient: str
    copy: int
    of: int
    copy_id: str
    sha256: str
    method: str
    status: Status
    error: str | None = None
    to: str | None = None


def path(out: Path) -> Path:
    return out / LOG_PATH


def read(out: Path, shown: str | None = None) -> tuple[list[Record], list[SourceError]]:
    """Every readable record in file order, and a warning for each unreadable line.

    ``shown`` is how messages name the log (a project-relative path).
    """
    records: list[Record] = []
    problems: list[SourceError] = []
    log = path(out)
    name = shown or str(log)
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(Record(**json.loads(line)))
        except (ValueError, TypeError) as exc:
            message = f"an unreadable log line was skipped ({exc})"
            problems.append(SourceError(Span(name, number, 1), "", message, "warning", "log-line"))
    return records, problems


def append(out: Path, record: Record) -> None:
    """Add one line and make it durable before returning."""
    log = path(out)
    log.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(asdict(record), ensure_ascii=False, sort_keys=False) + "\n").encode()
    fd = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # a torn last line (a full disk) stays apart from this one
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
