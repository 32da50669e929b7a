# ruff: noqa: E501 (expected messages and YAML are compared whole)
"""Real editions (``briefing.publish.editions``): each new edition is owed to every reader
again, its message says what changed, a draft of the next edition holds it back, and a
pack follows its members' editions."""

from __future__ import annotations

from pathlib import Path

from distkit import log_records, run, source, write_project
from smtpkit import Mailbox, smtp_server

DIST = """\
from: {{name: Desk, organization: MFA, email: desk@example.org}}
delivery: {{method: smtp, smtp: {{host: 127.0.0.1, port: {port}, security: none, timeout: 5}}}}
recipients:
  - {{id: minister, name: Minister, organization: MFA, email: minister@example.gov, cleared: TLP:AMBER}}
  - {{id: adviser, name: Adviser, organization: MFA, email: adviser@example.gov}}
packs:
  - {{id: book, title: Read-Book, briefings: [nk]}}
routes:
  - {{briefings: [nk], to: [minister, adviser]}}
  - {{packs: [book], to: minister}}
"""


def test_each_new_edition_is_owed_again(tmp_path: Path) -> None:
    box = Mailbox()
    with smtp_server(box) as port:
        root = write_project(
            tmp_path,
            {"nk": source("Nagorno-Karabakh", as_of="2020-09-29", summary=("Fighting began.",))},
            DIST.format(port=port),
        )
        first = run(root, "distribute", "--send")
        assert first.exit_code == 0, first.output
        assert sorted(m["Subject"] for m in box.messages) == [
            "Nagorno-Karabakh — edition 1 (2020-09-29)",
            "Nagorno-Karabakh — edition 1 (2020-09-29)",
            "Read-Book — edition 1 (2020-09-29)",
        ]
        assert (
            run(root, "distribute", "--send")
            .stdout.splitlines()[-1]
            .endswith("3 already delivered")
        )

        (root / "sources" / "nk.yaml").write_text(
            source(
                "Nagorno-Karabakh", as_of="2020-09-30", summary=("Fighting spread to Stepanakert.",)
            )
        )
        plan = run(root, "distribute")
        assert "sources/nk.yaml: warning: its source changed since the last build" in plan.stderr
        second = run(root, "distribute", "--send")
        assert second.exit_code == 0, second.output
        new = box.messages[3:]
        assert sorted(m["Subject"] for m in new) == [
            "Nagorno-Karabakh — edition 2 (2020-09-30)",
            "Nagorno-Karabakh — edition 2 (2020-09-30)",
            "Read-Book — edition 2 (2020-09-30)",
        ]
        body = (
            next(m for m in new if m["Subject"].startswith("Nagorno"))
            .get_body(("plain",))
            .get_content()
        )
        body = body.replace("\r\n", "\n")
        changes = body.split("Changes since edition 1:\n", 1)[1].split("\n\n", 1)[0]
        assert "“Fighting began.” → “Fighting spread to\n    Stepanakert.”" in changes, body
        assert "  - As of: 29 Sep 2020 → 30 Sep 2020" in changes
        pack_body = (
            next(m for m in new if m["Subject"].startswith("Read-Book"))
            .get_body(("plain",))
            .get_content()
        )
        assert "  - Nagorno-Karabakh: edition 2 (was 1)" in pack_body
        records = [(r["item"], r["edition"], r["recipient"]) for r in log_records(root)]
        assert records[3:] == [("nk", 2, "minister"), ("nk", 2, "adviser"), ("book", 2, "minister")]

        # a draft of the next edition holds the briefing back; edition 2 stays delivered
        (root / "sources" / "nk.yaml").write_text(
            source("Nagorno-Karabakh", as_of="2020-10-01", draft=True)
        )
        third = run(root, "distribute", "--send")
        assert "held back nk: a draft: drafts are never distributed" in third.stderr
        assert len(box.messages) == 6
