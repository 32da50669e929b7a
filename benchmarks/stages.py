"""Where one build's time goes: imports by group, then each stage, cold and warm.

Why: ``run.py`` says *whether* a target is missed; this says *why*, in one fresh
process, without a profiler's overhead: wall time of each import group in the order a
build meets them, then load / glyph check / timeline chart / PDF for the example (the
first, cold document), then the same stages per document over N generated sources
(warm). Run it under ``python -X importtime`` or ``-m cProfile`` for the detail.

It calls the package's internal stages (``briefing.source.load.load``, ``render.glyph_warnings``,
``charts.timeline_chart``, ``pdf.render_pdf``) the way ``briefing.render.render`` does,
so it must follow them when they change; it is a diagnostic, not a measurement of
record.

Usage: ``python benchmarks/stages.py [--sources 100]``
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "sources" / "nagorno-karabakh-2020.yaml"


class Clock:
    """Laps in milliseconds since the previous lap."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        elapsed, self.last = (now - self.last) * 1000, now
        return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=100, help="generated sources (warm part)")
    args = parser.parse_args(argv)
    clock = Clock()

    def step(label: str, action: Callable[[], Any]) -> Any:
        result = action()
        print(f"{clock.lap():8.1f} ms  {label}")
        return result

    print("cold: one fresh process, in the order a build meets them")
    step("import briefing.cli, briefing.publish.build (click, hashing, manifest)", _import_cli)
    step("import briefing.source.load (PyYAML, schema, markdown-it)", _import_load)
    step("import briefing.render.pdf stages (reportlab.platypus, uharfbuzz)", _import_pdf)
    step("register the DejaVu fonts with ReportLab", _register_fonts)
    step("import matplotlib", lambda: __import__("matplotlib"))
    step("import matplotlib.figure + backend_bases", _import_figure)
    stages = _stages()
    root = EXAMPLE.parent.parent
    b = step(f"load {EXAMPLE.name}", lambda: stages["load"](EXAMPLE, root=root))
    step("glyph_warnings", lambda: stages["glyph_warnings"](b))
    charts = step("timeline_chart", lambda: stages["chart"](b))
    step("render_pdf", lambda: stages["pdf"](b, charts))

    sys.path.insert(0, str(HERE))
    from generate import generate

    with tempfile.TemporaryDirectory(prefix="briefing-stages-") as tmp:
        paths = generate(args.sources, 2020, Path(tmp))
        totals: collections.Counter[str] = collections.Counter()
        for path in paths:
            clock.lap()
            b = stages["load"](path, root=Path(tmp))
            totals["load"] += clock.lap()
            stages["glyph_warnings"](b)
            totals["glyph_warnings"] += clock.lap()
            charts = stages["chart"](b)
            totals["timeline_chart"] += clock.lap()
            stages["pdf"](b, charts)
            totals["render_pdf"] += clock.lap()
    print(f"\nwarm: per document over {len(paths)} generated sources, same process")
    for key, total in totals.items():
        print(f"{total / len(paths):8.1f} ms  {key}")
    print(f"{sum(totals.values()) / len(paths):8.1f} ms  total")
    return 0


def _import_cli() -> None:
    pass


def _import_load() -> None:
    pass


def _import_pdf() -> None:
    import briefing.render.pdf
    import briefing.render.pdf.document
    import briefing.render.pdf.drawing
    import briefing.render.pdf.story  # noqa: F401


def _register_fonts() -> None:
    from briefing.render.pdf.fonts import register_fonts

    register_fonts()


def _import_figure() -> None:
    import matplotlib.backend_bases
    import matplotlib.figure  # noqa: F401


def _stages() -> dict[str, Callable[..., Any]]:
    """The package's stages, called as ``briefing.render.render`` calls them."""
    from briefing.render import glyph_warnings
    from briefing.render.charts import timeline_chart
    from briefing.render.pdf import render_pdf
    from briefing.render.pdf.styles import geometry
    from briefing.source.load import load

    def chart(b: Any) -> tuple[Any, ...]:
        if b.timeline is None or not b.timeline.events:
            return ()
        geo = geometry(b.page_size or "A4")
        return tuple(
            timeline_chart(
                b.timeline, width_pt=geo.frame_width, max_height_pt=geo.frame_height * 0.62
            )
        )

    def pdf(b: Any, charts: tuple[Any, ...]) -> Any:
        return render_pdf(b, page_size=b.page_size or "A4", charts=charts, images={})

    return {"load": load, "glyph_warnings": glyph_warnings, "chart": chart, "pdf": pdf}


if __name__ == "__main__":
    sys.exit(main())
