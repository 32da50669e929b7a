"""``verify`` on the texts most likely to fool it: locators made of digits (``[@a, 12]``
prints ``[1, 12]``, like two citations), brackets typed as text (``[3]``, escaped ``\\[@a]``),
the same in Arabic and Hebrew, citations in table cells and key facts, a text split by a
page break, and one text written in several fields.

Each good PDF verifies with no problem, and each is then printed wrong on purpose (the
briefing handed to the renderer is changed, the one verified is not): exactly the lost
text is reported, at its key path.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from briefing.model import Briefing
from briefing.publish.verify import verify_pdf
from briefing.render import RenderOptions, render
from briefing.source.load import check, load
from briefing.source.markdown import parse_inline, plain

# Backslashes are the YAML's own: "\\[" in a double-quoted scalar is the text \[ .
SOURCE = r"""
title: Edge cases of verify
as_of: 2024-03-01
summary:
  - "Casualties rose sharply [@a, 12]."
  - "A literal \\[3\\] typed in a bullet, and an escaped \\[@a\\] too."
  - "Bare [8] and [14–15] typed without escapes."
  - "قال المتحدث [3] إن الوضع \\[@a\\] خطير [@a, 12]"
  - "הוא אמר [7] כך \\[@b\\] היום [@b, 4]"
key_facts:
  - {label: "Displaced [@a, 16]", value: "7.1 million [@b, 3]"}
  - {label: "Literal", value: "see \\[2\\] and [9]"}
  - {label: "Same text", value: "Repeated text in two fields."}
actors:
  - {name: "Army [@a]", role: "Holds [12] bases [@a, 12]", notes: "Repeated text in two fields."}
  - name: RSF
    role: "Paramilitary [@b, 7; @a]"
    notes: "Says \\[@b\\] literally; العربية [5] نص"
  - name: "Tall"
    notes: "LONG"
sections:
  - heading: Background
    body: |
      Repeated text in two fields.

      A paragraph citing a locator of digits [@a, 2024] and a literal \[1999] year.
sources:
  - {id: a, title: Source A, publisher: Desk}
  - {id: b, title: Source B, publisher: Desk}
"""
#: A cell long enough to run over a page break, with typed brackets and citations in it.
LONG = " ".join(
    f"Clause {n} \\\\[{n}\\\\] of the accord [@a, {n}]." if n % 40 == 0 else f"filler{n}"
    for n in range(1, 1200)
)


@pytest.fixture(scope="module")
def briefing(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    root = tmp_path_factory.mktemp("edges")
    (root / "sources").mkdir()
    path = root / "sources" / "edge.yaml"
    path.write_text(SOURCE.replace("LONG", LONG), encoding="utf-8")
    assert check(path, root=root) == []
    return load(path, root=root)


@pytest.fixture(scope="module")
def good(briefing: Briefing) -> tuple[bytes, int]:
    out = render(briefing, RenderOptions())
    return out.pdf, out.pages


def reported(b: Briefing, printed_as: Briefing) -> list[str]:
    """Verify ``b`` against the PDF of ``printed_as``: the key paths reported."""
    out = render(printed_as, RenderOptions())
    return [str(p).split(": ")[1] for p in verify_pdf(b, out.pdf, name="x.pdf", pages=out.pages)]


def test_escaped_brackets_are_text_and_unescaped_citations_still_parse() -> None:
    runs = parse_inline(r"a \[@a] and \[3\] x [@b] \\[@c]")
    assert [r.text for r in runs if r.cite] == ["[@b]", "[@c]"]
    assert plain(r"a \[@a] and \[3\] x") == "a [@a] and [3] x"


def test_every_edge_verifies(briefing: Briefing, good: tuple[bytes, int]) -> None:
    pdf, pages = good
    assert pages >= 2  # the tall row runs over a page break
    assert verify_pdf(briefing, pdf, name="x.pdf", pages=pages) == []


def test_literal_brackets_print_as_typed(good: tuple[bytes, int]) -> None:
    from pdfcheck import all_text, reader

    text = " ".join(all_text(reader(good[0])).split())
    for shown in ("escaped [@a] too", "Says [@b] literally", "[1, 12]", "literal [1999] year"):
        assert shown in text, shown


def _summary(b: Briefing, index: int, text: str) -> Briefing:
    summary = list(b.summary)
    summary[index] = text
    return dataclasses.replace(b, summary=tuple(summary))


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Casualties rose [@a, 12]."),  # a word lost before a digit locator
        (1, "A literal typed in a bullet, and an escaped \\[@a\\] too."),
        (3, "قال [3] إن الوضع \\[@a\\] خطير [@a, 12]"),  # an Arabic word lost
        (4, "הוא אמר [7] כך \\[@b\\] [@b, 4]"),  # a Hebrew word lost
    ],
)
def test_a_word_lost_from_a_bullet_is_reported(briefing: Briefing, index: int, text: str) -> None:
    assert reported(briefing, _summary(briefing, index, text)) == [f"summary[{index}]"]


def test_a_lost_key_fact_value_with_a_citation_is_reported(briefing: Briefing) -> None:
    facts = list(briefing.key_facts)
    facts[0] = dataclasses.replace(facts[0], value="7.1 [@b, 3]")
    assert reported(briefing, dataclasses.replace(briefing, key_facts=tuple(facts))) == [
        "key_facts[0].value"
    ]


def test_a_lost_cell_with_brackets_and_citations_is_reported(briefing: Briefing) -> None:
    actors = list(briefing.actors)
    actors[0] = dataclasses.replace(actors[0], role="Holds bases [@a, 12]")
    actors[1] = dataclasses.replace(actors[1], notes="Says literally; العربية [5] نص")
    assert reported(briefing, dataclasses.replace(briefing, actors=tuple(actors))) == [
        "actors[0].role",
        "actors[1].notes",
    ]


@pytest.mark.parametrize("where", ["key_facts[2].value", "actors[0].notes", "sections[0].body"])
def test_a_repeated_text_lost_from_one_field_is_reported(briefing: Briefing, where: str) -> None:
    b = briefing
    if where.startswith("key_facts"):
        facts = (*b.key_facts[:2], dataclasses.replace(b.key_facts[2], value="Other."))
        changed = dataclasses.replace(b, key_facts=facts)
    elif where.startswith("actors"):
        actors = (dataclasses.replace(b.actors[0], notes="Other."), *b.actors[1:])
        changed = dataclasses.replace(b, actors=actors)
    else:
        body = b.sections[0].body.replace("Repeated text in two fields.", "Other.")
        changed = dataclasses.replace(b, sections=(dataclasses.replace(b.sections[0], body=body),))
    assert reported(b, changed) == [where]


def test_a_text_split_by_a_page_break_that_loses_a_clause_is_reported(
    briefing: Briefing,
) -> None:
    notes = briefing.actors[2].notes
    assert notes is not None
    cut = notes.replace("Clause 600", "Clause")
    actors = (*briefing.actors[:2], dataclasses.replace(briefing.actors[2], notes=cut))
    assert reported(briefing, dataclasses.replace(briefing, actors=actors)) == ["actors[2].notes"]


def test_a_citation_number_no_locator_explains_is_still_reported(
    briefing: Briefing, tmp_path: Path
) -> None:
    # "[@a, 12]" allows a 12 inside brackets; a cited [6] (a renderer numbering a source
    # that does not exist) is still caught
    summary = _summary(briefing, 2, "Bare [8] and [14–15] typed without escapes [6].")
    pdf = render(summary, RenderOptions())
    found = [str(p) for p in verify_pdf(briefing, pdf.pdf, name="x.pdf", pages=pdf.pages)]
    assert any("cites [6], but the sources list has 2 entries" in line for line in found), found


def test_a_typed_bracket_in_arabic_alone_on_the_page_verifies(project) -> None:
    # Bidi may keep "[3]" whole (read back as a citation mark and dropped) or move its
    # brackets apart: either way the digits are not a word the page must show elsewhere.
    path = project.source(
        'title: T\nas_of: 2024-01-01\nsummary:\n  - "قال المتحدث [4] إن الوضع خطير"\n'
        '  - "הוא אמר [7] כך"\n  - "نص العربية [5] and more"\n'
    )
    b = load(path, root=project.root)
    out = render(b, RenderOptions())
    assert verify_pdf(b, out.pdf, name="x.pdf", pages=out.pages) == []
