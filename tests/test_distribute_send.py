# ruff: noqa: E501 (expected messages and YAML are compared whole)
"""``briefing distribute`` end to end with folder delivery: the plan changes nothing, --send
delivers each owed copy once, controlled copies carry their stamp on every page and differ
only there, drafts/stale/failed sources are held back, and the log is the record."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from distkit import (
    LOG_FIELDS,
    REPO,
    log_records,
    metadata,
    page_texts,
    run,
    run_process,
    source,
    write_project,
)
from pypdf import PdfReader

from briefing.distribute.pdfedit import CopyInfo, Stamper

DIST = """\
from: {name: Desk, organization: Ministry of Foreign Affairs}
recipients:
  - {id: deputy-minister, name: Deputy Minister for the Caucasus, organization: Ministry of Foreign Affairs, cleared: TLP:AMBER}
  - {id: defence-adviser, name: Армен Саргсян, organization: Ministry of Defence}
  - {id: analyst, name: Analyst}
lists:
  principals: [deputy-minister, defence-adviser]
routes:
  - briefings: "*"
    to: [principals, analyst]
"""


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    return write_project(
        tmp_path,
        {"nk": source("Nagorno-Karabakh", marking="TLP:GREEN"), "sea": source("Red Sea")},
        DIST,
    )


def test_the_plan_changes_nothing_and_send_delivers_it(desk: Path) -> None:
    before = snapshot(desk)
    plan = run(desk, "distribute")
    assert plan.exit_code == 0, plan.output
    assert snapshot(desk) == before
    would = [line for line in plan.stdout.splitlines() if line.startswith("would send")]
    assert would == [
        "would send nk e1 → deputy-minister (copy 1 of 3) after building it",
        "would send nk e1 → defence-adviser (copy 2 of 3) after building it",
        "would send nk e1 → analyst (copy 3 of 3) after building it",
        "would send sea e1 → deputy-minister (copy 1 of 3) after building it",
        "would send sea e1 → defence-adviser (copy 2 of 3) after building it",
        "would send sea e1 → analyst (copy 3 of 3) after building it",
    ]

    sent = run(desk, "distribute", "--send")
    assert sent.exit_code == 0, sent.output
    assert (
        sent.stdout.splitlines()[-1]
        == "6 sent, 0 failed, 0 refused, 0 held back, 0 already delivered"
    )
    files = sorted(p.relative_to(desk).as_posix() for p in (desk / "outbox").rglob("*.pdf"))
    assert files == [
        "outbox/analyst/nk-e1-c3.pdf",
        "outbox/analyst/sea-e1-c3.pdf",
        "outbox/defence-adviser/nk-e1-c2.pdf",
        "outbox/defence-adviser/sea-e1-c2.pdf",
        "outbox/deputy-minister/nk-e1-c1.pdf",
        "outbox/deputy-minister/sea-e1-c1.pdf",
    ]
    records = log_records(desk)
    assert [(r["item"], r["recipient"], r["copy"], r["of"], r["status"]) for r in records] == [
        ("nk", "deputy-minister", 1, 3, "sent"),
        ("nk", "defence-adviser", 2, 3, "sent"),
        ("nk", "analyst", 3, 3, "sent"),
        ("sea", "deputy-minister", 1, 3, "sent"),
        ("sea", "defence-adviser", 2, 3, "sent"),
        ("sea", "analyst", 3, 3, "sent"),
    ]
    for r in records:
        data = (desk / str(r["to"])).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha256"]
        assert set(r) == LOG_FIELDS

    again = run(desk, "distribute", "--send")
    assert again.exit_code == 0
    assert (
        again.stdout.splitlines()[-1]
        == "0 sent, 0 failed, 0 refused, 0 held back, 6 already delivered"
    )
    assert log_records(desk) == records


def test_every_page_of_a_copy_carries_its_stamp_and_copies_differ_only_there(desk: Path) -> None:
    assert run(desk, "distribute", "--send").exit_code == 0
    original = (desk / "dist" / "nk.pdf").read_bytes()
    first = (desk / "outbox" / "deputy-minister" / "nk-e1-c1.pdf").read_bytes()
    second = (desk / "outbox" / "defence-adviser" / "nk-e1-c2.pdf").read_bytes()
    ids = {r["recipient"]: r["copy_id"] for r in log_records(desk) if r["item"] == "nk"}
    stamp1 = f"Copy 1 of 3 · For Deputy Minister for the Caucasus, Ministry of Foreign Affairs · Copy ID {ids['deputy-minister']}"
    stamp2 = (
        f"Copy 2 of 3 · For Армен Саргсян, Ministry of Defence · Copy ID {ids['defence-adviser']}"
    )
    plain_pages = page_texts(original)
    for copy, stamp in ((first, stamp1), (second, stamp2)):
        pages = page_texts(copy)
        assert len(pages) == len(plain_pages)
        for text, plain in zip(pages, plain_pages, strict=True):
            assert stamp in text
            assert text.replace(stamp, "").split() == plain.split()
    meta1, meta2, meta0 = metadata(first), metadata(second), metadata(original)
    assert meta1["/BriefingCopyId"] == ids["deputy-minister"]
    assert meta1["/BriefingCopy"] == "1 of 3"
    assert meta2["/BriefingFor"] == "Армен Саргсян, Ministry of Defence"
    stamp_keys = {
        "/BriefingCopyId",
        "/BriefingCopy",
        "/BriefingFor",
        "/BriefingItem",
        "/BriefingEdition",
    }
    assert {k: v for k, v in meta1.items() if k not in stamp_keys} == meta0
    assert {k: v for k, v in meta2.items() if k not in stamp_keys} == meta0
    # the same images and fonts of the original on every page, no more
    for copy in (first, second):
        for page, plain in zip(
            PdfReader(io.BytesIO(copy)).pages, PdfReader(io.BytesIO(original)).pages, strict=True
        ):
            assert page.mediabox == plain.mediabox
            fonts = page["/Resources"]["/Font"]
            assert set(fonts) == set(plain["/Resources"]["/Font"])


def test_copies_are_deterministic() -> None:
    pdf = (REPO / "tests" / "fixtures").glob("*.pdf")
    _ = pdf
    from briefing.render import RenderOptions, render
    from briefing.source.load import load

    root = REPO
    b = load(root / "sources" / "nagorno-karabakh-2020.yaml", root=root)
    data = render(b, RenderOptions()).pdf
    infos = [CopyInfo(f"AAAA-000{i}", i, 3, f"Reader {i}, Org", "nk", 1) for i in (1, 2, 3)]
    once = Stamper(data).copies(infos)
    twice = Stamper(data).copies(infos, wanted={"AAAA-0002"})
    assert twice == {"AAAA-0002": once["AAAA-0002"]}
    assert len(set(once.values())) == 3


def test_drafts_stale_and_failed_sources_are_held_back(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "draft": source("Draft", draft=True),
            "old": source("Old", review_by="2020-01-01"),
            "broken": "title: [oops\n",
            "good": source("Good"),
        },
        "recipients: [{id: a, name: A}]\nroutes: [{briefings: '*', to: a}]\n",
    )
    result = run(root, "distribute", "--send")
    assert result.exit_code == 1  # the broken source
    held = sorted(line for line in result.stderr.splitlines() if line.startswith("held back"))
    assert held == [
        "held back broken: its source does not load; fix it (briefing check) and run again",
        "held back draft: a draft: drafts are never distributed",
        "held back old: stale: its review date 2020-01-01 has passed (--allow-stale sends it)",
    ]
    assert sorted(p.name for p in (root / "outbox" / "a").iterdir()) == ["good-e1-c1.pdf"]
    stale = run(root, "distribute", "--send", "--allow-stale")
    assert sorted(p.name for p in (root / "outbox" / "a").iterdir()) == [
        "good-e1-c1.pdf",
        "old-e1-c1.pdf",
    ]
    assert stale.exit_code == 1


def test_json_report(desk: Path) -> None:
    result = run(desk, "distribute", "--send", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["sent"] is True
    assert [(d["id"], d["recipient"], d["status"]) for d in report["deliveries"]][:2] == [
        ("nk", "deputy-minister", "sent"),
        ("nk", "defence-adviser", "sent"),
    ]
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", d["copy_id"]) for d in report["deliveries"])


def test_a_reader_added_later_gets_the_next_copy_number(desk: Path) -> None:
    assert run(desk, "distribute", "--send").exit_code == 0
    text = (
        (desk / "distribution.yaml")
        .read_text()
        .replace(
            "  - {id: analyst, name: Analyst}",
            "  - {id: analyst, name: Analyst}\n  - {id: envoy, name: Envoy}",
        )
    )
    (desk / "distribution.yaml").write_text(
        text.replace("[principals, analyst]", "[principals, analyst, envoy]")
    )
    result = run(desk, "distribute", "--send")
    assert result.exit_code == 0
    new = [(r["item"], r["recipient"], r["copy"], r["of"]) for r in log_records(desk)[6:]]
    assert new == [("nk", "envoy", 4, 4), ("sea", "envoy", 4, 4)]
    assert (
        "Copy 4 of 4 · For Envoy"
        in page_texts((desk / "outbox" / "envoy" / "nk-e1-c4.pdf").read_bytes())[0]
    )


def test_a_new_edition_is_owed_again(desk: Path) -> None:
    """A real second edition (the source's content changed): owed to every reader again,
    numbered afresh, with the edition's changes; rebuilding without a change owes nothing."""
    from briefing.distribute.project import execute

    first = execute(desk, send_copies=True, allow_stale=False)
    assert len(first.outcomes) == 6
    (desk / "sources" / "nk.yaml").write_text(
        source("Nagorno-Karabakh", marking="TLP:GREEN", summary=("Casualty figure updated.",))
    )
    second = execute(desk, send_copies=True, allow_stale=False)
    assert second.outcomes[0].delivery.item.changes[0].startswith("Bottom line")
    assert [
        (o.delivery.item.id, o.delivery.item.edition, o.delivery.number) for o in second.outcomes
    ][:3] == [
        ("nk", 2, 1),
        ("nk", 2, 2),
        ("nk", 2, 3),
    ]
    assert len(second.outcomes) == 3  # sea did not change: no new edition
    assert (desk / "outbox" / "analyst" / "nk-e2-c3.pdf").is_file()
    assert (
        "Copy 3 of 3" in page_texts((desk / "outbox" / "analyst" / "nk-e2-c3.pdf").read_bytes())[0]
    )
    assert execute(desk, send_copies=True, allow_stale=False).outcomes == []


def test_trace_names_the_holder(desk: Path) -> None:
    assert run(desk, "distribute", "--send").exit_code == 0
    copy = desk / "outbox" / "defence-adviser" / "nk-e1-c2.pdf"
    result = run(desk, "trace", str(copy))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    copy_id = metadata(copy.read_bytes())["/BriefingCopyId"]
    assert lines[0] == f"{copy} : copy id {copy_id} (read from the metadata)".replace(" :", ":")
    assert lines[1] == "  nk, edition 1"
    assert (
        lines[2]
        == "  copy 2 of 3, for Армен Саргсян, Ministry of Defence (recipient defence-adviser)"
    )
    assert lines[-1] == "  the file is byte for byte the copy that was delivered"

    # metadata stripped (printed to PDF again, say): the footer still names the copy
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(copy))
    writer.metadata = None
    stripped = desk / "leak.pdf"
    with stripped.open("wb") as fh:
        writer.write(fh)
    assert "/BriefingCopyId" not in metadata(stripped.read_bytes())
    leaked = run(desk, "trace", str(stripped), "--json")
    report = json.loads(leaked.stdout)
    assert leaked.exit_code == 0
    assert (
        report["found_in"],
        report["recipient"],
        report["copy"],
        report["identical_to_sent"],
    ) == ("footer", "defence-adviser", 2, False)

    plain = run(desk, "trace", str(desk / "dist" / "nk.pdf"))
    assert plain.exit_code == 1
    assert (
        plain.stdout.strip()
        == f"{desk / 'dist' / 'nk.pdf'}: not a controlled copy (no copy id in its metadata or footer)"
    )
    (desk / "dist" / "distribution" / "log.jsonl").unlink()
    unknown = run(desk, "trace", str(copy))
    assert unknown.exit_code == 1
    assert (
        f"copy id {copy_id} (stamped for Армен Саргсян, Ministry of Defence) is not in"
        in unknown.stdout
    )


def test_init_then_send_works_with_no_server(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    assert run_process(tmp_path, "init", str(root)).returncode == 0
    first = run_process(root, "distribute", "--send")
    assert first.returncode == 0, first.stderr
    assert first.stderr == "held back example: a draft: drafts are never distributed\n"
    example = root / "sources" / "example.yaml"
    text = example.read_text(encoding="utf-8")
    example.write_text(re.sub(r"(?m)^draft: true.*\n", "", text), encoding="utf-8")
    result = run_process(root, "distribute", "--send")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "sent      example e1 → first-reader (copy 1 of 1, "
        + log_records(root)[0]["copy_id"]
        + ")",
        "1 sent, 0 failed, 0 refused, 0 held back, 0 already delivered",
    ]
    assert (root / "outbox" / "first-reader" / "example-e1-c1.pdf").is_file()


def test_no_distribution_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    result = run(tmp_path, "distribute")
    assert result.exit_code == 2
    assert "no distribution.yaml in" in result.stderr


def test_the_plan_notes_a_changed_source_and_send_clears_stale_temporaries(desk: Path) -> None:
    assert run(desk, "distribute", "--send").exit_code == 0
    (desk / "sources" / "nk.yaml").write_text(
        source("Nagorno-Karabakh", marking="TLP:GREEN", summary=("Changed.",))
    )
    plan = run(desk, "distribute")
    assert (
        "sources/nk.yaml: warning: its source changed since the last build; --send builds it "
        "first, and a new edition, if its content changed, goes to its readers"
    ) in plan.stderr.splitlines()
    partial = desk / "outbox" / "analyst" / ".nk-e1-c3.pdf.x1y2.partial"
    partial.write_bytes(b"half a copy")
    assert run(desk, "distribute", "--send").exit_code == 0
    assert not partial.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_stamp_overlaps_nothing_in_the_footer(desk: Path, tmp_path: Path) -> None:
    """Word boxes (pdftotext -bbox) on the footer line: the stamp keeps clear of the date and
    the page number, also when a long name makes it shrink and end in "…"."""
    assert run(desk, "distribute", "--send").exit_code == 0
    pdf = (desk / "dist" / "nk.pdf").read_bytes()
    long_name = "The Permanent Under-Secretary for Political Affairs and International Security"
    infos = [
        CopyInfo("ZZZZ-0001", 1, 2, "Analyst, Desk", "nk", 1),
        CopyInfo("ZZZZ-0002", 2, 2, f"{long_name}, Ministry of Foreign Affairs", "nk", 1),
    ]
    for copy_id, data in Stamper(pdf).copies(infos).items():
        path = tmp_path / f"{copy_id}.pdf"
        path.write_bytes(data)
        html = subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = html.split("<page ")[1:]
        assert pages
        for page in pages:
            words = [
                (float(a), float(b), float(c), float(d), w)
                for a, b, c, d, w in re.findall(
                    r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
                    page,
                )
            ]
            stamp = [w for w in words if w[4] in ("Copy", copy_id)]
            assert stamp, "no stamp on a page"
            line_top = min(w[1] for w in stamp) - 1
            line_bottom = max(w[3] for w in stamp) + 1
            footer = [w for w in words if w[1] < line_bottom and w[3] > line_top]
            stamp_left = min(w[0] for w in footer if w[4] == "Copy")
            assert copy_id in [w[4] for w in footer]  # the id always prints whole
            if copy_id.endswith("2"):
                assert any(w[4].endswith("…") for w in footer)  # the long name was shortened
            stamp_right = max(w[2] for w in footer if w[4] == copy_id)
            others = [w for w in footer if w[2] < stamp_left or w[0] > stamp_right]
            assert [w[4] for w in others if w[2] < stamp_left][:2] == ["As", "of"]
            assert next(w[4] for w in others if w[0] > stamp_right) == "Page"
            assert not [
                w
                for w in footer
                if w[0] < stamp_right
                and w[2] > stamp_left
                and w not in footer_stamp_words(footer, stamp_left, stamp_right)
            ]


def footer_stamp_words(
    footer: list[tuple[float, float, float, float, str]], left: float, right: float
) -> list[tuple[float, float, float, float, str]]:
    return [w for w in footer if w[0] >= left - 0.5 and w[2] <= right + 0.5]


def test_a_torn_log_line_is_skipped_and_kept_apart(desk: Path) -> None:
    log = desk / "dist" / "distribution" / "log.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(b'{"time": "2024-01-01T00:00:00+00:00", "kind": "brief')  # a full disk
    result = run(desk, "distribute", "--send")
    assert result.exit_code == 0
    (warning,) = [line for line in result.stderr.splitlines() if "log" in line]
    assert warning.startswith(
        "dist/distribution/log.jsonl:1:1: warning: an unreadable log line was skipped ("
    )
    lines = log.read_text().splitlines()
    assert len(lines) == 7
    assert all(json.loads(line)["status"] == "sent" for line in lines[1:])
