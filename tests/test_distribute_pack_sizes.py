# ruff: noqa: E501 (the YAML is compared whole)
"""Packs whose members have different page sizes (A4 and Letter), read back page by page:
each page keeps its member's size, the pack's page number and a copy's stamp sit in that
page's own footer (where the member's own number was), and the contents links land."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from distkit import log_records, run, source, write_project
from pypdf import PdfReader

from briefing.render.pdf.stamp import stamp_box

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

DIST = """\
from: {name: Desk, organization: MFA}
recipients:
  - {id: minister, name: "Minister for Very Long Titles, Protocol, Ceremonies and the Coordination of Regional Affairs", organization: MFA, cleared: TLP:AMBER}
packs:
  - {id: book, title: Morning Read-Book, briefings: [nk, sea, gulf]}
routes:
  - {packs: book, to: [minister]}
"""


def sized(text: str, page_size: str) -> str:
    return text.replace("summary:", f"page_size: {page_size}\nsummary:", 1)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(
        tmp_path_factory.mktemp("sizes"),
        {
            "nk": sized(source("Nagorno-Karabakh", marking="TLP:GREEN"), "A4"),
            "sea": sized(source("Red Sea", marking="TLP:AMBER", as_of="2024-01-15"), "letter"),
            "gulf": sized(source("Gulf", marking="TLP:GREEN"), "A4"),
        },
        DIST,
    )
    result = run(root, "distribute", "--send")
    assert result.exit_code == 0, result.output
    return root


def words(pdf: bytes) -> list[tuple[tuple[float, float], list[dict]]]:
    """Each page's size and its words (pdfplumber: x0, x1, top, bottom from the top left)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [
            ((round(float(p.width), 2), round(float(p.height), 2)), p.extract_words())
            for p in doc.pages
        ]


def line_at(page_words: list[dict], first: str) -> list[dict]:
    """The words on the line of the (last) word ``first``, left to right."""
    anchor = [w for w in page_words if w["text"] == first][-1]
    return sorted(
        (w for w in page_words if abs(w["bottom"] - anchor["bottom"]) < 1.5), key=lambda w: w["x0"]
    )


def member_pages(desk: Path) -> list[tuple[str, int]]:
    return [
        (bid, len(PdfReader(desk / "dist" / f"{bid}.pdf").pages)) for bid in ("nk", "sea", "gulf")
    ]


def test_each_member_page_keeps_its_size_and_numbers_run_through(desk: Path) -> None:
    pack = (desk / "dist" / "packs" / "book.pdf").read_bytes()
    pages = words(pack)
    expected = [A4]  # the cover takes the first member's size
    for bid, count in member_pages(desk):
        expected += [LETTER if bid == "sea" else A4] * count
    assert [size for size, _ in pages] == expected
    total = len(pages)
    for number, ((width, height), page_words) in enumerate(pages, start=1):
        footer = line_at(page_words, "Page")
        text = " ".join(w["text"] for w in footer)
        assert text.endswith(f"Page {number} of {total}"), (number, text)
        assert text.count("Page") == 1  # the member's own number is gone
        right = footer[-1]["x1"]
        assert width - 60 < right <= width - 50, (number, right, width)  # the page's margin
        assert height - 60 < footer[-1]["bottom"] < height, (number, footer[-1])


def test_pack_numbers_sit_where_each_member_printed_its_own(desk: Path) -> None:
    pack = words((desk / "dist" / "packs" / "book.pdf").read_bytes())
    start = 1
    for bid, count in member_pages(desk):
        own = words((desk / "dist" / f"{bid}.pdf").read_bytes())
        for k in range(count):
            mine = line_at(own[k][1], "Page")[-1]
            packed = line_at(pack[start + k][1], "Page")[-1]
            assert packed["x1"] == pytest.approx(mine["x1"], abs=0.5), (bid, k)
            assert packed["bottom"] == pytest.approx(mine["bottom"], abs=0.5), (bid, k)
        start += count


def test_contents_rows_link_to_each_member_first_page(desk: Path) -> None:
    reader = PdfReader(desk / "dist" / "packs" / "book.pdf")
    targets = [
        reader.get_page_number(annot.get_object()["/Dest"][0].get_object())
        for annot in reader.pages[0]["/Annots"]
    ]
    first, starts = 1, []
    for _, count in member_pages(desk):
        starts.append(first)
        first += count
    assert targets == starts
    cover = reader.pages[0].extract_text()
    for n, page in enumerate(starts):
        assert f"\n{page + 1}\n" in f"\n{cover}\n", (n, cover)
    # each member's first page is that member's (its own title at the top)
    for (bid, _), page in zip(member_pages(desk), starts, strict=True):
        title = {"nk": "Nagorno-Karabakh", "sea": "Red Sea", "gulf": "Gulf"}[bid]
        assert title in reader.pages[page].extract_text()


def test_copy_stamp_fits_every_page_size(desk: Path) -> None:
    record = log_records(desk)[0]
    copy = (desk / "outbox" / "minister" / "book-e1-c1.pdf").read_bytes()
    pages = words(copy)
    sizes = {size for size, _ in pages}
    assert sizes == {A4, LETTER}
    for n, ((width, _), page_words) in enumerate(pages):
        footer = line_at(page_words, "Copy")
        texts = [w["text"] for w in footer]
        assert record["copy_id"] in texts, (n, texts)
        stamp = [w for w in footer if w["x0"] >= footer[texts.index("Copy")]["x0"] - 0.1]
        stamp = stamp[: texts.index(record["copy_id"]) - texts.index("Copy") + 1]
        page_word = next(w for w in footer if w["text"] == "Page")
        as_of = [w for w in footer if w["x1"] < stamp[0]["x0"]]
        if n:  # the cover has no "As of" (its date is in its title block)
            assert as_of, (n, texts)
            assert as_of[0]["text"] == "As", (n, texts)  # "As of …" left of the stamp
        assert stamp[-1]["x1"] < page_word["x0"], (n, texts)  # the stamp ends before "Page"
        assert stamp[0]["x0"] >= 0
        assert page_word["x1"] <= width
        left, right = stamp_box(width)  # the room this page size leaves between the two
        assert left - 0.5 <= stamp[0]["x0"], (n, width)
        assert stamp[-1]["x1"] <= right + 0.5, (n, width)
