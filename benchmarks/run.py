"""Speed and memory benchmarks of ``briefing build``, as ratios to a bare ReportLab floor.

Why ratios: the machine is shared and absolute times drift by tens of per cent between
runs, so every figure is compared with ``benchmarks/floor.py`` (Python + PyYAML +
ReportLab drawing the same text on a canvas) measured in the *same* run, interleaved
round by round with the builds so drift hits both alike.

Every measurement is a whole process, started with ``sys.executable -m briefing`` (so
it works in any venv) in a fresh temporary folder; nothing is written into the repo.
The builds run a byte-compiled copy of ``briefing/`` taken at the start (see
``snapshot_package``), so edits made to the working tree during a run cannot leak in.

* floor (cold): ``floor.py`` drawing the example, one process.
* floor (warm): ``floor.py`` drawing the N generated sources in one process, per document.
* peer (cold, warm): ``peer_png.py``, the usual way to build the same briefing (platypus,
  and the timeline as a matplotlib PNG at 200 dpi), measured exactly as the floor. It has
  no target: its rows show where ``briefing`` stands against what one would write first.
* cold: ``briefing build`` of the example in a fresh copy of the project (no ``dist/``,
  so no drawing cache) and an empty matplotlib config/cache folder (``MPLCONFIGDIR``), so
  matplotlib's user font cache is rebuilt as on a first run. The peer's cold row gets an
  empty one too. (The OS page cache is not dropped: that needs root and hits everyone.)
* warm: one ``briefing build --jobs 1`` of N generated sources, total / N.
* warm + verify: the same with ``--verify`` (every PDF read back and checked), against warm.
* batch: N generated sources with the default ``--jobs`` (the CPUs).
* hourly: N sources already built, 5 of them changed: the rebuild (and, for comparison,
  the same with ``--jobs 1``, which shows what the worker pool costs for 5 sources).
* hourly, text-only: as hourly, but the 5 edits touch only text (a summary bullet):
  the timeline chart and the map come from the drawing cache in
  ``dist/.cache``, so the rebuild neither draws them nor imports matplotlib.
* no-op: N sources built, nothing changed: the rebuild.
* peak memory: maximum resident set size of the largest single process of the tree,
  from ``os.wait4`` on the child (the kernel's ``ru_maxrss`` of that child and all the
  children it waited for: the number ``/usr/bin/time -v`` prints as "Maximum resident
  set size", and what ``getrusage(RUSAGE_CHILDREN)`` gives a fresh wrapper process). As
  ``ru_maxrss`` is a maximum, not a sum, the batch also shows the peak of the *sum* of
  the RSS of every process in the tree, sampled every 50 ms (RSS counts pages shared
  between forked workers once per process, so the sum is an upper bound).

Usage: ``python benchmarks/run.py [--runs N] [--quick] [--json]``. ``--quick`` uses 3
sources and 1 run (for the test suite; its ratios mean nothing). Times are medians (and
minima) over the runs; a ratio is the median divided by the floor's median.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate, revise  # noqa: E402 - benchmarks/ is not a package

SEED = 2020
MIB = 1024 * 1024
PEER = "peer: platypus + matplotlib PNG"  # benchmarks/peer_png.py
PEER_TARGET = "peer, no target"

# --- measuring one process -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """One whole-process measurement."""

    seconds: float
    maxrss_bytes: int  # ru_maxrss of the child and its waited-for descendants (largest one)
    tree_peak_bytes: int | None  # sampled peak of the RSS summed over the process tree
    stdout: str = field(repr=False, default="")


def _children_map() -> dict[int, list[int]]:
    """ppid → pids of every process now running (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(name))
    return children


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and its descendants, sampled.

    Why sampled and cheap: the builds run on every core, so the sampler reads one
    ``statm`` per known process every 50 ms and rescans ``/proc`` for new workers only
    every 0.5 s (a rescan costs ~2.5 ms, a statm read ~20 µs).
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.available = os.path.isdir("/proc") and sys.platform.startswith("linux")
        self._done = threading.Event()

    def _tree(self) -> list[int]:
        children = _children_map()
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo.extend(children.get(pid, ()))
        return pids

    def run(self) -> None:
        if not self.available:
            return
        pids: list[int] = [self.pid]
        tick = 0
        while not self._done.is_set():
            if tick % 10 == 0:
                pids = self._tree()
            self.peak = max(self.peak, sum(_rss_bytes(pid) for pid in pids))
            tick += 1
            self._done.wait(self.interval)

    def stop(self) -> int | None:
        self._done.set()
        self.join()
        return self.peak if self.available and self.peak else None


def run_process(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``cmd`` to completion: wall time, its tree's ru_maxrss, sampled tree peak.

    Fails loudly (with the output) when the process fails: a benchmark of a broken
    build would measure nothing.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=out, stderr=err, env=env)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        tree_peak = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} (in {cwd}) exited with {proc.returncode}\n{stdout}\n{stderr}"
        )
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    maxrss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return Sample(seconds, maxrss, tree_peak, stdout)


# --- the workloads ---------------------------------------------------------------------------


def briefing_cmd(*args: str) -> list[str]:
    """``briefing build`` through the running interpreter, JSON report for checking."""
    return [sys.executable, "-m", "briefing", "build", "--json", *args]


def snapshot_package(dest: Path) -> dict[str, str]:
    """Copy the ``briefing`` package as it is now; the environment that runs the copy.

    Why: other people edit the package in the same working tree while a run takes
    minutes, and the build's fingerprint hashes the package code, so one saved file
    mid-run would turn the "5 of 100 changed" rebuild into 100 rebuilds and mix two
    versions of the code in one table. Every build of a run uses this copy (first on
    ``PYTHONPATH``, ahead of the editable install); the interpreter and the installed
    dependencies are the same.

    Why byte-compiled here: an installed package runs from cached bytecode, but the
    editable checkout may never get a ``__pycache__`` (``PYTHONDONTWRITEBYTECODE`` is
    common in containers), which would charge every measured process ~70 ms of
    compiling. The floor and peer scripts go into the same folder as the modules
    ``bench_floor`` and ``bench_peer_png`` and are run with ``-m`` for the same reason,
    so no side pays for compiling.
    """
    spec = importlib.util.find_spec("briefing")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("bench: the briefing package is not installed in this interpreter")
    source = Path(next(iter(spec.submodule_search_locations)))
    shutil.copytree(source, dest / "briefing", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(HERE / "floor.py", dest / "bench_floor.py")
    shutil.copy2(HERE / "peer_png.py", dest / "bench_peer_png.py")
    if not compileall.compile_dir(dest, quiet=2):
        raise SystemExit(f"bench: could not byte-compile the package snapshot in {dest}")
    path = os.pathsep.join(filter(None, [str(dest), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def package_hash(package: Path) -> str:
    """A short hash of the package's ``*.py`` files: which code a table was measured on."""
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:12]


def checked_build(
    folder: Path, env: dict[str, str], *args: str, built: int, up_to_date: int = 0
) -> Sample:
    """Run a build and make sure it did what the measurement claims (counts, no failure)."""
    sample = run_process(briefing_cmd(*args), folder, env)
    report = json.loads(sample.stdout)
    got = (report["built"], report["up_to_date"], report["failed"])
    if got != (built, up_to_date, 0):
        raise RuntimeError(
            f"build in {folder}: expected {built} built, {up_to_date} up to date, 0 failed; "
            f"got {got}"
        )
    return sample


def fresh_project(base: Path, name: str, sources: Sequence[Path]) -> Path:
    """A new project folder holding copies of ``sources`` (and the repo's assets)."""
    folder = base / name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "sources").mkdir(parents=True)
    for src in sources:
        shutil.copy2(src, folder / "sources" / src.name)
    if (REPO / "assets").is_dir():
        shutil.copytree(REPO / "assets", folder / "assets")
    return folder


@dataclass(slots=True)
class Bench:
    """The sizes and folders of one benchmark run, and every sample taken."""

    tmp: Path
    n: int
    n_small: int
    changed: int
    env: dict[str, str]  # runs the package snapshot
    code: str  # the snapshot's code hash
    samples: dict[str, list[float]] = field(default_factory=dict)
    memory: dict[str, list[int]] = field(default_factory=dict)
    example: Path = field(init=False)
    generated: list[Path] = field(init=False)
    steady: Path = field(init=False)

    def __post_init__(self) -> None:
        self.example = REPO / "sources" / "nagorno-karabakh-2020.yaml"
        self.generated = sorted(generate(self.n, SEED, self.tmp / "generated"))
        self.steady = fresh_project(self.tmp, "steady", self.generated)

    def record(self, key: str, value: float) -> None:
        self.samples.setdefault(key, []).append(value)

    def record_memory(self, key: str, value: int | None) -> None:
        if value is not None:
            self.memory.setdefault(key, []).append(value)

    def cold_env(self, name: str) -> dict[str, str]:
        """The snapshot's environment with a new, empty ``MPLCONFIGDIR``: no user font cache."""
        folder = self.tmp / f"mplconfig-{name}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        return {**self.env, "MPLCONFIGDIR": str(folder)}

    def script(
        self, name: str, sources: Sequence[Path], count: int = 1, cold: bool = False
    ) -> Sample:
        """Run ``floor.py`` or ``peer_png.py`` on ``sources``, ``count`` documents in one process.

        Both run from the byte-compiled snapshot (see ``snapshot_package``), and must
        report the number of documents they were asked for.
        """
        out = self.tmp / name / "doc.pdf"
        if out.parent.exists():
            shutil.rmtree(out.parent)
        out.parent.mkdir()
        module = "bench_floor" if name.startswith("floor") else "bench_peer_png"
        cmd = [sys.executable, "-m", module, str(out), *map(str, sources), "--count", str(count)]
        s = run_process(cmd, self.tmp, self.cold_env(name) if cold else self.env)
        if f": {count} document(s)" not in s.stdout:
            raise RuntimeError(f"{' '.join(cmd)}: expected {count} document(s), got {s.stdout!r}")
        return s

    # each method: one measurement, one sample

    def floor_cold(self) -> None:
        s = self.script("floor", [self.example])
        self.record("floor_cold", s.seconds)
        self.record_memory("floor_cold", s.maxrss_bytes)

    def floor_warm(self) -> None:
        s = self.script("floor-warm", self.generated, self.n)
        self.record("floor_warm", s.seconds / self.n)
        self.record_memory("floor_warm", s.maxrss_bytes)

    def peer_cold(self) -> None:
        s = self.script("peer", [self.example], cold=True)
        self.record("peer_cold", s.seconds)
        self.record_memory("peer_cold", s.maxrss_bytes)

    def peer_warm(self) -> None:
        s = self.script("peer-warm", self.generated, self.n)
        self.record("peer_warm", s.seconds / self.n)
        self.record_memory("peer_warm", s.maxrss_bytes)

    def cold(self) -> None:
        folder = fresh_project(self.tmp, "cold", [self.example])
        s = checked_build(folder, self.cold_env("cold"), built=1)
        self.record("cold", s.seconds)
        self.record_memory("cold", s.maxrss_bytes)

    def warm(self) -> None:
        folder = fresh_project(self.tmp, "warm", self.generated)
        s = checked_build(folder, self.env, "--jobs", "1", built=self.n)
        self.record("warm", s.seconds / self.n)
        self.record_memory("warm", s.maxrss_bytes)

    def warm_verify(self) -> None:
        """As ``warm``, with ``--verify``: each PDF read back and checked before it is installed."""
        folder = fresh_project(self.tmp, "warm-verify", self.generated)
        s = checked_build(folder, self.env, "--jobs", "1", "--verify", built=self.n)
        self.record("warm_verify", s.seconds / self.n)

    def batch(self) -> None:
        folder = fresh_project(self.tmp, "batch", self.generated)
        s = checked_build(folder, self.env, built=self.n)
        self.record("batch", s.seconds)
        self.record("batch_each", s.seconds / self.n)
        self.record_memory("batch", s.maxrss_bytes)
        self.record_memory("batch_tree", s.tree_peak_bytes)

    def batch_small(self) -> None:
        folder = fresh_project(self.tmp, "batch-small", self.generated[: self.n_small])
        s = checked_build(folder, self.env, built=self.n_small)
        self.record("batch_small", s.seconds)
        self.record_memory("batch_small", s.maxrss_bytes)
        self.record_memory("batch_small_tree", s.tree_peak_bytes)

    def setup_steady(self) -> None:
        """Build the steady project once (untimed): the state hourly and no-op start from."""
        checked_build(self.steady, self.env, built=self.n)

    def hourly(self, revision: int) -> None:
        indices = random.Random(f"hourly-{revision}").sample(range(self.n), self.changed)
        revise(self.steady, SEED, indices, revision)
        s = checked_build(
            self.steady, self.env, built=self.changed, up_to_date=self.n - self.changed
        )
        self.record("hourly", s.seconds)
        self.record_memory("hourly", s.maxrss_bytes)

    def hourly_serial(self, revision: int) -> None:
        """The hourly rebuild with ``--jobs 1``: what the worker pool costs for 5 sources."""
        indices = random.Random(f"hourly-serial-{revision}").sample(range(self.n), self.changed)
        revise(self.steady, SEED, indices, 1000 + revision)
        s = checked_build(
            self.steady,
            self.env,
            "--jobs",
            "1",
            built=self.changed,
            up_to_date=self.n - self.changed,
        )
        self.record("hourly_serial", s.seconds)

    def hourly_text(self, revision: int) -> None:
        """5 sources edited in their text only: the chart and map come from the cache."""
        indices = random.Random(f"hourly-text-{revision}").sample(range(self.n), self.changed)
        revise(self.steady, SEED, indices, 2000 + revision, text_only=True)
        s = checked_build(
            self.steady, self.env, built=self.changed, up_to_date=self.n - self.changed
        )
        self.record("hourly_text", s.seconds)

    def noop(self) -> None:
        s = checked_build(self.steady, self.env, built=0, up_to_date=self.n)
        self.record("noop", s.seconds)
        self.record_memory("noop", s.maxrss_bytes)


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table."""

    name: str
    what: str
    median: float
    minimum: float
    unit: str  # "s" or "MiB"
    ratio: float | None
    ratio_of: str  # what the ratio divides by
    target: str
    ok: bool | None  # None: no target


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _fmt(value: float, unit: str) -> str:
    return _time(value) if unit == "s" else f"{value / MIB:.1f} MiB"


def build_rows(b: Bench) -> list[Row]:
    """Medians, minima, ratios to the floor and the targets, in table order."""
    med = {k: statistics.median(v) for k, v in b.samples.items()}
    low = {k: min(v) for k, v in b.samples.items()}
    mem = {k: statistics.median(v) for k, v in b.memory.items()}
    mem_low = {k: min(v) for k, v in b.memory.items()}
    fc, fw, fm = med["floor_cold"], med["floor_warm"], mem["floor_cold"]
    n, k = b.n, b.changed

    def t(
        key: str, what: str, ref: float, ref_name: str, limit: float | None, target: str = "—"
    ) -> Row:
        ratio = med[key] / ref
        target = f"≤ {limit:g}× {ref_name}" if limit is not None else target
        ok = None if limit is None else ratio <= limit
        return Row(key, what, med[key], low[key], "s", ratio, ref_name, target, ok)

    def m(key: str, what: str, target: str, ok: bool | None) -> Row:
        return Row(
            key + "_mem",
            what,
            mem[key],
            mem_low[key],
            "MiB",
            mem[key] / fm,
            "floor peak",
            target,
            ok,
        )

    rows = [
        t("floor_cold", "floor: bare ReportLab, the example, one process", fc, "floor cold", None),
        t(
            "floor_warm",
            f"floor: one process drawing {n} documents, per document",
            fw,
            "floor warm",
            None,
        ),
        t("peer_cold", f"{PEER}, the example, one process", fc, "floor cold", None, PEER_TARGET),
        t(
            "peer_warm",
            f"{PEER}, one process drawing {n} documents, per document",
            fw,
            "floor warm",
            None,
            PEER_TARGET,
        ),
        t("cold", "cold: build the example in a fresh project", fc, "floor cold", 3),
        t("warm", f"warm: {n} sources, --jobs 1, per briefing", fw, "floor warm", 4),
        t(
            "warm_verify",
            f"warm + verify: {n} sources, --jobs 1 --verify, per briefing",
            med["warm"],
            "warm",
            1.25,
        ),
        t("batch", f"batch: {n} sources, default --jobs, total", fc, "floor cold", None),
        t(
            "batch_each",
            f"batch: {n} sources, default --jobs, per briefing",
            fw,
            "floor warm",
            None,
        ),
        t("hourly", f"hourly: {n} built, {k} changed, total", fc, "floor cold", 8),
        t(
            "hourly_serial",
            f"hourly: {n} built, {k} changed, --jobs 1 (for comparison)",
            fc,
            "floor cold",
            None,
        ),
        t(
            "hourly_text",
            f"hourly, text-only: {n} built, {k} changed in their text, total",
            fc,
            "floor cold",
            6,
        ),
        t("noop", f"no-op: {n} built, nothing changed, total", fc, "floor cold", 2),
        m("floor_cold", "peak RSS: floor, cold", "—", None),
        m("peer_cold", f"peak RSS: {PEER}, cold", PEER_TARGET, None),
        m("cold", "peak RSS: cold build (largest process)", "≤ 150 MiB", mem["cold"] <= 150 * MIB),
        m("batch_small", f"peak RSS: batch of {b.n_small} (largest process)", "—", None),
        m(
            "batch",
            f"peak RSS: batch of {n} (largest process)",
            f"flat: ≤ 1.1× the {b.n_small}-source peak",
            mem["batch"] <= 1.1 * mem["batch_small"],
        ),
    ]
    if "batch_tree" in mem and "batch_small_tree" in mem:
        rows += [
            m(
                "batch_small_tree",
                f"peak RSS summed over all processes: batch of {b.n_small}",
                "—",
                None,
            ),
            m(
                "batch_tree",
                f"peak RSS summed over all processes: batch of {n}",
                f"flat: ≤ 1.1× the {b.n_small}-source sum",
                mem["batch_tree"] <= 1.1 * mem["batch_small_tree"],
            ),
        ]
    return rows


def versus_peer(b: Bench) -> dict[str, float]:
    """``briefing`` divided by the peer (medians): below 1 means briefing is faster."""
    med = {k: statistics.median(v) for k, v in b.samples.items()}
    mem = {k: statistics.median(v) for k, v in b.memory.items()}
    return {
        "cold": med["cold"] / med["peer_cold"],
        "warm": med["warm"] / med["peer_warm"],
        "peak RSS, cold": mem["cold"] / mem["peer_cold"],
    }


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (the same text goes into RESULTS.md)."""
    lines = [
        "| measurement | median | min | ratio | of | target | result |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        result = "—" if r.ok is None else ("PASS" if r.ok else "MISS")
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        lines.append(
            f"| {r.what} | {_fmt(r.median, r.unit)} | {_fmt(r.minimum, r.unit)} | {ratio} "
            f"| {r.ratio_of} | {r.target} | {result} |"
        )
    return "\n".join(lines)


# --- the machine -----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the numbers were measured on: CPU, cores, Python, package versions, commit."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for dist in (
        "briefing",
        "reportlab",
        "rl_accel",
        "matplotlib",
        "PyYAML",
        "numpy",
        "uharfbuzz",
        "markdown-it-py",
        "click",
    ):
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist} (not installed)")
    try:  # read-only git queries; GIT_OPTIONAL_LOCKS=0 keeps git from touching the index
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "briefing"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.strip()
        commit += " (briefing/ has uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(cores),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
        "packages": ", ".join(versions),
        "commit": commit,
        "load average at start": load,
    }


# --- main ------------------------------------------------------------------------------------


def run(args: argparse.Namespace, log: Callable[[str], None]) -> tuple[Bench, list[Row]]:
    """Every measurement, round-robin: cheap ones every round, 100-source ones in the first few."""
    n, n_small, changed = (3, 2, 1) if args.quick else (args.sources, 25, 5)
    cheap_runs = args.runs or (1 if args.quick else 5)
    heavy_runs = args.runs or (1 if args.quick else 3)
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        env = snapshot_package(Path(tmp) / "package")
        code = package_hash(Path(tmp) / "package" / "briefing")
        log(f"measuring a snapshot of the briefing package (code hash {code})")
        log(f"generating {n} sources (seed {SEED}) in {tmp}")
        b = Bench(Path(tmp), n, min(n_small, n), min(changed, n), env, code)
        log(f"building the {n} sources once (untimed: the state hourly and no-op start from)")
        b.setup_steady()
        b.floor_cold()  # untimed warm-ups of the floor and peer (page cache, .pyc)
        b.peer_cold()
        b.samples.clear()
        b.memory.clear()
        for r in range(max(cheap_runs, heavy_runs)):
            log(f"round {r + 1}/{max(cheap_runs, heavy_runs)}")
            b.floor_cold()
            b.cold()
            b.peer_cold()
            if r < heavy_runs:
                b.floor_warm()
                b.warm()
                b.warm_verify()
                b.peer_warm()
                b.batch()
                b.batch_small()
                b.hourly(revision=r + 1)
                b.hourly_serial(revision=r + 1)
                b.hourly_text(revision=r + 1)
            b.noop()
        return b, build_rows(b)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs",
        type=int,
        help="runs of every measurement (default 5, or 3 for the ones over many sources)",
    )
    parser.add_argument("--quick", action="store_true", help="3 sources, 1 run: a smoke test")
    parser.add_argument("--sources", type=int, default=100, help="generated sources (default 100)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    info = machine()
    b, rows = run(args, log)
    info["measured code"] = f"a copy of briefing/ taken at the start (code hash {b.code})"
    info["runs"] = (
        f"{len(b.samples['floor_cold'])} of each measurement, "
        f"{len(b.samples['warm'])} of those over {b.n} sources; medians, ratios of medians"
    )
    if args.json:
        print(
            json.dumps(
                {
                    "machine": info,
                    "sizes": {"sources": b.n, "small batch": b.n_small, "changed": b.changed},
                    "samples_seconds": b.samples,
                    "peak_rss_bytes": b.memory,
                    "rows": [asdict(r) for r in rows],
                    "briefing_over_peer": versus_peer(b),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    print("\n".join(f"- {k}: {v}" for k, v in info.items()))
    print()
    print(table(rows))
    misses = [r.name for r in rows if r.ok is False]
    print()
    ratios = ", ".join(f"{k} {v:.2f}×" for k, v in versus_peer(b).items())
    print(f"briefing ÷ peer (medians; below 1: briefing is faster or smaller): {ratios}")
    print(f"{len(rows)} rows; targets missed: {', '.join(misses) if misses else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
