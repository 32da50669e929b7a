"""Rendering sources: in this process for small builds, else in worker processes.

Why: an hourly build must finish whatever one source does. Each source gets a
time limit (``--timeout``): past it, the source fails with a located line and
the rest go on. Workers are forked after the render stack is warmed up, take
one source at a time over a pipe, and are watched by the parent: a worker that
dies (the OOM killer, a stray ``kill``) fails or retries only the source it
held, and a worker that runs over its time is killed and replaced.

Workers never outlive the build: each asks the kernel to kill it when its
parent dies (``PR_SET_PDEATHSIG``; elsewhere a thread watches the parent), and
each closes the output folder's lock descriptor it inherits from ``fork``, so
a killed build releases the lock at once and the next build never waits on an
orphan.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

from briefing.errors import SourceError, Span, display_path
from briefing.publish import editions
from briefing.publish.fingerprint import input_hash
from briefing.publish.fsutil import sha256_bytes, sha256_file
from briefing.render import RenderOptions

#: Fewer sources than this build in-process: forking workers costs more than it saves.
MIN_PARALLEL = 8
#: The default time limit of one source, in seconds (``--timeout``).
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True, slots=True)
class Task:
    path: Path
    root: Path
    display: str
    options: RenderOptions
    out: Path | None = None  # the output folder: where the edition history is
    was: int | None = None  # the edition the manifest remembers (tells a lost history)
    issue: bool = True  # make editions (``watch``: previews, never editions)
    attempt: int = 1
    verify_into: str | None = None  # the output folder as messages name it, when verifying


@dataclass(frozen=True, slots=True)
class Outcome:
    display: str
    id: str | None = None
    pdf: bytes | None = None
    pages: int | None = None
    input_hash: str | None = None
    #: SHA-256 of the source file, and each image it uses (project path → SHA-256)
    source_sha: str | None = None
    assets: dict[str, str] = field(default_factory=dict)
    as_of: str | None = None
    review_by: str | None = None
    review_by_at: Span | None = None
    id_at: Span | None = None
    warnings: tuple[SourceError, ...] = ()
    errors: tuple[SourceError, ...] = ()
    seconds: float = 0.0
    debug: str | None = None
    edition: editions.Pending | None = None
    #: about the kept edition history: printed, never a --strict failure
    notices: tuple[SourceError, ...] = ()


def _failed(task: Task, message: str, code: str, start: float, **kw: Any) -> Outcome:
    error = SourceError(Span.whole(task.display), "", message, code=code)
    return Outcome(task.display, errors=(error,), seconds=time.perf_counter() - start, **kw)


def _verify(briefing: object, pdf: bytes, pages: int, folder: str) -> None:
    """Raise ``SourceInvalid`` with every fact the new PDF lost: it is then not installed."""
    from briefing.errors import SourceInvalid
    from briefing.model import Briefing
    from briefing.publish.verify import verify_pdf

    assert isinstance(briefing, Briefing)
    name = f"{folder}/{briefing.id}.pdf"
    problems = verify_pdf(briefing, pdf, name=name, pages=pages)
    if problems:
        note = f"the new {name} failed verification and was not installed"
        raise SourceInvalid([*problems, SourceError(Span(briefing.path, 1, 1), "", note)])


def render_one(task: Task) -> Outcome:
    """Load and render one source. Never raises an ``Exception``: failures become errors."""
    from briefing.errors import SourceInvalid
    from briefing.render import render
    from briefing.source.load import load

    start = time.perf_counter()
    try:
        data = task.path.read_bytes()
    except OSError as exc:
        why = f"cannot read the source: {exc.strerror or exc}"
        return _failed(task, why, "unreadable", start)
    try:
        briefing = load(task.path, root=task.root)
        assets = {display_path(p, task.root): sha256_file(p) for p in briefing.assets()}
        plan = editions.plan(
            briefing,
            out=task.out or task.root / "dist",
            root=task.root,
            source_text=data.decode("utf-8", "replace"),
            hashes=assets,
            was=task.was,
            issue=task.issue,
        )
        rendered = render(briefing, task.options, plan.stamp)
        if task.verify_into is not None:
            _verify(briefing, rendered.pdf, rendered.pages, task.verify_into)
    except SourceInvalid as exc:
        return Outcome(task.display, errors=tuple(exc.errors), seconds=time.perf_counter() - start)
    except Exception as exc:  # any bug of ours: one line, and the traceback for --debug
        why = (
            f"internal error while building this source: {type(exc).__name__}: {exc} "
            "(run with --debug for details)"
        )
        return _failed(task, why, "internal", start, debug=traceback.format_exc())
    source_sha = sha256_bytes(data)
    warnings = tuple(rendered.warnings) + plan.warnings
    return Outcome(
        task.display,
        id=briefing.id,
        pdf=rendered.pdf,
        pages=rendered.pages,
        input_hash=input_hash(source_sha, assets, task.options),
        source_sha=source_sha,
        assets=assets,
        as_of=briefing.as_of.isoformat(),
        review_by=briefing.review_by.isoformat() if briefing.review_by else None,
        review_by_at=briefing.span_of("review_by"),
        id_at=briefing.span_of("id"),
        warnings=warnings,
        seconds=time.perf_counter() - start,
        edition=plan.pending,
        notices=plan.notices,
    )


def timed_out(task: Task, timeout: float, start: float) -> Outcome:
    message = (
        f"building this source took longer than {timeout:g} s (--timeout), so it was "
        "stopped; its last good PDF is kept"
    )
    return _failed(task, message, "timeout", start)


def run_tasks(
    tasks: Sequence[Task], jobs: int, timeout: float | None, inherited: Sequence[int] = ()
) -> Iterator[Outcome]:
    """Outcomes in task order. ``inherited``: descriptors a forked worker must close."""
    if jobs <= 1 or len(tasks) < MIN_PARALLEL:
        for task in tasks:
            yield _in_process(task, timeout)
        return
    pool = _Pool(min(jobs, len(tasks)), timeout, tuple(inherited))
    try:
        yield from pool.run(tasks)
    finally:
        pool.close()


# --- in this process ---------------------------------------------------------------------------


class _OutOfTime(BaseException):
    """Raised by the alarm in the middle of a render; a BaseException so that no
    ``except Exception`` inside the render stack swallows it."""


#: How long a time limit that fell inside an import waits before it tries again.
_IMPORT_GRACE = 0.02


def _importing(frame: FrameType | None) -> bool:
    """True when ``frame`` runs inside an import.

    Why: the first render imports lazily (markdown-it, matplotlib, Pillow). A limit that
    struck in the middle of an import left a half-made module in ``sys.modules``, and
    every later source of the build failed on it ("module 'html' has no attribute
    'entities'", or the whole build stopped with an internal error).
    """
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _in_process(task: Task, timeout: float | None) -> Outcome:
    """Render in this process, under a ``SIGALRM`` time limit when on the main thread."""
    use_alarm = (
        timeout is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not use_alarm:
        return render_one(task)
    assert timeout is not None

    def expire(signum: int, frame: FrameType | None) -> None:
        if _importing(frame):  # try again just after the import: see _importing
            signal.setitimer(signal.ITIMER_REAL, _IMPORT_GRACE)
            return
        raise _OutOfTime

    start = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return render_one(task)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:
        return timed_out(task, timeout, start)
    finally:
        signal.signal(signal.SIGALRM, previous)


# --- worker processes --------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """In a worker: be killed when ``parent`` dies, however it dies."""
    armed = False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        pass
    if not armed:  # not Linux: a thread notices the parent is gone within a second

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _worker_main(conn: Any, parent: int, inherited: tuple[int, ...]) -> None:
    _die_with(parent)
    for fd in inherited:  # the lock: a worker must never hold it
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if task is None:
            os._exit(0)
        conn.send(render_one(task))


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Any
    task: Task | None = None
    started: float = 0.0


def _signal_name(exitcode: int | None) -> str:
    if exitcode is None or exitcode >= 0:
        return f"exit status {exitcode}"
    try:
        return signal.Signals(-exitcode).name
    except ValueError:
        return f"signal {-exitcode}"


class _Pool:
    """Forked workers with one task each at a time; results handed out in task order."""

    def __init__(self, size: int, timeout: float | None, inherited: tuple[int, ...]) -> None:
        import multiprocessing

        from briefing.render import warm_up

        warm_up()  # once here, inherited by every forked worker
        import ctypes  # noqa: F401  (imported before the fork, used by each worker)

        self.context = multiprocessing.get_context("fork")
        self.size = size
        self.timeout = timeout
        self.inherited = inherited
        self.workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        process = self.context.Process(
            target=_worker_main,
            args=(child_end, os.getpid(), (*self.inherited, parent_end.fileno())),
            daemon=True,
            name="briefing-worker",
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self.workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        from multiprocessing.connection import wait

        index = {task.display: i for i, task in enumerate(tasks)}
        pending = deque(tasks)
        done: dict[int, Outcome] = {}
        next_out = 0
        window = self.size * 2  # results held ahead of the one awaited: memory stays flat
        while next_out < len(tasks):
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if next_out >= len(tasks):
                return
            while len(self.workers) < self.size and pending:
                try:
                    self._spawn()
                except OSError:  # no process to be had (a limit, no memory): go on without
                    break
            if not self.workers and pending:
                task = pending.popleft()
                done[index[task.display]] = _in_process(task, self.timeout)
                continue
            for worker in self.workers:
                if (
                    worker.task is None
                    and pending
                    and index[pending[0].display] < next_out + window
                ):
                    task = pending.popleft()
                    try:
                        worker.conn.send(task)
                    except OSError:
                        pending.appendleft(task)
                        continue
                    worker.task, worker.started = task, time.monotonic()
            busy = [w for w in self.workers if w.task is not None]
            wait_for = (
                min(
                    (w.started + self.timeout - time.monotonic() for w in busy),
                    default=None,
                )
                if self.timeout is not None
                else None
            )
            handles = [w.conn for w in busy] + [w.process.sentinel for w in self.workers]
            wait(handles, timeout=max(0.0, wait_for) if wait_for is not None else 1.0)
            for worker in list(self.workers):
                outcome = self._collect(worker, pending)
                if outcome is not None:
                    done[index[outcome.display]] = outcome

    def _collect(self, worker: _Worker, pending: deque[Task]) -> Outcome | None:
        """The worker's outcome if it has one; handles a dead or overdue worker."""
        task = worker.task
        broken = False
        try:
            if task is not None and worker.conn.poll():
                outcome: Outcome = worker.conn.recv()
                worker.task = None
                return outcome
        except Exception:  # killed halfway through sending, or a garbled message
            broken = True
        elapsed = time.monotonic() - worker.started
        alive = not broken and worker.process.is_alive()
        if alive and task is not None and self.timeout is not None and elapsed >= self.timeout:
            self._retire(worker)
            return timed_out(task, self.timeout, time.perf_counter() - elapsed)
        if alive:
            return None
        if broken:  # its pipe closed: it is dying, or a kill is on the way
            worker.process.join(2)
        code = worker.process.exitcode
        how = "a broken pipe" if code is None else _signal_name(code)
        self._retire(worker)
        if task is None:
            return None
        if task.attempt < 2:  # a stray kill: once more, in a fresh worker
            pending.appendleft(replace(task, attempt=task.attempt + 1))
            return None
        message = (
            f"the process building this source died twice ({how}), so it was not built; "
            "its last good PDF is kept (it may need more memory than the machine has)"
        )
        error = SourceError(Span.whole(task.display), "", message, code="worker-died")
        return Outcome(task.display, errors=(error,))

    def close(self) -> None:
        """Stop every worker: a polite end for idle ones, a kill for any still working."""
        for worker in list(self.workers):
            if worker.task is None:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in list(self.workers):
            if worker.task is not None:
                worker.process.kill()
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(5)
            worker.conn.close()
        self.workers.clear()


def default_jobs() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )
