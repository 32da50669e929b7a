"""Packs (read-books): ``dist/packs/<id>.pdf``, a cover and each member's current edition.

Why: one PDF in the morning instead of six attachments. A pack has editions of
its own: a new one whenever the set of members or a member's edition changes,
remembered in ``dist/packs/<id>.json`` beside the PDF. Members keep their own
banners and "As of" footers; their page numbers are replaced by the pack's, so
numbers run through the pack. A member that is held back (a draft, stale, a
failed build) is left out of the pack with a warning; it holds back nothing else.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import replace
from pathlib import Path

from briefing.distribute.config import Distribution, Pack
from briefing.distribute.items import Item
from briefing.distribute.rules import highest
from briefing.errors import SourceError
from briefing.model import long_date
from briefing.publish.fsutil import remove_stale_temps, sha256_bytes, sha256_file, write_atomic

PACKS = "packs"
#: The block ``document.py`` ends every page with: "Page X of Y" at the right of the footer.
_PAGE_NUMBER = re.compile(
    rb"q\n[^\n]* rg\nBT 1 0 0 1 [\d.]+ [\d.]+ Tm /[^ ]+ 8 Tf [\d.]+ TL "
    rb"\(Page \d+ of \d+\) Tj T\* ET\nQ\n\s*$"
)


def pack_items(
    dist: Distribution, briefings: dict[str, Item], out: Path, *, write: bool
) -> tuple[list[Item], list[SourceError]]:
    """Each pack as an item (its current edition, made when ``write``), and a warning at
    the pack's line for each briefing it leaves out."""
    items: list[Item] = []
    warnings: list[SourceError] = []
    for p, pack in enumerate(dist.packs):
        members = []
        for b, bid in enumerate(pack.briefings):
            member = briefings.get(bid)
            why = "it has not been built" if member is None else member.held
            if member is None or why is not None:
                key = f"packs[{p}].briefings[{b}]"
                message = f"pack {pack.id} leaves out {bid}: {why}"
                warnings.append(SourceError(dist.span_of(key), key, message, "warning", "left-out"))
            else:
                members.append(member)
        items.append(_pack_item(dist, pack, members, out, write=write))
    return items, warnings


def _state_path(out: Path, pack_id: str) -> Path:
    return out / PACKS / f"{pack_id}.json"


def _read_state(out: Path, pack_id: str) -> dict[str, object]:
    try:
        data = json.loads(_state_path(out, pack_id).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _pack_item(
    dist: Distribution, pack: Pack, members: list[Item], out: Path, *, write: bool
) -> Item:
    pdf = out / PACKS / f"{pack.id}.pdf"
    key = [[m.id, m.edition] for m in members]
    state = _read_state(out, pack.id)
    last = state.get("edition") if isinstance(state.get("edition"), int) else 0
    marking = highest([m.marking for m in members], dist)
    as_of = max((m.as_of for m in members), default="")
    base = Item(
        "pack",
        pack.id,
        pack.title,
        marking,
        None,
        as_of,
        pdf,
        None,
        members=tuple((m.id, int(m.edition or 0)) for m in members),
    )
    if not members:
        return replace(base, held="none of its briefings can be sent", edition=last or None)
    current = state.get("members") == key and state.get("title") == pack.title
    edition = int(last) if current and last else int(last or 0) + 1  # type: ignore[arg-type]
    changes = (
        _changes(state, members)
        if edition > 1 and not current
        else tuple(state.get("changes") or ())
    )  # type: ignore[arg-type]
    summary = tuple(f"{m.title} (edition {m.edition}, as of {m.as_of})" for m in members)
    item = replace(base, edition=edition, changes=changes, summary=summary)
    fresh = current and pdf.is_file() and state.get("sha256") == _sha(pdf)
    if fresh:
        return replace(item, sha256=str(state["sha256"]), pages=int(state.get("pages", 0)))  # type: ignore[call-overload]
    if not write:
        return replace(item, held=None)
    remove_stale_temps(out / PACKS)  # left by a killed run; the distribution lock is held
    data, pages = build_pack(pack.title, edition, marking, members, as_of)
    write_atomic(data, pdf)
    record = {
        "edition": edition,
        "title": pack.title,
        "members": key,
        "changes": list(changes),
        "sha256": sha256_bytes(data),
        "pages": pages,
    }
    write_atomic((json.dumps(record, indent=2) + "\n").encode(), _state_path(out, pack.id))
    return replace(item, sha256=sha256_bytes(data), pages=pages)


def _sha(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def _changes(state: dict[str, object], members: list[Item]) -> tuple[str, ...]:
    before = {str(m[0]): m[1] for m in state.get("members", []) or []}  # type: ignore[union-attr,index]
    lines = []
    for m in members:
        if m.id not in before:
            lines.append(f"Added: {m.title} (edition {m.edition})")
        elif before[m.id] != m.edition:
            lines.append(f"{m.title}: edition {m.edition} (was {before[m.id]})")
    now = {m.id for m in members}
    lines += [f"Removed: {bid}" for bid in before if bid not in now]
    return tuple(lines)


def build_pack(
    title: str, edition: int, marking: str | None, members: list[Item], as_of: str
) -> tuple[bytes, int]:
    """The pack's bytes and page count: cover, members with pack page numbers, links, outline."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import NameObject, StreamObject

    from briefing.render.pdf.cover import ContentsRow, cover_pages, draw_cover
    from briefing.render.pdf.stamp import page_number_overlay

    readers = [PdfReader(io.BytesIO(m.pdf.read_bytes())) for m in members]
    first = readers[0].pages[0].mediabox
    size = (float(first.width), float(first.height))
    start = cover_pages(len(members)) + 1
    rows = []
    for member, reader in zip(members, readers, strict=True):
        rows.append(ContentsRow(member.title, int(member.edition or 0), _long(member.as_of), start))
        start += len(reader.pages)
    date = _long(as_of)
    cover = draw_cover(
        title=title, date=date, edition=edition, marking=marking, rows=rows, size=size
    )
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover.pdf)), import_outline=False)
    for member, reader in zip(members, readers, strict=True):
        writer.append(reader, outline_item=member.title)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    numbers = PdfReader(io.BytesIO(page_number_overlay(sizes)))
    n_cover = cover_pages(len(members))
    for index, page in enumerate(writer.pages):
        if index >= n_cover:
            contents = page.get_contents()
            if contents is not None:
                data = _PAGE_NUMBER.sub(b"", contents.get_data())
                stream = StreamObject()
                stream.set_data(data)
                page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
        page.merge_page(numbers.pages[index])
    for page_index, rect, target in cover.links:
        writer.add_annotation(page_index, Link(rect=rect, target_page_index=target))
    created = f"D:{as_of.replace('-', '')}000000+00'00'" if as_of else None
    meta = {
        "/Title": title,
        "/Subject": f"Read-book, edition {edition}",
        "/Creator": "briefing",
        "/Producer": "briefing",
    }
    if marking:
        meta["/Keywords"] = marking
    if created:
        meta["/CreationDate"] = created
        meta["/ModDate"] = created
    writer.add_metadata(meta)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), len(writer.pages)


def _long(iso: str) -> str:
    try:
        return long_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso
