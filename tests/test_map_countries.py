"""Country borders and names on the locator map (Natural Earth admin-0), and the region.

Read back from the PDF where it matters: the names print, inside the map's frame, clear
of the briefing's own place names; Kosovo–Serbia is a border in the data and on the map.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
import yaml

from briefing.model import MapPanel, Place
from briefing.render import RenderOptions, render
from briefing.render.charts.ops import PathOp, TextOp
from briefing.render.maps import MapDrawing, locator_map, naturalearth
from briefing.render.maps.countries import HOLE_DASH
from briefing.render.maps.frame import frame_for
from briefing.render.maps.look import BORDER, COUNTRY
from briefing.render.pdf.drawing import measure_text
from briefing.render.pdf.fonts import register_fonts
from briefing.source.load import load

ROOT = Path(__file__).resolve().parent.parent
KOSOVO = ROOT / "sources" / "kosovo-serbia-2023.yaml"
W, H = 330.0, 244.0


@pytest.fixture(scope="module", autouse=True)
def _fonts() -> None:
    register_fonts()


def draw(*places: Place, w: float = W, h: float = H) -> MapDrawing:
    return locator_map(MapPanel(places=places), w, h, measure_text)


def named(d: MapDrawing) -> set[str]:
    return {name for name, _ in d.country_boxes}


def _edges(country: naturalearth.Country) -> set[tuple]:
    out = set()
    for ring in naturalearth.rings(country):
        for a, b in pairwise(zip(ring.xs, ring.ys, strict=True)):
            out.add((a, b) if a < b else (b, a))
    return out


def test_the_data_has_a_kosovo_serbia_border() -> None:
    by_name = {c.name: c for c in naturalearth.countries()}
    shared = _edges(by_name["Kosovo"]) & _edges(by_name["Serbia"])
    assert len(shared) > 100  # about 130 edges of 1:10m border
    lats = [lat for edge in shared for _, lat in edge]
    assert min(lats) < 42.5  # from near Preševo
    assert max(lats) > 43.2  # to Jarinje


def test_the_kosovo_serbia_border_is_drawn() -> None:
    """A border path runs along the shared vertices (here: the one by Jarinje)."""
    d = draw(Place("Jarinje", 43.1483, 20.7836), Place("Pristina", 42.6629, 21.1655))
    by_name = {c.name: c for c in naturalearth.countries()}
    shared = _edges(by_name["Kosovo"]) & _edges(by_name["Serbia"])
    frame = frame_for([(20.7836, 43.1483), (21.1655, 42.6629)], None, W, H)
    points = [
        (x, y)
        for op in d.ops
        if isinstance(op, PathOp) and op.stroke == BORDER
        for _, (x, y) in op.segments
    ]
    near = 0
    for edge in sorted(shared)[::10]:
        px, py = frame.point(*edge[0])
        if 0 < px < W and 0 < py < H:
            near += any(abs(px - x) < 1.0 and abs(py - y) < 1.0 for x, y in points)
    assert near >= 8
    assert {"KOSOVO", "SERBIA"} & named(d)


def _country_words(pdf: bytes) -> tuple[list[dict], list[dict], tuple[float, ...]]:
    """Words on page 1 in the country grey and in the place-name black, and the frame."""
    import io

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0].dedupe_chars()
        words = page.extract_words(extra_attrs=["non_stroking_color", "size"])
        frames = [r for r in page.rects if r["width"] > 150 and r["height"] > 100]
        frame = max(frames, key=lambda r: r["top"])  # the map's, under the summary box
    grey = tuple(round(c, 3) for c in COUNTRY[:3])

    def colour(w: dict) -> tuple[float, ...]:
        return tuple(round(float(c), 3) for c in (w["non_stroking_color"] or ()))

    box = (frame["x0"], frame["top"], frame["x1"], frame["bottom"])
    inside = [w for w in words if w["x0"] >= box[0] - 1 and w["x1"] <= box[2] + 1
              and w["top"] >= box[1] - 1 and w["bottom"] <= box[3] + 1]  # fmt: skip
    countries = [w for w in words if colour(w) == grey]
    places = [w for w in inside if colour(w) != grey and w["size"] >= 6.9]
    return countries, places, box


def test_country_names_print_inside_the_frame_clear_of_place_names() -> None:
    b = load(KOSOVO, root=ROOT)
    pdf = render(b, RenderOptions()).pdf
    countries, places, (x0, top, x1, bottom) = _country_words(pdf)
    texts = {w["text"] for w in countries}
    assert {"SERBIA", "ALBANIA", "BULGARIA"} <= texts, texts
    assert any(p["text"] == "Pristina" for p in places)
    for w in countries:
        assert x0 <= w["x0"] <= w["x1"] <= x1, w
        assert top <= w["top"] <= w["bottom"] <= bottom, w
        for p in places:
            clear = (
                w["x1"] <= p["x0"] or p["x1"] <= w["x0"] or w["bottom"] <= p["top"]
                or p["bottom"] <= w["top"]
            )  # fmt: skip
            assert clear, (w["text"], p["text"])


def test_the_region_is_printed_with_a_drawn_map() -> None:
    """The contract's `region` names the panel's region: a drawn map's caption says it."""
    b = load(KOSOVO, root=ROOT)
    assert b.map is not None
    assert b.map.draws_locator
    pdf = render(b, RenderOptions()).pdf
    import io

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = doc.pages[0].extract_text()
    assert "Region: Kosovo and southern Serbia." in text


def test_verify_checks_the_region_of_a_drawn_map(project, monkeypatch) -> None:
    """A renderer that drops the region from a drawn map's caption fails `verify`."""
    import dataclasses

    from briefing.publish.verify import verify_pdf
    from briefing.render.pdf import front

    doc = {
        "title": "Region",
        "as_of": "2024-01-01",
        "summary": ["One."],
        "map": {"region": "Balkans", "places": [{"name": "Peja", "lat": 42.66, "lon": 20.29}]},
    }
    b = load(project.source(yaml.safe_dump(doc)), root=project.root)
    assert verify_pdf(b, render(b, RenderOptions()).pdf, name="x.pdf") == []
    caption = front._map_caption
    monkeypatch.setattr(
        front, "_map_caption", lambda m, *a: caption(dataclasses.replace(m, region=None), *a)
    )
    problems = verify_pdf(b, render(b, RenderOptions()).pdf, name="x.pdf")
    assert [p.key_path for p in problems] == ["map.region"]


def test_names_are_measured_and_drawn_like_all_map_text() -> None:
    d = draw(Place("Yerevan", 40.18, 44.5), Place("Baku", 40.41, 49.87))
    assert {"ARMENIA", "AZERBAIJAN", "GEORGIA"} <= named(d)
    ops = {op.text: op for op in d.ops if isinstance(op, TextOp) and op.color == COUNTRY}
    for name, box in d.country_boxes:
        op = ops[name]
        assert abs((box.x1 - box.x0) - measure_text(name, "regular", op.size)) < 1e-6
        assert op.halo > 0


@pytest.mark.parametrize(
    ("places", "expected"),
    [
        ((Place("Valletta", 35.9, 14.51), Place("Gozo", 36.04, 14.25)), {"MALTA"}),
        ((Place("Suva", -18.14, 178.44), Place("Apia", -13.83, -171.77)), {"FIJI", "SAMOA"}),
        ((Place("Longyearbyen", 78.22, 15.63), Place("Murmansk", 68.96, 33.08)), {"RUSSIA"}),
    ],
    ids=["island-state", "antimeridian", "arctic"],
)
def test_names_on_islands_across_the_antimeridian_and_near_the_pole(
    places: tuple[Place, ...], expected: set[str]
) -> None:
    d = draw(*places)
    assert expected <= named(d)
    from test_maps import assert_clean_layout

    assert_clean_layout(d)


def test_areas_left_to_no_country_are_outlined_dashed() -> None:
    """Abyei (between the Sudans) belongs to neither in this data: its outline is dashed."""
    d = draw(Place("Abyei", 9.6, 28.43), Place("Wau", 7.7, 28.0))
    dashed = [op for op in d.ops if isinstance(op, PathOp) and op.dash == HOLE_DASH]
    assert dashed
    solid = [op for op in d.ops if isinstance(op, PathOp) and op.stroke == BORDER and not op.dash]
    assert solid


def test_the_credit_names_both_datasets() -> None:
    def credit(w: float) -> str:
        d = draw(Place("Baku", 40.41, 49.87), w=w)
        (text,) = [op.text for op in d.ops if isinstance(op, TextOp) and "Coast" in op.text]
        return text

    assert credit(600) == (
        "Coastlines: GSHHG 2.3 (Wessel & Smith); borders and names: Natural Earth 5.1.1"
    )
    assert credit(W) == "Coastlines: GSHHG 2.3; borders, names: Natural Earth 5.1.1"
    assert credit(200) == "Coastlines: GSHHG; borders, names: Natural Earth"


def test_the_country_data_is_extracted_once_and_a_torn_copy_ignored(tmp_path: Path) -> None:
    """A build unpacks the shapefile into dist/.cache; the next reads it back; a copy that
    is not the zip's (torn, foreign) is ignored and the map comes out the same."""
    import subprocess
    import sys

    out = tmp_path / "dist"
    build = [sys.executable, "-m", "briefing", "build", "--force", str(KOSOVO), "--out", str(out)]

    def built() -> bytes:
        for entry in (out / ".cache").glob("*.pickle"):
            entry.unlink()  # the map is drawn again, from the country data
        done = subprocess.run(build, capture_output=True, cwd=ROOT, timeout=180, check=False)
        assert done.returncode in (0, 1), done.stderr  # 1: the sample's stale warnings
        return (out / "kosovo-serbia-2023.pdf").read_bytes()

    first = built()
    (folder,) = (out / ".cache").glob("naturalearth-*")
    shp = folder / "ne_10m_admin_0_countries_deu.shp"
    assert shp.stat().st_size > 8_000_000
    stamp = (shp.stat().st_ino, shp.stat().st_mtime_ns)
    assert built() == first
    assert (shp.stat().st_ino, shp.stat().st_mtime_ns) == stamp  # read back, not rewritten
    data = bytearray(shp.read_bytes())
    data[5000:5008] = b"\xff" * 8  # a torn copy of the right size
    shp.write_bytes(bytes(data))
    assert built() == first
    assert shp.read_bytes() != bytes(data)  # the torn copy was replaced


def test_a_worker_keeps_a_bounded_number_of_decoded_points_and_draws_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The decoded rings are dropped past a budget (with their snapped cells, which are
    filed by ring identity): the maps drawn are the same, and memory stays bounded
    however many regions a batch draws."""
    balkans = (Place("Pristina", 42.66, 21.17), Place("Belgrade", 44.79, 20.45))
    africa = (Place("Khartoum", 15.5, 32.56), Place("Addis Ababa", 9.03, 38.74))
    naturalearth.forget()
    before = [draw(*balkans).ops, draw(*africa).ops]
    naturalearth.forget()
    monkeypatch.setattr(naturalearth, "RING_BUDGET", 1_000)  # forget at nearly every ring
    after = [draw(*balkans).ops, draw(*africa).ops, draw(*balkans).ops]
    assert after == [*before, before[0]]
    assert naturalearth._kept_points < 1_000 + max(
        sum(len(s.xs) for s in rings) for rings in naturalearth._rings.values()
    )
