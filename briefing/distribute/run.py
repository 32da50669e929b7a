"""A distribution run: the plan (who would receive what, what is held back and why), and sending.

Why: ``briefing distribute`` must show exactly what ``--send`` would do without
changing anything, so both are one computation: ``make_plan`` reads the checked
file, the items in ``dist/`` and the log; ``send`` makes the planned copies
and delivers them, appending each outcome to the log as it happens.

Copy numbers: the readers an edition may go to are numbered in the order of
``recipients``; a reader who already has a number for that edition in the log
keeps it (a retry is the same copy: same number, id and Message-ID), and readers
added later get the next numbers. "of N" is the number of copies of the edition
known when the copy is made.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.distribute import log, message
from briefing.distribute.config import Distribution, Recipient
from briefing.distribute.deliver import FolderDelivery, SmtpDelivery, copy_name
from briefing.distribute.items import Item
from briefing.distribute.pdfedit import CopyInfo, PdfEditError, Stamper
from briefing.distribute.rules import Routed, level_of, refusal, routed
from briefing.errors import SourceError, display_path

_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def copy_id(kind: str, item: str, edition: int, recipient: str, number: int) -> str:
    """A short, stable id for one copy: 8 characters, no I/L/O/U, as ``XXXX-XXXX``."""
    digest = hashlib.sha256(f"{kind}:{item}:{edition}:{recipient}:{number}".encode()).digest()
    text = base64.b32encode(digest[:5]).decode().translate(_CROCKFORD)
    return f"{text[:4]}-{text[4:]}"


@dataclass(frozen=True, slots=True)
class Delivery:
    item: Item
    recipient: Recipient
    number: int
    total: int
    copy_id: str
    retry: bool = False

    @property
    def info(self) -> CopyInfo:
        return CopyInfo(
            self.copy_id,
            self.number,
            self.total,
            self.recipient.addressed(),
            self.item.label,
            int(self.item.edition or 0),
        )


@dataclass(frozen=True, slots=True)
class Refusal:
    item: Item
    recipient: str
    rule: str

    def line(self) -> str:
        return f"refused   {self.item.label} → {self.recipient}: {self.rule}"


@dataclass(frozen=True, slots=True)
class Held:
    item: Item
    reason: str
    failure: bool

    def line(self) -> str:
        return f"held back {self.item.label}: {self.reason}"


@dataclass(slots=True)
class Plan:
    deliveries: list[Delivery] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    delivered: int = 0  # copies of current editions already delivered
    warnings: list[SourceError] = field(default_factory=list)
    #: All copy slots of each edition, for one overlay per edition (stable font subsets).
    slots: dict[tuple[str, str], list[CopyInfo]] = field(default_factory=dict)


def make_plan(dist: Distribution, items: list[Item], records: list[log.Record]) -> Plan:
    plan = Plan()
    for item in items:
        readers = (
            routed(dist, briefing=item.id)
            if item.kind == "briefing"
            else routed(dist, pack=item.id)
        )
        if not readers:
            continue  # routed to nobody: nothing to send or hold back
        if item.held is not None:
            plan.held.append(Held(item, item.held, item.held_is_failure))
            continue
        assert item.edition is not None
        mine = [
            r
            for r in records
            if r.kind == item.kind and r.item == item.id and r.edition == item.edition
        ]
        sent = {r.recipient for r in mine if r.status == "sent"}
        numbered: dict[str, tuple[int, int]] = {}
        for r in mine:
            numbered.setdefault(r.recipient, (r.copy, r.of))
        allowed: list[Routed] = []
        for reader in readers:
            why = refusal(item.marking, reader, dist)
            if why is None:
                allowed.append(reader)
            elif reader.recipient not in sent:
                plan.refusals.append(Refusal(item, reader.recipient, why))
        fresh = [r.recipient for r in allowed if r.recipient not in numbered]
        top = max((n for n, _ in numbered.values()), default=0)
        for k, rid in enumerate(fresh, start=1):
            numbered[rid] = (top + k, 0)
        total = max([top + len(fresh), *(of for _, of in numbered.values())])
        slots: list[CopyInfo] = []
        for reader in allowed:
            rid = reader.recipient
            number, of = numbered[rid]
            delivery = Delivery(
                item,
                dist.recipient(rid),
                number,
                of or total,
                copy_id(item.kind, item.id, item.edition, rid, number),
                retry=rid in {r.recipient for r in mine},
            )
            slots.append(delivery.info)
            if rid in sent:
                plan.delivered += 1
            else:
                plan.deliveries.append(delivery)
        plan.slots[(item.kind, item.id)] = slots
    return plan


@dataclass(frozen=True, slots=True)
class Outcome:
    delivery: Delivery
    status: log.Status
    error: str | None
    to: str | None

    def line(self) -> str:
        d = self.delivery
        what = (
            f"{d.item.label} e{d.item.edition} → {d.recipient.id} "
            f"(copy {d.number} of {d.total}, {d.copy_id})"
        )
        if self.status == "sent":
            return f"sent      {what}"
        return f"failed    {what}: {self.error}"


def send(
    plan: Plan,
    dist: Distribution,
    *,
    root: Path,
    out: Path,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_start: Callable[[int, Delivery], None] | None = None,
    now: Callable[[], dt.datetime] | None = None,
) -> list[Outcome]:
    """Make and deliver every planned copy, one log line each; never raises for a delivery."""
    clock = now or (lambda: dt.datetime.now(dt.UTC))
    channel: FolderDelivery | SmtpDelivery
    if dist.method == "smtp":
        assert dist.smtp is not None
        channel = SmtpDelivery(dist.smtp)
    else:
        channel = FolderDelivery(root / dist.folder)
    outcomes: list[Outcome] = []
    by_item: dict[tuple[str, str], list[Delivery]] = {}
    for d in plan.deliveries:
        by_item.setdefault((d.item.kind, d.item.id), []).append(d)
    try:
        for key, deliveries in by_item.items():
            item = deliveries[0].item
            try:
                copies = _copies(item, plan.slots[key], deliveries)
            except (OSError, PdfEditError) as exc:
                copies = {d.copy_id: exc for d in deliveries}
            for d in deliveries:
                if on_start is not None:
                    on_start(len(outcomes), d)
                made = copies[d.copy_id]
                if isinstance(made, Exception):
                    error: str | None = f"cannot make the copy from {item.pdf}: {made}"
                    sha, to = "", None
                else:
                    sha = hashlib.sha256(made).hexdigest()
                    name = copy_name(item.id, int(item.edition or 0), d.number)
                    msg = None
                    if isinstance(channel, SmtpDelivery):
                        assert dist.sender is not None
                        msg = message.build(
                            item,
                            d.recipient,
                            dist.sender,
                            number=d.number,
                            total=d.total,
                            copy_id=d.copy_id,
                            pdf=made,
                            filename=name,
                        )
                    error, to = channel.deliver(d.recipient.id, name, made, msg)
                if isinstance(channel, FolderDelivery) and to is not None:
                    to = display_path(Path(to), root)
                outcome = Outcome(d, "failed" if error else "sent", error, to)
                log.append(
                    out,
                    log.Record(
                        time=clock().isoformat(timespec="seconds"),
                        kind=item.kind,
                        item=item.id,
                        edition=int(item.edition or 0),
                        recipient=d.recipient.id,
                        copy=d.number,
                        of=d.total,
                        copy_id=d.copy_id,
                        sha256=sha,
                        method=channel.method,
                        status=outcome.status,
                        error=error,
                        to=to,
                    ),
                )
                outcomes.append(outcome)
                if on_outcome is not None:
                    on_outcome(outcome)
    finally:
        channel.close()
    return outcomes


def _copies(
    item: Item, slots: list[CopyInfo], wanted: list[Delivery]
) -> dict[str, bytes | Exception]:
    stamper = Stamper(item.pdf.read_bytes())
    ids = {d.copy_id for d in wanted}
    made = stamper.copies(slots, wanted=ids)
    return dict(made.items())


def level_note(item: Item, dist: Distribution) -> str:
    level = level_of(item.marking, dist)
    return item.marking or f"unmarked ({level})"
