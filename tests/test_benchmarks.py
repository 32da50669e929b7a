"""The benchmark suite stays runnable, and its generated sources stay valid and distinct.

Why: benchmarks rot silently; a renamed option or a source-format change would only
show up the next time someone wants numbers. These tests run the real script on a
tiny input (``--quick``: 3 sources, 1 run) and check the generator's output with the
real ``briefing check``. They assert no timings: the machine is shared and the
numbers are only meaningful as ratios in a full run.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import yaml

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"

#: The start of every row label ``run.py`` prints, in table order.
ROWS = (
    "floor: bare ReportLab, the example, one process",
    "floor: one process drawing 3 documents, per document",
    "peer: platypus + matplotlib PNG, the example, one process",
    "peer: platypus + matplotlib PNG, one process drawing 3 documents, per document",
    "cold: build the example in a fresh project",
    "warm: 3 sources, --jobs 1, per briefing",
    "warm + verify: 3 sources, --jobs 1 --verify, per briefing",
    "batch: 3 sources, default --jobs, total",
    "batch: 3 sources, default --jobs, per briefing",
    "hourly: 3 built, 1 changed, total",
    "hourly: 3 built, 1 changed, --jobs 1 (for comparison)",
    "hourly, text-only: 3 built, 1 changed in their text, total",
    "no-op: 3 built, nothing changed, total",
    "peak RSS: floor, cold",
    "peak RSS: peer: platypus + matplotlib PNG, cold",
    "peak RSS: cold build",
    "peak RSS: batch of 2",
    "peak RSS: batch of 3",
)


def _generator() -> ModuleType:
    """``benchmarks/generate.py`` as a module (``benchmarks/`` is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_generate", BENCHMARKS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_quick_benchmark_prints_every_row() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--quick"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert "| measurement | median | min | ratio | of | target | result |" in lines
    rows = [line for line in lines if line.startswith("| ") and "measurement" not in line]
    for label in ROWS:
        matching = [row for row in rows if row.startswith(f"| {label}")]
        assert len(matching) == 1, f"no single row for {label!r} in:\n{proc.stdout}"
        cells = [cell.strip() for cell in matching[0].strip("|").split("|")]
        assert len(cells) == 7, matching[0]
        assert cells[-1] in {"PASS", "MISS", "—"}, matching[0]
        if label.startswith(("peer", "peak RSS: peer")):  # a peer to compare with, no target
            assert cells[-2:] == ["peer, no target", "—"], matching[0]
    assert any(line.startswith("briefing ÷ peer (medians") for line in lines), proc.stdout
    for key in ("cpu", "cores", "python", "packages"):
        assert any(line.startswith(f"- {key}: ") for line in lines), key
    # Nothing is measured inside the repository.
    assert not (BENCHMARKS / "dist").exists()


def test_generated_sources_pass_check_and_are_distinct(tmp_path: Path) -> None:
    gen = _generator()
    paths = gen.generate(6, 7, tmp_path)
    revised = gen.revise(tmp_path / "revised", 7, [2], revision=1)
    for path in revised:  # an hourly edit must stay valid too
        (tmp_path / "sources" / f"revised-{path.name}").write_bytes(path.read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "briefing", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "7 ok, 0 failed" in proc.stdout
    assert "warning" not in proc.stderr

    contents = [p.read_bytes() for p in paths]
    assert len(set(contents)) == len(contents)
    assert revised[0].read_bytes() != paths[2].read_bytes()
    titles = {yaml.safe_load(c)["title"] for c in contents}
    assert len(titles) == len(contents)


def test_generator_is_seeded_and_within_the_ranges(tmp_path: Path) -> None:
    gen = _generator()
    first = [p.read_bytes() for p in gen.generate(20, 2020, tmp_path / "a")]
    again = [p.read_bytes() for p in gen.generate(5, 2020, tmp_path / "b")]
    assert again == first[:5]  # source i depends on the seed and i only
    other = [p.read_bytes() for p in gen.generate(5, 2021, tmp_path / "c")]
    assert other != first[:5]

    text = b"".join(first).decode("utf-8")
    for sample in ("ə", "Россия", "Հայաստան"):  # Azerbaijani, Cyrillic, Armenian somewhere
        assert sample in text, sample
    for content in first:
        doc = yaml.safe_load(content)
        events = doc["timeline"]["events"]
        assert 3 <= len(doc["summary"]) <= 7
        assert 4 <= len(doc["key_facts"]) <= 8
        assert 3 <= len(doc["map"]["places"]) <= 8
        assert 10 <= len(events) <= 30
        assert 5 <= len(doc["actors"]) <= 15
        assert 3 <= len(doc["sections"]) <= 5
        assert 1 <= len(doc["sources"]) <= 4
        assert len({e.get("category") for e in events}) >= 2
        for actor in doc["actors"]:
            assert {"name", "type", "role", "alignment", "ties", "source"} <= actor.keys()
    assert any("end" in e for c in first for e in yaml.safe_load(c)["timeline"]["events"])
