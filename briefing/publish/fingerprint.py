"""The content hash that decides whether a source must be rebuilt.

Why: scheduled builds skip unchanged sources by content, never by mtime (a CI
checkout sets every mtime to now). The hash covers the source bytes, the assets
it used, the fonts, the tool and render versions, the package's own code and
the render options.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from briefing import __version__
from briefing.publish.fsutil import sha256_file
from briefing.render import RENDER_VERSION, RenderOptions
from briefing.render.fontfiles import fonts_hash


@cache
def code_hash() -> str:
    """A hash of the package's own code, once per process.

    Why: ``RENDER_VERSION`` is bumped by hand when output changes; hashing the code
    too means a forgotten bump (or a local patch) still rebuilds what it affects.
    """
    h = hashlib.sha256()
    package = Path(__file__).parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def input_hash(source_sha: str, assets: dict[str, str], options: RenderOptions) -> str:
    """The content hash that decides whether a source must be rebuilt."""
    payload = {
        "tool": __version__,
        "render_version": RENDER_VERSION,
        "code": code_hash(),
        "fonts": fonts_hash(),
        "options": options.fingerprint(),
        "source": source_sha,
        "assets": dict(sorted(assets.items())),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def current_assets(recorded: dict[str, str], root: Path) -> dict[str, str] | None:
    """Hashes of the assets a source used last time, or None if one is gone or unreadable."""
    current = {}
    for rel in recorded:
        path = root / rel
        try:
            if not path.is_file():
                return None
            current[rel] = sha256_file(path)
        except OSError:
            return None
    return current
