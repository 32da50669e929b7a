"""Which edition a render is, and what its changes box says: a small input beside the model.

Why not in ``Briefing``: the edition number is not in the source. It comes from the
history in the output folder (``publish/editions.py``), so the same source renders
as edition 1 in a fresh folder and as edition 4 in a scheduler's. Keeping it out of
the model keeps the model what the source says; the build puts the stamp in its
fingerprint instead, so a PDF is rebuilt when the history it was stamped from moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.model import long_date


@dataclass(frozen=True, slots=True)
class EditionStamp:
    """``number`` is the edition this PDF is, or for a draft the edition it is a draft of.

    ``previous``/``previous_date`` name the edition the box compares with (None for a
    first edition); ``lines`` are the box's lines, already cut to the limit.
    """

    number: int
    date: dt.date
    draft: bool = False
    previous: int | None = None
    previous_date: dt.date | None = None
    lines: tuple[str, ...] = ()

    def title_text(self) -> str:
        """The title block's words: "Edition 3" or "Draft of edition 4"."""
        return f"Draft of edition {self.number}" if self.draft else f"Edition {self.number}"

    def box_title(self) -> str | None:
        """The box's heading, or None when there is no box."""
        if self.previous is not None and self.previous_date is not None:
            return f"Changes since edition {self.previous} ({long_date(self.previous_date)})"
        if self.lines:
            return f"Notes on edition {self.number}"
        return None

    def keyword(self) -> str:
        """The PDF metadata's keyword: "Edition 3 (1 October 2020)"."""
        return f"{self.title_text()} ({long_date(self.date)})"

    def fingerprint(self) -> dict[str, object]:
        return {
            "number": self.number,
            "date": self.date.isoformat(),
            "draft": self.draft,
            "previous": self.previous,
            "previous_date": self.previous_date.isoformat() if self.previous_date else None,
            "lines": list(self.lines),
        }
