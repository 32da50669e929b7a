"""Controlled copies: 20 stamped copies of the example against one warm build of it.

The target (issue 14): making 20 copies costs at most 1.5× one warm build, where a warm
build is a render of the example in a process that has already rendered once (fonts,
imports and caches warm). Measured in one process, median of ``--runs``:

- warm build: ``render(load(example))`` → PDF bytes;
- 20 copies: parse the built PDF, draw the stamp overlay for 20 readers, assemble 20
  copies (``Stamper.copies``), as ``briefing distribute --send`` does per edition;
- 20 copies delivered: the same plus writing each to its folder and one log line each
  (fsync), i.e. the whole send phase of a 20-reader folder distribution.

Usage: ``python benchmarks/copies.py [--runs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "sources" / "nagorno-karabakh-2020.yaml"
READERS = 20
TARGET = 1.5


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="2 runs: a smoke test")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else args.runs

    from briefing.distribute.config import Recipient
    from briefing.distribute.pdfedit import CopyInfo, Stamper
    from briefing.render import RenderOptions, render, warm_up
    from briefing.source.load import load

    warm_up()
    briefing = load(EXAMPLE, root=REPO)
    pdf = render(briefing, RenderOptions()).pdf  # the first render warms every cache
    readers = [
        Recipient(
            f"reader-{i:02d}", f"Reader Number {i}", organization="Ministry of Foreign Affairs"
        )
        for i in range(READERS)
    ]
    infos = [
        CopyInfo(f"ABCD-{i:04d}", i + 1, READERS, r.addressed(), briefing.id, 1)
        for i, r in enumerate(readers)
    ]

    def build() -> None:
        render(briefing, RenderOptions())

    def copies() -> None:
        made = Stamper(pdf).copies(infos)
        assert len(made) == READERS

    with tempfile.TemporaryDirectory(prefix="briefing-copies-") as scratch:
        out = Path(scratch)

        def delivered() -> None:
            from briefing.distribute import log
            from briefing.distribute.deliver import FolderDelivery

            folder = FolderDelivery(out / "outbox")
            for info, data in zip(infos, Stamper(pdf).copies(infos).values(), strict=True):
                folder.deliver(info.copy_id, f"x-e1-c{info.number}.pdf", data, None)
                record = log.Record(
                    "t",
                    "briefing",
                    "x",
                    1,
                    info.copy_id,
                    info.number,
                    READERS,
                    info.copy_id,
                    "",
                    "folder",
                    "sent",
                )
                log.append(out, record)

        warm = _median(build, runs)
        made = _median(copies, runs)
        sent = _median(delivered, runs)
    rows = [
        ("warm build of the example", warm, 1.0),
        (f"{READERS} copies made", made, made / warm),
        (f"{READERS} copies made, written and logged", sent, sent / warm),
    ]
    print(f"| measurement | median of {runs} | × warm build |")
    print("|---|---:|---:|")
    for label, seconds, ratio in rows:
        print(f"| {label} | {seconds * 1000:.0f} ms | {ratio:.2f}× |")
    verdict = "PASS" if made / warm <= TARGET else "MISS"
    print(f"target: {READERS} copies ≤ {TARGET}× one warm build: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
