"""load/check: sources → Briefing, or every error of a file, each at its line and column.

The bad inputs are one table: a snippet (plus any asset files) → the exact set of
errors (``line:column``, key path) and words each message must contain. Every
expected error must appear, and no other.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from textwrap import dedent

import pytest
from conftest import JPEG_BYTES, PNG_BYTES, Project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.errors import SourceError, SourceInvalid, Span, display_path
from briefing.model import Actor, Event, Fact, PartialDate, Place, Section, Source
from briefing.source.load import check, load
from briefing.source.manual import EXAMPLE

#: Three lines that make a valid source; cases add their lines from line 4 on.
BASE = "title: T\nas_of: 2020-09-29\nsummary: [S]\n"

#: The contract's complete example (shared/source-format.md), as the schema keeps it.
CONTRACT_EXAMPLE = EXAMPLE


@dataclass(frozen=True)
class Case:
    """A bad source and the errors it must produce: (``line:col``, key path, words)."""

    id: str
    source: str | bytes
    expected: tuple[tuple[str, str, str], ...]
    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # link → target, both under the root
    name: str = "x.yaml"


def doc(extra: str) -> str:
    """BASE plus ``extra`` (dedented): the extra lines start at line 4."""
    return BASE + dedent(extra)


def events(count: int) -> str:
    lines = [f"    - {{date: {2000 + i % 20}, label: Event {i}}}" for i in range(count)]
    return "timeline:\n  events:\n" + "\n".join(lines) + "\n"


TAG_REFUSED = "is not allowed; a source holds only text, lists and mappings"
NO_SOURCE = "but `sources` has no such id"

CASES = [
    # ---- YAML and file level ----
    Case(
        "python-tag",
        'title: !!python/object/apply:os.system ["echo hi"]\nas_of: 2020-09-29\nsummary: [S]\n',
        (("1:8", "title", f"the tag `!!python/object/apply:os.system` {TAG_REFUSED}"),),
    ),
    Case("custom-tag", doc("subtitle: !secret x\n"), (("4:11", "subtitle", "`!secret`"),)),
    Case(
        "latin-1",
        "title: Café\nas_of: 2020-09-29\nsummary: [S]\n".encode("latin-1"),
        (("1:11", "", "the file is not UTF-8 text (byte 0xe9 at offset 10); save it as UTF-8"),),
    ),
    Case("utf-16", BASE.encode("utf-16"), (("1:1", "", "the file is UTF-16 or UTF-32 text"),)),
    Case(
        "utf-16-without-bom",
        BASE.encode("utf-16-le"),
        (("1:2", "", "not UTF-8 text (a NUL byte at offset 1; is it UTF-16?)"),),
    ),
    Case(
        "two-documents",
        BASE + "---\ntitle: U\n",
        (("4:1", "", "a second YAML document starts here; a source file holds exactly one"),),
    ),
    Case("empty-file", "", (("1:1", "", "the file is empty"),)),
    Case("only-comments", "# nothing yet\n\n# really\n", (("1:1", "", "the file is empty"),)),
    Case("top-level-list", "- title: T\n", (("1:1", "", "the top level must be a mapping"),)),
    Case(
        "duplicate-key",
        doc("title: U\n"),
        (("4:1", "title", "the key `title` is given twice (first on line 1)"),),
    ),
    Case(
        "yaml-syntax",
        doc("subtitle: First war: 30,000\n"),
        (("4:20", "", "invalid YAML: this text contains `: `"),),
    ),
    Case("control-character", doc("subtitle: a\x07b\n"), (("4:12", "", "U+0007"),)),
    Case(
        "escaped-control-character",
        doc('subtitle: "esc \\e here"\n'),
        (("4:11", "subtitle", "contains the control character U+001B, which cannot print"),),
    ),
    Case(
        "escaped-delete-character",
        doc('subtitle: "del \\x7f"\n'),
        (("4:11", "subtitle", "contains the control character U+007F"),),
    ),
    Case("key-not-text", doc("[a]: 1\n"), (("4:1", "", "a key must be text, got a list"),)),
    # ---- keys ----
    Case(
        "unknown-top-level-key",
        doc("reviewby: 2020-10-13\n"),
        (("4:1", "reviewby", "unknown key at the top level; did you mean `review_by`?"),),
    ),
    Case(
        "unknown-nested-key",
        doc("actors:\n  - nmae: Armenia\n"),
        (
            ("5:5", "actors[0].nmae", "unknown key in an actor; did you mean `name`?"),
            ("5:5", "actors[0].name", "required key missing: an actor needs `name`"),
        ),
    ),
    Case(
        "unknown-key-without-suggestion",
        doc("colour: red\n"),
        (("4:1", "colour", "unknown key at the top level; the keys are: title, subtitle"),),
    ),
    Case(
        "missing-top-level-keys",
        "# comment first\nsubtitle: only this\n",
        (
            ("2:1", "title", "required key missing: a briefing needs `title`"),
            ("2:1", "as_of", "a briefing needs `as_of`"),
            ("2:1", "summary", "a briefing needs `summary`"),
        ),
    ),
    Case(
        "missing-event-date-and-label",
        doc("timeline:\n  events:\n    - {category: military}\n"),
        (
            ("6:7", "timeline.events[0].date", "an event needs `date`"),
            ("6:7", "timeline.events[0].label", "an event needs `label`"),
        ),
    ),
    Case(
        "missing-timeline-events",
        doc("timeline:\n  title: T\n"),
        (("5:3", "timeline.events", "a timeline needs `events`"),),
    ),
    Case(
        "missing-actor-name",
        doc("actors:\n  - {role: Party}\n"),
        (("5:5", "actors[0].name", "an actor needs `name`"),),
    ),
    Case(
        "missing-section-heading-and-body",
        doc("sections:\n  - heading: H\n  - body: B\n"),
        (
            ("5:5", "sections[0].body", "a section needs `body`"),
            ("6:5", "sections[1].heading", "a section needs `heading`"),
        ),
    ),
    Case(
        "missing-source-id-and-title",
        doc("sources:\n  - {title: T}\n  - {id: s2}\n"),
        (
            ("5:5", "sources[0].id", "a source needs `id`"),
            ("6:5", "sources[1].title", "a source needs `title`"),
        ),
    ),
    Case(
        "missing-figure-image",
        doc("figures:\n  - caption: C\n"),
        (("5:5", "figures[0].image", "a figure needs `image`"),),
    ),
    Case(
        "required-key-without-value",
        "title:\nas_of: ~\nsummary: [S]\n",
        (
            ("1:1", "title", "is required but has no value"),
            ("2:1", "as_of", "is required but has no value"),
        ),
    ),
    # ---- types ----
    Case(
        "mapping-where-text-expected",
        doc("subtitle: {a: 1}\n"),
        (("4:11", "subtitle", "expected text, got a mapping"),),
    ),
    Case(
        "list-where-text-expected",
        "title: [a, b]\nas_of: 2020-09-29\nsummary: [S]\n",
        (("1:8", "title", "expected text, got a list"),),
    ),
    Case(
        "ties-as-mapping",
        doc("actors:\n  - name: A\n    ties: {Russia: ally}\n"),
        (("6:11", "actors[0].ties", "expected text or a list of texts, got a mapping"),),
    ),
    Case(
        "summary-as-text",
        "title: T\nas_of: 2020-09-29\nsummary: just one\n",
        (("3:10", "summary", "expected a list of texts, got text"),),
    ),
    Case(
        "summary-item-empty",
        "title: T\nas_of: 2020-09-29\nsummary: [S, ~]\n",
        (("3:14", "summary[1]", "expected text, got nothing"),),
    ),
    Case(
        "fact-as-text",
        doc("key_facts:\n  - Population 150,000\n"),
        (("5:5", "key_facts[0]", "expected a mapping (a fact), got text"),),
    ),
    Case(
        "map-as-list",
        doc("map: [a]\n"),
        (("4:6", "map", "expected a mapping (a map panel), got a list"),),
    ),
    Case("empty-text", doc('subtitle: ""\n'), (("4:11", "subtitle", "is empty"),)),
    Case(
        "text-too-long",
        doc(f"subtitle: {'x' * 100_001}\n"),
        (("4:11", "subtitle", "is 100,001 characters long; it may be at most 100,000"),),
    ),
    # ---- dates ----
    Case(
        "impossible-day",
        doc("timeline:\n  events:\n    - {date: 2020-02-30, label: L}\n"),
        (
            (
                "6:14",
                "timeline.events[0].date",
                "`2020-02-30` is not a real date: February 2020 has no day 30",
            ),
        ),
    ),
    Case(
        "impossible-month",
        doc("sources:\n  - {id: s, title: T, date: 2020-13}\n"),
        (("5:29", "sources[0].date", "`2020-13` is not a real date: there is no month 13"),),
    ),
    Case(
        "two-digit-year",
        doc("timeline:\n  events:\n    - {date: 20-01-01, label: L}\n"),
        (
            (
                "6:14",
                "timeline.events[0].date",
                "`20-01-01` is not a date written YYYY, YYYY-MM or YYYY-MM-DD",
            ),
        ),
    ),
    Case(
        "as-of-month-precision",
        "title: T\nas_of: 2020-09\nsummary: [S]\n",
        (("2:8", "as_of", "needs a full date (YYYY-MM-DD), got `2020-09`"),),
    ),
    Case(
        "review-by-not-a-date",
        doc("review_by: next week\n"),
        (("4:12", "review_by", "`next week` is not a date written YYYY-MM-DD"),),
    ),
    Case(
        "end-before-date",
        doc("timeline:\n  events:\n    - {date: 1988, end: 1987, label: L}\n"),
        (("6:25", "timeline.events[0].end", "`1987` falls before the event's `date` (1988)"),),
    ),
    Case(
        "end-before-date-mixed-precision",
        doc("timeline:\n  events:\n    - {date: 1988-05, end: 1987, label: L}\n"),
        (("6:28", "timeline.events[0].end", "`1987` falls before the event's `date` (1988-05)"),),
    ),
    # ---- ids and references ----
    Case(
        "bad-id",
        doc("id: Bad_ID\n"),
        (("4:5", "id", "`Bad_ID` is not valid here: use lowercase letters, digits and hyphens"),),
    ),
    Case(
        "bad-file-stem",
        BASE,
        (("1:1", "id", "the file name gives the id `Bad Name`, which is not valid"),),
        name="Bad Name.yaml",
    ),
    Case(
        "duplicate-source-ids",
        doc("sources:\n  - {id: s1, title: A}\n  - {id: s1, title: B}\n"),
        (("6:10", "sources[1].id", "the source id `s1` is used twice (first on line 5)"),),
    ),
    Case(
        "bad-source-id",
        doc("sources:\n  - {id: mt 2020, title: A}\n"),
        (("5:10", "sources[0].id", "`mt 2020` is not a valid source id"),),
    ),
    Case(
        "unresolved-citation-in-body",
        doc("sections:\n  - heading: H\n    body: |\n      Para one.\n\n      - item [@nowhere]\n"),
        (("6:11", "sections[0].body", "cites `[@nowhere]`, but no source in `sources` has"),),
    ),
    Case(
        "unresolved-citation-in-summary",
        "title: T\nas_of: 2020-09-29\nsummary:\n  - Fine.\n  - Claim [@mt2020].\n"
        "sources:\n  - {id: mt-2020, title: T}\n",
        (("5:5", "summary[1]", "cites `[@mt2020]`, but no source in `sources` has that id; "),),
    ),
    Case(
        "unresolved-source-fields",
        doc(
            """\
            key_facts:
              - {label: L, value: 1, source: nope}
            timeline:
              events:
                - {date: 1921, label: L, source: nope}
            actors:
              - {name: A, source: nope}
            """
        ),
        (
            ("5:34", "key_facts[0].source", f"names the source `nope`, {NO_SOURCE}"),
            ("8:38", "timeline.events[0].source", NO_SOURCE),
            ("10:23", "actors[0].source", NO_SOURCE),
        ),
    ),
    Case(
        "figure-after-names-no-section",
        doc(
            "sections:\n  - {heading: Background, body: B}\n"
            "figures:\n  - {image: assets/p.jpg, after: Backgroud}\n"
        ),
        (
            (
                "7:34",
                "figures[0].after",
                "`Backgroud` is not the heading of any section or sub-section; "
                "did you mean `Background`?",
            ),
        ),
        files={"assets/p.jpg": JPEG_BYTES},
    ),
    Case(
        "sections-nested-two-levels",
        doc(
            """\
            sections:
              - heading: A
                body: B
                sections:
                  - heading: A1
                    body: B1
                    sections:
                      - {heading: A2, body: B2}
            """
        ),
        (("10:9", "sections[0].sections[0].sections", "sections nest one level deep only"),),
    ),
    # ---- URLs and links ----
    Case(
        "javascript-url",
        doc("sources:\n  - id: s\n    title: T\n    url: javascript:alert(1)\n"),
        (("7:10", "sources[0].url", "uses `javascript:`; only http: or https: links are allowed"),),
    ),
    Case(
        "ftp-url",
        doc("sources:\n  - id: s\n    title: T\n    url: ftp://example.com/x\n"),
        (
            (
                "7:10",
                "sources[0].url",
                "`ftp://example.com/x` uses `ftp:`; only http: or https: links",
            ),
        ),
    ),
    Case(
        "url-without-host",
        doc('sources:\n  - id: s\n    title: T\n    url: "https:///path"\n'),
        (("7:10", "sources[0].url", "`https:///path` has no host name"),),
    ),
    Case(
        "link-in-text-with-bad-scheme",
        "title: T\nas_of: 2020-09-29\nsummary:\n  - See [the file](ftp://example.com/f).\n",
        (
            (
                "4:5",
                "summary[0]",
                "link `ftp://example.com/f` uses `ftp:`; only http:, https: or mailto: links",
            ),
        ),
    ),
    Case(
        "javascript-link-in-text",
        'title: T\nas_of: 2020-09-29\nsummary:\n  - "[click](javascript:alert(1))"\n',
        (
            (
                "4:5",
                "summary[0]",
                "a `javascript:` link is not allowed; only http:, https: or mailto:",
            ),
        ),
    ),
    Case(
        "relative-link-in-text",
        doc("subtitle: see [here](page.html)\n"),
        (
            (
                "4:11",
                "subtitle",
                "link `page.html` is not an absolute URL; only http:, https: or mailto:",
            ),
        ),
    ),
    # ---- numbers, choices, markings ----
    Case(
        "lat-lon-out-of-range",
        doc("map:\n  places:\n    - {name: P, lat: 91, lon: -181}\n"),
        (
            ("6:22", "map.places[0].lat", "must be from -90 to 90, got 91"),
            ("6:31", "map.places[0].lon", "must be from -180 to 180, got -181"),
        ),
    ),
    Case(
        "lat-lon-as-text",
        doc('map:\n  places:\n    - {name: P, lat: north, lon: "46.7"}\n'),
        (
            ("6:22", "map.places[0].lat", "expected a number from -90 to 90, got `north`"),
            ("6:34", "map.places[0].lon", 'got the text "46.7" (remove the quotes)'),
        ),
    ),
    Case(
        "summary-empty",
        "title: T\nas_of: 2020-09-29\nsummary: []\n",
        (("3:10", "summary", "has 0 items, but 1 to 7 are allowed"),),
    ),
    Case(
        "summary-eight-items",
        "title: T\nas_of: 2020-09-29\nsummary: [a, b, c, d, e, f, g, h]\n",
        (("3:10", "summary", "has 8 items, but 1 to 7 are allowed"),),
    ),
    Case(
        "too-many-events",
        doc(events(301)),
        (("6:5", "timeline.events", "has 301 items, but 1 to 300 are allowed"),),
    ),
    Case("draft-maybe", doc("draft: maybe\n"), (("4:8", "draft", "true or false, got `maybe`"),)),
    Case(
        "draft-yes", doc("draft: yes\n"), (("4:8", "draft", "expected true or false, got `yes`"),)
    ),
    Case(
        "draft-quoted",
        doc('draft: "true"\n'),
        (("4:8", "draft", 'got the text "true" (remove the quotes)'),),
    ),
    Case(
        "page-size-a5",
        doc("page_size: A5\n"),
        (("4:12", "page_size", "expected A4 or letter, got `A5`"),),
    ),
    Case(
        "marking-tlp-wrong-case",
        doc("marking: TLP:Amber\n"),
        (("4:10", "marking", "is not a TLP 2.0 label (TLP:RED, "),),
    ),
    Case(
        "marking-tlp-1.0",
        doc("marking: TLP:WHITE\n"),
        (("4:10", "marking", "`TLP:WHITE` is TLP 1.0, use `TLP:CLEAR`"),),
    ),
    Case(
        "language-bad",
        doc("language: english!\n"),
        (("4:11", "language", "`english!` is not valid here: use a BCP 47 language tag"),),
    ),
    # ---- image paths ----
    Case(
        "image-absolute",
        doc("map:\n  image: /etc/passwd\n"),
        (("5:10", "map.image", "`/etc/passwd` must be relative to the project folder"),),
    ),
    Case(
        "image-dot-dot-escape",
        doc("map:\n  image: ../outside.png\n"),
        (("5:10", "map.image", "`../outside.png` leads outside the project folder"),),
        files={"../outside.png": PNG_BYTES},
    ),
    Case(
        "image-symlink-outside",
        doc("map:\n  image: assets/link.png\n"),
        (("5:10", "map.image", "leads outside the project folder (through a link)"),),
        files={"../outside.png": PNG_BYTES},
        links={"assets/link.png": "../outside.png"},
    ),
    Case(
        "image-missing",
        doc("figures:\n  - image: assets/nope.png\n"),
        (("5:12", "figures[0].image", "`assets/nope.png` does not exist"),),
    ),
    Case(
        "image-png-that-is-text",
        doc("figures:\n  - image: assets/fake.png\n"),
        (("5:12", "figures[0].image", "is not a PNG or JPEG image; only PNG and JPEG"),),
        files={"assets/fake.png": b"this is not an image\n"},
    ),
    Case(
        "image-gif",
        doc("figures:\n  - image: assets/anim.gif\n"),
        (("5:12", "figures[0].image", "`assets/anim.gif` is a GIF image; only PNG and JPEG"),),
        files={"assets/anim.gif": b"GIF89a\x01\x00\x01\x00"},
    ),
    Case(
        "image-is-a-folder",
        doc("map:\n  image: assets\n"),
        (("5:10", "map.image", "`assets` is not a file"),),
    ),
]


def test_the_table_has_enough_distinct_cases() -> None:
    assert len(CASES) >= 45
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_source_reports_exactly_these_errors(project: Project, case: Case) -> None:
    for relative, data in case.files.items():
        project.write(relative, data)
    for link, target in case.links.items():
        (project.root / link).symlink_to(project.root / target)
    path = project.source(case.source, name=case.name)

    errors = check(path, root=project.root)

    got = sorted((f"{e.span.line}:{e.span.column}", e.key_path, e.message) for e in errors)
    want = sorted(case.expected)
    assert [g[:2] for g in got] == [w[:2] for w in want], "\n".join(str(e) for e in errors)
    for (_, _, message), (_, _, words) in zip(got, want, strict=True):
        assert words in message
    for error in errors:
        assert error.span.file == f"sources/{case.name}"
        where = f"{error.key_path}: " if error.key_path else ""
        assert str(error) == f"{error.span}: {where}{error.message}"
    assert errors == sorted(errors, key=SourceError.sort_key)
    with pytest.raises(SourceInvalid) as raised:
        load(path, root=project.root)
    assert raised.value.errors == errors


def test_every_error_of_a_file_is_reported_in_file_order(project: Project) -> None:
    path = project.source(
        dedent(
            """\
            title: T
            as_of: 2020-9-29
            summary:
              - Claim [@ghost].
            draft: maybe
            actors:
              - name: A
                ties: {a: b}
              - role: no name
            timeline:
              events:
                - {date: 2020-02-30, label: L}
            sources:
              - {id: s, title: S, url: "ftp://x.org"}
            reviewby: 2021-01-01
            """
        )
    )
    assert [str(e) for e in check(path, root=project.root)] == [
        "sources/x.yaml:2:8: as_of: `2020-9-29` is not a date written YYYY-MM-DD; "
        "did you mean `2020-09-29`?",
        "sources/x.yaml:4:5: summary[0]: cites `[@ghost]`, but no source in `sources` has that id; "
        "the only source id is `s`",
        "sources/x.yaml:5:8: draft: expected true or false, got `maybe`",
        "sources/x.yaml:8:11: actors[0].ties: expected text or a list of texts, got a mapping",
        "sources/x.yaml:9:5: actors[1].name: required key missing: an actor needs `name`",
        "sources/x.yaml:12:14: timeline.events[0].date: `2020-02-30` is not a real date: "
        "February 2020 has no day 30",
        "sources/x.yaml:14:28: sources[0].url: `ftp://x.org` uses `ftp:`; "
        "only http: or https: links are allowed",
        "sources/x.yaml:15:1: reviewby: unknown key at the top level; did you mean `review_by`?",
    ]


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return BASE + "x:\n" + "".join(f"  {line}\n" for line in lines)


def test_alias_bomb_is_an_error_after_bounded_work(project: Project, monkeypatch) -> None:
    """Refused after visiting each distinct node once (not the 387 million expanded ones), and
    in bounded memory: work is counted, not timed (timings belong in benchmarks/)."""
    from briefing.source import yamlsrc

    path = project.source(billion_laughs())
    visits = 0
    span = yamlsrc._span

    def counting(*args):
        nonlocal visits
        visits += 1
        return span(*args)

    monkeypatch.setattr(yamlsrc, "_span", counting)
    tracemalloc.start()
    try:
        errors = check(path, root=project.root)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert [str(e) for e in errors] == [
        "sources/x.yaml:10:6: this value holds more than 100,000 values once its aliases "
        "(`*name`) are expanded; a briefing never needs that many"
    ]
    assert visits < 200  # the file has under a hundred distinct nodes
    assert peak < 1_000_000  # the expanded tree would take gigabytes


# ---- sources that load -------------------------------------------------------


def test_the_contract_example_loads(project: Project) -> None:
    path = project.source(CONTRACT_EXAMPLE, name="nagorno-karabakh-2020.yaml")
    b = load(path, root=project.root)

    assert b.id == "nagorno-karabakh-2020"
    assert b.path == "sources/nagorno-karabakh-2020.yaml"
    assert b.title == "Nagorno-Karabakh: Worst Clashes Since 2016"
    assert b.subtitle == "Why they are fighting, and Russia's role"
    assert b.as_of == dt.date(2020, 9, 29)
    assert b.marking == "UNCLASSIFIED"
    assert b.organization == "Regional Security Desk"
    assert b.authors == ("South Caucasus team",)
    assert b.review_by == dt.date(2020, 10, 13)
    assert (b.draft, b.page_size, b.language) == (False, None, "en")
    assert b.summary == (
        "At least 39 troops and civilians were killed in two days, the worst fighting since 2016.",
        "Russia is allied to Armenia through the CSTO but sells arms to both sides.",
    )
    assert b.key_facts == (Fact("Population of Nagorno-Karabakh", "under 150,000", ("mt-2020",)),)
    assert b.map is not None
    assert b.map.title == "Nagorno-Karabakh and the South Caucasus"
    assert b.map.region == "South Caucasus"
    assert b.map.caption == "Line of contact after the 1994 ceasefire."
    assert (b.map.credit, b.map.image) == (None, None)
    assert b.map.places == (Place("Stepanakert", 39.815, 46.752),)
    assert b.timeline is not None
    assert b.timeline.title == "A century of dispute"
    assert b.timeline.events == (
        Event(
            PartialDate(1921),
            "Soviet authorities add Karabakh to Azerbaijan SSR",
            category="political",
        ),
        Event(
            PartialDate(1988),
            "First war: 30,000 killed",
            end=PartialDate(1994, 5),
            category="military",
        ),
        Event(
            PartialDate(2020, 9, 27),
            "Heaviest clashes since 2016",
            category="military",
            source=("mt-2020",),
        ),
    )
    assert b.actors == (
        Actor(
            "Armenia",
            type="state",
            role="Party to the conflict",
            alignment="Backs the Karabakh Armenian authorities",
            ties=("Russia", "CSTO", "EEU"),
            notes="Hosts a Russian military base near Gyumri.",
        ),
    )
    assert b.sections == (
        Section(
            "Why are they fighting?",
            "Armenia and Azerbaijan have clashed over Nagorno-Karabakh since **1988** [@mt-2020].",
        ),
    )
    assert b.figures == ()
    assert b.sources == (
        Source(
            "mt-2020",
            "Explainer: The Nagorno-Karabakh flare-up and Russia's role",
            publisher="The Moscow Times",
            date=PartialDate(2020, 9, 29),
            url="https://www.themoscowtimes.com/",
            note="AFP contributed reporting.",
        ),
    )
    file = "sources/nagorno-karabakh-2020.yaml"
    assert b.locations["title"] == Span(file, 1, 8)
    assert b.locations["summary[1]"] == Span(file, 11, 5)
    assert b.locations["actors[0].ties"] == Span(file, 37, 11)
    assert b.locations["actors[0].ties[2]"] == Span(file, 37, 26)
    assert b.locations["timeline.events[1].end"] == Span(file, 29, 25)
    assert b.locations["sections[0].body"] == Span(file, 42, 11)
    assert b.locations["sources[0].url"] == Span(file, 50, 10)
    assert b.span_of("map.places[0].lat") == Span(file, 23, 32)


def test_every_value_read_has_a_location(project: Project) -> None:
    project.png("assets/nk-map.png")
    project.jpeg("assets/stepanakert.jpg")
    point = '{"type": "Point", "coordinates": [46.7, 39.8]}'
    project.write("assets/line-of-contact.geojson", point)
    from briefing.source.schema import example_document

    b = load(project.source(example_document()), root=project.root)
    assert {
        "title",
        "summary[0]",
        "map.image",
        "map.places[0].lon",
        "timeline.events[0].end",
        "actors[0].ties[1]",
        "sections[0].sections[0].body",
        "figures[0].after",
        "sources[0].accessed",
    } <= set(b.locations)
    assert all(span.file == "sources/x.yaml" for span in b.locations.values())


@pytest.mark.parametrize("written", ["1921", '"1921"', "'1921'"])
def test_quoted_and_plain_years_are_the_same(project: Project, written: str) -> None:
    source = doc(f"timeline:\n  events:\n    - {{date: {written}, label: L}}\n")
    b = load(project.source(source), root=project.root)
    assert b.timeline is not None
    assert b.timeline.events[0].date == PartialDate(1921)


def test_yaml_typing_never_changes_a_text(project: Project) -> None:
    source = dedent(
        """\
        title: 2020-09-29
        subtitle: no
        as_of: 2020-09-29
        summary: [no, 3:1, 1e3, yes, off, 0x1F, "null"]
        key_facts:
          - {label: true, value: 150000}
          - {label: Ratio, value: 1e3}
          - {label: 012, value: 1_000}
          - {label: ~tilde, value: .inf}
        """
    )
    b = load(project.source(source), root=project.root)
    assert (b.title, b.subtitle) == ("2020-09-29", "no")
    assert b.summary == ("no", "3:1", "1e3", "yes", "off", "0x1F", "null")
    assert b.key_facts == (
        Fact("true", "150000"),
        Fact("Ratio", "1e3"),
        Fact("012", "1_000"),
        Fact("~tilde", ".inf"),
    )


def test_precision_is_kept(project: Project) -> None:
    source = doc(
        "timeline:\n  events:\n"
        "    - {date: 1994, end: 1994-05, label: A}\n"
        "    - {date: 1994-05-17, label: B}\n"
        "sources:\n  - {id: s, title: S, date: 2020-09, accessed: 2020-09-30}\n"
    )
    b = load(project.source(source), root=project.root)
    assert b.timeline is not None
    first, second = b.timeline.events
    assert (first.date, first.end) == (PartialDate(1994), PartialDate(1994, 5))
    assert first.end is not None
    assert first.end.precision == "month"
    assert second.date == PartialDate(1994, 5, 17)
    assert b.sources[0].date == PartialDate(2020, 9)
    assert b.sources[0].accessed == PartialDate(2020, 9, 30)


def test_end_on_the_same_first_day_is_allowed(project: Project) -> None:
    source = doc("timeline:\n  events:\n    - {date: 1988-01, end: 1988, label: L}\n")
    b = load(project.source(source), root=project.root)
    assert b.timeline is not None
    assert b.timeline.events[0].end == PartialDate(1988)


def test_unicode_text_is_preserved(project: Project) -> None:
    source = dedent(
        """\
        title: "Հայաստան, Azərbaycan, Россия, Ελλάδα, Türkiye"
        as_of: 2020-09-29
        summary:
          - "العربية and עברית stay as written: AT&T <Holdings> &amp;"
        """
    )
    b = load(project.source(source), root=project.root)
    assert b.title == "Հայաստան, Azərbaycan, Россия, Ελλάδα, Türkiye"
    assert b.summary == ("العربية and עברית stay as written: AT&T <Holdings> &amp;",)


@pytest.mark.parametrize(
    ("written", "value"), [("A4", "A4"), ("a4", "A4"), ("letter", "letter"), ("Letter", "letter")]
)
def test_page_size_is_case_insensitive(project: Project, written: str, value: str) -> None:
    b = load(project.source(doc(f"page_size: {written}\n")), root=project.root)
    assert b.page_size == value


@pytest.mark.parametrize(("written", "value"), [("true", True), ("False", False), ("TRUE", True)])
def test_draft_takes_true_and_false(project: Project, written: str, value: bool) -> None:
    assert load(project.source(doc(f"draft: {written}\n")), root=project.root).draft is value


def test_single_texts_count_as_lists_of_one(project: Project) -> None:
    b = load(
        project.source(doc("authors: Jane Doe\nactors:\n  - {name: A, ties: CSTO}\n")),
        root=project.root,
    )
    assert b.authors == ("Jane Doe",)
    assert b.actors[0].ties == ("CSTO",)
    assert b.locations["authors[0]"] == b.locations["authors"] == Span("sources/x.yaml", 4, 10)


def test_empty_optional_values_count_as_not_given(project: Project) -> None:
    source = doc("subtitle:\nmap: ~\nactors: null\nmarking: NULL\n")
    b = load(project.source(source), root=project.root)
    assert (b.subtitle, b.map, b.actors, b.marking) == (None, None, (), None)


def test_accepted_markings_languages_and_links(project: Project) -> None:
    source = doc(
        "marking: TLP:AMBER+STRICT\nlanguage: hy-AM\n"
        "subtitle: Ask [the desk](mailto:desk@example.org) or [read](https://example.org/a?b=c)\n"
    )
    b = load(project.source(source), root=project.root)
    assert (b.marking, b.language) == ("TLP:AMBER+STRICT", "hy-AM")
    other = load(project.source(doc("marking: OFFICIAL-SENSITIVE\n"), "y.yaml"), root=project.root)
    assert other.marking == "OFFICIAL-SENSITIVE"


def test_images_are_stored_resolved_and_may_be_linked_inside(project: Project) -> None:
    real = project.png("assets/maps/real.png")
    (project.root / "assets" / "map.png").symlink_to(real)
    project.jpeg("assets/photo.jpg")
    source = doc(
        "map:\n  image: assets/map.png\n"
        "sections:\n  - heading: A\n    body: B\n    sections:\n      - {heading: A1, body: B1}\n"
        "figures:\n  - {image: assets/photo.jpg, after: A1}\n  - {image: ./assets/photo.jpg}\n"
    )
    b = load(project.source(source), root=project.root)
    assert b.map is not None
    assert b.map.image == real.resolve()
    assert b.map.image.is_absolute()
    assert [f.image for f in b.figures] == [(project.root / "assets/photo.jpg").resolve()] * 2
    assert b.figures[0].after == "A1"
    assert b.assets() == (real.resolve(), (project.root / "assets/photo.jpg").resolve())


def test_explicit_id_wins_over_a_bad_file_name(project: Project) -> None:
    path = project.source(doc("id: good-id\n"), name="Bad Name.yaml")
    assert load(path, root=project.root).id == "good-id"


def test_crlf_and_bom_sources_load(project: Project) -> None:
    path = project.source(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode())
    assert load(path, root=project.root).title == "T"


def test_unreadable_file_is_an_error_not_an_exception(project: Project) -> None:
    missing = project.root / "sources" / "missing.yaml"
    (error,) = check(missing, root=project.root)
    assert str(error).startswith("sources/missing.yaml:1:1: cannot read the file: ")
    (error,) = check(project.root / "sources", root=project.root)
    assert error.message.startswith("cannot read the file: ")


def test_display_path(project: Project, tmp_path: Path) -> None:
    inside = project.root / "sources" / "x.yaml"
    assert display_path(inside, project.root) == "sources/x.yaml"
    outside = tmp_path / "elsewhere.yaml"
    assert display_path(outside, project.root) == str(outside)
    relative = Path(os.path.relpath(inside))
    assert display_path(relative, project.root) == "sources/x.yaml"


# ---- never a traceback -------------------------------------------------------


def assert_located(path: Path, data: bytes, errors: list[SourceError], project: Project) -> None:
    """Problems are located lines inside the file, in file order, and agree with ``load``:
    it raises exactly these problems, or loads when there are none."""
    lines = data.count(b"\n") + 1
    for error in errors:
        assert error.span.file == "sources/x.yaml"
        assert 1 <= error.span.line <= lines + 1, error  # + 1: the parser's end of file
        assert error.span.column >= 1, error
        assert re.fullmatch(r"sources/x\.yaml:\d+:\d+: .+", str(error), re.S), error
    assert errors == sorted(errors, key=SourceError.sort_key)
    if errors:
        with pytest.raises(SourceInvalid) as raised:
            load(path, root=project.root)
        assert raised.value.errors == errors
    else:
        assert load(path, root=project.root).path == "sources/x.yaml"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_any_bytes_give_errors_not_exceptions(project: Project, data: bytes) -> None:
    path = project.source(data)
    assert_located(path, data, check(path, root=project.root), project)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.integers(min_value=0, max_value=len(CONTRACT_EXAMPLE)),
    junk=st.text(alphabet=st.sampled_from(list(" -:[]{}&*!|>'\"#@%,?\n\tx1é")), max_size=8),
)
def test_damaged_examples_give_errors_not_exceptions(project: Project, cut: int, junk: str) -> None:
    text = CONTRACT_EXAMPLE[:cut] + junk + CONTRACT_EXAMPLE[cut:]
    path = project.source(text)
    assert_located(path, text.encode(), check(path, root=project.root), project)
