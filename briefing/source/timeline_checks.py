"""Warnings about a loaded timeline: category spellings that look like slips, future events.

In: a checked ``Briefing``. Out: located warnings (``SourceError`` with severity
"warning"). Why warnings and not errors: ``Military`` next to ``military``, or
``militray``, is almost always a slip that would give one category two colours and
two legend entries, but the builder cannot be sure; an event dated after ``as_of``
may be a planned date (an election), but usually is a typing error in the year.
"""

from __future__ import annotations

import difflib

from briefing.errors import SourceError
from briefing.model import COMMON_CATEGORIES, Briefing

#: Two category names this alike (difflib ratio, case ignored) read as one misspelt.
TYPO_RATIO = 0.85


def _looks_like_typo(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= TYPO_RATIO


def timeline_warnings(b: Briefing) -> list[SourceError]:
    """One warning per category that differs from an earlier one only in case or by a likely
    typo (at its first use), and one per event dated after ``as_of``."""
    if b.timeline is None:
        return []
    warnings: list[SourceError] = []
    first_use: dict[str, int] = {}
    for i, event in enumerate(b.timeline.events):
        if event.category is not None:
            first_use.setdefault(event.category, i)
    names = list(first_use)
    for n, name in enumerate(names):
        for earlier in names[:n]:
            if not _looks_like_typo(name, earlier):
                continue
            odd, kept = name, earlier  # blame the later spelling, unless it is the common one
            if name.casefold() in COMMON_CATEGORIES and earlier.casefold() not in COMMON_CATEGORIES:
                odd, kept = earlier, name
            how = "only in case" if odd.casefold() == kept.casefold() else "by a likely typo"
            key = f"timeline.events[{first_use[odd]}].category"
            message = (
                f"category `{odd}` differs from `{kept}` {how}; they print as two "
                f"categories in the legend (write `{kept}` if they are one)"
            )
            warnings.append(SourceError(b.span_of(key), key, message, "warning"))
            break
    for i, event in enumerate(b.timeline.events):
        if event.date.first_day() > b.as_of:
            key = f"timeline.events[{i}].date"
            message = (
                f"the event is dated {event.date.iso()}, after the briefing's as_of "
                f"({b.as_of.isoformat()}); check the year, or move as_of"
            )
            warnings.append(SourceError(b.span_of(key), key, message, "warning"))
    return warnings
