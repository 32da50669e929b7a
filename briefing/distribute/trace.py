"""Who held this copy? The copy id from a PDF (its metadata, else its footer), then the log.

Why: when a copy turns up where it should not, the desk needs the holder from
the file alone, even if its metadata was stripped (the footer still says it),
and needs to know whether the file is the copy as sent or was altered.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.distribute import log
from briefing.distribute.pdfedit import META_COPY, META_FOR, META_ID

_COPY_ID = re.compile(r"Copy ID ([0-9A-Z]{4}-[0-9A-Z]{4})")


@dataclass(frozen=True, slots=True)
class Trace:
    copy_id: str | None
    found_in: str  # "metadata", "footer" or ""
    stamped_for: str | None
    stamped_copy: str | None
    records: tuple[log.Record, ...]
    identical: bool  # the file's bytes are a copy the log says was delivered

    def to_json(self) -> dict[str, object]:
        first = self.records[0] if self.records else None
        return {
            "copy_id": self.copy_id,
            "found_in": self.found_in,
            "stamped_for": self.stamped_for,
            "stamped_copy": self.stamped_copy,
            "in_log": bool(self.records),
            "kind": first.kind if first else None,
            "id": first.item if first else None,
            "edition": first.edition if first else None,
            "recipient": first.recipient if first else None,
            "copy": first.copy if first else None,
            "of": first.of if first else None,
            "deliveries": [
                {
                    "time": r.time,
                    "status": r.status,
                    "method": r.method,
                    "to": r.to,
                    "error": r.error,
                }
                for r in self.records
            ],
            "identical_to_sent": self.identical,
        }


class NotAPdf(Exception):
    """The file cannot be read as a PDF."""


#: A controlled copy is a few megabytes; anything far larger is not one (and /dev/zero
#: or a pipe given as FILE would otherwise be read for ever).
MAX_BYTES = 200 * 2**20


def _read(pdf: Path) -> bytes:
    if not pdf.is_file():
        raise NotAPdf("it is not a regular file")
    with pdf.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise NotAPdf(f"it is larger than {MAX_BYTES // 2**20} MB, far more than any copy")
    return data


def trace(pdf: Path, out: Path) -> Trace:
    import logging

    from pypdf import PdfReader

    data = _read(pdf)
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # its warnings ("EOF marker not found") are not our lines
    try:
        reader = PdfReader(io.BytesIO(data))
        meta = reader.metadata or {}
        pages = list(reader.pages)
    except Exception as exc:  # pypdf raises many kinds for a file that is not a PDF
        raise NotAPdf(str(exc)) from exc
    finally:
        quiet.setLevel(level)
    copy_id = meta.get(META_ID)
    found = "metadata" if copy_id else ""
    if not copy_id:
        for page in pages[:3]:
            match = _COPY_ID.search(page.extract_text() or "")
            if match:
                copy_id, found = match[1], "footer"
                break
    records: tuple[log.Record, ...] = ()
    if copy_id:
        all_records, _ = log.read(out)
        records = tuple(r for r in all_records if r.copy_id == copy_id)
    sha = hashlib.sha256(data).hexdigest()
    identical = any(r.sha256 == sha and r.status == "sent" for r in records)
    return Trace(
        str(copy_id) if copy_id else None,
        found,
        str(meta.get(META_FOR)) if meta.get(META_FOR) else None,
        str(meta.get(META_COPY)) if meta.get(META_COPY) else None,
        records,
        identical,
    )
