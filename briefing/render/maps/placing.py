"""Where place names go: beside their markers, never over each other or off the map.

In: marker positions, each name's measured box size, the boxes already taken (inset,
scale bar, legend, credit) and the map's rectangle. Out: a box per name, or None for a
name that found no free spot (the caller numbers it and keys it below the map).

Why this way: it is the cartographer's rule for point labels (Imhof): the preferred spot
is right of the marker, then above-right, below-right, left…, then the same ring again
further out. Places are labelled most-constrained first, and each takes the free spot
that blocks the fewest spots of the places still to come (the timeline's packer has the
same aim: a guarantee, checked numerically in the tests, rather than a hope). Every box
is tested against every marker, every placed box and the frame, so "no overlap" holds by
construction, whatever the data.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.render.charts.ops import Box

#: Gap between a marker's edge and its label.
GAP = 1.6
#: Kept clear between two labels.
CLEAR = 1.0


def candidates(x: float, y: float, w: float, h: float, r: float) -> list[Box]:
    """Label boxes around a marker of radius ``r`` at ``(x, y)``, best first."""
    out = []
    for d in (r + GAP, r + GAP + 5.0):
        dx = d * 0.72
        spots = (
            (x + d, y - h / 2),  # right
            (x + dx, y + dx * 0.6),  # above right
            (x + dx, y - dx * 0.6 - h),  # below right
            (x - d - w, y - h / 2),  # left
            (x - dx - w, y + dx * 0.6),  # above left
            (x - dx - w, y - dx * 0.6 - h),  # below left
            (x - w / 2, y + d),  # above
            (x - w / 2, y - d - h),  # below
        )
        out += [Box(sx, sy, sx + w, sy + h) for sx, sy in spots]
    return out


def _grow(box: Box, by: float) -> Box:
    return Box(box.x0 - by, box.y0 - by, box.x1 + by, box.y1 + by)


def _inside(box: Box, area: Box) -> bool:
    return box.x0 >= area.x0 and box.y0 >= area.y0 and box.x1 <= area.x1 and box.y1 <= area.y1


class _Grid:
    """Boxes bucketed by a coarse grid, so a thousand places stay fast to test."""

    def __init__(self, cell: float = 40.0) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        c = self.cell
        return [
            (gx, gy)
            for gx in range(int(box.x0 // c), int(box.x1 // c) + 1)
            for gy in range(int(box.y0 // c), int(box.y1 // c) + 1)
        ]

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.buckets.setdefault(key, []).append(box)

    def hits(self, box: Box) -> bool:
        return any(
            box.overlaps(other) for key in self._keys(box) for other in self.buckets.get(key, ())
        )


def place(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float] | None],
    radius: float,
    taken: Sequence[Box],
    area: Box,
    placed: Sequence[Box] = (),
) -> list[Box | None]:
    """A box for each anchor whose size is given (None: skip it), or None where none fits.

    ``placed`` are labels already on the map (they, like ``taken``, block new ones).
    """
    fixed = _Grid()
    for box in taken:
        fixed.add(box)
    for x, y in anchors:
        fixed.add(Box(x - radius, y - radius, x + radius, y + radius))
    options: dict[int, list[Box]] = {}
    for i, ((x, y), size) in enumerate(zip(anchors, sizes, strict=True)):
        if size is None:
            continue
        w, h = size
        options[i] = [
            box
            for box in candidates(x, y, w, h, radius)
            if _inside(box, area) and not fixed.hits(box)
        ]
    spots = _Grid()
    for boxes in options.values():
        for box in boxes:
            spots.add(box)
    chosen: dict[int, Box] = {}
    labels = _Grid()
    for box in placed:
        labels.add(_grow(box, CLEAR))
    order = sorted(options, key=lambda i: (len(options[i]), i))
    for i in order:
        free = [b for b in options[i] if not labels.hits(b)]
        if not free:
            continue
        own = {id(b) for b in options[i]}

        def cost(box: Box, own: set[int] = own) -> int:
            grown = _grow(box, CLEAR)
            return sum(
                1
                for key in spots._keys(grown)
                for other in spots.buckets.get(key, ())
                if id(other) not in own and grown.overlaps(other)
            )

        best = min(enumerate(free), key=lambda kb: (cost(kb[1]), kb[0]))[1]
        chosen[i] = best
        labels.add(_grow(best, CLEAR))
    return [chosen.get(i) for i in range(len(anchors))]


def place_boxes(
    options: Sequence[Sequence[Box]],
    taken: Sequence[Box],
    area: Box,
    placed: Sequence[Box] = (),
) -> list[Box | None]:
    """For each label in turn (most important first), its first free candidate box, or None.

    The area labels' counterpart of ``place`` (country names have spots, not a marker to
    sit beside): the same tests against ``taken``, ``placed`` and the frame, in the given
    order, so an earlier label never gives way to a later one.
    """
    fixed = _Grid()
    for box in taken:
        fixed.add(box)
    labels = _Grid()
    for box in placed:
        labels.add(_grow(box, CLEAR))
    chosen: list[Box | None] = []
    for boxes in options:
        best = next(
            (b for b in boxes if _inside(b, area) and not fixed.hits(b) and not labels.hits(b)),
            None,
        )
        chosen.append(best)
        if best is not None:
            labels.add(_grow(best, CLEAR))
    return chosen
