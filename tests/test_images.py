"""Images print as drawn: a 16-bit grayscale PNG is scaled to 8 bits, not clipped to white;
``figures:`` land after the section they name, with caption, credit and the image."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfcheck import page_texts, raster_images, reader, squash
from PIL import Image

from briefing.render import RenderOptions, render
from briefing.source.load import load


def png(mode: str, value: int, size: tuple[int, int] = (120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, value).save(out, format="PNG")
    return out.getvalue()


def figure_source(image: str = "assets/fig.png") -> str:
    return f"""\
title: Figures
as_of: 2023-06-30
summary: [One.]
sections:
  - heading: First section
    body: Text of the first section.
  - heading: Second section
    body: Text of the second section.
figures:
  - image: {image}
    caption: Damage in the market district
    credit: Example Agency
    after: First section
"""


def embedded_gray(pdf: bytes) -> list[int]:
    """The pixel values of every image embedded in the PDF, as 8-bit gray."""
    values: list[int] = []
    for page in reader(pdf).pages:
        for image in page.images:
            values.append(image.image.convert("L").getpixel((5, 5)))
    return values


def test_16_bit_grayscale_png_keeps_its_gray(project) -> None:
    data = png("I;16", 32768)  # half of the 16-bit range: mid gray
    assert Image.open(io.BytesIO(data)).mode == "I;16"
    project.write("assets/fig.png", data)
    path = project.source(figure_source())
    pdf = render(load(path, root=project.root), RenderOptions()).pdf
    (value,) = embedded_gray(pdf)
    assert 120 <= value <= 135


def test_8_bit_images_pass_through_unchanged(project) -> None:
    project.write("assets/fig.png", png("L", 64))
    pdf = render(load(project.source(figure_source()), root=project.root), RenderOptions()).pdf
    assert embedded_gray(pdf) == [64]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm")
def test_16_bit_map_image_prints_dark_on_the_page(project, tmp_path: Path) -> None:
    project.write("assets/map.png", png("I;16", 8000, (400, 300)))  # dark gray: 31 of 255
    text = "title: Map\nas_of: 2023-06-30\nsummary: [One.]\n"
    text += "map:\n  title: M\n  image: assets/map.png\n"
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(render(load(project.source(text), root=project.root), RenderOptions()).pdf)
    command = ["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")]
    subprocess.run(command, check=True)
    page = Image.open(next(tmp_path.glob("p*.pgm")))
    dark = sum(page.convert("L").histogram()[:60])
    assert dark > 0.05 * page.size[0] * page.size[1]  # the map is a large dark area


def test_figure_follows_its_section_with_caption_credit_and_image(project) -> None:
    project.write("assets/fig.png", png("RGB", 128))
    rendered = render(load(project.source(figure_source()), root=project.root), RenderOptions())
    r = reader(rendered.pdf)
    text = squash(" ".join(page_texts(r)))
    first, caption, second = (
        text.index(squash("Text of the first section")),
        text.index(squash("Figure 1. Damage in the market district")),
        text.index(squash("Second section")),
    )
    assert first < caption < second
    assert squash("Credit: Example Agency") in text
    page = next(i for i, t in enumerate(page_texts(r)) if "Damage in the market" in t)
    assert raster_images(r, page) == 1


def test_figure_without_after_goes_to_the_end_of_the_body(project) -> None:
    project.write("assets/fig.png", png("RGB", 128))
    text = figure_source().replace("    after: First section\n", "")
    rendered = render(load(project.source(text), root=project.root), RenderOptions())
    flat = squash(" ".join(page_texts(reader(rendered.pdf))))
    assert flat.index(squash("Text of the second section")) < flat.index(squash("Figure 1."))
