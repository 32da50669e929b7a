"""Which source owns which output: one id, one source, one ``<id>.pdf``.

Why: two sources that claim one id would write one PDF in turn, and a reader
would receive one briefing under the other's name. Ownership is decided the
same way every time: the source the manifest records for an id keeps it while
its file exists (so adding a source can never take over another's PDF);
otherwise the first claimant in source order gets it. A source whose recorded
owner is gone (renamed, ``.yaml`` → ``.yml``) inherits the PDF.
"""

from __future__ import annotations

from pathlib import Path

from briefing.errors import SourceError, Span
from briefing.publish.manifest import Entry


class Owners:
    def __init__(self, entries: dict[str, Entry], root: Path) -> None:
        self.root = root
        self.by_id: dict[str, str] = {e.id: e.source for e in entries.values()}

    def _exists(self, source: str) -> bool:
        try:
            return (self.root / source).is_file()
        except OSError:
            return False

    def claim(self, briefing_id: str, source: str, at: Span | None) -> SourceError | None:
        """Give ``briefing_id`` to ``source``, or the located error if another source,
        still present, holds it."""
        holder = self.by_id.get(briefing_id)
        if holder is not None and holder != source and self._exists(holder):
            message = (
                f"the briefing id '{briefing_id}' is already used by {holder}; "
                "give one of them another `id:`"
            )
            return SourceError(at or Span(source, 1, 1), "id", message, code="id-taken")
        self.by_id[briefing_id] = source
        return None

    def release(self, briefing_id: str, source: str) -> None:
        if self.by_id.get(briefing_id) == source:
            del self.by_id[briefing_id]
