"""``briefing check``: validate sources as a build would, without rendering them.

Why: an editor hook or a pre-commit check wants every problem of every source,
fast, with nothing written. It runs the loader, the checks that span files
(two sources with one id), the glyph preflight, the staleness check and the
warnings about ``changes`` notes that the edition history in ``dist/`` gives (notes on
a first edition, notes left from the last one), so a clean ``check`` means the build
will not fail on input. A bug of ours in one
source is that source's one-line error; the others are still checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from briefing.errors import SourceError, Span, display_path
from briefing.publish import editions
from briefing.publish.build import stale_warnings
from briefing.publish.discover import is_utf8_name
from briefing.publish.fonts import checked_fonts
from briefing.publish.owners import Owners


class Checked(NamedTuple):
    """One source's problems, as ``(display, errors, warnings)``."""

    source: str
    errors: list[SourceError]
    warnings: list[SourceError]


def check_sources(
    sources: Sequence[Path], *, root: Path, today: dt.date | None = None
) -> list[Checked]:
    """For each source, in source order: its errors and warnings (``SourceError`` values)."""
    today = today or dt.datetime.now(dt.UTC).date()
    owners = Owners({}, root)
    results: list[Checked] = []
    fonts, font_errors = checked_fonts(root)
    results += [Checked(e.span.file, [e], []) for e in font_errors]
    from briefing.render.pdf.fonts import use_fallbacks

    use_fallbacks(fonts)  # the glyph preflight counts what the project's fonts draw
    for path in sources:
        display = display_path(path, root)
        try:
            results.append(_check_one(path, display, root, today, owners))
        except Exception as exc:  # a bug of ours: this source's line, then the next source
            message = (
                f"internal error while checking this source: {type(exc).__name__}: {exc} "
                "(run with --debug for details)"
            )
            error = SourceError(Span.whole(display), "", message, code="internal")
            results.append(Checked(display, [error], []))
    return results


def _check_one(path: Path, display: str, root: Path, today: dt.date, owners: Owners) -> Checked:
    from briefing.errors import SourceInvalid
    from briefing.render import layout_errors, preflight_warnings, read_images
    from briefing.source.load import load

    if not is_utf8_name(display):
        message = "the file name is not valid UTF-8 text; rename the file"
        error = SourceError(Span.whole(display), "", message, code="file-name")
        return Checked(display, [error], [])
    try:
        briefing = load(path, root=root)
    except SourceInvalid as exc:
        return Checked(display, list(exc.errors), [])
    clash = owners.claim(briefing.id, display, briefing.span_of("id"))
    errors = [clash] if clash else []
    try:
        read_images(briefing)  # decodes each image: a truncated file fails here, not later
    except SourceInvalid as exc:
        errors += exc.errors
    errors += layout_errors(briefing)
    warnings = preflight_warnings(briefing)
    review_by = briefing.review_by.isoformat() if briefing.review_by else None
    warnings += stale_warnings(review_by, briefing.span_of("review_by"), today, display)
    # the warnings about ``changes`` notes that the edition history in dist/ gives
    planned = editions.plan(briefing, out=root / "dist", root=root, source_text="")
    warnings += planned.warnings
    return Checked(display, errors, warnings)
