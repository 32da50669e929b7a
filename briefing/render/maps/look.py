"""How the map looks: tints, line weights, type sizes and the overlay styles, in points.

Why these values: the map is printed small (about 11 × 8 cm) and often photocopied in
grayscale. Sea and land differ in lightness, not only hue (sea about 84 % grey, land 96 %),
borders are darker than coastlines and dash-free so they survive a copier, names are
7 pt with a white halo so they read over any tint, and the overlay styles differ by
dash pattern and marker shape as well as colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.render.charts.ops import RGBA


def rgb(hex_colour: str, alpha: float = 1.0) -> RGBA:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


SEA = rgb("#cadbe7")
LAND = rgb("#f7f4ec")
COAST = rgb("#7f93a3")
BORDER = rgb("#6e6e6e")
FRAME = rgb("#4d4d4d")
TEXT = rgb("#1a1a1a")
MUTED = rgb("#4d4d4d")
WHITE = rgb("#ffffff")
MARKER = rgb("#1a1a1a")
ACCENT = rgb("#c0392b")
#: Country names: a mid grey under the black place names, still dark enough to copy.
COUNTRY = rgb("#6b6b6b")

COAST_W = 0.35
BORDER_W = 0.65
FRAME_W = 0.6
LABEL_SIZE = 7.0
NUMBER_SIZE = 6.0
SMALL_SIZE = 5.5
COUNTRY_SIZE = 6.5
KEY_SIZE = 6.0
KEY_LINE = 7.4
HALO = 1.6
MARKER_R = 2.2
ASCENT = 0.80
DESCENT = 0.24
EDGE = 4.0  # furniture from the frame edge
THIN = 0.35  # vertices closer than this (points) are dropped


@dataclass(frozen=True, slots=True)
class OverlayStyle:
    colour: RGBA
    fill_alpha: float
    dash: tuple[float, ...]
    marker: str  # "triangle", "square", "diamond", "circle"


OVERLAY_STYLES = (
    OverlayStyle(rgb("#b5400b"), 0.26, (), "triangle"),
    OverlayStyle(rgb("#1f4e79"), 0.22, (4.0, 2.0), "square"),
    OverlayStyle(rgb("#00785a"), 0.24, (1.2, 1.6), "diamond"),
    OverlayStyle(rgb("#6a3d9a"), 0.22, (5.0, 1.5, 1.2, 1.5), "circle"),
)
