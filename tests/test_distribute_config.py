# ruff: noqa: E501 (expected messages and YAML are compared whole)
"""distribution.yaml is checked like a source: located errors, all at once, did-you-mean,
references between its parts; ``briefing schema --distribution`` describes the same format."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from distkit import run

from briefing.distribute import config
from briefing.distribute.schema import json_schema
from briefing.errors import SourceInvalid

#: The contract's example, with the reader `policy-planning` that it routes to.
EXAMPLE = """\
from: {name: Regional Security Desk, organization: Ministry of Foreign Affairs, email: desk@example.org}

delivery:
  method: folder
  folder: outbox
  smtp:
    host: smtp.example.org
    port: 587
    security: starttls
    username_env: BRIEFING_SMTP_USER
    password_env: BRIEFING_SMTP_PASSWORD

recipients:
  - id: deputy-minister
    name: Deputy Minister for the Caucasus
    title: Deputy Minister
    organization: Ministry of Foreign Affairs
    email: deputy.minister@example.gov
    cleared: TLP:AMBER
  - {id: defence-adviser, name: Defence Adviser, email: da@example.gov}
  - {id: policy-planning, name: Policy Planning Staff, email: pp@example.gov}

lists:
  caucasus-principals: [deputy-minister, defence-adviser]

marking_levels:
  OFFICIAL-SENSITIVE: TLP:AMBER

packs:
  - id: morning-book
    title: Morning Read-Book
    briefings: [nagorno-karabakh-2020, red-sea-2024]

routes:
  - briefings: [nagorno-karabakh-2020]
    to: [caucasus-principals, policy-planning]
  - packs: [morning-book]
    to: [deputy-minister]
"""
IDS = {"nagorno-karabakh-2020", "red-sea-2024"}


def load(tmp_path: Path, text: str) -> config.Distribution:
    path = tmp_path / "distribution.yaml"
    path.write_text(text, encoding="utf-8")
    return config.load(path, root=tmp_path, briefing_ids=IDS)


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SourceInvalid) as caught:
        load(tmp_path, text)
    return [str(e) for e in caught.value.errors]


def test_the_contract_example_loads(tmp_path: Path) -> None:
    dist = load(tmp_path, EXAMPLE)
    assert dist.sender is not None
    assert dist.sender.organization == "Ministry of Foreign Affairs"
    assert [r.id for r in dist.recipients] == [
        "deputy-minister",
        "defence-adviser",
        "policy-planning",
    ]
    assert dist.recipient("defence-adviser").cleared == "TLP:GREEN"  # the default
    assert dist.recipient("deputy-minister").cleared == "TLP:AMBER"
    assert dist.lists == {"caucasus-principals": ("deputy-minister", "defence-adviser")}
    assert dist.marking_levels == {"OFFICIAL-SENSITIVE": "TLP:AMBER"}
    assert dist.packs[0].briefings == ("nagorno-karabakh-2020", "red-sea-2024")
    assert dist.routes[1].packs == ("morning-book",)
    assert dist.method == "folder"
    assert dist.folder == "outbox"
    assert dist.smtp is not None
    assert dist.smtp.port == 587
    assert dist.smtp.security == "starttls"


def test_every_error_at_once_located_with_did_you_mean(tmp_path: Path) -> None:
    text = EXAMPLE.replace("    cleared: TLP:AMBER", "    cleared: TLP:AMBRE").replace(
        "lists:", "lsts:"
    )
    found = errors(tmp_path, text)
    assert "distribution.yaml:19:14: recipients[0].cleared: expected " in found[0]
    assert "TLP:AMBRE" in found[0]
    assert any(
        e.startswith(
            "distribution.yaml:23:1: lsts: unknown key at the top level; did you mean `lists`?"
        )
        for e in found
    ), found


def test_references_are_checked_at_their_line(tmp_path: Path) -> None:
    text = (
        EXAMPLE.replace(
            "to: [caucasus-principals, policy-planning]",
            "to: [caucasus-principal, policy-planning]",
        )
        .replace("  - packs: [morning-book]", "  - packs: [morning-bok]")
        .replace(
            "briefings: [nagorno-karabakh-2020]\n    to",
            "briefings: [nagorno-karabakh-2021]\n    to",
        )
        .replace(
            "caucasus-principals: [deputy-minister, defence-adviser]",
            "caucasus-principals: [deputy-minister, defense-adviser]",
        )
    )
    found = errors(tmp_path, text)
    assert found == [
        "distribution.yaml:24:42: lists.caucasus-principals[1]: `defense-adviser` is not a recipient id; did you mean `defence-adviser`?",
        "distribution.yaml:35:17: routes[0].briefings[0]: `nagorno-karabakh-2021` is not a briefing of this project; did you mean `nagorno-karabakh-2020`?",
        "distribution.yaml:36:10: routes[0].to[0]: `caucasus-principal` is neither a recipient id nor a list; did you mean `caucasus-principals`?",
        "distribution.yaml:37:13: routes[1].packs[0]: `morning-bok` is not a pack in `packs`; did you mean `morning-book`?",
    ]


def test_smtp_rules(tmp_path: Path) -> None:
    text = EXAMPLE.replace("method: folder", "method: smtp").replace(
        "security: starttls", "security: none"
    )
    text = text.replace(
        "  - {id: policy-planning, name: Policy Planning Staff, email: pp@example.gov}",
        "  - {id: policy-planning, name: Policy Planning Staff}",
    )
    found = errors(tmp_path, text)
    assert any(
        "delivery.smtp.security: `none` sends in clear text and is allowed only for localhost" in e
        for e in found
    )
    assert any(
        "recipients[2].email: delivery by smtp needs an `email` for `policy-planning`" in e
        for e in found
    )
    ok = EXAMPLE.replace("method: folder", "method: smtp").replace("smtp.example.org", "127.0.0.1")
    ok = ok.replace("security: starttls", "security: none")
    assert load(tmp_path, ok).smtp.security == "none"  # type: ignore[union-attr]


def test_folder_must_stay_inside_the_project(tmp_path: Path) -> None:
    found = errors(tmp_path, EXAMPLE.replace("folder: outbox", "folder: ../elsewhere"))
    assert found == [
        "distribution.yaml:5:11: delivery.folder: `../elsewhere` must be a folder inside the project (a relative path without `..`)"
    ]


def test_a_name_the_stamp_font_cannot_draw_is_an_error_at_its_line(tmp_path: Path) -> None:
    """Copy stamps print the holder in DejaVu Sans alone: a box on the control line of a
    controlled copy is a misprint, so the file is refused before any copy is made."""
    text = EXAMPLE.replace("name: Defence Adviser", "name: 国防顾问").replace(
        "organization: Ministry of Foreign Affairs\n    email: deputy",
        "organization: Միnistry 外交部\n    email: deputy",
    )
    assert errors(tmp_path, text) == [
        "distribution.yaml:17:19: recipients[0].organization: U+5916 '外', U+4EA4 '交', U+90E8 '部' cannot be printed on the copy stamp (its font, DejaVu Sans, has no glyph for it); write the organization in a script it has, e.g. transliterated",
        "distribution.yaml:20:33: recipients[1].name: U+56FD '国', U+9632 '防', U+987E '顾', U+95EE '问' cannot be printed on the copy stamp (its font, DejaVu Sans, has no glyph for it); write the name in a script it has, e.g. transliterated",
    ]
    # Armenian, Cyrillic and Arabic are in the stamp's font
    load(tmp_path, EXAMPLE.replace("name: Defence Adviser", "name: Армен Саргсян (أرمين)"))


def test_duplicates_and_ambiguous_names(tmp_path: Path) -> None:
    text = EXAMPLE.replace("caucasus-principals: [", "policy-planning: [").replace(
        "  - {id: defence-adviser,", "  - {id: deputy-minister,"
    )
    found = errors(tmp_path, text)
    assert any(
        "the recipient id `deputy-minister` is used twice (first on line 14)" in e for e in found
    )
    assert any("`policy-planning` is both a list and a recipient id" in e for e in found)


def test_schema_describes_the_format(tmp_path: Path) -> None:
    result = run(tmp_path, "schema", "--distribution")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == json.loads(json.dumps(json_schema()))
    jsonschema.Draft202012Validator.check_schema(schema)
    example = yaml.safe_load(EXAMPLE)
    jsonschema.validate(example, schema)
    bad = {**example, "lsts": {}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    worse = {**example, "recipients": [{"id": "x", "name": "X", "cleared": "TLP:BLUE"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(worse, schema)
