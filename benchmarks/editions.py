"""What editions add to a warm build of the example: the history, the comparison, the box.

Why: every build of a non-draft source now reads its last edition, compares the two
snapshots and writes a record; the target is that this adds at most 10 ms to a warm
build of the example (``sources/nagorno-karabakh-2020.yaml``). Measured in one warm
process (imports, fonts and the Markdown parser already loaded, as in a worker or a
watch loop), as the median of many repetitions, in a temporary folder:

* plan, unchanged: snapshot the source, read the last record; equal content hashes
  skip the comparison (a reprint, e.g. after a tool upgrade);
* plan, edition 2: the same with three edits (a key fact, an actor, a fact label), so
  the full comparison runs and the box's lines are made;
* commit: the record written (JSON, fsync, rename) once the PDF is installed;
* token: what an up-to-date check adds (list the folder, hash the last record);
* box: the changes box made, fitted into page 1's leftover room and drawn.

The target is on the diff (plan + token for edition 2). The commit is one small file
written like every output file (temporary file, fsync, rename, fsync of the folder): its
time is the disk's, shown beside the PDF's own atomic write for scale.

Usage: ``python benchmarks/editions.py [--runs 50]``. Exits 1 if the diff exceeds 10 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "sources" / "nagorno-karabakh-2020.yaml"
TARGET_MS = 10.0

EDITS = (
    ('value: "30,000"', 'value: "about 30,000"'),
    ("label: Ceasefire ending the war", "label: Ceasefire ending the 1988–1994 war"),
    ("alignment: Openly backs Azerbaijan\n", "alignment: Openly backs Azerbaijan; border shut\n"),
)


def _draw_box(stamp: object) -> None:
    """The box as the story makes it, wrapped into page 1's leftover room and drawn.

    Measured on its own: the difference of two whole renders (~100 ms each) is noise
    on a shared machine."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from briefing.render.pdf.changes import changes_box
    from briefing.render.pdf.inputs import StoryInputs
    from briefing.render.pdf.styles import geometry, make_styles

    geo = geometry("A4")
    inputs = StoryInputs(make_styles(), geo, (), {}, stamp)  # type: ignore[arg-type]
    canvas = Canvas(io.BytesIO())
    for box in changes_box(inputs):
        box.wrapOn(canvas, geo.frame_width, 48)
        box.drawOn(canvas, geo.margin_x, geo.margin_bottom)


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm: caches, first-call imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)

    from briefing.publish import editions
    from briefing.publish.build import BuildOptions, build
    from briefing.source.load import load

    with tempfile.TemporaryDirectory(prefix="briefing-bench-editions-") as scratch:
        root = Path(scratch)
        source = root / "sources" / EXAMPLE.name
        source.parent.mkdir()
        shutil.copyfile(EXAMPLE, source)
        out = root / "dist"
        build([source], root=root, out=out, options=BuildOptions())  # edition 1
        text = EXAMPLE.read_text(encoding="utf-8")
        same = load(source, root=root)
        for old, new in EDITS:
            text = text.replace(old, new, 1)
        source.write_text(text, encoding="utf-8")
        edited = load(source, root=root)

        def plan(b: object) -> editions.Plan:
            return editions.plan(b, out=out, root=root, source_text=text, hashes={})  # type: ignore[arg-type]

        second = plan(edited)
        assert second.pending.new, second.stamp
        assert second.stamp.number == 2, second.stamp
        results = {
            "plan, unchanged (reprint)": median_ms(lambda: plan(same), args.runs),
            "plan, edition 2 (compare, box lines)": median_ms(lambda: plan(edited), args.runs),
        }
        pdf = b"%PDF-1.4 stand-in"
        pending = second.pending
        counter = iter(range(10**9))

        def commit() -> None:  # a new PDF hash each time, so every run really writes
            editions.commit(out, pending, pdf + str(next(counter)).encode())

        results["commit (write the record)"] = median_ms(commit, args.runs)
        results["token (up-to-date check)"] = median_ms(
            lambda: editions.token(out, edited.id), args.runs
        )
        from briefing.publish.fsutil import write_atomic

        pdf_bytes = (out / "nagorno-karabakh-2020.pdf").read_bytes()
        results["for scale: the PDF's own atomic write"] = median_ms(
            lambda: write_atomic(pdf_bytes, out / "scale.pdf"), args.runs
        )
        results["box (made, fitted and drawn on its own canvas)"] = median_ms(
            lambda: _draw_box(second.stamp), args.runs
        )
    total = results["plan, edition 2 (compare, box lines)"] + results["token (up-to-date check)"]
    print(f"editions on a warm build of the example (median of {args.runs} runs)")
    for label, ms in results.items():
        print(f"{ms:8.2f} ms  {label}")
    verdict = "ok" if total <= TARGET_MS else "OVER"
    print(
        f"{total:8.2f} ms  the diff: plan + token, edition 2 (target ≤ {TARGET_MS:g} ms: {verdict})"
    )
    return 0 if total <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
