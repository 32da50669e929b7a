"""Project fallback fonts (``fonts/``): scripts DejaVu lacks print in the project's fonts.

The fonts are tiny subsets of Noto (OFL, see tests/fonts/OFL.txt) holding the characters
these tests print; the sample source is docs/examples/fonts-sample.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from conftest import Project
from pdfcheck import all_text, reader, squash
from test_build import invoke

from briefing.render import RenderOptions, render
from briefing.render.fontfiles import project_fonts
from briefing.render.pdf.styles import geometry
from briefing.source.load import load

FONTS = Path(__file__).parent / "fonts"
SAMPLE = (
    Path(__file__).parent.parent
    / "docs"
    / "examples"
    / "fonts-sample"
    / "sources"
    / "names-in-their-script.yaml"
)
CJK = "NotoSansCJKsc-subset.ttf"
DEVANAGARI = "NotoSansDevanagari-Regular.ttf"
DEVANAGARI_BOLD = "NotoSansDevanagari-Bold.ttf"
ETHIOPIC = "NotoSansEthiopic-Regular.ttf"
CFF = "NotoSansCJKsc-subset-cff.otf"
ALL = (CJK, DEVANAGARI, DEVANAGARI_BOLD, ETHIOPIC)


def add_fonts(project: Project, *names: str) -> None:
    for name in names:
        project.write(f"fonts/{name}", (FONTS / name).read_bytes())


def sample(project: Project) -> Path:
    return project.write("sources/names.yaml", SAMPLE.read_bytes())


def script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("CJK", "HANGUL", "DEVANAGARI", "ETHIOPIC", "MYANMAR"):
        if name.startswith(script) or f" {script} " in f" {name} ":
            return script
    if "IDEOGRAPHIC" in name or "FULLWIDTH" in name:
        return "CJK"
    return "other"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample built with every test font: the PDF and the build's output."""
    project = Project(tmp_path_factory.mktemp("fonts") / "project")
    sample(project)
    add_fonts(project, *ALL)
    result = invoke(project.root, "build")
    assert result.exit_code == 0, result.output
    return project.root / "dist" / "names.pdf", result.output


def test_every_script_prints_in_its_fallback_font(built: tuple[Path, str]) -> None:
    pdf, _ = built
    expected = {
        "CJK": "NotoSansCJKsc-Regular",
        "HANGUL": "NotoSansCJKsc-Regular",
        "DEVANAGARI": "NotoSansDevanagari-",  # Regular, or Bold for bold text
        "ETHIOPIC": "NotoSansEthiopic-Regular",
        "other": "DejaVuSans",
    }
    wrong: list[tuple[str, str]] = []
    seen: set[str] = set()
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for c in page.chars:
                text = c["text"]
                if not text.strip() or len(text) != 1 or 0xE000 <= ord(text) <= 0xF8FF:
                    continue  # a shaped glyph of its own (a conjunct) maps to private use
                script = script_of(text)
                seen.add(script)
                base = c["fontname"].split("+", 1)[-1]
                if script == "MYANMAR":
                    continue  # no project font has it: DejaVu's box, and a warning
                if not base.startswith(expected[script]):
                    wrong.append((text, base))
    assert wrong[:10] == []
    assert {"CJK", "HANGUL", "DEVANAGARI", "ETHIOPIC", "other"} <= seen
    fonts = {f.split("+", 1)[-1] for f in _font_names(pdf)}
    assert "NotoSansDevanagari-Bold" in fonts  # the bold key fact value: the -Bold file


def _font_names(pdf: Path) -> set[str]:
    with pdfplumber.open(pdf) as doc:
        return {c["fontname"] for page in doc.pages for c in page.chars}


def test_the_text_reads_back_as_written(built: tuple[Path, str]) -> None:
    pdf, _ = built
    text = squash(all_text(reader(pdf)))
    for written in (
        "台湾海峡局势紧张。中华民国国防部表示，解放军舰机持续在台海周边活动。",  # wrapped
        "Taiwan Strait (台湾海峡) and Korea",  # title
        "대한민국 국방부",  # key fact, actor table, chart label
        "ኢትዮጵያ (Ethiopia)",  # actor table
        "ጠቅላይ ሚኒስትር (Prime Minister) in አዲስ አበባ",
        "上海 and 北京 react",  # chronology
        "서울",  # map label
        "台北 Taipei",
    ):
        assert squash(written) in text, written


def test_chart_and_map_labels_use_the_fallback_font(built: tuple[Path, str]) -> None:
    """The timeline's and map's labels are canvas strings (``Mixed``), not paragraphs."""
    pdf, _ = built
    with pdfplumber.open(pdf) as doc:
        words = [
            (w["text"], w["fontname"].split("+", 1)[-1])
            for page in doc.pages
            for w in page.extract_words(extra_attrs=["fontname"], keep_blank_chars=False)
        ]
    chart = [font for text, font in words if text == "北京" or text.startswith("北京")]
    assert chart
    assert all(f == "NotoSansCJKsc-Regular" for f in chart)


def test_nothing_lies_outside_the_frame(built: tuple[Path, str]) -> None:
    pdf, _ = built
    g = geometry("A4")
    outside = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages):
            for c in page.chars:
                if c["text"].strip() and (
                    c["x0"] < g.margin_x - 0.5 or c["x1"] > g.width - g.margin_x + 0.5
                ):
                    outside.append((number, c["text"], round(c["x0"]), round(c["x1"])))
    assert outside == []


def test_a_chinese_paragraph_breaks_between_ideographs(built: tuple[Path, str]) -> None:
    """The first body paragraph (no spaces) fills its lines, and no line starts with
    closing punctuation."""
    pdf, _ = built
    with pdfplumber.open(pdf) as doc:
        lines = [line for page in doc.pages for line in (page.extract_text() or "").splitlines()]
    body = [line for line in lines if line.startswith(("台湾海峡局势", "表示", "动"))]
    chinese = [line for line in lines if line and "\u4e00" <= line[0] <= "\u9fff"]
    assert len(chinese) >= 3
    assert not [line for line in lines if line[:1] in "，。、）」"]
    assert body


def test_the_preflight_counts_the_project_fonts(built: tuple[Path, str]) -> None:
    _, output = built
    warned = [line for line in output.splitlines() if "has no glyph" in line]
    assert warned, output
    assert all("sections[1].body" in line for line in warned), warned  # Myanmar only
    assert any("U+1019" in line for line in warned)


def test_without_the_fonts_every_such_character_is_warned(project: Project) -> None:
    sample(project)
    result = invoke(project.root, "check")
    assert "U+53F0 '台' has no glyph in DejaVu Sans" in result.output
    assert "U+1260 'በ' has no glyph in DejaVu Sans" in result.output
    add_fonts(project, *ALL)
    result = invoke(project.root, "check")
    assert "'台'" not in result.output
    assert "'በ'" not in result.output
    assert "U+1019 'မ' has no glyph in DejaVu Sans" in result.output


def test_adding_or_changing_a_font_rebuilds(project: Project) -> None:
    project.source('title: "台湾"\nas_of: 2024-03-01\nsummary:\n  - 中华民国.\n')
    assert invoke(project.root, "build").exit_code == 0
    assert "1 up to date" in invoke(project.root, "build").output
    add_fonts(project, CJK)
    result = invoke(project.root, "build")
    assert "1 built" in result.output
    assert "has no glyph" not in result.output
    assert "1 up to date" in invoke(project.root, "build").output
    font = project.root / "fonts" / CJK
    font.write_bytes(font.read_bytes() + b"\0\0\0\0")  # padded: still the same font
    assert "1 built" in invoke(project.root, "build").output
    (project.root / "fonts" / "README.md").write_text("notes are not fonts\n")
    assert "1 up to date" in invoke(project.root, "build").output


def test_a_cff_font_is_refused_with_one_located_line(project: Project) -> None:
    project.source('title: "台湾"\nas_of: 2024-03-01\nsummary:\n  - 中华民国 ኢትዮጵያ.\n')
    add_fonts(project, CFF, ETHIOPIC)
    result = invoke(project.root, "build")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("fonts/")]
    assert lines == [
        f"fonts/{CFF}: has CFF (PostScript) outlines, which cannot be embedded: briefing "
        "embeds TrueType (glyf) fonts only; use the family's .ttf version or convert the "
        "font to TrueType outlines (docs/fonts.md); the font is not used"
    ]
    assert (project.root / "dist" / "x.pdf").is_file()  # built, without that font
    assert "U+53F0 '台' has no glyph" in result.output  # what it would have drawn
    assert "'ኢ'" not in result.output  # the other font still counts
    assert "Traceback" not in result.output
    check = invoke(project.root, "check")
    assert check.exit_code == 1
    assert f"fonts/{CFF}: has CFF" in check.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.ttf", b"this is not a font\n", "is not a TrueType font file (.ttf or .ttc)"),
        ("cut.ttf", (FONTS / CJK).read_bytes()[:3000], "is not a usable TrueType font ("),
        ("junk.ttc", b"ttcf\0\1\0\0\0\0\0\1\0\0\0\20" + b"\1" * 64, "is not a TrueType font"),
    ],
)
def test_a_broken_font_file_is_one_line_not_a_traceback(
    project: Project, name: str, content: bytes, message: str
) -> None:
    project.source('title: "Plain"\nas_of: 2024-03-01\nsummary:\n  - Plain text.\n')
    project.write(f"fonts/{name}", content)
    result = invoke(project.root, "build")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("fonts/")]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"fonts/{name}: {message}"), result.output
    assert "Traceback" not in result.output
    assert (project.root / "dist" / "x.pdf").is_file()


def test_fonts_are_used_in_file_name_order_and_only_from_the_project(project: Project) -> None:
    project.write("fonts/b.ttf", (FONTS / ETHIOPIC).read_bytes())
    project.write("fonts/a.ttf", (FONTS / CJK).read_bytes())
    project.write("fonts/sub/c.ttf", (FONTS / DEVANAGARI).read_bytes())  # not a subfolder
    assert [f.shown for f in project_fonts(project.root)] == ["fonts/a.ttf", "fonts/b.ttf"]


def test_a_render_without_fonts_is_unchanged_after_one_with_them(project: Project) -> None:
    """The fallbacks are per render: the next render without them is byte for byte the same."""
    path = project.source('title: "Plain"\nas_of: 2024-03-01\nsummary:\n  - Plain text.\n')
    b = load(path, root=project.root)
    before = render(b, RenderOptions()).pdf
    add_fonts(project, *ALL)
    with_fonts = render(b, RenderOptions(fonts=project_fonts(project.root))).pdf
    assert with_fonts == before  # a font no character needs is not embedded
    source = 'title: "台湾"\nas_of: 2024-03-01\nsummary:\n  - 北京.\n'
    chinese = load(project.source(source, "c.yaml"), root=project.root)
    fonts = RenderOptions(fonts=project_fonts(project.root))
    assert b"NotoSansCJK" in render(chinese, fonts).pdf
    assert render(b, RenderOptions()).pdf == before


def test_chart_label_width_is_the_drawn_width(project: Project) -> None:
    from briefing.render.charts.measure import font_metrics
    from briefing.render.pdf.drawing import measure_text
    from briefing.render.pdf.fonts import use_fallbacks

    add_fonts(project, *ALL)
    use_fallbacks(project_fonts(project.root))
    try:
        for text, face in (
            ("台湾海峡 and 北京", "regular"),
            ("대한민국 국방부", "bold"),
            ("ኢትዮጵያ (Ethiopia)", "italic"),
        ):
            assert font_metrics().width(text, face, 8) == pytest.approx(
                measure_text(text, face, 8), abs=0.05
            ), text
    finally:
        use_fallbacks(())


def test_drawing_cache_keys_include_the_fonts(project: Project) -> None:
    from briefing.render.cache import key_of
    from briefing.render.pdf.fonts import use_fallbacks

    plain = key_of("timeline", "北京")
    add_fonts(project, CJK)
    use_fallbacks(project_fonts(project.root))
    try:
        assert key_of("timeline", "北京") != plain
    finally:
        use_fallbacks(())
    assert key_of("timeline", "北京") == plain


def test_watch_rebuilds_everything_when_a_font_changes(project: Project) -> None:
    from briefing.cli.watch import Watch, WatchOptions

    a = project.source('title: "A"\nas_of: 2024-03-01\nsummary:\n  - A.\n', "a.yaml").resolve()
    b = project.source('title: "B"\nas_of: 2024-03-01\nsummary:\n  - B.\n', "b.yaml").resolve()
    (project.root / "fonts").mkdir()
    session = Watch(
        root=project.root,
        out=project.root / "dist",
        sources=None,
        listener=None,  # type: ignore[arg-type]
        options=WatchOptions(),
    )
    session.known = session.current_sources()
    assert (project.root / "fonts").resolve() in session.folders()
    assert session.next_round({(project.root / "fonts" / "x.ttf").resolve()}) == [a, b]
    assert session.next_round({(project.root / "assets" / "x.png").resolve()}) == []


def test_a_short_chinese_run_fills_the_line_it_starts_on(built: tuple[Path, str]) -> None:
    """ "…said that 解放军…" breaks inside the Chinese run, not before it."""
    pdf, _ = built
    with pdfplumber.open(pdf) as doc:
        lines = [line for page in doc.pages for line in (page.extract_text() or "").splitlines()]
    first = next(line for line in lines if line.startswith("English text mixed with Chinese"))
    assert "said that 解放军" in first


def test_break_opportunities_between_ideographs() -> None:
    from briefing.render.pdf.breaking import split_points
    from briefing.render.pdf.cjkbreak import can_break, fitting_cut

    assert can_break("中国", 1)
    assert can_break("a中", 1)  # between a Latin letter and an ideograph too
    assert not can_break("ab", 1)
    assert not can_break("대한", 1)  # Korean keeps its words whole (it has spaces)
    assert not can_break("中，", 1)  # closing punctuation never starts a line
    assert not can_break("（中", 1)  # nor does opening punctuation end one
    assert fitting_cut("中国，台湾", [1.0] * 5, 2.5) == 1  # not before "，"
    assert fitting_cut("中国台湾", [1.0] * 4, 2.5) == 2
    assert fitting_cut("中国", [1.0] * 2, 2.5) is None  # fits whole
    # a long run on a full line: cut at the last opportunity that fits, never before "。"
    assert split_points([1.0] * 8, "中国台湾。北京上", 4.5, 4.5) == [3, 7]
    assert split_points([1.0] * 6, "abcdef", 4.5, 4.5) == [4]  # Latin: unchanged
