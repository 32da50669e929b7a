"""The chaos test of issue 9: builds killed at random moments never hang, lose or swap a PDF.

A batch of 20 small sources, each in one of two versions, built with ``--jobs 2``.
Rounds alternate: the main process is killed (SIGKILL or SIGTERM) at a random
moment, then a build whose workers are each killed (SIGKILL or SIGTERM, one by
one, at a random moment) must still finish, every source built. After every
kill, within 10 s: no process of the build is left and the lock is free; every
PDF in ``dist/`` is byte for byte a complete build of the source that owns its
name (builds are deterministic: it equals one of that source's two reference
builds, which open with pypdf), and the manifest is valid JSON describing exactly
those files. After every finished build, ``dist/`` is exactly the reference build
of the current sources. Seeded, so a failure can be replayed; ~80 s.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from pdfcheck import reader
from test_build import small_source
from test_unattended import group_members, lock_is_free, wait_until

SOURCES = 20
KILLS = 30
DEADLINE = 10.0
SEED = 20260901


def text(i: int, version: int) -> str:
    # drafts: a draft is never an edition, so its PDF depends on its source alone (an
    # edition's PDF would also depend on the history of versions built before it)
    return small_source(f"Briefing {i} version {'AB'[version]}", extra="draft: true\n")


def name(i: int) -> str:
    return f"s{i:02d}"


def write_sources(root: Path, versions: list[int]) -> None:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    for i, version in enumerate(versions):
        path = root / "sources" / f"{name(i)}.yaml"
        data = text(i, version)
        if not path.exists() or path.read_text() != data:
            path.write_text(data)


def start(root: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "build", "-q", "-j", "2", *args],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: its workers are findable
    )


def references(tmp_path: Path) -> dict[str, tuple[bytes, bytes]]:
    """Each source's PDF in version A and version B, from two undisturbed builds."""
    builds = []
    for version in (0, 1):
        root = tmp_path / f"ref{version}"
        write_sources(root, [version] * SOURCES)
        builds.append((root, start(root)))
    for _root, proc in builds:
        assert proc.wait(timeout=240) == 0, proc.stderr.read() if proc.stderr else ""
    refs = {
        name(i): tuple((root / "dist" / f"{name(i)}.pdf").read_bytes() for root, _ in builds)
        for i in range(SOURCES)
    }
    for pair in refs.values():
        assert pair[0] != pair[1]
        assert all(len(reader(data).pages) >= 1 for data in pair)
    return refs  # type: ignore[return-value]


def gone_within_deadline(proc: subprocess.Popen[bytes], dist: Path) -> None:
    """The build's main process and every worker are gone, and the lock is free."""
    try:
        proc.wait(timeout=DEADLINE)
        wait_until(lambda: not group_members(proc.pid), "the build's processes", DEADLINE)
    finally:
        for pid in group_members(proc.pid):  # never leave one behind, even on failure
            os.kill(pid, signal.SIGKILL)
    assert lock_is_free(dist)  # so the next build cannot wait forever


def check_dist(
    dist: Path, refs: dict[str, tuple[bytes, bytes]], versions: list[int] | None
) -> None:
    """Every PDF is a whole build of its own source; the manifest describes exactly them.

    ``versions``: after a finished build, the versions every PDF must be.
    """
    entries = json.loads((dist / "manifest.json").read_text())["briefings"]
    described = {}
    for entry in entries:
        stem = entry["source"].removeprefix("sources/").removesuffix(".yaml")
        assert entry["output"] == f"{stem}.pdf", entry
        pdf = dist / entry["output"]
        assert pdf.is_file(), entry
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == entry["sha256"], entry
        described[entry["output"]] = entry
    for pdf in dist.glob("*.pdf"):
        data = pdf.read_bytes()
        # equal to a reference build, which opens (checked once, in ``references``)
        assert data in refs[pdf.stem], f"{pdf.name} is not a complete build of its source"
        if versions is not None:
            assert data == refs[pdf.stem][versions[int(pdf.stem[1:])]], pdf.name
    if versions is not None:
        assert len(described) == SOURCES
        assert all(e["status"] in ("built", "up to date") for e in entries)
        assert not list(dist.glob(".*.partial"))


def test_random_kills_never_hang_lose_or_swap_a_pdf(tmp_path: Path) -> None:
    refs = references(tmp_path)
    rng = random.Random(SEED)
    root = tmp_path / "project"
    dist = root / "dist"
    versions = [0] * SOURCES
    shutil.copytree(tmp_path / "ref0", root)  # version A, built
    kills = {"main": 0, "worker": 0}
    rounds = 0
    while kills["main"] + kills["worker"] < KILLS or min(kills.values()) < KILLS // 3:
        rounds += 1
        assert rounds < KILLS * 6, f"too few kills landed in {rounds} rounds: {kills}"
        main_round = rounds % 2 == 1
        # a worker round changes enough sources to need the workers (8 or more)
        changed = rng.randint(1, 12) if main_round else rng.randint(8, 10)
        for i in rng.sample(range(SOURCES), changed):
            versions[i] = 1 - versions[i]
        write_sources(root, versions)
        if main_round:  # the main process, at a random moment
            proc = start(root)
            # early enough to land on a small build (one source builds in well under 2 s)
            time.sleep(rng.uniform(0.1, 1.0))
            if proc.poll() is None:
                proc.send_signal(rng.choice([signal.SIGKILL, signal.SIGTERM]))
                kills["main"] += 1
            gone_within_deadline(proc, dist)
            check_dist(dist, refs, None)
            continue
        # one worker, at a random moment: the build goes on and finishes
        proc = start(root)
        wait_until(
            lambda p=proc: len(group_members(p.pid)) >= 2 or p.poll() is not None,
            "the workers",
        )
        time.sleep(rng.uniform(0.0, 1.0))
        # one worker: its source is tried once more, in a fresh worker or an idle one.
        # (Killing every worker of the moment could hit that retry too, and a source whose
        # process dies twice fails by design.)
        workers = sorted(pid for pid in group_members(proc.pid) if pid != proc.pid)
        if workers and proc.poll() is None:
            os.kill(rng.choice(workers), rng.choice([signal.SIGKILL, signal.SIGTERM]))
            kills["worker"] += 1
        try:
            code = proc.wait(timeout=120)
        finally:
            gone_within_deadline(proc, dist)
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        assert code == 0, stderr
        check_dist(dist, refs, versions)
    assert kills["main"] >= 10
    assert kills["worker"] >= 10
    last = start(root)  # and the build after all that finishes, and is right
    assert last.wait(timeout=240) == 0
    check_dist(dist, refs, versions)
