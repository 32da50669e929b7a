"""The environment a build reads: ``SOURCE_DATE_EPOCH``.

Why: reproducible-build tooling sets ``SOURCE_DATE_EPOCH`` for every program in a
job, and ReportLab reads it too. A value that is not a whole number of seconds
within the years a PDF date can hold would fail every source deep inside the
render; it is a mistake in how the job is set up, so the CLI refuses it once,
at the start, naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: 9999-12-31T23:59:59Z: PDF dates have four-digit years.
MAX_EPOCH = 253402300799


def source_date_epoch_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why ``SOURCE_DATE_EPOCH`` cannot be used, or None when it is unset or fine."""
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None
    value = raw.strip()
    shown = value if len(value) <= 30 and value.isprintable() else repr(value[:30]) + "…"
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_EPOCH:
        return (
            f"the environment variable SOURCE_DATE_EPOCH is `{shown}`, which is not a "
            f"whole number of seconds since 1970-01-01 from 0 to {MAX_EPOCH}; "
            "fix it or unset it"
        )
    return None
