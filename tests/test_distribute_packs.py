# ruff: noqa: E501 (expected messages and YAML are compared whole)
"""Packs: a cover with the highest marking and linked contents, members with their own banners,
page numbers through the pack, pack editions, routed and copied like briefings."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from distkit import log_records, page_texts, run, source, write_project
from pypdf import PdfReader

from briefing.distribute.project import execute

DIST = """\
from: {name: Desk, organization: MFA}
recipients:
  - {id: minister, name: Minister, organization: MFA, cleared: TLP:AMBER}
  - {id: press, name: Press, organization: MFA}
packs:
  - {id: morning-book, title: Morning Read-Book, briefings: [nk, sea]}
routes:
  - {packs: morning-book, to: [minister, press]}
"""


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    return write_project(
        tmp_path,
        {
            "nk": source("Nagorno-Karabakh", marking="TLP:GREEN", as_of="2020-09-29"),
            "sea": source("Red Sea", marking="TLP:AMBER", as_of="2024-01-15"),
        },
        DIST,
    )


def test_the_pack_and_its_copies(desk: Path) -> None:
    result = run(desk, "distribute", "--send")
    assert result.exit_code == 1  # press may not hold an AMBER pack
    assert result.stderr.splitlines()[-1] == (
        "refused   pack morning-book → press: rule cleared: TLP:AMBER is above the reader's clearance TLP:GREEN"
    )
    pack = (desk / "dist" / "packs" / "morning-book.pdf").read_bytes()
    nk = len(PdfReader(desk / "dist" / "nk.pdf").pages)
    sea = len(PdfReader(desk / "dist" / "sea.pdf").pages)
    texts = page_texts(pack)
    total = 1 + nk + sea
    assert len(texts) == total
    cover = texts[0]
    for expected in (
        "Morning Read-Book",
        "15 January 2024 · edition 1",
        "TLP:AMBER",
        "Nagorno-Karabakh",
        "Edition 1 · as of 29 September 2020",
        "Red Sea",
        "Edition 1 · as of 15 January 2024",
    ):
        assert expected in cover, expected
    rows = re.findall(r"^(\d+)$", cover, re.M)
    assert rows == ["2", str(2 + nk)]
    for number, text in enumerate(texts, start=1):
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of {total}"]
    assert "TLP:GREEN" in texts[1]
    assert "TLP:AMBER" in texts[1 + nk]
    reader = PdfReader(io.BytesIO(pack))
    targets = []
    for annot in reader.pages[0]["/Annots"]:
        dest = annot.get_object()["/Dest"]
        targets.append(reader.get_page_number(dest[0].get_object()))
    assert targets == [1, 1 + nk]
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:2] == ["Nagorno-Karabakh", "Red Sea"]

    copy = (desk / "outbox" / "minister" / "morning-book-e1-c1.pdf").read_bytes()
    record = log_records(desk)[0]
    assert (record["kind"], record["item"], record["edition"]) == ("pack", "morning-book", 1)
    stamp = f"Copy 1 of 1 · For Minister, MFA · Copy ID {record['copy_id']}"
    assert all(stamp in text for text in page_texts(copy))
    traced = run(desk, "trace", str(desk / "outbox" / "minister" / "morning-book-e1-c1.pdf"))
    assert traced.stdout.splitlines()[1] == "  pack morning-book, edition 1"


def test_pack_editions_follow_member_editions(desk: Path) -> None:
    execute(desk, send_copies=True, allow_stale=False)
    state = json.loads((desk / "dist" / "packs" / "morning-book.json").read_text())
    first_pdf = (desk / "dist" / "packs" / "morning-book.pdf").read_bytes()
    assert state["edition"] == 1
    assert state["members"] == [["nk", 1], ["sea", 1]]
    again = execute(desk, send_copies=True, allow_stale=False)
    assert again.outcomes == []
    assert again.plan.delivered == 1
    assert (desk / "dist" / "packs" / "morning-book.pdf").read_bytes() == first_pdf
    (desk / "dist" / "packs" / "morning-book.pdf").unlink()  # rebuilt the same, same edition
    execute(desk, send_copies=True, allow_stale=False)
    assert (desk / "dist" / "packs" / "morning-book.pdf").read_bytes() == first_pdf

    (desk / "sources" / "sea.yaml").write_text(
        source("Red Sea", marking="TLP:AMBER", as_of="2024-01-16")
    )  # a real second edition of one member
    second = execute(desk, send_copies=True, allow_stale=False)
    assert [(o.delivery.item.id, o.delivery.item.edition, o.status) for o in second.outcomes] == [
        ("morning-book", 2, "sent")
    ]
    assert second.outcomes[0].delivery.item.changes == ("Red Sea: edition 2 (was 1)",)
    assert (desk / "outbox" / "minister" / "morning-book-e2-c1.pdf").is_file()


def test_a_held_member_is_left_out(desk: Path) -> None:
    (desk / "sources" / "sea.yaml").write_text(source("Red Sea", draft=True))
    result = run(desk, "distribute", "--send")
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.stderr.splitlines() if "leaves out" in line]
    where, _, message = warning.partition(": warning: ")
    assert message == (
        "packs[0].briefings[1]: pack morning-book leaves out sea: "
        "a draft: drafts are never distributed"
    )
    file, line, column = where.split(":")
    assert file == "distribution.yaml"
    text = (desk / file).read_text().splitlines()[int(line) - 1]
    assert text[int(column) - 1 :].startswith("sea"), text
    texts = page_texts((desk / "dist" / "packs" / "morning-book.pdf").read_bytes())
    assert "Red Sea" not in texts[0]
    assert sorted(p.name for p in (desk / "outbox").rglob("*.pdf")) == [
        "morning-book-e1-c1.pdf",
        "morning-book-e1-c2.pdf",
    ]
