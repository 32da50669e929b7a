"""Where the map looks and how the globe is flattened onto it.

In: the places (and overlay positions) or ``bounds``, and the panel's size in points.
Out: a ``Frame``: a projection fit for the extent, scaled and centred on the panel, with
the latitude/longitude window the geography must cover.

Why these choices: a locator map is small, so the extent decides the projection. A
regional frame (up to ~30° across, away from the poles) is equirectangular with
longitudes shrunk by cos(latitude): shapes look right and the maths is trivial. A larger
or polar frame is Lambert azimuthal equal-area centred on it (the projection atlases use
for continents and polar regions). Places spread over more than half the globe get a
world frame. Longitudes are unwrapped around the frame's centre, so a frame across the
antimeridian (Fiji, the Bering Strait) is one piece.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from briefing.model import Bounds, LonLat

EARTH_KM = 6371.0
#: The smallest frame, km from centre to edge: one place is shown with its region.
MIN_HALF_KM = 260.0
#: Margin around the places, as a share of their spread (plus a fixed part for labels).
MARGIN_SHARE = 0.18
MARGIN_KM = 90.0


def unwrap(lon: float, centre: float) -> float:
    """``lon`` moved by whole turns to lie within 180° of ``centre``."""
    return lon - 360.0 * round((lon - centre) / 360.0)


def lon_arc(lons: Iterable[float]) -> tuple[float, float]:
    """The shortest arc ``(west, east)`` holding every longitude; ``east`` may exceed 180."""
    ordered = sorted({((lon + 180.0) % 360.0) - 180.0 for lon in lons})
    if len(ordered) == 1:
        return ordered[0], ordered[0]
    gaps = [(ordered[(i + 1) % len(ordered)] - ordered[i]) % 360.0 for i in range(len(ordered))]
    widest = max(range(len(gaps)), key=lambda i: (gaps[i], -i))
    west = ordered[(widest + 1) % len(ordered)]
    east = ordered[widest]
    if east < west:
        east += 360.0
    return west, east


@dataclass(frozen=True, slots=True)
class Projection:
    """``kind`` "equirect" (lon scaled by cos lat0) or "laea"; km on the ground, at centre."""

    kind: str
    lon0: float
    lat0: float

    def forward(self, lon: float, lat: float) -> tuple[float, float]:
        if self.kind == "equirect":
            # no unwrapping here: a shape is moved by whole turns as one piece (``shift``)
            x = math.radians(lon - self.lon0) * math.cos(math.radians(self.lat0))
            return x * EARTH_KM, math.radians(lat - self.lat0) * EARTH_KM
        phi, lam = math.radians(lat), math.radians(lon - self.lon0)
        phi0 = math.radians(self.lat0)
        cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
        k = math.sqrt(2.0 / max(1.0 + cos_c, 1e-9))
        x = k * math.cos(phi) * math.sin(lam)
        y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
        return x * EARTH_KM, y * EARTH_KM

    def inverse(self, x: float, y: float) -> LonLat:
        if self.kind == "equirect":
            lat = self.lat0 + math.degrees(y / EARTH_KM)
            cos0 = max(math.cos(math.radians(self.lat0)), 1e-6)
            return self.lon0 + math.degrees(x / EARTH_KM / cos0), lat
        x, y = x / EARTH_KM, y / EARTH_KM
        rho = math.hypot(x, y)
        if rho < 1e-12:
            return self.lon0, self.lat0
        c = 2.0 * math.asin(min(1.0, rho / 2.0))
        phi0 = math.radians(self.lat0)
        lat = math.asin(
            max(
                -1.0,
                min(1.0, math.cos(c) * math.sin(phi0) + y * math.sin(c) * math.cos(phi0) / rho),
            )
        )
        lam = math.atan2(
            x * math.sin(c), rho * math.cos(phi0) * math.cos(c) - y * math.sin(phi0) * math.sin(c)
        )
        return self.lon0 + math.degrees(lam), math.degrees(lat)


@dataclass(frozen=True, slots=True)
class Frame:
    """A projection placed on a ``width`` × ``height`` panel (points, origin bottom-left)."""

    projection: Projection
    width: float
    height: float
    cx: float  # projected km at the panel's centre
    cy: float
    scale: float  # points per km
    west: float  # the window the geography must cover, degrees (east may exceed 180)
    south: float
    east: float
    north: float
    world: bool = False

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """A single position on the panel (its longitude unwrapped around the centre)."""
        return self.raw_point(unwrap(lon, self.projection.lon0), lat)

    def points(
        self, xs: tuple[float, ...], ys: tuple[float, ...], shift: float
    ) -> list[tuple[float, float]]:
        """Many positions at once (a shape moved by ``shift`` degrees); fast for equirect."""
        if self.projection.kind != "equirect":
            return self._laea_points(xs, ys, shift)
        k = math.radians(1.0) * EARTH_KM * self.scale
        kx = k * math.cos(math.radians(self.projection.lat0))
        ox = self.width / 2 - self.cx * self.scale + (shift - self.projection.lon0) * kx
        oy = self.height / 2 - self.cy * self.scale - self.projection.lat0 * k
        return [(x * kx + ox, y * k + oy) for x, y in zip(xs, ys, strict=True)]

    def _laea_points(
        self, xs: tuple[float, ...], ys: tuple[float, ...], shift: float
    ) -> list[tuple[float, float]]:
        """``Projection.forward`` for many points, its constants hoisted (the inset's cost)."""
        sin, cos, sqrt, rad = math.sin, math.cos, math.sqrt, math.radians
        phi0 = rad(self.projection.lat0)
        sin0, cos0 = sin(phi0), cos(phi0)
        lon0 = self.projection.lon0 - shift
        k0 = EARTH_KM * self.scale
        ox = self.width / 2 - self.cx * self.scale
        oy = self.height / 2 - self.cy * self.scale
        out = []
        for lon, lat in zip(xs, ys, strict=True):
            phi, lam = rad(lat), rad(lon - lon0)
            sp, cp, cl = sin(phi), cos(phi), cos(lam)
            denominator = 1.0 + sin0 * sp + cos0 * cp * cl
            k = sqrt(2.0 / (denominator if denominator > 1e-9 else 1e-9)) * k0
            out.append((k * cp * sin(lam) + ox, k * (cos0 * sp - sin0 * cp * cl) + oy))
        return out

    def raw_point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.projection.forward(lon, lat)
        return (
            self.width / 2 + (x - self.cx) * self.scale,
            self.height / 2 + (y - self.cy) * self.scale,
        )

    def lonlat(self, px: float, py: float) -> LonLat:
        x = self.cx + (px - self.width / 2) / self.scale
        y = self.cy + (py - self.height / 2) / self.scale
        return self.projection.inverse(x, y)

    def shifts(self, west: float, east: float) -> list[float]:
        """The whole turns (−360, 0, 360) that bring ``west..east`` into the window."""
        if self.projection.kind == "laea" and not self.world:
            # trigonometry wraps by itself; just say whether the shape is in the window
            hit = any(west + k <= self.east and east + k >= self.west for k in (-360, 0, 360))
            return [0.0] if hit else []
        return [float(k) for k in (-360, 0, 360) if west + k <= self.east and east + k >= self.west]

    @property
    def km_across(self) -> float:
        return self.width / self.scale


def frame_for(positions: list[LonLat], bounds: Bounds | None, width: float, height: float) -> Frame:
    """The frame for ``bounds`` if given, else for ``positions`` with a margin."""
    if bounds is not None:
        west = bounds.west
        east = bounds.east + (360.0 if bounds.crosses_antimeridian else 0.0)
        south, north = bounds.south, bounds.north
        margin_km = 0.0
    else:
        west, east = lon_arc(lon for lon, _ in positions)
        south = min(lat for _, lat in positions)
        north = max(lat for _, lat in positions)
        margin_km = MARGIN_KM
    span_lon, span_lat = east - west, north - south
    lon0 = unwrap((west + east) / 2.0, 0.0)
    lat0 = (south + north) / 2.0
    if span_lon > 200.0 or span_lat > 130.0:
        return _world(width, height)
    regional = span_lon <= 30.0 and span_lat <= 30.0 and max(abs(south), abs(north)) <= 68.0
    projection = Projection("equirect" if regional else "laea", lon0, lat0)
    if bounds is not None:
        steps = 16
        outline = [(west + (east - west) * i / steps, south) for i in range(steps + 1)]
        outline += [(west + (east - west) * i / steps, north) for i in range(steps + 1)]
        outline += [(west, south + span_lat * i / steps) for i in range(steps + 1)]
        outline += [(east, south + span_lat * i / steps) for i in range(steps + 1)]
    else:
        outline = positions
    points = [projection.forward(unwrap(lon, lon0), lat) for lon, lat in outline]
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if bounds is None:
        pad = max(x1 - x0, y1 - y0) * MARGIN_SHARE + margin_km
        x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
        half = MIN_HALF_KM
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        x0, x1 = min(x0, cx - half), max(x1, cx + half)
        y0, y1 = min(y0, cy - half), max(y1, cy + half)
    scale = min(width / max(x1 - x0, 1e-6), height / max(y1 - y0, 1e-6))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    frame = Frame(projection, width, height, cx, cy, scale, 0.0, 0.0, 0.0, 0.0)
    return _with_window(frame)


def _world(width: float, height: float) -> Frame:
    """Plate carrée of the whole world, centred on Greenwich, fitted into the panel."""
    projection = Projection("equirect", 0.0, 0.0)
    half_w = math.pi * EARTH_KM
    half_h = math.radians(84.0) * EARTH_KM
    scale = min(width / (2 * half_w), height / (2 * half_h))
    return Frame(projection, width, height, 0.0, 0.0, scale, -180.0, -90.0, 180.0, 90.0, True)


def _with_window(frame: Frame) -> Frame:
    """The frame with the degree window that covers the panel (its edge, sampled)."""
    steps = 24
    w, h = frame.width, frame.height
    edge = [(w * i / steps, 0.0) for i in range(steps + 1)]
    edge += [(w * i / steps, h) for i in range(steps + 1)]
    edge += [(0.0, h * i / steps) for i in range(steps + 1)]
    edge += [(w, h * i / steps) for i in range(steps + 1)]
    lon0 = frame.projection.lon0
    lonlats = [frame.lonlat(x, y) for x, y in edge]
    lons = [unwrap(lon, lon0) for lon, _ in lonlats]
    lats = [lat for _, lat in lonlats]
    south, north = min(lats), max(lats)
    west, east = min(lons), max(lons)
    # a pole inside the panel: every longitude is on the map
    for pole in (90.0, -90.0):
        px, py = frame.point(lon0, pole)
        if frame.projection.kind == "laea" and 0 <= px <= w and 0 <= py <= h:
            west, east = lon0 - 180.0, lon0 + 180.0
            south, north = (south, 90.0) if pole > 0 else (-90.0, north)
    pad = 0.5
    return Frame(
        frame.projection,
        frame.width,
        frame.height,
        frame.cx,
        frame.cy,
        frame.scale,
        west - pad,
        max(-90.0, south - pad),
        east + pad,
        min(90.0, north + pad),
    )


def wider(frame: Frame, width: float, height: float) -> Frame:
    """The inset's frame: the same centre, about six times wider, at least a subcontinent."""
    lon0, lat0 = frame.projection.lon0, frame.projection.lat0
    half = min(max(frame.km_across * 3.0, 1500.0), 7000.0)
    projection = Projection("laea", lon0, lat0)
    scale = min(width, height) / (2 * half)
    return _with_window(Frame(projection, width, height, 0.0, 0.0, scale, 0, 0, 0, 0))
