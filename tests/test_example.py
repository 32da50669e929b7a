"""The Nagorno-Karabakh example, built end to end through the CLI and read back with pypdf.

Expected values come from the source itself, so the test checks that *every* fact of
the source is in the PDF, not a hand-picked few.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pdfcheck import (
    BASE14,
    all_text,
    embedded,
    fonts,
    links,
    outline_titles,
    page_texts,
    raster_images,
    reader,
    squash,
)

from briefing.cli import cli
from briefing.source.markdown import Block, parse_blocks, plain
from briefing.source.markdown import Paragraph as TextParagraph

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "sources" / "nagorno-karabakh-2020.yaml"


def visible(text: object, numbers: dict[str, int], *, blocks: bool = False) -> str:
    """What a reader sees of a source text: Markdown removed, citations as "[n]"."""
    shown = plain(str(text), blocks=blocks)
    return squash(re.sub(r"\[@([A-Za-z0-9_-]+)\]", lambda m: f"[{numbers[m[1]]}]", shown))


def paragraphs_of(body: str) -> list[str]:
    """The body's paragraphs and list items, as Markdown source of one paragraph each."""
    out: list[str] = []

    def walk(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, TextParagraph):
                out.append("".join(r.text for r in block.runs))
            else:
                for item in block.items:
                    walk(item)

    walk(parse_blocks(body))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    project = tmp_path_factory.mktemp("project")
    (project / "sources").mkdir()
    shutil.copy(EXAMPLE, project / "sources" / EXAMPLE.name)
    result = CliRunner().invoke(
        cli,
        ["build", str(project / "sources" / EXAMPLE.name), "--jobs", "1"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    pdf = project / "dist" / "nagorno-karabakh-2020.pdf"
    assert pdf.is_file()
    return pdf, yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def test_every_fact_of_the_source_is_in_the_text(built: tuple[Path, dict]) -> None:
    pdf, src = built
    text = squash(all_text(reader(pdf)))
    expected: list[str] = [src["title"], *src["summary"]]
    expected += [f["label"] for f in src["key_facts"]] + [str(f["value"]) for f in src["key_facts"]]
    expected += [a["name"] for a in src["actors"]]
    expected += [e["label"] for e in src["timeline"]["events"]]
    expected += [e["detail"] for e in src["timeline"]["events"] if e.get("detail")]
    expected += [s["title"] for s in src["sources"]]
    expected += [s["heading"] for s in src["sections"]]
    expected += [p["name"] for p in src["map"]["places"]]
    numbers = {s["id"]: i for i, s in enumerate(src["sources"], start=1)}
    missing = [e for e in expected if visible(e, numbers) not in text]
    assert missing == []
    # section bodies: every paragraph and list item, one by one (bullets print between them)
    paragraphs = [p for section in src["sections"] for p in paragraphs_of(section["body"])]
    assert len(paragraphs) > len(src["sections"])
    missing = [p for p in paragraphs if visible(p, numbers) not in text]
    assert missing == []


def test_unicode_names_print(built: tuple[Path, dict]) -> None:
    pdf, _ = built
    text = all_text(reader(pdf))
    for word in ("Հայաստան", "Azərbaycan", "Россия", "Türkiye"):
        assert word in text


def test_banners_and_page_numbers_on_every_page(built: tuple[Path, dict]) -> None:
    pdf, src = built
    texts = page_texts(reader(pdf))
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert text.count(src["marking"]) >= 2, f"page {number} lacks top and bottom banner"
        assert f"Page {number} of {len(texts)}" in text
        assert "As of 29 September 2020" in text


def test_metadata_and_language(built: tuple[Path, dict]) -> None:
    pdf, src = built
    r = reader(pdf)
    meta = r.metadata
    assert meta.title == src["title"]
    assert src["organization"] in meta.author
    assert src["authors"][0] in meta.author
    assert meta.subject == src["subtitle"]
    assert "TLP:CLEAR" in meta["/Keywords"]
    assert str(r.trailer["/Root"]["/Lang"]) == "en"
    assert meta["/CreationDate"].startswith("D:20200929")


def test_outline_lists_every_part(built: tuple[Path, dict]) -> None:
    pdf, src = built
    titles = outline_titles(reader(pdf))
    assert titles[:3] == ["Summary", "Key facts", src["map"]["title"]]
    assert src["timeline"]["title"] in titles
    assert "Chronology" in titles
    assert "Actors" in titles
    assert titles[-1] == "Sources"
    for i, section in enumerate(src["sections"], start=1):
        assert f"{i}. {section['heading']}" in titles


def test_fonts_are_embedded_truetype_never_base14(built: tuple[Path, dict]) -> None:
    pdf, _ = built
    found = fonts(reader(pdf))
    assert found, "no fonts found"
    for name, font in found.items():
        assert name.split("+")[-1].lstrip("/") not in BASE14, name
        assert embedded(font), f"{name} is not embedded"
        assert "DejaVu" in name


def test_citations_and_urls_are_links(built: tuple[Path, dict]) -> None:
    pdf, src = built
    uris, internal = links(reader(pdf))
    assert src["sources"][0]["url"] in uris
    cited = sum(
        str(s).count("[@") for s in [*src["summary"], *(x["body"] for x in src["sections"])]
    )
    assert len(internal) >= cited > 0


def test_no_raster_images_anywhere(built: tuple[Path, dict]) -> None:
    """The chart is vector and the map a drawn placeholder: no image XObject on any page."""
    pdf, src = built
    r = reader(pdf)
    assert src["map"].get("image") is None
    assert [raster_images(r, i) for i in range(len(r.pages))] == [0] * len(r.pages)
