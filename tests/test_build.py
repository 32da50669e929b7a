"""Scheduled regeneration: deterministic, incremental, atomic, locked, parallel, reported."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import reader

from briefing.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "sources" / "nagorno-karabakh-2020.yaml"


def small_source(title: str = "Test briefing", *, extra: str = "", review_by: str = "") -> str:
    review = f"review_by: {review_by}\n" if review_by else ""
    return (
        f'title: "{title}"\nas_of: 2024-03-01\n{review}marking: OFFICIAL\n'
        "summary:\n  - One bullet that matters [@s1].\n"
        "timeline:\n  events:\n"
        "    - {date: 1990, label: Start}\n    - {date: 2024-02, label: Now, category: news}\n"
        "actors:\n  - {name: Alpha, type: state}\n"
        "sections:\n  - heading: Background\n    body: Some text [@s1].\n"
        f"{extra}"
        "sources:\n  - {id: s1, title: A source, url: 'https://example.org/a'}\n"
    )


def png(color: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 40), color).save(buf, "PNG")
    return buf.getvalue()


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def invoke(root: Path, *args: str):
    """Run the CLI in-process with ``root`` as the working folder (restored afterwards)."""
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_byte_identical_in_two_folders(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "deeper/two"):
        root = tmp_path / name
        (root / "sources").mkdir(parents=True)
        shutil.copy(EXAMPLE, root / "sources")
        result = run(["build", "--jobs", "1", "-q"], cwd=root)
        assert result.returncode == 0, result.stderr
        outputs.append((root / "dist" / "nagorno-karabakh-2020.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"/tmp" not in outputs[0]
    assert str(tmp_path).encode() not in outputs[0]


def test_source_date_epoch_sets_the_pdf_dates(project, monkeypatch) -> None:
    project.source(small_source())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    result = invoke(project.root, "build", "-q", "-j", "1")
    assert result.exit_code == 0, result.output
    meta = reader(project.root / "dist" / "x.pdf").metadata
    assert meta["/CreationDate"].startswith("D:20231114221320")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert invoke(project.root, "build", "-q", "-j", "1", "--force").exit_code == 0
    meta = reader(project.root / "dist" / "x.pdf").metadata
    assert meta["/CreationDate"].startswith("D:20240301")  # the source's as_of


def test_second_build_rewrites_nothing_and_an_asset_change_rebuilds(project) -> None:
    project.write("assets/map.png", png())
    extra = "map:\n  region: Test region\n  image: assets/map.png\n"
    project.source(small_source(extra=extra))
    first = invoke(project.root, "build", "-j", "1")
    assert first.exit_code == 0, first.output
    pdf = project.root / "dist" / "x.pdf"
    manifest = project.root / "dist" / "manifest.json"
    stamp, data = pdf.stat().st_mtime_ns, pdf.read_bytes()
    second = invoke(project.root, "build", "-j", "1")
    assert second.exit_code == 0
    assert "up to date  sources/x.yaml" in second.stdout
    assert "0 built, 1 up to date, 0 failed" in second.stdout
    assert pdf.stat().st_mtime_ns == stamp
    assert pdf.read_bytes() == data
    m_stamp = manifest.stat().st_mtime_ns
    third = invoke(project.root, "build", "-j", "1")
    assert third.exit_code == 0
    assert manifest.stat().st_mtime_ns == m_stamp  # nothing changed: not even the manifest
    project.write("assets/map.png", png((200, 30, 30)))
    fourth = invoke(project.root, "build", "-j", "1")
    assert "built       sources/x.yaml" in fourth.stdout
    assert pdf.read_bytes() != data
    forced = invoke(project.root, "build", "-j", "1", "--force")
    assert "1 built" in forced.stdout


def test_manifest_fields(project) -> None:
    project.source(small_source(review_by="2024-04-01"))
    result = invoke(project.root, "build", "-j", "1", "--json")
    report = json.loads(result.stdout)
    assert report["built"] == 1
    assert report["sources"][0]["status"] == "built"
    data = json.loads((project.root / "dist" / "manifest.json").read_text())
    (entry,) = data["briefings"]
    pdf = (project.root / "dist" / "x.pdf").read_bytes()
    import hashlib

    assert entry["id"] == "x"
    assert entry["source"] == "sources/x.yaml"
    assert entry["output"] == "x.pdf"
    assert entry["size"] == len(pdf)
    assert entry["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert entry["pages"] == len(reader(pdf).pages)
    assert entry["as_of"] == "2024-03-01"
    assert entry["review_by"] == "2024-04-01"
    assert entry["status"] == "built"
    assert len(entry["input_hash"]) == 64
    message = (
        "the review date 2024-04-01 has passed; the briefing is stale (update it and its review_by)"
    )
    assert entry["warnings"] == [
        {
            "file": "sources/x.yaml",
            "line": 3,
            "column": 12,
            "key_path": "review_by",
            "severity": "warning",
            "code": "stale",
            "message": message,
            "text": f"sources/x.yaml:3:12: warning: review_by: {message}",
        }
    ]


def test_failed_source_keeps_last_good_pdf_and_entry(project) -> None:
    source = project.source(small_source())
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    pdf = project.root / "dist" / "x.pdf"
    data, stamp = pdf.read_bytes(), pdf.stat().st_mtime_ns
    source.write_text(small_source().replace("as_of: 2024-03-01", "as_of: 2024-02-30"))
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 1
    assert "sources/x.yaml:2:8: as_of:" in result.stderr
    assert pdf.read_bytes() == data
    assert pdf.stat().st_mtime_ns == stamp
    entry = json.loads((project.root / "dist" / "manifest.json").read_text())["briefings"][0]
    assert entry["status"] == "failed"
    (error,) = entry["errors"]
    assert (error["file"], error["line"], error["column"]) == ("sources/x.yaml", 2, 8)
    assert (error["key_path"], error["severity"]) == ("as_of", "error")
    assert entry["sha256"]  # the last good PDF's entry stays, marked failed


def test_one_failure_does_not_stop_the_others(project) -> None:
    project.source(small_source(), "a.yaml")
    project.source("title: broken\n", "b.yaml")
    project.source(small_source("Third"), "c.yaml")
    result = invoke(project.root, "build", "-j", "2")
    assert result.exit_code == 1
    assert (project.root / "dist" / "a.pdf").is_file()
    assert (project.root / "dist" / "c.pdf").is_file()
    assert not (project.root / "dist" / "b.pdf").exists()
    lines = result.stdout.splitlines()
    assert [ln.split()[0] for ln in lines[:3]] == ["built", "failed", "built"]  # source order
    assert "2 built, 0 up to date, 1 failed" in result.stdout


def test_strict_fails_a_stale_source(project) -> None:
    project.source(small_source(review_by="2024-04-01"))
    loose = invoke(project.root, "build", "-j", "1")
    assert loose.exit_code == 0
    assert (
        "sources/x.yaml:3:12: warning: review_by: the review date 2024-04-01 has passed"
        in loose.stderr
    )
    strict = invoke(project.root, "build", "-j", "1", "--strict")
    assert strict.exit_code == 1
    assert "--strict" in strict.stderr


def test_strict_stale_source_writes_no_pdf(project) -> None:
    project.source(small_source(review_by="2024-04-01"))
    strict = invoke(project.root, "build", "-j", "1", "--strict")
    assert strict.exit_code == 1
    assert not (project.root / "dist" / "x.pdf").exists()


def test_duplicate_ids_across_files(project) -> None:
    project.source(small_source(), "a.yaml")
    project.source("id: a\n" + small_source(), "b.yaml")
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 1
    assert (
        "sources/b.yaml:1:5: id: the briefing id 'a' is already used by sources/a.yaml"
        in result.stderr
    )


def test_jobs_give_the_same_bytes(tmp_path: Path) -> None:
    outputs = {}
    for jobs in ("1", "2"):
        root = tmp_path / f"j{jobs}"
        (root / "sources").mkdir(parents=True)
        for i in range(9):
            (root / "sources" / f"s{i}.yaml").write_text(small_source(f"Briefing {i}"))
        result = run(["build", "--jobs", jobs, "-q"], cwd=root)
        assert result.returncode == 0, result.stderr
        outputs[jobs] = {p.name: p.read_bytes() for p in sorted((root / "dist").glob("*.pdf"))}
    assert len(outputs["1"]) == 9
    assert outputs["1"] == outputs["2"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    outside = run(["build"], cwd=tmp_path)
    assert outside.returncode == 2
    assert "no sources/ folder" in outside.stderr
    assert "Traceback" not in outside.stderr
    missing = run(["build", "nope.yaml"], cwd=tmp_path)
    assert missing.returncode == 2
    assert "no such source file: nope.yaml" in missing.stderr
    bad = run(["build", "--jobs", "0"], cwd=tmp_path)
    assert bad.returncode == 2


def _big_source() -> str:
    events = "".join(
        f"    - {{date: {1700 + i % 320}, label: Event number {i} with some words, "
        f"detail: {'Detail text that goes on. ' * 6}, category: c{i % 5}}}\n"
        for i in range(300)
    )
    actors = "".join(
        f"  - {{name: Actor {i}, type: state, role: {'A role. ' * 8}, "
        f"notes: {'Notes here. ' * 10}}}\n"
        for i in range(400)
    )
    return (
        'title: "A large briefing"\nas_of: 2024-03-01\nsummary: [Big.]\n'
        f"timeline:\n  events:\n{events}actors:\n{actors}"
    )


def _complete_pdfs_only(dist: Path) -> None:
    for path in dist.iterdir():
        if path.suffix == ".pdf":
            data = path.read_bytes()
            assert data.startswith(b"%PDF-"), path
            assert data.rstrip().endswith(b"%%EOF"), path
            assert len(reader(data).pages) > 0
        elif path.name == "manifest.json":
            json.loads(path.read_text())
        elif path.name == "editions":  # the edition history: whole JSON records only
            for record in path.glob("*/*.json"):
                json.loads(record.read_text())
        else:  # only the lock file and (until the next build) our hidden temporaries
            assert path.name.startswith("."), path
            assert not path.name.endswith(".pdf"), path


def test_sigkill_leaves_only_complete_pdfs(project) -> None:
    project.source(_big_source(), "big.yaml")
    project.source(small_source(), "small.yaml")
    dist = project.root / "dist"
    start = time.monotonic()
    assert run(["build", "-j", "1", "-q"], cwd=project.root).returncode == 0
    full = time.monotonic() - start
    old = (dist / "big.pdf").read_bytes()
    seen: set[bool] = set()
    # early kills land while rendering; the late ones near (or in) the write and rename
    for delay in (0.3, 1.0, full * 0.9, full * 0.97, full * 1.02):
        (project.root / "sources" / "big.yaml").write_text(_big_source() + f"subtitle: v{delay}\n")
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefing", "build", "-j", "1", "-q"], cwd=project.root
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        _complete_pdfs_only(dist)  # old or new, never partial
        seen.add((dist / "big.pdf").read_bytes() == old)
    assert True in seen  # at least one kill landed before the new PDF replaced the old
    final = run(["build", "-j", "1"], cwd=project.root)
    assert final.returncode == 0, final.stderr
    assert not [p for p in dist.iterdir() if p.name.endswith(".partial")]
    _complete_pdfs_only(dist)


def test_two_concurrent_builds(project) -> None:
    for i in range(4):
        project.source(small_source(f"Briefing {i}"), f"s{i}.yaml")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "briefing", "build", "-j", "2", "--json"],
            cwd=project.root,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    reports = [json.loads(p.communicate(timeout=240)[0]) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    statuses = sorted(r["built"] for r in reports)
    assert statuses == [0, 4]  # one built everything; the other waited, then found it done
    _complete_pdfs_only(project.root / "dist")
    data = json.loads((project.root / "dist" / "manifest.json").read_text())
    assert len(data["briefings"]) == 4


@pytest.mark.parametrize("size", ["A4", "letter"])
def test_page_size_option(project, size: str) -> None:
    project.source(small_source())
    result = invoke(project.root, "build", "-j", "1", "--page-size", size)
    assert result.exit_code == 0, result.output
    box = reader(project.root / "dist" / "x.pdf").pages[0].mediabox
    expected = (595.2756, 841.8898) if size == "A4" else (612, 792)
    assert float(box.width) == pytest.approx(expected[0], abs=0.01)
    assert float(box.height) == pytest.approx(expected[1], abs=0.01)


def test_a_full_disk_fails_the_source_and_keeps_its_pdf(project, monkeypatch) -> None:
    project.source(small_source())
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    pdf = project.root / "dist" / "x.pdf"
    data = pdf.read_bytes()
    project.source(small_source("Changed"))

    def full(data: bytes, dest: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("briefing.publish.build.write_atomic", full)
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 1
    assert "dist/x.pdf: cannot write the PDF: No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert pdf.read_bytes() == data


def test_an_unusable_output_folder_is_one_line(project) -> None:
    project.source(small_source())
    blocker = project.write("not-a-folder", "x")
    result = invoke(project.root, "build", "-j", "1", "--out", str(blocker / "dist"))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"briefing: cannot use the output folder: {blocker / 'dist'}: Not a directory"
    )


def test_a_deleted_source_leaves_the_manifest_and_dist(project) -> None:
    keep = project.source(small_source(), "keep.yaml")
    gone = project.source(small_source("Going"), "gone.yaml")
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    dist = project.root / "dist"
    gone.unlink()
    named = invoke(project.root, "build", "-j", "1", str(keep))  # names one source: no pruning
    assert (dist / "gone.pdf").is_file()
    assert "removed" not in named.stdout
    result = invoke(project.root, "build", "-j", "1", "--json")
    report = json.loads(result.stdout)
    assert report["removed"] == ["sources/gone.yaml"]
    assert not (dist / "gone.pdf").exists()
    assert (dist / "keep.pdf").is_file()
    entries = json.loads((dist / "manifest.json").read_text())["briefings"]
    assert [e["source"] for e in entries] == ["sources/keep.yaml"]
    again = invoke(project.root, "build", "-j", "1")
    assert "removed" not in again.stdout
