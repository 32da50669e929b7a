"""Map-specific checks: overlay GeoJSON files.

Why a module of its own: an overlay is a data file the analyst made elsewhere (QGIS,
geojson.io), so most of its problems are inside that file. Each is reported at the
``file:`` key that names it, saying which feature is wrong and how
(``features[3].geometry: a polygon ring needs at least 4 positions``), all problems of a
file at once up to a limit. The file is parsed once, here, into a ``GeoData`` the map
stage draws without reading anything. Size and vertex caps keep a 50 MB export from
taking minutes: it is a located error instead.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import TYPE_CHECKING

from briefing.model import GeoData, LonLat
from briefing.source.paths import project_file
from briefing.source.suggest import short
from briefing.source.yamlsrc import Scalar

if TYPE_CHECKING:
    from briefing.source.context import Context

#: Largest overlay file read; larger is a located error (simplify it in a GIS first).
MAX_BYTES = 8 * 1024 * 1024
#: Most positions over all features of one file.
MAX_POSITIONS = 400_000
#: Problems reported per file before "and N more".
MAX_PROBLEMS = 8

_GEOMETRIES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def geojson_file(ctx: Context, node: Scalar, path: str) -> GeoData | None:
    """A GeoJSON file under the project → its checked geometry, or None (problems recorded)."""
    target = project_file(ctx, node, path, what="overlay file", example="assets/areas.geojson")
    if target is None:
        return None
    name = short(node.text.strip())
    try:
        with target.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        ctx.error(node.span, path, f"`{name}` cannot be read: {exc.strerror or exc}")
        return None
    if len(data) > MAX_BYTES:
        size = target.stat().st_size / 1024 / 1024
        message = (
            f"`{name}` is {size:.1f} MB; an overlay may be at most {MAX_BYTES // 1024 // 1024} MB "
            "(simplify it in a GIS first)"
        )
        ctx.error(node.span, path, message)
        return None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        ctx.error(node.span, path, f"`{name}` is not GeoJSON: it is not UTF-8 text")
        return None
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        message = f"`{name}` is not GeoJSON: not valid JSON{where}: {getattr(exc, 'msg', exc)}"
        ctx.error(node.span, path, message)
        return None
    reader = _Reader()
    reader.document(document)
    if reader.problems:
        shown = reader.problems[:MAX_PROBLEMS]
        for problem in shown:
            ctx.error(node.span, path, f"`{name}`: {problem}")
        rest = len(reader.problems) - len(shown)
        if rest > 0:
            ctx.error(node.span, path, f"`{name}`: and {rest} more problems")
        return None
    if not (reader.points or reader.lines or reader.polygons):
        ctx.error(node.span, path, f"`{name}` has no geometry to draw")
        return None
    return GeoData(
        path=target,
        sha256=hashlib.sha256(data).hexdigest(),
        points=tuple(reader.points),
        lines=tuple(reader.lines),
        polygons=tuple(reader.polygons),
    )


class _Problem(Exception):
    """One thing wrong at one place in the file; ends that feature's reading."""


class _Reader:
    """Walks a GeoJSON document, collecting geometry and problems with their JSON paths."""

    def __init__(self) -> None:
        self.points: list[LonLat] = []
        self.lines: list[tuple[LonLat, ...]] = []
        self.polygons: list[tuple[tuple[LonLat, ...], ...]] = []
        self.problems: list[str] = []
        self.count = 0

    def document(self, doc: object) -> None:
        if not isinstance(doc, dict):
            self.problems.append(f"is not GeoJSON: expected a JSON object, got {_kind(doc)}")
            return
        kind = doc.get("type")
        if kind == "FeatureCollection":
            features = doc.get("features")
            if not isinstance(features, list):
                self.problems.append("features: a FeatureCollection needs a `features` list")
                return
            for i, feature in enumerate(features):
                self._guarded(f"features[{i}]", lambda f=feature, i=i: self.feature(f, i))
                if len(self.problems) > MAX_PROBLEMS * 4:
                    return
        elif kind == "Feature":
            self._guarded("feature", lambda: self.feature(doc, None))
        elif kind in _GEOMETRIES:
            self._guarded("geometry", lambda: self.geometry(doc, "geometry", 0))
        else:
            what = f"`{short(str(kind), 30)}`" if kind is not None else "no `type`"
            self.problems.append(
                f"is not GeoJSON: the top-level object has {what}; "
                "expected a FeatureCollection, a Feature or a geometry"
            )

    def _guarded(self, where: str, read: object) -> None:
        try:
            read()  # type: ignore[operator]
        except _Problem as problem:
            self.problems.append(str(problem))
        except RecursionError:
            self.problems.append(f"{where}: nested too deeply")

    def feature(self, feature: object, index: int | None) -> None:
        where = "feature" if index is None else f"features[{index}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise _Problem(f"{where}: expected a Feature object, got {_kind(feature)}")
        geometry = feature.get("geometry")
        if geometry is None:
            return  # allowed by RFC 7946: a feature without a location
        self.geometry(geometry, f"{where}.geometry", 0)

    def geometry(self, geometry: object, where: str, depth: int) -> None:
        if not isinstance(geometry, dict):
            raise _Problem(f"{where}: expected a geometry object, got {_kind(geometry)}")
        kind = geometry.get("type")
        if kind == "GeometryCollection":
            members = geometry.get("geometries")
            if not isinstance(members, list) or depth > 4:
                raise _Problem(f"{where}: a GeometryCollection needs a `geometries` list")
            for i, member in enumerate(members):
                self.geometry(member, f"{where}.geometries[{i}]", depth + 1)
            return
        if kind not in _GEOMETRIES:
            found = f"`{short(str(kind), 30)}`" if kind is not None else "no `type`"
            raise _Problem(f"{where}: unknown geometry type {found}")
        coords = geometry.get("coordinates")
        at = f"{where}.coordinates"
        if kind == "Point":
            self.points.append(self.position(coords, at))
        elif kind == "MultiPoint":
            self.points.extend(self.positions(coords, at, 1))
        elif kind == "LineString":
            self.lines.append(self.positions(coords, at, 2))
        elif kind == "MultiLineString":
            for i, line in enumerate(self.array(coords, at)):
                self.lines.append(self.positions(line, f"{at}[{i}]", 2))
        elif kind == "Polygon":
            self.polygons.append(self.polygon(coords, at))
        else:
            for i, polygon in enumerate(self.array(coords, at)):
                self.polygons.append(self.polygon(polygon, f"{at}[{i}]"))

    def array(self, value: object, where: str) -> list[object]:
        if not isinstance(value, list):
            raise _Problem(f"{where}: expected an array, got {_kind(value)}")
        return value

    def polygon(self, value: object, where: str) -> tuple[tuple[LonLat, ...], ...]:
        rings = self.array(value, where)
        if not rings:
            raise _Problem(f"{where}: a polygon needs at least one ring")
        out = []
        for i, ring in enumerate(rings):
            positions = self.positions(ring, f"{where}[{i}]", 4)
            if positions[0] != positions[-1]:
                raise _Problem(
                    f"{where}[{i}]: a polygon ring must end where it starts (it is not closed)"
                )
            out.append(positions)
        return tuple(out)

    def positions(self, value: object, where: str, least: int) -> tuple[LonLat, ...]:
        items = self.array(value, where)
        if len(items) < least:
            what = {1: "a MultiPoint", 2: "a line", 4: "a polygon ring"}[least]
            raise _Problem(f"{where}: {what} needs at least {least} positions, got {len(items)}")
        self.count += len(items)
        if self.count > MAX_POSITIONS:
            raise _Problem(
                f"{where}: more than {MAX_POSITIONS:,} positions in one file "
                "(simplify it in a GIS first)"
            )
        return tuple(self.position(item, f"{where}[{i}]") for i, item in enumerate(items))

    def position(self, value: object, where: str) -> LonLat:
        if (
            not isinstance(value, list)
            or len(value) < 2
            or not all(_is_number(v) for v in value[:2])
        ):
            raise _Problem(
                f"{where}: a position is [longitude, latitude] in numbers, got {_brief(value)}"
            )
        lon, lat = float(value[0]), float(value[1])
        if not -180.0 <= lon <= 180.0:
            raise _Problem(f"{where}: longitude {lon:g} is outside −180..180")
        if not -90.0 <= lat <= 90.0:
            hint = " (GeoJSON positions are [longitude, latitude])" if abs(lon) <= 90 else ""
            raise _Problem(f"{where}: latitude {lat:g} is outside −90..90{hint}")
        return (lon, lat)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _kind(value: object) -> str:
    match value:
        case dict():
            return "an object"
        case list():
            return "an array"
        case str():
            return "a string"
        case bool():
            return "a boolean"
        case int() | float():
            return "a number"
        case None:
            return "null"
    return type(value).__name__


def _brief(value: object) -> str:
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else "NaN"
    return short(text, 40)
