"""The locator map, put together: geography, overlays, places, names, key and furniture.

In: a ``MapPanel``, the panel's size in points and a text measurer (the PDF stage's, so
a measured name is the drawn name). Out: a ``MapDrawing`` of vector ops and the geometry
the tests check (every name box, marker, key line and furniture box).

Order of work: frame the extent (``frame``); reserve the furniture (inset in the top
corner with fewest places, legend in the other, scale bar bottom-left, credit
bottom-right); place the names (``placing``); a place whose name finds no room gets a
number beside its marker and a line in the key strip under the map, which is then laid
out again in the smaller height, so nothing is ever dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from briefing.model import MapPanel
from briefing.render.charts.ops import Box, Face, Op, PathOp, TextOp
from briefing.render.maps import geodata
from briefing.render.maps.clip import clip_line, clip_ring, thin
from briefing.render.maps.drawing import MapDrawing, Segs, circle, rect, translate
from briefing.render.maps.frame import Frame, frame_for, unwrap, wider
from briefing.render.maps.look import (
    ACCENT,
    ASCENT,
    BORDER,
    BORDER_W,
    COAST,
    COAST_W,
    DESCENT,
    EDGE,
    FRAME,
    FRAME_W,
    HALO,
    KEY_LINE,
    KEY_SIZE,
    LABEL_SIZE,
    LAND,
    MARKER,
    MARKER_R,
    MUTED,
    NUMBER_SIZE,
    SEA,
    SMALL_SIZE,
    TEXT,
    THIN,
    WHITE,
)
from briefing.render.maps.overlays import draw_overlays, legend
from briefing.render.maps.placing import place
from briefing.source.markdown import plain

Measure = Callable[[str, Face, float], float]

#: Resolution by the width of ground shown: crude for continents, intermediate for regions.
_RESOLUTIONS: tuple[tuple[float, geodata.Resolution], ...] = ((3500.0, "c"), (900.0, "l"))


def resolution_for(km_across: float) -> geodata.Resolution:
    for limit, resolution in _RESOLUTIONS:
        if km_across > limit:
            return resolution
    return "i"


def locator_map(panel: MapPanel, width: float, height: float, measure: Measure) -> MapDrawing:
    """The drawn map for ``panel`` in a ``width`` × ``height`` box."""
    names = [plain(p.name) for p in panel.places]
    drawing = _attempt(panel, names, width, height, 0.0, measure)
    if drawing.key_count:
        key_h = _key_height(drawing.key_count, width, names, drawing, measure)
        drawing = _attempt(panel, names, width, height, key_h, measure)
    return drawing


def _positions(panel: MapPanel) -> list[tuple[float, float]]:
    positions = [(p.lon, p.lat) for p in panel.places]
    for overlay in panel.overlays:
        positions += overlay.file.points
        for line in overlay.file.lines:
            positions += line
        for polygon in overlay.file.polygons:
            positions += polygon[0]
    return positions


def _attempt(
    panel: MapPanel, names: list[str], width: float, height: float, key_h: float, measure: Measure
) -> MapDrawing:
    map_h = height - key_h
    frame = frame_for(_positions(panel), panel.bounds, width, map_h)
    ops: list[Op] = []
    ops.append(PathOp(rect(0, 0, width, map_h), SEA, None, 0))
    resolution = resolution_for(frame.km_across)
    ops += geography(frame, resolution, detail=True)
    ops += draw_overlays(panel.overlays, frame)
    anchors = [frame.point(p.lon, p.lat) for p in panel.places]
    visible = [0 <= x <= width and 0 <= y <= map_h for x, y in anchors]
    furniture = _furniture(panel, frame, anchors, measure)
    ops += furniture.ops
    area = Box(EDGE / 2, EDGE / 2, width - EDGE / 2, map_h - EDGE / 2)
    label_boxes, numbers, number_boxes = _names(
        names, anchors, visible, furniture.boxes, area, measure
    )
    for (x, y), shown in zip(anchors, visible, strict=True):
        if shown:
            ops.append(PathOp(circle(x, y, MARKER_R), MARKER, WHITE, 0.6))
    for name, box in zip(names, label_boxes, strict=True):
        if box is not None:
            ops.append(_text(box, name, "regular", LABEL_SIZE))
    for number, box in zip(numbers, number_boxes, strict=True):
        if number is not None and box is not None:
            ops.append(_text(box, str(number), "bold", NUMBER_SIZE))
    ops.append(PathOp(rect(0, 0, width, map_h), None, FRAME, FRAME_W, join="miter"))
    key_ops, key_boxes = _key(names, numbers, anchors, visible, width, key_h, measure)
    shift = key_h
    return MapDrawing(
        width=width,
        height=height,
        ops=tuple(translate(op, 0, shift) for op in ops) + tuple(key_ops),
        map_box=Box(0, shift, width, height),
        marker_boxes=tuple(
            Box(x - MARKER_R, y - MARKER_R + shift, x + MARKER_R, y + MARKER_R + shift)
            if shown
            else None
            for (x, y), shown in zip(anchors, visible, strict=True)
        ),
        label_boxes=tuple(_moved(b, shift) for b in label_boxes),
        numbers=tuple(numbers),
        number_boxes=tuple(_moved(b, shift) for b in number_boxes),
        key_boxes=tuple(key_boxes),
        furniture_boxes=tuple(_moved(b, shift) for b in furniture.boxes),
        projection=frame.projection.kind,
        resolution=resolution,
        window=(frame.west, frame.south, frame.east, frame.north),
        key_count=len(_key_entries(names, numbers, anchors, visible)),
    )


def _moved(box: Box | None, dy: float) -> Box | None:
    return None if box is None else Box(box.x0, box.y0 + dy, box.x1, box.y1 + dy)


def _text(box: Box, text: str, face: Face, size: float, color: tuple = TEXT) -> TextOp:
    return TextOp(box.x0, box.y0 + DESCENT * size, text, face, size, 0.0, color, HALO)


def _label_size(text: str, face: Face, size: float, measure: Measure) -> tuple[float, float]:
    return measure(text, face, size), (ASCENT + DESCENT) * size


def _names(
    names: list[str],
    anchors: list[tuple[float, float]],
    visible: list[bool],
    taken: list[Box],
    area: Box,
    measure: Measure,
) -> tuple[list[Box | None], list[int | None], list[Box | None]]:
    """Name boxes; then numbers (and their boxes) for the places whose name found no room."""
    sizes = [
        _label_size(name, "regular", LABEL_SIZE, measure) if shown else None
        for name, shown in zip(names, visible, strict=True)
    ]
    boxes = place(anchors, sizes, MARKER_R, taken, area)
    numbers: list[int | None] = []
    count = 0
    for box, shown in zip(boxes, visible, strict=True):
        if shown and box is None:
            count += 1
            numbers.append(count)
        else:
            numbers.append(None)
    number_sizes = [
        _label_size(str(n), "bold", NUMBER_SIZE, measure) if n is not None else None
        for n in numbers
    ]
    placed = [b for b in boxes if b is not None]
    number_boxes = place(anchors, number_sizes, MARKER_R, taken, area, placed)
    return boxes, numbers, number_boxes


def _key_entries(
    names: list[str],
    numbers: list[int | None],
    anchors: list[tuple[float, float]],
    visible: list[bool],
) -> list[str]:
    entries = [f"{n} {name}" for name, n in zip(names, numbers, strict=True) if n is not None]
    outside = [name for name, shown in zip(names, visible, strict=True) if not shown]
    if outside:
        entries.append("Outside the frame: " + ", ".join(outside))
    return entries


def _key_height(
    count: int, width: float, names: list[str], drawing: MapDrawing, measure: Measure
) -> float:
    """The strip the key needs: entries in as many columns as the widest allows."""
    widest = max(measure(f"{count} {n}", "regular", KEY_SIZE) for n in names) + 8
    columns = max(1, min(4, int((width - 8) // max(widest, 1))))
    rows = math.ceil((count + 1) / columns)
    return min(4 + rows * KEY_LINE + 2, drawing.height * 0.4)


def _key(
    names: list[str],
    numbers: list[int | None],
    anchors: list[tuple[float, float]],
    visible: list[bool],
    width: float,
    key_h: float,
    measure: Measure,
) -> tuple[list[Op], list[Box]]:
    entries = _key_entries(names, numbers, anchors, visible)
    if not entries or key_h <= 0:
        return [], []
    ops: list[Op] = [PathOp(rect(0, 0, width, key_h), WHITE, None, 0)]
    boxes: list[Box] = []
    rows = max(1, int((key_h - 4) // KEY_LINE))
    widest = max(measure(e, "regular", KEY_SIZE) for e in entries) + 8
    columns = max(1, min(4, int((width - 8) // max(widest, 1))))
    col_w = (width - 4) / columns
    capacity = rows * columns
    if len(entries) > capacity:
        rest = len(entries) - capacity + 1
        entries = [*entries[: capacity - 1], f"and {rest} more: see the caption"]
    for k, entry in enumerate(entries):
        col, row = divmod(k, rows)
        x = 2 + col * col_w
        top = key_h - 3 - row * KEY_LINE
        text = _fit(entry, col_w - 4, measure)
        w = measure(text, "regular", KEY_SIZE)
        box = Box(x, top - (ASCENT + DESCENT) * KEY_SIZE, x + w, top)
        ops.append(TextOp(x, box.y0 + DESCENT * KEY_SIZE, text, "regular", KEY_SIZE, 0.0, MUTED))
        boxes.append(box)
    return ops, boxes


def _fit(text: str, room: float, measure: Measure) -> str:
    """``text`` cut with "…" to ``room`` (the caption still names every place in full)."""
    if measure(text, "regular", KEY_SIZE) <= room:
        return text
    while text and measure(text + "…", "regular", KEY_SIZE) > room:
        text = text[:-1]
    return text + "…"


# --- geography --------------------------------------------------------------------------


def geography(frame: Frame, resolution: geodata.Resolution, *, detail: bool) -> list[Op]:
    """Land, lakes and (when ``detail``) country borders, clipped to the frame."""
    w, h = frame.width, frame.height
    min_area = (1.2 / frame.scale) ** 2
    ops: list[Op] = []
    rings = geodata.shapes("gshhs", resolution, frame.south, frame.north, min_area=min_area)
    rings.sort(key=lambda s: s.kind if s.kind != 5 else 1)
    laea = frame.projection.kind == "laea"
    anti = (unwrap(frame.projection.lon0 + 180.0, 0.0), -frame.projection.lat0)
    coasts: list[Op] = []
    tolerance = THIN / 2 / frame.scale / 111.2  # degrees: a fraction of a point on the map
    for shape in rings:
        shape = geodata.simplified(shape, tolerance)
        if laea and _holds(shape, *anti):
            continue  # a ring around the azimuthal map's antipode would be drawn inside out
        for shift in frame.shifts(shape.west, shape.east):
            xs, ys = _near(shape, frame, shift)
            pts = frame.points(xs, ys, shift)
            ring = thin(clip_ring(thin(pts, THIN / 2), 0, 0, w, h), THIN)
            if len(ring) < 3:
                continue
            ops.append(PathOp(_closed(ring), SEA if shape.is_water else LAND, None, 0))
            if detail:
                coasts += _coast(xs, ys, frame, pts)
    ops += coasts
    if not detail:
        return ops
    for shape in geodata.shapes("countries", resolution, frame.south, frame.north):
        shape = geodata.simplified(shape, tolerance)
        for shift in frame.shifts(shape.west, shape.east):
            xs, ys = _near(shape, frame, shift)
            pts = frame.points(xs, ys, shift)
            for piece in clip_line(thin(pts, THIN / 2), 0, 0, w, h):
                piece = thin(piece, THIN)
                if len(piece) >= 2:
                    ops.append(
                        PathOp(_open(piece), None, BORDER, BORDER_W, cap="round", join="round")
                    )
    return ops


def _near(shape: geodata.Shape, frame: Frame, shift: float) -> tuple[tuple, tuple]:
    """The shape's vertices near the window; an azimuthal window (sampled) gets a wide pad."""
    if frame.projection.kind == "equirect":
        return shape.near(frame.west - shift, frame.south, frame.east - shift, frame.north)
    pad = 3.0  # trigonometry wraps longitudes itself: find the turn that meets the window
    turns = [
        k for k in (-360, 0, 360) if shape.west + k <= frame.east and shape.east + k >= frame.west
    ]
    if len(turns) != 1:
        return shape.xs, shape.ys
    west, east = frame.west - turns[0] - pad, frame.east - turns[0] + pad
    return shape.near(west, frame.south - pad, east, frame.north + pad)


def _coast(
    xs: tuple[float, ...], ys: tuple[float, ...], frame: Frame, pts: list[tuple[float, float]]
) -> list[Op]:
    """A ring's shoreline as lines: the data's cuts along ±180° and the South Pole are not
    coast and are left out, and lines clipped at the frame draw nothing along its edge."""
    runs: list[list[tuple[float, float]]] = [[]]
    n = len(pts)
    for k in range(n):
        runs[-1].append(pts[k])
        j = (k + 1) % n
        if _cut(xs[k], ys[k]) and _cut(xs[j], ys[j]):
            runs.append([])
    if n and not (_cut(xs[-1], ys[-1]) and _cut(xs[0], ys[0])):
        runs[-1].append(pts[0])
    out: list[Op] = []
    for run in runs:
        for piece in clip_line(thin(run, THIN / 2), 0, 0, frame.width, frame.height):
            piece = thin(piece, THIN)
            if len(piece) >= 2:
                out.append(PathOp(_open(piece), None, COAST, COAST_W, cap="round", join="round"))
    return out


def _holds(shape: geodata.Shape, lon: float, lat: float) -> bool:
    """Whether the ring holds the point (even-odd, in degrees: the data never wraps)."""
    if not (shape.west <= lon <= shape.east and shape.south <= lat <= shape.north):
        return False
    inside = False
    xs, ys = shape.xs, shape.ys
    j = len(xs) - 1
    for i in range(len(xs)):
        if (ys[i] > lat) != (ys[j] > lat):
            x = xs[i] + (lat - ys[i]) * (xs[j] - xs[i]) / (ys[j] - ys[i])
            if x > lon:
                inside = not inside
        j = i
    return inside


def _cut(lon: float, lat: float) -> bool:
    return abs(lon) >= 179.999 or lat <= -89.99


def _closed(points: list[tuple[float, float]]) -> Segs:
    segs: list = [("M", (round(points[0][0], 2), round(points[0][1], 2)))]
    segs += [("L", (round(x, 2), round(y, 2))) for x, y in points[1:]]
    segs.append(("Z", ()))
    return tuple(segs)


def _open(points: list[tuple[float, float]]) -> Segs:
    segs: list = [("M", (round(points[0][0], 2), round(points[0][1], 2)))]
    segs += [("L", (round(x, 2), round(y, 2))) for x, y in points[1:]]
    return tuple(segs)


# --- furniture: inset, legend, scale bar, credit ----------------------------------------


class _Furniture:
    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.boxes: list[Box] = []


def _furniture(
    panel: MapPanel, frame: Frame, anchors: list[tuple[float, float]], measure: Measure
) -> _Furniture:
    out = _Furniture()
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


def _credit(out: _Furniture, width: float, measure: Measure) -> None:
    text = f"Coastlines and borders: {geodata.DATASET}"
    size = SMALL_SIZE
    tw = measure(text, "regular", size)
    if tw > width * 0.62:
        text = "Coastlines and borders: GSHHG"
        tw = measure(text, "regular", size)
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


def _scale_bar(out: _Furniture, frame: Frame, measure: Measure) -> None:
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


def _inset(out: _Furniture, frame: Frame, box: Box) -> None:
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
        ops.append(PathOp(_open(piece), None, ACCENT, 1.0, join="round"))
    ops.append(PathOp(rect(0, 0, iw, ih), None, FRAME, 0.5))
    out.ops.append(PathOp(rect(box.x0 - 1, box.y0 - 1, iw + 2, ih + 2), WHITE, None, 0))
    out.ops += [translate(op, box.x0, box.y0) for op in ops]
    out.boxes.append(Box(box.x0 - 2, box.y0 - 2, box.x1 + 2, box.y1 + 2))


__all__ = ["locator_map", "resolution_for"]
