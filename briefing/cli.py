"""The command line: the only place that parses arguments, prints, and picks an exit code.

Exit codes, for schedulers:
  0  every source built or was already up to date
  1  at least one source failed (the others were still built; failed ones keep their last PDF),
     or an internal error (one line; ``--debug`` shows the traceback)
  2  usage error: a bad option, a missing file, not a project folder
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from briefing import __version__

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _fail_usage(message: str) -> NoReturn:
    raise click.UsageError(message)


def _guarded(func: F) -> F:
    """Turn any unexpected exception into one line and exit 1 (traceback with --debug)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                traceback.print_exc()
            click.echo(
                f"briefing: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback)",
                err=True,
            )
            sys.exit(EXIT_FAILED)

    return wrapper  # type: ignore[return-value]


def find_root(paths: Sequence[Path]) -> Path:
    """The project folder (the one holding ``sources/``) for the given sources or the cwd."""
    cwd = Path.cwd()
    if not paths:
        if (cwd / "sources").is_dir():
            return cwd
        _fail_usage(
            f"no sources/ folder in {cwd}: run this in a project folder "
            "(one holding sources/*.yaml), name the source files to use, "
            "or start a project with `briefing init`"
        )
    first = paths[0].resolve()
    for parent in first.parents:
        if parent.name == "sources" and parent.is_dir():
            return parent.parent
    return cwd if (cwd / "sources").is_dir() else first.parent


def _sources(paths: Sequence[Path], root: Path) -> list[Path]:
    from briefing.build import discover

    if not paths:
        found = discover(root)
        if not found:
            _fail_usage(f"no *.yaml or *.yml files in {root / 'sources'}")
        return found
    for path in paths:
        if not path.is_file():
            _fail_usage(f"no such source file: {path}")
    return list(paths)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefing")
def cli() -> None:
    """Turn YAML briefing sources into print-ready PDF briefings.

    Run the commands in a project folder: sources in sources/, images in assets/,
    PDFs written to dist/.
    """


def _json_dump(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: dist/ in the project folder).",
)
@click.option(
    "--page-size",
    type=click.Choice(["A4", "letter"], case_sensitive=False),
    help="Override every source's page_size.",
)
@click.option("--force", is_flag=True, help="Rebuild even sources that are up to date.")
@click.option(
    "--strict", is_flag=True, help="Count warnings (stale review_by, missing glyphs) as failures."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the number of CPUs).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("-v", "--verbose", is_flag=True, help="Print timings and outputs for every source.")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON on stdout.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@_guarded
def build(
    paths: tuple[Path, ...],
    out: Path | None,
    page_size: str | None,
    force: bool,
    strict: bool,
    jobs: int | None,
    quiet: bool,
    verbose: bool,
    as_json: bool,
    debug: bool,
) -> None:
    """Build PDFs from sources (default: every sources/*.yaml) into dist/.

    Unchanged sources are skipped (content hashes); each PDF is replaced atomically;
    a source with errors writes nothing and its last good PDF stays.
    """
    from briefing.build import BuildOptions, build as run_build, default_jobs
    from briefing.output import BuildPrinter
    from briefing.render import RenderOptions

    root = find_root(paths)
    sources = _sources(paths, root)
    size = {"a4": "A4", "letter": "letter"}.get((page_size or "").lower())
    options = BuildOptions(
        render=RenderOptions(page_size=size),  # type: ignore[arg-type]
        force=force,
        strict=strict,
        jobs=jobs or default_jobs(),
    )
    out_dir = out or root / "dist"
    printer = BuildPrinter(quiet=quiet or as_json, verbose=verbose, debug=debug, root=root)
    report = run_build(
        sources,
        root=root,
        out=out_dir,
        options=options,
        on_result=printer.result,
        on_plan=printer.plan,
    )
    printer.finish(report)
    if as_json:
        _json_dump(report.to_json())
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Count warnings as failures.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@_guarded
def check(paths: tuple[Path, ...], strict: bool, quiet: bool, debug: bool) -> None:
    """Validate sources without rendering: every problem, one located line each."""
    from briefing.checking import check_sources

    root = find_root(paths)
    sources = _sources(paths, root)
    results = check_sources(sources, root=root)
    failed = 0
    for display, errors, warnings in results:
        for line in errors + warnings:
            click.echo(line, err=True)
        bad = bool(errors) or (strict and bool(warnings))
        failed += bad
        if not quiet:
            status = "failed" if bad else "ok"
            click.echo(f"{status:<10} {display}")
    if not quiet:
        click.echo(f"{len(results) - failed} ok, {failed} failed")
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@cli.command()
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the schema to this file instead of stdout.",
)
def schema(out: Path | None) -> None:
    """Print the JSON Schema of the source format (for YAML language servers)."""
    from briefing.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        from briefing.fsutil import write_atomic

        write_atomic(text.encode(), out)
        click.echo(f"wrote {out}")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``briefing`` script and ``python -m briefing``."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="briefing")
