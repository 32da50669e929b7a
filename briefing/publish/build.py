"""Many sources → PDFs in the output folder: incremental, parallel, atomic, owned, reported.

Why: scheduled jobs rebuild every briefing an organisation keeps, every hour,
with nobody watching. So a source is rebuilt only when its content hash changes
(``fingerprint``), never by mtime; unchanged sources are skipped without even
parsing them (the manifest remembers their assets). Sources render in worker
processes under a time limit (``workers``), results come back in source order,
and only the main process writes: each PDF atomically, and the manifest in batches
that never describe a file not on disk (``batching``). A source that fails writes
nothing, so its last good PDF stays. Each output belongs to one source (``owners``).
The output folder is locked for the whole build, and the manifest found there is
checked like any other input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing import __version__
from briefing.errors import SourceError, Span, display_path
from briefing.publish import editions, manifest
from briefing.publish.batching import Batches
from briefing.publish.discover import discover, is_utf8_name
from briefing.publish.fingerprint import code_hash, current_assets, input_hash
from briefing.publish.fonts import checked_fonts
from briefing.publish.fsutil import (
    is_plain_file,
    locked,
    remove_stale_temps,
    sha256_bytes,
    sha256_file,
    write_atomic,
)
from briefing.publish.owners import Owners
from briefing.publish.report import (
    BuildReport,
    Removed,
    SourceResult,
    Status,
    stale_warnings,
    strict_error,
)
from briefing.publish.workers import (
    DEFAULT_TIMEOUT,
    MIN_PARALLEL,
    Outcome,
    Task,
    default_jobs,
    run_tasks,
)
from briefing.render import RenderOptions

__all__ = [
    "MIN_PARALLEL",
    "BuildOptions",
    "BuildReport",
    "SourceResult",
    "build",
    "code_hash",
    "default_jobs",
    "discover",
    "input_hash",
    "stale_warnings",
]

TOOL = f"briefing {__version__}"


#: Drawn charts and maps kept between builds, inside the output folder (see render.cache).
CACHE_DIR = ".cache"


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
    #: Seconds one source may take to render; None: no limit.
    timeout: float | None = DEFAULT_TIMEOUT
    #: Issue editions (see ``editions.py``). ``watch`` turns it off: a save is a preview,
    #: printed as a draft of the next edition, never an edition of its own.
    issue: bool = True
    #: Read each new PDF back and check it against its source before installing it.
    verify: bool = False


class _Run:
    """One build's state: the manifest entries, who owns which output, what was removed,
    and the notes of the run. Every change to the files goes through here."""

    def __init__(self, root: Path, out: Path, options: BuildOptions, today: dt.date) -> None:
        self.root, self.out, self.options, self.today = root, out, options, today
        self.entries: dict[str, manifest.Entry] = {}
        self.notes: list[SourceError] = []
        self.removed: list[Removed] = []
        self.owners = Owners({}, root)
        self.shown_manifest = display_path(out / manifest.MANIFEST_NAME, root)
        self._save_failed = False
        self.batches = Batches()  # when the manifest is written (see ``install``)
        self._doomed: list[tuple[manifest.Entry, str]] = []  # deleted after the next write

    def note(self, message: str, code: str, severity: str = "warning") -> None:
        span = Span.whole(self.shown_manifest)
        self.notes.append(SourceError(span, "", message, severity, code))  # type: ignore[arg-type]

    # --- the manifest ------------------------------------------------------------------------

    def load(self) -> None:
        """Read the manifest, keeping only entries that describe the files on disk."""
        entries, problems = self.batches.read(self.out, self.shown_manifest)
        self.notes += problems
        for key, entry in list(entries.items()):
            pdf = self.out / entry.output
            try:
                same = is_plain_file(pdf) and sha256_file(pdf) == entry.sha256
            except OSError:
                same = False
            if not same:
                del entries[key]
                what = "is missing" if not pdf.exists() else "differs from what it records"
                self.note(
                    f"{entry.output} {what} (an interrupted build, or a change by hand); "
                    f"the manifest entry of {entry.source} was dropped and the source is rebuilt",
                    "manifest-repaired",
                )
        self.entries = entries
        self.owners = Owners(entries, self.root)

    def save(self, final: bool = False) -> None:
        """Write the manifest (until the ``final`` write, without the entries of sources still
        pending: see ``batching``), then delete the PDFs whose entries have left it."""
        keep, aside = self.batches.split(self.entries, final)
        try:
            manifest.write(self.out, keep, TOOL, self.batches.fragments, aside)
            self.batches.wrote(keep)
        except OSError as exc:
            if not self._save_failed:
                self._save_failed = True
                why = exc.strerror or str(exc)
                if isinstance(exc, IsADirectoryError):
                    why = "it is a folder; remove it"
                self.note(f"cannot write the manifest: {why}", "manifest-unwritable", "error")
        doomed, self._doomed = self._doomed, []
        for entry, reason in doomed:
            self._delete(entry, reason)

    # --- up to date? -------------------------------------------------------------------------

    def up_to_date(self, path: Path, entry: manifest.Entry) -> bool:
        """Unchanged since its PDF was built (``load`` has checked the PDF is that one)."""
        if entry.status == "failed" or entry.input_hash is None:
            return False
        try:
            source_sha = sha256_file(path)
        except OSError:
            return False
        assets = current_assets(dict(entry.inputs.assets), self.root)
        if assets is None:
            return False
        if input_hash(source_sha, assets, self.options.render) != entry.input_hash:
            return False
        if entry.inputs.preview == self.options.issue:
            return False  # a preview (watch) where an edition is asked for, or the other way
        # the history the PDF was stamped from has moved (lost, corrupt, newer)
        return entry.inputs.editions == editions.token(self.out, entry.id)

    def report_up_to_date(self, entry: manifest.Entry) -> SourceResult:
        warnings = list(entry.inputs.render_warnings)
        warnings += stale_warnings(
            entry.review_by, entry.inputs.review_by_at, self.today, entry.source
        )
        clash = self.owners.claim(entry.id, entry.source, None)
        errors = [clash] if clash else []
        if self.options.strict and warnings:
            errors.append(strict_error(entry.source))
        status: Status = "failed" if errors else "up to date"
        self.entries[entry.source] = replace(
            entry,
            status=status,
            warnings=tuple(warnings),
            errors=tuple(errors),
        )
        output = str(self.out / entry.output)
        return SourceResult(
            entry.source,
            status,
            entry.id,
            output,
            entry.pages,
            tuple(warnings),
            tuple(errors),
            edition=entry.edition,
            assets=tuple(sorted(entry.inputs.assets)),
        )

    # --- a fresh render ----------------------------------------------------------------------

    def finish(self, outcome: Outcome) -> SourceResult:
        display = outcome.display
        errors = list(outcome.errors)
        warnings = list(outcome.warnings)
        if outcome.id is not None and not errors:
            warnings += stale_warnings(outcome.review_by, outcome.review_by_at, self.today, display)
            clash = self.owners.claim(outcome.id, display, outcome.id_at)
            if clash:
                errors.append(clash)
        if self.options.strict and warnings and not errors:
            errors.append(strict_error(display))
        warnings += outcome.notices  # about the kept history: never a --strict failure
        if errors or outcome.pdf is None or outcome.id is None:
            return self.failed(display, outcome, errors, warnings)
        return self.install(outcome, outcome.id, outcome.pdf, warnings)

    def failed(
        self,
        display: str,
        outcome: Outcome | None,
        errors: list[SourceError],
        warnings: list[SourceError],
    ) -> SourceResult:
        old = self.entries.get(display)
        if old is not None:
            self.entries[display] = replace(
                old,
                status="failed",
                errors=tuple(errors),
                warnings=tuple(warnings),
            )
        return SourceResult(
            display,
            "failed",
            outcome.id if outcome else None,
            warnings=tuple(warnings),
            errors=tuple(errors),
            seconds=outcome.seconds if outcome else 0.0,
            debug=outcome.debug if outcome else None,
        )

    def install(
        self, outcome: Outcome, briefing_id: str, pdf: bytes, warnings: list[SourceError]
    ) -> SourceResult:
        """Write the PDF and its entry, so that the manifest never describes a file that is
        not on disk (it may lack one for a while). The steps, and why a kill between any
        two is safe: ``batching``."""
        display = outcome.display
        output = f"{briefing_id}.pdf"
        sha = sha256_bytes(pdf)
        old = self.entries.get(display)
        # the entries describing this output now: ours, or a renamed source's (its file is
        # gone, or the claim above would have failed): the file is about to change
        describing = {k: e for k, e in self.entries.items() if e.output == output}
        for key in describing:
            del self.entries[key]
        if self.batches.must_write_before(output, sha):
            self.save()
        try:
            write_atomic(pdf, self.out / output)
        except OSError as exc:  # a full disk, a read-only folder: this source fails
            self.entries.update(describing)
            where = Span.whole(display_path(self.out / output, self.root))
            message = f"cannot write the PDF: {exc.strerror or exc}"
            error = SourceError(where, "", message, code="unwritable")
            return self.failed(display, outcome, [error], warnings)
        pending = outcome.edition
        try:  # the commit point of an edition: after its PDF is installed, before the manifest
            history = editions.commit(self.out, pending, pdf) if pending is not None else ""
        except OSError as exc:
            failed_at = (
                Path(exc.filename) if exc.filename else editions.folder(self.out, briefing_id)
            )
            where = Span.whole(display_path(failed_at, self.root))
            message = f"cannot write the edition history: {exc.strerror or exc}"
            error = SourceError(where, "", message, code="unwritable")
            return self.failed(display, outcome, [error], warnings)
        inputs = manifest.Inputs(
            source=outcome.source_sha,
            assets=dict(outcome.assets),
            render_warnings=outcome.warnings,
            review_by_at=outcome.review_by_at,
            editions=history,
            preview=not self.options.issue,
        )
        self.entries[display] = manifest.Entry(
            id=briefing_id,
            source=display,
            output=output,
            sha256=sha,
            size=len(pdf),
            pages=outcome.pages,
            as_of=outcome.as_of,
            review_by=outcome.review_by,
            status="built",
            input_hash=outcome.input_hash,
            warnings=tuple(warnings),
            inputs=inputs,
            **editions.entry_fields(pending),
        )
        if old is not None and old.output != output:  # the id changed: the old PDF goes
            self.owners.release(old.id, display)
            self._doomed.append((old, "id changed"))
        if self.batches.installed(display):
            self.save()
        return SourceResult(
            display,
            "built",
            briefing_id,
            output=str(self.out / output),
            pages=outcome.pages,
            warnings=tuple(warnings),
            seconds=outcome.seconds,
            edition=pending.edition if pending else None,
            new_edition=pending.new if pending else False,
            draft_of=pending.stamp.number if pending and pending.stamp.draft else None,
            assets=tuple(sorted(inputs.assets)),
        )

    # --- removing ----------------------------------------------------------------------------

    def _delete(self, entry: manifest.Entry, reason: str) -> None:
        """Delete ``entry``'s PDF unless an entry (here or on disk) describes it or it was
        changed by hand (its hash differs). The name was checked to be ``<id>.pdf``."""
        described = any(e.output == entry.output for e in self.entries.values())
        if described or self.batches.names(entry.output):
            return
        pdf = self.out / entry.output
        try:
            if is_plain_file(pdf) and sha256_file(pdf) == entry.sha256:
                pdf.unlink()
                self.removed.append(Removed(entry.source, entry.output, reason))  # type: ignore[arg-type]
        except OSError:
            pass

    def prune(self) -> None:
        """Forget briefings whose source file no longer exists, so the distribution step
        stops sending them; their PDF goes too, unless it was changed by hand."""
        for key in sorted(self.entries):
            if (self.root / key).is_file():
                continue
            entry = self.entries.pop(key)
            self.owners.release(entry.id, key)
            self._doomed.append((entry, "source deleted"))  # once the manifest is written


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
    ``on_wait`` is told when another build holds the folder's lock (this one then waits).

    Raises ``OSError`` (naming the path) only when the output folder itself cannot be
    made or locked; every other problem is in the report.
    """
    start = time.perf_counter()
    today = options.today or dt.datetime.now(dt.UTC).date()
    fonts, font_errors = checked_fonts(root)
    options = replace(options, render=replace(options.render, fonts=fonts))
    run = _Run(root, out, options, today)
    run.notes += font_errors

    def lock_replaced(path: Path) -> None:
        run.note(
            f"{path.name} was a symbolic link, not a build's lock file; it was replaced "
            "(the file it pointed to was not touched)",
            "lock-replaced",
        )

    with locked(
        out, wait=options.wait_for_lock, on_wait=on_wait, on_replaced=lock_replaced
    ) as lock_fd:
        if lock_fd is None:
            return BuildReport((), time.perf_counter() - start, locked_out=True)
        remove_stale_temps(out)
        run.load()
        plan: list[manifest.Entry | SourceResult | None] = []
        tasks: list[Task] = []
        for path in sources:
            display = display_path(path, root)
            entry = run.entries.get(display)
            if not is_utf8_name(display):
                message = "the file name is not valid UTF-8 text; rename the file"
                error = SourceError(Span.whole(display), "", message, code="file-name")
                plan.append(SourceResult(display, "failed", errors=(error,)))
            elif not options.force and entry is not None and run.up_to_date(path, entry):
                plan.append(entry)
            else:
                plan.append(None)
                was = entry.edition if entry is not None else None
                render = replace(options.render, cache_dir=out / CACHE_DIR)
                into = display_path(out, root) if options.verify else None
                tasks.append(
                    Task(path, root, display, render, out, was, options.issue, verify_into=into)
                )
        run.batches.pending = {task.display for task in tasks}
        if on_plan is not None:
            on_plan(len(plan))
        outcomes = run_tasks(tasks, options.jobs, options.timeout, (lock_fd,))
        results: list[SourceResult] = []
        try:
            for step in plan:
                if isinstance(step, SourceResult):
                    result = step
                elif step is not None:
                    result = run.report_up_to_date(step)
                else:
                    result = run.finish(next(outcomes))
                    run.batches.pending.discard(result.source)  # finished, whatever became of it
                results.append(result)
                if on_result is not None:
                    with contextlib.suppress(OSError):  # a closed stdout must not stop it
                        on_result(result)
        except BaseException:
            run.save()  # SIGTERM (SystemExit), Ctrl-C: keep what was installed
            raise
        finally:
            outcomes.close()  # stops the workers, even when interrupted
        if options.prune:
            run.prune()
        run.save(final=True)
    return BuildReport(
        tuple(results),
        time.perf_counter() - start,
        removed=tuple(run.removed),
        notes=tuple(run.notes),
    )
