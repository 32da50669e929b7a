"""Overlay layers (GeoJSON points, lines, polygons) and their legend.

Why fixed styles: an analyst's overlays must read at a glance and in grayscale, so each
layer takes the next of four styles (colour, dash pattern, point marker) in order, and
the legend repeats the style with the layer's label. Geometry outside the frame is
clipped, never an error; a self-intersecting ring is filled by the non-zero rule.
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.model import Overlay
from briefing.render.charts.ops import Box, Face, Op, PathOp, TextOp
from briefing.render.maps.clip import clip_line, clip_ring, thin
from briefing.render.maps.drawing import Segs, circle, polygon, rect
from briefing.render.maps.frame import Frame
from briefing.render.maps.look import (
    ASCENT,
    DESCENT,
    EDGE,
    FRAME,
    OVERLAY_STYLES,
    TEXT,
    THIN,
    WHITE,
    OverlayStyle,
)

Measure = Callable[[str, Face, float], float]
LEGEND_SIZE = 6.5
LEGEND_LINE = 9.0
SWATCH = 12.0


def _path(points: list[tuple[float, float]], close: bool) -> Segs:
    segs: list = [("M", (round(points[0][0], 2), round(points[0][1], 2)))]
    segs += [("L", (round(x, 2), round(y, 2))) for x, y in points[1:]]
    if close:
        segs.append(("Z", ()))
    return tuple(segs)


def marker(kind: str, x: float, y: float, r: float) -> Segs:
    if kind == "triangle":
        return polygon(x, y, r * 1.25, 3)
    if kind == "square":
        return polygon(x, y, r * 1.2, 4, 45.0)
    if kind == "diamond":
        return polygon(x, y, r * 1.3, 4)
    return circle(x, y, r)


def _unwrapped(frame: Frame, ring: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    """Projected positions of a ring or line, its longitudes kept continuous across ±180."""
    out = []
    prev = None
    for lon, lat in ring:
        if prev is not None:
            lon -= 360.0 * round((lon - prev) / 360.0)
        else:
            lon = lon - 360.0 * round((lon - frame.projection.lon0) / 360.0)
        prev = lon
        out.append(frame.raw_point(lon, lat))
    return out


def draw_overlays(overlays: tuple[Overlay, ...], frame: Frame) -> list[Op]:
    w, h = frame.width, frame.height
    ops: list[Op] = []
    for k, overlay in enumerate(overlays):
        style = OVERLAY_STYLES[k % len(OVERLAY_STYLES)]
        fill = (*style.colour[:3], style.fill_alpha)
        data = overlay.file
        for rings in data.polygons:
            segs: list = []
            for ring in rings:
                pts = thin(clip_ring(_unwrapped(frame, ring), -2, -2, w + 2, h + 2), THIN)
                if len(pts) >= 3:
                    segs += _path(pts, close=True)
            if segs:
                ops.append(PathOp(tuple(segs), fill, None, 0))
            for ring in rings:  # outlines clipped as lines: no stroke along the frame edge
                for piece in clip_line(_unwrapped(frame, ring), 0, 0, w, h):
                    piece = thin(piece, THIN)
                    if len(piece) >= 2:
                        ops.append(_stroke(piece, style, 0.8))
        for line in data.lines:
            for piece in clip_line(_unwrapped(frame, line), 0, 0, w, h):
                piece = thin(piece, THIN)
                if len(piece) >= 2:
                    ops.append(_stroke(piece, style, 1.5))
        for lon, lat in data.points:
            x, y = frame.point(lon, lat)
            if 0 <= x <= w and 0 <= y <= h:
                ops.append(PathOp(marker(style.marker, x, y, 2.6), style.colour, WHITE, 0.5))
    return ops


def _stroke(piece: list[tuple[float, float]], style: OverlayStyle, width: float) -> PathOp:
    cap = "round" if style.dash and style.dash[0] < 2 else "butt"
    return PathOp(
        _path(piece, close=False), None, style.colour, width, style.dash, 0.0, cap, "round"
    )


def legend(
    overlays: tuple[Overlay, ...], measure: Measure, w: float, h: float, corner: str
) -> tuple[list[Op], Box]:
    """The legend box in a top corner: a swatch per layer in its style, and its label."""
    labels = [o.label or o.file.path.stem for o in overlays]
    room = w * 0.45 - SWATCH - 10
    fitted = []
    for label in labels:
        while measure(label, "regular", LEGEND_SIZE) > room and len(label) > 2:
            label = label[:-2] + "…"
        fitted.append(label)
    text_w = max(measure(label, "regular", LEGEND_SIZE) for label in fitted)
    box_w = SWATCH + 9 + text_w
    box_h = len(fitted) * LEGEND_LINE + 5
    x0 = w - EDGE - box_w if corner == "right" else EDGE
    y1 = h - EDGE
    ops: list[Op] = [PathOp(rect(x0, y1 - box_h, box_w, box_h), WHITE, FRAME, 0.4)]
    for k, (overlay, label) in enumerate(zip(overlays, fitted, strict=True)):
        style = OVERLAY_STYLES[k % len(OVERLAY_STYLES)]
        cy = y1 - 2.5 - LEGEND_LINE * k - LEGEND_LINE / 2
        sx = x0 + 3
        data = overlay.file
        if data.polygons:
            fill = (*style.colour[:3], style.fill_alpha)
            ops.append(PathOp(rect(sx, cy - 3, SWATCH, 6), fill, style.colour, 0.8, style.dash))
        elif data.lines:
            seg = (("M", (sx, cy)), ("L", (sx + SWATCH, cy)))
            ops.append(PathOp(seg, None, style.colour, 1.5, style.dash))
        else:
            ops.append(
                PathOp(marker(style.marker, sx + SWATCH / 2, cy, 2.6), style.colour, WHITE, 0.5)
            )
        baseline = cy - (ASCENT - DESCENT) * LEGEND_SIZE / 2
        ops.append(TextOp(sx + SWATCH + 4, baseline, label, "regular", LEGEND_SIZE, 0.0, TEXT))
    return ops, Box(x0 - 1, y1 - box_h - 1, x0 + box_w + 1, y1 + 1)
