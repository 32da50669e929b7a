"""Editions: which edition a build is, what changed since the last one, and the kept history.

Why: a reader who gets a regenerated briefing must see that it is new and what is
new. A build of a non-draft source whose content differs from its last edition
(``diff.compare`` finds a change) makes the next edition; an unchanged build is a
reprint of the same edition (a new tool version, another page size: same number);
a draft is a draft *of* the next edition and makes none.

The history lives in the output folder, ``<out>/editions/<id>/<n>.json``, one small
JSON file per edition: its number and date (the ``as_of``), the SHA-256 of its PDF,
the box's lines, the analyst's notes, the snapshot of its content and its source
text. A scheduler that keeps only the output folder keeps it. The folder is not
hidden: CI artifact uploads skip hidden files.

Order of writes, so a kill at any moment is safe: the PDF first, then the record
(the commit point: an edition exists once its record does), then the manifest. A
kill after the PDF leaves an edition-N PDF with no record N; the next build makes
edition N again, the same bytes, and records it: no number is skipped, and no
record names a PDF that was not installed. The history is written only by the main
process, under the build's lock, so two builds cannot both make edition N.

Kept records are untrusted input, like the manifest: a missing history starts
again at edition 1, a record that cannot be read is skipped; each is one warning
line, never an internal error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.errors import SourceError, Span, display_path
from briefing.model import Briefing
from briefing.publish.diff import Change, box_lines, compare
from briefing.publish.fsutil import sha256_bytes, write_atomic
from briefing.publish.snapshot import (
    SNAPSHOT_FORMAT,
    Snapshot,
    content_hash,
    file_describer,
    snapshot,
)
from briefing.render.edition import EditionStamp

FOLDER = "editions"
FORMAT = 1
_RECORD = re.compile(r"([1-9][0-9]{0,8})\.json")


@dataclass(frozen=True, slots=True)
class Edition:
    """One kept edition, as ``latest`` and ``history`` return it."""

    number: int
    date: dt.date  # the edition's as_of
    sha256: str  # of the PDF installed as this edition (its latest printing)
    changes: tuple[str, ...]  # the box's lines, as printed
    notes: tuple[str, ...] = ()  # the source's `changes` notes
    source: str = ""  # the source file, project-relative
    content_sha256: str = ""
    snapshot_format: int = SNAPSHOT_FORMAT
    snapshot: Snapshot = field(default_factory=dict, repr=False, compare=False)
    source_text: str = field(default="", repr=False, compare=False)
    previous: int | None = None  # the edition the box compared with
    previous_date: dt.date | None = None


def _warning(span: Span, message: str, key_path: str = "") -> SourceError:
    """A problem about the kept history or the ``changes`` notes: always a warning."""
    return SourceError(span, key_path, message, "warning", "edition")


class BadRecord(Exception):
    """A kept record that cannot be used; ``problem`` is the located warning."""

    def __init__(self, problem: SourceError) -> None:
        self.problem = problem
        super().__init__(str(problem))


def folder(out: Path, briefing_id: str) -> Path:
    return out / FOLDER / briefing_id


def numbers(out: Path, briefing_id: str) -> list[int]:
    """The edition numbers kept for ``briefing_id``, ascending (by file name only)."""
    try:
        names = os.listdir(folder(out, briefing_id))
    except OSError:
        return []
    return sorted(int(m.group(1)) for name in names if (m := _RECORD.fullmatch(name)))


def read(out: Path, briefing_id: str, number: int, *, root: Path | None = None) -> Edition:
    """Edition ``number``; raises ``BadRecord`` (a one-line message, the record's path shown
    relative to ``root``) if it is missing or unusable."""
    path = folder(out, briefing_id) / f"{number}.json"
    where = display_path(path, root) if root is not None else str(path)
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise BadRecord(_warning(Span(where, 1, 1), f"edition {number} is not kept")) from None
    except OSError as exc:
        why = f"cannot read: {exc.strerror or exc}"
        raise BadRecord(_warning(Span(where, 1, 1), why)) from None
    except json.JSONDecodeError as exc:
        message = f"the edition record is not valid JSON ({exc.msg})"
        raise BadRecord(_warning(Span(where, exc.lineno, exc.colno), message)) from None
    except ValueError as exc:  # bad UTF-8
        why = f"the edition record is unreadable ({exc})"
        raise BadRecord(_warning(Span(where, 1, 1), why)) from None
    try:
        return _edition(data, number)
    except (KeyError, TypeError, ValueError) as exc:
        problem = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
        why = f"the edition record is not one this version can read ({problem})"
        raise BadRecord(_warning(Span(where, 1, 1), why)) from None


def _edition(data: Any, number: int) -> Edition:
    if not isinstance(data, dict) or data.get("edition") != number:
        raise ValueError(f"it does not hold edition {number}")
    snap = data.get("snapshot", {})
    lines = data.get("changes", [])
    notes = data.get("notes", [])
    if not isinstance(snap, dict) or not isinstance(lines, list) or not isinstance(notes, list):
        raise ValueError("its snapshot, changes or notes have the wrong type")
    sha = data["pdf_sha256"]
    if not isinstance(sha, str):
        raise ValueError("its pdf_sha256 is not text")
    return Edition(
        number=number,
        date=dt.date.fromisoformat(str(data["date"])),
        sha256=sha,
        changes=tuple(str(line) for line in lines),
        notes=tuple(str(n) for n in notes),
        source=str(data.get("source", "")),
        content_sha256=str(data.get("content_sha256", "")),
        snapshot_format=int(data.get("snapshot_format", 0)),
        snapshot=snap,
        source_text=str(data.get("source_text", "")),
        previous=int(data["previous"]) if data.get("previous") else None,
        previous_date=(
            dt.date.fromisoformat(str(data["previous_date"])) if data.get("previous_date") else None
        ),
    )


def latest(out: Path, briefing_id: str) -> Edition | None:
    """The last edition issued of ``briefing_id``, or None (none issued, or unreadable).

    For the distribution step: its ``number``, ``date``, ``sha256`` (compare it with the
    PDF in the output folder: equal means that file is this edition) and ``changes``.
    """
    kept = numbers(out, briefing_id)
    if not kept:
        return None
    try:
        return read(out, briefing_id, kept[-1])
    except BadRecord:
        return None


def token(out: Path, briefing_id: str) -> str:
    """What a PDF's stamp was computed from: the last record's number and hash ("" if none).

    The build keeps it with the PDF and rebuilds when it moves (a lost, corrupt or newer
    history), so the edition printed on a page always agrees with the history."""
    kept = numbers(out, briefing_id)
    if not kept:
        return ""
    try:
        data = (folder(out, briefing_id) / f"{kept[-1]}.json").read_bytes()
    except OSError:
        return f"{kept[-1]}:unreadable"
    return f"{kept[-1]}:{hashlib.sha256(data).hexdigest()}"


# --- planning a build (in a worker) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pending:
    """What the main process records once the PDF is installed (nothing, for a draft)."""

    id: str
    stamp: EditionStamp
    new: bool  # a new edition, not a reprint of the last one (always False for a draft)
    record: dict[str, Any] | None  # the record to write; None for a draft

    @property
    def edition(self) -> int | None:
        """The edition the installed PDF is: None for a draft."""
        return None if self.stamp.draft else self.stamp.number


@dataclass(frozen=True, slots=True)
class Plan:
    stamp: EditionStamp
    pending: Pending
    warnings: tuple[SourceError, ...]  # about the source: count under --strict
    notices: tuple[SourceError, ...]  # about the kept history: printed, never a failure


def plan(
    b: Briefing,
    *,
    out: Path,
    root: Path,
    source_text: str,
    hashes: Mapping[str, str] | None = None,
    was: int | None = None,
    issue: bool = True,
) -> Plan:
    """Decide the edition of a build of ``b``; ``was`` is the edition the manifest remembers
    (to tell a lost history from a first build). Without ``issue`` (``watch``) the build is
    a preview: stamped and recorded like a draft of the next edition."""
    if not issue and not b.draft:
        b = dataclasses.replace(b, draft=True)
    snap = snapshot(b, file_describer(root, hashes or {}))
    digest = content_hash(snap)
    notices: list[SourceError] = []
    warnings: list[SourceError] = []
    whole = Span(b.path, 1, 1)
    kept = numbers(out, b.id)
    last: Edition | None = None
    if kept:
        try:
            last = read(out, b.id, kept[-1], root=root)
        except BadRecord as exc:
            bad = exc.problem
            why = f"{bad.message}; edition {kept[-1] + 1} is made without a changes box"
            notices.append(_warning(bad.span, why))
    elif was:
        shown = display_path(folder(out, b.id), root)
        why = (
            f"the edition history {shown}/ is missing (the manifest says edition {was}); "
            "numbering starts again at edition 1"
        )
        notices.append(_warning(whole, why))
    top = kept[-1] if kept else 0
    notes = b.changes
    changes: list[Change] | None = None
    if last is not None and last.content_sha256 != digest:
        base, note = comparable(last, root)
        if note:
            notices.append(_warning(whole, note))
        changes = _safe_compare(base, snap, notices, whole, last.number)
    reprint = last is not None and not b.draft and (last.content_sha256 == digest or changes == [])
    if reprint:
        assert last is not None
        stamp = _reprint_stamp(b, out, root, last, snap, notices)
    elif last is not None:
        stamp = EditionStamp(
            number=top + 1,
            date=b.as_of,
            draft=b.draft,
            previous=last.number,
            previous_date=last.date,
            lines=tuple(box_lines(notes, changes or [])),
        )
        if notes and tuple(notes) == last.notes and not b.draft:
            why = (
                f"the same notes as edition {last.number}; "
                f"update them for edition {top + 1} or remove them"
            )
            warnings.append(_warning(b.span_of("changes"), why, "changes"))
    else:
        stamp = EditionStamp(number=top + 1, date=b.as_of, draft=b.draft, lines=tuple(notes))
    if notes and stamp.previous is None:
        why = (
            f"this is edition {stamp.number} with no earlier edition to compare with; "
            "the notes are printed anyway"
        )
        warnings.append(_warning(b.span_of("changes"), why, "changes"))
    record = None
    if not b.draft:
        record = {
            "format": FORMAT,
            "id": b.id,
            "edition": stamp.number,
            "date": stamp.date.isoformat(),
            "source": b.path,
            "pdf_sha256": "",  # filled in by ``commit`` once the PDF is installed
            "changes": list(stamp.lines),
            "notes": list(notes),
            "previous": stamp.previous,
            "previous_date": stamp.previous_date.isoformat() if stamp.previous_date else None,
            "content_sha256": digest,
            "snapshot_format": SNAPSHOT_FORMAT,
            "snapshot": snap,
            "source_text": source_text,
        }
    pending = Pending(b.id, stamp, new=not reprint and not b.draft, record=record)
    return Plan(stamp, pending, tuple(warnings), tuple(notices))


def _reprint_stamp(
    b: Briefing, out: Path, root: Path, last: Edition, snap: Snapshot, notices: list[SourceError]
) -> EditionStamp:
    """The stamp of edition ``last`` printed again: its box recomputed against the edition
    before it (the notes may have been corrected), or kept as it was if that one is gone."""
    lines = last.changes
    previous: Edition | None = None
    if last.number > 1:
        try:
            previous = read(out, b.id, last.number - 1, root=root)
        except BadRecord:
            previous = None
    if previous is not None:
        base, _ = comparable(previous, root)
        found = _safe_compare(base, snap, notices, Span(b.path, 1, 1), previous.number)
        lines = tuple(box_lines(b.changes, found))
        return EditionStamp(last.number, last.date, False, previous.number, previous.date, lines)
    if last.number == 1 or last.previous is None:
        return EditionStamp(last.number, last.date, lines=tuple(b.changes))
    return EditionStamp(last.number, last.date, False, last.previous, last.previous_date, lines)


def _safe_compare(
    old: Snapshot, new: Snapshot, notices: list[SourceError], where: Span, number: int
) -> list[Change]:
    """``compare``, guarded: kept data is untrusted, so a shape it cannot handle is a
    notice and a generic line, never an internal error."""
    try:
        return compare(old, new)
    except Exception as exc:  # any failure on untrusted kept data
        problem = f"{type(exc).__name__}: {exc}"
        why = f"edition {number} could not be compared in full ({problem})"
        notices.append(_warning(where, why))
        return [Change("", "Changes could not be listed in full")]


def comparable(kept: Edition, root: Path) -> tuple[Snapshot, str | None]:
    """A kept edition's snapshot in today's form, and a note when it had to fall back.

    A snapshot of today's format is used as kept (fast: no YAML). One kept by another
    format is rebuilt from the kept source text when that still loads under today's
    format; otherwise the kept snapshot is compared as far as its keys allow."""
    if kept.snapshot_format == SNAPSHOT_FORMAT:
        return kept.snapshot, None
    if kept.source_text:
        snap = _reload(kept, root)
        if snap is not None:
            return snap, None
    note = (
        f"edition {kept.number} was kept in another format and its source no longer loads; "
        "compared what both editions have"
    )
    return kept.snapshot, note


def _reload(kept: Edition, root: Path) -> Snapshot | None:
    from briefing.errors import SourceInvalid
    from briefing.source.load import load

    name = Path(kept.source or "kept.yaml").name
    try:
        with tempfile.TemporaryDirectory(prefix="briefing-edition-") as scratch:
            path = Path(scratch) / name
            path.write_text(kept.source_text, encoding="utf-8")
            b = load(path, root=root)
    except (SourceInvalid, OSError, ValueError):
        return None
    return snapshot(b, file_describer(root, {}))


# --- committing (main process, after the PDF is installed) ------------------------------------


def commit(out: Path, pending: Pending, pdf: bytes) -> str:
    """Record the edition the installed ``pdf`` is; returns the history's new ``token``.

    Writes nothing for a draft, nor when the record's bytes would not change. Raises
    ``OSError`` if the record cannot be written (the PDF is then reprinted next build)."""
    if pending.record is not None:
        for path in (out / FOLDER, folder(out, pending.id)):  # a tampered dist/: never
            if path.is_symlink():  # write through a link to somewhere outside it
                raise OSError(errno.ELOOP, "it is a symbolic link; remove it", str(path))
        record = {**pending.record, "pdf_sha256": sha256_bytes(pdf)}
        data = (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode()
        path = folder(out, pending.id) / f"{pending.stamp.number}.json"
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            write_atomic(data, path)
    return token(out, pending.id)


def entry_fields(pending: Pending | None) -> dict[str, Any]:
    """The manifest entry's edition fields for the PDF just installed."""
    if pending is None:
        return {}
    stamp = pending.stamp
    return {
        "edition": pending.edition,
        "edition_date": None if stamp.draft else stamp.date.isoformat(),
        "changes": list(stamp.lines),
        "draft": stamp.draft,
    }
