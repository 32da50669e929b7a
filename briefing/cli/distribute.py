"""``briefing distribute``: the plan (changes nothing), or ``--send``: build, copy, deliver.

Exit codes: 0 everything owed was delivered (or, for the plan, would be);
1 some deliveries failed or were refused, or a briefing is held back by a
failed build; 2 usage or configuration error (a bad distribution.yaml, a
missing environment variable).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from briefing.cli.base import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Failure, emit
from briefing.errors import SourceError


@click.command()
@click.option(
    "--send", is_flag=True, help="Build what is out of date, make the copies and deliver them."
)
@click.option("--allow-stale", is_flag=True, help="Also send briefings whose review_by has passed.")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder holding the PDFs, packs and log (default: dist/ in the project folder).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON on stdout.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def distribute(send: bool, allow_stale: bool, out: Path | None, as_json: bool, debug: bool) -> None:
    """Hand each reader in distribution.yaml their controlled copy of each new edition.

    Without --send, print the plan: who would receive what, and what is held
    back or refused and why; nothing is built, copied or sent.
    """
    from briefing.cli.base import find_root, guarded
    from briefing.distribute.project import UsageProblem, execute

    @guarded
    def run(debug: bool) -> None:
        root = find_root([])
        printer = _Printer(quiet=as_json)
        try:
            result = execute(
                root,
                send_copies=send,
                allow_stale=allow_stale,
                on_build_problem=printer.problem,
                on_start=printer.start,
                on_outcome=printer.outcome,
                on_plan=printer.plan_ready,
                out=out,
            )
        except UsageProblem as exc:
            if exc.message:
                raise Failure(exc.message, EXIT_USAGE) from None
            for problem in exc.problems:
                emit(str(problem), err=True)
            sys.exit(EXIT_USAGE)
        except OSError as exc:
            why = f"cannot distribute: {exc.filename or ''}: {exc.strerror or exc}"
            raise Failure(why) from None
        printer.finish(result)
        if as_json:
            click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        sys.exit(EXIT_OK if result.ok else EXIT_FAILED)

    run(debug=debug)


class _Printer:
    """Plain lines for logs; on a terminal, a transient progress line per delivery."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty() and not quiet
        self.total = 0

    def problem(self, problem: SourceError) -> None:
        emit(str(problem), err=True)

    def plan_ready(self, plan: object) -> None:
        self.total = len(getattr(plan, "deliveries", []))

    def start(self, done: int, delivery: object) -> None:
        if self.tty:
            d = delivery
            text = f"[{done + 1}/{self.total}] {d.item.label} → {d.recipient.id}…"  # type: ignore[attr-defined]
            click.echo(f"\r\033[K{text}", nl=False, err=True)

    def outcome(self, outcome: object) -> None:
        if self.tty:
            click.echo("\r\033[K", nl=False, err=True)
        if not self.quiet:
            click.echo(outcome.line())  # type: ignore[attr-defined]

    def finish(self, run: object) -> None:
        from briefing.distribute.project import Run

        assert isinstance(run, Run)
        plan = run.plan
        echo = (lambda line: None) if self.quiet else (lambda line: click.echo(line, err=True))
        for warning in plan.warnings:
            echo(str(warning))
        for held in plan.held:
            echo(held.line())
        for refusal in plan.refusals:
            echo(refusal.line())
        if self.quiet:
            return
        if not run.sent:
            for d in plan.deliveries:
                again = " (retry)" if d.retry else ""
                if d.item.pending:
                    again += " after building it"
                click.echo(
                    f"would send {d.item.label} e{d.item.edition} → {d.recipient.id} "
                    f"(copy {d.number} of {d.total}){again}"
                )
        sent = sum(o.status == "sent" for o in run.outcomes)
        failed = sum(o.status == "failed" for o in run.outcomes)
        parts = (
            [f"{sent} sent", f"{failed} failed"]
            if run.sent
            else [f"{len(plan.deliveries)} to send"]
        )
        parts += [
            f"{len(plan.refusals)} refused",
            f"{len(plan.held)} held back",
            f"{plan.delivered} already delivered",
        ]
        click.echo(", ".join(parts))
