"""The map's furniture: credit, scale bar, inset and the legend's corner.

Why: these boxes are reserved before any name is placed, so names never cover them;
the inset goes in the top corner with fewer places, the legend in the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from briefing.model import MapPanel
from briefing.render.charts.ops import Box, Face, Op, PathOp, TextOp
from briefing.render.maps import geodata, naturalearth
from briefing.render.maps.clip import clip_line
from briefing.render.maps.drawing import rect, translate
from briefing.render.maps.frame import Frame, wider
from briefing.render.maps.geography import geography, open_path
from briefing.render.maps.look import (
    ACCENT,
    ASCENT,
    DESCENT,
    EDGE,
    FRAME,
    HALO,
    MUTED,
    SEA,
    SMALL_SIZE,
    TEXT,
    WHITE,
)
from briefing.render.maps.overlays import legend

Measure = Callable[[str, Face, float], float]


def _text(box: Box, text: str, face: Face, size: float, color: tuple) -> TextOp:
    return TextOp(box.x0, box.y0 + DESCENT * size, text, face, size, 0.0, color, HALO)


class Furniture:
    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.boxes: list[Box] = []


def furniture(
    panel: MapPanel, frame: Frame, anchors: list[tuple[float, float]], measure: Measure
) -> Furniture:
    out = Furniture()
    w, h = frame.width, frame.height
    _credit(out, w, measure)
    _scale_bar(out, frame, measure)
    inset_w = min(w * 0.25, 96.0)
    inset_h = min(inset_w * 0.78, h * 0.4)
    corners = {
        "right": Box(w - EDGE - inset_w, h - EDGE - inset_h, w - EDGE, h - EDGE),
        "left": Box(EDGE, h - EDGE - inset_h, EDGE + inset_w, h - EDGE),
    }

    def crowd(box: Box) -> int:
        grown = Box(box.x0 - 40, box.y0 - 12, box.x1 + 6, box.y1 + 6)
        return sum(1 for x, y in anchors if grown.x0 <= x <= grown.x1 and grown.y0 <= y <= grown.y1)

    side = min(corners, key=lambda k: (crowd(corners[k]), k != "right"))
    other = "left" if side == "right" else "right"
    if not frame.world and w >= 160 and h >= 110 and frame.km_across <= 4000:
        _inset(out, frame, corners[side])
    else:
        other = side
    if panel.overlays:
        ops, box = legend(panel.overlays, measure, w, h, other)
        out.ops += ops
        out.boxes.append(box)
    return out


def _credit(out: Furniture, width: float, measure: Measure) -> None:
    size = SMALL_SIZE
    for text in (
        f"Coastlines: {geodata.DATASET}; borders and names: {naturalearth.DATASET}",
        f"Coastlines: GSHHG 2.3; borders, names: {naturalearth.DATASET}",
        "Coastlines: GSHHG; borders, names: Natural Earth",
    ):
        tw = measure(text, "regular", size)
        if tw <= width * 0.62:
            break
    x = width - EDGE - tw
    box = Box(x, EDGE - 1, width - EDGE, EDGE - 1 + (ASCENT + DESCENT) * size)
    out.ops.append(_text(box, text, "regular", size, MUTED))
    out.boxes.append(Box(box.x0 - 1, box.y0 - 1, box.x1 + 1, box.y1 + 1))


def _nice(km: float) -> float:
    """The round length (1, 2, 5 × 10ⁿ km) at or below ``km``."""
    base = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * base <= km:
            return step * base
    return base


def _scale_bar(out: Furniture, frame: Frame, measure: Measure) -> None:
    """A bar of a round length, true at the map's centre (said so on a continental map)."""
    target = frame.width * 0.22 / frame.scale
    km = _nice(target)
    length = km * frame.scale
    x0, y0 = EDGE + 2, EDGE + 1
    bar_h = 3.0
    halves = 2 if km >= 2 else 1
    step = length / halves
    for k in range(halves):
        fill = TEXT if k % 2 == 0 else WHITE
        out.ops.append(PathOp(rect(x0 + k * step, y0, step, bar_h), fill, TEXT, 0.4))
    size = SMALL_SIZE
    label = f"{km:g} km" if km < 1000 else f"{km:,.0f} km"
    if frame.projection.kind == "laea" or frame.world:
        label += " (at centre)"
    miles = km * 0.621371
    label += f" · {miles:.0f} mi" if miles >= 10 else f" · {miles:.1f} mi"
    ty = y0 + bar_h + 1.5
    tw = measure(label, "regular", size)
    text_box = Box(x0, ty, x0 + tw, ty + (ASCENT + DESCENT) * size)
    out.ops.append(_text(text_box, label, "regular", size, TEXT))
    out.boxes.append(Box(x0 - 2, y0 - 2, max(x0 + length, text_box.x1) + 2, text_box.y1 + 1))


def _inset(out: Furniture, frame: Frame, box: Box) -> None:
    """The wider region at crude resolution, the main frame outlined on it."""
    iw, ih = box.x1 - box.x0, box.y1 - box.y0
    sub = wider(frame, iw, ih)
    ops: list[Op] = [PathOp(rect(0, 0, iw, ih), SEA, None, 0)]
    ops += geography(sub, "c", detail=False)
    fw, fh, steps = frame.width, frame.height, 12
    edge = [(fw * k / steps, 0.0) for k in range(steps)]
    edge += [(fw, fh * k / steps) for k in range(steps)]
    edge += [(fw * (1 - k / steps), fh) for k in range(steps)]
    edge += [(0.0, fh * (1 - k / steps)) for k in range(steps)]
    outline = [sub.point(*frame.lonlat(px, py)) for px, py in edge]
    xs = [p[0] for p in outline]
    ys = [p[1] for p in outline]
    if max(xs) - min(xs) < 5 or max(ys) - min(ys) < 5:
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        outline = [(cx - 3, cy - 3), (cx + 3, cy - 3), (cx + 3, cy + 3), (cx - 3, cy + 3)]
    for piece in clip_line([*outline, outline[0]], 0, 0, iw, ih):
        ops.append(PathOp(open_path(piece), None, ACCENT, 1.0, join="round"))
    ops.append(PathOp(rect(0, 0, iw, ih), None, FRAME, 0.5))
    out.ops.append(PathOp(rect(box.x0 - 1, box.y0 - 1, iw + 2, ih + 2), WHITE, None, 0))
    out.ops += [translate(op, box.x0, box.y0) for op in ops]
    out.boxes.append(Box(box.x0 - 2, box.y0 - 2, box.x1 + 2, box.y1 + 2))
