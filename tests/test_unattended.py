"""Unattended builds (issue 9): never hang, never lose or swap a PDF, never touch
anything outside the project. One test (or a few) per item of the issue, numbered."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import Project
from pdfcheck import reader
from test_build import invoke, png, run, small_source

from briefing.render import RenderOptions

if TYPE_CHECKING:
    from briefing.publish.workers import Outcome, Task

DEADLINE = 10.0  # seconds the issue allows for a killed build to be gone


def with_id(briefing_id: str, title: str = "Test briefing") -> str:
    return f"id: {briefing_id}\n" + small_source(title)


def manifest_of(root: Path) -> list[dict]:
    return json.loads((root / "dist" / "manifest.json").read_text())["briefings"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_manifest_matches_disk(root: Path) -> None:
    """Every entry describes the file that is there: the docs' promise."""
    for entry in manifest_of(root):
        pdf = root / "dist" / entry["output"]
        assert pdf.is_file(), entry
        assert sha(pdf) == entry["sha256"], entry


# --- processes ---------------------------------------------------------------------------------


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes in process group ``pgid``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_until(condition, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def lock_is_free(dist: Path) -> bool:
    fd = os.open(dist / ".briefing.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def start_build(root: Path, *args: str) -> subprocess.Popen[bytes]:
    """A build in its own process group (its workers stay in it), output discarded."""
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "build", "-q", *args],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


# --- 1. a killed build hangs every later build --------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_1_a_killed_build_leaves_no_worker_and_no_lock(project: Project, sig: int) -> None:
    for i in range(12):
        project.source(small_source(f"Briefing {i}"), f"s{i:02d}.yaml")
    proc = start_build(project.root, "-j", "2")
    try:
        wait_until(lambda: len(group_members(proc.pid)) >= 3, "the workers to start")
        proc.send_signal(sig)
        code = proc.wait(timeout=DEADLINE)
        wait_until(lambda: not group_members(proc.pid), "every worker to die", DEADLINE)
    finally:
        for pid in group_members(proc.pid):
            os.kill(pid, signal.SIGKILL)
    assert code == -signal.SIGKILL if sig == signal.SIGKILL else code == 143
    dist = project.root / "dist"
    assert lock_is_free(dist)
    after = run(["build", "-j", "2", "-q"], cwd=project.root)
    assert after.returncode == 0, after.stderr
    assert len(list(dist.glob("*.pdf"))) == 12
    assert_manifest_matches_disk(project.root)


# --- 2. renaming a source deletes its new PDF ---------------------------------------------------


def test_2_renaming_a_source_keeps_its_pdf(project: Project) -> None:
    old = project.source(with_id("brief"), "old.yaml")
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    pdf = project.root / "dist" / "brief.pdf"
    data = pdf.read_bytes()
    for new_name in ("new.yaml", "new.yml"):
        new = old.with_name(new_name)
        old.rename(new)
        result = invoke(project.root, "build", "-j", "1")
        assert result.exit_code == 0, result.output
        assert pdf.read_bytes() == data
        assert [e["source"] for e in manifest_of(project.root)] == [f"sources/{new_name}"]
        assert_manifest_matches_disk(project.root)
        old = new


# --- 3. a new source can overwrite another briefing's PDF ---------------------------------------


def test_3_a_new_source_cannot_take_another_sources_pdf(project: Project) -> None:
    project.source(small_source("Zeta briefing"), "zeta.yaml")
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    pdf = project.root / "dist" / "zeta.pdf"
    data = pdf.read_bytes()
    project.source(with_id("zeta", "Alpha briefing"), "alpha.yaml")  # sorts first
    for args in ((), ("--force",)):
        result = invoke(project.root, "build", "-j", "1", *args)
        assert result.exit_code == 1
        assert (
            "sources/alpha.yaml:1:5: id: the briefing id 'zeta' is already used by "
            "sources/zeta.yaml; give one of them another `id:`" in result.stderr
        )
        assert pdf.read_bytes() == data
        entries = manifest_of(project.root)
        assert [(e["source"], e["output"]) for e in entries] == [("sources/zeta.yaml", "zeta.pdf")]
        assert_manifest_matches_disk(project.root)


def test_3_two_new_sources_with_one_id_the_first_in_order_wins(project: Project) -> None:
    project.source(with_id("same", "First"), "a.yaml")
    project.source(with_id("same", "Second"), "b.yaml")
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 1
    assert "sources/b.yaml:1:5: id: the briefing id 'same' is already used by sources/a.yaml" in (
        result.stderr
    )
    assert [e["source"] for e in manifest_of(project.root)] == ["sources/a.yaml"]


# --- 4. a source file name that is not UTF-8 ----------------------------------------------------


def test_4_a_file_name_that_is_not_utf8_fails_only_that_source(project: Project) -> None:
    bad = project.root / "sources" / os.fsdecode(b"caf\xe9.yaml")
    bad.write_text(small_source("Cafe"))
    project.source(small_source("Good"), "good.yaml")
    result = run(["build", "-j", "1", "--json"], cwd=project.root)
    assert result.returncode == 1
    assert "internal error" not in result.stderr
    assert (
        "sources/caf\\xe9.yaml: the file name is not valid UTF-8 text; rename the file"
        in result.stderr
    )
    report = json.loads(result.stdout)
    assert [s["status"] for s in report["sources"]] == ["failed", "built"]
    assert [e["source"] for e in manifest_of(project.root)] == ["sources/good.yaml"]
    again = run(["build", "-j", "1"], cwd=project.root)  # and every later build too
    assert again.returncode == 1
    assert "up to date  sources/good.yaml" in again.stdout
    check = run(["check"], cwd=project.root)
    assert "caf\\xe9.yaml" in check.stdout + check.stderr
    assert "Traceback" not in check.stderr


# --- 5. a tampered dist/ --------------------------------------------------------------------------


def test_5_a_manifest_entry_pointing_outside_deletes_nothing(project: Project) -> None:
    victim = project.root.parent / "victim.txt"
    victim.write_text("precious")
    source = project.source(small_source(), "x.yaml")
    project.source(small_source("Kept"), "keep.yaml")
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    path = project.root / "dist" / "manifest.json"
    data = json.loads(path.read_text())
    entry = data["briefings"][0]
    data["briefings"] = [
        {**entry, "id": "gone", "source": "sources/gone.yaml", "output": "../../victim.txt"},
        {**entry, "source": "sources/x.yaml", "output": "../victim.txt"},
    ]
    entry_sha = sha(victim)
    data["briefings"][0]["sha256"] = entry_sha  # as if the build had written that file
    path.write_text(json.dumps(data))
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious"
    assert "dist/manifest.json: warning: briefings[0]: `output` is not `<id>.pdf`" in result.stderr
    assert "removed" not in result.stdout
    assert [e["output"] for e in manifest_of(project.root)] == ["keep.pdf", "x.pdf"]
    source.unlink()  # a whole-project build that prunes deletes only its own PDF
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    assert victim.read_text() == "precious"
    assert not (project.root / "dist" / "x.pdf").exists()


def test_5_links_in_dist_are_never_written_through(project: Project) -> None:
    outside = project.root.parent / "outside"
    (outside / "x").mkdir(parents=True)
    victim = outside / "victim.pdf"
    victim.write_bytes(b"precious")
    project.source(small_source())
    dist = project.root / "dist"
    dist.mkdir()
    (dist / "x.pdf").symlink_to(victim)
    (dist / "editions").symlink_to(outside)
    result = invoke(project.root, "build", "-j", "1")
    assert victim.read_bytes() == b"precious"
    assert list((outside / "x").iterdir()) == []  # no edition record written out there
    assert not (dist / "x.pdf").is_symlink()
    assert reader(dist / "x.pdf").pages
    assert "dist/editions: cannot write the edition history: it is a symbolic link" in (
        result.stderr
    )


def test_5_a_lock_file_that_is_a_link_is_not_followed(project: Project) -> None:
    project.source(small_source())
    dist = project.root / "dist"
    dist.mkdir()
    target = project.root.parent / "created-by-the-lock"
    (dist / ".briefing.lock").symlink_to(target)
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    assert not target.exists()
    assert not (dist / ".briefing.lock").is_symlink()
    assert ".briefing.lock was a symbolic link" in result.stderr
    assert (dist / "x.pdf").is_file()


# --- 6. valid JSON with bad values; garbage; a folder -----------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("review_by", "2024-13-01", "`review_by` is not a date"),
        ("output", 5, "`output` is not a text"),
        ("inputs", [1], "`inputs` is not an object"),
        ("warnings", "no", "`warnings` is not a list of problems"),
        ("errors", [{"file": "x", "line": "3"}], "`errors`: a problem lacks its file"),
        ("size", True, "`size` is not a whole number"),
    ],
)
def test_6_bad_values_in_the_manifest_mean_a_warning_and_a_rebuild(
    project: Project, key: str, value: object, why: str
) -> None:
    project.source(small_source())
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    path = project.root / "dist" / "manifest.json"
    data = json.loads(path.read_text())
    data["briefings"][0][key] = value
    path.write_text(json.dumps(data))
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    (warning,) = [line for line in result.stderr.splitlines() if "manifest" in line]
    assert warning.startswith(f"dist/manifest.json: warning: briefings[0]: {why}")
    assert "built       sources/x.yaml" in result.stdout
    assert_manifest_matches_disk(project.root)
    again = invoke(project.root, "build", "-j", "1")  # repaired: quiet again
    assert "warning" not in again.stderr
    assert "up to date" in again.stdout


@pytest.mark.parametrize(
    "content", [b"\x00garbage{", b"[1, 2]", b'{"format": 2, "briefings": {"a": 1}}', b"1e999999"]
)
def test_6_a_manifest_that_is_not_one_means_a_warning_and_a_rebuild(
    project: Project, content: bytes
) -> None:
    project.source(small_source())
    project.write("dist/manifest.json", content)
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("dist/manifest.json: warning: ")
    assert warning.endswith("every source is rebuilt")
    assert_manifest_matches_disk(project.root)


def test_a_manifest_of_an_older_briefing_is_named_as_such_and_replaced(project: Project) -> None:
    """Format 1 kept problems as printed lines; format 2 keeps them as objects."""
    project.source(small_source())
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    path = project.root / "dist" / "manifest.json"
    data = json.loads(path.read_text())
    assert data["format"] == 2
    data["format"] = 1
    path.write_text(json.dumps(data))
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "dist/manifest.json: warning: was written by an older briefing (format 1); "
        "every source is rebuilt"
    ]
    assert json.loads(path.read_text())["format"] == 2
    assert_manifest_matches_disk(project.root)


def test_15_a_manifest_that_is_a_folder_is_named_not_a_temp_file(project: Project) -> None:
    project.source(small_source())
    (project.root / "dist" / "manifest.json").mkdir(parents=True)
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 1
    assert ".partial" not in result.output
    assert "internal error" not in result.output
    lines = result.stderr.splitlines()
    assert (
        "dist/manifest.json: warning: it is a folder, not a manifest; every source is rebuilt"
        in (lines)
    )
    assert "dist/manifest.json: cannot write the manifest: it is a folder; remove it" in lines
    assert (project.root / "dist" / "x.pdf").is_file()
    assert not list((project.root / "dist").glob(".*.partial"))


def test_15_a_dangling_output_folder_link_is_named_as_such(project: Project) -> None:
    project.source(small_source())
    (project.root / "dist").symlink_to(project.root.parent / "nowhere")
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 1
    assert "File exists" not in result.stderr
    assert "is a symbolic link to" in result.stderr
    assert "which does not exist" in result.stderr


# --- 7. one killed worker; timeouts (the pool, with a stand-in render) -------------------------


def _tasks(tmp_path: Path, n: int = 9) -> list[Task]:
    from briefing.publish.workers import Task

    return [Task(tmp_path / f"s{i}.yaml", tmp_path, f"s{i}", RenderOptions()) for i in range(n)]


def _quick(task: Task) -> Outcome:
    from briefing.publish.workers import Outcome

    return Outcome(task.display, id=task.display, pdf=b"%PDF-" + task.display.encode())


def test_7_a_killed_worker_fails_or_retries_only_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.publish import workers
    from briefing.publish.workers import run_tasks

    once = tmp_path / "killed-once"

    def render(task: Task) -> Outcome:
        if task.display == "s2" or (task.display == "s5" and not once.exists()):
            once.touch()
            os.kill(os.getpid(), signal.SIGKILL)  # the OOM killer, a stray kill -9
        return _quick(task)

    monkeypatch.setattr(workers, "render_one", render)  # forked workers inherit it
    outcomes = list(run_tasks(_tasks(tmp_path), jobs=2, timeout=None))
    assert [o.display for o in outcomes] == [f"s{i}" for i in range(9)]
    failed = {o.display: o.errors for o in outcomes if o.errors}
    assert list(failed) == ["s2"]  # s5 was killed once, and built on its second try
    (error,) = failed["s2"]
    assert error.code == "worker-died"
    assert str(error).startswith("s2: the process building this source died twice (SIGKILL)")


@pytest.mark.parametrize("jobs", [1, 2])
def test_timeout_fails_only_the_slow_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    from briefing.publish import workers
    from briefing.publish.workers import run_tasks

    def render(task: Task) -> Outcome:
        if task.display == "s1":
            time.sleep(60)
        return _quick(task)

    monkeypatch.setattr(workers, "render_one", render)
    outcomes = list(run_tasks(_tasks(tmp_path), jobs=jobs, timeout=0.5))
    failed = [o for o in outcomes if o.errors]
    assert [o.display for o in failed] == ["s1"]
    assert str(failed[0].errors[0]) == (
        "s1: building this source took longer than 0.5 s (--timeout), so it was stopped; "
        "its last good PDF is kept"
    )
    assert all(o.pdf for o in outcomes if not o.errors)


def test_timeout_option_keeps_the_last_good_pdf(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.publish import workers

    project.source(small_source("Before"), "slow.yaml")
    project.source(small_source("Other"), "other.yaml")
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    pdf = project.root / "dist" / "slow.pdf"
    data = pdf.read_bytes()
    project.source(small_source("After"), "slow.yaml")
    project.source(small_source("Other, changed"), "other.yaml")
    real = workers.render_one

    def render(task: Task) -> Outcome:
        if task.display == "sources/slow.yaml":
            time.sleep(60)
        return real(task)

    monkeypatch.setattr(workers, "render_one", render)
    result = invoke(project.root, "build", "-j", "1", "--timeout", "0.5")
    assert result.exit_code == 1
    assert (
        "sources/slow.yaml: building this source took longer than 0.5 s (--timeout), "
        "so it was stopped; its last good PDF is kept"
    ) in result.stderr.splitlines()
    assert pdf.read_bytes() == data
    assert "built       sources/other.yaml" in result.stdout
    assert_manifest_matches_disk(project.root)


# --- 8. after a SIGKILL mid-batch the manifest describes the files on disk ----------------------


def test_8_a_build_killed_mid_batch_leaves_a_true_manifest(project: Project) -> None:
    for i in range(10):
        project.source(small_source(f"Version A {i}"), f"s{i:02d}.yaml")
    assert run(["build", "-j", "2", "-q"], cwd=project.root).returncode == 0
    dist = project.root / "dist"
    before = {p.name: p.read_bytes() for p in dist.glob("*.pdf")}
    for i in range(10):
        project.source(small_source(f"Version B {i}"), f"s{i:02d}.yaml")
    proc = start_build(project.root, "-j", "2")
    try:

        def changed() -> int:
            return sum(1 for n, d in before.items() if (dist / n).read_bytes() != d)

        wait_until(lambda: changed() >= 3 or proc.poll() is not None, "some new PDFs")
        proc.kill()
        proc.wait(timeout=DEADLINE)
        wait_until(lambda: not group_members(proc.pid), "every worker to die", DEADLINE)
    finally:
        for pid in group_members(proc.pid):
            os.kill(pid, signal.SIGKILL)
    assert_manifest_matches_disk(project.root)
    assert any(
        e["sha256"] != hashlib.sha256(before[e["output"]]).hexdigest()
        for e in manifest_of(project.root)
    )


# --- 9. an image path with a component over 255 characters ---------------------------------------


def test_9_a_too_long_image_path_is_located_and_the_others_checked(project: Project) -> None:
    extra = f"map:\n  region: R\n  image: assets/{'a' * 300}.png\n"
    project.source(small_source(extra=extra), "long.yaml")
    project.source(small_source(), "ok.yaml")
    check = invoke(project.root, "check")
    assert check.exit_code == 1
    assert "sources/long.yaml:17:10: map.image: `assets/aaa" in check.stderr
    assert "cannot be read: File name too long" in check.stderr
    assert "internal error" not in check.output
    assert "ok         sources/ok.yaml" in check.stdout
    build = invoke(project.root, "build", "-j", "1")
    assert "File name too long" in build.stderr
    assert (project.root / "dist" / "ok.pdf").is_file()


# --- 10. stdout trouble stops the build -----------------------------------------------------------


@pytest.mark.parametrize("redirect", ["> /dev/full", "| head -1", ">&-", "2>/dev/full >&-"])
def test_10_stdout_trouble_never_stops_a_build(project: Project, redirect: str) -> None:
    for i in range(3):
        project.source(small_source(f"Briefing {i}"), f"s{i}.yaml")
    status = project.root.parent / "status"
    command = (
        f"{sys.executable} -m briefing build -j 1 -v {redirect}; echo ${{PIPESTATUS[0]}} > {status}"
    )
    subprocess.run(
        ["bash", "-c", command],
        cwd=project.root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=240,
    )
    assert status.read_text().strip() == "0"
    assert len(manifest_of(project.root)) == 3
    assert_manifest_matches_disk(project.root)


# --- 11. SOURCE_DATE_EPOCH ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["garbage", "1e10", "9" * 20, "-5"])
def test_11_a_bad_source_date_epoch_is_a_usage_error(
    project: Project, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    project.source(small_source())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr
    assert "internal error" not in result.output
    assert not (project.root / "dist" / "x.pdf").exists()


# --- 12. changing a source's id -------------------------------------------------------------------


def test_12_an_id_change_removes_the_old_pdf_and_says_so(project: Project) -> None:
    source = project.source(with_id("old-id"), "x.yaml")
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    dist = project.root / "dist"
    assert (dist / "old-id.pdf").is_file()
    source.write_text(with_id("new-id"))
    result = invoke(project.root, "build", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    assert not (dist / "old-id.pdf").exists()
    assert (dist / "new-id.pdf").is_file()
    report = json.loads(result.stdout)
    assert report["removed_outputs"] == [
        {"source": "sources/x.yaml", "output": "old-id.pdf", "reason": "id changed"}
    ]
    assert [e["output"] for e in manifest_of(project.root)] == ["new-id.pdf"]
    source.write_text(with_id("third"))
    text = invoke(project.root, "build", "-j", "1")
    assert "removed     sources/x.yaml (its id changed: the old new-id.pdf was deleted)" in (
        text.stdout
    )


# --- 13. bounded cost: pixels, print resolution, 16 bits, long paragraphs -------------------------


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` 1-bit pixels (its data is cut short)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    idat = zlib.compress(b"\x00" * 4096)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_13_an_image_with_too_many_pixels_is_refused_before_decoding(project: Project) -> None:
    project.write("assets/bomb.png", _png_header_only(13300, 13300))
    extra = "figures:\n  - {image: assets/bomb.png, caption: A bomb}\n"
    project.source(small_source(extra=extra))
    for command in ("build", "check"):
        result = run([command], cwd=project.root)
        assert result.returncode == 1
        assert (
            "figures[0].image: the image is 13300×13300 pixels (177 megapixels), more than "
            "the 40 megapixels allowed" in result.stderr
        )
        assert "DecompressionBombWarning" not in result.stderr
        assert "site-packages" not in result.stderr


def test_13_images_finer_than_print_are_resampled_to_300_dpi(project: Project) -> None:
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (4000, 2000), (30, 90, 160)).save(buf, "JPEG", quality=85)
    project.write("assets/photo.jpg", buf.getvalue())
    project.write("assets/small.png", png())
    extra = (
        "figures:\n  - {image: assets/photo.jpg, caption: Big}\n"
        "  - {image: assets/small.png, caption: Small}\n"
    )
    project.source(small_source(extra=extra))
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    pages = reader(project.root / "dist" / "x.pdf").pages
    sizes = sorted(img.image.size for page in pages for img in page.images)
    # printed 170 mm (6.69 in) wide on A4: 300 dpi is 2008 pixels; the small one is untouched
    assert sizes == [(64, 40), (2008, 1004)]


def test_13_a_16_bit_image_prints(project: Project) -> None:
    from PIL import Image, ImageStat

    gradient = Image.linear_gradient("L").resize((400, 200)).convert("I")
    gradient.point(lambda v: v * 257).convert("I;16").save(project.root / "assets" / "g16.png")
    assert Image.open(project.root / "assets" / "g16.png").mode == "I;16"
    project.source(small_source(extra="figures:\n  - {image: assets/g16.png, caption: G}\n"))
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    pages = reader(project.root / "dist" / "x.pdf").pages
    (image,) = [img.image for page in pages for img in page.images]
    # black to white, as drawn; clipped to 8 bits it would print all but white
    assert 100 < ImageStat.Stat(image.convert("L")).mean[0] < 160


def test_13_long_paragraphs_are_cut_into_pieces_and_fragments_merged() -> None:
    from briefing.render.pdf.body import PARAGRAPH_CHUNK, split_long
    from briefing.render.pdf.flowables import Para
    from briefing.render.pdf.styles import make_styles
    from briefing.source.markdown import parse_blocks

    text = "> " * 49_500  # 99 000 characters: the pathological paragraph
    (paragraph,) = parse_blocks(text)
    pieces = split_long(paragraph.runs)
    assert len(pieces) > 30
    assert all(sum(len(r.text) for r in piece) <= PARAGRAPH_CHUNK for piece in pieces)
    assert "".join(r.text for piece in pieces for r in piece).replace(" ", "") == ">" * 49_500
    para = Para("a &amp; b &lt; c &gt; d " * 100, make_styles().body)
    assert len(para.frags) == 1  # not one fragment per entity


# --- 14. terminal escapes in keys ---------------------------------------------------------------


def test_14_terminal_escapes_in_keys_are_shown_escaped(project: Project) -> None:
    project.source(small_source() + '"\\e]0;PWNED\\a": 1\n')
    result = invoke(project.root, "check")
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "\x07" not in result.output
    assert "\\x1b]0;PWNED\\x07: unknown key at the top level" in result.stderr


# --- 15. misleading messages ---------------------------------------------------------------------


def test_15_messages_name_the_users_thing(project: Project) -> None:
    project.write("assets/fake.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 30)
    project.source(small_source(extra="figures:\n  - {image: ''}\n"), "empty.yaml")
    project.source(small_source(extra="figures:\n  - {image: assets/fake.jpg}\n"), "fake.yaml")
    project.source(small_source().replace("One bullet", "See [x](http://[::1) now"), "v6.yaml")
    result = invoke(project.root, "build", "-j", "1")
    err = result.stderr
    assert "figures[0].image: is empty" in err
    assert "`` is not a file" not in err
    assert (
        "sources/fake.yaml:16:13: figures[0].image: the file is not a readable PNG or JPEG" in err
    )
    assert "BytesIO" not in err
    assert "summary[0]: link `http://[::1` is not a valid URL" in err
    assert "%5B" not in err


# --- 16. watch removes the PDF of a deleted source ------------------------------------------------


def test_16_watch_removes_the_pdf_of_a_deleted_source(project: Project) -> None:
    from test_watch import Running, wait_for

    keep = project.source(small_source("Keep"), "keep.yaml")
    gone = project.source(small_source("Gone"), "gone.yaml")
    dist = project.root / "dist"
    watch = Running(project.root, [])
    try:
        wait_for(lambda: "watching for changes" in watch.stdout, "the first build")
        assert (dist / "gone.pdf").is_file()
        gone.unlink()
        wait_for(lambda: not (dist / "gone.pdf").exists(), "the PDF to go")
        wait_for(lambda: "removed" in watch.stdout, "the removal to be reported")
        assert [e["source"] for e in manifest_of(project.root)] == ["sources/keep.yaml"]
        assert keep.is_file()
        assert (dist / "keep.pdf").is_file()
        assert watch.interrupt() == 0
    finally:
        watch.kill()


# --- errors are data ------------------------------------------------------------------------------


def test_the_json_report_carries_problems_as_data(project: Project) -> None:
    project.source(small_source().replace("as_of: 2024-03-01", "as_of: 2024-02-30"))
    result = invoke(project.root, "build", "-j", "1", "--json")
    report = json.loads(result.stdout)
    (error,) = report["sources"][0]["errors"]
    assert error["file"] == "sources/x.yaml"
    assert (error["line"], error["column"], error["key_path"]) == (2, 8, "as_of")
    assert error["severity"] == "error"
    assert error["text"].startswith("sources/x.yaml:2:8: as_of: ")


def test_nothing_is_written_outside_the_output_folder(project: Project) -> None:
    """A whole build, a rename, a prune: the project's other files are untouched."""
    project.source(small_source(), "x.yaml")
    before = {p: p.read_bytes() for p in project.root.parent.rglob("*") if p.is_file()}
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    shutil.move(project.root / "sources" / "x.yaml", project.root / "sources" / "y.yml")
    assert invoke(project.root, "build", "-j", "1").exit_code == 0
    for path, data in before.items():
        if path.name != "x.yaml":
            assert path.read_bytes() == data, path
    outside = {p for p in project.root.parent.rglob("*") if "dist" not in p.parts}
    assert outside <= set(before) | {project.root / "sources" / "y.yml"} | {
        p for p in outside if p.is_dir()
    }
