"""Shared fixtures: a throwaway project folder (``sources/``, ``assets/``) under ``tmp_path``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

#: The smallest real images: the loader checks the first bytes, never decodes pixels.
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 24


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-images",
        action="store_true",
        help="Rewrite docs/images/page-*.png from the example before comparing them.",
    )


@dataclass(frozen=True)
class Project:
    """A project folder: ``root/sources`` for YAML, ``root/assets`` for images."""

    root: Path

    def write(self, relative: str, content: str | bytes) -> Path:
        """Write a file under the project (folders created); text is written as UTF-8."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        return path

    def source(self, content: str | bytes, name: str = "x.yaml") -> Path:
        """Write ``sources/<name>`` and return its path."""
        return self.write(f"sources/{name}", content)

    def png(self, relative: str = "assets/map.png") -> Path:
        return self.write(relative, PNG_BYTES)

    def jpeg(self, relative: str = "assets/photo.jpg") -> Path:
        return self.write(relative, JPEG_BYTES)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project with ``sources/`` and ``assets/``, inside its own folder of ``tmp_path``.

    The project sits one level down so tests can put files *outside* it (for
    ``../`` and symlink escapes) without leaving ``tmp_path``.
    """
    root = tmp_path / "project"
    (root / "sources").mkdir(parents=True)
    (root / "assets").mkdir()
    return Project(root)
