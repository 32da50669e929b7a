"""Page 1 holds the title block, the bottom line, the key facts and the map for any source
within the bounds (7 bullets of 250 words in all, 8 key facts, 15 places); beyond them a
warning says what moved. And the DRAFT watermark shows on every page, above every box."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from frontgen import PLACES, source
from pdfcheck import page_texts, reader, squash

from briefing.render import Rendered, RenderOptions, render
from briefing.render.edition import EditionStamp
from briefing.source.load import load


def build(project, text: str, edition: EditionStamp | None = None) -> Rendered:
    path = project.source(text, "front.yaml")
    return render(load(path, root=project.root), RenderOptions(), edition)


def assert_page1_complete(rendered: Rendered, places: int = 15, facts: int = 8) -> None:
    first = squash(page_texts(reader(rendered.pdf))[0])
    for i in range(7):
        assert f"b{i}tag" in first, f"bullet {i} is not on page 1"
    for i in range(facts):
        assert f"value{i}" in first, f"key fact {i} is not on page 1"
    assert "NorthernKosovomaptitle" in first
    for name, _, _ in PLACES[:places]:
        assert squash(name) in first, f"place {name} is not on page 1"
    assert not [w for w in rendered.warnings if "page 1" in w.message]


@pytest.mark.parametrize(
    ("page_size", "subtitle", "long_title", "draft"),
    [
        ("A4", True, False, False),
        ("A4", True, True, True),
        ("A4", False, True, False),
        ("letter", True, False, False),
        ("letter", True, True, True),
        ("letter", False, False, True),
    ],
)
def test_page1_holds_everything_at_the_bounds(
    project, page_size: str, subtitle: bool, long_title: bool, draft: bool
) -> None:
    text = source(page_size=page_size, subtitle=subtitle, long_title=long_title, draft=draft)
    assert_page1_complete(build(project, text))


@pytest.mark.parametrize("page_size", ["A4", "letter"])
def test_page1_at_the_bounds_keeps_room_for_the_changes_box(project, page_size: str) -> None:
    lines = (*(f"Change number {n} to the briefing" for n in range(7)), "and 3 more changes")
    stamp = EditionStamp(2, dt.date(2023, 10, 5), previous=1, previous_date=dt.date(2023, 9, 1),
                         lines=lines)  # fmt: skip
    rendered = build(project, source(page_size=page_size, long_title=True), stamp)
    assert_page1_complete(rendered)
    first = " ".join(page_texts(reader(rendered.pdf))[0].split())
    assert "CHANGES SINCE EDITION 1" in first
    assert re.search(r"\d+ (more )?changes", first)


def test_a_normal_briefing_keeps_the_roomy_sidebar_layout_on_page1(project) -> None:
    rendered = build(project, source(bullet_count=5, words=220, facts=7, places=8))
    first = squash(page_texts(reader(rendered.pdf))[0])
    assert all(f"value{i}" in first for i in range(7))
    assert all(squash(name) in first for name, _, _ in PLACES[:8])


def test_beyond_the_bounds_a_warning_says_what_moved_and_why(project) -> None:
    rendered = build(project, source(words=700))
    (warning,) = [w for w in rendered.warnings if "page 1" in w.message]
    assert warning.severity == "warning"
    assert warning.key_path == "summary"
    assert "key facts and the map" in warning.message
    assert "700 words" in warning.message


def test_draft_is_in_the_text_of_every_page(project) -> None:
    rendered = build(project, source(draft=True))
    texts = page_texts(reader(rendered.pdf))
    assert len(texts) >= 2
    assert all("DRAFT" in text for text in texts)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm")
def test_draft_watermark_shows_over_the_summary_box(project, tmp_path: Path) -> None:
    """The watermark crosses the page centre; inside the summary box it must still show."""
    from PIL import Image, ImageChops

    images = []
    for draft in (False, True):
        pdf = tmp_path / f"d{draft}.pdf"
        pdf.write_bytes(build(project, source(draft=draft, words=250)).pdf)
        out = str(tmp_path / f"p{draft}")
        command = ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), out]
        subprocess.run(command, check=True)
        images.append(Image.open(next(tmp_path.glob(f"p{draft}*.png"))).convert("L"))
    plain, marked = images
    w, h = plain.size
    # The summary box spans the page width a third of the way down; the watermark's
    # diagonal word runs through the page centre. Compare a band around the centre.
    band = (int(w * 0.25), int(h * 0.30), int(w * 0.75), int(h * 0.55))
    assert plain.crop(band).getpixel((5, 5)) < 250  # the band lies in the tinted box
    diff = ImageChops.difference(plain.crop(band), marked.crop(band))
    changed = sum(diff.histogram()[9:])
    assert changed > 0.03 * (band[2] - band[0]) * (band[3] - band[1])
