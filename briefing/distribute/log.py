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


def read(out: Path) -> tuple[list[Record], list[str]]:
    """Every readable record in file order, and one problem line per unreadable line."""
    records: list[Record] = []
    problems: list[str] = []
    log = path(out)
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
            problems.append(f"{log}:{number}: warning: an unreadable log line was skipped ({exc})")
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
