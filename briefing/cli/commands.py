"""The command line: the only place that parses arguments, prints, and picks an exit code.

Exit codes, for schedulers:
  0  every source built or was already up to date
  1  at least one source failed (the others were still built; failed ones keep their last PDF),
     or an internal error (one line; ``--debug`` shows the traceback)
  2  usage error: a bad option, a missing file, not a project folder
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefing import __version__
from briefing.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Failure,
    find_root,
    guarded,
    source_paths,
    usage,
)
from briefing.cli.project import newest_source, project_above, relative

if TYPE_CHECKING:
    from briefing.model import PageSize

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefing")
def cli() -> None:
    """Turn YAML briefing sources into print-ready PDF briefings.

    Run the commands in a project folder: sources in sources/, images in assets/,
    PDFs written to dist/.
    """
    from briefing.publish.environment import source_date_epoch_problem

    problem = source_date_epoch_problem()
    if problem is not None:  # not a misused option: no usage text, but exit code 2
        raise Failure(problem, EXIT_USAGE)


def _paths_out_page_size(func: F) -> F:
    """The arguments ``build`` and ``watch`` share: source paths, ``--out``, ``--page-size``."""
    func = click.option(
        "--page-size",
        type=click.Choice(["A4", "letter"], case_sensitive=False),
        help="Override every source's page_size.",
    )(func)
    func = click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path, file_okay=False),
        help="Output folder (default: dist/ in the project folder).",
    )(func)
    return click.argument("paths", nargs=-1, type=click.Path(path_type=Path))(func)


def _page_size(value: str | None) -> PageSize | None:
    """``--page-size`` as the model spells it (the option is case-insensitive)."""
    return {"a4": "A4", "letter": "letter"}.get((value or "").lower())  # type: ignore[return-value]


@cli.command()
@_paths_out_page_size
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
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=120.0,
    show_default=True,
    help="Seconds one source may take; a slower one fails and keeps its last PDF (0: no limit).",
)
@click.option(
    "--verify",
    "verify_pdfs",
    is_flag=True,
    help="Check each new PDF against its source; one that fails is not installed.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
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
    verify_pdfs: bool,
    timeout: float,
    debug: bool,
) -> None:
    """Build PDFs from sources (default: every sources/*.yaml) into dist/.

    Unchanged sources are skipped (content hashes); each PDF is replaced atomically;
    a source with errors writes nothing and its last good PDF stays.
    """
    from briefing.cli.output import BuildPrinter, emit, stop_on_sigterm
    from briefing.publish.build import BuildOptions, default_jobs
    from briefing.publish.build import build as run_build
    from briefing.render import RenderOptions

    root = find_root(paths)
    sources = source_paths(paths, root)
    size = _page_size(page_size)
    options = BuildOptions(
        prune=not paths,
        render=RenderOptions(page_size=size),
        force=force,
        strict=strict,
        jobs=jobs or default_jobs(),
        verify=verify_pdfs,
        timeout=timeout or None,
    )
    out_dir = out or root / "dist"
    printer = BuildPrinter(quiet=quiet or as_json, verbose=verbose, debug=debug, root=root)
    stop_on_sigterm()
    try:
        report = run_build(
            sources,
            root=root,
            out=out_dir,
            options=options,
            on_result=printer.result,
            on_plan=printer.plan,
            on_wait=printer.waiting,
        )
    except OSError as exc:  # the output folder itself: cannot be made, locked or written
        where = exc.filename or out_dir
        raise Failure(f"cannot use the output folder: {where}: {exc.strerror}") from None
    printer.finish(report)
    if as_json:
        emit(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Count warnings as failures.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def check(paths: tuple[Path, ...], strict: bool, quiet: bool, debug: bool) -> None:
    """Validate sources without rendering: every problem, one located line each."""
    from briefing.cli.base import emit
    from briefing.errors import printable
    from briefing.publish.check import check_sources

    root = find_root(paths)
    sources = source_paths(paths, root)
    results = check_sources(sources, root=root)
    failed = 0
    for display, errors, warnings in results:
        for line in errors + warnings:
            emit(line, err=True)
        bad = bool(errors) or (strict and bool(warnings))
        failed += bad
        if not quiet:
            status = "failed" if bad else "ok"
            emit(f"{status:<10} {printable(display)}")
    if not quiet:
        emit(f"{len(results) - failed} ok, {failed} failed")
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@cli.command()
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the schema to this file instead of stdout.",
)
@click.option(
    "--distribution", is_flag=True, help="The schema of distribution.yaml instead of sources."
)
@guarded
def schema(out: Path | None, distribution: bool) -> None:
    """Print the JSON Schema of the source format (for YAML language servers)."""
    from briefing.source.manual import json_schema

    if distribution:
        from briefing.distribute.schema import json_schema
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        from briefing.publish.fsutil import write_atomic

        try:
            write_atomic(text.encode(), out)
        except OSError as exc:
            raise Failure(f"cannot write {out}: {exc.strerror or exc}") from None
        click.echo(f"wrote {out}")


@cli.command()
@click.argument(
    "directory", metavar="[DIR]", required=False, default=".", type=click.Path(path_type=Path)
)
@click.option("--empty", is_flag=True, help="Leave out the example source.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def init(directory: Path, empty: bool, debug: bool) -> None:
    """Make a project folder: sources/, assets/, fonts/, dist/, a .gitignore, the schema, an
    example.

    DIR (default: the current folder) may exist, but nothing in it is overwritten:
    if any of the files or folders to be made is already there, nothing is written.
    """
    from briefing.cli.scaffold import ScaffoldError, init_project

    try:
        made = init_project(directory, example=not empty)
    except ScaffoldError as exc:
        raise Failure(f"{exc}") from None
    except OSError as exc:
        raise Failure(f"cannot create the project: {exc}") from None
    for path in made:
        click.echo(f"created {path.as_posix()}{'/' if path.is_dir() else ''}")
    where = "" if directory == Path(".") else f"cd {directory} && "
    if not empty:
        click.echo(
            "sources/example.yaml is an example: it is built with your briefings until you "
            "delete it (rm sources/example.yaml; `briefing init --empty` leaves it out)"
        )
    click.echo(f"next: {where}briefing new my-briefing && briefing watch --open")


@cli.command()
@click.argument("briefing_id", metavar="ID")
@click.option("--title", help="The briefing's title (default: made from ID).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def new(briefing_id: str, title: str | None, debug: bool) -> None:
    """Write sources/ID.yaml from the commented template, and refresh the schema.

    The template shows every section of the format with short guidance and
    passes `briefing check` as written. An existing source is never overwritten.
    """
    from briefing.cli.scaffold import AlreadyExists, InvalidArgument, new_source

    cwd = Path.cwd()
    root = project_above(cwd)
    if root is None:
        raise usage(
            f"no sources/ folder in {cwd} or any folder above it: run this in a project folder, "
            "or start one with `briefing init`"
        )
    try:
        written = new_source(root, briefing_id, title=title)
    except InvalidArgument as exc:
        raise click.BadParameter(str(exc), param_hint=exc.param) from None
    except AlreadyExists as exc:
        raise Failure(f"{exc}") from None
    except OSError as exc:
        raise Failure(f"cannot write the source: {exc}") from None
    for path in written:
        click.echo(f"wrote {relative(path, cwd)}")
    click.echo(f"next: briefing watch {relative(written[0], cwd)} --open")


def _open_pdf(pdf: Path) -> None:
    if click.launch(str(pdf)) != 0:
        click.echo(f"briefing: no PDF viewer found to open {pdf}", err=True)


@cli.command()
@_paths_out_page_size
@click.option("--strict", is_flag=True, help="Count warnings as failures.")
@click.option(
    "--open",
    "open_viewer",
    is_flag=True,
    help="Open the PDF of the first named source (else the newest) once it builds.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def watch(
    paths: tuple[Path, ...],
    out: Path | None,
    page_size: str | None,
    strict: bool,
    open_viewer: bool,
    debug: bool,
) -> None:
    """Build, then rebuild a source whenever it or an image it uses changes.

    Watches sources/ and assets/ (default: every sources/*.yaml, including ones
    added later). Errors are printed as by `build`, and a failed source keeps its
    last good PDF. Ctrl-C stops watching (exit code 0).
    """
    from briefing.cli.output import WatchPrinter
    from briefing.cli.watch import Watch, WatchOptions
    from briefing.publish.build import BuildOptions, discover
    from briefing.render import RenderOptions

    root = find_root(paths)
    if paths:
        source_paths(paths, root)
    size = _page_size(page_size)
    options = WatchOptions(
        build=BuildOptions(
            render=RenderOptions(page_size=size), strict=strict, issue=False, prune=not paths
        )
    )
    printer = WatchPrinter(root=root, debug=debug)
    session = Watch(
        root=root,
        out=out or root / "dist",
        sources=list(paths) if paths else None,
        listener=printer,
        options=options,
        on_first_good=_open_pdf if open_viewer else None,
        open_for=newest_source(paths, root) if open_viewer else None,
    )
    if not paths and not discover(root):
        printer.rounds = 1
        printer.watching()
    # Ctrl-C (SIGINT) is how watching ends, so it must arrive as KeyboardInterrupt even
    # when the process was started with SIGINT ignored (a background job of a script).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        session.run()
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)
    except OSError as exc:  # e.g. the system's limit on watched folders
        raise Failure(f"watching stopped: {exc}") from None
    sys.exit(EXIT_OK)


from briefing.cli.distribute import distribute  # noqa: E402
from briefing.cli.trace import trace  # noqa: E402
from briefing.cli.verify import verify  # noqa: E402 - commands in their own modules

cli.add_command(distribute)
cli.add_command(trace)
cli.add_command(verify)


from briefing.cli.diff import diff as diff_command  # noqa: E402 - needs the helpers above

cli.add_command(diff_command)
