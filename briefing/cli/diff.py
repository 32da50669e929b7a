"""``briefing diff ID``: what changed between two editions, or since the last one.

Why: the changes box on page 1 holds eight lines; an analyst about to issue an
edition, or a reader's question ("what changed in edition 3?"), needs the whole
list. It is the same comparison the build makes, run on the kept history in the
output folder, without building anything.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import click

from briefing.cli.base import EXIT_FAILED, EXIT_OK, Failure, find_root, guarded, json_dump
from briefing.model import long_date


def _find_source(root: Path, out: Path, briefing_id: str) -> Path | None:
    """The source whose id is ``briefing_id``: as the manifest records it, by file name, or
    (last) by loading each source."""
    from briefing.publish import manifest
    from briefing.publish.build import discover
    from briefing.source.load import load

    for entry in manifest.read(out).values():
        if entry.id == briefing_id and (root / entry.source).is_file():
            return root / entry.source
    folder = root / "sources"
    for suffix in (".yaml", ".yml"):
        if (folder / f"{briefing_id}{suffix}").is_file():
            return folder / f"{briefing_id}{suffix}"
    for path in discover(root) if folder.is_dir() else []:
        try:
            if load(path, root=root).id == briefing_id:
                return path
        except Exception:  # a source that does not load is not the one asked for
            continue
    return None


def _is_draft(source: Path, root: Path) -> bool:
    from briefing.source.load import load

    try:
        return bool(load(source, root=root).draft)
    except Exception:  # a source that does not load: the build will say why
        return False


def _known_ids(root: Path, out: Path, briefing_id: str) -> str:
    """ "; did you mean `x`?" or ": the briefings are a, b", from the kept histories and
    the sources' file names (loading every source is not worth it for a hint)."""
    from briefing.publish.build import discover
    from briefing.source.suggest import Suggester

    folder = out / "editions"
    ids = {p.name for p in folder.iterdir() if p.is_dir()} if folder.is_dir() else set()
    ids |= {p.stem for p in discover(root)} if (root / "sources").is_dir() else set()
    if not ids:
        return ": there are no sources and no kept editions"
    near = Suggester(ids).suggest(briefing_id)
    if near is not None:
        return f"; did you mean `{near}`?"
    shown = sorted(ids)
    more = f" and {len(shown) - 10} more" if len(shown) > 10 else ""
    return ": the briefings are " + ", ".join(shown[:10]) + more


@click.command()
@click.argument("briefing_id", metavar="ID")
@click.option("--from", "from_", type=click.IntRange(min=1), help="Edition to compare from.")
@click.option(
    "--to", type=click.IntRange(min=1), help="Edition to compare to (default: the working source)."
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder holding the history (default: dist/ in the project folder).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON on stdout.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def diff(
    briefing_id: str,
    from_: int | None,
    to: int | None,
    out: Path | None,
    as_json: bool,
    debug: bool,
) -> None:
    """Show what changed between two kept editions of briefing ID.

    Without options: the working source against the last edition, what the next
    build would print in its changes box (in full). --from N alone: edition N against
    the working source; --to M alone: edition M against the one before it.
    """
    from briefing.errors import SourceInvalid
    from briefing.publish import editions
    from briefing.publish.diff import compare
    from briefing.publish.snapshot import file_describer, snapshot
    from briefing.source.load import load

    root = find_root(())
    out_dir = out or root / "dist"
    kept = editions.numbers(out_dir, briefing_id)
    if not kept:
        where = editions.folder(out_dir, briefing_id)
        found = _find_source(root, out_dir, briefing_id)
        if found is None:  # a typo, not an unbuilt source
            hint = _known_ids(root, out_dir, briefing_id)
            raise Failure(f"no briefing has the id '{briefing_id}'{hint}")
        if _is_draft(found, root):
            raise Failure(
                f"no edition of '{briefing_id}' is kept: it is a draft, and drafts make no "
                "editions; delete its `draft: true` and build it"
            )
        raise Failure(f"no edition of '{briefing_id}' is kept in {where}: build it first")
    if from_ is None:
        from_ = kept[-1] if to is None else to - 1
    if from_ < 1:
        raise click.UsageError("edition 1 is the first: there is nothing before it to compare")
    if to is not None and to <= from_:
        raise click.UsageError(f"--to {to} must be a later edition than --from {from_}")
    for number in (from_, to):
        if number is not None and number not in kept:
            listed = ", ".join(str(n) for n in kept)
            raise Failure(f"edition {number} of '{briefing_id}' is not kept (kept: {listed})")
    try:
        old = editions.read(out_dir, briefing_id, from_, root=root)
        new_ed = editions.read(out_dir, briefing_id, to, root=root) if to is not None else None
    except editions.BadRecord as exc:
        raise Failure.of(dataclasses.replace(exc.problem, severity="error")) from None
    base, note = editions.comparable(old, root)
    target: dict[str, Any]
    if new_ed is not None:
        after, note_after = editions.comparable(new_ed, root)
        note = note or note_after
        notes = list(new_ed.notes)
        target = {"edition": new_ed.number, "date": new_ed.date.isoformat(), "source": None}
        label = f"edition {new_ed.number} ({long_date(new_ed.date)})"
    else:
        source = _find_source(root, out_dir, briefing_id)
        if source is None:
            raise Failure(f"no source in {root / 'sources'} has the id '{briefing_id}'")
        try:
            b = load(source, root=root)
        except SourceInvalid as exc:
            for error in exc.errors:
                click.echo(str(error), err=True)
            sys.exit(EXIT_FAILED)
        after = snapshot(b, file_describer(root, {}))
        notes = list(b.changes)
        shown = source.relative_to(root).as_posix() if source.is_relative_to(root) else source
        target = {"edition": None, "date": b.as_of.isoformat(), "source": str(shown)}
        label = f"the working source {shown}"
    changes = compare(base, after)
    if as_json:
        json_dump(
            {
                "id": briefing_id,
                "from": {"edition": old.number, "date": old.date.isoformat()},
                "to": target,
                "notes": notes,
                "changes": [{"area": c.area, "text": c.text} for c in changes],
                "note": note,
            }
        )
        sys.exit(EXIT_OK)
    click.echo(f"{briefing_id}: edition {old.number} ({long_date(old.date)}) → {label}")
    if note:
        click.echo(f"note: {note}")
    for line in notes:
        click.echo(f"  note: {line}")
    for change in changes:
        click.echo(f"  {change.text}")
    count = len(changes)
    click.echo(f"{count} change{'s' if count != 1 else ''}" if count else "no changes")
    sys.exit(EXIT_OK)
