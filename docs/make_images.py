"""Regenerate docs/images/page-N.png: the example briefing's pages, as the README shows them.

Why a script: pictures made by hand drift from what the tool prints. This builds
sources/nagorno-karabakh-2020.yaml with the installed package into a temporary
folder (dist/ is left alone), rasterises every page with poppler's
``pdftoppm -r 60 -png``, and replaces docs/images/page-*.png with the result; it also
draws the example's locator map alone at 100 dpi into docs/images/map.png.

Run it from anywhere, after a change to the output:

    python docs/make_images.py
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


def main(images: Path = IMAGES) -> int:
    """Write the page images into ``images``; the exit code."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.stderr.write("make_images: pdftoppm not found; install poppler-utils\n")
        return 1
    with tempfile.TemporaryDirectory(prefix="briefing-images-") as scratch:
        work = Path(scratch)
        report = build([EXAMPLE], root=REPO, out=work / "dist", options=BuildOptions(force=True))
        (result,) = report.results
        if result.status != "built" or result.output is None:
            sys.stderr.write("\n".join(("make_images: the example did not build:", *result.errors)))
            sys.stderr.write("\n")
            return 1
        raster = work / "raster"
        raster.mkdir()
        subprocess.run(
            [pdftoppm, "-r", str(RESOLUTION), "-png", result.output, str(raster / "page")],
            check=True,
        )
        # pdftoppm pads page numbers to the page count's width (page-01 for 10+ pages).
        pages = sorted(raster.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        images.mkdir(parents=True, exist_ok=True)
        for old in images.glob("page-*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            shutil.copyfile(page, images / f"page-{number}.png")
        map_image(pdftoppm, work, images / "map.png")
    sys.stdout.write(f"wrote {len(pages)} page images and map.png to {images}\n")
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
