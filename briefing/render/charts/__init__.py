"""The timeline chart: laid out here in points, drawn by matplotlib, handed over as vector ops.

In: a ``Timeline``, the frame's width and the most height one chart may take. Out: ``Chart``
values (``ops``) that ``pdf/chart.py`` replays on the ReportLab canvas. This package never
imports reportlab; ``pdf/`` never imports matplotlib.

Why the layout is computed here rather than by matplotlib's autoscaling: labels must never
overlap each other or leave the chart, for any data (1–300 events, same-day clusters, a
century with a busy last week). That takes a placement with a guarantee, and the geometry
is exposed on ``Chart`` (``label_boxes``, ``leaders``, ``tick_boxes``, ``legend_boxes``)
so tests can check the guarantee numerically. The modules, in the order the data flows:

* ``timeline``: the entry point; sorts, styles, splits into time chunks that fit, draws.
* ``text``: label words measured with the fonts the PDF embeds, wrapped to ≤ 3 lines.
* ``axis``: the piecewise-linear time axis with ``//`` breaks; ``ticks``: its date ticks.
* ``labels``: which side of its leader each label hangs, span-bar lanes, rows without overlap.
* ``layout``: one chart's geometry, put together from those parts.
* ``draw``: that geometry as a matplotlib ``Figure``, recorded as vector ops.
* ``look`` (colours, markers, sizes) and ``ops`` (the values handed over) serve them all.

matplotlib is imported inside functions only: importing it costs ~0.5 s, which a build
with nothing to draw must not pay, so ``import briefing.render.charts`` does not load it.
"""

from briefing.render.charts.ops import RGBA, Box, Chart, Face, Leader, Op, PathOp, Segment, TextOp
from briefing.render.charts.timeline import timeline_chart

__all__ = [
    "RGBA",
    "Box",
    "Chart",
    "Face",
    "Leader",
    "Op",
    "PathOp",
    "Segment",
    "TextOp",
    "timeline_chart",
]
