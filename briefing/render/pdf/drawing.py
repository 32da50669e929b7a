"""Charts on the page: replay a ``Chart``'s recorded ops as ReportLab vector drawing.

Why: ``briefing.render.charts`` records what matplotlib draws (paths and strings, in points) without
importing reportlab; here those ops become canvas paths and text in the registered DejaVu
faces. The chart stays vector, its text stays searchable, and the only fonts in the PDF
are the embedded ones. This module never imports matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas
from reportlab.platypus import Flowable, Spacer

from briefing.render.charts import Chart, PathOp, TextOp
from briefing.render.pdf.fonts import FAMILIES, SANS, register_fonts
from briefing.render.pdf.textpath import measure, visual

_REGULAR, _BOLD, _ITALIC, _BOLD_ITALIC = FAMILIES[SANS]
FACE_FONTS = {"regular": _REGULAR, "bold": _BOLD, "italic": _ITALIC, "bolditalic": _BOLD_ITALIC}
_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}

#: Space between the charts of a timeline split into time chunks.
CHART_GAP = 10.0


class ChartFlowable(Flowable):
    """One chart at its own size; shrunk uniformly if the frame is narrower than it."""

    def __init__(self, chart: Chart) -> None:
        super().__init__()
        self.chart = chart
        self.scale = 1.0
        self.width = chart.width
        self.height = chart.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.scale = min(1.0, availWidth / self.chart.width) if self.chart.width else 1.0
        self.width = self.chart.width * self.scale
        self.height = self.chart.height * self.scale
        return self.width, self.height

    def draw(self) -> None:
        register_fonts()
        canvas = self.canv
        canvas.saveState()
        if self.scale != 1.0:
            canvas.scale(self.scale, self.scale)
        _Painter(canvas).paint(self.chart)
        canvas.restoreState()


def chart_flowables(charts: Iterable[Chart]) -> list[Flowable]:
    """Flowables for a timeline's charts, in order, with a gap between consecutive ones."""
    out: list[Flowable] = []
    for chart in charts:
        if out:
            out.append(Spacer(0, CHART_GAP))
        out.append(ChartFlowable(chart))
    return out


def measure_text(text: str, face: str, size: float) -> float:
    """The drawn width of a canvas string: shaped and bidi-ordered first, as ``_Painter`` draws."""
    return measure(text, FACE_FONTS[face], size)


def paint_ops(canvas: Canvas, drawing: object) -> None:
    """Replay any drawing with ``ops`` (a chart, a map) at the canvas origin."""
    register_fonts()
    canvas.saveState()
    _Painter(canvas).paint(drawing)  # type: ignore[arg-type]
    canvas.restoreState()


class _Painter:
    """Replays ops, setting colour, alpha and line state only when they change.

    Alpha is set only when below 1, so an opaque chart adds no transparency state.
    """

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.fill: tuple[float, float, float] | None = None
        self.stroke: tuple[float, float, float] | None = None
        self.fill_alpha = 1.0
        self.stroke_alpha = 1.0
        self.line: tuple[object, ...] | None = None

    def paint(self, chart: Chart) -> None:
        for op in chart.ops:
            if isinstance(op, TextOp):
                self.text(op)
            else:
                self.path(op)

    def set_fill(self, rgba: tuple[float, float, float, float]) -> None:
        if rgba[:3] != self.fill:
            self.fill = rgba[:3]
            self.canvas.setFillColorRGB(*self.fill)
        if rgba[3] != self.fill_alpha:
            self.fill_alpha = rgba[3]
            self.canvas.setFillAlpha(self.fill_alpha)

    def set_stroke(self, rgba: tuple[float, float, float, float]) -> None:
        if rgba[:3] != self.stroke:
            self.stroke = rgba[:3]
            self.canvas.setStrokeColorRGB(*self.stroke)
        if rgba[3] != self.stroke_alpha:
            self.stroke_alpha = rgba[3]
            self.canvas.setStrokeAlpha(self.stroke_alpha)

    def set_line(self, op: PathOp) -> None:
        line = (op.line_width, op.cap, op.join, op.dash, op.dash_offset)
        if line == self.line:
            return
        self.line = line
        self.canvas.setLineWidth(op.line_width)
        self.canvas.setLineCap(_CAPS[op.cap])
        self.canvas.setLineJoin(_JOINS[op.join])
        if op.dash:
            self.canvas.setDash(list(op.dash), op.dash_offset)
        else:
            self.canvas.setDash()

    def path(self, op: PathOp) -> None:
        canvas = self.canvas
        path = canvas.beginPath()
        for kind, values in op.segments:
            if kind == "M":
                path.moveTo(*values)
            elif kind == "L":
                path.lineTo(*values)
            elif kind == "C":
                path.curveTo(*values)
            else:
                path.close()
        if op.fill is not None:
            self.set_fill(op.fill)
        if op.stroke is not None:
            self.set_stroke(op.stroke)
            self.set_line(op)
        canvas.drawPath(
            path, stroke=op.stroke is not None, fill=op.fill is not None, fillMode=FILL_NON_ZERO
        )

    def text(self, op: TextOp) -> None:
        canvas = self.canvas
        canvas.setFont(FACE_FONTS[op.face], op.size)
        self.set_fill(op.color)
        text = visual(op.text, FACE_FONTS[op.face], op.size)
        x, y = op.x, op.y
        if op.angle:
            canvas.saveState()
            canvas.translate(x, y)
            canvas.rotate(op.angle)
            x = y = 0.0
        if op.halo:  # a white outline under the letters; the state is restored after it
            canvas.saveState()
            canvas.setStrokeColorRGB(1, 1, 1)
            canvas.setLineWidth(op.halo)
            canvas.setLineJoin(1)
            halo = canvas.beginText(x, y)
            halo.setTextRenderMode(1)
            halo.textLine(text)
            canvas.drawText(halo)
            canvas.restoreState()
        line = canvas.beginText(x, y)
        line.textLine(text)
        canvas.drawText(line)
        if op.angle:
            canvas.restoreState()
