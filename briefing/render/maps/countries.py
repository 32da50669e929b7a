"""Country borders and country names on a frame, from Natural Earth admin-0.

Borders: Natural Earth gives each country as polygons, not border lines. A border is an
edge that two countries share (the data is topologically clean: neighbours list the
same vertices), so every edge near the window is counted and the shared ones are drawn,
once each; the rest (coast, the cuts at ±180°) is not border and is left to GSHHG's
coastline. Vertices are snapped to a grid of the drawing's tolerance first
(``snapping``), which thins a continental map's hundreds of thousands of vertices
identically on both sides of a border.

Names: each country's part inside the frame is rasterised on a grid of ``CELL`` points
(scanlines, even-odd); a name may stand where its whole box lies on that country (a small
country's at the smaller size may reach over its border, its centre on the country), best
first Natural Earth's own label point, then the cells furthest from the country's edge
and the frame's; an island country too small for its name is named beside it. Names go
largest country first, after the briefing's own place names, through the same
collision-free placing (``placing.place_boxes``), so they never cover a place, its
marker, a number or the furniture; a country with no room is left unnamed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise

from briefing.render.charts.ops import Box, Face, Op, PathOp, TextOp
from briefing.render.maps import naturalearth, snapping
from briefing.render.maps.clip import clip_line, thin
from briefing.render.maps.frame import Frame
from briefing.render.maps.geodata import Shape
from briefing.render.maps.geography import _near, open_path
from briefing.render.maps.look import (
    ASCENT,
    BORDER,
    BORDER_W,
    COUNTRY,
    COUNTRY_SIZE,
    DESCENT,
    HALO,
    SMALL_SIZE,
    THIN,
)
from briefing.render.maps.placing import candidates, place_boxes

Measure = Callable[[str, Face, float], float]
Key = snapping.Key

#: The grid, in points, on which country areas are found.
CELL = 6.0
_AROUND = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))
#: A small country's name may reach over its border by this much of its box at most,
#: its centre always on the country (as atlases name Montenegro or Kosovo).
SPILL = 0.6
#: Candidate spots tried per country (the deepest cells, then Natural Earth's point).
CANDIDATES = 48


def _visible(frame: Frame) -> list[naturalearth.Country]:
    """Countries whose box meets the window (each ring is then moved on its own)."""
    return [
        country
        for country in naturalearth.countries()
        if country.south <= frame.north
        and country.north >= frame.south
        and frame.shifts(country.west, country.east)
    ]


def _meets(ring: Shape | naturalearth.Country, country: naturalearth.Country) -> bool:
    """Whether the boxes meet (may the ring or country share an edge with the country?)."""
    return (
        ring.west <= country.east
        and ring.east >= country.west
        and ring.south <= country.north
        and ring.north >= country.south
    )


def _span(low: float, high: float, count: int) -> range:
    """The cells (of ``count``) whose centre lies in ``low..high`` (high excluded)."""
    first = max(0, math.ceil(low / CELL - 0.5))
    last = min(count - 1, math.ceil(high / CELL - 0.5) - 1)
    return range(first, last + 1)


Edge = tuple[Key, Key]
Ring = tuple[float, list[Key]]  # the whole turn it is drawn at, its snapped vertices


def borders(frame: Frame, tolerance: float) -> tuple[list[Op], set[int]]:
    """The land borders within the frame, as stroked lines (each drawn once), and the
    countries that have one there (the others are islands, named beside if need be).

    Shared edges are drawn solid. Natural Earth's point of view leaves a few areas to no
    country (Abyei, the Golan Heights, the Southern Patagonian Ice Field): their outline
    is a loop of edges that no two countries share, like a coast, but running around a
    hole in the land (counter-clockwise, where coasts run clockwise), so it is drawn too,
    dashed.
    """
    level = snapping.level_for(tolerance)
    rings: list[tuple[int, float, list[Key], list[Edge]]] = []
    owner: dict[Edge, int] = {}
    shared: set[Edge] = set()
    bordered: set[int] = set()
    visible = _visible(frame)
    for country in visible:
        neighbours = [c for c in visible if c is not country and _meets(country, c)]
        for ring in naturalearth.rings(country):
            if ring.south > frame.north or ring.north < frame.south:
                continue
            if not any(_meets(ring, c) for c in neighbours):
                continue  # an island (Croatia has hundreds): all coast, no border
            for shift in frame.shifts(ring.west, ring.east):
                xs, ys = _near(ring, frame, shift)
                whole = len(xs) == len(ring.xs)  # nothing far away left out
                keys = snapping.snap_ring(ring, level) if whole else snapping.snap(xs, ys, level)
                edges = [(a, b) if a < b else (b, a) for a, b in pairwise(keys)]
                rings.append((country.index, shift, keys, edges))
                for edge in edges:
                    first = owner.setdefault(edge, country.index)
                    if first != country.index:
                        shared.add(edge)
                        bordered.update((first, country.index))
    ops: list[Op] = []
    loose: list[Ring] = []
    for index, shift, keys, edges in rings:
        own = [e in shared and owner[e] == index for e in edges]
        for line in _runs(keys, own):
            ops += _stroke(frame, shift, line, level, ())
        loose += [(shift, line) for line in _runs(keys, [e not in shared for e in edges])]
    if frame.km_across > HOLES_UP_TO:
        return ops, bordered  # the holes would be specks: not worth chaining every coast
    for shift, line in _holes(loose, snapping.size(level)):
        ops += _stroke(frame, shift, line, level, HOLE_DASH)
    return ops, bordered


#: Holes in the land smaller than this (degrees²) are areas held by no country; larger
#: ones are inland seas (the Caspian).
MAX_HOLE = 5.0
HOLE_DASH = (2.4, 1.4)
#: Frames wider than this (km) skip the holes: Abyei would be under a point across.
HOLES_UP_TO = 3500.0


def _runs(keys: list[Key], keep: list[bool]) -> list[list[Key]]:
    """The maximal runs of a closed ring's edges flagged in ``keep`` (joined over its
    start)."""
    runs: list[list[Key]] = []
    run: list[Key] = []
    for k, flag in enumerate(keep):
        if flag:
            if not run:
                run.append(keys[k])
            run.append(keys[k + 1])
        elif run:
            runs.append(run)
            run = []
    if run:
        if runs and keys[0] == keys[-1] and runs[0][0] == keys[0] and run[-1] == keys[-1]:
            runs[0] = run + runs[0][1:]
        else:
            runs.append(run)
    return runs


def _holes(lines: list[Ring], snap: float) -> list[Ring]:
    """The lines that chain into a small counter-clockwise loop: a hole in the land."""
    starts: dict[tuple[float, Key], list[int]] = {}
    for k, (shift, line) in enumerate(lines):
        starts.setdefault((shift, line[0]), []).append(k)
    used: set[int] = set()
    out: list[Ring] = []
    for k, (shift, line) in enumerate(lines):
        if k in used:
            continue
        loop, end = [k], line[-1]
        used.add(k)
        while end != line[0]:
            nxt = next((j for j in starts.get((shift, end), ()) if j not in used), None)
            if nxt is None:
                break
            loop.append(nxt)
            used.add(nxt)
            end = lines[nxt][1][-1]
        if end != line[0]:
            continue
        points = [p for j in loop for p in lines[j][1]]
        area = (
            sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise([*points, points[0]]))
            / 2
            * snap
            * snap
        )
        if 0 < area < MAX_HOLE:
            out += [lines[j] for j in loop]
    return out


def _stroke(
    frame: Frame, shift: float, line: list[Key], level: int, dash: tuple[float, ...]
) -> list[Op]:
    pts = frame.points(*snapping.coords(line, level), shift)
    out: list[Op] = []
    for piece in clip_line(pts, 0, 0, frame.width, frame.height):
        piece = thin(piece, THIN)
        if len(piece) >= 2:
            out.append(
                PathOp(open_path(piece), None, BORDER, BORDER_W, dash, cap="round", join="round")
            )
    return out


class _Mask:
    """The cells of one country inside the frame (``cells``), and each cell's depth."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.cells: set[Key] = set()

    def fill(self, crossings: dict[int, list[float]]) -> None:
        for row, xs in crossings.items():
            xs.sort()
            for a, b in zip(xs[0::2], xs[1::2], strict=False):
                self.cells.update((col, row) for col in _span(a, b, self.cols))

    def depths(self) -> dict[Key, int]:
        """Chessboard distance (in cells) to the nearest cell off the country or the frame."""
        cells = self.cells
        cols, rows = self.cols - 1, self.rows - 1
        rest = {k for k in cells if 0 < k[0] < cols and 0 < k[1] < rows}
        for dx, dy in _AROUND:
            rest &= {(x - dx, y - dy) for x, y in cells}
        frontier = cells - rest
        depth = dict.fromkeys(frontier, 1)
        level = 1
        while rest:
            level += 1
            grown = {(x + dx, y + dy) for x, y in frontier for dx, dy in _AROUND}
            frontier = grown & rest
            if not frontier:
                break
            rest -= frontier
            depth.update(dict.fromkeys(frontier, level))
        return depth

    def holds(self, box: Box, share: float = 1.0) -> bool:
        """Whether at least ``share`` of the cells under ``box`` (and its centre) are
        this country's."""
        c0, c1 = int(box.x0 / CELL), int(box.x1 / CELL)
        r0, r1 = int(box.y0 / CELL), int(box.y1 / CELL)
        centre = (int((box.x0 + box.x1) / 2 / CELL), int((box.y0 + box.y1) / 2 / CELL))
        if centre not in self.cells:
            return False
        under = [(c, r) for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)]
        return sum(k in self.cells for k in under) >= share * len(under)


def _mask(country: naturalearth.Country, frame: Frame, mask: _Mask) -> None:
    """Rasterise the country: its rings' crossings of each row of cell centres.

    Vertices are snapped to a grid (half a cell), not thinned: thinning depends on
    where a ring starts, snapping only on each vertex, so the cells do not change when
    far-away vertices are left out (``Shape.near``)."""
    level = snapping.level_for(CELL / 2 / frame.scale / 111.2)
    crossings: dict[int, list[float]] = {}
    rows = mask.rows
    least = CELL / 2 / frame.scale / 111.2  # degrees: smaller rings hold no cell
    for ring in naturalearth.rings(country):
        if ring.east - ring.west < least and ring.north - ring.south < least:
            continue
        for ring_shift in frame.shifts(ring.west, ring.east):
            if ring.south > frame.north or ring.north < frame.south:
                continue
            xs, ys = _near(ring, frame, ring_shift)
            whole = len(xs) == len(ring.xs)
            keys = snapping.snap_ring(ring, level) if whole else snapping.snap(xs, ys, level)
            pts = frame.points(*snapping.coords(keys, level), ring_shift)
            if len(pts) < 3:
                continue
            for (x0, y0), (x1, y1) in zip(pts, [*pts[1:], pts[0]], strict=True):
                if y0 == y1:
                    continue
                low, high = (y0, y1) if y0 < y1 else (y1, y0)
                for row in _span(low, high, rows):
                    yc = (row + 0.5) * CELL
                    x = x0 + (yc - y0) * (x1 - x0) / (y1 - y0)
                    crossings.setdefault(row, []).append(x)
    mask.fill(crossings)


def names(
    frame: Frame,
    measure: Measure,
    taken: list[Box],
    placed: list[Box],
    area: Box,
    bordered: set[int],
) -> tuple[list[Op], list[tuple[str, Box]]]:
    """Country names in free room: the ops and each placed ``(name, box)``.

    An island country too small to hold its name (Malta, Tonga) is named beside it, in
    the spots a place name would take around its label point.
    """
    cols, rows = int(frame.width // CELL), int(frame.height // CELL)
    if cols < 4 or rows < 4:
        return [], []
    masks: list[tuple[naturalearth.Country, _Mask]] = []
    for country in _visible(frame):
        mask = _Mask(cols, rows)
        _mask(country, frame, mask)
        if mask.cells:
            masks.append((country, mask))
    order = sorted(
        masks,
        key=lambda e: (-len(e[1].cells), e[0].min_label, e[0].index),
    )
    texts: list[str] = []
    options: list[list[Box]] = []
    sizes: dict[int, float] = {}
    for country, mask in order:
        text = country.name.upper()
        boxes = []
        spots: list[tuple[float, float]] | None = None
        for size, share in ((COUNTRY_SIZE, 1.0), (SMALL_SIZE, 1.0), (SMALL_SIZE, SPILL)):
            width, height = measure(text, "regular", size), (ASCENT + DESCENT) * size
            if len(mask.cells) * CELL * CELL < width * height * share:
                continue
            if spots is None:
                spots = _spots(country, mask, frame)
            for x, y in spots:
                box = Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)
                if mask.holds(box, share):
                    boxes.append(box)
                    sizes[id(box)] = size
        if not boxes and country.index not in bordered:
            boxes = _beside(country, mask, frame, text, measure)
            sizes.update((id(b), SMALL_SIZE) for b in boxes)
        if boxes:
            texts.append(text)
            options.append(boxes)
    chosen = place_boxes(options, taken, area, placed)
    ops: list[Op] = []
    out: list[tuple[str, Box]] = []
    for text, box in zip(texts, chosen, strict=True):
        if box is None:
            continue
        size = sizes[id(box)]
        y = box.y0 + DESCENT * size
        ops.append(TextOp(box.x0, y, text, "regular", size, 0.0, COUNTRY, HALO))
        out.append((text, box))
    return ops, out


def _spots(country: naturalearth.Country, mask: _Mask, frame: Frame) -> list[tuple[float, float]]:
    """Where a name may be centred, best first: Natural Earth's label point, then the
    cells deepest inside the country's visible part (every fourth, for spread)."""
    depth = mask.depths()
    deepest = sorted(depth, key=lambda k: (-depth[k], k[1], k[0]))[: CANDIDATES * 4]
    spots = [frame.point(country.label_lon, country.label_lat)]
    return spots + [((c + 0.5) * CELL, (r + 0.5) * CELL) for c, r in deepest[::4]]


def _beside(
    country: naturalearth.Country, mask: _Mask, frame: Frame, text: str, measure: Measure
) -> list[Box]:
    """Name boxes around an island country, as around a place marker as wide as it."""
    cols = [c for c, _ in mask.cells]
    rows = [r for _, r in mask.cells]
    x, y = frame.point(country.label_lon, country.label_lat)
    if (int(x / CELL), int(y / CELL)) not in mask.cells:
        x, y = (min(cols) + max(cols) + 1) / 2 * CELL, (min(rows) + max(rows) + 1) / 2 * CELL
    radius = max(max(cols) - min(cols) + 1, max(rows) - min(rows) + 1) * CELL / 2
    width, height = measure(text, "regular", SMALL_SIZE), (ASCENT + DESCENT) * SMALL_SIZE
    return candidates(x, y, width, height, min(radius, 12.0))
