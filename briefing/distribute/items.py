"""What can be distributed: each built briefing's facts, from the manifest and its source.

Why: the manifest (``dist/manifest.json``) says which PDF is current, its hash,
its edition and what changed; the marking, title, draft flag and summary live
in the source, which is loaded (not rendered) to read them. ``edition_of`` and
``changes_of`` are the one place that knows how editions appear in the
manifest: until the editions work lands, a built briefing is edition 1 with no
recorded changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefing.errors import SourceInvalid
from briefing.publish import manifest

Kind = Literal["briefing", "pack"]


def edition_of(entry: manifest.Entry, draft: bool) -> int | None:
    """The entry's edition number; None for a draft (drafts have no edition)."""
    if draft:
        return None
    edition = getattr(entry, "edition", 1)
    return edition if isinstance(edition, int) else None


def changes_of(entry: manifest.Entry) -> tuple[str, ...]:
    """The printed "what changed" lines of the entry's edition (none for edition 1)."""
    changes = getattr(entry, "changes", None) or ()
    return tuple(str(c) for c in changes)


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

    @property
    def label(self) -> str:
        return f"pack {self.id}" if self.kind == "pack" else self.id


_CITE = re.compile(r"\[@([A-Za-z0-9_-]+)\]")


def briefing_items(root: Path, out: Path, *, today: dt.date, allow_stale: bool) -> dict[str, Item]:
    """Every briefing in the manifest (by id) with its facts and whether it is held back."""
    from briefing.source.load import load
    from briefing.source.markdown import plain

    items: dict[str, Item] = {}
    for entry in manifest.read(out).values():
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
        numbers = b.source_numbers()
        summary = tuple(
            _CITE.sub(lambda m: f"[{numbers.get(m[1], '?')}]", plain(s)) for s in b.summary
        )
        held = None
        edition = edition_of(entry, b.draft)
        if b.draft or edition is None:
            held = "a draft: drafts are never distributed"
        elif entry.review_by and dt.date.fromisoformat(entry.review_by) < today and not allow_stale:
            held = f"stale: its review date {entry.review_by} has passed (--allow-stale sends it)"
        items[entry.id] = Item(
            "briefing",
            entry.id,
            plain(b.title),
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
        )
    return items


def _replace(item: Item, **changes: object) -> Item:
    from dataclasses import replace

    return replace(item, **changes)  # type: ignore[arg-type]
