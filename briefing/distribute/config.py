"""``distribution.yaml`` → a checked ``Distribution``, or every problem in it at once.

Why: the file decides who may hold what, so a typo must never silently drop a
reader or widen a route. It is read like a source: ``yamlsrc`` nodes with
positions, the declarations in ``schema.py`` checked by ``source.validate``
(unknown keys with did-you-mean, types), then the references between its parts
(a route naming an unknown list, reader, briefing or pack is an error at its
line). Nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.distribute.schema import DISTRIBUTION, ID, MAP_KEYS, TLP, TLP_ORDER
from briefing.errors import SourceError, SourceInvalid, Span, display_path
from briefing.source import yamlsrc
from briefing.source.context import Context
from briefing.source.suggest import Suggester, short
from briefing.source.validate import convert, convert_struct
from briefing.source.yamlsrc import Mapping, Scalar

FILE_NAME = "distribution.yaml"
LOCALHOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True, slots=True)
class Sender:
    name: str
    organization: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Smtp:
    host: str
    port: int
    security: str = "starttls"
    username_env: str | None = None
    password_env: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class Recipient:
    id: str
    name: str
    title: str | None = None
    organization: str | None = None
    email: str | None = None
    cleared: str = "TLP:GREEN"

    def addressed(self) -> str:
        """``Name, Organization``: how the copy says whom it is for."""
        return f"{self.name}, {self.organization}" if self.organization else self.name


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    title: str
    briefings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Route:
    briefings: tuple[str, ...]
    packs: tuple[str, ...]
    to: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Distribution:
    """The checked file. ``lists`` and ``marking_levels`` keep the file's order."""

    path: str
    sender: Sender | None
    method: str
    folder: str
    smtp: Smtp | None
    recipients: tuple[Recipient, ...]
    lists: dict[str, tuple[str, ...]]
    marking_levels: dict[str, str]
    packs: tuple[Pack, ...]
    routes: tuple[Route, ...]
    spans: dict[str, Span] = field(default_factory=dict, compare=False, repr=False)

    def recipient(self, rid: str) -> Recipient:
        return next(r for r in self.recipients if r.id == rid)

    def pack(self, pid: str) -> Pack:
        return next(p for p in self.packs if p.id == pid)

    def span_of(self, key: str) -> Span:
        return self.spans.get(key) or Span(self.path, 1, 1)


def load(path: Path, *, root: Path, briefing_ids: Iterable[str]) -> Distribution:
    """Read and check ``path``; ``SourceInvalid`` with every error of the file.

    ``briefing_ids`` are the project's briefings, for checking routes and packs.
    """
    from briefing.source.load import read_bounded

    file = display_path(path, root)
    if path.exists() and not path.is_file():  # a pipe would block, a device never end
        error = SourceError(Span(file, 1, 1), "", "is not a regular file")
        raise SourceInvalid([error])
    data = read_bounded(path, file)
    if isinstance(data, SourceError):
        raise SourceInvalid([data])
    needs = ("a distribution file needs at least `recipients` and `routes`", "recipients")
    document = yamlsrc.parse(data, file=file, needs=needs)
    ctx = Context(file, root)
    ctx.errors.extend(document.errors)
    if document.root is None:
        raise SourceInvalid(ctx.errors)
    plain = Mapping(
        tuple(e for e in document.root.entries if e.key not in MAP_KEYS), document.root.span
    )
    values = convert_struct(ctx, plain, DISTRIBUTION, "")
    maps = {e.key: e for e in document.root.entries if e.key in MAP_KEYS}
    lists = _lists(ctx, maps["lists"].value) if "lists" in maps else {}
    levels = _levels(ctx, maps["marking_levels"].value) if "marking_levels" in maps else {}
    if values is None:
        raise SourceInvalid(ctx.errors)
    dist = _build(ctx, values, lists, levels)
    _check_references(ctx, dist, set(briefing_ids))
    if ctx.errors:
        raise SourceInvalid(ctx.errors)
    return dist


def _lists(ctx: Context, node: yamlsrc.Node) -> dict[str, tuple[str, ...]]:
    if isinstance(node, Scalar) and node.is_null:
        return {}
    if not isinstance(node, Mapping):
        ctx.error(
            node.span,
            "lists",
            f"expected a mapping of list names to recipient ids, got {yamlsrc.describe(node)}",
        )
        return {}
    out: dict[str, tuple[str, ...]] = {}
    from briefing.source.schematypes import ListOf

    for entry in node.entries:
        path = f"lists.{short(entry.key, 40)}"
        ctx.locations[path] = entry.key_span
        if not _is_id(entry.key):
            ctx.error(
                entry.key_span,
                path,
                f"`{short(entry.key)}` is not a valid list name: use {ID.rule}",
            )
            continue
        members = convert(
            ctx, entry.value, ListOf(ID, min_items=1, max_items=10000, single=True), path
        )
        if isinstance(members, tuple):
            out[entry.key] = tuple(str(m) for m in members)
    return out


def _levels(ctx: Context, node: yamlsrc.Node) -> dict[str, str]:
    if isinstance(node, Scalar) and node.is_null:
        return {}
    if not isinstance(node, Mapping):
        ctx.error(
            node.span,
            "marking_levels",
            f"expected a mapping of markings to TLP labels, got {yamlsrc.describe(node)}",
        )
        return {}
    out: dict[str, str] = {}
    for entry in node.entries:
        path = f"marking_levels.{short(entry.key, 40)}"
        if entry.key.strip().upper().startswith("TLP"):
            ctx.error(
                entry.key_span, path, "a TLP label has its own level; list only other markings here"
            )
            continue
        level = convert(ctx, entry.value, TLP, path)
        if isinstance(level, str):
            out[entry.key.strip()] = level
    return out


def _is_id(text: str) -> bool:
    import re

    return len(text) <= ID.max_length and re.fullmatch(ID.regex, text) is not None


def _build(
    ctx: Context,
    values: dict[str, object],
    lists: dict[str, tuple[str, ...]],
    levels: dict[str, str],
) -> Distribution:
    sender_values = values.get("from")
    sender = Sender(**sender_values) if isinstance(sender_values, dict) else None  # type: ignore[arg-type]
    delivery = values.get("delivery") or {}
    assert isinstance(delivery, dict)
    method = str(delivery.get("method", "folder"))
    smtp = None
    smtp_values = delivery.get("smtp")
    if isinstance(smtp_values, dict):
        security = str(smtp_values.get("security", "starttls"))
        default_port = {"ssl": 465, "none": 25}.get(security, 587)
        smtp = Smtp(
            host=str(smtp_values["host"]),
            port=int(smtp_values.get("port", default_port)),  # type: ignore[call-overload]
            security=security,
            username_env=smtp_values.get("username_env"),  # type: ignore[arg-type]
            password_env=smtp_values.get("password_env"),  # type: ignore[arg-type]
            timeout=float(smtp_values.get("timeout", 30.0)),  # type: ignore[arg-type]
        )
    recipients = tuple(Recipient(**r) for r in values.get("recipients", ()))  # type: ignore[union-attr,arg-type]
    packs = tuple(
        Pack(p["id"], p["title"], tuple(p["briefings"]))  # type: ignore[index]
        for p in values.get("packs", ())  # type: ignore[union-attr]
    )
    routes = tuple(
        Route(
            tuple(r.get("briefings", ())),  # type: ignore[union-attr]
            tuple(r.get("packs", ())),  # type: ignore[union-attr]
            tuple(r["to"]),  # type: ignore[index]
            ctx.locations.get(f"routes[{i}]", Span(ctx.file, 1, 1)).line,
        )
        for i, r in enumerate(values.get("routes", ()))  # type: ignore[arg-type]
    )
    return Distribution(
        path=ctx.file,
        sender=sender,
        method=method,
        folder=str(delivery.get("folder", "outbox")),
        smtp=smtp,
        recipients=recipients,
        lists=lists,
        marking_levels=levels,
        packs=packs,
        routes=routes,
        spans=dict(ctx.locations),
    )


def _check_references(ctx: Context, dist: Distribution, briefing_ids: set[str]) -> None:
    """Every name used must be defined once; smtp needs its addresses; folder stays inside."""
    at = dist.span_of
    recipient_ids: dict[str, int] = {}
    for i, r in enumerate(dist.recipients):
        if r.id in recipient_ids:
            first = at(f"recipients[{recipient_ids[r.id]}].id").line
            ctx.error(
                at(f"recipients[{i}].id"),
                f"recipients[{i}].id",
                f"the recipient id `{r.id}` is used twice (first on line {first})",
            )
        recipient_ids.setdefault(r.id, i)
    readers = Suggester(recipient_ids)
    for name, members in dist.lists.items():
        if name in recipient_ids:
            ctx.error(
                at(f"lists.{name}"),
                f"lists.{name}",
                f"`{name}` is both a list and a recipient id; rename one",
            )
        for j, member in enumerate(members):
            key = f"lists.{name}[{j}]" if f"lists.{name}[{j}]" in dist.spans else f"lists.{name}"
            if member not in recipient_ids:
                hint = (
                    readers.hint(member)
                    if member not in dist.lists
                    else "; a list cannot hold a list"
                )
                ctx.error(at(key), key, f"`{short(member)}` is not a recipient id{hint}")
    pack_ids: dict[str, int] = {}
    known = Suggester(briefing_ids)
    for i, p in enumerate(dist.packs):
        if p.id in pack_ids:
            ctx.error(at(f"packs[{i}].id"), f"packs[{i}].id", f"the pack id `{p.id}` is used twice")
        pack_ids.setdefault(p.id, i)
        for j, b in enumerate(p.briefings):
            if b not in briefing_ids:
                key = f"packs[{i}].briefings[{j}]"
                ctx.error(
                    at(key), key, f"`{short(b)}` is not a briefing of this project{known.hint(b)}"
                )
    names = Suggester([*recipient_ids, *dist.lists])
    packs = Suggester(pack_ids)
    for i, route in enumerate(dist.routes):
        base = f"routes[{i}]"
        if not route.briefings and not route.packs:
            ctx.error(at(base), base, "a route needs `briefings` or `packs`")
        for j, b in enumerate(route.briefings):
            if b != "*" and b not in briefing_ids:
                key = _item_key(dist, f"{base}.briefings", j)
                ctx.error(
                    at(key), key, f"`{short(b)}` is not a briefing of this project{known.hint(b)}"
                )
        for j, p in enumerate(route.packs):
            if p not in pack_ids:
                key = _item_key(dist, f"{base}.packs", j)
                ctx.error(at(key), key, f"`{short(p)}` is not a pack in `packs`{packs.hint(p)}")
        for j, t in enumerate(route.to):
            if t not in recipient_ids and t not in dist.lists:
                key = _item_key(dist, f"{base}.to", j)
                ctx.error(
                    at(key),
                    key,
                    f"`{short(t)}` is neither a recipient id nor a list{names.hint(t)}",
                )
    if dist.method == "smtp":
        if dist.smtp is None:
            ctx.error(
                at("delivery.method"),
                "delivery.smtp",
                "delivery by smtp needs `delivery.smtp` (host, port, security)",
            )
        elif dist.smtp.security == "none" and dist.smtp.host.lower() not in LOCALHOSTS:
            ctx.error(
                at("delivery.smtp.security"),
                "delivery.smtp.security",
                f"`none` sends in clear text and is allowed only for localhost, "
                f"not `{short(dist.smtp.host)}`; use starttls or ssl",
            )
        if dist.sender is None or dist.sender.email is None:
            ctx.error(
                at("from") if "from" in dist.spans else Span(dist.path, 1, 1),
                "from.email",
                "delivery by smtp needs `from.email`, the sender's address",
            )
        for i, r in enumerate(dist.recipients):
            if r.email is None and f"recipients[{i}].email" not in dist.spans:  # else: bad
                ctx.error(
                    at(f"recipients[{i}]"),
                    f"recipients[{i}].email",
                    f"delivery by smtp needs an `email` for `{r.id}`",
                )
    folder = Path(dist.folder)
    if folder.is_absolute() or ".." in folder.parts:
        ctx.error(
            at("delivery.folder"),
            "delivery.folder",
            f"`{short(dist.folder)}` must be a folder inside the project "
            "(a relative path without `..`)",
        )
    _stamp_glyphs(ctx, dist)


def _stamp_glyphs(ctx: Context, dist: Distribution) -> None:
    """A reader's name and organization are printed on every page of their copy, in the
    embedded font alone (copy stamps do not use the project's fallback fonts): a
    character it cannot draw would print as a box on the copy's control line, so it is
    an error here, before any copy is made."""
    from briefing.render.pdf.fonts import missing_glyphs

    for i, r in enumerate(dist.recipients):
        for key, text in (("name", r.name), ("organization", r.organization)):
            missing = missing_glyphs(text, fallbacks=False) if text else []
            if not missing:
                continue
            chars = ", ".join(f"U+{ord(m.char):04X} {m.char!r}" for m in missing[:5])
            if len(missing) > 5:
                chars += f" and {len(missing) - 5} more"
            path = f"recipients[{i}].{key}"
            message = (
                f"{chars} cannot be printed on the copy stamp (its font, DejaVu Sans, has no "
                f"glyph for it); write the {key} in a script it has, e.g. transliterated"
            )
            ctx.error(dist.span_of(path), path, message)


def _item_key(dist: Distribution, key: str, j: int) -> str:
    """``routes[0].to[2]`` when the list was written out, else ``routes[0].to`` (a single value)."""
    return f"{key}[{j}]" if f"{key}[{j}]" in dist.spans else key


def tlp_level(label: str) -> int:
    return TLP_ORDER.index(label)
