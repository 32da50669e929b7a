"""The briefing source format, declared once: every structure, key, type, meaning and example.

Why: the loader (unknown keys, required keys, types), the JSON Schema for
editors (``manual.json_schema()``) and the user reference
(``manual.markdown_reference()``, written to ``docs/source-format.md``) all
read these declarations, so the format cannot mean one thing to the builder and
another to the people writing sources. The vocabulary is in ``schematypes.py``;
the walk in ``validate.py`` and the checks, with their messages, in ``scalars.py``, ``urls.py`` and
``paths.py``; the published renderings (with the reference's prose) in
``manual.py``, drawn by ``schemaout.py``.
"""

from __future__ import annotations

from briefing import model
from briefing.source.mapschema import BOUNDS, MAP, OVERLAY, PLACE
from briefing.source.schematypes import (
    Bool,
    Choice,
    Date,
    Field,
    HeadingRef,
    ImagePath,
    ListOf,
    Marking,
    Pattern,
    SourceId,
    SourceRef,
    Struct,
    Text,
    Url,
    example_of,
)

ID = Pattern(
    r"[a-z0-9][a-z0-9-]*", "lowercase letters, digits and hyphens, not starting with a hyphen"
)
LANGUAGE = Pattern(
    r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", "a BCP 47 language tag such as `en` or `en-GB`", 35
)

#: A ``source:`` field: one id, or a list of ids when several sources back the value.
SOURCE_REFS = ListOf(SourceRef(), min_items=1, max_items=100, single=True)

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
        Field(
            "source",
            SOURCE_REFS,
            "The id of the source the fact comes from, or a list of ids.",
            "[mt-2020]",
        ),
    ),
    model.Fact,
)


def end_not_before_date(values: dict[str, object]) -> tuple[str, str] | None:
    """An event's ``end`` may have another precision; its last day is not before ``date``'s first.

    ``date: 2021-04-02, end: 2021-04`` is a span ending later that April: valid.
    """
    start, end = values.get("date"), values.get("end")
    if not isinstance(start, model.PartialDate) or not isinstance(end, model.PartialDate):
        return None
    if end.last_day() >= start.first_day():
        return None
    return "end", f"`{end.iso()}` falls before the event's `date` ({start.iso()})"


EVENT = Struct(
    "event",
    "an event",
    "One dated event on the timeline chart and in the chronology.",
    (
        Field("date", Date(), "When it happened (or began).", "1988", required=True),
        Field(
            "end",
            Date(),
            "When it ended: the event is a span. Its last day is not before `date`'s first.",
            "1994-05",
        ),
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
        Field("source", SOURCE_REFS, "The id of the source, or a list of ids.", "mt-2020"),
        Field("key", Bool(), "`true`: a key event, always labelled on the chart.", "true"),
    ),
    model.Event,
    rule=end_not_before_date,
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
        Field("source", SOURCE_REFS, "The id of the source, or a list of ids.", "mt-2020"),
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


def example_document() -> str:
    """A whole source using every key of the format once: the declared examples, assembled."""
    return "".join(f"{f.key}: {example_of(f)}\n" for f in BRIEFING.fields)
