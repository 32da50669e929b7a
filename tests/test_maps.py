"""The locator map: extents, projections, labels without overlap, overlays, places on an
image, no network, same bytes twice, and the drawing cache."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from pdfcheck import all_text, reader

from briefing.errors import SourceInvalid
from briefing.model import Bounds, GeoData, MapPanel, Overlay, Place
from briefing.render import RenderOptions, render
from briefing.render.charts.ops import Box, PathOp, TextOp
from briefing.render.maps import MapDrawing, image_drawing, locator_map
from briefing.render.pdf.drawing import measure_text
from briefing.render.pdf.fonts import register_fonts
from briefing.source.load import check, load

W, H = 330.0, 244.0


@pytest.fixture(scope="module", autouse=True)
def _fonts() -> None:
    register_fonts()


def draw(*places: Place, bounds: Bounds | None = None, w: float = W, h: float = H) -> MapDrawing:
    return locator_map(MapPanel(places=places, bounds=bounds), w, h, measure_text)


def inside(box: Box, area: Box, slack: float = 0.01) -> bool:
    return (
        box.x0 >= area.x0 - slack
        and box.y0 >= area.y0 - slack
        and box.x1 <= area.x1 + slack
        and box.y1 <= area.y1 + slack
    )


def assert_clean_layout(d: MapDrawing) -> None:
    """No name or number overlaps another, a marker or furniture; all stay in the map."""
    texts = [b for b in (*d.label_boxes, *d.number_boxes) if b is not None]
    markers = [b for b in d.marker_boxes if b is not None]
    for i, a in enumerate(texts):
        assert inside(a, d.map_box), a
        for b in texts[i + 1 :]:
            assert not a.overlaps(b), (a, b)
        for m in markers:
            assert not a.overlaps(m), (a, m)
        for f in d.furniture_boxes:
            assert not a.overlaps(f), (a, f)
    for k in d.key_boxes:
        assert not k.overlaps(d.map_box)
        assert inside(k, Box(0, 0, d.width, d.height))
    countries = [box for _, box in d.country_boxes]
    for i, c in enumerate(countries):
        assert inside(c, d.map_box), c
        for other in (*texts, *markers, *d.furniture_boxes, *countries[i + 1 :]):
            assert not c.overlaps(other), (c, other)


def test_one_place_gets_a_regional_frame() -> None:
    d = draw(Place("Stepanakert", 39.815, 46.752))
    assert d.projection == "equirect"
    assert d.resolution == "i"
    west, south, east, north = d.window
    assert west < 46.752 < east
    assert south < 39.815 < north
    assert 4 < east - west < 20
    assert 3 < north - south < 12
    assert d.label_boxes[0] is not None  # labelled, not numbered


def test_far_apart_places_get_an_azimuthal_or_world_frame() -> None:
    d = draw(Place("London", 51.5, -0.1), Place("Tokyo", 35.7, 139.7), Place("Sydney", -33.9, 151))
    assert d.projection == "laea"
    assert d.resolution == "c"
    assert all(m is not None for m in d.marker_boxes)
    world = draw(Place("Honolulu", 21.3, -157.9), Place("Cairo", 30, 31.2), Place("Lima", -12, -77))
    assert all(m is not None for m in world.marker_boxes)
    assert_clean_layout(d)
    assert_clean_layout(world)


def test_a_frame_across_the_antimeridian_is_one_piece() -> None:
    d = draw(Place("Suva", -18.1, 178.4), Place("Apia", -13.8, -171.8))
    west, _, east, _ = d.window
    assert east - west < 40  # the short way round, not 350 degrees
    assert all(any(west < lon + k < east for k in (-360, 0, 360)) for lon in (178.4, -171.8))
    assert all(m is not None for m in d.marker_boxes)
    # Suva (west of the line) is drawn left of Apia (east of it)
    suva, apia = d.marker_boxes
    assert suva is not None
    assert apia is not None
    assert suva.x0 < apia.x0
    bounded = draw(Place("Suva", -18.1, 178.4), bounds=Bounds(170, -25, -170, -10))
    b_west, _, b_east, _ = bounded.window
    assert 20 <= b_east - b_west < 40
    assert all(any(b_west <= lon + k <= b_east for k in (-360, 0, 360)) for lon in (170, -170))


@pytest.mark.parametrize("lat", [90.0, -90.0, 89.5])
def test_poles(lat: float) -> None:
    d = draw(Place("Pole", lat, 0.0), Place("Near", lat - 8 if lat > 0 else lat + 8, 40.0))
    assert d.projection == "laea"
    assert all(m is not None for m in d.marker_boxes)
    assert_clean_layout(d)


def test_crowded_places_never_overlap_and_the_rest_are_numbered_and_keyed() -> None:
    rng = random.Random(7)
    places = tuple(
        Place(f"Settlement number {i}", 40 + rng.uniform(-0.6, 0.6), 46 + rng.uniform(-0.8, 0.8))
        for i in range(60)
    )
    d = draw(*places)
    assert_clean_layout(d)
    numbered = [n for n in d.numbers if n is not None]
    assert numbered == list(range(1, len(numbered) + 1))
    assert numbered, "60 names in a small frame cannot all fit"
    labelled = sum(b is not None for b in d.label_boxes)
    assert labelled + len(numbered) == len(places)  # nobody dropped
    assert d.key_boxes
    assert d.map_box.y0 > 0
    keyed = " ".join(op.text for op in d.ops if isinstance(op, TextOp) and op.y < d.map_box.y0)
    assert "1 Settlement number" in keyed


def test_labels_stay_clear_on_random_layouts() -> None:
    rng = random.Random(3)
    for _ in range(6):
        n = rng.randint(2, 25)
        lat0, lon0 = rng.uniform(-60, 60), rng.uniform(-180, 180)
        spread = rng.choice([0.3, 3, 20])
        places = tuple(
            Place(
                "x" * rng.randint(1, 30),
                lat0 + rng.uniform(-spread, spread) / 2,
                ((lon0 + rng.uniform(-spread, spread) + 180) % 360) - 180,
            )
            for _ in range(n)
        )
        d = draw(*places, w=rng.choice([200.0, 330.0, 500.0]), h=rng.choice([150.0, 244.0]))
        assert_clean_layout(d)
        numbered = sum(x is not None for x in d.numbers)
        assert sum(b is not None for b in d.label_boxes) + numbered == n  # nobody dropped


def test_every_path_stays_inside_the_panel() -> None:
    d = draw(Place("Baku", 40.4, 49.9), Place("Yerevan", 40.2, 44.5))
    for op in d.ops:
        if isinstance(op, PathOp):
            for _, values in op.segments:
                xs, ys = values[0::2], values[1::2]
                assert all(-0.5 <= x <= d.width + 0.5 for x in xs)
                assert all(-0.5 <= y <= d.height + 0.5 for y in ys)
    credit = [op.text for op in d.ops if isinstance(op, TextOp)]
    assert any(t.startswith("Coastlines: GSHHG") and "Natural Earth" in t for t in credit)
    assert any(t.endswith("mi") and "km" in t for t in credit)  # the scale bar


# ---- overlays ------------------------------------------------------------------------------

FEATURES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",  # a bow-tie: self-intersecting, still drawn
                "coordinates": [[[46, 39.5], [47.5, 40.5], [47.5, 39.5], [46, 40.5], [46, 39.5]]],
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[30, 40], [46.5, 40], [70, 40]]},
        },
        {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[46.7, 39.8]]}},
        {"type": "Feature", "geometry": None},
    ],
}


def source(map_block: dict) -> str:
    doc = {"title": "Map", "as_of": "2024-01-01", "summary": ["One."], "map": map_block}
    return yaml.safe_dump(doc, allow_unicode=True)


def test_overlays_draw_with_a_legend_and_clip(project) -> None:
    project.write("assets/areas.geojson", json.dumps(FEATURES))
    path = project.source(
        source(
            {
                "title": "Overlays",
                "places": [{"name": "Stepanakert", "lat": 39.8, "lon": 46.75}],
                "overlays": [{"file": "assets/areas.geojson", "label": "Area of control"}],
            }
        )
    )
    b = load(path, root=project.root)
    assert b.map is not None
    assert b.map.overlays[0].file.polygons
    d = locator_map(b.map, W, H, measure_text)
    assert_clean_layout(d)
    texts = [op.text for op in d.ops if isinstance(op, TextOp)]
    assert "Area of control" in texts
    # the line runs from 30°E to 70°E: clipped to the frame, never outside it
    for op in d.ops:
        if isinstance(op, PathOp):
            for _, values in op.segments:
                assert all(-0.5 <= x <= W + 0.5 for x in values[0::2])
    pdf = render(b, RenderOptions()).pdf
    assert "Area of control" in all_text(reader(pdf))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "is not GeoJSON: not valid JSON"),
        (b'{"type": "Topology"}', "is not GeoJSON: the top-level object has `Topology`"),
        (
            json.dumps({"type": "FeatureCollection", "features": [FEATURES["features"][1], 3]}),
            "features[1]: expected a Feature object, got a number",
        ),
        (
            json.dumps({"type": "Point", "coordinates": [46, 91]}),
            "geometry.coordinates: latitude 91 is outside −90..90",
        ),
        (
            json.dumps({"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [1, 1]]]}),
            "a polygon ring needs at least 4 positions, got 3",
        ),
        (
            json.dumps({"type": "LineString", "coordinates": [[1, 1], ["a", 2]]}),
            "coordinates[1]: a position is [longitude, latitude] in numbers",
        ),
        (b" " * (8 * 1024 * 1024 + 10), "an overlay may be at most 8 MB"),
    ],
)
def test_bad_geojson_is_a_located_error(project, content: str | bytes, message: str) -> None:
    project.write("assets/bad.geojson", content)
    path = project.source(
        source(
            {
                "places": [{"name": "A", "lat": 1, "lon": 1}],
                "overlays": [{"file": "assets/bad.geojson"}],
            }
        )
    )
    errors = check(path, root=project.root)
    assert errors, "expected an error"
    line = str(errors[0])
    assert line.startswith("sources/x.yaml:"), line
    assert "map.overlays[0].file: `assets/bad.geojson`" in line
    assert message in line


def test_bounds_rules(project) -> None:
    bad = project.source(
        source(
            {
                "places": [{"name": "A", "lat": 1, "lon": 1}],
                "bounds": {"west": 1, "south": 5, "east": 2, "north": 4},
            }
        )
    )
    (error,) = check(bad, root=project.root)
    assert "map.bounds.south" in str(error)
    assert "not south of `north`" in str(error)
    lat = project.source(source({"places": [{"name": "A", "lat": 91, "lon": 1}]}), "lat.yaml")
    (error,) = check(lat, root=project.root)
    assert "map.places[0].lat" in str(error)
    ok = project.source(
        source(
            {
                "places": [{"name": "A", "lat": -18, "lon": 178}],
                "bounds": {"west": 170, "south": -25, "east": -170, "north": -10},
            }
        ),
        "ok.yaml",
    )
    assert check(ok, root=project.root) == []


def test_placeholder_when_asked_or_nothing_to_draw(project) -> None:
    asked = load(
        project.source(
            source({"style": "placeholder", "places": [{"name": "A", "lat": 1, "lon": 1}]})
        ),
        root=project.root,
    )
    assert "MAP TO FOLLOW" in all_text(reader(render(asked, RenderOptions()).pdf))
    empty = load(project.source(source({"title": "Nothing"}), "e.yaml"), root=project.root)
    assert "MAP TO FOLLOW" in all_text(reader(render(empty, RenderOptions()).pdf))
    drawn = load(
        project.source(
            source({"places": [{"name": "Ganja", "lat": 40.68, "lon": 46.36}]}), "d.yaml"
        ),
        root=project.root,
    )
    text = all_text(reader(render(drawn, RenderOptions()).pdf))
    assert "MAP TO FOLLOW" not in text
    assert "Coastlines: GSHHG" in text
    assert "Ganja" in text


# ---- places on the analyst's image -----------------------------------------------------------


def test_places_on_an_image_with_bounds(project) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(buffer, "PNG")
    project.write("assets/base.png", buffer.getvalue())
    bounds = Bounds(40.0, 38.0, 50.0, 43.0)
    places = (Place("Corner", 38.0, 40.0), Place("Middle", 40.5, 45.0), Place("Gone", 10, 10))
    d = image_drawing(places, bounds, W, H, (400, 200), measure_text)
    box = d.image_box
    assert box is not None
    assert abs((box.x1 - box.x0) / (box.y1 - box.y0) - 2.0) < 1e-6  # the image's aspect kept
    corner, middle, gone = d.marker_boxes
    assert corner is not None
    assert middle is not None
    assert gone is None
    assert abs((corner.x0 + corner.x1) / 2 - box.x0) < 1e-6
    assert abs((corner.y0 + corner.y1) / 2 - box.y0) < 1e-6
    assert abs((middle.x0 + middle.x1) / 2 - (box.x0 + box.x1) / 2) < 1e-6
    keyed = " ".join(op.text for op in d.ops if isinstance(op, TextOp))
    assert "Outside the image's bounds: Gone" in keyed
    path = project.source(
        source(
            {
                "image": "assets/base.png",
                "bounds": {"west": 40, "south": 38, "east": 50, "north": 43},
                "places": [{"name": "Middle", "lat": 40.5, "lon": 45}],
            }
        )
    )
    pdf = render(load(path, root=project.root), RenderOptions()).pdf
    assert "Middle" in all_text(reader(pdf))


# ---- offline, deterministic, cached --------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parent.parent / "sources" / "nagorno-karabakh-2020.yaml"


def test_builds_with_the_network_refused(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import socket, sys
        def refuse(*a, **k):
            raise OSError("network refused by the test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.socket.sendto = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from pathlib import Path
        from briefing.source.load import load
        from briefing.render import render, RenderOptions
        root = Path({str(EXAMPLE.parent.parent)!r})
        b = load(Path({str(EXAMPLE)!r}), root=root)
        pdf = render(b, RenderOptions()).pdf
        assert len(pdf) > 10000
        print("ok", len(pdf))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_same_bytes_twice_with_and_without_the_cache(tmp_path: Path) -> None:
    b = load(EXAMPLE, root=EXAMPLE.parent.parent)
    plain_pdf = render(b, RenderOptions()).pdf
    assert render(b, RenderOptions()).pdf == plain_pdf
    cache = tmp_path / "cache"
    assert render(b, RenderOptions(cache_dir=cache)).pdf == plain_pdf  # drawn, stored
    assert len(list(cache.glob("*.pickle"))) == 2  # the timeline and the map
    assert render(b, RenderOptions(cache_dir=cache)).pdf == plain_pdf  # from the cache
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")  # corrupt: a miss, not a crash
    assert render(b, RenderOptions(cache_dir=cache)).pdf == plain_pdf


def test_a_cached_rebuild_draws_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    b = load(EXAMPLE, root=EXAMPLE.parent.parent)
    cache = tmp_path / "cache"
    first = render(b, RenderOptions(cache_dir=cache)).pdf

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("drew again although nothing changed")

    import briefing.render.charts as charts
    import briefing.render.maps as maps

    monkeypatch.setattr(charts, "timeline_chart", forbidden)
    monkeypatch.setattr(maps, "locator_map", forbidden)
    assert render(b, RenderOptions(cache_dir=cache)).pdf == first


def test_a_warm_build_does_not_import_matplotlib(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build = [sys.executable, "-m", "briefing", "build", str(EXAMPLE), "--out", str(out)]
    cwd = EXAMPLE.parent.parent
    subprocess.run(build, capture_output=True, check=False, cwd=cwd, timeout=180)
    assert list((out / ".cache").glob("*.pickle"))
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from briefing.publish.build import BuildOptions, build
        report = build([Path({str(EXAMPLE)!r})], root=Path({str(cwd)!r}),
                       out=Path({str(out)!r}), options=BuildOptions(force=True))
        assert report.results[0].status == "built", report.results[0]
        print("matplotlib" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_an_invalid_overlay_fails_the_build_not_with_a_traceback(project) -> None:
    project.write("assets/x.geojson", "[1, 2")
    path = project.source(
        source(
            {
                "places": [{"name": "A", "lat": 1, "lon": 1}],
                "overlays": [{"file": "assets/x.geojson"}],
            }
        )
    )
    with pytest.raises(SourceInvalid) as caught:
        load(path, root=project.root)
    assert "not valid JSON" in str(caught.value.errors[0])


def test_geodata_in_a_model_is_compared_by_hash() -> None:
    a = GeoData(Path("/p/a.geojson"), "abc", points=((1.0, 2.0),))
    b = GeoData(Path("/p/a.geojson"), "abc", points=((3.0, 4.0),))
    assert a == b
    assert "points" not in repr(a)
    assert Overlay(a, "x") == Overlay(b, "x")


@pytest.mark.parametrize(
    "places",
    [
        (Place("McMurdo", -77.8, 166.7),),
        (Place("Suva", -18.1, 178.4), Place("Apia", -13.8, -171.8)),
        (Place("Stepanakert", 39.8, 46.75), Place("Baku", 40.4, 49.87)),
        (Place("Lisbon", 38.7, -9.1), Place("Tehran", 35.7, 51.4)),
    ],
)
def test_reading_only_the_vertices_near_the_frame_draws_the_same_map(
    places: tuple[Place, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render.maps import geodata

    fast = draw(*places)
    monkeypatch.setattr(geodata.Shape, "near", lambda self, *window: (self.xs, self.ys))
    assert draw(*places).ops == fast.ops


def test_the_reference_shows_the_map() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs"
    text = (docs / "source-format.md").read_text(encoding="utf-8")
    assert "## The locator map" in text
    assert "](images/map.png)" in text
    assert (docs / "images" / "map.png").stat().st_size > 10_000


def test_right_to_left_names_are_measured_as_drawn() -> None:
    name = "صنعاء (Sana'a)"
    d = draw(Place(name, 15.35, 44.2), Place("עדן", 12.8, 45.0))
    assert_clean_layout(d)
    (box, _) = d.label_boxes
    assert box is not None
    assert abs((box.x1 - box.x0) - measure_text(name, "regular", 7.0)) < 1e-6
    assert any(isinstance(op, TextOp) and op.text == name for op in d.ops)
