"""Comparing a page image with its committed copy by regions, not by one page-wide mean.

Why: a whole-page mean difference under a tolerance cannot see a block that moved or
vanished (a missing key-facts card changes 2 % of the pixels). Each tile of a grid is
compared on its own, so a change anywhere is a change; the tolerance per tile absorbs
what differs between poppler versions (antialiasing along glyph edges).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageStat

#: Tiles across and down an A4 page at 60 dpi (496 x 702 px): about 31 x 35 px each.
GRID = (16, 20)
#: Largest mean difference (0-255, worst colour channel) allowed in one tile.
TILE_TOLERANCE = 6.0


@dataclass(frozen=True, slots=True)
class TileDiff:
    column: int
    row: int
    box: tuple[int, int, int, int]
    mean: float


def differing_tiles(fresh: Image.Image, kept: Image.Image) -> list[TileDiff]:
    """The tiles whose mean difference exceeds the tolerance, worst first."""
    fresh, kept = fresh.convert("RGB"), kept.convert("RGB")
    if fresh.size != kept.size:
        width, height = kept.size
        return [TileDiff(0, 0, (0, 0, width, height), 255.0)]
    diff = ImageChops.difference(fresh, kept)
    width, height = diff.size
    columns, rows = GRID
    found: list[TileDiff] = []
    for row in range(rows):
        for column in range(columns):
            box = (
                column * width // columns,
                row * height // rows,
                (column + 1) * width // columns,
                (row + 1) * height // rows,
            )
            mean = max(ImageStat.Stat(diff.crop(box)).mean)
            if mean > TILE_TOLERANCE:
                found.append(TileDiff(column, row, box, mean))
    return sorted(found, key=lambda t: -t.mean)


def write_diff(fresh: Image.Image, kept: Image.Image, tiles: list[TileDiff], path: Path) -> Path:
    """Kept and fresh side by side, with the differing tiles outlined in red on both."""
    fresh, kept = fresh.convert("RGB"), kept.convert("RGB")
    width, height = kept.size
    sheet = Image.new("RGB", (width * 2 + 10, max(height, fresh.size[1])), "white")
    sheet.paste(kept, (0, 0))
    sheet.paste(fresh, (width + 10, 0))
    draw = ImageDraw.Draw(sheet)
    for tile in tiles:
        x0, y0, x1, y1 = tile.box
        for dx in (0, width + 10):
            draw.rectangle((x0 + dx, y0, x1 + dx, y1), outline="red", width=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)
    return path
