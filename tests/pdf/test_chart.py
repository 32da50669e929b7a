"""Charts in the PDF: vector paths and text in the embedded DejaVu faces, nothing else."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate

from briefing.model import Event, PartialDate, Timeline
from briefing.render.charts import Chart, PathOp, TextOp, timeline_chart
from briefing.render.pdf.drawing import ChartFlowable, chart_flowables
from briefing.render.pdf.fonts import SANS, register_fonts
from briefing.render.pdf.textpath import visual

BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


def example() -> Timeline:
    d = PartialDate
    return Timeline(
        events=(
            Event(
                d(1921), "Soviet authorities add Karabakh to Azerbaijan SSR", category="political"
            ),
            Event(d(1988), "First war: 30,000 killed", end=d(1994, 5), category="military"),
            Event(d(1994, 5), "Ceasefire agreed in Bishkek", category="diplomatic"),
            Event(d(2010), "Talks stall", category="diplomatic"),
            Event(d(2016, 4), "Four-Day War", category="military"),
            Event(d(2020, 9, 27), "Heaviest clashes since 2016", category="military"),
            Event(d(2020, 9, 28), "Հայաստան declares martial law; Россия calls for calm"),
        )
    )


def build(charts: tuple[Chart, ...]) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=True, initialFontName=SANS)
    doc.build(chart_flowables(charts))
    return buffer.getvalue()


def example_pdf() -> bytes:
    return build(timeline_chart(example(), width_pt=451.0, max_height_pt=500.0))


def resources(pdf: bytes) -> list[dict]:
    return [page["/Resources"].get_object() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_chart_page_has_no_images_and_only_embedded_dejavu_fonts() -> None:
    (res,) = resources(example_pdf())
    xobjects = res.get("/XObject", {})
    assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())
    names = set()
    for ref in res["/Font"].values():
        font = ref.get_object()
        name = str(font["/BaseFont"]).lstrip("/")
        names.add(name.split("+", 1)[-1])  # subset prefix, e.g. AAAAAA+DejaVuSans
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
    assert names == {"DejaVuSans", "DejaVuSans-Bold"}
    assert not names & BASE14


def test_chart_text_is_real_text_in_the_pdf() -> None:
    text = re.sub(r"\s+", "", PdfReader(io.BytesIO(example_pdf())).pages[0].extract_text())
    for expected in ("1988–May1994", "Heaviestclashessince2016", "Հայաստան", "Россия", "28Sep2020"):
        assert expected in text


def test_opaque_chart_sets_no_transparency_but_alpha_is_kept() -> None:
    (opaque,) = resources(example_pdf())
    assert "/ExtGState" not in opaque
    square = (("M", (10.0, 10.0)), ("L", (30.0, 10.0)), ("L", (30.0, 30.0)), ("Z", ()))
    half = PathOp(square, fill=(0.0, 0.0, 1.0, 0.5), stroke=None, line_width=0.0)
    label = TextOp(12.0, 14.0, "α", "bolditalic", 8.0, 0.0, (0.0, 0.0, 0.0, 1.0))
    chart = Chart(40.0, 40.0, (half, label), (), (), (), (), (), ())
    (translucent,) = resources(build((chart,)))
    states = [state.get_object() for state in translucent["/ExtGState"].values()]
    assert any(state.get("/ca") == 0.5 for state in states)
    fonts = {
        str(ref.get_object()["/BaseFont"]).split("+")[-1] for ref in translucent["/Font"].values()
    }
    assert fonts == {"DejaVuSans-BoldOblique"}


def test_same_chart_builds_identical_bytes() -> None:
    assert example_pdf() == example_pdf()


def test_flowable_shrinks_to_a_narrow_frame() -> None:
    (chart,) = timeline_chart(example(), width_pt=451.0, max_height_pt=500.0)
    flowable = ChartFlowable(chart)
    assert flowable.wrap(600, 800) == (chart.width, chart.height)
    width, height = flowable.wrap(225.5, 800)
    assert width == pytest.approx(225.5)
    assert height == pytest.approx(chart.height / 2)


def test_overview_and_detail_give_one_flowable_per_chart_with_gaps() -> None:
    events = tuple(Event(PartialDate(1950 + n), f"Event of {1950 + n}") for n in range(0, 60, 3))
    events += tuple(
        Event(
            PartialDate(2020, 1 + n % 12, 1 + n % 27),
            f"Report {n} of shelling",
            category="ab"[n % 2],
        )
        for n in range(60)
    )
    charts = timeline_chart(Timeline(events=events), width_pt=451.0, max_height_pt=300.0)
    assert len(charts) == 2
    assert charts[1].detail_of is not None
    flowables = chart_flowables(charts)
    assert [type(f).__name__ for f in flowables[::2]] == ["ChartFlowable"] * len(charts)
    assert len(flowables) == 2 * len(charts) - 1
    assert len(PdfReader(io.BytesIO(build(charts))).pages) >= 1


@pytest.mark.parametrize(
    "text", ["مرحبا بالعالم هذا نص عربي", "שלום עולם והמשך", "Mixed English and עברית text"]
)
@pytest.mark.parametrize("font", ["DejaVuSans", "DejaVuSans-Bold"])
def test_shaped_right_to_left_text_is_no_wider_than_the_layout_measured(
    text: str, font: str
) -> None:
    register_fonts()
    shaped = visual(text, font, 7.0)
    width = sum(glyph.x_advance for glyph in shaped.__shapeData__) * 7.0 / 1000
    assert 0 < width <= stringWidth(text, font, 7.0) + 1e-6
    assert "".join(text.split()) != "".join(str(shaped).split())  # reordered and/or joined


def test_chart_with_hebrew_and_arabic_builds() -> None:
    events = (
        Event(PartialDate(2020, 9, 27), "שלום עולם", category="a"),
        Event(PartialDate(2020, 10, 1), "مرحبا بالعالم", category="b"),
    )
    pdf = build(timeline_chart(Timeline(events=events), width_pt=451.0, max_height_pt=500.0))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler's pdffonts is not installed")
def test_pdffonts_lists_only_embedded_dejavu(tmp_path: Path) -> None:
    path = tmp_path / "chart.pdf"
    path.write_bytes(example_pdf())
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert len(rows) == 2
    for row in rows:
        assert "DejaVuSans" in row
        assert "Helvetica" not in row
        assert row.split()[-5] == "yes"  # the "emb" column


def test_importing_the_pdf_chart_module_does_not_import_matplotlib() -> None:
    code = "import sys, briefing.render.pdf.drawing; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
