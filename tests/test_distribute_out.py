"""``distribute --out`` and ``trace --out``: a project built into another output folder
(``build --out``) is distributed from it: its manifest, packs and log live there, and the
copies still go to the delivery folder of distribution.yaml."""

from __future__ import annotations

from pathlib import Path

from distkit import run, source, write_project

DIST = """\
from: {name: Desk, organization: MFA}
recipients:
  - {id: minister, name: Minister, organization: MFA}
packs:
  - {id: book, title: Morning Read-Book, briefings: [nk]}
routes:
  - {briefings: [nk], packs: [book], to: [minister]}
"""


def test_distribute_and_trace_use_the_output_folder_given(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"nk": source("Nagorno-Karabakh")}, DIST)
    built = run(root, "build", "--out", "elsewhere", "-q")
    assert built.exit_code == 0, built.output
    out = root / "elsewhere"

    plan = run(root, "distribute", "--out", "elsewhere")
    assert plan.exit_code == 0, plan.output
    assert "would send nk e1 → minister (copy 1 of 1)\n" in plan.stdout  # built: no "after"
    unbuilt = run(root, "distribute")  # dist/ has no build of it
    assert "would send nk e1 → minister (copy 1 of 1) after building it" in unbuilt.stdout

    sent = run(root, "distribute", "--send", "--out", "elsewhere")
    assert sent.exit_code == 0, sent.output
    assert (out / "packs" / "book.pdf").is_file()
    assert (out / "distribution" / "log.jsonl").read_text(encoding="utf-8").count("\n") == 2
    assert not (root / "dist").exists()  # nothing built or logged in the default folder
    copy = root / "outbox" / "minister" / "nk-e1-c1.pdf"
    assert copy.is_file()  # the delivery folder is distribution.yaml's, as before

    again = run(root, "distribute", "--send", "--out", "elsewhere")
    assert again.stdout.splitlines()[-1] == (
        "0 sent, 0 failed, 0 refused, 0 held back, 2 already delivered"
    )

    found = run(root, "trace", "--out", "elsewhere", str(copy))
    assert found.exit_code == 0, found.output
    assert found.stdout.splitlines()[1] == "  nk, edition 1"
    missing = run(root, "trace", str(copy))  # dist/distribution/log.jsonl: never recorded
    assert missing.exit_code == 1
    assert "is not in" in missing.stdout
