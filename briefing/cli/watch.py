"""``briefing watch``: build, then rebuild each source when it or an asset it uses changes.

Why: writing a briefing should feel like writing a Typst document: save, and
the PDF updates. watchdog reports file-system events (inotify, FSEvents, …) on
its own thread; that thread only queues the paths. The calling thread waits for
a burst of events to go quiet (editors save in several steps: a temp file, a
rename, a chmod), maps the changed paths to the sources that use them, and
builds just those with the ordinary incremental ``build``, so a failed source
keeps its last good PDF exactly as in a scheduled build.

Which files a source uses comes from the build report (``SourceResult.assets``:
the images and overlays it was built from, besides the source itself). A source that failed
may have failed *because* of an asset (a missing image), so it is rebuilt on
any change among the watched assets too. Nothing here prints or exits: the
caller hears about every round through a ``Listener``.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from briefing.publish.build import BuildOptions, BuildReport, SourceResult, build, discover

#: Event types that mean a file's contents or presence changed. Opening and reading a
#: file (which the build itself does) must not count, or every build would trigger the next.
CHANGES = frozenset({"created", "modified", "moved", "deleted", "closed"})


class Listener(Protocol):
    """What the caller hears: one round is ``started``, ``plan``, ``result``…, ``finished``
    (with ``waiting`` first if another build holds the output folder)."""

    def started(self, sources: Sequence[Path], changed: Sequence[Path]) -> None: ...
    def waiting(self) -> None: ...
    def plan(self, total: int) -> None: ...
    def result(self, result: SourceResult) -> None: ...
    def finished(self, report: BuildReport) -> None: ...


@dataclass(frozen=True, slots=True)
class WatchOptions:
    """How the watcher waits: ``debounce`` seconds of quiet end a burst of events, and a
    burst that never goes quiet (a file being copied in slowly) is built after ``max_wait``."""

    build: BuildOptions = field(default_factory=BuildOptions)
    debounce: float = 0.3
    max_wait: float = 3.0


class _Queueing(FileSystemEventHandler):
    """Runs on watchdog's thread: queue the changed paths, nothing else."""

    def __init__(self, changes: queue.Queue[Path]) -> None:
        self.changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file inside was added or removed: that file has its own event
        for raw in (event.src_path, event.dest_path):
            if raw:
                text = raw.decode() if isinstance(raw, bytes) else raw
                self.changes.put(Path(text))


def affected(
    changed: Iterable[Path],
    sources: Sequence[Path],
    uses: dict[Path, frozenset[Path]],
    failed: frozenset[Path],
) -> list[Path]:
    """The sources to rebuild for ``changed`` paths, in ``sources`` order.

    A source is rebuilt when it changed, when a file it uses changed (or a folder
    holding one was moved or deleted), and, if its last build failed, when any
    file outside the source folders changed: it may be the image it was missing.
    (Not on any change in a source folder: editors keep swap and backup files
    there, and a failed source would be rebuilt on every keystroke.)
    All paths are absolute and resolved.
    """
    changed = set(changed)
    source_folders = {s.parent for s in sources}
    others = {p for p in changed if p.parent not in source_folders}
    picked = []
    for source in sources:
        used = uses.get(source, frozenset())
        if (
            source in changed
            or any(p == u or p in u.parents for p in changed for u in used)
            or (source in failed and others)
        ):
            picked.append(source)
    return picked


class Watch:
    """One watching session over a project: ``run()`` until interrupted or ``stop`` is set.

    ``sources``: the sources named on the command line, or None for every
    ``sources/*.yaml`` (then sources added later are built when they appear, and a
    removed one's PDF and manifest entry are deleted, as a build of the project does).
    """

    def __init__(
        self,
        *,
        root: Path,
        out: Path,
        sources: Sequence[Path] | None,
        listener: Listener,
        options: WatchOptions | None = None,
        on_first_good: Callable[[Path], None] | None = None,
        open_for: Path | None = None,
    ) -> None:
        self.root = root.resolve()
        self.out = out.resolve()
        self.named = [p.resolve() for p in sources] if sources is not None else None
        self.listener = listener
        # One process: forking worker processes next to watchdog's threads is unsafe.
        options = options or WatchOptions()
        # Watching the whole project, a deleted source's PDF and entry go, as in a build
        # of the whole project; watching named sources, nothing is ever removed.
        prune = self.named is None
        self.options = replace(options, build=replace(options.build, jobs=1, prune=prune))
        self.on_first_good = on_first_good
        #: The source whose PDF ``on_first_good`` gets; None: the first source built well.
        self.open_for = open_for.resolve() if open_for is not None else None
        self.changes: queue.Queue[Path] = queue.Queue()
        self.uses: dict[Path, frozenset[Path]] = {}
        self.failed: frozenset[Path] = frozenset()
        self.known: list[Path] = []
        self.gone: list[Path] = []  # sources deleted since the last round
        self._watched: set[Path] = set()
        self._opened = False

    # --- what to watch -----------------------------------------------------------------------

    def current_sources(self) -> list[Path]:
        """The named sources, or what is in ``sources/`` now."""
        if self.named is not None:
            return list(self.named)
        folder = self.root / "sources"
        return [p.resolve() for p in discover(self.root)] if folder.is_dir() else []

    def folders(self) -> dict[Path, bool]:
        """Folders to watch → recursively? ``sources/``, ``assets/`` and ``fonts/``, plus the
        folder of every named source and every asset in use (an image may live anywhere in
        the project)."""
        wanted: dict[Path, bool] = {}
        for name, recursive in (("sources", False), ("assets", True), ("fonts", False)):
            folder = self.root / name
            if folder.is_dir():
                wanted[folder] = recursive
        for path in [*(self.named or ()), *(u for used in self.uses.values() for u in used)]:
            if path.parent.is_dir() and not self._covered(path.parent, wanted):
                wanted[path.parent] = False
        return wanted

    def _covered(self, folder: Path, wanted: dict[Path, bool]) -> bool:
        assets = self.root / "assets"
        return folder in wanted or (wanted.get(assets, False) and folder.is_relative_to(assets))

    def _schedule(self, observer: BaseObserver) -> None:
        handler = _Queueing(self.changes)
        for folder, recursive in self.folders().items():
            if folder not in self._watched:
                observer.schedule(handler, str(folder), recursive=recursive)
                self._watched.add(folder)

    # --- building ------------------------------------------------------------------------------

    def build_round(self, sources: list[Path], changed: Sequence[Path]) -> BuildReport:
        """Build ``sources`` and remember what each used and whether it failed."""
        self.listener.started(sources, changed)
        report = build(
            sources,
            root=self.root,
            out=self.out,
            options=self.options.build,
            on_result=self.listener.result,
            on_plan=self.listener.plan,
            on_wait=self.listener.waiting,
        )
        self.listener.finished(report)
        failed = set(self.failed)
        for source, result in zip(sources, report.results, strict=False):
            if result.status != "failed":  # a failed source keeps watching what it used
                self.uses[source] = frozenset((self.root / u).resolve() for u in result.assets)
            if result.status == "failed":
                failed.add(source)
            else:
                failed.discard(source)
                self._first_good(source, result)
        if report.locked_out:
            failed.update(sources)
        self.failed = frozenset(failed)
        return report

    def _first_good(self, source: Path, result: SourceResult) -> None:
        if self._opened or self.on_first_good is None:
            return
        if self.open_for is not None and source.resolve() != self.open_for:
            return
        if result.output is None:
            return
        pdf = self.out / result.output
        if pdf.is_file():
            self._opened = True
            self.on_first_good(pdf)

    def next_round(self, changed: set[Path]) -> list[Path]:
        """Sources to rebuild for ``changed``, including sources that just appeared."""
        current = self.current_sources()
        new = [p for p in current if p not in self.known]
        self.gone = [p for p in self.known if p not in current]
        self.known = current
        self.uses = {s: u for s, u in self.uses.items() if s in current}
        self.failed = frozenset(s for s in self.failed if s in current)
        picked = set(affected(changed, current, self.uses, self.failed)) | set(new)
        fonts = (self.root / "fonts").resolve()
        if any(p.parent == fonts for p in changed):  # a fallback font: every source may use it
            picked = set(current)
        return [p for p in current if p in picked]

    def _shown(self, changed: set[Path]) -> list[Path]:
        """The changes worth naming: not an editor's temporary file that is already gone."""
        used = {u for us in self.uses.values() for u in us}
        return sorted(p for p in changed if p in self.known or p in used or p.exists())

    # --- the loop ------------------------------------------------------------------------------

    def run(self, stop: threading.Event | None = None) -> None:
        """Build everything, then rebuild on changes until ``stop`` is set.

        A ``KeyboardInterrupt`` (Ctrl-C) passes through to the caller after the
        observer thread is stopped; a build it interrupts leaves no partial file.
        """
        stop = stop or threading.Event()
        observer = Observer()
        # Watch before the first build, so a save during it is not missed.
        self._schedule(observer)
        observer.start()
        try:
            self.known = self.current_sources()
            if self.known:
                self.build_round(self.known, [])
            self._schedule(observer)
            while not stop.is_set():
                changed = self._wait_for_burst(stop)
                if not changed:
                    continue
                todo = self.next_round(changed)
                if todo or (self.gone and self.named is None):
                    self.build_round(todo, self._shown(changed))
                    self._schedule(observer)
        finally:
            observer.stop()
            observer.join(timeout=10)

    def _wait_for_burst(self, stop: threading.Event) -> set[Path]:
        """The paths changed in the next burst of events (empty if ``stop`` was set or it
        was only the build's own output).

        Short ``get`` timeouts keep the loop responsive to ``stop`` and to Ctrl-C.
        """
        try:
            first = self.changes.get(timeout=0.5)
        except queue.Empty:
            return set()
        changed = {first}
        started = last = time.monotonic()
        opts = self.options
        while not stop.is_set():
            now = time.monotonic()
            quiet_left = opts.debounce - (now - last)
            if quiet_left <= 0 or now - started >= opts.max_wait:
                break
            try:
                changed.add(self.changes.get(timeout=quiet_left))
                last = time.monotonic()
            except queue.Empty:
                break
        return {p.resolve() for p in changed if not p.resolve().is_relative_to(self.out)}
