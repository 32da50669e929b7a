"""Which files are a project's sources, and how each is named in messages and the manifest.

Why: file names come from users and other systems; one that is not UTF-8 (made
on another machine, or unpacked from an archive) must fail that source with a
message, not break the whole build when the manifest is written as JSON.
"""

from __future__ import annotations

from pathlib import Path

from briefing.errors import display_path


def discover(root: Path) -> list[Path]:
    """The project's sources: ``sources/*.yaml`` and ``*.yml``, sorted by name."""
    folder = root / "sources"
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def shown_path(path: Path, root: Path) -> str:
    """The source's path as messages and the manifest show it (``sources/x.yaml``)."""
    return display_path(path, root)


def is_utf8_name(shown: str) -> bool:
    """Whether a path can be written as UTF-8 text (it decoded without surrogate escapes)."""
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
