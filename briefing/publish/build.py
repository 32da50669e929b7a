"""Many sources → PDFs in the output folder: incremental, parallel, atomic, reported.

Why: scheduled jobs rebuild every briefing an organisation keeps, every hour.
So a source is rebuilt only when its content hash changes (source bytes, the
assets it uses, the fonts, the tool and render versions, the render options),
never by mtime; unchanged sources are skipped without even parsing them (the
manifest remembers their assets). Sources render in worker processes, results
come back in source order, and only the main process writes: each PDF
atomically, then the manifest. A source that fails writes nothing, so its last
good PDF stays. The output folder is locked for the whole build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal

from briefing import __version__
from briefing.errors import display_path
from briefing.publish import editions, manifest
from briefing.publish.fsutil import (
    locked,
    remove_stale_temps,
    sha256_bytes,
    sha256_file,
    write_atomic,
)
from briefing.render import RENDER_VERSION, RenderOptions
from briefing.render.fontfiles import fonts_hash

Status = Literal["built", "up to date", "failed"]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Settings of one build run (never part of the document model)."""

    render: RenderOptions = field(default_factory=RenderOptions)
    force: bool = False
    strict: bool = False
    jobs: int = 1
    today: dt.date | None = None  # for staleness; None: the current UTC date
    wait_for_lock: bool = True
    #: Drop briefings whose source file is gone (entry and PDF). Only a build of the whole
    #: project may do this: a build of named sources knows nothing of the others.
    prune: bool = False
    #: Issue editions (see ``editions.py``). ``watch`` turns it off: a save is a preview,
    #: printed as a draft of the next edition, never an edition of its own.
    issue: bool = True


@dataclass(frozen=True, slots=True)
class SourceResult:
    """How one source fared. ``errors``/``warnings`` are the contract's one-line messages."""

    source: str
    status: Status
    id: str | None = None
    output: str | None = None
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    seconds: float = 0.0
    debug: str | None = None  # traceback of an internal error, shown with --debug
    edition: int | None = None  # the edition the PDF is (None: a draft, or no PDF)
    new_edition: bool = False  # this build made that edition
    draft_of: int | None = None  # a draft: the edition it is a draft of


@dataclass(frozen=True, slots=True)
class BuildReport:
    results: tuple[SourceResult, ...]
    seconds: float
    locked_out: bool = False  # the output folder was locked by another build
    removed: tuple[str, ...] = ()  # sources deleted since the last build: entry and PDF gone

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def warning_count(self) -> int:
        return sum(len(r.warnings) for r in self.results)

    @property
    def ok(self) -> bool:
        return not self.locked_out and self.count("failed") == 0

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "built": self.count("built"),
            "up_to_date": self.count("up to date"),
            "failed": self.count("failed"),
            "warnings": self.warning_count,
            "removed": list(self.removed),
            "new_editions": [r.source for r in self.results if r.new_edition],
            "sources": [
                {
                    "source": r.source,
                    "id": r.id,
                    "status": r.status,
                    "output": r.output,
                    "pages": r.pages,
                    "warnings": list(r.warnings),
                    "errors": list(r.errors),
                    "seconds": round(r.seconds, 3),
                    "edition": r.edition,
                    "new_edition": r.new_edition,
                    "draft_of": r.draft_of,
                }
                for r in self.results
            ],
        }


# --- paths -----------------------------------------------------------------------------------


def discover(root: Path) -> list[Path]:
    """The project's sources: ``sources/*.yaml`` and ``*.yml``, sorted by name."""
    folder = root / "sources"
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


# --- fingerprints ----------------------------------------------------------------------------


@cache
def code_hash() -> str:
    """A hash of the package's own code, once per process.

    Why: ``RENDER_VERSION`` is bumped by hand when output changes; hashing the code
    too means a forgotten bump (or a local patch) still rebuilds what it affects.
    """
    h = hashlib.sha256()
    package = Path(__file__).parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def input_hash(source_sha: str, assets: dict[str, str], options: RenderOptions) -> str:
    """The content hash that decides whether a source must be rebuilt."""
    payload = {
        "tool": __version__,
        "render_version": RENDER_VERSION,
        "code": code_hash(),
        "fonts": fonts_hash(),
        "options": options.fingerprint(),
        "source": source_sha,
        "assets": dict(sorted(assets.items())),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _current_assets(recorded: dict[str, str], root: Path) -> dict[str, str] | None:
    """Hashes of the assets a source used last time, or None if one is gone."""
    current = {}
    for rel in recorded:
        path = root / rel
        if not path.is_file():
            return None
        current[rel] = sha256_file(path)
    return current


# --- one source, in a worker -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Task:
    path: Path
    root: Path
    display: str
    options: RenderOptions
    out: Path
    was: int | None = None  # the edition the manifest remembers (tells a lost history)
    issue: bool = True


@dataclass(frozen=True, slots=True)
class _Outcome:
    display: str
    id: str | None = None
    pdf: bytes | None = None
    pages: int | None = None
    input_hash: str | None = None
    inputs: dict[str, object] = field(default_factory=dict)
    as_of: str | None = None
    review_by: str | None = None
    review_by_at: str | None = None
    id_at: str | None = None
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    seconds: float = 0.0
    debug: str | None = None
    edition: editions.Pending | None = None
    notices: tuple[str, ...] = ()  # about the kept history: printed, never --strict failures


def _render_one(task: _Task) -> _Outcome:
    """Load and render one source. Never raises: every failure becomes error lines."""
    from briefing.errors import SourceInvalid
    from briefing.render import render
    from briefing.source.load import load

    start = time.perf_counter()
    try:
        data = task.path.read_bytes()
    except OSError as exc:
        return _Outcome(
            task.display,
            errors=(f"{task.display}:1:1: cannot read the source: {exc.strerror or exc}",),
            seconds=time.perf_counter() - start,
        )
    try:
        briefing = load(task.path, root=task.root)
        assets = {display_path(p, task.root): sha256_file(p) for p in briefing.assets()}
        plan = editions.plan(
            briefing,
            out=task.out,
            root=task.root,
            source_text=data.decode("utf-8", "replace"),
            hashes=assets,
            was=task.was,
            issue=task.issue,
        )
        rendered = render(briefing, task.options, plan.stamp)
    except SourceInvalid as exc:
        return _Outcome(
            task.display,
            errors=tuple(str(e) for e in exc.errors),
            seconds=time.perf_counter() - start,
        )
    except Exception as exc:  # any bug of ours: one line, and the traceback for --debug
        return _Outcome(
            task.display,
            errors=(
                f"{task.display}: internal error while building this source: "
                f"{type(exc).__name__}: {exc} (run with --debug for details)",
            ),
            seconds=time.perf_counter() - start,
            debug=traceback.format_exc(),
        )
    source_sha = sha256_bytes(data)
    render_warnings = tuple(str(w) for w in rendered.warnings) + plan.warnings
    return _Outcome(
        task.display,
        id=briefing.id,
        pdf=rendered.pdf,
        pages=rendered.pages,
        input_hash=input_hash(source_sha, assets, task.options),
        inputs={"source": source_sha, "assets": assets, "render_warnings": list(render_warnings)},
        as_of=briefing.as_of.isoformat(),
        review_by=briefing.review_by.isoformat() if briefing.review_by else None,
        review_by_at=str(briefing.span_of("review_by")),
        id_at=str(briefing.span_of("id")),
        warnings=render_warnings,
        seconds=time.perf_counter() - start,
        edition=plan.pending,
        notices=plan.notices,
    )


#: Drawn charts and maps kept between builds, inside the output folder (see render.cache).
CACHE_DIR = ".cache"

#: Fewer sources than this build in-process: forking workers costs more than it saves.
MIN_PARALLEL = 8


def _run_tasks(tasks: list[_Task], jobs: int) -> Iterator[_Outcome]:
    """Outcomes in task order; a bounded window of work in flight keeps memory flat."""
    if jobs <= 1 or len(tasks) < MIN_PARALLEL:
        for task in tasks:
            yield _render_one(task)
        return
    # imported here: a one-source or --jobs 1 build never pays for process pools
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    if context.get_start_method() == "fork":
        from briefing.render import warm_up

        warm_up()  # once here, inherited by every forked worker
    workers = min(jobs, len(tasks))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        window: list[Future[_Outcome]] = []
        pending = iter(tasks)
        for task in pending:
            window.append(pool.submit(_render_one, task))
            if len(window) >= workers * 2:
                break
        while window:
            outcome = window.pop(0).result()
            nxt = next(pending, None)
            if nxt is not None:
                window.append(pool.submit(_render_one, nxt))
            yield outcome


# --- the build -------------------------------------------------------------------------------


def stale_warnings(
    review_by: str | None, at: str | None, today: dt.date, display: str
) -> list[str]:
    """A warning when the review date (ISO) has passed: the briefing is stale."""
    if review_by is None or dt.date.fromisoformat(review_by) >= today:
        return []
    where = at or f"{display}:1:1"
    return [
        f"{where}: warning: review_by: the review date {review_by} has passed; "
        "the briefing is stale (update it and its review_by)"
    ]


def build(
    sources: Sequence[Path],
    *,
    root: Path,
    out: Path,
    options: BuildOptions,
    on_result: Callable[[SourceResult], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_wait: Callable[[], None] | None = None,
) -> BuildReport:
    """Build ``sources`` into ``out``; ``on_result`` sees each result in source order,
    ``on_wait`` is told when another build holds the folder's lock (this one then waits)."""
    start = time.perf_counter()
    today = options.today or dt.datetime.now(dt.UTC).date()
    with locked(out, wait=options.wait_for_lock, on_wait=on_wait) as got_lock:
        if not got_lock:
            return BuildReport((), time.perf_counter() - start, locked_out=True)
        remove_stale_temps(out)
        entries = manifest.read(out)
        plan: list[manifest.Entry | None] = []  # the manifest entry of an up-to-date source
        tasks: list[_Task] = []
        for path in sources:
            display = display_path(path, root)
            entry = entries.get(display)
            if (
                not options.force
                and entry is not None
                and _up_to_date(path, entry, root, out, options)
            ):
                plan.append(entry)
            else:
                plan.append(None)
                was = entry.edition if entry is not None else None
                render = replace(options.render, cache_dir=out / CACHE_DIR)
                tasks.append(_Task(path, root, display, render, out, was, options.issue))
        if on_plan is not None:
            on_plan(len(plan))
        outcomes = _run_tasks(tasks, options.jobs)
        claimed: dict[str, str] = {}
        results: list[SourceResult] = []
        for fresh in plan:
            if fresh is not None:
                result = _report_up_to_date(fresh, out, today, options, claimed, entries)
            else:
                result = _finish(next(outcomes), out, today, options, claimed, entries)
            results.append(result)
            if on_result is not None:
                on_result(result)
        removed = _prune(entries, root, out) if options.prune else ()
        manifest.write(out, entries, f"briefing {__version__}")
    return BuildReport(tuple(results), time.perf_counter() - start, removed=removed)


def _prune(entries: dict[str, manifest.Entry], root: Path, out: Path) -> tuple[str, ...]:
    """Forget briefings whose source file no longer exists, so the distribution step stops
    sending them; their PDF goes too, unless it was changed by hand (its hash differs)."""
    gone = sorted(key for key in entries if not (root / key).is_file())
    for key in gone:
        entry = entries.pop(key)
        pdf = out / entry.output
        try:
            if entry.sha256 is not None and sha256_file(pdf) == entry.sha256:
                pdf.unlink()
        except OSError:
            pass
    return tuple(gone)


def _up_to_date(
    path: Path, entry: manifest.Entry, root: Path, out: Path, options: BuildOptions
) -> bool:
    if entry.status == "failed" or entry.input_hash is None or entry.sha256 is None:
        return False
    try:
        source_sha = sha256_file(path)
    except OSError:
        return False
    recorded = entry.inputs.get("assets")
    assets = _current_assets(dict(recorded) if isinstance(recorded, dict) else {}, root)
    if assets is None or input_hash(source_sha, assets, options.render) != entry.input_hash:
        return False
    if entry.inputs.get("preview", False) == options.issue:
        return False  # a preview (watch) where an edition is asked for, or the other way round
    if entry.inputs.get("editions") != editions.token(out, entry.id):
        return False  # the history the PDF was stamped from has moved (lost, corrupt, newer)
    pdf = out / entry.output
    try:
        return pdf.is_file() and sha256_file(pdf) == entry.sha256
    except OSError:
        return False


def claim_id(briefing_id: str, display: str, at: str | None, claimed: dict[str, str]) -> str | None:
    """Reserve an output id for ``display``; the message if an earlier source holds it."""
    holder = claimed.get(briefing_id)
    if holder is not None and holder != display:
        where = at or f"{display}:1:1"
        return (
            f"{where}: id: the briefing id '{briefing_id}' is already used by {holder}; "
            "give one of them another `id:`"
        )
    claimed[briefing_id] = display
    return None


def _report_up_to_date(
    entry: manifest.Entry,
    out: Path,
    today: dt.date,
    options: BuildOptions,
    claimed: dict[str, str],
    entries: dict[str, manifest.Entry],
) -> SourceResult:
    recorded = entry.inputs.get("render_warnings", [])
    warnings = [str(w) for w in recorded] if isinstance(recorded, list) else []
    at = entry.inputs.get("review_by_at")
    warnings += stale_warnings(
        entry.review_by, at if isinstance(at, str) else None, today, entry.source
    )
    clash = claim_id(entry.id, entry.source, None, claimed)
    errors = [clash] if clash else []
    if options.strict and warnings:
        errors.append(f"{entry.source}: failed because --strict counts warnings as failures")
    status: Status = "failed" if errors else "up to date"
    entries[entry.source] = replace(entry, status=status, warnings=warnings, errors=errors)
    output = str(out / entry.output)
    return SourceResult(
        entry.source,
        status,
        entry.id,
        output,
        entry.pages,
        tuple(warnings),
        tuple(errors),
        edition=entry.edition,
    )


def _finish(
    outcome: _Outcome,
    out: Path,
    today: dt.date,
    options: BuildOptions,
    claimed: dict[str, str],
    entries: dict[str, manifest.Entry],
) -> SourceResult:
    display = outcome.display
    errors = list(outcome.errors)
    warnings = list(outcome.warnings)
    if outcome.id is not None:
        warnings += stale_warnings(outcome.review_by, outcome.review_by_at, today, display)
        clash = claim_id(outcome.id, display, outcome.id_at, claimed)
        if clash:
            errors.append(clash)
    if options.strict and warnings and not errors:
        errors.append(f"{display}: failed because --strict counts warnings as failures")
    warnings += outcome.notices
    old = entries.get(display)
    if errors or outcome.pdf is None or outcome.id is None:
        if old is not None:
            entries[display] = replace(old, status="failed", errors=errors, warnings=warnings)
        return SourceResult(
            display,
            "failed",
            outcome.id,
            warnings=tuple(warnings),
            errors=tuple(errors),
            seconds=outcome.seconds,
            debug=outcome.debug,
        )
    output = f"{outcome.id}.pdf"
    try:
        write_atomic(outcome.pdf, out / output)
    except OSError as exc:  # a full disk, a read-only folder: this source fails, others go on
        message = f"{out / output}: cannot write the PDF: {exc.strerror or exc}"
        if old is not None:
            entries[display] = replace(old, status="failed", errors=[message], warnings=warnings)
        return SourceResult(
            display, "failed", outcome.id, errors=(message,), seconds=outcome.seconds
        )
    pending = outcome.edition
    try:  # the commit point of an edition: after its PDF is installed, before the manifest
        history = editions.commit(out, pending, outcome.pdf) if pending is not None else ""
    except OSError as exc:
        message = f"{editions.folder(out, outcome.id)}: cannot write the edition history: "
        message += str(exc.strerror or exc)
        if old is not None:
            entries[display] = replace(old, status="failed", errors=[message], warnings=warnings)
        return SourceResult(
            display, "failed", outcome.id, errors=(message,), seconds=outcome.seconds
        )
    inputs = dict(outcome.inputs)
    inputs["review_by_at"] = outcome.review_by_at
    inputs["editions"] = history
    inputs["preview"] = not options.issue
    entries[display] = manifest.Entry(
        id=outcome.id,
        source=display,
        output=output,
        sha256=sha256_bytes(outcome.pdf),
        size=len(outcome.pdf),
        pages=outcome.pages,
        as_of=outcome.as_of,
        review_by=outcome.review_by,
        status="built",
        input_hash=outcome.input_hash,
        warnings=warnings,
        errors=[],
        inputs=inputs,
        **editions.entry_fields(pending),
    )
    return SourceResult(
        display,
        "built",
        outcome.id,
        output=str(out / output),
        pages=outcome.pages,
        warnings=tuple(warnings),
        seconds=outcome.seconds,
        edition=pending.edition if pending else None,
        new_edition=pending.new if pending else False,
        draft_of=pending.stamp.number if pending and pending.stamp.draft else None,
    )


def default_jobs() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )
