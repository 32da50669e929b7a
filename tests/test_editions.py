"""Editions: numbers, the changes box read back from the PDF, drafts, `briefing diff`, the
history's loss, corruption and a kill between the PDF and the history write."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Project
from pdfcheck import page_texts, reader, squash

from briefing.cli import cli
from briefing.publish import editions

BASE = """\
title: Editions test
as_of: 2024-03-01
marking: OFFICIAL
summary:
  - Fighting resumed along the line of contact [@s1].
  - Russia is allied to Armenia but sells arms to both sides.
  - The ceasefire of 1994 is no longer holding.
key_facts:
  - {label: Casualties, value: at least 39, source: s1}
  - {label: Displaced, value: "about 5,000"}
timeline:
  events:
    - {date: 1988, end: 1994-05, label: First war, category: military}
    - {date: 2016-04, label: Four-Day War, category: military}
    - {date: 2024-02-27, label: Clashes resume, category: military, source: s1}
actors:
  - {name: Armenia, type: state, alignment: Backs the Karabakh Armenians, ties: [Russia, CSTO]}
  - {name: Azerbaijan, type: state, alignment: Claims the region, ties: [Turkey]}
  - {name: Minsk Group, type: mediator}
sections:
  - heading: Background
    body: |
      The dispute dates from 1988 [@s1].
      It has never been settled.
    sections:
      - heading: The 1994 ceasefire
        body: Russia brokered it.
  - heading: Outlook
    body: More fighting is likely.
sources:
  - {id: s1, title: First source, publisher: Desk}
"""

#: BASE in another YAML style, reordered and re-wrapped: the same content.
RESTYLED = """\
title: "Editions test"
as_of: "2024-03-01"
marking: 'OFFICIAL'
summary: ["The ceasefire of 1994 is no longer holding.",
  "Fighting resumed along the line of contact [@s1].",
  "Russia is allied to Armenia   but sells arms to both sides."]
key_facts:
  - label: Displaced
    value: about 5,000
  - label: Casualties
    value: "at least 39"
    source: s1
timeline:
  events:
    - {date: 2024-02-27, label: Clashes resume, category: military, source: s1}
    - {date: "1988", end: 1994-05, label: First war, category: military}
    - {date: 2016-04, label: "Four-Day War", category: military}
actors:
  - {name: Minsk Group, type: mediator}
  - name: Azerbaijan
    type: state
    alignment: Claims the region
    ties: Turkey
  - {name: Armenia, type: state, alignment: Backs the Karabakh Armenians, ties: [CSTO, Russia]}
sections:
  - heading: Background
    body: "The dispute dates from 1988 [@s1]. It has never been settled."
    sections:
      - {heading: The 1994 ceasefire, body: Russia brokered it.}
  - heading: Outlook
    body: >
      More fighting
      is likely.
sources:
  - id: s1
    title: First source
    publisher: Desk
"""


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


#: Edition 2: the bottom line and the key facts, with the analyst's note.
V2 = edit(
    BASE,
    ("title: Editions test\n", "title: Editions test\nchanges: [Casualty figure updated.]\n"),
    (
        "  - Fighting resumed along the line of contact [@s1].",
        "  - Fighting resumed along the whole line of contact [@s1].",
    ),
    ("  - The ceasefire of 1994 is no longer holding.\n", "  - Turkey has sent advisers.\n"),
    ("value: at least 39", "value: at least 41"),
    (
        '  - {label: Displaced, value: "about 5,000"}\n',
        '  - {label: Displaced, value: "about 5,000"}\n  - {label: Refugees, value: "1,200"}\n',
    ),
)
V2_LINES = [
    "Casualty figure updated.",
    "Bottom line reworded: “Fighting resumed along the line of contact.” → "
    "“Fighting resumed along the whole line of contact.”",
    "Bottom line added: “Turkey has sent advisers.”",
    "Bottom line removed: “The ceasefire of 1994 is no longer holding.”",
    "Casualties: at least 39 → at least 41",
    "Key fact added: Refugees: 1,200",
]

#: Edition 3: the timeline and the actors (the note left as it was: a warning).
V3 = edit(
    V2,
    (
        "    - {date: 2016-04, label: Four-Day War, category: military}\n",
        "    - {date: 2024-03-01, label: Ceasefire talks, category: diplomatic}\n",
    ),
    ("Backs the Karabakh Armenians,", "Backs the Karabakh Armenians openly,"),
    ("ties: [Turkey]}", "ties: [Turkey, Israel]}"),
    ("  - {name: Minsk Group, type: mediator}\n", "  - {name: Turkey, type: state}\n"),
)
V3_LINES = [
    "Casualty figure updated.",
    "Timeline: added 1 Mar 2024: Ceasefire talks",
    "Timeline: removed Apr 2016: Four-Day War",
    "Actor added: Turkey",
    "Actor removed: Minsk Group",
    "Armenia: alignment “Backs the Karabakh Armenians” → “Backs the Karabakh Armenians openly”",
    "Azerbaijan: ties +Israel",
]

#: Edition 4: the sections and the sources; no notes.
V4 = edit(
    V3,
    ("changes: [Casualty figure updated.]\n", ""),
    (
        "    sections:\n      - heading: The 1994 ceasefire\n        body: Russia brokered it.\n",
        "",
    ),
    ("body: More fighting is likely.", "body: More fighting is likely before winter."),
    (
        "sources:\n",
        "  - heading: Diplomacy\n    body: Talks are planned [@s2].\n"
        "sources:\n  - {id: s2, title: Second source, publisher: Wire}\n",
    ),
)
V4_LINES = [
    "Section added: “Diplomacy”",
    "Section removed: “Background › The 1994 ceasefire”",
    "Section revised: “Outlook”",
    "Source added: Second source (Wire)",
]

#: Edition 5: more changes than the box holds.
V5 = edit(
    V4,
    (
        '  - {label: Refugees, value: "1,200"}\n',
        "".join(f"  - {{label: Fact {i}, value: '{i}'}}\n" for i in range(1, 11)),
    ),
)


def build(project: Project, *args: str):
    old = Path.cwd()
    os.chdir(project.root)
    try:
        return CliRunner().invoke(cli, ["build", "-j", "1", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def run_cli(project: Project, *args: str):
    old = Path.cwd()
    os.chdir(project.root)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def page_one(project: Project) -> str:
    return page_texts(reader(project.root / "dist" / "x.pdf"))[0]


#: The box's line size (``render/pdf/changes.py``): tells its text from the body's.
LINE_SIZE = 8.3


def box_lines(pdf: Path) -> tuple[str, list[str]]:
    """The changes box on page 1, read back from the PDF: (heading, lines as printed)."""
    events: list[tuple[float, str]] = []

    def visit(text: str, cm: list, tm: list, font: dict, size: float) -> None:
        if text.strip():
            events.append((round(size * tm[0] * cm[0], 2), text))

    reader(pdf).pages[0].extract_text(visitor_text=visit)
    start = next(
        (i for i, (_, t) in enumerate(events) if t.startswith(("CHANGES SINCE", "NOTES ON"))),
        None,
    )
    if start is None:
        return "", []
    lines: list[str] = []
    for size, text in events[start + 1 :]:
        if text == "•" or (size == LINE_SIZE and re.fullmatch(r"and \d+ more changes?\n?", text)):
            lines.append("" if text == "•" else text.strip())
        elif size == LINE_SIZE and lines:
            lines[-1] = (lines[-1] + " " + text.strip()).strip()
        else:
            break
    return events[start][1].strip(), lines


def manifest_entry(project: Project) -> dict:
    (entry,) = json.loads((project.root / "dist" / "manifest.json").read_text())["briefings"]
    return entry


def assert_box(project: Project, heading: str, expected: list[str]) -> None:
    printed, lines = box_lines(project.root / "dist" / "x.pdf")
    assert printed == heading.upper()
    assert [squash(x) for x in lines] == [squash(x) for x in expected]


def test_a_sequence_of_edits_makes_numbered_editions_with_their_changes(project) -> None:
    source = project.source(BASE)
    first = build(project, "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["new_editions"] == ["sources/x.yaml"]
    assert report["sources"][0]["edition"] == 1
    assert report["sources"][0]["new_edition"] is True
    text = page_one(project)
    assert "Edition 1 · As of 1 March 2024" in text
    assert "CHANGES SINCE" not in text
    entry = manifest_entry(project)
    assert (entry["edition"], entry["edition_date"], entry["changes"]) == (1, "2024-03-01", [])
    meta = reader(project.root / "dist" / "x.pdf").metadata
    assert "Edition 1 (1 March 2024)" in meta["/Keywords"]

    again = build(project)  # unchanged: up to date, no edition
    assert "up to date  sources/x.yaml" in again.stdout
    source.write_text(RESTYLED)  # other YAML style, reordered, re-wrapped: not a change
    restyled = build(project, "--json")
    assert json.loads(restyled.stdout)["new_editions"] == []
    assert json.loads(restyled.stdout)["sources"][0]["edition"] == 1
    assert "Edition 1 ·" in page_one(project)
    assert editions.numbers(project.root / "dist", "x") == [1]

    for number, text, lines in ((2, V2, V2_LINES), (3, V3, V3_LINES), (4, V4, V4_LINES)):
        source.write_text(text)
        result = build(project)
        assert result.exit_code == 0, result.output
        assert "built       sources/x.yaml → " in result.stdout
        assert result.stdout.splitlines()[0].endswith(f"pages, new edition {number})")
        page = page_one(project)
        assert f"Edition {number} · As of 1 March 2024" in page
        assert_box(project, f"Changes since edition {number - 1} (1 March 2024)", lines)
        entry = manifest_entry(project)
        assert entry["edition"] == number
        assert entry["changes"] == lines
        kept = editions.latest(project.root / "dist", "x")
        assert kept is not None
        assert kept.number == number
        assert kept.changes == tuple(lines)
        pdf = (project.root / "dist" / "x.pdf").read_bytes()
        assert kept.sha256 == hashlib.sha256(pdf).hexdigest() == entry["sha256"]
        if number == 3:  # the note of edition 2 left in place
            assert (
                "sources/x.yaml:2:10: warning: changes: the same notes as edition 2; "
                "update them for edition 3 or remove them"
            ) in result.stderr

    source.write_text(V5)
    result = build(project)
    _, lines = box_lines(project.root / "dist" / "x.pdf")
    assert lines[:8] == [f"Key fact added: Fact {i}: {i}" for i in range(1, 9)]
    assert lines[8:] == ["and 3 more changes"]
    assert manifest_entry(project)["changes"][-1] == "and 3 more changes"
    full = run_cli(project, "diff", "x", "--from", "4", "--to", "5")
    assert full.exit_code == 0, full.output
    assert full.stdout.splitlines() == [
        "x: edition 4 (1 March 2024) → edition 5 (1 March 2024)",
        *(f"  Key fact added: Fact {i}: {i}" for i in range(1, 11)),
        "  Key fact removed: Refugees (1,200)",
        "11 changes",
    ]
    assert editions.numbers(project.root / "dist", "x") == [1, 2, 3, 4, 5]

    forced = build(project, "--force")  # rebuilt, nothing changed: a reprint of edition 5
    assert forced.stdout.splitlines()[0].endswith("pages, edition 5)")
    assert editions.numbers(project.root / "dist", "x") == [1, 2, 3, 4, 5]


def test_drafts_show_the_next_edition_and_make_none(project) -> None:
    source = project.source(BASE)
    assert build(project).exit_code == 0
    source.write_text("draft: true\n" + V2)
    result = build(project, "--json")
    report = json.loads(result.stdout)
    assert report["new_editions"] == []
    assert report["sources"][0]["draft_of"] == 2
    text = page_one(project)
    assert "Draft of edition 2 · As of 1 March 2024" in text
    assert_box(project, "Changes since edition 1 (1 March 2024)", V2_LINES)
    entry = manifest_entry(project)
    assert (entry["edition"], entry["draft"], entry["edition_date"]) == (None, True, None)
    assert editions.numbers(project.root / "dist", "x") == [1]
    assert editions.latest(project.root / "dist", "x").number == 1
    source.write_text(V2)  # the draft, issued
    issued = build(project)
    assert "new edition 2)" in issued.stdout
    assert "Edition 2 · As of" in page_one(project)
    assert manifest_entry(project)["draft"] is False


def test_a_draft_never_issued_is_a_draft_of_edition_one(project) -> None:
    project.source("draft: true\n" + BASE)
    result = build(project, "--json")
    assert json.loads(result.stdout)["sources"][0]["draft_of"] == 1
    assert "Draft of edition 1" in page_one(project)
    assert manifest_entry(project)["edition"] is None
    assert editions.latest(project.root / "dist", "x") is None
    assert not (project.root / "dist" / "editions" / "x").exists()


def test_notes_on_edition_one_warn_and_print(project) -> None:
    project.source(
        edit(BASE, ("marking: OFFICIAL\n", "marking: OFFICIAL\nchanges: [First issue.]\n"))
    )
    result = build(project)
    assert result.exit_code == 0
    assert (
        "sources/x.yaml:4:10: warning: changes: this is edition 1 with no earlier edition to "
        "compare with; the notes are printed anyway"
    ) in result.stderr.splitlines()
    assert_box(project, "Notes on edition 1", ["First issue."])
    strict = build(project, "--strict", "--force")
    assert strict.exit_code == 1  # a warning about the source: --strict counts it


def test_a_lost_history_starts_again_at_edition_one(project) -> None:
    source = project.source(BASE)
    build(project)
    source.write_text(V4)  # no notes: nothing in the source to warn about
    build(project)
    dist = project.root / "dist"
    for record in (dist / "editions" / "x").iterdir():
        record.unlink()
    (dist / "editions" / "x").rmdir()
    result = build(project, "--strict")  # the source is unchanged: the lost history rebuilds it
    assert result.exit_code == 0, result.output  # a warning about dist/, never a --strict failure
    assert (
        "sources/x.yaml:1:1: warning: the edition history dist/editions/x/ is missing "
        "(the manifest says edition 2); numbering starts again at edition 1"
    ) in result.stderr.splitlines()
    assert "Edition 1 · As of" in page_one(project)
    assert editions.numbers(dist, "x") == [1]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"edition": 2, "date": ', "dist/editions/x/2.json:1:24: warning: the edition record "),
        (b"\xff\xfe garbage", "dist/editions/x/2.json:1:1: warning: the edition record "),
        (
            b'{"edition": 2, "date": "someday", "pdf_sha256": ""}',
            "dist/editions/x/2.json:1:1: warning: the edition record is not one this version",
        ),
        (b"[1, 2]", "dist/editions/x/2.json:1:1: warning: the edition record is not one this"),
    ],
)
def test_a_corrupt_history_is_a_warning(project, content: bytes, problem: str) -> None:
    source = project.source(BASE)
    build(project)
    source.write_text(V2)
    build(project)
    dist = project.root / "dist"
    (dist / "editions" / "x" / "2.json").write_bytes(content)
    assert editions.latest(dist, "x") is None
    source.write_text(V3)
    result = build(project)
    assert result.exit_code == 0, result.output
    (line,) = [ln for ln in result.stderr.splitlines() if "dist/editions" in ln]
    assert line.startswith(problem)
    assert line.endswith("; edition 3 is made without a changes box")
    assert "Edition 3 · As of" in page_one(project)
    assert "CHANGES SINCE" not in page_one(project)
    assert editions.numbers(dist, "x") == [1, 2, 3]
    diff = run_cli(project, "diff", "x", "--from", "2", "--to", "3")
    assert diff.exit_code == 1
    assert diff.stderr.startswith("dist/editions/x/2.json:")
    assert "Traceback" not in diff.output


def test_a_kept_edition_of_another_format_falls_back(project) -> None:
    source = project.source(BASE)
    build(project)
    record_path = project.root / "dist" / "editions" / "x" / "1.json"
    record = json.loads(record_path.read_text())
    record["snapshot_format"] = 0  # kept by an older version
    record_path.write_text(json.dumps(record))
    source.write_text(V2)
    diff = run_cli(project, "diff", "x")
    assert diff.exit_code == 0
    assert "note: edition" not in diff.stdout  # its source text still loads: compared in full
    assert "  Casualties: at least 39 → at least 41" in diff.stdout.splitlines()
    record["source_text"] = record["source_text"] + "retired_key: 1\n"
    record_path.write_text(json.dumps(record))
    diff = run_cli(project, "diff", "x")
    assert diff.exit_code == 0
    assert (
        "note: edition 1 was kept in another format and its source no longer loads; "
        "compared what both editions have"
    ) in diff.stdout.splitlines()
    assert "  Casualties: at least 39 → at least 41" in diff.stdout.splitlines()
    result = build(project)
    assert result.exit_code == 0
    assert "compared what both editions have" in result.stderr
    assert_box(project, "Changes since edition 1 (1 March 2024)", V2_LINES)


def test_diff_command(project) -> None:
    source = project.source(BASE)
    build(project)
    source.write_text(V2)
    pending = run_cli(project, "diff", "x")  # the working source against the last edition
    assert pending.exit_code == 0
    assert pending.stdout.splitlines() == [
        "x: edition 1 (1 March 2024) → the working source sources/x.yaml",
        "  note: Casualty figure updated.",
        *(f"  {line}" for line in V2_LINES[1:]),
        "5 changes",
    ]
    build(project)
    as_json = json.loads(run_cli(project, "diff", "x", "--to", "2", "--json").stdout)
    assert as_json["from"] == {"edition": 1, "date": "2024-03-01"}
    assert as_json["to"] == {"edition": 2, "date": "2024-03-01", "source": None}
    assert as_json["notes"] == ["Casualty figure updated."]
    assert [c["text"] for c in as_json["changes"]] == V2_LINES[1:]
    assert [c["area"] for c in as_json["changes"]] == ["summary"] * 3 + ["key_facts"] * 2
    same = run_cli(project, "diff", "x")
    assert same.stdout.splitlines()[-1] == "no changes"
    missing = run_cli(project, "diff", "x", "--from", "7")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "briefing: edition 7 of 'x' is not kept (kept: 1, 2)"
    backwards = run_cli(project, "diff", "x", "--from", "2", "--to", "1")
    assert backwards.exit_code == 2
    unknown = run_cli(project, "diff", "nope")
    assert unknown.exit_code == 1
    assert "no briefing has the id 'nope': the briefings are x" in unknown.stderr
    source.write_text(V2.replace("as_of: 2024-03-01", "as_of: 2024-02-30"))
    broken = run_cli(project, "diff", "x")
    assert broken.exit_code == 1
    assert broken.stderr.startswith("sources/x.yaml:3:8: as_of:")


def test_a_failed_history_write_records_nothing_and_the_next_build_repeats_the_number(
    project, monkeypatch
) -> None:
    source = project.source(BASE)
    build(project)
    source.write_text(V2)

    def full(data: bytes, dest: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("briefing.publish.editions.write_atomic", full)
    failed = build(project)
    assert failed.exit_code == 1
    assert "cannot write the edition history: No space left on device" in failed.stderr
    dist = project.root / "dist"
    assert editions.numbers(dist, "x") == [1]
    assert "Edition 2 · As of" in page_one(project)  # the PDF was installed first
    installed = (dist / "x.pdf").read_bytes()
    monkeypatch.undo()
    again = build(project)
    assert "new edition 2)" in again.stdout
    assert editions.numbers(dist, "x") == [1, 2]
    assert (dist / "x.pdf").read_bytes() == installed


def test_sigkill_between_the_pdf_and_the_history_write(project) -> None:
    """A real process, killed by SIGKILL at the commit point: after the PDF is installed,
    before its edition is recorded. The next build makes the same edition, not the next."""
    source = project.source(BASE)
    assert build(project).exit_code == 0
    source.write_text(V2)
    killer = (
        "import os, signal\n"
        "import briefing.publish.editions as e\n"
        "e.commit = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from briefing.cli import main\n"
        "main(['build', '-j', '1', '-q'])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", killer], cwd=project.root, capture_output=True, timeout=240
    )
    assert proc.returncode == -9
    dist = project.root / "dist"
    assert editions.numbers(dist, "x") == [1]
    assert "Edition 2 · As of" in page_one(project)
    # the manifest never describes a PDF that is not on disk: the entry of edition 1 was
    # taken out before its PDF was replaced, and the kill came before the new one was put in
    assert json.loads((dist / "manifest.json").read_text())["briefings"] == []
    killed_pdf = (dist / "x.pdf").read_bytes()
    after = build(project, "--json")
    report = json.loads(after.stdout)
    assert report["sources"][0]["edition"] == 2
    assert report["new_editions"] == ["sources/x.yaml"]
    assert editions.numbers(dist, "x") == [1, 2]
    assert (dist / "x.pdf").read_bytes() == killed_pdf
    kept = editions.latest(dist, "x")
    assert kept is not None
    assert kept.sha256 == hashlib.sha256(killed_pdf).hexdigest()


def test_watch_previews_are_drafts_of_the_next_edition(project) -> None:
    """``watch`` builds on every save: a preview, never an edition of its own."""
    from briefing.publish.build import BuildOptions
    from briefing.publish.build import build as run_build

    source = project.source(BASE)
    build(project)
    source.write_text(V2)
    dist = project.root / "dist"
    preview = BuildOptions(issue=False)
    for _ in range(2):  # the second is up to date
        report = run_build([source], root=project.root, out=dist, options=preview)
        assert report.results[0].draft_of == 2 or report.results[0].status == "up to date"
    assert "Draft of edition 2 · As of" in page_one(project)
    assert editions.numbers(dist, "x") == [1]
    issued = build(project)  # the same source, built for real: not up to date, an edition
    assert "new edition 2)" in issued.stdout
    assert "Edition 2 · As of" in page_one(project)


def test_the_editions_benchmark_runs() -> None:
    """benchmarks/editions.py measures; here only that it runs and prints every row."""
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "editions.py"
    result = subprocess.run(
        [sys.executable, str(script), "--runs", "2"], capture_output=True, text=True, timeout=240
    )
    assert result.returncode in (0, 1), result.stderr
    for row in ("plan, unchanged", "plan, edition 2", "commit", "token", "box", "the diff"):
        assert row in result.stdout, row


def test_check_warns_about_notes_as_the_build_would(project) -> None:
    source = project.source(
        edit(BASE, ("marking: OFFICIAL\n", "marking: OFFICIAL\nchanges: [First issue.]\n"))
    )
    first = run_cli(project, "check")
    assert first.exit_code == 0
    assert "warning: changes: this is edition 1 with no earlier edition" in first.stderr
    source.write_text(BASE)
    build(project)
    source.write_text(V2)  # notes on edition 2: nothing to say
    assert run_cli(project, "check").stderr == ""
    assert run_cli(project, "check", "--strict").exit_code == 0


def test_compare_never_fails_on_kept_data_of_any_shape() -> None:
    """Kept records are untrusted: whatever shape their snapshot has, the comparison
    returns lines, never an exception."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from briefing.publish.diff import compare

    keys = st.sampled_from(
        ["title", "summary", "key_facts", "timeline", "events", "actors", "sections", "map",
         "figures", "sources", "label", "value", "name", "ties", "heading", "body", "date",
         "end", "image", "places", "as_of", "marking", "other"]
    )  # fmt: skip
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    values = st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=20,
    )

    @settings(max_examples=80, deadline=None)
    @given(st.dictionaries(keys, values, max_size=6), st.dictionaries(keys, values, max_size=6))
    def check(old: dict, new: dict) -> None:
        for change in compare(old, new):
            assert isinstance(change.text, str)

    check()
