# ruff: noqa: E501 (expected messages and YAML are compared whole)
"""The handling rules as a matrix: every marking × every clearance × routed by id or by list
× same or other organization; then the same rules end to end, one refusal line each."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from distkit import log_records, run, source, write_project

from briefing.distribute import config
from briefing.distribute.rules import Routed, refusal
from briefing.distribute.schema import TLP_ORDER

MARKINGS = [*TLP_ORDER, "OFFICIAL-SENSITIVE", "UNCLASSIFIED", None]
#: What the test expects each marking to rank as (OFFICIAL-SENSITIVE is mapped in the file).
LEVEL = {
    **{m: m for m in TLP_ORDER},
    "OFFICIAL-SENSITIVE": "TLP:AMBER",
    "UNCLASSIFIED": "TLP:CLEAR",
    None: "TLP:CLEAR",
}


def distribution(tmp_path: Path) -> config.Distribution:
    readers = []
    for cleared, org in itertools.product(TLP_ORDER, ("Desk Org", "Other Org")):
        rid = f"r-{cleared[4:].lower().replace('+', '-')}-{'own' if org == 'Desk Org' else 'other'}"
        readers.append(f"  - {{id: {rid}, name: {rid}, organization: {org}, cleared: '{cleared}'}}")
    text = "\n".join(
        [
            "from: {name: Desk, organization: Desk Org}",
            "recipients:",
            *readers,
            "marking_levels: {OFFICIAL-SENSITIVE: TLP:AMBER}",
            "routes: [{briefings: '*', to: [r-clear-own]}]",
        ]
    )
    path = tmp_path / "distribution.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    return config.load(path, root=tmp_path, briefing_ids={"x"})


@pytest.mark.parametrize("marking", MARKINGS, ids=str)
def test_matrix(tmp_path: Path, marking: str | None) -> None:
    dist = distribution(tmp_path)
    checked = 0
    for reader, direct in itertools.product(dist.recipients, (True, False)):
        level = TLP_ORDER.index(LEVEL[marking])
        allowed = level <= TLP_ORDER.index(reader.cleared)
        if LEVEL[marking] == "TLP:RED":
            allowed = allowed and direct
        if LEVEL[marking] == "TLP:AMBER+STRICT":
            allowed = allowed and reader.organization == "Desk Org"
        why = refusal(marking, Routed(reader.id, direct), dist)
        assert (why is None) == allowed, (marking, reader, direct, why)
        if why is not None:
            rule = why.split(":", 1)[0]
            expected_rule = (
                "rule cleared"
                if level > TLP_ORDER.index(reader.cleared)
                else f"rule {LEVEL[marking]}"
            )
            assert rule == expected_rule or why.startswith(expected_rule), why
        checked += 1
    assert checked == 20


def test_amber_strict_without_sender_organization_refuses_everyone(tmp_path: Path) -> None:
    dist = distribution(tmp_path)
    from dataclasses import replace

    dist = replace(dist, sender=None)
    reader = Routed("r-red-own", True)
    assert refusal("TLP:AMBER+STRICT", reader, dist) is not None


def test_refusals_end_to_end(tmp_path: Path) -> None:
    """RED through a list and AMBER+STRICT to another organization are refused, one line each,
    exit 1; the rest is still delivered."""
    root = write_project(
        tmp_path,
        {
            "red": source("Red", marking="TLP:RED"),
            "strict": source("Strict", marking="TLP:AMBER+STRICT"),
            "amber": source("Amber", marking="OFFICIAL-SENSITIVE"),
        },
        """\
from: {name: Desk, organization: MFA}
recipients:
  - {id: minister, name: Minister, organization: MFA, cleared: TLP:RED}
  - {id: envoy, name: Envoy, organization: MFA, cleared: TLP:RED}
  - {id: attache, name: Attaché, organization: MoD, cleared: TLP:RED}
  - {id: press, name: Press, organization: MFA}
lists:
  principals: [envoy, attache]
marking_levels: {OFFICIAL-SENSITIVE: TLP:AMBER}
routes:
  - {briefings: [red], to: [minister, principals]}
  - {briefings: [strict, amber], to: [principals, press]}
""",
    )
    result = run(root, "distribute", "--send")
    assert result.exit_code == 1, result.output
    refused = sorted(line for line in result.stderr.splitlines() if line.startswith("refused"))
    assert refused == [
        "refused   amber → press: rule cleared: OFFICIAL-SENSITIVE (ranked TLP:AMBER) is above the reader's clearance TLP:GREEN",
        "refused   red → attache: rule TLP:RED: goes only to readers routed by their own id, not through a list",
        "refused   red → envoy: rule TLP:RED: goes only to readers routed by their own id, not through a list",
        "refused   strict → attache: rule TLP:AMBER+STRICT: only for MFA; the reader is of MoD",
        "refused   strict → press: rule cleared: TLP:AMBER+STRICT is above the reader's clearance TLP:GREEN",
    ]
    sent = sorted((r["item"], r["recipient"]) for r in log_records(root) if r["status"] == "sent")
    assert sent == [
        ("amber", "attache"),
        ("amber", "envoy"),
        ("red", "minister"),
        ("strict", "envoy"),
    ]
    assert sorted(p.name for p in (root / "outbox").rglob("*.pdf")) == [
        "amber-e1-c1.pdf",
        "amber-e1-c2.pdf",
        "red-e1-c1.pdf",
        "strict-e1-c1.pdf",
    ]


def test_amber_strict_needs_the_sender_organization(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {"strict": source("Strict", marking="TLP:AMBER+STRICT")},
        "from: {name: Desk}\nrecipients: [{id: a, name: A}]\nroutes: [{briefings: [strict], to: a}]\n",
    )
    result = run(root, "distribute")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "distribution.yaml:1:7: from.organization: `from.organization` is required"
    )


def test_a_marking_with_no_level_is_warned_at_its_line_and_a_mapped_one_is_not(
    tmp_path: Path,
) -> None:
    """The contract ranks an unmapped marking TLP:CLEAR, which sends a SECRET briefing to
    every reader routed it: the plan says so, at the source's marking, once per briefing."""
    dist = (
        "recipients:\n  - {id: analyst, name: Analyst}\n"
        "marking_levels: {Official: TLP:GREEN}\n"
        'routes:\n  - briefings: "*"\n    to: [analyst]\n'
    )
    root = write_project(
        tmp_path,
        {
            "a": source("Alpha", marking="SECRET"),
            "b": source("Bravo", marking="OFFICIAL"),  # mapped, spelt another way
            "c": source("Charlie", marking="TLP:AMBER"),
            "d": source("Delta", marking="TOP SECRET", draft=True),  # held: goes nowhere
        },
        dist,
    )
    plan = run(root, "distribute")
    warned = [line for line in plan.stderr.splitlines() if "marking_levels" in line]
    assert warned == [
        "sources/a.yaml:4:10: warning: marking: `SECRET` is not a TLP label and "
        "distribution.yaml has no marking_levels entry for it, so it ranks as TLP:CLEAR and "
        "goes to every reader routed it; map it in marking_levels if it needs more"
    ]
    sent = run(root, "distribute", "--send", "--json")
    report = json.loads(sent.stdout)
    assert [(w["file"], w["code"]) for w in report["warnings"]] == [
        ("sources/a.yaml", "marking-unranked")
    ]
