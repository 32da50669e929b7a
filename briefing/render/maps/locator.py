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
from briefing.render.maps.countries import borders
from briefing.render.maps.countries import names as country_names
from briefing.render.maps.drawing import MapDrawing, circle, rect, translate
from briefing.render.maps.frame import frame_for
from briefing.render.maps.furniture import furniture as build_furniture
from briefing.render.maps.geography import geography
from briefing.render.maps.look import (
    ASCENT,
    DESCENT,
    EDGE,
    FRAME,
    FRAME_W,
    HALO,
    KEY_LINE,
    KEY_SIZE,
    LABEL_SIZE,
    MARKER,
    MARKER_R,
    MUTED,
    NUMBER_SIZE,
    SEA,
    TEXT,
    THIN,
    WHITE,
)
from briefing.render.maps.overlays import draw_overlays
from briefing.render.maps.placing import place
from briefing.source.markdown import bare

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
    names = [bare(p.name) for p in panel.places]
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
    border_ops, bordered = borders(frame, THIN / frame.scale / 111.2)
    ops += border_ops
    ops += draw_overlays(panel.overlays, frame)
    anchors = [frame.point(p.lon, p.lat) for p in panel.places]
    visible = [0 <= x <= width and 0 <= y <= map_h for x, y in anchors]
    furniture = build_furniture(panel, frame, anchors, measure)
    ops += furniture.ops
    area = Box(EDGE / 2, EDGE / 2, width - EDGE / 2, map_h - EDGE / 2)
    label_boxes, numbers, number_boxes = _names(
        names, anchors, visible, furniture.boxes, area, measure
    )
    markers = [
        Box(x - MARKER_R, y - MARKER_R, x + MARKER_R, y + MARKER_R)
        for (x, y), shown in zip(anchors, visible, strict=True)
        if shown
    ]
    placed = [b for b in (*label_boxes, *number_boxes) if b is not None]
    country_ops, country_boxes = country_names(
        frame, measure, [*furniture.boxes, *markers], placed, area, bordered
    )
    ops += country_ops
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
        country_boxes=tuple((name, _moved(b, shift)) for name, b in country_boxes),
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


__all__ = ["locator_map", "resolution_for"]
