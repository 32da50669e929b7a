"""The one text path: right-to-left lines in UAX #9 order on the page, long tokens inside the
frame, markings never cut, the running header cut only between words.

Each RTL test reads the page with pdfplumber and compares the visual order of the glyphs
on each line (their x positions) after NFKC with ``get_display(line, base_dir='L')`` for a
one-line string, and for a wrapped paragraph with ``pageread``'s own UAX #9 oracle (levels
of the whole paragraph, then each line reordered; see ``test_rtl_paragraph``).
"""

from __future__ import annotations

import io

import pytest
import yaml
from pageread import expected, in_visual_order, page_lines
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate, Table

from briefing.errors import SourceInvalid
from briefing.render import RenderOptions, layout_errors, render
from briefing.render.pdf.breaking import split_points
from briefing.render.pdf.flowables import Para
from briefing.render.pdf.fonts import register_fonts
from briefing.render.pdf.markup import escape
from briefing.render.pdf.styles import geometry
from briefing.render.pdf.textpath import fit_words, has_rtl, visual_runs
from briefing.source.load import load

HOUTHIS = "Houthis (Ansar Allah, أنصار الله)"
BAB = "Bab el-Mandeb (باب المندب)"
HEBREW = "אחד שתיים"
TEXTS = [HEBREW, HOUTHIS, BAB]

BASE: dict = {
    "title": "Red Sea",
    "as_of": "2024-03-01",
    "summary": ["A bullet [@s1]."],
    "sources": [{"id": "s1", "title": "A source", "url": "https://example.org/"}],
}


def build(project, **changes: object) -> bytes:
    data = {**BASE, **changes}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path = project.source(text)
    return render(load(path, root=project.root), RenderOptions()).pdf


def narrow_pdf(text: str, width: float, *, in_table: bool) -> bytes:
    """``text`` in a paragraph (or a one-cell table) of ``width`` points."""
    register_fonts()
    style = ParagraphStyle("t", fontName="DejaVuSans", fontSize=10, leading=13)
    para = Para(escape(text), style)
    flow = Table([[para]], colWidths=[width + 12]) if in_table else para  # 6 pt padding
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    doc.build([flow] if in_table else [_Width(flow, width)])
    return buffer.getvalue()


class _Width(Table):
    """A paragraph held to ``width`` (a borderless one-cell table without padding)."""

    def __init__(self, para: Para, width: float) -> None:
        super().__init__([[para]], colWidths=[width])
        self.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])


# ---- the order of words on the page -------------------------------------------------


def test_the_oracle_is_what_the_page_must_match() -> None:
    """The reference itself: the Hebrew words swap, the brackets stay in place."""
    assert expected(HEBREW) == "םייתש דחא"
    assert expected(HOUTHIS).startswith("Houthis (Ansar Allah, ")
    assert expected(HOUTHIS).endswith(")")
    assert visual_runs(HEBREW) == [(0, 9, 1)]


@pytest.mark.parametrize("text", TEXTS)
def test_summary_bullet_prints_in_visual_order(project, text: str) -> None:
    lines = page_lines(build(project, summary=[f"{text}", "Other [@s1]."]))
    assert in_visual_order(text, lines, strip="■"), [line.text for line in lines[:12]]


@pytest.mark.parametrize("text", TEXTS)
def test_body_paragraph_prints_in_visual_order(project, text: str) -> None:
    pdf = build(project, sections=[{"heading": "Body", "body": f"{text}\n\nMore [@s1]."}])
    assert in_visual_order(text, page_lines(pdf))


@pytest.mark.parametrize("text", TEXTS)
def test_table_cell_prints_in_visual_order(project, text: str) -> None:
    pdf = build(project, actors=[{"name": text}, {"name": "Other"}])
    assert in_visual_order(text, page_lines(pdf))


@pytest.mark.parametrize("text", [HOUTHIS, BAB])
def test_banner_and_running_header_print_in_visual_order(project, text: str) -> None:
    body = "\n\n".join(["Paragraph [@s1]."] * 120)
    pdf = build(project, title=text, marking=text, sections=[{"heading": "B", "body": body}])
    lines = page_lines(pdf)
    banners = [line for line in lines if line.text == expected(text)]
    pages = max(line.page for line in lines) + 1
    assert pages >= 2
    # two banners a page, the title block on page 1, the running header on later pages
    assert len(banners) >= 2 * pages + 1 + (pages - 1)


@pytest.mark.parametrize("text", [HOUTHIS, BAB, f"{HEBREW} and {HOUTHIS} and {BAB}"])
@pytest.mark.parametrize("in_table", [False, True], ids=["paragraph", "cell"])
def test_wrapped_lines_are_each_in_visual_order(text: str, in_table: bool) -> None:
    """Widths that break the text after each word in turn, inside the RTL run too.

    (Line breaking measures Arabic in its isolated forms, a little wider than joined,
    so the widths here are measured the same way.)
    """
    register_fonts()
    words = text.split()
    for k in range(1, len(words)):
        width = stringWidth(" ".join(words[:k]), "DejaVuSans", 10) + 2
        if any(stringWidth(w, "DejaVuSans", 10) > width for w in words[k:]):
            continue  # a word wider than the line is split inside: not this test
        lines = page_lines(narrow_pdf(text, width, in_table=in_table))
        found = in_visual_order(text, lines)
        assert len(found) >= 2, (k, [line.text for line in lines])
        assert found[0].text == expected(" ".join(words[:k]))


def test_map_placeholder_labels_go_through_the_text_path(project) -> None:
    places = [
        {"name": "باب المندب", "lat": 12.6, "lon": 43.3},
        {"name": "الحديدة", "lat": 14.8, "lon": 42.95},
    ]
    pdf = build(project, map={"region": BAB, "places": places, "style": "placeholder"})
    texts = {line.text for line in page_lines(pdf)}
    assert expected(BAB) in texts
    assert any(expected("باب المندب") in t for t in texts)
    drawn = build(project, map={"region": BAB, "places": places})  # the locator map's names
    assert any(expected("باب المندب") in line.text for line in page_lines(drawn))


def test_chart_labels_go_through_the_text_path(project) -> None:
    events = [{"date": "2023-11-19", "label": "باب المندب"}, {"date": "2024-01-12", "label": "x"}]
    pdf = build(project, timeline={"events": events})
    assert any(expected("باب المندب") in line.text for line in page_lines(pdf))


def test_base_direction_is_left_to_right_even_for_an_rtl_first_word() -> None:
    """Decision (textpath): an English page; a line starting in Arabic stays LTR."""
    text = "أنصار الله attacked ships"
    start, end, level = visual_runs(text)[-1]  # "attacked ships" stays on the right
    assert (text[start:end].strip(), level) == ("attacked ships", 0)
    assert visual_runs(text)[0][2] == 1


# ---- nothing past the frame -----------------------------------------------------------

LONG_URL = "https://archive.example.org/reports/2024/red-sea?" + "&".join(
    f"k{i}=value{i}" for i in range(40)
)
BASE64_TAIL = "https://files.example.org/blob/" + ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY" * 7)[:200]


@pytest.mark.parametrize("token", [LONG_URL, BASE64_TAIL], ids=["query", "base64"])
def test_long_tokens_wrap_inside_the_frame_in_every_field(project, token: str) -> None:
    assert len(LONG_URL) >= 400
    pdf = build(
        project,
        summary=[f"See {token} now [@s1]."],
        key_facts=[{"label": "Where", "value": token}],
        timeline={"events": [{"date": "2024", "label": token, "detail": token}]},
        actors=[{"name": "A", "notes": token}, {"name": token}],
        sections=[{"heading": "Body", "body": f"Text {token} text."}],
        sources=[{"id": "s1", "title": "T", "url": token}],
    )
    g = geometry("A4")
    lines = page_lines(pdf)
    assert [line for line in lines if line.x1 > g.width - g.margin_x + 0.5] == []
    assert [line for line in lines if line.x0 < g.margin_x - 0.5] == []


def test_a_long_token_breaks_after_slash_query_and_ampersand_first() -> None:
    chars = list("aaaaaaaaaaaaaa/bbbbbbbbbbbb?ccccc=ddddddd&eeeeeeeeeeeee")
    cuts = split_points([5.0] * len(chars), chars, first=100, rest=100)
    pieces = ["".join(chars[a:b]) for a, b in zip([0, *cuts], [*cuts, len(chars)], strict=True)]
    assert pieces == ["aaaaaaaaaaaaaa/", "bbbbbbbbbbbb?ccccc=", "ddddddd&eeeeeeeeeeee", "e"]
    # a break character early in the line is not used: the line is filled instead
    early = split_points([5.0] * 30, list("ab/" + "c" * 27), first=100, rest=100)
    assert early == [20]
    anywhere = split_points([5.0] * 50, ["x"] * 50, first=100, rest=100)
    assert anywhere == [20, 40]


# ---- markings and the running header --------------------------------------------------


def test_a_marking_taking_two_lines_prints_whole(project) -> None:
    marking = "SECRET//REL TO USA, GBR, AUS, CAN, NZL//HANDLE VIA SPECIAL CHANNELS ONLY " * 2
    pdf = build(project, marking=marking.strip())
    top = [line.text for line in page_lines(pdf) if line.page == 0 and line.top < 45]
    assert len(top) == 2
    assert " ".join(top).split() == marking.split()
    assert "…" not in " ".join(top)


def test_a_marking_too_long_for_two_lines_is_a_located_error(project) -> None:
    marking = "RESTRICTED HANDLING CAVEAT " * 30
    text = yaml.safe_dump({**BASE, "marking": marking.strip()}, width=1000, sort_keys=False)
    path = project.source(text)
    briefing = load(path, root=project.root)
    errors = [str(e) for e in layout_errors(briefing)]
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if t.startswith("marking:"))
    assert len(errors) == 1
    assert errors[0].startswith(f"sources/x.yaml:{line}:10: marking: is too long for the banner")
    with pytest.raises(SourceInvalid):
        render(briefing, RenderOptions())


def test_the_running_header_cuts_the_organization_only_between_words(project) -> None:
    org = "Regional Security Europe Directorate for Maritime Affairs and Near East Analysis"
    body = "\n\n".join(["Paragraph [@s1]."] * 120)
    pdf = build(project, organization=org, sections=[{"heading": "B", "body": body}])
    header = [
        line.text for line in page_lines(pdf) if line.page == 1 and line.text.startswith("Red Sea")
    ]
    assert header
    shown = header[0].split("Red Sea", 1)[1].strip()
    assert shown.endswith("...")  # "…" after NFKC
    words = shown.removesuffix("...").split()
    assert len(words) >= 3
    assert words == org.split()[: len(words)]


def test_fit_words_rule() -> None:
    register_fonts()
    assert fit_words("Europe Directorate", "DejaVuSans", 8, 1000) == "Europe Directorate"
    assert fit_words("Europe Directorate", "DejaVuSans", 8, 40) == "Europe…"
    assert has_rtl(HOUTHIS)
    assert not has_rtl("Houthis")


def test_a_split_paragraph_keeps_the_lines_it_was_measured_with(project) -> None:
    """Found by the property test (and failing on main): ReportLab re-breaks a split's first
    part, and with tokens split inside that took a line more than measured, so the map
    caption no longer fit at the page foot ("Splitting error"). Its lines are kept now."""
    url = "https://files.example.org/blob/" + "QUJDREVGR0hJSktMTU5PUFFS" * 9
    hyphens = "a-" * 150
    title = " ".join(["أنصار", url[:247], "الله)", hyphens, "Bab"] * 6)
    region = " ".join(["Houthis", hyphens, "x" * 300, "el-Mandeb", "المندب", "*it*"] * 6)
    caption = " ".join([hyphens, "Bab", "الله" * 15, "2024", "Houthis"])
    places = [
        {"name": f"שתיים {LONG_URL}", "lat": 12.6, "lon": 43.3},
        {"name": f"{LONG_URL} {'x' * 400}", "lat": 15.3, "lon": 44.2},
    ]
    m = {"title": title, "region": region, "caption": caption, "places": places}
    assert page_lines(build(project, map=m))
