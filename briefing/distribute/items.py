"""What can be distributed: each built briefing's facts, from the manifest and its source.

Why: the manifest (``dist/manifest.json``) says which PDF is current, its hash,
its edition and what changed; the marking, title, draft flag and summary live
in the source, which is loaded (not rendered) to read them. ``edition_of`` and
``changes_of`` are the one place that knows how editions appear in the manifest
(``edition``: None for a draft or a briefing never issued; ``changes``: the
lines of the page-1 changes box).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefing.errors import SourceInvalid, Span
from briefing.model import Briefing
from briefing.publish import manifest

Kind = Literal["briefing", "pack"]


def edition_of(entry: manifest.Entry, draft: bool) -> int | None:
    """The entry's edition number; None for a draft (drafts have no edition)."""
    if draft or entry.draft:
        return None
    return entry.edition


def changes_of(entry: manifest.Entry) -> tuple[str, ...]:
    """The printed "what changed" lines of the entry's edition (none for edition 1)."""
    return tuple(str(c) for c in entry.changes)


@dataclass(frozen=True, slots=True)
class Item:
    """One briefing or pack as it stands in ``dist/``: what a copy would be made from.

    ``held`` says why it is not distributed now (draft, stale, failed build);
    ``held_is_failure`` tells a failure (exit 1) from a warning (stale, draft).
    """

    kind: Kind
    id: str
    title: str
    marking: str | None
    edition: int | None
    as_of: str
    pdf: Path
    sha256: str | None
    changes: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    pages: int = 0
    review_by: str | None = None
    held: str | None = None
    held_is_failure: bool = False
    members: tuple[tuple[str, int], ...] = ()  # a pack's (briefing id, edition)
    #: The plan only: the source is not built, or changed since; ``--send`` builds it first.
    pending: bool = False
    #: the source file as messages show it (``sources/nk.yaml``); empty for a pack
    source: str = ""
    #: where the source sets its marking, for a warning about it
    marking_at: Span | None = None

    @property
    def label(self) -> str:
        return f"pack {self.id}" if self.kind == "pack" else self.id


_CITE = re.compile(r"\[@([A-Za-z0-9_-]+)\]")


def briefing_items(
    root: Path, out: Path, *, today: dt.date, allow_stale: bool, unbuilt: bool = False
) -> dict[str, Item]:
    """Every briefing in the manifest (by id) with its facts and whether it is held back;
    with ``unbuilt``, also the sources never built (for the plan: ``--send`` builds them);
    without, those sources failed the build that was just run."""
    from briefing.source.load import load
    from briefing.source.markdown import bare

    items: dict[str, Item] = {}
    entries = manifest.read(out)
    for entry in entries.values():
        pdf = out / entry.output
        base = Item(
            "briefing",
            entry.id,
            entry.id,
            None,
            None,
            entry.as_of or "",
            pdf,
            entry.sha256,
            pages=entry.pages or 0,
            review_by=entry.review_by,
        )
        if entry.status == "failed" or entry.sha256 is None:
            why = "its source failed to build; fix it (briefing check) and run again"
            items[entry.id] = _replace(base, held=why, held_is_failure=True)
            continue
        try:
            b = load(root / entry.source, root=root)
        except (SourceInvalid, OSError):
            why = "its source no longer loads; fix it (briefing check) and run again"
            items[entry.id] = _replace(base, held=why, held_is_failure=True)
            continue
        summary = _summary(b)
        held = None
        edition = edition_of(entry, b.draft)
        if b.draft:
            held = "a draft: drafts are never distributed"
        elif edition is None:
            held = "no edition of it has been issued; build it again (briefing build)"
        elif entry.review_by and dt.date.fromisoformat(entry.review_by) < today and not allow_stale:
            held = f"stale: its review date {entry.review_by} has passed (--allow-stale sends it)"
        items[entry.id] = Item(
            "briefing",
            entry.id,
            bare(b.title),  # a subject or cover line: no citation
            b.marking,
            edition,
            b.as_of.isoformat(),
            pdf,
            entry.sha256,
            changes=changes_of(entry),
            summary=summary,
            pages=entry.pages or 0,
            review_by=entry.review_by,
            held=held,
            pending=_changed(root / entry.source, entry),
            source=entry.source,
            marking_at=b.span_of("marking"),
        )
    _add_unbuilt(items, root, out, entries, today=today, allow_stale=allow_stale, built=not unbuilt)
    return items


def _summary(b: Briefing) -> tuple[str, ...]:
    """The summary bullets as plain text, citations as their printed numbers (``[1]``)."""
    from briefing.source.markdown import plain

    numbers = b.source_numbers()

    def number(m: re.Match[str]) -> str:
        return f"[{numbers.get(m[1], '?')}]"

    return tuple(_CITE.sub(number, plain(s)) for s in b.summary)


def _changed(path: Path, entry: manifest.Entry) -> bool:
    """The source's bytes differ from those of its last build: ``--send`` rebuilds it first."""
    from briefing.publish.fsutil import sha256_file

    try:
        return sha256_file(path) != entry.inputs.source
    except OSError:
        return False


def _add_unbuilt(
    items: dict[str, Item],
    root: Path,
    out: Path,
    entries: dict[str, manifest.Entry],
    *,
    today: dt.date,
    allow_stale: bool,
    built: bool,
) -> None:
    """Sources never built, as they would be after ``--send`` builds them: edition 1.

    After a build (``built``), a source missing from the manifest failed to build: it is
    held back, a failure the run reports.
    """
    from briefing.errors import display_path
    from briefing.publish.build import discover
    from briefing.source.load import load
    from briefing.source.markdown import bare

    if not (root / "sources").is_dir():
        return
    for path in discover(root):
        if display_path(path, root) in entries:
            continue
        try:
            b = load(path, root=root)
            if built:
                raise SourceInvalid([])
        except (SourceInvalid, OSError):
            why = "its source does not load; fix it (briefing check) and run again"
            base = Item(
                "briefing", path.stem, path.stem, None, None, "", out / f"{path.stem}.pdf", None
            )
            items.setdefault(path.stem, _replace(base, held=why, held_is_failure=True))
            continue
        held = None
        review = b.review_by.isoformat() if b.review_by else None
        if b.draft:
            held = "a draft: drafts are never distributed"
        elif review and b.review_by < today and not allow_stale:  # type: ignore[operator]
            held = f"stale: its review date {review} has passed (--allow-stale sends it)"
        items.setdefault(
            b.id,
            Item(
                "briefing",
                b.id,
                bare(b.title),
                b.marking,
                None if b.draft else 1,
                b.as_of.isoformat(),
                out / f"{b.id}.pdf",
                None,
                review_by=review,
                held=held,
                pending=True,
                source=display_path(path, root),
                marking_at=b.span_of("marking"),
            ),
        )


def _replace(item: Item, **changes: object) -> Item:
    from dataclasses import replace

    return replace(item, **changes)  # type: ignore[arg-type]
