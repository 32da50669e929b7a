"""``briefing trace FILE.pdf``: the briefing, edition, reader and copy number of a copy.

Exit codes: 0 the copy was found in the log; 1 the file is no controlled copy,
or its copy id is not in this project's log; 2 usage error (no such file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder holding the distribution log (default: dist/ in the current folder).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was found as JSON on stdout.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def trace(file: Path, out_dir: Path | None, as_json: bool, debug: bool) -> None:
    """Name the briefing, edition, reader and copy number of a controlled copy.

    Reads the copy id from the PDF (its metadata, or the footer if the metadata
    was stripped) and looks it up in dist/distribution/log.jsonl of the project
    in the current folder.
    """
    from briefing.cli.base import guarded

    @guarded
    def run(debug: bool) -> None:
        from briefing.cli.base import emit
        from briefing.distribute.trace import NotAPdf
        from briefing.distribute.trace import trace as find

        out = out_dir or Path.cwd() / "dist"
        try:
            found = find(file, out)
        except NotAPdf as exc:
            emit(f"{file}: not a PDF ({exc})", err=True)
            sys.exit(1)
        if as_json:
            emit(json.dumps({"file": str(file), **found.to_json()}, indent=2, ensure_ascii=False))
        if found.copy_id is None:
            if not as_json:
                emit(f"{file}: not a controlled copy (no copy id in its metadata or footer)")
            sys.exit(1)
        if not found.records:
            if not as_json:
                stamped = f" (stamped for {found.stamped_for})" if found.stamped_for else ""
                emit(
                    f"{file}: copy id {found.copy_id}{stamped} is not in "
                    f"{out / 'distribution' / 'log.jsonl'}: this project never recorded that copy"
                )
            sys.exit(1)
        if not as_json:
            r = found.records[0]
            what = f"pack {r.item}" if r.kind == "pack" else r.item
            emit(f"{file}: copy id {found.copy_id} (read from the {found.found_in})")
            emit(f"  {what}, edition {r.edition}")
            holder = found.stamped_for or r.recipient
            emit(f"  copy {r.copy} of {r.of}, for {holder} (recipient {r.recipient})")
            for rec in found.records:
                where = f" to {rec.to}" if rec.to else ""
                error = f": {rec.error}" if rec.error else ""
                emit(f"  {rec.time} {rec.status} by {rec.method}{where}{error}")
            verdict = (
                "the file is byte for byte the copy that was delivered"
                if found.identical
                else "the file differs from the copy that was delivered (changed after delivery)"
            )
            emit(f"  {verdict}")
        sys.exit(0)

    run(debug=debug)
