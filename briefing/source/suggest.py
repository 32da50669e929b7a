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


class IdSuggester(Suggester):
    """Did-you-mean for source ids, which people shorten and re-date rather than misspell.

    ``[@bbc-2023]`` for ``bbc-banjska`` shares its first word with the id it
    means but is closer, letter by letter, to ``crs-2023``: so an id sharing
    the first word (``bbc``) wins over whole-id similarity, several such ids are
    all offered, and when nothing is close a short list of the ids is shown.
    """

    #: Up to this many ids, an unknown id with no likely match lists them all.
    LIST_UP_TO = 8

    def __init__(self, names: Iterable[str], budget: int = 50_000) -> None:
        names = list(dict.fromkeys(names))
        super().__init__(names, budget)
        self.names = names
        self.by_word: dict[str, list[str]] = {}
        for name in names:
            self.by_word.setdefault(_first_word(name), []).append(name)

    def hint(self, word: str) -> str:
        exact = self.by_squash.get(_squash(word))
        if exact is not None:
            return f"; did you mean `{exact}`?"
        same = self.by_word.get(_first_word(word), [])
        if not same:
            same = [n for n in self.names[:1000] if n.lower().startswith(word.lower())]
        if len(same) == 1:
            return f"; did you mean `{same[0]}`?"
        if 1 < len(same) <= self.LIST_UP_TO:
            return "; did you mean " + " or ".join(f"`{n}`" for n in same) + "?"
        match = self.suggest(word)
        if match is not None and _similar(_first_word(match), _first_word(word)):
            return f"; did you mean `{match}`?"  # a typo in the first word: `bcc-banjska`
        if len(self.names) == 1:
            return f"; the only source id is `{self.names[0]}`"
        if 1 < len(self.names) <= self.LIST_UP_TO:
            return "; the source ids are " + ", ".join(f"`{n}`" for n in self.names)
        return ""


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


def _first_word(name: str) -> str:
    return re.split(r"[-_.:]", name.lower(), maxsplit=1)[0]


def _squash(text: str) -> str:
    return re.sub(r"[\s_:+-]", "", text.lower())


def short(text: str, limit: int = 60) -> str:
    """A value quoted in a message, cut so that one absurd value cannot flood the terminal."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
