"""Helpers for the distribution tests: small real projects, the CLI in-process, copies read back."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result
from pypdf import PdfReader

from briefing.cli import cli

REPO = Path(__file__).resolve().parent.parent


def source(
    title: str,
    *,
    marking: str | None = None,
    draft: bool = False,
    review_by: str = "2999-01-01",
    as_of: str = "2024-03-01",
    summary: tuple[str, ...] = ("First point.", "Second point."),
) -> str:
    lines = [f'title: "{title}"', f"as_of: {as_of}", f"review_by: {review_by}"]
    if marking:
        lines.append(f'marking: "{marking}"')
    if draft:
        lines.append("draft: true")
    lines.append("summary:")
    lines += [f'  - "{s}"' for s in summary]
    lines += ["sections:", '  - heading: "Background"', '    body: "Some text."']
    return "\n".join(lines) + "\n"


def write_project(root: Path, briefings: dict[str, str], distribution: str) -> Path:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    for bid, text in briefings.items():
        (root / "sources" / f"{bid}.yaml").write_text(text, encoding="utf-8")
    (root / "distribution.yaml").write_text(distribution, encoding="utf-8")
    return root


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """``briefing ARGS`` in-process with ``root`` as the current folder."""
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


def run_process(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


#: The fields of a log line, as the contract (distribution-format.md, Log) lists them,
#: plus ``kind``, ``of`` and ``to`` (pack or briefing, copies in all, the address used).
LOG_FIELDS = frozenset(
    {
        "time",
        "kind",
        "item",
        "edition",
        "recipient",
        "copy",
        "of",
        "copy_id",
        "sha256",
        "method",
        "status",
        "error",
        "to",
    }
)


def log_records(root: Path) -> list[dict[str, object]]:
    path = root / "dist" / "distribution" / "log.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def metadata(pdf: bytes) -> dict[str, str]:
    meta = PdfReader(io.BytesIO(pdf)).metadata or {}
    return {str(k): str(v) for k, v in meta.items()}
