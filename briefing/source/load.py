"""A source file → a checked ``Briefing``, or every problem in it at once.

Why: analysts fix sources from the terminal, one run per round of fixes, so a
bad file yields *all* its errors, sorted by position, each at the value (or
key) it is about. The walk is driven by ``schema.BRIEFING``: the same
declarations that produce the JSON Schema and the reference page decide which
keys exist and what they hold. Stages:

1. read bytes (bounded) → ``yamlsrc.parse``: positioned nodes, YAML-level problems;
2. ``validate.convert_struct``: keys, types and values, collecting references;
3. resolve references: citations and links in texts, ``source:`` ids, figure ``after``;
4. build the frozen model, with every value's position in ``Briefing.locations``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from briefing.errors import SourceError, SourceInvalid, Span, display_path
from briefing.model import (
    Actor,
    Bounds,
    Briefing,
    Event,
    Fact,
    Figure,
    MapPanel,
    Overlay,
    Place,
    Section,
    Source,
    Timeline,
)
from briefing.source import citations, yamlsrc
from briefing.source import markdown as text
from briefing.source.context import Context
from briefing.source.schema import BRIEFING, ID
from briefing.source.suggest import short
from briefing.source.urls import url_problem
from briefing.source.validate import convert_struct

#: Schemes a link in a text may use; anything else would be a live link in a forwarded PDF.
LINK_SCHEMES = ("http", "https", "mailto")
#: ``[label](scheme:…`` written in a text. markdown-it silently leaves ``javascript:``,
#: ``data:``, ``file:`` and ``vbscript:`` links as literal text; this finds them so the
#: author hears about it instead of seeing brackets in print.
_LINK_TARGET = re.compile(r"(?<!\\)\]\(\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*):")


def load(path: Path, *, root: Path) -> Briefing:
    """Read and check one source; raise ``SourceInvalid`` with every error of the file."""
    errors, briefing = _load(path, root)
    if errors or briefing is None:
        raise SourceInvalid(errors)
    return briefing


def check(path: Path, *, root: Path) -> list[SourceError]:
    """Every error of one source, sorted by position; empty when it loads. Never raises on input."""
    errors, _ = _load(path, root)
    return errors


def _load(path: Path, root: Path) -> tuple[list[SourceError], Briefing | None]:
    file = display_path(path, root)
    data = read_bounded(path, file)
    if isinstance(data, SourceError):
        return [data], None
    document = yamlsrc.parse(data, file=file)
    ctx = Context(file, root)
    ctx.errors.extend(document.errors)
    values: dict[str, object] | None = None
    briefing_id: str | None = None
    warnings: list[SourceError] = []
    if document.root is not None:
        values = convert_struct(ctx, document.root, BRIEFING, "")
        _resolve_texts(ctx)
        _resolve_references(ctx)
        lines = data.decode("utf-8", "replace").splitlines()
        warnings += citations.check_texts(ctx, lines)
        warnings += citations.uncited(ctx, citations.cited_ids(ctx))
        briefing_id = _briefing_id(ctx, path, values)
    errors = sorted(ctx.errors, key=SourceError.sort_key)
    if errors or values is None or briefing_id is None:
        return errors, None
    briefing = replace(
        build(values, briefing_id, file, ctx.locations),
        warnings=tuple(sorted(warnings, key=SourceError.sort_key)),
    )
    return [], briefing


def build(
    values: dict[str, Any], briefing_id: str, file: str, locations: dict[str, Span]
) -> Briefing:
    """The checked values (plain dicts and tuples, see ``validate``) → the frozen model.

    Every structure is built here, by name, so a reader finds where an ``Actor``
    comes from; a structure the schema declares but this forgets would reach the
    renderer as a dict, which ``tests/test_schema.py`` catches.
    """

    def section(v: dict[str, Any]) -> Section:
        return Section(**{**v, "sections": tuple(section(s) for s in v.get("sections", ()))})

    fields = dict(values)
    fields["key_facts"] = tuple(Fact(**v) for v in values.get("key_facts", ()))
    if "map" in values:
        panel = values["map"]
        places = tuple(Place(**v) for v in panel.get("places", ()))
        overlays = tuple(Overlay(**v) for v in panel.get("overlays", ()))
        bounds = Bounds(**panel["bounds"]) if "bounds" in panel else None
        fields["map"] = MapPanel(
            **{**panel, "places": places, "overlays": overlays, "bounds": bounds}
        )
    if "timeline" in values:
        timeline = values["timeline"]
        events = tuple(Event(**v) for v in timeline["events"])
        fields["timeline"] = Timeline(**{**timeline, "events": events})
    fields["actors"] = tuple(Actor(**v) for v in values.get("actors", ()))
    fields["sections"] = tuple(section(v) for v in values.get("sections", ()))
    fields["figures"] = tuple(Figure(**v) for v in values.get("figures", ()))
    fields["sources"] = tuple(Source(**v) for v in values.get("sources", ()))
    return Briefing(
        **{**fields, "id": briefing_id},
        path=file,
        locations=MappingProxyType(dict(locations)),
    )


def read_bounded(path: Path, file: str) -> bytes | SourceError:
    """The file's bytes, in chunks, stopping just past the size cap (``yamlsrc`` refuses it).

    Chunks, not ``read(cap)``: that would reserve the whole cap for every small file,
    and not ``stat``: a pipe or device has no size but may never end.
    """
    chunks: list[bytes] = []
    total = 0
    try:
        with path.open("rb") as fh:
            while total <= yamlsrc.MAX_BYTES:
                chunk = fh.read(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
    except OSError as exc:
        return SourceError(Span(file, 1, 1), "", f"cannot read the file: {exc.strerror or exc}")
    return b"".join(chunks)


def _briefing_id(ctx: Context, path: Path, values: dict[str, object] | None) -> str | None:
    """The ``id`` key, or the file's stem when it is a valid id (it names ``dist/<id>.pdf``)."""
    if values is not None and isinstance(values.get("id"), str):
        return str(values["id"])
    if "id" in ctx.locations:
        return None  # given, and already reported as invalid
    stem = path.stem
    if re.fullmatch(ID.regex, stem) and len(stem) <= ID.max_length:
        return stem
    message = (
        f"the file name gives the id `{short(stem)}`, which is not valid ({ID.rule}); "
        "rename the file or add an `id:` key"
    )
    ctx.error(Span(ctx.file, 1, 1), "id", message)
    return None


def _resolve_texts(ctx: Context) -> None:
    """Every citation must name a source; every link must be http, https or mailto."""
    for ref in ctx.texts:
        if "[" not in ref.text:
            continue  # no citation, no link: skip the Markdown parser
        cites, links = text.references(ref.text, blocks=ref.blocks)
        for cited in dict.fromkeys(cites):
            if cited not in ctx.source_ids:
                hint = ctx.suggester("source ids", ctx.source_ids).hint(cited)
                message = f"cites `[@{cited}]`, but no source in `sources` has that id{hint}"
                ctx.error(ref.span, ref.path, message)
        reported: set[str] = set()
        for href in links:
            problem = url_problem(href, schemes=LINK_SCHEMES)
            if problem is not None:
                ctx.error(ref.span, ref.path, f"link {problem}")
                reported.add(_scheme(href))
        for match in _LINK_TARGET.finditer(ref.text):
            scheme = match.group(1).lower()
            if scheme not in LINK_SCHEMES and scheme not in reported:
                message = (
                    f"a `{scheme}:` link is not allowed; only http:, https: or mailto: links are"
                )
                ctx.error(ref.span, ref.path, message)
                reported.add(scheme)


def _scheme(href: str) -> str:
    try:
        return urlsplit(href).scheme.lower()
    except ValueError:
        return ""


def _resolve_references(ctx: Context) -> None:
    """``source:`` fields name a source id; a figure's ``after`` names a section heading."""
    for ref in ctx.source_refs:
        if ref.name not in ctx.source_ids:
            hint = ctx.suggester("source ids", ctx.source_ids).hint(ref.name)
            parts = [p.strip() for p in re.split(r"[,;]", ref.name)]
            if len(parts) > 1 and all(p in ctx.source_ids for p in parts):
                hint = f"; for several sources write a list: `[{', '.join(parts)}]`"
            message = f"names the source `{short(ref.name)}`, but `sources` has no such id{hint}"
            ctx.error(ref.span, ref.path, message)
    for ref in ctx.after_refs:
        if ref.name not in ctx.headings:
            hint = ctx.suggester("headings", ctx.headings).hint(ref.name)
            message = f"`{short(ref.name)}` is not the heading of any section or sub-section{hint}"
            ctx.error(ref.span, ref.path, message)
