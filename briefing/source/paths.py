"""Image paths: relative, inside the project folder, and really a PNG or JPEG.

Why: a source is data someone may send you; a path must never read a file
outside the project (``../``, absolute paths, links pointing out), and the
file's first bytes, not its name, decide its format.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefing.source.context import Context
from briefing.source.suggest import short
from briefing.source.yamlsrc import Scalar

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
#: Image formats recognised only to say what a refused file is.
_OTHER_IMAGES = {b"GIF87a": "a GIF", b"GIF89a": "a GIF", b"<svg": "an SVG", b"<?xml": "an XML/SVG"}


def project_file(
    ctx: Context, node: Scalar, path: str, *, what: str = "image", example: str = "assets/map.png"
) -> Path | None:
    """A relative path to an existing file inside the project → its resolved absolute path.

    Symlinks are resolved before the containment check, so a link pointing outside the
    project is refused like ``../``. Images and GeoJSON overlays share these rules.
    """
    value = node.text.strip()
    if not value:
        ctx.error(node.span, path, f"is empty; give the {what}'s path, e.g. `{example}`")
        return None
    given = Path(value)
    if given.is_absolute() or value.startswith(("\\", "~")) or re.match(r"[A-Za-z]:", value):
        ctx.error(node.span, path, f"`{short(value)}` must be relative to the project folder")
        return None
    try:
        root = ctx.root.resolve()
        target = (root / given).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, NUL bytes
        ctx.error(node.span, path, f"`{short(value)}` cannot be resolved: {exc}")
        return None
    if not target.is_relative_to(root):
        via = " (through a link)" if ".." not in given.parts else ""
        ctx.error(node.span, path, f"`{short(value)}` leads outside the project folder{via}")
        return None
    try:
        if not target.exists():
            ctx.error(node.span, path, f"`{short(value)}` does not exist")
            return None
        if not target.is_file():
            ctx.error(node.span, path, f"`{short(value)}` is not a file")
            return None
    except OSError as exc:  # a name too long for the file system, a permission…
        ctx.error(node.span, path, f"`{short(value)}` cannot be read: {exc.strerror or exc}")
        return None
    return target


def image_path(ctx: Context, node: Scalar, path: str) -> Path | None:
    """A relative path to a real PNG or JPEG inside the project → its resolved absolute path;
    the file's first bytes decide its format, not its name."""
    target = project_file(ctx, node, path)
    if target is None:
        return None
    value = node.text.strip()
    try:
        with target.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        ctx.error(node.span, path, f"`{short(value)}` cannot be read: {exc.strerror or exc}")
        return None
    if head.startswith((_PNG, _JPEG)):
        return target
    kind = next((k for magic, k in _OTHER_IMAGES.items() if head.startswith(magic)), None)
    what = f"is {kind} image" if kind else "is not a PNG or JPEG image"
    ctx.error(node.span, path, f"`{short(value)}` {what}; only PNG and JPEG are supported")
    return None
