"""A briefing's content as plain data: what an edition keeps, and what editions are compared on.

Why: an edition must be compared with the next one long after it was built, on a
machine that keeps only the output folder, maybe by a newer version of the tool.
So each edition keeps its model as plain JSON data (not Python objects, not the
YAML text alone): every field of the model, generically, with dates in their ISO
form, image paths project-relative with the SHA-256 of their bytes (a replaced
image is a change), and optional fields left out when they hold their default (a
field the format gains later then compares equal to "not given"). YAML style
(quotes, flow or block) never reaches the model, so it never reaches a snapshot.

Left out: what is not content. ``id`` (the key of the history), the file's
``path`` and key ``locations``, ``draft`` (a draft is never an edition) and the
``changes`` notes (they describe an edition; they are kept beside the snapshot).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from briefing.model import Briefing, PartialDate

#: Bump when the shape of a snapshot changes; a kept edition of another format is then
#: re-read from its kept source text when that still loads (see ``editions.py``).
SNAPSHOT_FORMAT = 1

#: Fields of ``Briefing`` that are not content.
NOT_CONTENT = frozenset({"id", "path", "locations", "draft", "changes"})

Snapshot = dict[str, Any]


def snapshot(b: Briefing, describe_file: Callable[[Path], dict[str, str]]) -> Snapshot:
    """``b`` as plain, JSON-ready data; ``describe_file`` turns an image (or any file) path
    into ``{"path": project-relative, "sha256": hex}``."""
    out: Snapshot = {}
    for f in dataclasses.fields(b):
        if f.name in NOT_CONTENT:
            continue
        value = getattr(b, f.name)
        if _is_default(f, value):
            continue
        out[f.name] = _plain(value, describe_file)
    return out


def _is_default(f: dataclasses.Field[Any], value: object) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False


def _plain(value: object, describe_file: Callable[[Path], dict[str, str]]) -> Any:
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return describe_file(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if not _is_default(f, item):
                out[f.name] = _plain(item, describe_file)
        return out
    if isinstance(value, tuple | list):
        return [_plain(v, describe_file) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v, describe_file) for k, v in sorted(value.items())}
    return value


def file_describer(root: Path, hashes: Mapping[str, str]) -> Callable[[Path], dict[str, str]]:
    """``describe_file`` for :func:`snapshot`: paths relative to ``root``, hashes looked up
    in ``hashes`` (display path → SHA-256, as the build computed them) or computed."""
    from briefing.errors import display_path
    from briefing.publish.fsutil import sha256_file

    def describe(path: Path) -> dict[str, str]:
        rel = display_path(path, root)
        digest = hashes.get(rel)
        if digest is None:
            try:
                digest = sha256_file(path)
            except OSError:
                digest = ""
        return {"path": rel, "sha256": digest}

    return describe


def content_hash(snap: Snapshot) -> str:
    """SHA-256 of the snapshot's canonical JSON: equal hashes, equal content."""
    text = json.dumps(snap, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
