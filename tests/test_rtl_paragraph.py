"""Right-to-left order across line breaks: UAX #9 resolves a paragraph's levels once, then
reorders each broken line (L1, L2). A bracket pair or a run of neutrals split by a line
break keeps the direction it has in the whole paragraph.

Every check reads the page back (pdfplumber: glyphs by x position). The expected lines are
written out by hand here, and the general oracle (``pageread.paragraph_levels``) is written
independently of ``briefing``; it is checked against python-bidi on unbroken lines.
"""

from __future__ import annotations

import pytest
from pageread import expected, in_visual_order, nfkc, page_lines, paragraph_levels, visual_line
from reportlab.pdfbase.pdfmetrics import stringWidth
from test_text_path import build, narrow_pdf

from briefing.render.pdf.fonts import register_fonts
from briefing.render.pdf.styles import geometry


def rev(text: str) -> str:
    """A right-to-left word as the page shows it: its letters right to left."""
    return text[::-1]


PERSIAN = "held on ۱۵ تیر ۱۴۰۳ (15 Tir 1403), that is"
HEBREW_BRACKET = "The talks in ירושלים (12 rounds) went on"
ARABIC_BRACKET = "The statement of الحكومة (وزارة الدفاع) was read"
HEBREW_NEUTRAL = "The list read אחד, שתיים today"
ARABIC_NEUTRAL = "The banner said نور - حرب in red"

#: (paragraph, its first line as broken, the page's lines in visual order, by hand)
CASES = [
    pytest.param(
        PERSIAN,
        "held on ۱۵ تیر ۱۴۰۳ (15 Tir",
        [f"held on ۱۵ ۱۴۰۳ {rev('تیر')} (15 Tir", "1403), that is"],
        id="persian-date-bracket",
    ),
    pytest.param(
        HEBREW_BRACKET,
        "The talks in ירושלים (12",
        [f"The talks in {rev('ירושלים')} (12", "rounds) went on"],
        id="hebrew-bracket",
    ),
    pytest.param(
        ARABIC_BRACKET,
        "The statement of الحكومة (وزارة",
        # the closing bracket belongs to the Arabic run (N0): mirrored, on its left
        [f"The statement of {rev('وزارة')}) {rev('الحكومة')}", f"({rev('الدفاع')} was read"],
        id="arabic-bracket",
    ),
    pytest.param(
        HEBREW_NEUTRAL,
        "The list read אחד,",
        # the comma sits between two Hebrew words in the paragraph: right to left
        [f"The list read ,{rev('אחד')}", f"{rev('שתיים')} today"],
        id="hebrew-neutral",
    ),
    pytest.param(
        ARABIC_NEUTRAL,
        "The banner said نور -",
        [f"The banner said - {rev('نور')}", f"{rev('حرب')} in red"],
        id="arabic-neutral",
    ),
]


def test_the_oracle_agrees_with_python_bidi_on_unbroken_lines() -> None:
    """One unbroken line is its own paragraph: the oracle must give python-bidi's order
    (python-bidi does not mirror brackets; HarfBuzz does, and so does the oracle)."""
    neutral = str.maketrans("()[]", "||||")
    for text, *_ in [case.values for case in CASES]:
        levels = paragraph_levels(text)
        mine = visual_line(text, levels, 0, len(text))
        assert mine.translate(neutral) == expected(text).translate(neutral), text


@pytest.mark.parametrize(("text", "first", "want"), CASES)
def test_the_oracle_matches_the_hand_written_lines(text: str, first: str, want: list) -> None:
    levels = paragraph_levels(text)
    got = [
        visual_line(text, levels, 0, len(first)),
        visual_line(text, levels, len(first) + 1, len(text)),
    ]
    assert got == [nfkc(w) for w in want]


@pytest.mark.parametrize(("text", "first", "want"), CASES)
@pytest.mark.parametrize("in_table", [False, True], ids=["paragraph", "cell"])
def test_a_line_break_keeps_the_paragraph_direction(
    text: str, first: str, want: list, in_table: bool
) -> None:
    register_fonts()
    width = stringWidth(first, "DejaVuSans", 10) + 2
    lines = page_lines(narrow_pdf(text, width, in_table=in_table))
    assert [line.text for line in lines[:2]] == [nfkc(w) for w in want]
    assert len(in_visual_order(text, lines)) == 2


def test_the_reproduction_in_a_section_body(project) -> None:
    """The adversary's case: a body line that breaks after "(15 Tir" printed
    "held on ۱۵ 15) ۱۴۰۳ ریت Tir" (the bracket lost its pair and its direction)."""
    register_fonts()
    room = geometry("A4").frame_width
    filler: list[str] = []
    while (
        stringWidth(" ".join([*filler, "w", "held on ۱۵ تیر ۱۴۰۳ (15 Tir"]), "DejaVuSans", 9.5)
        < room
    ):
        filler.append("w")
    head = " ".join([*filler, "held on ۱۵ تیر ۱۴۰۳ (15 Tir"])
    assert stringWidth(head + " 1403),", "DejaVuSans", 9.5) > room
    body = f"{' '.join(filler)} {PERSIAN} 5 July 2024."
    pdf = build(project, sections=[{"heading": "Election", "body": body}])
    lines = [line.text for line in page_lines(pdf)]
    want = nfkc(f"{' '.join(filler)} held on ۱۵ ۱۴۰۳ {rev('تیر')} (15 Tir")
    assert want in lines, lines
    assert "1403), that is 5 July 2024." in lines
    assert not any("15)" in line for line in lines)
    assert in_visual_order(body, page_lines(pdf))


URL = "https://archive.example.org/reports/2024/red-sea?" + "&".join(f"k{i}={i}" for i in range(12))


@pytest.mark.parametrize(
    "parts",
    [
        [f"See {URL} and باب المندب now"],
        ["中文句子没有空格" * 8 + " عربي"],
        ["a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f-g عربي"],
        ["bold", f" {URL} x عربي and some more words to break at spaces"],
        ["中文句子", "没有空格" * 9 + " عربي"],
    ],
    ids=["url", "cjk", "hyphens", "styled-url", "styled-cjk"],
)
def test_the_lines_join_back_into_the_paragraph(parts: list[str]) -> None:
    """The paragraph text resolved for the levels is the source text: a break at a space
    gives the space back, a break inside a token or between ideographs gives nothing."""
    from briefing.render.pdf import paralines
    from briefing.render.pdf.flowables import Para
    from briefing.render.pdf.markup import escape
    from briefing.render.pdf.styles import make_styles

    register_fonts()
    markup = "".join(f"<b>{escape(p)}</b>" if i % 2 else escape(p) for i, p in enumerate(parts))
    para = Para(markup, make_styles().body)
    para.wrap(120, 10_000)
    bl = para.blPara
    if bl.kind == 0:
        texts = [" ".join(words) for _, words in bl.lines]
    else:
        texts = [paralines._line_text(line.words)[0] for line in bl.lines]
    assert len(texts) >= 3
    assert bl.kind == (0 if len(parts) == 1 else 1)
    gaps = paralines._breaks(bl, para.frags, texts)
    assert "".join(t + g for t, g in zip(texts, [*gaps, ""], strict=True)) == "".join(parts)


@pytest.mark.parametrize("styled", [False, True], ids=["plain", "styled"])
def test_each_part_of_a_split_paragraph_resolves_its_own_text(monkeypatch, styled: bool) -> None:
    """A paragraph split across pages is drawn in parts; each part's lines join back into
    its piece of the source text (the words the breaker moved whole, cut, or kept)."""
    import io

    from reportlab.platypus import SimpleDocTemplate

    from briefing.render.pdf import paralines
    from briefing.render.pdf.flowables import Para
    from briefing.render.pdf.markup import escape
    from briefing.render.pdf.styles import make_styles

    register_fonts()
    parts = [f"word {URL} باب (المندب) and " * 3] * 40
    markup = "".join(
        f"<b>{escape(p)}</b>" if styled and i % 2 else escape(p) for i, p in enumerate(parts)
    )
    seen: list[str] = []
    breaks = paralines._breaks

    def spy(bl: object, frags: list | None, texts: list[str]) -> list[str]:
        gaps = breaks(bl, frags, texts)
        seen.append("".join(t + g for t, g in zip(texts, [*gaps, ""], strict=True)))
        return gaps

    monkeypatch.setattr(paralines, "_breaks", spy)
    SimpleDocTemplate(io.BytesIO()).build([Para(markup, make_styles().body)])
    assert len(seen) >= 3
    assert all(text in "".join(parts) for text in seen)
