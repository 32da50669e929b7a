"""What a build reports: one result per source, in source order, and the run's own notes.

Why: the CLI prints it, ``--json`` hands it to programs, ``watch`` reacts to it.
Problems stay values (``SourceError``: file, line, column, key path, severity,
code) until they are shown; the text of a problem is made in one place,
``SourceError.__str__``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from briefing.errors import SourceError, Span, printable
from briefing.publish.manifest import Status


@dataclass(frozen=True, slots=True)
class SourceResult:
    """How one source fared; ``source`` is its path as messages show it."""

    source: str
    status: Status
    id: str | None = None
    output: str | None = None
    pages: int | None = None
    warnings: tuple[SourceError, ...] = ()
    errors: tuple[SourceError, ...] = ()
    seconds: float = 0.0
    debug: str | None = None  # traceback of an internal error, shown with --debug
    edition: int | None = None  # the edition the PDF is (None: a draft, or no PDF)
    new_edition: bool = False  # this build made that edition
    draft_of: int | None = None  # a draft: the edition it is a draft of
    #: The files (images, overlays) the PDF was made from, as the project shows them:
    #: what ``watch`` must watch for this source.
    assets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Removed:
    """A PDF this build deleted: its source is gone, or its source's id changed."""

    source: str
    output: str
    reason: Literal["source deleted", "id changed"]


@dataclass(frozen=True, slots=True)
class BuildReport:
    results: tuple[SourceResult, ...]
    seconds: float
    locked_out: bool = False  # the output folder was locked by another build
    removed: tuple[Removed, ...] = ()
    #: Problems of the run rather than of a source: a manifest that could not be used,
    #: a lock file that was a link, a manifest that could not be written (an error).
    notes: tuple[SourceError, ...] = ()

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def warning_count(self) -> int:
        return sum(len(r.warnings) for r in self.results)

    @property
    def ok(self) -> bool:
        return (
            not self.locked_out
            and self.count("failed") == 0
            and not any(n.severity == "error" for n in self.notes)
        )

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "built": self.count("built"),
            "up_to_date": self.count("up to date"),
            "failed": self.count("failed"),
            "warnings": self.warning_count,
            "removed": [printable(r.source) for r in self.removed if r.reason == "source deleted"],
            "removed_outputs": [
                {"source": printable(r.source), "output": r.output, "reason": r.reason}
                for r in self.removed
            ],
            "notes": [n.to_json() for n in self.notes],
            "new_editions": [printable(r.source) for r in self.results if r.new_edition],
            "sources": [
                {
                    "source": printable(r.source),
                    "id": r.id,
                    "status": r.status,
                    "output": r.output,
                    "pages": r.pages,
                    "warnings": [w.to_json() for w in r.warnings],
                    "errors": [e.to_json() for e in r.errors],
                    "seconds": round(r.seconds, 3),
                    "edition": r.edition,
                    "new_edition": r.new_edition,
                    "draft_of": r.draft_of,
                }
                for r in self.results
            ],
        }


# --- problems the build makes ------------------------------------------------------------------


def stale_warnings(
    review_by: str | None, at: Span | None, today: dt.date, display: str
) -> list[SourceError]:
    """A warning when the review date (ISO) has passed: the briefing is stale."""
    if review_by is None or dt.date.fromisoformat(review_by) >= today:
        return []
    message = (
        f"the review date {review_by} has passed; "
        "the briefing is stale (update it and its review_by)"
    )
    return [SourceError(at or Span(display, 1, 1), "review_by", message, "warning", "stale")]


def strict_error(display: str) -> SourceError:
    message = "failed because --strict counts warnings as failures"
    return SourceError(Span.whole(display), "", message, code="strict")
