# ruff: noqa: E501 (expected messages and YAML are compared whole)
"""A ``--send`` killed at random moments (real processes, SIGKILL, seeded), then run again:
every owed copy is delivered, the log holds exactly one ``sent`` line per copy and nothing
unreadable, and the server saw at most one duplicate per kill (the copy in flight).
Two runs started together are serialised: nothing is sent twice."""

from __future__ import annotations

import collections
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from distkit import LOG_FIELDS, log_records, run_process, source, write_project
from smtpkit import Mailbox, smtp_server

READERS = 12


def desk(root: Path, port: int) -> Path:
    recipients = "\n".join(
        f"  - {{id: r{i:02d}, name: Reader {i}, email: r{i:02d}@example.gov}}"
        for i in range(READERS)
    )
    dist = (
        "from: {name: Desk, email: desk@example.org}\n"
        f"delivery: {{method: smtp, smtp: {{host: 127.0.0.1, port: {port}, security: none, timeout: 10}}}}\n"
        f"recipients:\n{recipients}\n"
        "lists: {all: [" + ", ".join(f"r{i:02d}" for i in range(READERS)) + "]}\n"
        "routes: [{briefings: '*', to: all}]\n"
    )
    return write_project(root, {"alpha": source("Alpha"), "beta": source("Beta")}, dist)


def start(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "distribute", "--send"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )


def lines(root: Path) -> int:
    path = root / "dist" / "distribution" / "log.jsonl"
    return len(path.read_bytes().splitlines()) if path.exists() else 0


def test_killed_runs_then_a_full_run_deliver_each_copy_once(tmp_path: Path) -> None:
    rng = random.Random(1414)
    box = Mailbox(delay=0.03)
    kills = 0
    with smtp_server(box) as port:
        root = desk(tmp_path, port)
        assert run_process(root, "build").returncode == 0  # each run's build is then a no-op
        for _ in range(6):
            seen = lines(root)
            proc = start(root)
            deadline = time.monotonic() + 30
            while lines(root) == seen and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)  # wait until this run is delivering
            time.sleep(rng.uniform(0, 0.12))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait()
        final = run_process(root, "distribute", "--send")
        assert final.returncode == 0, final.stderr
    assert kills >= 4
    raw = (root / "dist" / "distribution" / "log.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in raw]  # every line is whole, valid JSON
    assert all(set(r) == LOG_FIELDS for r in records)
    sent = collections.Counter(
        (r["item"], r["recipient"]) for r in records if r["status"] == "sent"
    )
    owed = {(item, f"r{i:02d}") for item in ("alpha", "beta") for i in range(READERS)}
    assert set(sent) == owed
    assert set(sent.values()) == {1}
    ids = {r["copy_id"] for r in records}
    assert len(ids) == len(owed)
    received = collections.Counter(m["Message-ID"] for m in box.messages)
    assert set(received) == {f"<{i.lower()}.copy@example.org>" for i in ids}
    duplicates = sum(n - 1 for n in received.values())
    assert duplicates <= kills
    print(f"{kills} kills, {duplicates} copies in flight re-sent")
    # copy numbers are stable across the killed runs: one number per reader and briefing
    numbers = {(r["item"], r["recipient"]): r["copy"] for r in records}
    assert sorted(numbers[("alpha", f"r{i:02d}")] for i in range(READERS)) == list(
        range(1, READERS + 1)
    )


def test_concurrent_runs_are_serialised(tmp_path: Path) -> None:
    box = Mailbox()
    with smtp_server(box) as port:
        root = desk(tmp_path, port)
        assert run_process(root, "build").returncode == 0
        first, second = start(root), start(root)
        assert first.wait(timeout=120) == 0
        assert second.wait(timeout=120) == 0
    assert len(box.messages) == 2 * READERS
    sent = [(r["item"], r["recipient"]) for r in log_records(root) if r["status"] == "sent"]
    assert len(sent) == len(set(sent)) == 2 * READERS


def test_killed_folder_runs_leave_whole_copies_only(tmp_path: Path) -> None:
    """Folder delivery: after kills and a full run, each owed copy is one whole file equal to
    its logged hash, and no temporary file is left in the outbox."""
    rng = random.Random(2020)
    root = desk(tmp_path, 1)
    text = (root / "distribution.yaml").read_text()
    text = re.sub(r"delivery: .*\n", "delivery: {method: folder, folder: outbox}\n", text)
    (root / "distribution.yaml").write_text(text)
    assert run_process(root, "build").returncode == 0
    for _ in range(3):
        seen = lines(root)
        proc = start(root)
        while lines(root) == seen and proc.poll() is None:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert run_process(root, "distribute", "--send").returncode == 0
    records = [r for r in log_records(root) if r["status"] == "sent"]
    assert len(records) == len({(r["item"], r["recipient"]) for r in records}) == 2 * READERS
    files = sorted(p for p in (root / "outbox").rglob("*") if p.is_file())
    assert len(files) == 2 * READERS  # no .partial left
    by_path = {str(r["to"]): r["sha256"] for r in records}
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert by_path[path.relative_to(root).as_posix()] == digest
