"""What changed between two editions: two snapshots in, one printed line per change out.

Why here (publish), and on snapshots: editions are compared long after they were
built, from the plain data the history keeps (``snapshot.py``), so the comparison
must not need the kept edition to load as a ``Briefing`` under today's format; and
its lines quote texts as a reader sees them, which needs the Markdown subset
(``source.markdown``), so it cannot sit below the source stage. It is pure: data
in, data out, no files, cheap enough to run on every build (about a millisecond on
the example). Kept data is untrusted: anything of an unexpected shape compares as
"changed", never as an exception.

What counts as a change is what a reader would see differently. Lists are matched
as collections, so reordering alone is not a change; texts are compared with their
whitespace normalised (a re-wrapped paragraph is the same paragraph); YAML style
never reaches the model. Every field is compared: the ones the contract names get
their own wording (a key fact's value "old → new"), the rest are named generically
("Map: caption revised"), and a field a later format adds still counts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from briefing.model import PartialDate
from briefing.source.markdown import plain

#: The box prints at most this many lines; the rest is counted.
MAX_LINES = 8
#: Quoted texts are cut to this many characters, so one change stays one or two lines.
QUOTE = 72
#: Two texts at least this similar are one item reworded, not one removed and one added.
SIMILAR = 0.55
#: Beyond this many (removed × added) candidate pairs, no similarity matching: they are
#: listed as removed and added (bounds the cost of a wholesale rewrite of 300 events).
MAX_PAIRS = 400


@dataclass(frozen=True, slots=True)
class Change:
    """One change, as the box prints it. ``area`` is the top-level key it is about."""

    area: str
    text: str


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


def _q(text: object) -> str:
    return f"“{show(text)}”"


def _common(a: str, b: str) -> int:
    """The length of the common prefix of two texts."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _q_pair(old: object, new: object) -> str:
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


def _date(value: object) -> str:
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


def _items(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in _items(value) if isinstance(v, dict)]


def _canon(value: object) -> object:
    """A value with texts normalised and lists as sorted collections: equal means unchanged."""
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(sorted((_canon(v) for v in value), key=repr))
    return value


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any], skip: set[str]) -> list[str]:
    keys = sorted(set(old) | set(new), key=lambda k: (k not in new, k))
    return [k for k in keys if k not in skip and _canon(old.get(k)) != _canon(new.get(k))]


def _match(
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
        unmatched.setdefault(_canon(item), []).append(i)
    new_left: list[Any] = []
    for item in new:
        same = unmatched.get(_canon(item))
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


def _text_key(field: str) -> Callable[[Any], object]:
    def key(item: Any) -> object:
        value = item.get(field) if isinstance(item, dict) else None
        return normalize(value).casefold() if isinstance(value, str) else None

    return key


# --- the comparison ------------------------------------------------------------------------------


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new`` (two snapshots), most important first."""
    out: list[Change] = []
    for area, compare_area in _AREAS:
        out += [Change(area, text) for text in compare_area(old.get(area), new.get(area))]
    known = {area for area, _ in _AREAS}
    for key in _changed_fields(old, new, known):
        out.append(Change(key, f"{key.replace('_', ' ').capitalize()} changed"))
    return out


def _scalar(label: str, dates: bool = False) -> Callable[[object, object], Iterator[str]]:
    def compare_scalar(old: object, new: object) -> Iterator[str]:
        if _canon(old) == _canon(new):
            return
        if old is None:
            yield f"{label} added: {_date(new) if dates else _q(new)}"
        elif new is None:
            yield f"{label} removed"
        elif dates:
            yield f"{label}: {_date(old)} → {_date(new)}"
        else:
            yield f"{label}: {_q(old)} → {_q(new)}"

    return compare_scalar


def _plain_scalar(label: str) -> Callable[[object, object], Iterator[str]]:
    def compare_scalar(old: object, new: object) -> Iterator[str]:
        if _canon(old) != _canon(new):
            before = "none" if old is None else old
            after = "none" if new is None else new
            yield f"{label}: {before} → {after}"

    return compare_scalar


def _summary(old: object, new: object) -> Iterator[str]:
    pairs, removed, added = _match(_items(old), _items(new), (), similar=lambda t: normalize(t))
    for before, after in pairs:
        yield f"Bottom line reworded: {_q_pair(before, after)}"
    for text in added:
        yield f"Bottom line added: {_q(text)}"
    for text in removed:
        yield f"Bottom line removed: {_q(text)}"


def _facts(old: object, new: object) -> Iterator[str]:
    pairs, removed, added = _match(
        _dicts(old), _dicts(new), (_text_key("label"), _text_key("value"))
    )
    for before, after in pairs:
        label = show(after.get("label"))
        fields = _changed_fields(before, after, set())
        if "value" in fields:
            yield f"{label}: {show(before.get('value'))} → {show(after.get('value'))}"
        if "label" in fields:
            yield f"Key fact renamed: {_q(before.get('label'))} → {_q(after.get('label'))}"
        rest = [f for f in fields if f not in ("value", "label")]
        if rest:
            yield f"{label}: {', '.join(rest)} changed"
    for fact in added:
        yield f"Key fact added: {show(fact.get('label'))}: {show(fact.get('value'))}"
    for fact in removed:
        yield f"Key fact removed: {show(fact.get('label'))} ({show(fact.get('value'))})"


def _when(event: Mapping[str, Any]) -> str:
    start = _date(event.get("date"))
    return f"{start} – {_date(event['end'])}" if event.get("end") else start


def _timeline(old: object, new: object) -> Iterator[str]:
    before = old if isinstance(old, dict) else {}
    after = new if isinstance(new, dict) else {}
    if old is None and new is not None:
        yield f"Timeline added ({len(_dicts(after.get('events')))} events)"
        return
    if new is None and old is not None:
        yield "Timeline removed"
        return

    def dated(e: Any) -> object:
        return (e.get("date"), e.get("end"), normalize(e.get("label")).casefold())

    pairs, removed, added = _match(
        _dicts(before.get("events")),
        _dicts(after.get("events")),
        (dated, _text_key("label")),
        similar=lambda e: f"{e.get('date')} {normalize(e.get('label'))}",
    )
    for e in added:
        yield f"Timeline: added {_when(e)}: {show(e.get('label'))}"
    for e in removed:
        yield f"Timeline: removed {_when(e)}: {show(e.get('label'))}"
    for a, b in pairs:
        fields = _changed_fields(a, b, set())
        if "date" in fields or "end" in fields:
            yield f"Timeline: {show(b.get('label'))} moved: {_when(a)} → {_when(b)}"
            fields = [f for f in fields if f not in ("date", "end")]
        if "label" in fields:
            yield f"Timeline: {_when(b)}: {_q(a.get('label'))} → {_q(b.get('label'))}"
            fields.remove("label")
        if fields:
            yield f"Timeline: {_when(b)}: {show(b.get('label'))}: {', '.join(fields)} revised"
    rest = _changed_fields(before, after, {"events"})
    if rest:
        yield f"Timeline: {', '.join(rest)} revised"


def _ties(value: object) -> list[str]:
    return [show(t) for t in _items(value)] if isinstance(value, list) else []


def _actors(old: object, new: object) -> Iterator[str]:
    pairs, removed, added = _match(_dicts(old), _dicts(new), (_text_key("name"),))
    for actor in added:
        yield f"Actor added: {show(actor.get('name'))}"
    for actor in removed:
        yield f"Actor removed: {show(actor.get('name'))}"
    for a, b in pairs:
        name = show(b.get("name"))
        fields = _changed_fields(a, b, {"name"})
        for key in ("alignment", "role"):
            if key in fields:
                yield f"{name}: {key} {_q(a.get(key) or '—')} → {_q(b.get(key) or '—')}"
                fields.remove(key)
        if "ties" in fields:
            old_ties, new_ties = _ties(a.get("ties")), _ties(b.get("ties"))
            gained = [t for t in new_ties if t not in old_ties]
            lost = [t for t in old_ties if t not in new_ties]
            parts = [f"+{t}" for t in gained] + [f"−{t}" for t in lost]
            yield f"{name}: ties {' '.join(parts) or 'revised'}"
            fields.remove("ties")
        if fields:
            yield f"{name}: {', '.join(fields)} revised"


def _sections(old: object, new: object, prefix: str = "") -> Iterator[str]:
    pairs, removed, added = _match(
        _dicts(old), _dicts(new), (_text_key("heading"), _text_key("body"))
    )
    for s in added:
        yield f"Section added: “{prefix}{show(s.get('heading'))}”"
    for s in removed:
        yield f"Section removed: “{prefix}{show(s.get('heading'))}”"
    for a, b in pairs:
        heading = f"{prefix}{show(b.get('heading'))}"
        fields = _changed_fields(a, b, {"sections"})
        if "heading" in fields:
            yield f"Section renamed: “{prefix}{show(a.get('heading'))}” → “{heading}”"
            fields.remove("heading")
        if fields:
            yield f"Section revised: “{heading}”"
        yield from _sections(a.get("sections"), b.get("sections"), f"{heading} › ")


def _sources(old: object, new: object) -> Iterator[str]:
    pairs, removed, added = _match(_dicts(old), _dicts(new), (_text_key("id"),))
    for s in added:
        publisher = f" ({show(s['publisher'])})" if s.get("publisher") else ""
        yield f"Source added: {show(s.get('title'))}{publisher}"
    for s in removed:
        yield f"Source removed: {show(s.get('title'))}"
    for a, b in pairs:
        yield f"Source revised: {show(b.get('title'))} ({', '.join(_changed_fields(a, b, set()))})"


def _map(old: object, new: object) -> Iterator[str]:
    if old is None and new is not None:
        yield "Map added"
        return
    if new is None and old is not None:
        yield "Map removed"
        return
    a = old if isinstance(old, dict) else {}
    b = new if isinstance(new, dict) else {}
    fields = _changed_fields(a, b, set())
    if "image" in fields:
        yield "Map: image replaced" if a.get("image") and b.get("image") else "Map: image changed"
        fields.remove("image")
    if "places" in fields:
        pairs, removed, added = _match(
            _dicts(a.get("places")), _dicts(b.get("places")), (_text_key("name"),)
        )
        for label, items in (
            ("added", added),
            ("removed", removed),
            ("moved", [p[1] for p in pairs]),
        ):
            if items:
                yield f"Map: places {label}: {', '.join(show(p.get('name')) for p in items)}"
        fields.remove("places")
    if fields:
        yield f"Map: {', '.join(fields)} revised"


def _figures(old: object, new: object) -> Iterator[str]:
    def image(f: Any) -> object:
        value = f.get("image")
        return value.get("path") if isinstance(value, dict) else None

    pairs, removed, added = _match(_dicts(old), _dicts(new), (image, _text_key("caption")))

    def name(f: Mapping[str, Any]) -> str:
        return _q(f["caption"]) if f.get("caption") else str(image(f))

    for f in added:
        yield f"Figure added: {name(f)}"
    for f in removed:
        yield f"Figure removed: {name(f)}"
    for a, b in pairs:
        fields = _changed_fields(a, b, set())
        if "image" in fields:
            yield f"Figure image replaced: {name(b)}"
            fields.remove("image")
        if fields:
            yield f"Figure {name(b)}: {', '.join(fields)} revised"


def _authors(old: object, new: object) -> Iterator[str]:
    if _canon(old) != _canon(new):
        yield f"Authors: {', '.join(_ties(new)) or 'none'}"


#: Areas in the order the box lists them: what a reader must not miss first.
_AREAS: tuple[tuple[str, Callable[[Any, Any], Iterator[str]]], ...] = (
    ("title", _scalar("Title")),
    ("marking", _plain_scalar("Marking")),
    ("summary", _summary),
    ("key_facts", _facts),
    ("timeline", _timeline),
    ("actors", _actors),
    ("sections", _sections),
    ("sources", _sources),
    ("map", _map),
    ("figures", _figures),
    ("subtitle", _scalar("Subtitle")),
    ("organization", _scalar("Organization")),
    ("authors", _authors),
    ("review_by", _scalar("Review by", dates=True)),
    ("language", _plain_scalar("Language")),
    ("page_size", _plain_scalar("Page size")),
    ("as_of", _scalar("As of", dates=True)),
)


def box_lines(notes: Sequence[str], changes: Sequence[Change], limit: int = MAX_LINES) -> list[str]:
    """The box's lines: the analyst's notes, then the changes found; at most ``limit``, and
    the rest counted ("and 5 more changes")."""
    lines = [show(n, limit=400) for n in notes] + [c.text for c in changes]
    if len(lines) <= limit:
        return lines
    more = len(lines) - limit
    return [*lines[:limit], f"and {more} more change{'s' if more != 1 else ''}"]
