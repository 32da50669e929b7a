"""The e-mail that carries one copy: subject, plain-text body, the PDF, a stable Message-ID.

Why: a reader triages from the subject line, so it carries the marking, title,
edition and date; the body repeats the marking and gives what changed and the
summary so the reader knows whether to open the attachment. The Message-ID is
derived from the copy id, so a copy re-sent after a crash is recognisably the
same message to the reader's mail system.
"""

from __future__ import annotations

import email.utils
import textwrap
from email.message import EmailMessage

from briefing.distribute.config import Recipient, Sender
from briefing.distribute.items import Item


def one_line(text: str) -> str:
    """``text`` with every run of white space (a newline a YAML escape put in a title or
    a name) made one space: a header value may not hold a line break, and one that did
    stopped the whole run with an internal error."""
    return " ".join(text.split())


def subject(item: Item) -> str:
    marking = f"[{item.marking}] " if item.marking else ""
    return one_line(f"{marking}{item.title} — edition {item.edition} ({item.as_of})")


def message_id(copy_id: str, sender: Sender) -> str:
    domain = (sender.email or "briefing.invalid").rsplit("@", 1)[-1]
    return f"<{copy_id.lower()}.copy@{domain}>"


def body(item: Item, recipient: Recipient, number: int, total: int, copy_id: str) -> str:
    wrap = textwrap.TextWrapper(width=76, initial_indent="  - ", subsequent_indent="    ")
    lines = []
    if item.marking:
        lines += [item.marking, ""]
    lines += [item.title, f"As of {item.as_of} · edition {item.edition}", ""]
    lines += [f"For {recipient.addressed()} (copy {number} of {total}, copy id {copy_id}).", ""]
    if item.changes:
        lines.append(f"Changes since edition {int(item.edition or 1) - 1}:")
        lines += [wrap.fill(c) for c in item.changes]
        lines.append("")
    if item.summary:
        lines.append("Summary:" if item.kind == "briefing" else "Contents:")
        lines += [wrap.fill(s) for s in item.summary]
        lines.append("")
    lines.append("Your controlled copy is attached; do not forward it.")
    if item.marking:
        lines += ["", item.marking]
    return "\n".join(lines) + "\n"


def build(
    item: Item,
    recipient: Recipient,
    sender: Sender,
    *,
    number: int,
    total: int,
    copy_id: str,
    pdf: bytes,
    filename: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = email.utils.formataddr((one_line(sender.name), sender.email or ""))
    msg["To"] = email.utils.formataddr((one_line(recipient.name), recipient.email or ""))
    msg["Subject"] = subject(item)
    msg["Date"] = email.utils.formatdate(usegmt=True)
    msg["Message-ID"] = message_id(copy_id, sender)
    msg["X-Briefing-Copy-Id"] = copy_id
    msg.set_content(body(item, recipient, number, total, copy_id))
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return msg
