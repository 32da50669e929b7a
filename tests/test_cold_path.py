"""A first build never builds matplotlib's font list (the cold-start cost of issue 15).

matplotlib scans every font on the system and writes the list to ``fontlist-*.json``
in its config folder the first time ``matplotlib.font_manager`` is imported. The chart
asks matplotlib for no font (the layout measures with the DejaVu files), so a build that
draws a timeline must leave an empty config folder empty. (That the chart is the same
as through a ``Figure`` was checked when the route changed: every chart of the example
sources and 100 generated ones recorded the same ops, and their PDFs are byte-identical.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "sources" / "nagorno-karabakh-2020.yaml"


def test_a_build_with_a_timeline_never_builds_matplotlibs_font_list(tmp_path: Path) -> None:
    config = tmp_path / "mplconfig"
    config.mkdir()
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from briefing.publish.build import BuildOptions, build
        report = build([Path({str(EXAMPLE)!r})], root=Path({str(EXAMPLE.parent.parent)!r}),
                       out=Path({str(tmp_path / "dist")!r}), options=BuildOptions())
        assert report.results[0].status == "built", report.results[0]
        print(sorted(m for m in sys.modules if m.startswith("matplotlib.")
                     and m.rsplit(".", 1)[1] in ("font_manager", "text", "figure")))
        print("matplotlib.lines" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "MPLCONFIGDIR": str(config)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["[]", "True"]  # the chart was drawn by matplotlib
    assert list((tmp_path / "dist" / ".cache").glob("*.pickle"))
    assert not list(config.rglob("fontlist*.json"))  # no font list was built
