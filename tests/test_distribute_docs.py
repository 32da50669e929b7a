"""docs/distribution.md stays true: its example file loads, every key of the format is in
it, and the copies benchmark still runs (no timings asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from briefing.distribute import config
from briefing.distribute.schema import STRUCTS

REPO = Path(__file__).resolve().parent.parent
PAGE = (REPO / "docs" / "distribution.md").read_text(encoding="utf-8")


def test_the_example_loads(tmp_path: Path) -> None:
    example = re.search(r"```yaml\n(from:.*?)```", PAGE, re.S)
    assert example is not None
    path = tmp_path / "distribution.yaml"
    path.write_text(example[1], encoding="utf-8")
    dist = config.load(path, root=tmp_path, briefing_ids={"nagorno-karabakh-2020", "red-sea-2024"})
    assert [r.id for r in dist.recipients] == [
        "deputy-minister",
        "defence-adviser",
        "policy-planning",
    ]


def test_every_key_is_documented() -> None:
    for struct in STRUCTS:
        for field in struct.fields:
            assert f"`{field.key}`" in PAGE or f".{field.key}`" in PAGE, (struct.name, field.key)


def test_the_init_template_loads(tmp_path: Path) -> None:
    template = REPO / "briefing" / "cli" / "templates" / "distribution.yaml"
    dist = config.load(template, root=tmp_path, briefing_ids={"example"})
    assert dist.method == "folder"


def test_the_copies_benchmark_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "copies.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "| 20 copies made |" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("target: 20 copies ≤ 1.5× one warm build:")
