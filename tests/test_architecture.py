"""The tree shows the pipeline: each stage imports only the stages below it.

Why: ``docs/architecture.md`` promises a newcomer can read the package top-down as
"what the user runs → what it distributes → what it publishes → how a page is drawn →
what a source is". That stays true only while no module reaches upward; this test
reads every import (including the ones inside functions) and fails on the first
module that does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"

#: Stage → rank; a module may import its own stage and any stage of a lower rank.
RANKS = {
    "cli": 6,
    "distribute": 5,
    "publish": 4,
    "render": 3,
    "source": 2,
    "model": 1,
    "errors": 0,
    "__init__": 0,
}
#: ReportLab is imported by the PDF stage only (and never at the top of ``render``).
REPORTLAB_HOME = ("render/pdf/",)


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_a_stage_above_its_own(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    own = relative.parts[0].removesuffix(".py") if relative.parts else "__init__"
    if own == "__main__":
        return
    upward = [
        f"{relative.as_posix()}:{line}: imports {name} ({_stage(name)} is above {own})"
        for line, name in _imports(path)
        if name.startswith("briefing.") and RANKS[_stage(name)] > RANKS[own]
    ]
    assert upward == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_pdf_stage_imports_reportlab(path: Path) -> None:
    relative = path.relative_to(PACKAGE).as_posix()
    if relative.startswith(REPORTLAB_HOME):
        return
    assert [
        (line, name) for line, name in _imports(path) if name.split(".")[0] == "reportlab"
    ] == []


def test_no_module_is_a_god_module() -> None:
    """Small modules (STYLE.md): none over 450 lines, so none needs a table of contents."""
    sizes = {
        p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in _modules()
    }
    assert {name: n for name, n in sizes.items() if n > 450} == {}
