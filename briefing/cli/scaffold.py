"""New projects and new sources from the commented template (``briefing init``, ``briefing new``).

Why: the first minutes with a tool decide whether people keep using it. A new
source starts from ``templates/source.yaml``, which shows every section of the
format with short guidance and builds as written, so the author edits a
working briefing instead of an empty file. Its first line points YAML language
servers at ``schema/briefing.schema.json``, which these functions write, so
editors complete and check keys as the author types.

Nothing here overwrites a file: every file is created with exclusive mode, and
a refusal happens before anything is written. Nothing here prints or exits;
the CLI turns the exceptions into messages and exit codes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from importlib import resources
from pathlib import Path

from briefing.source.manual import json_schema
from briefing.source.schema import ID

#: Where the JSON Schema lives in a project; the template's ``$schema`` line points here.
SCHEMA_PATH = Path("schema") / "briefing.schema.json"
#: The example source ``briefing init`` writes.
EXAMPLE_ID = "example"
EXAMPLE_TITLE = "Example briefing"
#: How long a new briefing stays fresh before builds warn that it is stale.
REVIEW_AFTER = dt.timedelta(days=14)
GITIGNORE = (
    "# build output: PDFs and manifest.json, rebuilt by `briefing build`; but dist/editions/\n"
    "# (the edition history) and dist/distribution/ (the delivery log) cannot be rebuilt:\n"
    "# back them up, or keep them in git by adding the lines `!dist/editions/` and\n"
    "# `!dist/distribution/` with `dist/*` in place of `dist/`\n"
    "dist/\n"
)

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


class ScaffoldError(Exception):
    """``init`` or ``new`` refused; nothing was written."""


class InvalidArgument(ScaffoldError):
    """The id or title given cannot make a valid source (a usage error); ``param`` says which."""

    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


class AlreadyExists(ScaffoldError):
    """A file or folder to be created is already there; it was left alone."""


def id_problem(briefing_id: str) -> str | None:
    """Why ``briefing_id`` cannot name a source (it names ``dist/<id>.pdf``), or None."""
    if not re.fullmatch(ID.regex, briefing_id):
        return f"`{briefing_id}` is not a valid briefing id: use {ID.rule}"
    if len(briefing_id) > ID.max_length:
        return f"a briefing id is at most {ID.max_length} characters long"
    return None


def default_title(briefing_id: str) -> str:
    """A readable stand-in title from the id: ``nk-2020`` → ``Nk 2020``."""
    return briefing_id.replace("-", " ").capitalize()


def source_text(briefing_id: str, *, title: str | None = None, today: dt.date) -> str:
    """The template filled in for one briefing: as of ``today``, to be reviewed in two weeks."""
    values = {
        "id": briefing_id,
        "title": yaml_quoted(title if title is not None else default_title(briefing_id)),
        "as_of": today.isoformat(),
        "review_by": (today + REVIEW_AFTER).isoformat(),
    }
    template = resources.files("briefing.cli").joinpath("templates", "source.yaml")
    return _PLACEHOLDER.sub(lambda m: values[m[1]], template.read_text(encoding="utf-8"))


#: Characters written as escapes in a quoted title: YAML refuses them, or reads them as a
#: line break (NEL, LS, PS) or a byte-order mark; every other character is written as typed.
_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar holding the characters the author typed.

    A JSON string is a valid YAML double-quoted scalar, so any title stays text;
    ``ensure_ascii=False`` keeps ``Kosovo–Serbia`` as typed instead of ``\\u2013``
    in the file people edit. JSON still escapes control characters.
    """
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def schema_text() -> str:
    """The JSON Schema file's contents, exactly as ``briefing schema`` prints them."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def refresh_schema(root: Path) -> Path | None:
    """Write the project's schema file when it is missing or out of date; its path if written.

    The schema is generated, never edited, so refreshing it overwrites nothing of
    the author's: it keeps editors in step with the installed version of the tool.
    """
    from briefing.publish.fsutil import write_atomic

    path = root / SCHEMA_PATH
    text = schema_text()
    try:
        if path.read_text(encoding="utf-8") == text:
            return None
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(text.encode(), path)
    return path


def new_source(
    root: Path, briefing_id: str, *, title: str | None = None, today: dt.date | None = None
) -> list[Path]:
    """Write ``sources/<id>.yaml`` from the template (and refresh the schema); paths written.

    Raises ``InvalidArgument`` for an id or title that would not load, and
    ``AlreadyExists`` when a source with that id (``.yaml`` or ``.yml``) is there.
    """
    problem = id_problem(briefing_id)
    if problem is not None:
        raise InvalidArgument(problem, "'ID'")
    sources = root / "sources"
    for existing in (sources / f"{briefing_id}.yaml", sources / f"{briefing_id}.yml"):
        if existing.exists() or existing.is_symlink():
            raise AlreadyExists(f"{_shown(existing, root)} already exists; nothing was written")
    text = source_text(briefing_id, title=title, today=today or dt.date.today())
    errors = _load_errors(text, briefing_id)
    if errors:
        raise InvalidArgument("the source would not load:\n" + "\n".join(errors), "'--title'")
    path = sources / f"{briefing_id}.yaml"
    try:
        _create(path, text)
    except FileExistsError:  # created between the check and now
        raise AlreadyExists(f"{_shown(path, root)} already exists; nothing was written") from None
    written = [path]
    schema = refresh_schema(root)
    if schema is not None:
        written.append(schema)
    return written


def init_project(folder: Path, *, example: bool = True, today: dt.date | None = None) -> list[Path]:
    """Make a project in ``folder``: the folders, a ``.gitignore``, the schema, an example.

    ``example=False`` (``init --empty``) leaves the example source out.

    The folder itself may exist (an empty directory, a fresh git repository), but
    if any of the paths to be made is already there, nothing is written.
    """
    if folder.exists() and not folder.is_dir():
        raise AlreadyExists(f"{folder} exists and is not a folder; nothing was written")
    folders = [
        folder / "sources",
        folder / "assets",
        folder / "fonts",
        folder / "dist",
        folder / "schema",
    ]
    files = {
        folder / ".gitignore": GITIGNORE,
        folder / "fonts" / "README.md": _template("fonts-README.md"),
        folder / SCHEMA_PATH: schema_text(),
        folder / "distribution.yaml": _template("distribution.yaml"),
    }
    if example:
        files[folder / "sources" / f"{EXAMPLE_ID}.yaml"] = source_text(
            EXAMPLE_ID, title=EXAMPLE_TITLE, today=today or dt.date.today()
        )
    taken = [p for p in [*folders, *files] if p.exists() or p.is_symlink()]
    taken = [p for p in taken if p.parent not in taken]  # sources/, not also sources/example.yaml
    if taken:
        names = ", ".join(_shown(p, folder) for p in taken)
        raise AlreadyExists(
            f"{names} already exist{'s' if len(taken) == 1 else ''} in {folder}; "
            "nothing was written"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for path in folders:
        path.mkdir()
    for path, text in files.items():
        _create(path, text)
    return [*folders, *files]


def _template(name: str) -> str:
    return resources.files("briefing.cli").joinpath("templates", name).read_text(encoding="utf-8")


def _create(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; ``FileExistsError`` rather than replace anything."""
    with path.open("x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _load_errors(text: str, briefing_id: str) -> list[str]:
    """The loader's errors for ``text`` as ``sources/<id>.yaml``, checked in a scratch project.

    Why: a title can carry anything (a stray ``[@citation]``, 10,000 characters), and a
    new source must pass ``briefing check`` as written, so it is loaded before it is kept.
    """
    from briefing.source.load import check

    with tempfile.TemporaryDirectory(prefix="briefing-new-") as scratch:
        root = Path(scratch)
        path = root / "sources" / f"{briefing_id}.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        return [str(e) for e in check(path, root=root)]


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() + ("/" if path.is_dir() else "")
    except ValueError:
        return str(path)
