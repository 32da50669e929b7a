"""The map panel's part of the format: places, bounds, overlays and the panel itself.

Why a module of its own: the map has the most structures of any panel (four), and
``schema.py`` stays a readable list of the rest. Everything here is declared exactly
like the structures there and collected into ``schema.STRUCTS``.
"""

from __future__ import annotations

from briefing import model
from briefing.source.schematypes import (
    Choice,
    Field,
    GeoJsonPath,
    ImagePath,
    ListOf,
    Number,
    Struct,
    Text,
)

PLACE = Struct(
    "place",
    "a place",
    "A named point on the map.",
    (
        Field("name", Text(), "The place's name.", "Stepanakert", required=True),
        Field("lat", Number(-90, 90), "Latitude in degrees, −90 to 90.", "39.815", required=True),
        Field(
            "lon", Number(-180, 180), "Longitude in degrees, −180 to 180.", "46.752", required=True
        ),
    ),
    model.Place,
)


def south_not_above_north(values: dict[str, object]) -> tuple[str, str] | None:
    """``bounds``: ``south`` must be below ``north``; ``west > east`` is the antimeridian."""
    south, north = values.get("south"), values.get("north")
    west, east = values.get("west"), values.get("east")
    if isinstance(south, float) and isinstance(north, float) and south >= north:
        return "south", f"{south:g} is not south of `north` ({north:g}); south must be the smaller"
    if isinstance(west, float) and isinstance(east, float) and west == east:
        return "east", f"{east:g} equals `west`; the frame has no width"
    return None


BOUNDS = Struct(
    "bounds",
    "map bounds",
    "The map's frame in degrees. `west` greater than `east` crosses the antimeridian "
    "(the 180° meridian); `south` must be less than `north`.",
    (
        Field("west", Number(-180, 180), "Western edge, longitude.", "43.0", required=True),
        Field("south", Number(-90, 90), "Southern edge, latitude.", "38.4", required=True),
        Field("east", Number(-180, 180), "Eastern edge, longitude.", "50.6", required=True),
        Field("north", Number(-90, 90), "Northern edge, latitude.", "42.0", required=True),
    ),
    model.Bounds,
    rule=south_not_above_north,
)

OVERLAY = Struct(
    "overlay",
    "an overlay",
    "A GeoJSON file drawn on the locator map (points, lines, polygons: areas of control, a "
    "line of contact), in a fixed style per overlay, named in the legend. Checked like a "
    "source: a problem names the feature (`features[3].geometry`) and what is wrong. "
    "Coordinates outside the frame are clipped. At most 8 MB and 400,000 positions a file.",
    (
        Field(
            "file",
            GeoJsonPath(),
            "The GeoJSON file, relative to the project folder.",
            "assets/line-of-contact.geojson",
            required=True,
        ),
        Field("label", Text(max_length=80), "Its name in the legend.", '"Line of contact, 2020"'),
    ),
    model.Overlay,
)

MAP = Struct(
    "map",
    "a map panel",
    "The map panel. With `image`: the image (and with `bounds`, the places plotted on it, the "
    "image taken as an equirectangular picture of `bounds`). Else, with `places` or "
    "`overlays`: a locator map drawn from bundled offline geography (GSHHG coastlines, "
    "Natural Earth borders and country names): land, sea, borders, country names, every "
    "place marked and labelled (a place that cannot be "
    "labelled is numbered and named in a key below the map), overlays with a legend, a scale "
    "bar and an inset of the wider region. Else, or with `style: placeholder`: a labelled "
    'placeholder frame of the same size (the region, the places, "map to follow"), so the '
    "layout does not move when the map arrives.",
    (
        Field("title", Text(), "Heading over the map.", "Nagorno-Karabakh and the South Caucasus"),
        Field(
            "region",
            Text(),
            "The region: named inside the placeholder, and in the caption of a drawn map or "
            "an image.",
            "South Caucasus",
        ),
        Field(
            "caption", Text(), "Caption under the map.", "Line of contact after the 1994 ceasefire."
        ),
        Field(
            "credit",
            Text(),
            "Who made the map (a drawn map also credits its coastlines and borders).",
            '"Map: Regional Security Desk"',
        ),
        Field(
            "image",
            ImagePath(),
            "The map image, a PNG or JPEG in the project folder.",
            "assets/nk-map.png",
        ),
        Field("places", ListOf(PLACE, max_items=1000), "Places marked and labelled on the map."),
        Field(
            "style",
            Choice(("locator", "placeholder")),
            "`locator` (the default): draw the map; `placeholder`: the placeholder frame.",
            "locator",
        ),
        Field("bounds", BOUNDS, "The frame; default: the places and overlays with a margin."),
        Field("overlays", ListOf(OVERLAY, max_items=12), "GeoJSON layers, with a legend."),
    ),
    model.MapPanel,
)
