"""Property: whatever text a source holds — long URLs and tokens, RTL/LTR mixes, huge cells, in
every text field — no glyph of any page lies outside the page's text frame (horizontally:
the margins; vertically: the page), charts and map panel included.

Few examples and no deadline: each one renders a large document.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pdfplumber
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from briefing.render import RenderOptions, render
from briefing.render.fontfiles import ProjectFont
from briefing.render.pdf.styles import geometry
from briefing.source.load import load

WORDS = st.sampled_from(
    [
        "Houthis",
        "(Ansar",
        "Allah,",
        "أنصار",
        "الله)",
        "باب",
        "المندب",
        "אחד",
        "שתיים",
        "Bab",
        "el-Mandeb",
        "2024",
        "**bold**",
        "*it*",
        "AT&T",
        "<x>",
    ]
)
LONG = st.sampled_from(
    [
        "https://archive.example.org/a/b?" + "&".join(f"k{i}=v{i}" for i in range(45)),
        "https://files.example.org/blob/" + "QUJDREVGR0hJSktMTU5PUFFS" * 9,
        "x" * 300,
        "الله" * 60,
        "a-" * 150,
    ]
)


#: Names in scripts DejaVu lacks (drawn with tests/fonts, fallback fonts), and a long
#: Chinese run without spaces (broken between ideographs).
CJK_WORDS = st.sampled_from(
    ["台湾海峡", "(中华民国)", "国防部，", "「北京」", "대한민국", "नई", "दिल्ली", "ኢትዮጵያ", "Taipei"]
)
CJK_LONG = st.sampled_from(
    ["台湾海峡局势紧张。中华民国国防部表示，解放军舰机持续在台海周边活动。" * 6, "서울" * 80]
)
FALLBACK_FONTS = Path(__file__).parent / "fonts"


@st.composite
def texts(draw: st.DrawFn, max_words: int = 12, cjk: bool = False) -> str:
    pool = st.one_of(WORDS, LONG, CJK_WORDS, CJK_LONG) if cjk else st.one_of(WORDS, LONG)
    words = draw(st.lists(pool, min_size=1, max_size=max_words))
    repeat = draw(st.sampled_from([1, 1, 4]))  # sometimes a huge cell
    return " ".join(words * repeat)


@st.composite
def sources(draw: st.DrawFn, cjk: bool = False) -> dict:
    t = lambda n=12: draw(texts(n, cjk))  # noqa: E731
    return {
        "title": t(8),
        "subtitle": t(10),
        "as_of": "2024-03-01",
        "marking": draw(st.sampled_from(["OFFICIAL", "TLP:AMBER", "סודי – أنصار الله"])),
        "organization": t(8),
        "authors": [t(5)],
        "summary": [f"{t()} [@s1]" for _ in range(draw(st.integers(1, 3)))],
        "key_facts": [{"label": t(6), "value": t(6), "source": "s1"}],
        "map": {
            "title": t(6),
            "region": t(6),
            "caption": t(),
            "places": [
                {"name": t(3), "lat": 12.6, "lon": 43.3},
                {"name": t(3), "lat": 15.3, "lon": 44.2},
            ],
        },
        "timeline": {
            "title": t(6),
            "events": [
                {"date": "2023-11-19", "label": t(6), "detail": t(), "category": "military"},
                {"date": "2024-01-12", "label": t(6), "source": "s1"},
            ],
        },
        "actors": [
            {
                "name": t(4),
                "type": t(2),
                "role": t(),
                "alignment": t(),
                "ties": [t(3)],
                "notes": t(),
                "source": "s1",
            }
        ],
        "sections": [{"heading": t(6), "body": f"{t()}\n\n- {t()}\n- {t()}\n"}],
        "sources": [
            {
                "id": "s1",
                "title": t(10),
                "publisher": t(4),
                "url": "https://archive.example.org/x?" + "&".join(f"q{i}=v" for i in range(60)),
                "note": t(),
            }
        ],
    }


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure prints its example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=sources())
def test_no_glyph_leaves_the_text_frame(tmp_path_factory, data: dict) -> None:
    assert_inside_the_frame(tmp_path_factory, data, ())


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=sources(cjk=True))
def test_no_glyph_leaves_the_text_frame_with_fallback_fonts(tmp_path_factory, data: dict) -> None:
    """Chinese, Korean, Devanagari and Ethiopic from the project's fonts, wrapped too."""
    fonts = tuple(
        ProjectFont(p, f"fonts/{p.name}", hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(FALLBACK_FONTS.glob("*.ttf"))
    )
    assert_inside_the_frame(tmp_path_factory, data, fonts)


def assert_inside_the_frame(tmp_path_factory, data: dict, fonts: tuple) -> None:
    root = tmp_path_factory.mktemp("project")
    (root / "sources").mkdir()
    path = root / "sources" / "x.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pdf = render(load(path, root=root), RenderOptions(fonts=fonts)).pdf  # never a LayoutError
    g = geometry("A4")
    outside = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            for c in page.chars:
                if not c["text"].strip():
                    continue
                if (
                    c["x0"] < g.margin_x - 0.5
                    or c["x1"] > g.width - g.margin_x + 0.5
                    or c["top"] < 0
                    or c["bottom"] > g.height
                ):
                    outside.append((number, c["text"], round(c["x0"]), round(c["x1"])))
    assert outside[:10] == []
