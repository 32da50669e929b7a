"""Did-you-mean over names, and values quoted short: the words of messages about names.

Why: an unknown key, citation, source id or heading is most often a typo of a
real one; saying which costs one lookup per bad name, bounded per file so a
file of thousands of bad citations stays fast.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


class Suggester:
    """Did-you-mean over a fixed set of names, with a bounded cost per file.

    The same spelling ignoring case, ``_``, ``-``, ``:`` and spaces is found at
    once; otherwise difflib compares the word with every name, which is
    costly for thousands of bad citations against thousands of ids, so those
    comparisons stop after ``budget`` and later words get no suggestion.
    """

    def __init__(self, names: Iterable[str], budget: int = 50_000) -> None:
        self.by_squash: dict[str, str] = {}
        self.by_lower: dict[str, str] = {}
        for name in names:
            self.by_squash.setdefault(_squash(name), name)
            self.by_lower.setdefault(name.lower(), name)
        self.budget = budget

    def suggest(self, word: str) -> str | None:
        match = self.by_squash.get(_squash(word))
        if match is not None or len(self.by_lower) > self.budget:
            return match
        self.budget -= len(self.by_lower)
        close = difflib.get_close_matches(word.lower(), list(self.by_lower), n=1, cutoff=0.6)
        return self.by_lower[close[0]] if close else None

    def hint(self, word: str) -> str:
        """``; did you mean `x`?`` or nothing: the tail of a message about an unknown name."""
        match = self.suggest(word)
        return f"; did you mean `{match}`?" if match is not None else ""


def _squash(text: str) -> str:
    return re.sub(r"[\s_:+-]", "", text.lower())


def short(text: str, limit: int = 60) -> str:
    """A value quoted in a message, cut so that one absurd value cannot flood the terminal."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
