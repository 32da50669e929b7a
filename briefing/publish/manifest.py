"""``dist/manifest.json``: what each PDF is, what it was built from, and how the last build went.

Why: a distribution step mails out only what changed, so it needs each PDF's
hash, and the next build needs each source's input hash to skip unchanged
sources without parsing them. The file is rewritten atomically as each PDF is
installed, sorted, without timestamps, so an unchanged build rewrites nothing.

The manifest is also input, and input from a folder anyone (a CI cache, a
script, an attacker) may have touched. ``read`` trusts nothing in it: an entry
whose values have the wrong type or form, whose output is not a plain
``<id>.pdf`` in the folder, or that repeats another's source or output is
dropped with a one-line problem, and its source is simply rebuilt.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from briefing.errors import SourceError, Span
from briefing.publish.fsutil import is_plain_file, write_atomic
from briefing.source.schema import ID

MANIFEST_NAME = "manifest.json"
#: 2: problems are objects (file, line, column, key path, severity, code, message), not lines
FORMAT = 2
#: A manifest bigger than this is not one of ours (200 000 briefings would fit).
MAX_BYTES = 256 * 1024 * 1024

#: How a source fared in a build: one definition, used by the manifest and the build report.
Status = Literal["built", "up to date", "failed"]
STATUSES = ("built", "up to date", "failed")
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Inputs:
    """What an entry's ``input_hash`` was computed from, and what lets an unchanged
    source be reported and trusted without reading it again."""

    #: SHA-256 of the source file
    source: str | None = None
    #: each image used: project-relative path → SHA-256
    assets: dict[str, str] = field(default_factory=dict)
    #: the render's own warnings, reported again while the source is up to date
    render_warnings: tuple[SourceError, ...] = ()
    #: where ``review_by`` is, for the stale warning of an up-to-date source
    review_by_at: Span | None = None
    #: the edition history the PDF was stamped from (``editions.token``); None: not recorded
    editions: str | None = None
    #: a ``watch`` preview rather than an issued edition
    preview: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "assets": dict(sorted(self.assets.items())),
            "render_warnings": [w.to_json() for w in self.render_warnings],
            "review_by_at": str(self.review_by_at) if self.review_by_at else None,
            "editions": self.editions,
            "preview": self.preview,
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """One briefing's line in the manifest. Fields are documented in docs/manifest.md."""

    id: str
    source: str
    output: str
    sha256: str | None
    size: int | None
    pages: int | None
    as_of: str | None
    review_by: str | None
    status: Status
    input_hash: str | None
    #: the last build's problems for this source, the same values the build printed
    warnings: tuple[SourceError, ...] = ()
    errors: tuple[SourceError, ...] = ()
    inputs: Inputs = field(default_factory=Inputs)
    #: the edition the PDF is (None: a draft, or a briefing never issued), its date (the
    #: as_of) and the lines of its changes box; ``draft``: the PDF is a draft
    edition: int | None = None
    edition_date: str | None = None
    changes: tuple[str, ...] = ()
    draft: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source,
            "output": self.output,
            "sha256": self.sha256,
            "size": self.size,
            "pages": self.pages,
            "as_of": self.as_of,
            "review_by": self.review_by,
            "status": self.status,
            "input_hash": self.input_hash,
            "warnings": [w.to_json() for w in self.warnings],
            "errors": [e.to_json() for e in self.errors],
            "inputs": self.inputs.to_json(),
            "edition": self.edition,
            "edition_date": self.edition_date,
            "changes": list(self.changes),
            "draft": self.draft,
        }


class _Bad(ValueError):
    """Why one value of an entry is not acceptable."""


def _text(raw: dict[str, object], key: str, *, optional: bool = False) -> str | None:
    value = raw.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or "\x00" in value:
        raise _Bad(f"`{key}` is not a text")
    try:
        value.encode("utf-8")  # a lone surrogate (``"\udce9"``) could not be written back
    except UnicodeEncodeError:
        raise _Bad(f"`{key}` is not valid text") from None
    return value


def _count(raw: dict[str, object], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Bad(f"`{key}` is not a whole number")
    return value


def _flag(raw: dict[str, object], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise _Bad(f"`{key}` is not true or false")
    return value


def _date(raw: dict[str, object], key: str) -> str | None:
    value = _text(raw, key, optional=True)
    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"`{key}` is not a date (YYYY-MM-DD)") from None
    return value


def _hash(raw: dict[str, object], key: str) -> str | None:
    value = _text(raw, key, optional=True)
    if value is not None and not _HEX64.fullmatch(value):
        raise _Bad(f"`{key}` is not a SHA-256 hash")
    return value


def _texts(raw: object, key: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise _Bad(f"`{key}` is not a list of texts")
    return list(raw)


def _project_path(value: str) -> bool:
    """A relative path inside the project: no ``..``, not absolute, no backslashes."""
    path = PurePosixPath(value)
    return bool(value) and not path.is_absolute() and ".." not in path.parts and "\\" not in value


def _problems(raw: object, key: str) -> tuple[SourceError, ...]:
    if not isinstance(raw, list):
        raise _Bad(f"`{key}` is not a list of problems")
    try:
        return tuple(SourceError.from_json(p) for p in raw)
    except ValueError as exc:
        raise _Bad(f"`{key}`: {exc}") from None


def _inputs(raw: object) -> Inputs:
    if not isinstance(raw, dict):
        raise _Bad("`inputs` is not an object")
    assets = raw.get("assets", {})
    if not isinstance(assets, dict) or not all(
        isinstance(k, str) and _project_path(k) and isinstance(v, str) and _HEX64.fullmatch(v)
        for k, v in assets.items()
    ):
        raise _Bad("`inputs.assets` is not a map of project files to SHA-256 hashes")
    review_by_at = _text(raw, "review_by_at", optional=True)
    at = parse_span(review_by_at)
    if review_by_at is not None and at is None:
        raise _Bad("`inputs.review_by_at` is not a place (file:line:column)")
    preview = raw.get("preview", False)
    if not isinstance(preview, bool):
        raise _Bad("`inputs.preview` is not true or false")
    return Inputs(
        source=_hash(raw, "source"),
        assets=dict(assets),
        render_warnings=_problems(raw.get("render_warnings", []), "inputs.render_warnings"),
        review_by_at=at,
        editions=_text(raw, "editions", optional=True),
        preview=preview,
    )


def parse_span(text: str | None) -> Span | None:
    """``file:line:col`` (as ``review_by_at`` keeps it) back into a ``Span``."""
    if text is None:
        return None
    file, _, rest = text.rpartition(":")
    file, _, line = file.rpartition(":")
    if not (file and line.isdigit() and rest.isdigit()):
        return None
    return Span(file, int(line), int(rest))


def parse_entry(raw: object) -> Entry:
    """One entry, checked value by value; ``ValueError`` says what is wrong."""
    if not isinstance(raw, dict):
        raise _Bad("an entry is not an object")
    briefing_id = _text(raw, "id")
    assert briefing_id is not None
    if not re.fullmatch(ID.regex, briefing_id):
        raise _Bad(f"`id` is not a briefing id ({ID.rule})")
    output = _text(raw, "output")
    if output != f"{briefing_id}.pdf":
        # only ever `<id>.pdf` in the output folder itself: never a path, never another file
        raise _Bad("`output` is not `<id>.pdf`")
    source = _text(raw, "source")
    assert source is not None
    status = raw.get("status")
    if status not in STATUSES:
        raise _Bad("`status` is not built, up to date or failed")
    return Entry(
        id=briefing_id,
        source=source,
        output=output,
        sha256=_hash(raw, "sha256"),
        size=_count(raw, "size"),
        pages=_count(raw, "pages"),
        as_of=_date(raw, "as_of"),
        review_by=_date(raw, "review_by"),
        status=status,  # type: ignore[arg-type]
        input_hash=_hash(raw, "input_hash"),
        warnings=_problems(raw.get("warnings", []), "warnings"),
        errors=_problems(raw.get("errors", []), "errors"),
        inputs=_inputs(raw.get("inputs", {})),
        edition=_count(raw, "edition"),
        edition_date=_date(raw, "edition_date"),
        changes=tuple(_texts(raw.get("changes", []), "changes")),
        draft=_flag(raw, "draft"),
    )


def read(out: Path) -> dict[str, Entry]:
    """Entries by source path: what ``read_checked`` keeps, without its warnings."""
    return read_checked(out)[0]


def read_checked(
    out: Path, shown: str = MANIFEST_NAME
) -> tuple[dict[str, Entry], list[SourceError]]:
    """Entries by source path, and a warning for each thing in the file that was not used.

    A missing manifest is an empty one, silently; one that cannot be used at all
    (not a file, not JSON, not our format) is an empty one with one warning.
    ``shown`` is how messages name the file.
    """
    path = out / MANIFEST_NAME

    def problem(message: str) -> SourceError:
        return SourceError(Span.whole(shown), "", message, "warning", "manifest")

    if not path.exists() and not path.is_symlink():
        return {}, []
    if not is_plain_file(path):
        what = "a folder" if path.is_dir() else "not a regular file"
        return {}, [problem(f"it is {what}, not a manifest; every source is rebuilt")]
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise _Bad("it is too big to be a manifest")
        raw = json.loads(data.decode("utf-8"))
    except OSError as exc:
        return {}, [problem(f"cannot be read ({exc.strerror}); every source is rebuilt")]
    except (ValueError, RecursionError) as exc:
        why = str(exc) if isinstance(exc, _Bad) else "it is not valid JSON"
        return {}, [problem(f"cannot be used: {why}; every source is rebuilt")]
    if isinstance(raw, dict) and raw.get("format") == 1:
        return {}, [problem("was written by an older briefing (format 1); every source is rebuilt")]
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return {}, [problem(f"is not a format {FORMAT} manifest; every source is rebuilt")]
    items = raw.get("briefings")
    if not isinstance(items, list):
        return {}, [problem("has no list of `briefings`; every source is rebuilt")]
    entries: dict[str, Entry] = {}
    outputs: set[str] = set()
    problems: list[SourceError] = []
    for index, item in enumerate(items):
        try:
            entry = parse_entry(item)
            if entry.source in entries:
                raise _Bad(f"a second entry for {entry.source}")
            if entry.output in outputs:
                raise _Bad(f"a second entry for {entry.output}")
        except (ValueError, TypeError) as exc:
            message = f"briefings[{index}]: {exc}; ignored, and its source is rebuilt"
            problems.append(problem(message))
            continue
        entries[entry.source] = entry
        outputs.add(entry.output)
    return entries, problems


def dumps(entries: dict[str, Entry], tool: str) -> bytes:
    data = {
        "format": FORMAT,
        "tool": tool,
        "briefings": [entries[k].to_json() for k in sorted(entries)],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def write(out: Path, entries: dict[str, Entry], tool: str) -> bool:
    """Write the manifest if its bytes change; returns whether it was written.

    An ``OSError`` names ``manifest.json`` (never a temporary file).
    """
    data = dumps(entries, tool)
    path = out / MANIFEST_NAME
    try:
        if is_plain_file(path) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(data, path)
    return True
