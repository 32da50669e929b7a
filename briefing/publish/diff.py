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

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from briefing.publish.matching import (
    canon,
    changed_fields,
    date_label,
    dicts,
    items,
    match,
    normalize,
    quote,
    quote_pair,
    show,
    text_key,
)

#: The box prints at most this many lines; the rest is counted.
MAX_LINES = 8


@dataclass(frozen=True, slots=True)
class Change:
    """One change, as the box prints it. ``area`` is the top-level key it is about."""

    area: str
    text: str


# --- the comparison ------------------------------------------------------------------------------


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new`` (two snapshots), most important first."""
    out: list[Change] = []
    for area, compare_area in _AREAS:
        out += [Change(area, text) for text in compare_area(old.get(area), new.get(area))]
    known = {area for area, _ in _AREAS}
    for key in changed_fields(old, new, known):
        out.append(Change(key, f"{key.replace('_', ' ').capitalize()} changed"))
    return out


def _scalar(label: str, dates: bool = False) -> Callable[[object, object], Iterator[str]]:
    def compare_scalar(old: object, new: object) -> Iterator[str]:
        if canon(old) == canon(new):
            return
        if old is None:
            yield f"{label} added: {date_label(new) if dates else quote(new)}"
        elif new is None:
            yield f"{label} removed"
        elif dates:
            yield f"{label}: {date_label(old)} → {date_label(new)}"
        else:
            yield f"{label}: {quote(old)} → {quote(new)}"

    return compare_scalar


def _plain_scalar(label: str) -> Callable[[object, object], Iterator[str]]:
    def compare_scalar(old: object, new: object) -> Iterator[str]:
        if canon(old) != canon(new):
            before = "none" if old is None else old
            after = "none" if new is None else new
            yield f"{label}: {before} → {after}"

    return compare_scalar


def _summary(old: object, new: object) -> Iterator[str]:
    pairs, removed, added = match(items(old), items(new), (), similar=lambda t: normalize(t))
    for before, after in pairs:
        yield f"Bottom line reworded: {quote_pair(before, after)}"
    for text in added:
        yield f"Bottom line added: {quote(text)}"
    for text in removed:
        yield f"Bottom line removed: {quote(text)}"


def _facts(old: object, new: object) -> Iterator[str]:
    pairs, removed, added = match(dicts(old), dicts(new), (text_key("label"), text_key("value")))
    for before, after in pairs:
        label = show(after.get("label"))
        fields = changed_fields(before, after, set())
        if "value" in fields:
            yield f"{label}: {show(before.get('value'))} → {show(after.get('value'))}"
        if "label" in fields:
            yield f"Key fact renamed: {quote(before.get('label'))} → {quote(after.get('label'))}"
        rest = [f for f in fields if f not in ("value", "label")]
        if rest:
            yield f"{label}: {', '.join(rest)} changed"
    for fact in added:
        yield f"Key fact added: {show(fact.get('label'))}: {show(fact.get('value'))}"
    for fact in removed:
        yield f"Key fact removed: {show(fact.get('label'))} ({show(fact.get('value'))})"


def _when(event: Mapping[str, Any]) -> str:
    start = date_label(event.get("date"))
    return f"{start} – {date_label(event['end'])}" if event.get("end") else start


def _timeline(old: object, new: object) -> Iterator[str]:
    before = old if isinstance(old, dict) else {}
    after = new if isinstance(new, dict) else {}
    if old is None and new is not None:
        yield f"Timeline added ({len(dicts(after.get('events')))} events)"
        return
    if new is None and old is not None:
        yield "Timeline removed"
        return

    def dated(e: Any) -> object:
        return (e.get("date"), e.get("end"), normalize(e.get("label")).casefold())

    pairs, removed, added = match(
        dicts(before.get("events")),
        dicts(after.get("events")),
        (dated, text_key("label")),
        similar=lambda e: f"{e.get('date')} {normalize(e.get('label'))}",
    )
    for e in added:
        yield f"Timeline: added {_when(e)}: {show(e.get('label'))}"
    for e in removed:
        yield f"Timeline: removed {_when(e)}: {show(e.get('label'))}"
    for a, b in pairs:
        fields = changed_fields(a, b, set())
        if "date" in fields or "end" in fields:
            yield f"Timeline: {show(b.get('label'))} moved: {_when(a)} → {_when(b)}"
            fields = [f for f in fields if f not in ("date", "end")]
        if "label" in fields:
            yield f"Timeline: {_when(b)}: {quote(a.get('label'))} → {quote(b.get('label'))}"
            fields.remove("label")
        if fields:
            yield f"Timeline: {_when(b)}: {show(b.get('label'))}: {', '.join(fields)} revised"
    rest = changed_fields(before, after, {"events"})
    if rest:
        yield f"Timeline: {', '.join(rest)} revised"


def _ties(value: object) -> list[str]:
    return [show(t) for t in items(value)] if isinstance(value, list) else []


def _actors(old: object, new: object) -> Iterator[str]:
    pairs, removed, added = match(dicts(old), dicts(new), (text_key("name"),))
    for actor in added:
        yield f"Actor added: {show(actor.get('name'))}"
    for actor in removed:
        yield f"Actor removed: {show(actor.get('name'))}"
    for a, b in pairs:
        name = show(b.get("name"))
        fields = changed_fields(a, b, {"name"})
        for key in ("alignment", "role"):
            if key in fields:
                yield f"{name}: {key} {quote(a.get(key) or '—')} → {quote(b.get(key) or '—')}"
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
    pairs, removed, added = match(dicts(old), dicts(new), (text_key("heading"), text_key("body")))
    for s in added:
        yield f"Section added: “{prefix}{show(s.get('heading'))}”"
    for s in removed:
        yield f"Section removed: “{prefix}{show(s.get('heading'))}”"
    for a, b in pairs:
        heading = f"{prefix}{show(b.get('heading'))}"
        fields = changed_fields(a, b, {"sections"})
        if "heading" in fields:
            yield f"Section renamed: “{prefix}{show(a.get('heading'))}” → “{heading}”"
            fields.remove("heading")
        if fields:
            yield f"Section revised: “{heading}”"
        yield from _sections(a.get("sections"), b.get("sections"), f"{heading} › ")


def _sources(old: object, new: object) -> Iterator[str]:
    pairs, removed, added = match(dicts(old), dicts(new), (text_key("id"),))
    for s in added:
        publisher = f" ({show(s['publisher'])})" if s.get("publisher") else ""
        yield f"Source added: {show(s.get('title'))}{publisher}"
    for s in removed:
        yield f"Source removed: {show(s.get('title'))}"
    for a, b in pairs:
        yield f"Source revised: {show(b.get('title'))} ({', '.join(changed_fields(a, b, set()))})"


def _map(old: object, new: object) -> Iterator[str]:
    if old is None and new is not None:
        yield "Map added"
        return
    if new is None and old is not None:
        yield "Map removed"
        return
    a = old if isinstance(old, dict) else {}
    b = new if isinstance(new, dict) else {}
    fields = changed_fields(a, b, set())
    if "image" in fields:
        yield "Map: image replaced" if a.get("image") and b.get("image") else "Map: image changed"
        fields.remove("image")
    if "places" in fields:
        pairs, removed, added = match(
            dicts(a.get("places")), dicts(b.get("places")), (text_key("name"),)
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

    pairs, removed, added = match(dicts(old), dicts(new), (image, text_key("caption")))

    def name(f: Mapping[str, Any]) -> str:
        return quote(f["caption"]) if f.get("caption") else str(image(f))

    for f in added:
        yield f"Figure added: {name(f)}"
    for f in removed:
        yield f"Figure removed: {name(f)}"
    for a, b in pairs:
        fields = changed_fields(a, b, set())
        if "image" in fields:
            yield f"Figure image replaced: {name(b)}"
            fields.remove("image")
        if fields:
            yield f"Figure {name(b)}: {', '.join(fields)} revised"


def _authors(old: object, new: object) -> Iterator[str]:
    if canon(old) != canon(new):
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
