"""Text and list helpers of the edition comparison (``diff.py``): how texts are normalised
and quoted, and how the items of two kept lists are paired.

Why apart: ``diff.py`` says what each part of a briefing counts as a change and how the
box words it; this says what "the same item" and "the same text" mean, once for all of
them. Kept data is untrusted, so every helper accepts any value and never raises.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from briefing.model import PartialDate
from briefing.source.markdown import plain

#: Quoted texts are cut to this many characters, so one change stays one or two lines.
QUOTE = 72
#: Two texts at least this similar are one item reworded, not one removed and one added.
SIMILAR = 0.55
#: Beyond this many (removed × added) candidate pairs, no similarity matching: they are
#: listed as removed and added (bounds the cost of a wholesale rewrite of 300 events).
MAX_PAIRS = 400


# --- text helpers ------------------------------------------------------------------------------

_CITATIONS = re.compile(r"\s*\[@[^\]]*\]")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s")


def normalize(text: object) -> str:
    """A text with its whitespace normalised: lines of one paragraph joined, runs of spaces
    made one, blank lines kept as paragraph breaks and list items kept on their own line."""
    return _normalize(text) if isinstance(text, str) else repr(text)


@lru_cache(maxsize=8192)
def _normalize(text: str) -> str:
    out: list[str] = []
    for raw in text.strip().split("\n"):
        line = _SPACE.sub(" ", raw).strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
        elif out and out[-1] != "" and not _LIST_ITEM.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out).strip()


def show(text: object, limit: int = QUOTE) -> str:
    """A text as a reader sees it, citations dropped, on one line, cut with "…" if long."""
    if not isinstance(text, str):
        return str(text)
    try:
        seen = plain(text, blocks="\n" in text.strip())
    except Exception:  # kept data is untrusted: never fail on a text the parser dislikes
        seen = text
    seen = " ".join(_CITATIONS.sub("", seen).split())
    return seen if len(seen) <= limit else seen[: limit - 1].rstrip() + "…"


def quote(text: object) -> str:
    return f"“{show(text)}”"


def _common(a: str, b: str) -> int:
    """The length of the common prefix of two texts."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def quote_pair(old: object, new: object) -> str:
    """``“old” → “new”``, both cut to the stretch around where they differ when long."""
    a, b = show(old, limit=10_000), show(new, limit=10_000)
    if len(a) <= QUOTE and len(b) <= QUOTE:
        return f"“{a}” → “{b}”"
    head = _common(a, b)
    tail = _common(a[head:][::-1], b[head:][::-1])
    start = a.rfind(" ", 0, max(0, head - 20)) + 1
    half = QUOTE // 2

    def cut(text: str) -> str:
        end = len(text) - tail
        stop = text.find(" ", min(len(text), end + 12))
        stop = len(text) if stop < 0 else stop
        piece = text[start:stop]
        if len(piece) > half + 12:
            piece = piece[: half + 11].rstrip() + "…"
        return (
            ("…" if start > 0 else "")
            + piece
            + ("…" if stop < len(text) and not piece.endswith("…") else "")
        )

    return f"“{cut(a)}” → “{cut(b)}”"


def date_label(value: object) -> str:
    """An ISO partial date as the briefing prints it (``May 1994``), or the value as is."""
    if isinstance(value, str):
        parts = value.split("-")
        try:
            numbers = [int(p) for p in parts]
            return PartialDate(*numbers).label() if 1 <= len(numbers) <= 3 else value
        except (ValueError, TypeError, IndexError):
            return value
    return str(value)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# --- shapes of kept data -----------------------------------------------------------------------


def items(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in items(value) if isinstance(v, dict)]


def canon(value: object) -> object:
    """A value with texts normalised and lists as sorted collections: equal means unchanged."""
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(sorted((canon(v) for v in value), key=repr))
    return value


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any], skip: set[str]) -> list[str]:
    keys = sorted(set(old) | set(new), key=lambda k: (k not in new, k))
    return [k for k in keys if k not in skip and canon(old.get(k)) != canon(new.get(k))]


def match(
    old: Sequence[Any],
    new: Sequence[Any],
    keys: Sequence[Callable[[Any], object]],
    similar: Callable[[Any], str] | None = None,
) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Pair old items with new ones: identical ones drop out (reordering is no change), then
    items with the same key under each of ``keys`` in turn, then (with ``similar``) the most
    similar texts. Returns (changed pairs, removed, added), each in document order."""
    unmatched: dict[object, list[int]] = {}
    for i, item in enumerate(old):
        unmatched.setdefault(canon(item), []).append(i)
    new_left: list[Any] = []
    for item in new:
        same = unmatched.get(canon(item))
        if same:
            same.pop(0)
        else:
            new_left.append(item)
    kept = sorted(i for indices in unmatched.values() for i in indices)
    old_left = [old[i] for i in kept]
    pairs: list[tuple[Any, Any]] = []
    for key in keys:
        index: dict[object, list[int]] = {}
        for i, candidate in enumerate(old_left):
            k = key(candidate)
            if k is not None:
                index.setdefault(k, []).append(i)
        taken: set[int] = set()
        still_new: list[Any] = []
        for item in new_left:
            k = key(item)
            found = index.get(k) if k is not None else None
            if found:
                i = found.pop(0)
                taken.add(i)
                pairs.append((old_left[i], item))
            else:
                still_new.append(item)
        old_left = [o for i, o in enumerate(old_left) if i not in taken]
        new_left = still_new
    if similar is not None and old_left and new_left and len(old_left) * len(new_left) <= MAX_PAIRS:
        scored = sorted(
            (
                (_similar(similar(o).casefold(), similar(n).casefold()), i, j)
                for i, o in enumerate(old_left)
                for j, n in enumerate(new_left)
            ),
            reverse=True,
        )
        used_old: set[int] = set()
        used_new: set[int] = set()
        for score, i, j in scored:
            if score < SIMILAR:
                break
            if i in used_old or j in used_new:
                continue
            used_old.add(i)
            used_new.add(j)
            pairs.append((old_left[i], new_left[j]))
        old_left = [o for i, o in enumerate(old_left) if i not in used_old]
        new_left = [n for j, n in enumerate(new_left) if j not in used_new]
    order = {id(item): i for i, item in enumerate(new)}
    pairs.sort(key=lambda p: order.get(id(p[1]), 0))
    return pairs, old_left, new_left


def text_key(field: str) -> Callable[[Any], object]:
    def key(item: Any) -> object:
        value = item.get(field) if isinstance(item, dict) else None
        return normalize(value).casefold() if isinstance(value, str) else None

    return key
