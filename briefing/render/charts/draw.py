"""From geometry to vector ops: a matplotlib ``Figure`` (never pyplot), drawn and recorded.

In: a ``Layout``. Out: a ``Chart``. Why this route: a PNG blurs in print, and matplotlib's
SVG through svglib costs ~300 ms and loses the embedded font. So the Figure is drawn into
a small recording renderer, and ``pdf/chart.py`` replays the recorded paths and strings on
the ReportLab canvas with the document's own DejaVu fonts: vector, searchable text, no
Helvetica. matplotlib is imported inside the functions, and the renderer class is defined
on first use, because importing matplotlib costs ~0.5 s.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from briefing.render.charts.index import index_brackets
from briefing.render.charts.layout import Layout
from briefing.render.charts.look import (
    ASCENT,
    AXIS,
    BAR_H,
    DESCENT,
    LABEL_SIZE,
    LEADER,
    LEGEND_SIZE,
    LINE_H,
    MARKER_SCALE,
    MARKER_SIZE,
    MUTED,
    RIM,
    TAG_W,
    TEXT,
    TICK_LEN,
    TICK_SIZE,
    Style,
)
from briefing.render.charts.measure import font_metrics
from briefing.render.charts.ops import RGBA, Chart, Face, Leader, Op, PathOp, Segment, TextOp

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase

#: rcParams that would change what is drawn; set so a user's matplotlibrc cannot.
_RC: dict[str, Any] = {
    "text.parse_math": False,  # "$x_1$" is text, never mathtext
    "text.usetex": False,
    "path.effects": [],
    "path.sketch": None,
    "path.simplify": False,
    "lines.scale_dashes": True,
}


def draw(layout: Layout) -> Chart:
    """Build the matplotlib Figure for ``layout`` and record what it draws."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(layout.width / 72, layout.height / 72), dpi=72)
        figure.patch.set_visible(False)
        _add_artists(figure, layout)
        renderer = _recorder_type()(layout.width, layout.height)
        figure.draw(renderer)
    labels = layout.labels
    return Chart(
        width=layout.width,
        height=layout.height,
        ops=tuple(renderer.ops),
        events=layout.events,
        marked=layout.marked,
        label_boxes=tuple(label.box for label in labels),
        leaders=tuple(Leader(label.x, label.anchor_y, label.box.y1) for label in labels),
        tick_boxes=tuple(box for _, _, box in layout.ticks),
        legend_boxes=tuple(item[4] for item in layout.legend),
        index_boxes=tuple((r.first, r.last, r.box) for r in layout.index),
    )


def _add_artists(figure: Any, layout: Layout) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text
    from matplotlib.transforms import IdentityTransform

    identity = IdentityTransform()

    def add(artist: Any, zorder: float) -> None:
        artist.set_transform(identity)
        artist.set_zorder(zorder)
        figure.add_artist(artist)

    def text(x: float, y: float, s: str, face: Face, size: float, color: str, z: float) -> None:
        weight = "bold" if face in ("bold", "bolditalic") else "normal"
        style = "italic" if face in ("italic", "bolditalic") else "normal"
        font = FontProperties(family="DejaVu Sans", size=size, weight=weight, style=style)
        add(Text(x, y, s, color=color, fontproperties=font, parse_math=False), z)

    def marker(
        xs: list[float], ys: list[float], style: Style, z: float, size: float = MARKER_SIZE
    ) -> None:
        face = "white" if style.hollow else style.color
        edge = style.color if style.hollow else RIM
        add(
            Line2D(
                xs,
                ys,
                linestyle="none",
                marker=style.marker,
                markersize=size * MARKER_SCALE.get(style.marker, 1.0),
                markerfacecolor=face,
                markeredgecolor=edge,
                markeredgewidth=0.7 if style.hollow else 0.45,
                fillstyle="full",
            ),
            z,
        )

    axis_y = layout.axis_y
    leaders = [
        [(lab.marker_x, lab.anchor_y), (lab.x, lab.anchor_y + 2.5), (lab.x, lab.box.y1)]
        if lab.marker_x != lab.x
        else [(lab.x, lab.anchor_y), (lab.x, lab.box.y1)]
        for lab in layout.labels
    ]
    add(LineCollection(leaders, colors=LEADER, linewidths=0.5, capstyle="butt"), 1)
    pieces = layout.axis.pieces
    axis_lines = [[(p.line0, axis_y), (p.line1, axis_y)] for p in pieces]
    for left, right in itertools.pairwise(pieces):
        middle = (left.line1 + right.line0) / 2
        for dx in (-1.6, 1.6):
            axis_lines.append(
                [(middle + dx - 1.5, axis_y - 3.5), (middle + dx + 1.5, axis_y + 3.5)]
            )
    axis_lines += [[(x, axis_y), (x, axis_y - TICK_LEN)] for x, _, _ in layout.ticks]
    add(LineCollection(axis_lines, colors=AXIS, linewidths=0.7, capstyle="butt"), 2)
    if layout.index:
        add(LineCollection(index_brackets(layout.index), colors=LEADER, linewidths=0.6), 2)
    for entry in layout.index:
        text(
            entry.box.x0,
            entry.box.y0 + DESCENT * TICK_SIZE,
            entry.text,
            "regular",
            TICK_SIZE,
            MUTED,
            5,
        )
    for _, label, box in layout.ticks:
        text(box.x0, box.y0 + DESCENT * TICK_SIZE, label, "regular", TICK_SIZE, MUTED, 5)

    by_style: dict[Style, tuple[list[float], list[float]]] = {}
    for lab in layout.labels:
        y = axis_y
        if lab.bar is not None:
            x0, x1, bar_y = lab.bar
            bar_color = lab.style.color
            add(Rectangle((x0, bar_y), x1 - x0, BAR_H, facecolor=bar_color, edgecolor="none"), 3)
            y = bar_y + BAR_H / 2
        xs, ys = by_style.setdefault(lab.style, ([], []))
        xs.append(lab.marker_x)
        ys.append(y)
        block, box = lab.block, lab.box
        for n, (runs, line_w) in enumerate(zip(block.lines, block.widths, strict=True)):
            baseline = box.y1 - (LINE_H - (ASCENT + DESCENT) * LABEL_SIZE) / 2
            baseline -= ASCENT * LABEL_SIZE + n * LINE_H
            left = box.x0 if lab.side == "right" else box.x1 - line_w
            for run in runs:
                if run.text:
                    text(left + run.dx, baseline, run.text, run.face, LABEL_SIZE, TEXT, 6)
                else:
                    tag_y = baseline + 0.35 * LABEL_SIZE
                    marker([left + run.dx + TAG_W / 2], [tag_y], lab.style, 6, TAG_W - 0.5)
    for mark in layout.marks:
        y = axis_y
        if mark.bar is not None:
            x0, x1, bar_y = mark.bar
            add(
                Rectangle(
                    (x0, bar_y), x1 - x0, BAR_H, facecolor=mark.style.color, edgecolor="none"
                ),
                3,
            )
            y = bar_y + BAR_H / 2
        xs, ys = by_style.setdefault(mark.style, ([], []))
        xs.append(mark.x)
        ys.append(y)
    for style, (xs, ys) in by_style.items():
        marker(xs, ys, style, 4)
    for style, label, mx, baseline, _ in layout.legend:
        marker([mx], [baseline + 0.3 * LEGEND_SIZE], style, 4)
        text(mx + MARKER_SIZE / 2 + 3, baseline, label, "regular", LEGEND_SIZE, MUTED, 6)


@cache
def _recorder_type() -> type[RendererBase]:
    """The recording renderer class, defined on first use so matplotlib loads lazily."""
    from matplotlib.backend_bases import GraphicsContextBase, RendererBase
    from matplotlib.font_manager import weight_dict
    from matplotlib.path import Path as MplPath

    def rgba(color: Sequence[float], alpha: float | None = None) -> RGBA:
        r, g, b = (round(float(c), 4) for c in color[:3])
        a = float(color[3]) if alpha is None and len(color) > 3 else alpha
        return (r, g, b, round(1.0 if a is None else a, 4))

    def face_of(prop: Any) -> Face:
        """matplotlib's weight and style → one of the four DejaVu Sans faces."""
        weight = prop.get_weight()
        bold = (weight if isinstance(weight, int) else weight_dict.get(weight, 400)) >= 600
        if prop.get_style() in ("italic", "oblique"):
            return "bolditalic" if bold else "italic"
        return "bold" if bold else "regular"

    class Recorder(RendererBase):
        """Records paths and strings as ops instead of painting; 1 px = 1 pt (72 dpi).

        Clipping is not recorded: every artist is a figure-level artist without a clip
        box, laid out inside the figure by construction.
        """

        def __init__(self, width: float, height: float) -> None:
            super().__init__()
            self._size = (width, height)
            self.ops: list[Op] = []

        def flipy(self) -> bool:
            return False

        def points_to_pixels(self, points: Any) -> Any:
            return points

        def get_canvas_width_height(self) -> tuple[float, float]:
            return self._size

        def new_gc(self) -> GraphicsContextBase:
            return GraphicsContextBase()

        def option_image_nocomposite(self) -> bool:
            return True

        def draw_path(self, gc: Any, path: Any, transform: Any, rgbFace: Any = None) -> None:
            forced = gc.get_forced_alpha()
            fill = None
            if rgbFace is not None:
                fill = rgba(rgbFace, gc.get_alpha() if forced else None)
                fill = None if fill[3] == 0 else fill
            stroke = rgba(gc.get_rgb())
            width = float(gc.get_linewidth())
            stroke = None if width <= 0 or stroke[3] == 0 else stroke
            if fill is None and stroke is None:
                return
            offset, dashes = gc.get_dashes()
            self.ops.append(
                PathOp(
                    segments=_segments(path, transform, MplPath),
                    fill=fill,
                    stroke=stroke,
                    line_width=round(width, 3),
                    dash=tuple(round(float(d), 3) for d in dashes) if dashes is not None else (),
                    dash_offset=round(float(offset or 0.0), 3),
                    cap=gc.get_capstyle(),
                    join=gc.get_joinstyle(),
                )
            )

        def get_text_width_height_descent(
            self, s: str, prop: Any, ismath: Any
        ) -> tuple[float, float, float]:
            # The layout's own metrics: FT2Font's set_text costs ~0.5 ms a string, and the
            # texts are placed left/baseline, so these numbers only size matplotlib's bbox.
            size = float(prop.get_size_in_points())
            width = font_metrics().width(s, face_of(prop), size)
            return width, (ASCENT + DESCENT) * size, DESCENT * size

        def draw_text(
            self,
            gc: Any,
            x: float,
            y: float,
            s: str,
            prop: Any,
            angle: float,
            ismath: Any = False,
            mtext: Any = None,
        ) -> None:
            face = face_of(prop)
            self.ops.append(
                TextOp(
                    x=round(float(x), 3),
                    y=round(float(y), 3),
                    text=s,
                    face=face,
                    size=round(float(prop.get_size_in_points()), 3),
                    angle=round(float(angle), 3),
                    color=rgba(gc.get_rgb()),
                )
            )

    return Recorder


def _segments(path: Any, transform: Any, mpl_path: Any) -> tuple[Segment, ...]:
    """matplotlib path → move/line/cubic/close in points; quadratics become cubics."""
    out: list[Segment] = []
    current = start = (0.0, 0.0)
    for vertices, code in path.iter_segments(transform, simplify=False, curves=True):
        v = [round(float(value), 3) for value in vertices]
        if code == mpl_path.MOVETO:
            out.append(("M", (v[0], v[1])))
            current = start = (v[0], v[1])
        elif code == mpl_path.LINETO:
            out.append(("L", (v[0], v[1])))
            current = (v[0], v[1])
        elif code == mpl_path.CURVE3:
            (cx, cy), end = (v[0], v[1]), (v[2], v[3])
            c1 = (current[0] + 2 / 3 * (cx - current[0]), current[1] + 2 / 3 * (cy - current[1]))
            c2 = (end[0] + 2 / 3 * (cx - end[0]), end[1] + 2 / 3 * (cy - end[1]))
            out.append(("C", (*(round(c, 3) for c in (*c1, *c2)), *end)))
            current = end
        elif code == mpl_path.CURVE4:
            out.append(("C", tuple(v[:6])))
            current = (v[4], v[5])
        elif code == mpl_path.CLOSEPOLY:
            out.append(("Z", ()))
            current = start
    return tuple(out)
