"""Where the project is and which source a command means, found as people expect.

Why: people run commands from wherever their terminal is (often inside
``sources/``) and expect ``watch --open`` to show the briefing they are
writing; ``git`` set the expectation for the first, the newest file for the second.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def project_above(start: Path) -> Path | None:
    """The nearest folder holding ``sources/``: ``start`` or one above it, as git finds ``.git``.

    So ``briefing build`` works from inside ``sources/`` or ``assets/`` too.
    """
    for folder in (start, *start.parents):
        if (folder / "sources").is_dir():
            return folder
    return None


def newest_source(paths: Sequence[Path], root: Path) -> Path | None:
    """The source whose PDF ``watch --open`` opens: the first named, else the newest one.

    The newest (last modified) is the one just made with ``new`` or being edited,
    not ``example.yaml``, which comes first by name.
    """
    from briefing.publish.build import discover

    if paths:
        return paths[0]
    found = discover(root)

    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return max(found, key=modified) if found else None


def relative(path: Path, start: Path) -> str:
    """``path`` as typed from ``start``: ``sources/x.yaml``, or ``x.yaml`` inside ``sources/``."""
    return Path(os.path.relpath(path, start)).as_posix()
