"""Regenerate docs/images/page-N.png: the example briefing's pages, as the README shows them,
and docs/images/edition-2.png: page 1 of the example's second edition (docs/editions.md).

Why a script: pictures made by hand drift from what the tool prints. This builds
sources/nagorno-karabakh-2020.yaml with the installed package into a temporary
folder (dist/ is left alone), rasterises every page with poppler's
``pdftoppm -r 60 -png``, and replaces docs/images/page-*.png with the result. Then it
edits a copy of the example as ``EDITION_2`` says and builds it again in the same
folder: that build is edition 2, with its changes box on page 1. It also draws the
example's locator map alone at 100 dpi into docs/images/map.png.

Run it from anywhere, after a change to the output:

    python docs/make_images.py

or through the test that compares them tile by tile: ``pytest --regen-images tests/test_docs.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from briefing.publish.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "sources" / "nagorno-karabakh-2020.yaml"
IMAGES = REPO / "docs" / "images"
RESOLUTION = 60  # dpi: an A4 page becomes 496 x 702 pixels
MAP_SIZE = (331.0, 245.0)  # points: the map panel beside the key facts on an A4 page 1

#: The example's second edition: (text in the example, its replacement). Wording only, taken
#: from the same cited article: an illustration of the changes box, not new reporting.
EDITION_2 = (
    ('value: "30,000"', 'value: "about 30,000"'),
    ("label: Ceasefire ending the war", "label: Ceasefire ending the 1988–1994 war"),
    (
        "alignment: Openly backs Azerbaijan\n",
        "alignment: Openly backs Azerbaijan; border with Armenia shut since 1993\n",
    ),
)


def second_edition(text: str) -> str:
    for old, new in EDITION_2:
        if old not in text:
            raise ValueError(f"make_images: the example no longer contains {old!r}")
        text = text.replace(old, new, 1)
    return text


def _raster(pdftoppm: str, pdf: str, folder: Path, *pages: str) -> list[Path]:
    """``pdf`` as PNG files in ``folder``, in page order."""
    folder.mkdir()
    subprocess.run(
        [pdftoppm, "-r", str(RESOLUTION), *pages, "-png", pdf, str(folder / "page")], check=True
    )
    # pdftoppm pads page numbers to the page count's width (page-01 for 10+ pages).
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))


def main(images: Path = IMAGES) -> int:
    """Write the page images into ``images``; the exit code."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.stderr.write("make_images: pdftoppm not found; install poppler-utils\n")
        return 1
    with tempfile.TemporaryDirectory(prefix="briefing-images-") as scratch:
        work = Path(scratch)
        source = work / "sources" / EXAMPLE.name
        source.parent.mkdir()
        shutil.copyfile(EXAMPLE, source)
        outputs = []
        for text in (None, second_edition(EXAMPLE.read_text(encoding="utf-8"))):
            if text is not None:
                source.write_text(text, encoding="utf-8")
            report = build([source], root=work, out=work / "dist", options=BuildOptions())
            (result,) = report.results
            if result.status != "built" or result.output is None:
                lines = ("make_images: the example did not build:", *result.errors)
                sys.stderr.write("\n".join(lines) + "\n")
                return 1
            outputs.append(_raster(pdftoppm, result.output, work / f"raster{len(outputs)}"))
        pages, (edition_2, *_) = outputs
        images.mkdir(parents=True, exist_ok=True)
        for old in images.glob("page-*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            shutil.copyfile(page, images / f"page-{number}.png")
        shutil.copyfile(edition_2, images / "edition-2.png")
        map_image(pdftoppm, work, images / "map.png")
    sys.stdout.write(f"wrote {len(pages)} page images, edition-2.png and map.png to {images}\n")
    return 0


def map_image(pdftoppm: str, work: Path, target: Path) -> None:
    """The example's locator map alone, at 100 dpi, for the map section of the reference."""
    from reportlab.pdfgen.canvas import Canvas

    from briefing.render.maps import locator_map
    from briefing.render.pdf.drawing import measure_text, paint_ops
    from briefing.render.pdf.fonts import register_fonts
    from briefing.source.load import load

    register_fonts()
    panel = load(EXAMPLE, root=REPO).map
    assert panel is not None
    width, height = MAP_SIZE
    drawing = locator_map(panel, width, height, measure_text)
    canvas = Canvas(str(work / "map.pdf"), pagesize=(width, height), invariant=1)
    paint_ops(canvas, drawing)
    canvas.save()
    subprocess.run(
        [pdftoppm, "-r", "100", "-png", "-singlefile", str(work / "map.pdf"), str(work / "map")],
        check=True,
    )
    shutil.copyfile(work / "map.png", target)


if __name__ == "__main__":
    sys.exit(main())
