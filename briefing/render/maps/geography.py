"""The bundled geography on a frame: land, lakes, coastlines and borders as paths.

Why a module of its own: this is where the map's cost is (tens of thousands of coastal
vertices read, simplified, projected and clipped), kept apart from composition.
Rings are filled without a stroke and their shorelines stroked as clipped lines, so no
coast is drawn along the frame edge or along the data's cuts at ±180° and the South
Pole; a ring around an azimuthal map's antipode (it would be drawn inside out) is left
out.
"""

from __future__ import annotations

from briefing.render.charts.ops import Op, PathOp
from briefing.render.maps import geodata
from briefing.render.maps.clip import clip_line, clip_ring, thin
from briefing.render.maps.drawing import Segs
from briefing.render.maps.frame import Frame, unwrap
from briefing.render.maps.look import COAST, COAST_W, LAND, SEA, THIN


def geography(frame: Frame, resolution: geodata.Resolution, *, detail: bool) -> list[Op]:
    """Land and lakes, and (when ``detail``) their shorelines, clipped to the frame.

    Country borders are Natural Earth's (``countries.borders``): GSHHG's WDBII borders
    predate Kosovo and carry no names.
    """
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
            ops.append(PathOp(closed(ring), SEA if shape.is_water else LAND, None, 0))
            if detail:
                coasts += _coast(xs, ys, frame, pts)
    ops += coasts
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
                out.append(
                    PathOp(open_path(piece), None, COAST, COAST_W, cap="round", join="round")
                )
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


def closed(points: list[tuple[float, float]]) -> Segs:
    segs: list = [("M", (round(points[0][0], 2), round(points[0][1], 2)))]
    segs += [("L", (round(x, 2), round(y, 2))) for x, y in points[1:]]
    segs.append(("Z", ()))
    return tuple(segs)


def open_path(points: list[tuple[float, float]]) -> Segs:
    segs: list = [("M", (round(points[0][0], 2), round(points[0][1], 2)))]
    segs += [("L", (round(x, 2), round(y, 2))) for x, y in points[1:]]
    return tuple(segs)
