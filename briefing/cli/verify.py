"""``briefing verify``: read built PDFs back and check them against their sources.

Exit codes: 0 every PDF shows every fact of its source; 1 something is missing,
wrong or out of date (one located line each on stderr); 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from briefing.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    emit,
    find_root,
    guarded,
    json_dump,
    source_paths,
    usage,
)


def _resolve(paths: tuple[Path, ...], root: Path, out: Path) -> list[Path]:
    """Sources to verify: the named sources, the sources of the named PDFs, or all."""
    from briefing.publish.verify.files import source_for_pdf

    if not paths:
        return source_paths(paths, root)
    sources: list[Path] = []
    for path in paths:
        if path.suffix.lower() == ".pdf":
            if not path.is_file():
                raise usage(f"no such PDF: {path}")
            source = source_for_pdf(path, root)
            if source is None:
                raise usage(f"{path} is not in the manifest of {path.parent}: build it first")
            sources.append(source)
        else:
            sources += source_paths((path,), root)
    return sources


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder holding the PDFs and manifest (default: dist/ in the project folder).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def verify(
    paths: tuple[Path, ...], out: Path | None, quiet: bool, as_json: bool, debug: bool
) -> None:
    """Check built PDFs against their sources: every fact printed, nothing out of date.

    PATHS are sources or PDFs (default: every sources/*.yaml). Each PDF must be the
    one the manifest records, built from the source as it is now, and show every
    text of the source, the marking on every page and DRAFT where draft: true.
    """

    from briefing.publish.verify import verify_sources

    pdf_named = [p for p in paths if p.suffix.lower() == ".pdf"]
    named_sources = [p for p in paths if p not in pdf_named]
    if named_sources or not paths or (Path.cwd() / "sources").is_dir():
        root = find_root(named_sources)
    else:  # only PDFs, named from outside the project: dist/x.pdf's project is dist/..
        root = pdf_named[0].resolve().parent.parent
    out_dir = out or (pdf_named[0].parent if pdf_named else root / "dist")
    sources = _resolve(paths, root, out_dir)
    results = verify_sources(sources, root=root, out=out_dir)
    failed = 0
    for result in results:
        for problem in result.problems:
            emit(str(problem), err=True)
        failed += not result.ok
        if not quiet and not as_json:
            status = "ok" if result.ok else "failed"
            emit(f"{status:<10} {result.output or result.source}")
    if as_json:
        json_dump(
            {
                "ok": failed == 0,
                "verified": len(results) - failed,
                "failed": failed,
                "sources": [r.to_json() for r in results],
            }
        )
    elif not quiet:
        emit(f"{len(results) - failed} verified, {failed} failed")
    sys.exit(EXIT_FAILED if failed else EXIT_OK)
