"""``briefing check``: validate sources as a build would, without rendering them.

Why: an editor hook or a pre-commit check wants every problem of every source,
fast, with nothing written. It runs the loader, the checks that span files
(two sources with one id), the glyph preflight, the staleness check and the
warnings about ``changes`` notes that the edition history in ``dist/`` gives (notes on
a first edition, notes left from the last one), so a clean ``check`` means the build
will not fail on input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from briefing.errors import display_path
from briefing.publish import editions
from briefing.publish.build import claim_id, stale_warnings


def check_sources(
    sources: Sequence[Path], *, root: Path, today: dt.date | None = None
) -> list[tuple[str, list[str], list[str]]]:
    """For each source: (display path, error lines, warning lines), in source order."""
    from briefing.errors import SourceInvalid
    from briefing.render import layout_errors, preflight_warnings, read_images
    from briefing.source.load import load

    today = today or dt.datetime.now(dt.UTC).date()
    claimed: dict[str, str] = {}
    results: list[tuple[str, list[str], list[str]]] = []
    for path in sources:
        display = display_path(path, root)
        try:
            briefing = load(path, root=root)
        except SourceInvalid as exc:
            results.append((display, [str(e) for e in exc.errors], []))
            continue
        clash = claim_id(briefing.id, display, str(briefing.span_of("id")), claimed)
        errors = [clash] if clash else []
        try:
            read_images(briefing)  # decodes each image: a truncated file fails here, not later
        except SourceInvalid as exc:
            errors += [str(e) for e in exc.errors]
        errors += [str(e) for e in layout_errors(briefing)]
        warnings = [str(w) for w in preflight_warnings(briefing)]
        review_by = briefing.review_by.isoformat() if briefing.review_by else None
        warnings += stale_warnings(review_by, str(briefing.span_of("review_by")), today, display)
        warnings += editions.plan(briefing, out=root / "dist", root=root, source_text="").warnings
        results.append((display, errors, warnings))
    return results
