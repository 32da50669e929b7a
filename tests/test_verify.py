"""``briefing verify`` and ``build --verify``: a renderer that loses a fact is caught, at its line.

The mutation tests break the renderer on purpose (monkeypatch) in the ways a real
bug would lose a fact, and assert that verification reports exactly the lost
texts, each at the line and column of the source where it was written.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefing.cli import cli
from briefing.model import Briefing
from briefing.publish import manifest
from briefing.publish.build import BuildOptions, build
from briefing.publish.verify import printed, verify_pdf
from briefing.publish.verify.text import without_citations
from briefing.render import RenderOptions, render
from briefing.render.pdf import actors as pdf_actors
from briefing.render.pdf import body, chronology, document, front
from briefing.source.load import load
from briefing.source.walk import walk

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "sources" / "nagorno-karabakh-2020.yaml"
NAME = "dist/nagorno-karabakh-2020.pdf"


@pytest.fixture(scope="module")
def example() -> Briefing:
    return load(EXAMPLE, root=REPO)


def problems(b: Briefing) -> list[str]:
    """Render ``b`` (with whatever the test patched) and verify the bytes."""
    out = render(b, RenderOptions())
    return [str(p) for p in verify_pdf(b, out.pdf, name=NAME, pages=out.pages)]


def lost(b: Briefing, *paths: str) -> list[str]:
    """The lines verification must print for ``paths``, in source order."""
    texts = {item.path: item for item in walk(b)}
    lines = []
    for path in paths:
        item = texts[path]
        lines.append((item.span, f"{item.span}: {path}: "))
    return [line for _, line in sorted(lines)]


def assert_reports(found: list[str], expected: list[str]) -> None:
    assert len(found) == len(expected), "\n".join(found)
    for line, prefix in zip(found, expected, strict=True):
        assert line.startswith(prefix), (line, prefix)
        assert line.endswith(f" is not in {NAME}")


def test_the_example_verifies(example: Briefing) -> None:
    assert problems(example) == []


def _wrap(monkeypatch: pytest.MonkeyPatch, module: object, name: str, change) -> None:
    """Make ``module.name(b, ...)`` see ``change(b)`` instead of the briefing."""
    original = getattr(module, name)
    monkeypatch.setattr(module, name, lambda b, *a, **k: original(change(b), *a, **k))


def test_a_dropped_field_is_reported(example: Briefing, monkeypatch) -> None:
    original = pdf_actors._actor_value
    monkeypatch.setattr(
        pdf_actors,
        "_actor_value",
        lambda actor, key: (
            None if (actor.name, key) == ("Russia", "role") else original(actor, key)
        ),
    )
    assert_reports(problems(example), lost(example, "actors[3].role"))


def test_a_dropped_summary_bullet_is_reported(example: Briefing, monkeypatch) -> None:
    summary = example.summary
    _wrap(
        monkeypatch,
        front,
        "_bluf",
        lambda b: dataclasses.replace(b, summary=summary[:2] + summary[3:]),
    )
    assert_reports(problems(example), lost(example, "summary[2]"))


def test_a_dropped_table_row_is_reported(example: Briefing, monkeypatch) -> None:
    actors = example.actors
    _wrap(
        monkeypatch,
        pdf_actors,
        "actor_section",
        lambda b: dataclasses.replace(b, actors=actors[:10] + actors[11:]),
    )
    row = [item.path for item in walk(example) if item.group == "actors[10]"]
    assert len(row) >= 2
    assert_reports(problems(example), lost(example, *row))


def test_a_truncated_cell_is_reported(example: Briefing, monkeypatch) -> None:
    notes = example.actors[1].notes
    assert notes
    original = pdf_actors.para

    def para(text, style, numbers):
        return original(text[: len(text) // 2] if text == notes else text, style, numbers)

    monkeypatch.setattr(pdf_actors, "para", para)
    assert_reports(problems(example), lost(example, "actors[1].notes"))


def test_a_dropped_end_date_is_reported(example: Briefing, monkeypatch) -> None:
    monkeypatch.setattr(chronology, "_event_date", lambda e: e.date.label())
    spans = [f"timeline.events[{i}].end" for i, e in enumerate(example.timeline.events) if e.end]
    assert spans
    assert_reports(problems(example), lost(example, *spans))


def test_only_the_first_tie_printed_is_reported(example: Briefing, monkeypatch) -> None:
    def first_ties(b: Briefing) -> Briefing:
        actors = tuple(dataclasses.replace(a, ties=a.ties[:1]) for a in b.actors)
        return dataclasses.replace(b, actors=actors)

    _wrap(monkeypatch, pdf_actors, "actor_section", first_ties)
    dropped = [
        f"actors[{i}].ties[{j}]"
        for i, actor in enumerate(example.actors)
        for j in range(1, len(actor.ties))
    ]
    assert "actors[0].ties[2]" in dropped  # Armenia's "EEU", also in a summary bullet
    assert_reports(problems(example), lost(example, *dropped))


def test_a_dropped_source_entry_part_is_reported(example: Briefing, monkeypatch) -> None:
    def no_publisher(b: Briefing) -> Briefing:
        first = dataclasses.replace(b.sources[0], publisher=None)
        return dataclasses.replace(b, sources=(first, *b.sources[1:]))

    _wrap(monkeypatch, body, "sources", no_publisher)
    assert_reports(problems(example), lost(example, "sources[0].publisher"))


def test_a_missing_banner_and_draft_mark_are_reported(example: Briefing, monkeypatch) -> None:
    draft = dataclasses.replace(example, draft=True)
    assert problems(draft) == []
    monkeypatch.setattr(document, "_banner", lambda *a, **k: None)
    monkeypatch.setattr(document, "_watermark", lambda *a, **k: None)
    found = problems(draft)
    pages = 4
    assert len(found) == 2 * pages, found
    marking = str(example.span_of("marking"))
    for number in range(1, pages + 1):
        assert (
            f'{marking}: marking: the marking "TLP:CLEAR" is not on page {number} of {NAME}'
            in found
        )
        assert any(
            line.endswith(f"the DRAFT mark is not on page {number} of {NAME}") for line in found
        )


# --- right-to-left text, text split across cells and pages --------------------------------------

HARD = {
    "title": "تقرير موجز: brief",
    "as_of": "2024-03-01",
    "marking": "סודי - OFFICIAL",
    "summary": [
        "Arabic العربية and Hebrew עברית in one line.",
        "لا إله بالعربية الفصحى جملة طويلة تمتد على أكثر من سطر واحد في هذا الملخص لكي نختبر "
        "الالتفاف والترتيب البصري للكلمات في الأسطر المتعددة مع 2020 رقم [@s1]",
    ],
    "actors": [
        {"name": "مصر", "notes": "ישראל", "ties": ["EEU", "ﬁne ﬂow oﬃce"]},
        {"name": "Tall", "notes": " ".join(f"word{i}" for i in range(900)), "ties": "EEU"},
        {"name": "After", "role": "a verylongwordthatcannotfitinanarrowcolumnatallwhatever-ever"},
    ],
    "sections": [{"heading": "Long", "body": "Para one.\n\n" + "Filler sentence. " * 600}],
    "sources": [{"id": "s1", "title": "A source", "publisher": "Desk", "date": "2024-02"}],
}


def test_right_to_left_split_and_ligatures_verify(project, monkeypatch) -> None:
    path = project.source(yaml.safe_dump(HARD, allow_unicode=True, sort_keys=False, width=1000))
    b = load(path, root=project.root)
    out = render(b, RenderOptions())
    assert out.pages >= 3
    assert verify_pdf(b, out.pdf, name="x.pdf", pages=out.pages) == []

    # and losing an Arabic cell or a tie of a row split across pages is still seen
    def lose(b: Briefing) -> Briefing:
        first = dataclasses.replace(b.actors[0], name="x")
        tall = dataclasses.replace(b.actors[1], ties=())
        return dataclasses.replace(b, actors=(first, tall, *b.actors[2:]))

    _wrap(monkeypatch, pdf_actors, "actor_section", lose)
    out = render(b, RenderOptions())
    found = [str(p) for p in verify_pdf(b, out.pdf, name="x.pdf", pages=out.pages)]
    assert [line.split(": ")[1] for line in found] == ["actors[0].name", "actors[1].ties[0]"]


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture
def built(project) -> Path:
    shutil.copy(EXAMPLE, project.root / "sources" / EXAMPLE.name)
    report = build(
        [project.root / "sources" / EXAMPLE.name],
        root=project.root,
        out=project.root / "dist",
        options=BuildOptions(jobs=1),
    )
    assert report.ok
    return project.root


def run(root: Path, *args: str, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["verify", *args])
    return result.exit_code, result.stdout, result.stderr


def test_verify_command_passes_on_a_good_build(built: Path, monkeypatch) -> None:
    code, out, err = run(built, monkeypatch=monkeypatch)
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"ok         {NAME}", "1 verified, 0 failed"]
    code, out, _ = run(built, "--json", NAME, monkeypatch=monkeypatch)
    report = json.loads(out)
    assert code == 0
    assert report["ok"] is True
    assert report["sources"][0]["pages"] == 4
    assert report["sources"][0]["problems"] == []


def test_verify_reports_a_stale_pdf(built: Path, monkeypatch) -> None:
    source = built / "sources" / EXAMPLE.name
    source.write_bytes(source.read_bytes() + b"# edited\n")
    code, _, err = run(built, "-q", monkeypatch=monkeypatch)
    assert code == 1
    expected = f"sources/{EXAMPLE.name}:1:1: {NAME} is older than sources/{EXAMPLE.name}: build it"
    assert err.splitlines() == [expected]
    code, out, _ = run(built, "--json", monkeypatch=monkeypatch)
    (problem,) = json.loads(out)["sources"][0]["problems"]
    assert (problem["file"], problem["line"], problem["column"]) == (
        f"sources/{EXAMPLE.name}",
        1,
        1,
    )
    assert (problem["severity"], problem["code"], problem["text"]) == (
        "error",
        "out-of-date",
        expected,
    )


def test_verify_reports_a_changed_pdf_and_a_wrong_page_count(built: Path, monkeypatch) -> None:
    pdf = built / NAME
    good = pdf.read_bytes()
    pdf.write_bytes(good + b"\n")
    code, _, err = run(built, "-q", monkeypatch=monkeypatch)
    assert code == 1
    assert err.splitlines() == [
        f"sources/{EXAMPLE.name}:1:1: {NAME} is not the PDF the manifest records "
        "(changed after the build): build it"
    ]
    pdf.write_bytes(good)
    entries = manifest.read(built / "dist")
    key = f"sources/{EXAMPLE.name}"
    entries[key] = dataclasses.replace(entries[key], pages=5)
    manifest.write(built / "dist", entries, "test")
    code, _, err = run(built, "-q", monkeypatch=monkeypatch)
    assert code == 1
    assert err.splitlines() == [
        f"sources/{EXAMPLE.name}:1:1: {NAME} has 4 pages; the manifest says 5"
    ]


def test_verify_usage_errors_exit_2(built: Path, monkeypatch) -> None:
    assert run(built, "sources/none.yaml", monkeypatch=monkeypatch)[0] == 2
    assert run(built, "dist/none.pdf", monkeypatch=monkeypatch)[0] == 2
    other = built / "sources" / "other.yaml"
    other.write_text("title: T\nas_of: 2024-01-01\nsummary: [x]\n")
    code, _, err = run(built, "sources/other.yaml", monkeypatch=monkeypatch)
    assert code == 1
    assert err.splitlines() == [
        "sources/other.yaml:1:1: dist/manifest.json has no PDF of it: build it"
    ]


def test_build_verify_keeps_the_old_pdf_when_a_fact_is_lost(built: Path, monkeypatch) -> None:
    pdf = built / NAME
    before = pdf.read_bytes()
    recorded = manifest.read(built / "dist")[f"sources/{EXAMPLE.name}"].sha256

    def first_ties(b: Briefing) -> Briefing:
        return dataclasses.replace(
            b, actors=tuple(dataclasses.replace(a, ties=a.ties[:1]) for a in b.actors)
        )

    _wrap(monkeypatch, pdf_actors, "actor_section", first_ties)
    monkeypatch.chdir(built)
    result = CliRunner().invoke(cli, ["build", "--verify", "--force", "--jobs", "1", "-q"])
    assert result.exit_code == 1
    b = load(built / "sources" / EXAMPLE.name, root=built)
    lines = result.stderr.splitlines()
    eeu = f'{b.span_of("actors[0].ties[2]")}: actors[0].ties[2]: "EEU" is not in {NAME}'
    assert eeu in lines
    assert (
        f"sources/{EXAMPLE.name}:1:1: the new {NAME} failed verification and was not installed"
        in lines
    )
    assert pdf.read_bytes() == before
    entry = manifest.read(built / "dist")[f"sources/{EXAMPLE.name}"]
    assert (entry.status, entry.sha256) == ("failed", recorded)
    # without the mutation, build --verify installs the PDF
    monkeypatch.undo()
    monkeypatch.chdir(built)
    result = CliRunner().invoke(cli, ["build", "--verify", "--force", "--jobs", "1", "-q"])
    assert result.exit_code == 0, result.stderr


# --- citations as printed, and the repository's own sources ---------------------------------------


@pytest.mark.parametrize(
    ("page", "text", "numbers"),
    [
        ("a[3]b", "ab", [3]),
        ("a[1,4]b", "ab", [1, 4]),  # two numbers, not 1 with the locator "4"
        ("a[5,Suezseries].", "a.", [5]),
        ("a[1,para.12;2]b", "ab", [1, 2]),
        ("a[1,p.4;3,pp.4–5]", "a", [1, 3]),
        ("x[a]y[]", "x[a]y[]", []),
    ],
)
def test_printed_citations_leave_the_page_text(page: str, text: str, numbers: list[int]) -> None:
    assert without_citations(page) == (text, numbers)


def test_citation_groups_and_locators_are_not_expected_on_the_page(example: Briefing) -> None:
    item = next(i for i in walk(example) if i.kind != "blocks" and isinstance(i.value, str))
    for written in ("[@a; @b]", "[@a, p. 4]", "[@a, para. 12; @b]"):
        changed = dataclasses.replace(item, value=f"Said so {written}.")
        assert printed(changed) == ["Said so ."]


def test_every_repository_source_verifies(tmp_path: Path, monkeypatch) -> None:
    """The samples mix scripts, citation groups and locators: verify must find all of it."""
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    if (REPO / "assets").is_dir():
        shutil.copytree(REPO / "assets", tmp_path / "assets")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "-q"])
    assert result.exit_code == 0, result.stderr
    result = CliRunner().invoke(cli, ["verify"])
    names = sorted(p.stem for p in (REPO / "sources").glob("*.yaml"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        *(f"ok         dist/{name}.pdf" for name in names),
        f"{len(names)} verified, 0 failed",
    ]


def test_extraction_reads_a_run_longer_than_its_first_buffer() -> None:
    """``extract_pages`` reuses one buffer and grows it for a longer run: a run of 3,000
    characters (6 KB in UTF-16, past the first 4 KB) comes back whole, in stream order."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from briefing.publish.verify.text import extract_pages

    long = "".join(chr(0x41 + i % 26) for i in range(3000))
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont("Helvetica", 1)
    canvas.drawString(10, 700, "before")
    canvas.drawString(10, 600, long)
    canvas.drawString(10, 500, "after")
    canvas.save()
    assert extract_pages(out.getvalue()) == [f"before\n{long}\nafter"]
