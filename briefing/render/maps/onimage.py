"""Places plotted on the analyst's own map image, taken as an equirectangular `bounds`.

Why: many desks have a better base map than any bundled one (with roads, terrain, a
house style); with ``bounds`` the builder still marks and names the places on it with
the same collision-free labelling and the same numbered key as the drawn map.
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.model import Bounds, Place
from briefing.render.charts.ops import Box, Face, Op, PathOp, TextOp
from briefing.render.maps.drawing import MapDrawing, circle, rect, translate
from briefing.render.maps.look import (
    ASCENT,
    DESCENT,
    HALO,
    KEY_LINE,
    KEY_SIZE,
    LABEL_SIZE,
    MARKER,
    MARKER_R,
    MUTED,
    NUMBER_SIZE,
    TEXT,
    WHITE,
)
from briefing.render.maps.placing import place
from briefing.source.markdown import bare

Measure = Callable[[str, Face, float], float]


def _fit(iw: int, ih: int, w: float, h: float) -> Box:
    scale = min(w / iw, h / ih)
    dw, dh = iw * scale, ih * scale
    return Box((w - dw) / 2, (h - dh) / 2, (w + dw) / 2, (h + dh) / 2)


def image_drawing(
    places: tuple[Place, ...],
    bounds: Bounds,
    width: float,
    height: float,
    image_size: tuple[int, int],
    measure: Measure,
) -> MapDrawing:
    names = [bare(p.name) for p in places]
    key_h = 0.0
    for _ in range(2):
        box = _fit(image_size[0], image_size[1], width, height - key_h)
        box = Box(box.x0, box.y0 + key_h, box.x1, box.y1 + key_h)
        result = _draw(places, names, bounds, box, width, height, key_h, measure)
        entries = result.key_count
        if not entries:
            return result
        needed = 4 + entries * KEY_LINE
        if key_h >= min(needed, height * 0.4):
            return result
        key_h = min(needed, height * 0.4)
    return result


def _draw(
    places: tuple[Place, ...],
    names: list[str],
    bounds: Bounds,
    box: Box,
    width: float,
    height: float,
    key_h: float,
    measure: Measure,
) -> MapDrawing:
    west, east = bounds.west, bounds.east + (360.0 if bounds.crosses_antimeridian else 0.0)
    bw, bh = box.x1 - box.x0, box.y1 - box.y0
    anchors = []
    visible = []
    for p in places:
        lon = p.lon + (360.0 if bounds.crosses_antimeridian and p.lon < bounds.west else 0.0)
        x = box.x0 + (lon - west) / (east - west) * bw
        y = box.y0 + (p.lat - bounds.south) / (bounds.north - bounds.south) * bh
        anchors.append((x, y))
        visible.append(box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1)
    h_label = (ASCENT + DESCENT) * LABEL_SIZE
    sizes = [
        (measure(n, "regular", LABEL_SIZE), h_label) if v else None
        for n, v in zip(names, visible, strict=True)
    ]
    labels = place(anchors, sizes, MARKER_R, [], box)
    numbers: list[int | None] = []
    count = 0
    for label, shown in zip(labels, visible, strict=True):
        count += shown and label is None
        numbers.append(count if shown and label is None else None)
    h_num = (ASCENT + DESCENT) * NUMBER_SIZE
    nsizes = [(measure(str(n), "bold", NUMBER_SIZE), h_num) if n else None for n in numbers]
    number_boxes = place(anchors, nsizes, MARKER_R, [], box, [b for b in labels if b])
    ops: list[Op] = []
    for (x, y), shown in zip(anchors, visible, strict=True):
        if shown:
            ops.append(PathOp(circle(x, y, MARKER_R), MARKER, WHITE, 0.6))
    for text, b, face, size in [
        *((n, b, "regular", LABEL_SIZE) for n, b in zip(names, labels, strict=True)),
        *((str(n), b, "bold", NUMBER_SIZE) for n, b in zip(numbers, number_boxes, strict=True)),
    ]:
        if b is not None and text != "None":
            ops.append(TextOp(b.x0, b.y0 + DESCENT * size, text, face, size, 0.0, TEXT, HALO))
    entries = [f"{n} {name}" for name, n in zip(names, numbers, strict=True) if n is not None]
    outside = [name for name, v in zip(names, visible, strict=True) if not v]
    if outside:
        entries.append("Outside the image's bounds: " + ", ".join(outside))
    key_boxes: list[Box] = []
    if key_h > 0 and entries:
        key_ops: list[Op] = [PathOp(rect(0, 0, width, key_h), WHITE, None, 0)]
        rows = max(1, int((key_h - 4) // KEY_LINE))
        for k, entry in enumerate(entries[:rows]):
            top = key_h - 3 - k * KEY_LINE
            w = measure(entry, "regular", KEY_SIZE)
            kb = Box(2, top - (ASCENT + DESCENT) * KEY_SIZE, 2 + w, top)
            key_ops.append(
                TextOp(2, kb.y0 + DESCENT * KEY_SIZE, entry, "regular", KEY_SIZE, 0, MUTED)
            )
            key_boxes.append(kb)
        ops = key_ops + [translate(op, 0, 0) for op in ops]
    return MapDrawing(
        width=width,
        height=height,
        ops=tuple(ops),
        map_box=box,
        marker_boxes=tuple(
            Box(x - MARKER_R, y - MARKER_R, x + MARKER_R, y + MARKER_R) if v else None
            for (x, y), v in zip(anchors, visible, strict=True)
        ),
        label_boxes=tuple(labels),
        numbers=tuple(numbers),
        number_boxes=tuple(number_boxes),
        key_boxes=tuple(key_boxes),
        furniture_boxes=(),
        projection="image",
        resolution=None,
        window=(bounds.west, bounds.south, bounds.east, bounds.north),
        key_count=len(entries),
        image_box=box,
    )
