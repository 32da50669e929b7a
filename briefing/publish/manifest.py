"""``dist/manifest.json``: what each PDF is, what it was built from, and how the last build went.

Why: a distribution step mails out only what changed, so it needs each PDF's
hash, and the next build needs each source's input hash to skip unchanged
sources without parsing them. The file is written atomically after the PDFs,
sorted, without timestamps, so an unchanged build rewrites nothing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from briefing.publish.fsutil import write_atomic

MANIFEST_NAME = "manifest.json"
FORMAT = 1

Status = Literal["built", "up to date", "failed"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One briefing's line in the manifest. Fields are documented in docs/manifest.md."""

    id: str
    source: str
    output: str
    sha256: str | None
    size: int | None
    pages: int | None
    as_of: str | None
    review_by: str | None
    status: Status
    input_hash: str | None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: source file hash and each asset's hash (project-relative path → sha256)
    inputs: dict[str, object] = field(default_factory=dict)
    #: the edition the PDF is (None: a draft, or a briefing never issued), its date (the
    #: as_of) and the lines of its changes box; ``draft``: the PDF is a draft
    edition: int | None = None
    edition_date: str | None = None
    changes: list[str] = field(default_factory=list)
    draft: bool = False


def read(out: Path) -> dict[str, Entry]:
    """Entries by source path; a missing or unreadable manifest is an empty one."""
    try:
        raw = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        entries = raw["briefings"]
        return {e["source"]: Entry(**e) for e in entries}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def dumps(entries: dict[str, Entry], tool: str) -> bytes:
    data = {
        "format": FORMAT,
        "tool": tool,
        "briefings": [asdict(entries[k]) for k in sorted(entries)],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def write(out: Path, entries: dict[str, Entry], tool: str) -> bool:
    """Write the manifest if its bytes change; returns whether it was written."""
    data = dumps(entries, tool)
    path = out / MANIFEST_NAME
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(data, path)
    return True
