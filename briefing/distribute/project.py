"""One distribution run over a project, as the CLI drives it: load, build, plan, send.

Why: the CLI should only parse options and print; the order of the steps (the
file is checked before anything is built, the build happens before copies are
made, the whole ``--send`` holds the distribution lock) belongs here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.distribute import config, log
from briefing.distribute.items import Item, briefing_items
from briefing.distribute.packs import pack_items
from briefing.distribute.rules import level_of, routed, unranked
from briefing.distribute.run import Delivery, Outcome, Plan, make_plan, send
from briefing.errors import SourceError, SourceInvalid, Span, display_path
from briefing.publish.build import BuildReport
from briefing.publish.fsutil import locked


class UsageProblem(Exception):
    """The run cannot start (exit 2): a bad distribution file, a missing variable (its
    ``problems``, located), or no distribution file at all (``message`` alone)."""

    def __init__(self, problems: list[SourceError], message: str = "") -> None:
        super().__init__(message or "\n".join(map(str, problems)))
        self.problems = problems
        self.message = message


@dataclass(slots=True)
class Run:
    plan: Plan
    outcomes: list[Outcome] = field(default_factory=list)
    build: BuildReport | None = None
    sent: bool = False

    @property
    def ok(self) -> bool:
        failed = any(o.status == "failed" for o in self.outcomes)
        build_failed = self.build is not None and not self.build.ok
        return not (
            failed or build_failed or self.plan.refusals or any(h.failure for h in self.plan.held)
        )

    def to_json(self) -> dict[str, object]:
        def delivery(d: Delivery) -> dict[str, object]:
            return {
                "kind": d.item.kind,
                "id": d.item.id,
                "edition": d.item.edition,
                "recipient": d.recipient.id,
                "copy": d.number,
                "of": d.total,
                "copy_id": d.copy_id,
            }

        return {
            "ok": self.ok,
            "sent": self.sent,
            "planned": [delivery(d) for d in self.plan.deliveries] if not self.sent else [],
            "deliveries": [
                {**delivery(o.delivery), "status": o.status, "error": o.error, "to": o.to}
                for o in self.outcomes
            ],
            "refused": [
                {"kind": r.item.kind, "id": r.item.id, "recipient": r.recipient, "rule": r.rule}
                for r in self.plan.refusals
            ],
            "held": [
                {"kind": h.item.kind, "id": h.item.id, "reason": h.reason, "failure": h.failure}
                for h in self.plan.held
            ],
            "already_delivered": self.plan.delivered,
            "warnings": [w.to_json() for w in self.plan.warnings],
            "build_failed": self.build.count("failed") if self.build is not None else 0,
        }


def distribution_file(root: Path) -> Path:
    return root / config.FILE_NAME


def _briefing_ids(root: Path, items: dict[str, Item]) -> set[str]:
    from briefing.publish.build import discover

    ids = set(items)
    folder = root / "sources"
    if folder.is_dir():
        ids |= {p.stem for p in discover(root)}
    return ids


def execute(
    root: Path,
    *,
    send_copies: bool,
    allow_stale: bool,
    today: dt.date | None = None,
    on_build_problem: Callable[[SourceError], None] | None = None,
    on_start: Callable[[int, Delivery], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    out: Path | None = None,
) -> Run:
    """Plan (and with ``send_copies`` build, copy and deliver); raises ``UsageProblem``.

    ``out``: the output folder the builds, packs and log live in (default: ``root/dist``).
    """
    out = out or root / "dist"
    path = distribution_file(root)
    if not path.exists():  # a folder or a pipe by that name: config.load says what it is
        raise UsageProblem(
            [],
            f"no {config.FILE_NAME} in {root}: "
            "see docs/distribution.md (briefing init writes an example)",
        )
    day = today or dt.datetime.now(dt.UTC).date()
    if not send_copies:
        return Run(_plan(root, out, path, day, allow_stale, write=False)[0])
    with locked(out / "distribution"):
        # the file is checked before anything is built: a typo must not cost a build
        _plan(root, out, path, day, allow_stale, write=False, check_only=True)
        report = _build(root, out, day, on_build_problem)
        plan, dist = _plan(root, out, path, day, allow_stale, write=True)
        if on_plan is not None:
            on_plan(plan)
        if dist.method == "smtp":
            from briefing.distribute.deliver import ConfigProblem, SmtpDelivery

            try:
                assert dist.smtp is not None
                SmtpDelivery(dist.smtp)  # reads the credentials' variables: fail before any copy
            except ConfigProblem as exc:
                error = SourceError(dist.span_of(exc.key), exc.key, str(exc))
                raise UsageProblem([error]) from None
        outcomes = send(plan, dist, root=root, out=out, on_start=on_start, on_outcome=on_outcome)
    return Run(plan, outcomes, report, sent=True)


def _build(
    root: Path, out: Path, today: dt.date, on_problem: Callable[[SourceError], None] | None
) -> BuildReport:
    from briefing.publish.build import BuildOptions, build, default_jobs, discover

    sources = discover(root)
    report = build(
        sources,
        root=root,
        out=out,
        options=BuildOptions(prune=True, jobs=default_jobs(), today=today),
    )
    if on_problem is not None:
        for result in report.results:
            for problem in (*result.errors, *result.warnings):
                on_problem(problem)
    return report


def _load(root: Path, path: Path, items: dict[str, Item]) -> config.Distribution:
    try:
        return config.load(path, root=root, briefing_ids=_briefing_ids(root, items))
    except SourceInvalid as exc:
        raise UsageProblem(list(exc.errors)) from None


def _plan(
    root: Path,
    out: Path,
    path: Path,
    today: dt.date,
    allow_stale: bool,
    *,
    write: bool,
    check_only: bool = False,
) -> tuple[Plan, config.Distribution]:
    briefings = briefing_items(root, out, today=today, allow_stale=allow_stale, unbuilt=not write)
    dist = _load(root, path, briefings)
    _check_strict_sender(dist, briefings)
    if check_only:
        return Plan(), dist
    packs, warnings = pack_items(dist, briefings, out, write=write)
    records, problems = log.read(out, display_path(log.path(out), root))
    items = [briefings[k] for k in sorted(briefings)] + packs
    plan = make_plan(dist, items, records)
    if not write:
        warnings += [
            SourceError(
                Span.whole(item.source),
                "",
                "its source changed since the last build; --send builds it first, and a new "
                "edition, if its content changed, goes to its readers",
                "warning",
                "source-changed",
            )
            for item in briefings.values()
            if item.pending and item.sha256 is not None and routed(dist, briefing=item.id)
        ]
    plan.warnings = problems + _unranked(dist, briefings) + warnings
    return plan, dist


def _unranked(dist: config.Distribution, briefings: dict[str, Item]) -> list[SourceError]:
    """A warning at each routed briefing's marking that ranks as TLP:CLEAR only because
    ``marking_levels`` does not name it."""
    out = []
    for item in briefings.values():
        if item.held is not None or item.marking is None or not unranked(item.marking, dist):
            continue  # a held briefing goes nowhere now; the warning comes when it would
        if not routed(dist, briefing=item.id):
            continue
        message = (
            f"`{item.marking}` is not a TLP label and {config.FILE_NAME} has no "
            "marking_levels entry for it, so it ranks as TLP:CLEAR and goes to every reader "
            "routed it; map it in marking_levels if it needs more"
        )
        where = item.marking_at or Span.whole(item.source)
        out.append(SourceError(where, "marking", message, "warning", "marking-unranked"))
    return out


def _check_strict_sender(dist: config.Distribution, briefings: dict[str, Item]) -> None:
    """``from.organization`` is required once a routed briefing is TLP:AMBER+STRICT."""
    if dist.sender is not None and dist.sender.organization:
        return
    for item in briefings.values():
        if level_of(item.marking, dist) == "TLP:AMBER+STRICT" and routed(dist, briefing=item.id):
            where = dist.span_of("from") if "from" in dist.spans else Span(dist.path, 1, 1)
            message = (
                f"`from.organization` is required: {item.id} is {item.marking} and is routed, "
                "and it goes only to readers of the sender's organization"
            )
            raise UsageProblem([SourceError(where, "from.organization", message)])
