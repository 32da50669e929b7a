"""The mistakes people make get a located message that says what to type (issue 16).

Two kinds of test: exact messages for each recognised mistake on a small source, and a
corpus of real slips, each a one-line edit of the example source, each asserting where
the message points and the fix it names, and that no YAML-internal phrase reaches the
author without a plain explanation beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Project

from briefing.cli import cli
from briefing.cli.scaffold import init_project, source_text
from briefing.cli.watch import Watch, WatchOptions
from briefing.source.dates import hint as date_hint
from briefing.source.load import check, load
from briefing.source.suggest import IdSuggester

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "sources" / "nagorno-karabakh-2020.yaml"
NAME = "sources/nagorno-karabakh-2020.yaml"

#: Words of the YAML parser that mean nothing to an author.
JARGON = re.compile(
    r"while scanning|while parsing|block collection|block mapping|indicator|simple key|"
    r"scalar|<block end>|flow sequence|flow mapping|could not find expected"
)


def messages(project: Project, text: str, name: str = "x.yaml") -> list[str]:
    path = project.source(text, name)
    return [str(e) for e in check(path, root=project.root)]


def plain(message: str) -> bool:
    """No parser jargon, or jargon only after a plain explanation (the fallback)."""
    if not JARGON.search(message):
        return True
    return "the YAML parser says:" in message and message.index("the YAML parser says:") < (
        JARGON.search(message).start()  # type: ignore[union-attr]
    )


# ---- 1. `*` at the start of a text; a body without `|` -------------------------------------


def test_bold_lead_in_without_quotes_says_to_quote_and_shows_the_line(project: Project) -> None:
    text = "title: T\nas_of: 2023-10-06\nsummary:\n  - **Watch:** Serbian force posture.\n"
    assert messages(project, text) == [
        "sources/x.yaml:4:5: invalid YAML: a text that starts with `*` must be in quotes, or "
        "YAML reads the `*` as an alias (a reference to a value named elsewhere with `&`); "
        'write `- "**Watch:** Serbian force posture."`'
    ]


def test_body_without_bar_says_to_write_the_bar(project: Project) -> None:
    text = (
        "title: T\nas_of: 2023-10-06\nsummary: [S.]\nsections:\n  - heading: H\n    body:\n"
        "      *Analysis by the desk.*\n\n      - one\n"
    )
    assert messages(project, text) == [
        "sources/x.yaml:6:5: invalid YAML: `body:` is followed by text on the lines below "
        "without `|`, so the `*` starting line 7 has a meaning in YAML; write `body: |` to keep "
        "the lines as written, paragraphs and `- ` lists included"
    ]


def test_body_that_yaml_reads_as_a_mapping_says_to_write_the_bar(project: Project) -> None:
    text = (
        "title: T\nas_of: 2023-10-06\nsummary: [S.]\nsections:\n  - heading: H\n    body:\n"
        "      Two things matter:\n\n      - one\n"
    )
    assert messages(project, text) == [
        "sources/x.yaml:7:7: sections[0].body: expected text, got a mapping; for text over "
        "several lines, write `body: |` and the lines under it, indented: YAML then keeps them "
        "as written, `- ` lists and `: ` included"
    ]


def test_body_without_bar_whose_list_yaml_would_fold_is_refused(project: Project) -> None:
    text = (
        "title: T\nas_of: 2023-10-06\nsummary: [S.]\nsections:\n  - heading: H\n    body:\n"
        "      Two things matter.\n      - Serbian force posture.\n"
    )
    assert messages(project, text) == [
        "sources/x.yaml:7:7: sections[0].body: line 8 starts a list item, but without `|` after "
        "`body:` YAML joins the lines into one paragraph and the list is lost; write `body: |`"
    ]
    # a long paragraph over several lines, with a dash inside a line, is fine
    fine = text.replace("      - Serbian", "      and - Serbian")
    assert messages(project, fine) == []


# ---- 2. a key out of line ------------------------------------------------------------------


def test_outdented_key_names_both_keys_and_columns(project: Project) -> None:
    text = "title: T\nas_of: 2023-10-06\nsummary: [S.]\nactors:\n  - name: A\n   type: state\n"
    assert messages(project, text) == [
        "sources/x.yaml:6:4: invalid YAML: `type` is out of line with `name` on line 5: it "
        "starts in column 4, `name` in column 5; the items of one list and the keys of one "
        "mapping must start in the same column (indent it by 1 more space)"
    ]


def test_first_key_out_of_line_with_the_keys_after_it_is_the_one_named(project: Project) -> None:
    text = (
        "title: T\nas_of: 2023-10-06\nsummary: [S.]\nmap:\n title: M\n  region: R\n  caption: C\n"
    )
    (message,) = messages(project, text)
    assert message.startswith("sources/x.yaml:5:2: invalid YAML: `title` is out of line with")
    assert message.endswith("(indent it by 1 more space)")


# ---- 3. a missing `- ` ---------------------------------------------------------------------

MISSING_DASH = """\
title: T
as_of: 2023-10-06
summary:
  - Belgrade denies it [@bbc-banjska].
  - Washington urged restraint [@crs-2023].
sources:
  - id: bbc-banjska
    title: Kosovo monastery siege
    id: crs-2023
    title: Kosovo and Serbia
"""


def test_missing_dash_is_one_message_and_no_cascade(project: Project) -> None:
    assert messages(project, MISSING_DASH) == [
        "sources/x.yaml:9:5: sources[1]: a `- ` is missing before line 9: `id` comes again, so "
        "a new item starts here; write `- id: crs-2023`"
    ]


def test_missing_first_dash_is_one_message(project: Project) -> None:
    text = MISSING_DASH.replace("  - id: bbc-banjska", "    id: bbc-banjska")
    assert messages(project, text) == [
        "sources/x.yaml:7:5: sources[0]: a `- ` is missing before line 7: each item of `sources` "
        "starts with `- `; write `- id: bbc-banjska`",
        "sources/x.yaml:9:5: sources[1]: a `- ` is missing before line 9: `id` comes again, so "
        "a new item starts here; write `- id: crs-2023`",
    ]


def test_a_repeated_key_other_than_the_first_is_still_a_duplicate(project: Project) -> None:
    text = "title: T\nas_of: 2023-10-06\nsummary: [S.]\nactors:\n  - name: A\n    type: x\n"
    assert messages(project, text + "    type: y\n") == [
        "sources/x.yaml:7:5: actors[0].type: the key `type` is given twice (first on line 6)"
    ]


# ---- 4. ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "ids", "expected"),
    [
        ("bbc-2023", ["bbc-banjska", "crs-2023"], "; did you mean `bbc-banjska`?"),
        ("bbc", ["bbc-banjska", "crs-2023"], "; did you mean `bbc-banjska`?"),
        ("bcc-banjska", ["bbc-banjska", "crs-2023"], "; did you mean `bbc-banjska`?"),
        ("BBC_Banjska", ["bbc-banjska", "crs-2023"], "; did you mean `bbc-banjska`?"),
        ("bbc-2023", ["bbc-a", "bbc-b", "crs"], "; did you mean `bbc-a` or `bbc-b`?"),
        ("reuters", ["bbc-banjska", "crs-2023"], "; the source ids are `bbc-banjska`, `crs-2023`"),
        ("afp-2020", ["mt-2020"], "; the only source id is `mt-2020`"),
        ("zzz", [f"id-{i}" for i in range(20)], ""),
    ],
)
def test_id_suggestions(word: str, ids: list[str], expected: str) -> None:
    assert IdSuggester(ids).hint(word) == expected


def test_citation_of_a_shortened_id_suggests_the_id_with_that_first_word(
    project: Project,
) -> None:
    text = MISSING_DASH.replace("    id: crs", "  - id: crs").replace(
        "[@bbc-banjska]", "[@bbc-2023]"
    )
    assert messages(project, text) == [
        "sources/x.yaml:4:5: summary[0]: cites `[@bbc-2023]`, but no source in `sources` has "
        "that id; did you mean `bbc-banjska`?"
    ]


# ---- 5. dates written another way -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "full", "expected"),
    [
        ("06.10.2023", True, "; did you mean `2023-10-06`?"),
        ("6.10.2023", True, "; did you mean `2023-10-06`?"),
        ("13/10/2023", True, "; did you mean `2023-10-13`?"),
        ("10/13/2023", True, "; did you mean `2023-10-13`?"),
        (
            "06/10/2023",
            True,
            "; did you mean `2023-10-06` (6 October 2023) or `2023-06-10` (10 June 2023)?",
        ),
        ("2023/10/06", True, "; did you mean `2023-10-06`?"),
        ("2023-10-6", True, "; did you mean `2023-10-06`?"),
        ("6 Oct 2023", True, "; did you mean `2023-10-06`?"),
        ("6 October 2023", True, "; did you mean `2023-10-06`?"),
        ("October 6, 2023", True, "; did you mean `2023-10-06`?"),
        ("Oct. 6 2023", True, "; did you mean `2023-10-06`?"),
        ("October 2023", False, "; did you mean `2023-10`?"),
        ("October 2023", True, ""),
        ("31.02.2023", True, ""),
        ("soon", False, ""),
    ],
)
def test_date_readings(value: str, full: bool, expected: str) -> None:
    assert date_hint(value, full=full) == expected


def test_day_first_date_message(project: Project) -> None:
    assert messages(project, "title: T\nas_of: 06.10.2023\nsummary: [S.]\n") == [
        "sources/x.yaml:2:8: as_of: `06.10.2023` is not a date written YYYY-MM-DD; "
        "did you mean `2023-10-06`?"
    ]


# ---- 6-9. the command line --------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_new_writes_the_title_as_typed(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    code, out, _ = invoke("new", "kosovo-2023", "--title", "Kosovo–Serbia: Banjska «attack»")
    assert code == 0, out
    text = (project.root / "sources" / "kosovo-2023.yaml").read_text(encoding="utf-8")
    assert 'title: "Kosovo–Serbia: Banjska «attack»"\n' in text
    assert "\\u" not in text
    assert load(project.root / "sources" / "kosovo-2023.yaml", root=project.root).title == (
        "Kosovo–Serbia: Banjska «attack»"
    )


def test_new_escapes_only_what_yaml_cannot_hold() -> None:
    text = source_text("x", title="a\u2028b\x85c", today=dt.date(2024, 3, 1))
    assert 'title: "a\\u2028b\\u0085c"\n' in text


def test_commands_find_the_project_from_inside_sources(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.source("title: T\nas_of: 2024-03-01\nsummary: [S.]\n", "a.yaml")
    monkeypatch.chdir(project.root / "sources")
    code, out, err = invoke("check")
    assert (code, out, err) == (0, "ok         sources/a.yaml\n1 ok, 0 failed\n", "")
    code, out, _ = invoke("new", "b")
    assert code == 0
    assert out.splitlines() == [
        "wrote b.yaml",
        "wrote ../schema/briefing.schema.json",
        "next: briefing watch b.yaml --open",
    ]
    assert (project.root / "sources" / "b.yaml").is_file()


def test_no_project_above_is_still_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("check")
    assert code == 2
    assert f"no sources/ folder in {tmp_path} or any folder above it" in err


def test_init_says_how_to_remove_the_example_and_empty_leaves_it_out(tmp_path: Path) -> None:
    code, out, _ = invoke("init", str(tmp_path / "a"))
    assert code == 0
    assert (
        "sources/example.yaml is an example: it is built with your briefings until you delete "
        "it (rm sources/example.yaml; `briefing init --empty` leaves it out)"
    ) in out.splitlines()
    code, out, _ = invoke("init", "--empty", str(tmp_path / "b"))
    assert code == 0
    assert list((tmp_path / "b" / "sources").iterdir()) == []
    assert "example" not in out
    assert [p.name for p in init_project(tmp_path / "c", example=False)][-2:] == [
        "briefing.schema.json",
        "distribution.yaml",
    ]


def test_template_marking_comment_lists_every_tlp_label() -> None:
    text = source_text("x", today=dt.date(2024, 3, 1))
    for label in ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER,", "TLP:AMBER+STRICT", "TLP:RED"):
        assert label in text


def _watch_opens(project: Project, named: Path | None, open_for: Path | None) -> list[Path]:
    opened: list[Path] = []

    class Quiet:
        def __getattr__(self, name: str) -> object:
            return lambda *args, **kwargs: None

    session = Watch(
        root=project.root,
        out=project.root / "dist",
        sources=[named] if named else None,
        listener=Quiet(),  # type: ignore[arg-type]
        options=WatchOptions(debounce=0.1),
        on_first_good=opened.append,
        open_for=open_for,
    )
    sources = session.current_sources()
    session.build_round(sources, [])
    return opened


def test_watch_open_opens_the_newest_source_not_the_first_by_name(project: Project) -> None:
    old = project.source("title: A\nas_of: 2024-03-01\nsummary: [S.]\n", "example.yaml")
    new = project.source("title: B\nas_of: 2024-03-01\nsummary: [S.]\n", "kosovo.yaml")
    os.utime(old, (1_000_000, 1_000_000))
    from briefing.cli.project import newest_source as _newest

    assert _newest((), project.root) == new
    assert _newest((old,), project.root) == old
    assert _watch_opens(project, None, new) == [project.root / "dist" / "kosovo.pdf"]
    assert _watch_opens(project, None, None) == [project.root / "dist" / "example.pdf"]


# ---- 10. a `source:` field lists several ids ---------------------------------------------------

SEVERAL = """\
title: T
as_of: 2023-10-06
summary:
  - Tension is rising [@a].
key_facts:
  - {label: Killed, value: "4", source: [c, a]}
timeline:
  events:
    - {date: 2023-09-24, label: Attack, source: [b, c]}
actors:
  - {name: Serbia, source: [a, b, c]}
  - {name: Kosovo, source: b}
sources:
  - {id: a, title: A}
  - {id: b, title: B}
  - {id: c, title: C}
"""


def test_source_fields_take_a_list_of_ids(project: Project) -> None:
    path = project.source(SEVERAL)
    briefing = load(path, root=project.root)
    assert briefing.key_facts[0].source == ("c", "a")
    assert briefing.timeline is not None
    assert briefing.timeline.events[0].source == ("b", "c")
    assert [a.source for a in briefing.actors] == [("a", "b", "c"), ("b",)]
    assert "actors[1].source[0]" in briefing.locations


def test_source_list_with_an_unknown_id_names_the_item(project: Project) -> None:
    text = SEVERAL.replace("source: [c, a]", "source: [c, d]")
    assert messages(project, text) == [
        "sources/x.yaml:6:45: key_facts[0].source[1]: names the source `d`, but `sources` has "
        "no such id; the source ids are `a`, `b`, `c`"
    ]


def test_every_id_of_a_source_list_prints_its_number(project: Project, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    project.source(SEVERAL, "several.yaml")
    code, out, err = invoke("build", str(project.root / "sources" / "several.yaml"), "-j", "1")
    assert code == 0, out + err
    reader = pypdf.PdfReader(project.root / "dist" / "several.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Killed [1, 3]" in text  # sorted by number, each once
    links = [
        a.get_object()["/Dest"] if "/Dest" in a.get_object() else a.get_object().get("/A")
        for page in reader.pages
        for a in page.get("/Annots", [])
    ]
    # three consecutive numbers print as a range, "[1–3]": its two printed numbers are links
    assert "[1–3]" in text
    assert len(links) >= 1 + 2 + 2 + 2 + 1


def test_json_schema_accepts_a_source_list() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from briefing.source.manual import json_schema
    from briefing.source.schemaout import as_json_value

    validator = jsonschema.Draft202012Validator(json_schema())
    assert list(validator.iter_errors(as_json_value(SEVERAL))) == []
    bad = SEVERAL.replace("source: [c, a]", "source: []")
    assert list(validator.iter_errors(as_json_value(bad)))


# ---- the corpus: one-line slips in the example --------------------------------------------------

#: (name, line, old, new, where the message points, words of the fix it names).
SLIPS = [
    # quoting
    ("bold-lead-in", 18, '"', "", "18:5", 'write `- "**Turkey:** Ankara'),
    ("citation-first", 18, '"**Turkey:**', "[@mt-2020]", "18:5", "must be in quotes"),
    ("at-first", 18, '"**Turkey:**', "@mt-2020", "18:5", "must be in quotes"),
    ("ampersand-first", 9, "Regional", "& Regional", "9:15", 'organization: "& Regional'),
    ("colon-in-title", 5, '"', "", "5:24", 'title: "Nagorno-Karabakh: Heaviest'),
    ("colon-in-label", 90, '"', "", "90:26", 'label: "Four-Day War: at least 110 dead"'),
    ("text-after-quote", 18, "Azerbaijan and", 'Azerbaijan" and', "18:52", "inside the quotes"),
    ("unclosed-quote", 6, "subtitle: ", 'subtitle: "', "6:11", 'end the text with `"`'),
    ("unclosed-last", 233, "note: ", 'note: "', "233:11", 'end the text with `"`'),
    ("body-bar-star", 219, "body: |", "body:", "219:5", "write `body: |`"),
    ("body-bar-list", 201, "body: |", "body:", "201:5", "write `body: |`"),
    # indentation
    ("key-outdented", 112, "    type", "   type", "112:4", "by 1 more space"),
    ("key-indented", 114, "    alignment", "     alignment", "114:6", "by 1 space less"),
    ("event-key-outdented", 75, "      label", "     label", "75:6", "by 1 more space"),
    ("event-key-indented", 75, "      label", "       label", "75:8", "by 1 space less"),
    ("map-key-outdented", 45, "  title", " title", "45:2", "by 1 more space"),
    ("item-indented", 25, "  - label", "   - label", "25:4", "by 1 space less"),
    ("item-outdented", 25, "  - label", " - label", "25:2", "by 1 more space"),
    ("source-key-outdented", 233, "    note", "   note", "233:4", "by 1 more space"),
    ("tab-indent", 25, "  - label", "\t- label", "25:1", "use spaces"),
    # dashes and colons
    ("dash-missing-actor", 153, "  - name", "    name", "153:5", "write `- name: France`"),
    ("dash-missing-fact", 25, "  - label", "    label", "25:5", "write `- label: Killed in"),
    ("dash-missing-source", 228, "  - id", "    id", "228:5", "write `- id: mt-2020`"),
    ("dash-without-space", 25, "  - label", "  -label", "25:3", "write `- label: Killed"),
    ("colon-without-space", 7, "as_of: ", "as_of:", "7:6", "write `as_of: 2020-09-29`"),
    ("colon-missing", 120, "role: ", "role ", "120:9", "write `role: Party to the conflict`"),
    # dates
    ("date-dotted", 7, "2020-09-29", "29.09.2020", "7:8", "did you mean `2020-09-29`?"),
    ("date-slashes", 7, "2020-09-29", "2020/09/29", "7:8", "did you mean `2020-09-29`?"),
    ("date-day-month", 7, "2020-09-29", "29 Sep 2020", "7:8", "did you mean `2020-09-29`?"),
    ("date-month-day", 7, "2020-09-29", "September 29, 2020", "7:8", "`2020-09-29`?"),
    ("date-us", 11, "2020-10-13", "10/13/2020", "11:12", "did you mean `2020-10-13`?"),
    ("date-ambiguous", 11, "2020-10-13", "10/11/2020", "11:12", "`2020-11-10` (10 November"),
    ("date-unpadded", 94, "2020-09-27", "2020-9-27", "94:13", "did you mean `2020-09-27`?"),
    ("date-month-name", 79, "1994-05", "May 1994", "79:13", "did you mean `1994-05`?"),
    ("date-not-real", 94, "2020-09-27", "2020-09-31", "94:13", "September 2020 has no day 31"),
    # ids and lists
    ("cite-no-hyphen", 18, "[@mt-2020]", "[@mt2020]", "18:5", "did you mean `mt-2020`?"),
    ("cite-other-year", 18, "[@mt-2020]", "[@mt-2019]", "18:5", "did you mean `mt-2020`?"),
    ("cite-unrelated", 18, "[@mt-2020]", "[@tmt]", "18:5", "the only source id is `mt-2020`"),
    ("source-short", 24, "mt-2020", "mt", "24:13", "did you mean `mt-2020`?"),
    ("source-comma", 24, "mt-2020", "mt-2020, mt-2020", "24:13", "write a list: `[mt-2020,"),
    ("source-list", 24, "mt-2020", "[mt-2020, afp]", "24:23", "the only source id is `mt-2020`"),
    ("flow-list-unclosed", 115, "authorities]", "authorities", "116:10", "close it"),
    ("flow-missing-comma", 51, "Baku,", "Baku", "51:22", "put such a text in quotes"),
    ("key-typo", 11, "review_by", "reviewby", "11:1", "did you mean `review_by`?"),
    ("quoted-number", 49, "39.8153", '"39.8153"', "49:32", "(remove the quotes)"),
]


def test_the_corpus_is_large_enough() -> None:
    assert len(SLIPS) >= 30
    assert len({s[0] for s in SLIPS}) == len(SLIPS)


@pytest.mark.parametrize(
    ("line", "old", "new", "where", "fix"), [pytest.param(*s[1:], id=s[0]) for s in SLIPS]
)
def test_a_slip_gets_a_located_message_that_names_the_fix(
    tmp_path: Path, line: int, old: str, new: str, where: str, fix: str
) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    path = tmp_path / "sources" / EXAMPLE.name
    path.parent.mkdir()
    path.write_text("\n".join(lines), encoding="utf-8")
    found = [str(e) for e in check(path, root=tmp_path)]
    assert len(found) == 1, found
    (message,) = found
    assert message.startswith(f"{NAME}:{where}: "), message
    assert fix in message, message
    assert plain(message), message


def test_unrecognised_yaml_errors_explain_before_the_parsers_words(project: Project) -> None:
    (message,) = messages(project, "title: T\nas_of: 2024-03-01\nsummary: [S.]\n? [a]\n: b\n")
    assert plain(message), message


def test_the_example_itself_loads() -> None:
    assert check(EXAMPLE, root=REPO) == []
