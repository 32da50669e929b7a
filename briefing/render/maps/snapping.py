"""Vertices on nested grids: the cheap, neighbour-consistent thinning of country outlines.

Why: a border is found as the edges two countries share, so both sides must be thinned
alike; dropping vertices by distance from the last one kept depends on where a ring
starts, a grid does not (a vertex's cell is a function of the vertex alone). The grids
are powers of two of ``BASE`` degrees and a cell is ``floor(coordinate / size)``, so a
coarser level is exactly the finer one's cells halved: once a ring is snapped at some
level in a process, every coarser level is derived from it cheaply, and a world map does
not walk the 550,000 points of the 1:10m data again for each map.
"""

from __future__ import annotations

import math
from itertools import groupby

from briefing.render.maps.geodata import Shape

Key = tuple[int, int]
#: The finest grid, degrees (about 14 m): a power of two, so scaling by it is exact.
BASE = 2.0**-13
_snapped: dict[tuple[int, int], list[Key]] = {}
#: The rings ``_snapped`` has cells of, kept alive so that no other ring can take the
#: identity (``id``) its cells are filed under until ``forget`` drops both.
_owners: dict[int, Shape] = {}


def forget() -> None:
    """Drop every ring's cells (``naturalearth.forget``, when its rings are dropped: a
    ring's cells are keyed by its identity, which a new ring could take)."""
    _snapped.clear()
    _owners.clear()


def level_for(tolerance: float) -> int:
    """The coarsest level whose cells are no larger than ``tolerance`` degrees."""
    return max(0, math.floor(math.log2(max(tolerance, BASE) / BASE)))


def size(level: int) -> float:
    return BASE * 2.0**level


def snap(xs: tuple[float, ...], ys: tuple[float, ...], level: int) -> list[Key]:
    """The vertices' cells at ``level``, repeats dropped (builtins only: every vertex)."""
    inverse = 1.0 / size(level)
    floor = math.floor
    cells = zip(
        map(floor, map(inverse.__mul__, xs)), map(floor, map(inverse.__mul__, ys)), strict=True
    )
    return [key for key, _ in groupby(cells)]


def snap_ring(ring: Shape, level: int) -> list[Key]:
    """``snap`` of the whole ring, kept per process and derived from a finer level kept."""
    done = _snapped.get((id(ring), level))
    if done is not None:
        return done
    finer = next(
        (k for k in range(level - 1, max(-1, level - 12), -1) if (id(ring), k) in _snapped),
        None,
    )
    if finer is None:
        done = snap(ring.xs, ring.ys, level)
    else:
        step = level - finer
        halved = ((x >> step, y >> step) for x, y in _snapped[(id(ring), finer)])
        done = [key for key, _ in groupby(halved)]
    _snapped[(id(ring), level)] = done
    _owners[id(ring)] = ring
    return done


def coords(keys: list[Key], level: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The cells' centres, degrees."""
    s = size(level)
    return tuple((k[0] + 0.5) * s for k in keys), tuple((k[1] + 0.5) * s for k in keys)
