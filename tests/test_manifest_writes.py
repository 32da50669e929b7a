"""The manifest is written in few writes and is never wrong in between (issue 9, batched).

Every state the output folder passes through is the state a SIGKILL would leave, so
each test watches every step a build takes on disk (each atomic write of a PDF, an
edition record or the manifest, and each deletion) and checks after each one that
every entry of the manifest on disk names a PDF that is there with the recorded hash.
Builds run in-process (``jobs=1``) so the steps can be watched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from test_build import small_source

from briefing.publish import build as build_module
from briefing.publish import editions, manifest
from briefing.publish.build import BuildOptions, build
from briefing.publish.discover import discover

SOURCES = 9


def manifest_problems(dist: Path) -> list[str]:
    """What is wrong with the manifest on disk: entries naming a missing or other file."""
    path = dist / "manifest.json"
    if not path.exists():
        return []
    problems = []
    for entry in json.loads(path.read_text(encoding="utf-8"))["briefings"]:
        pdf = dist / entry["output"]
        if not pdf.is_file():
            problems.append(f"{entry['output']} is named but missing")
        elif hashlib.sha256(pdf.read_bytes()).hexdigest() != entry["sha256"]:
            problems.append(f"{entry['output']} is named with another hash")
    return problems


@dataclass
class Steps:
    """Every step a build takes on disk, checked as it happens."""

    dist: Path
    log: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    snapshots: list[Path] = field(default_factory=list)
    keep_snapshots: bool = False

    def after(self, what: str) -> None:
        self.log.append(what)
        self.problems += [f"after {what}: {p}" for p in manifest_problems(self.dist)]
        if self.keep_snapshots:  # the folder as a SIGKILL right now would leave it
            copy = self.dist.parent.parent / f"kill-{len(self.log):03d}"
            shutil.copytree(self.dist.parent, copy)
            self.snapshots.append(copy)

    def manifest_writes(self) -> int:
        return sum(1 for step in self.log if step == "write manifest.json")


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Steps:
    watched = Steps(tmp_path / "project" / "dist")
    original_write = build_module.write_atomic
    original_unlink = Path.unlink

    def write_atomic(data: bytes, dest: Path) -> None:
        original_write(data, dest)
        watched.after(f"write {dest.name}")

    def unlink(self: Path, missing_ok: bool = False) -> None:
        original_unlink(self, missing_ok)
        if self.suffix == ".pdf":
            watched.after(f"delete {self.name}")

    for module in (build_module, manifest, editions):
        monkeypatch.setattr(module, "write_atomic", write_atomic)
    monkeypatch.setattr(Path, "unlink", unlink)
    return watched


def write_sources(root: Path, texts: dict[str, str]) -> None:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    for stem, text in texts.items():
        (root / "sources" / f"{stem}.yaml").write_text(text, encoding="utf-8")


def run_build(root: Path) -> None:
    report = build(
        discover(root), root=root, out=root / "dist", options=BuildOptions(jobs=1, prune=True)
    )
    assert report.count("failed") == 0, report


def described(dist: Path) -> dict[str, str]:
    entries = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))["briefings"]
    return {e["output"]: e["sha256"] for e in entries}


def on_disk(dist: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in dist.glob("*.pdf")}


def first_version(root: Path) -> None:
    write_sources(root, {f"s{i}": small_source(f"Briefing {i} A") for i in range(SOURCES)})
    run_build(root)


def second_version(root: Path) -> None:
    """5 edited, one with a new id (its old PDF goes), one deleted (pruned), 2 unchanged."""
    write_sources(root, {f"s{i}": small_source(f"Briefing {i} B") for i in range(5)})
    write_sources(root, {"s5": "id: renamed\n" + small_source("Briefing 5 B")})
    (root / "sources" / "s6.yaml").unlink()


def test_a_rebuild_writes_the_manifest_a_few_times_and_never_wrongly(
    tmp_path: Path, steps: Steps
) -> None:
    root = tmp_path / "project"
    first_version(root)
    # a fresh build of 9: after the 1st, 2nd, 4th and 8th install, and once at the end
    assert steps.manifest_writes() == 5, "\n".join(steps.log)
    assert not steps.problems
    steps.log.clear()
    second_version(root)
    run_build(root)
    assert not steps.problems, steps.problems
    # once before the first PDF changes (every rebuilt source's entry out), after the
    # 1st, 2nd and 4th install, and at the end: 5, where one write per step would be 13
    assert steps.manifest_writes() == 5, "\n".join(steps.log)
    first_pdf = next(i for i, s in enumerate(steps.log) if s.endswith(".pdf"))
    assert steps.log[first_pdf - 1] == "write manifest.json", steps.log
    # the PDFs of the renamed and the deleted source go only after the final write
    assert steps.log[-3:] in (
        ["write manifest.json", "delete s5.pdf", "delete s6.pdf"],
        ["write manifest.json", "delete s6.pdf", "delete s5.pdf"],
    ), steps.log
    dist = root / "dist"
    assert described(dist) == on_disk(dist)
    assert sorted(on_disk(dist)) == [f"{n}.pdf" for n in ("renamed", "s0", "s1", "s2", "s3")] + [
        "s4.pdf",
        "s7.pdf",
        "s8.pdf",
    ]


def test_a_build_killed_at_any_step_leaves_a_true_manifest_and_the_next_build_completes(
    tmp_path: Path, steps: Steps
) -> None:
    root = tmp_path / "project"
    first_version(root)
    second_version(root)
    steps.log.clear()
    steps.keep_snapshots = True
    run_build(root)
    steps.keep_snapshots = False
    log = list(steps.log)
    reference = on_disk(root / "dist")
    assert not steps.problems, steps.problems
    # the folder as a kill after each step left it; from a few of them, build again:
    # after the first PDF (the renamed source's entry is only set aside then), in the
    # middle, and just before the final write of the manifest. (After it, before the old
    # PDFs are deleted, a kill leaves them behind, named by no entry: as it always did.)
    assert log[-3:-2] == ["write manifest.json"]
    picks = {1, len(log) // 2, len(log) - 4}
    for index in sorted(picks):
        killed = steps.snapshots[index]
        assert not manifest_problems(killed / "dist"), log[index]
        steps.dist = killed / "dist"
        run_build(killed)
        assert not steps.problems, (log[index], steps.problems)
        assert on_disk(killed / "dist") == reference, log[index]
        assert described(killed / "dist") == reference, log[index]


def test_the_pieced_manifest_is_the_json_of_the_whole_document(tmp_path: Path) -> None:
    root = tmp_path / "project"
    first_version(root)
    entries = manifest.read(root / "dist")
    text = (root / "dist" / "manifest.json").read_text(encoding="utf-8")
    assert "rebuilding" not in json.loads(text)  # a finished build sets nothing aside
    key = sorted(entries)[0]
    odd = replace(entries[key], changes=('a "quoted"\nline \u2028 é', "x\\y"))
    aside = {sorted(entries)[1]: entries[sorted(entries)[1]]}
    whole = {
        "format": manifest.FORMAT,
        "tool": 'briefing "test"',
        "briefings": [e.to_json() for _, e in sorted({**entries, key: odd}.items())],
        "rebuilding": [e.to_json() for e in aside.values()],
    }
    expected = json.dumps(whole, indent=2, ensure_ascii=False) + "\n"
    cache = manifest.Fragments()
    for _ in range(2):  # the second time from the cache
        got = manifest.dumps({**entries, key: odd}, 'briefing "test"', cache, aside)
        assert got.decode("utf-8") == expected
    empty = json.dumps({"format": manifest.FORMAT, "tool": "t", "briefings": []}, indent=2)
    assert manifest.dumps({}, "t") == (empty + "\n").encode()
