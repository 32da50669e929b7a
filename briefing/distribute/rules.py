"""Handling rules: which reader may receive which marking, and who is routed what.

Why: these decide who may hold what, so they are small pure functions over the
checked file, tested as a matrix (every marking × every clearance × by id or
by list). Every refusal carries the rule's name and one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.distribute.config import Distribution
from briefing.distribute.schema import TLP_ORDER

DEFAULT_LEVEL = "TLP:CLEAR"


def level_of(marking: str | None, dist: Distribution) -> str:
    """The TLP label a marking ranks as: itself, its ``marking_levels`` entry, or TLP:CLEAR."""
    if marking is None:
        return DEFAULT_LEVEL
    if marking in TLP_ORDER:
        return marking
    exact = dist.marking_levels.get(marking.strip())
    if exact is not None:
        return exact
    # "Official-Sensitive" or "OFFICIAL SENSITIVE" for OFFICIAL-SENSITIVE: the same
    # marking to a reader, and ranking it TLP:CLEAR sent it to every reader routed it
    loose = {_loose(k): v for k, v in dist.marking_levels.items()}
    return loose.get(_loose(marking), DEFAULT_LEVEL)


def unranked(marking: str | None, dist: Distribution) -> bool:
    """A marking that is neither a TLP label nor in ``marking_levels``: it ranks as
    TLP:CLEAR by the contract, which sends a ``SECRET`` briefing to every reader routed
    it, so the plan warns about it."""
    if marking is None or marking in TLP_ORDER:
        return False
    loose = {_loose(k) for k in dist.marking_levels}
    return marking.strip() not in dist.marking_levels and _loose(marking) not in loose


def _loose(marking: str) -> str:
    """A marking compared without case, and with spaces, hyphens and underscores alike."""
    return " ".join(re.split(r"[\s_-]+", marking.strip().casefold()))


def rank(label: str) -> int:
    return TLP_ORDER.index(label)


def highest(markings: list[str | None], dist: Distribution) -> str | None:
    """The marking of highest level (the first of equals); None when none is marked."""
    best: str | None = None
    for marking in markings:
        if marking is None:
            continue
        if best is None or rank(level_of(marking, dist)) > rank(level_of(best, dist)):
            best = marking
    return best


@dataclass(frozen=True, slots=True)
class Routed:
    """A reader an item is routed to; ``direct``: named by id in some route (not only a list)."""

    recipient: str
    direct: bool


def routed(
    dist: Distribution, *, briefing: str | None = None, pack: str | None = None
) -> list[Routed]:
    """The readers of one briefing or pack, in the order of ``recipients``."""
    direct: dict[str, bool] = {}
    for route in dist.routes:
        if briefing is not None and not ("*" in route.briefings or briefing in route.briefings):
            continue
        if pack is not None and pack not in route.packs:
            continue
        for name in route.to:
            if name in dist.lists:
                for member in dist.lists[name]:
                    direct.setdefault(member, False)
            else:
                direct[name] = True
    return [Routed(r.id, direct[r.id]) for r in dist.recipients if r.id in direct]


def refusal(marking: str | None, reader: Routed, dist: Distribution) -> str | None:
    """Why ``reader`` may not receive an item marked ``marking``, or None when they may."""
    level = level_of(marking, dist)
    recipient = dist.recipient(reader.recipient)
    shown = level if marking == level or marking is None else f"{marking} (ranked {level})"
    if rank(level) > rank(recipient.cleared):
        return f"rule cleared: {shown} is above the reader's clearance {recipient.cleared}"
    if level == "TLP:RED" and not reader.direct:
        return "rule TLP:RED: goes only to readers routed by their own id, not through a list"
    if level == "TLP:AMBER+STRICT":
        own = dist.sender.organization if dist.sender else None
        if own is None or recipient.organization != own:
            theirs = recipient.organization or "no organization"
            return f"rule TLP:AMBER+STRICT: only for {own}; the reader is of {theirs}"
    return None
