"""From geometry to vector ops: matplotlib artists (never pyplot), drawn and recorded.

In: a ``Layout``. Out: a ``Chart``. Why this route: a PNG blurs in print, and matplotlib's
SVG through svglib costs ~300 ms and loses the embedded font. So matplotlib's artists
(leader and axis lines, bars, markers) are drawn into a small recording renderer, and
``pdf/chart.py`` replays the recorded paths and strings on the ReportLab canvas with the
document's own DejaVu fonts: vector, searchable text, no Helvetica.

Why artists without a ``Figure``, a ``Text`` or ``RendererBase``: those live in modules
(``figure``, ``text``, ``backend_bases``) that import ``matplotlib.font_manager``, and
importing that scans every font on the system to build matplotlib's font list (a third
of a second with an empty cache, i.e. on every first build). The chart never asks
matplotlib for a font: the layout measures with the DejaVu files themselves and places
every string at the left end of its baseline, which a ``Text`` artist only passed on. So
the strings are recorded as they would have been drawn, the artists are drawn in the
order a Figure draws them (by z-order, then in the order added), and the recorder
implements the few renderer and graphics-context methods those artists call. The ops are
the same as through a Figure. matplotlib is imported inside the functions, and the
recorder class is defined on first use, because importing matplotlib costs ~0.3 s.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache
from typing import Any

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
from briefing.render.charts.ops import RGBA, Chart, Face, Leader, Op, PathOp, Segment, TextOp

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
    """Build the matplotlib artists for ``layout`` and record what they draw."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        items = _add_artists(layout)
        renderer = _recorder_type()(layout.width, layout.height)
        for _, item in sorted(items, key=lambda zi: zi[0]):  # stable: a Figure's order
            if isinstance(item, TextOp):
                renderer.ops.append(item)
            else:
                item.draw(renderer)
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


def _add_artists(layout: Layout) -> list[tuple[float, Any]]:
    """The chart's artists and strings, each with its z-order, in the order added."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import IdentityTransform

    identity = IdentityTransform()
    items: list[tuple[float, Any]] = []

    def add(artist: Any, zorder: float) -> None:
        artist.set_transform(identity)
        artist.set_zorder(zorder)
        items.append((zorder, artist))

    def lines(paths: list[list[tuple[float, float]]], color: str, width: float, z: float) -> None:
        """Plain strokes, one ``Line2D`` each: butt caps, round joins, solid."""
        for path in paths:
            xs, ys = [p[0] for p in path], [p[1] for p in path]
            line = Line2D(xs, ys, color=color, linewidth=width, linestyle="-", marker="None")
            line.set_solid_capstyle("butt")
            line.set_solid_joinstyle("round")
            add(line, z)

    def text(x: float, y: float, s: str, face: Face, size: float, color: str, z: float) -> None:
        """A string at the left end of its baseline, as a ``Text`` artist would draw it."""
        if s:
            r, g, b, a = to_rgba(color)
            rgba = (round(r, 4), round(g, 4), round(b, 4), round(a, 4))
            op = TextOp(
                round(float(x), 3), round(float(y), 3), s, face, round(float(size), 3), 0.0, rgba
            )
            items.append((z, op))

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
    lines(leaders, LEADER, 0.5, 1)
    pieces = layout.axis.pieces
    axis_lines = [[(p.line0, axis_y), (p.line1, axis_y)] for p in pieces]
    for left, right in itertools.pairwise(pieces):
        middle = (left.line1 + right.line0) / 2
        for dx in (-1.6, 1.6):
            axis_lines.append(
                [(middle + dx - 1.5, axis_y - 3.5), (middle + dx + 1.5, axis_y + 3.5)]
            )
    axis_lines += [[(x, axis_y), (x, axis_y - TICK_LEN)] for x, _, _ in layout.ticks]
    lines(axis_lines, AXIS, 0.7, 2)
    if layout.index:
        lines(index_brackets(layout.index), LEADER, 0.6, 2)
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
    return items


class _Context:
    """The graphics state an artist sets before each path (matplotlib's
    ``GraphicsContextBase``, for the setters ``Line2D`` and ``Patch`` call): its getters
    answer exactly as that class does."""

    def __init__(self) -> None:
        self._alpha = 1.0
        self._forced_alpha = False
        self._capstyle = "butt"
        self._joinstyle = "round"
        self._dashes: tuple[Any, Any] = (0, None)
        self._linewidth = 1.0
        self._rgb: tuple[float, ...] = (0.0, 0.0, 0.0, 1.0)

    def set_alpha(self, alpha: float | None) -> None:
        self._alpha, self._forced_alpha = (1.0, False) if alpha is None else (alpha, True)
        self.set_foreground(self._rgb, isRGBA=True)

    def set_foreground(self, fg: Any, isRGBA: bool = False) -> None:
        from matplotlib.colors import to_rgba

        if self._forced_alpha and isRGBA:
            self._rgb = (*fg[:3], self._alpha)
        elif self._forced_alpha:
            self._rgb = to_rgba(fg, self._alpha)
        else:
            self._rgb = fg if isRGBA else to_rgba(fg)

    def set_capstyle(self, cs: Any) -> None:
        self._capstyle = getattr(cs, "name", cs)

    def set_joinstyle(self, js: Any) -> None:
        self._joinstyle = getattr(js, "name", js)

    def set_dashes(self, dash_offset: Any, dash_list: Any) -> None:
        self._dashes = (dash_offset, dash_list)

    def set_linewidth(self, w: float) -> None:
        self._linewidth = float(w)

    def get_alpha(self) -> float:
        return self._alpha

    def get_forced_alpha(self) -> bool:
        return self._forced_alpha

    def get_capstyle(self) -> str:
        return self._capstyle

    def get_joinstyle(self) -> str:
        return self._joinstyle

    def get_dashes(self) -> tuple[Any, Any]:
        return self._dashes

    def get_linewidth(self) -> float:
        return self._linewidth

    def get_rgb(self) -> tuple[float, ...]:
        return self._rgb

    def get_sketch_params(self) -> None:
        return None

    def _ignore(self, *args: Any, **kwargs: Any) -> None:
        """State that does not reach the recorded ops (no clipping, hatching, links)."""

    set_antialiased = set_url = set_gid = set_snap = set_sketch_params = _ignore
    set_clip_rectangle = set_clip_path = set_hatch = set_hatch_color = _ignore
    set_hatch_linewidth = restore = _ignore

    def get_hatch(self) -> None:
        return None


@cache
def _recorder_type() -> type:
    """The recording renderer class, defined on first use so matplotlib loads lazily."""
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Affine2D

    def rgba(color: Sequence[float], alpha: float | None = None) -> RGBA:
        r, g, b = (round(float(c), 4) for c in color[:3])
        a = float(color[3]) if alpha is None and len(color) > 3 else alpha
        return (r, g, b, round(1.0 if a is None else a, 4))

    class Recorder:
        """Records paths as ops instead of painting; 1 px = 1 pt (72 dpi).

        What an artist's ``draw`` calls on a renderer, and nothing more. Clipping is not
        recorded: every artist is laid out inside the chart by construction.
        """

        _raster_depth = 0
        _rasterizing = False

        def __init__(self, width: float, height: float) -> None:
            self._size = (width, height)
            self.ops: list[Op] = []

        def open_group(self, s: str, gid: Any = None) -> None:
            pass

        def close_group(self, s: str) -> None:
            pass

        def flipy(self) -> bool:
            return False

        def points_to_pixels(self, points: Any) -> Any:
            return points

        def get_canvas_width_height(self) -> tuple[float, float]:
            return self._size

        def new_gc(self) -> _Context:
            return _Context()

        def draw_markers(
            self,
            gc: Any,
            marker_path: Any,
            marker_trans: Any,
            path: Any,
            trans: Any,
            rgbFace: Any = None,
        ) -> None:
            """One marker path at each vertex (``RendererBase.draw_markers``)."""
            for vertices, _ in path.iter_segments(trans, simplify=False):
                if len(vertices):
                    x, y = vertices[-2:]
                    where = marker_trans + Affine2D().translate(x, y)
                    self.draw_path(gc, marker_path, where, rgbFace)

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
