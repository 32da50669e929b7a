"""The link policy: which URLs a source may hold, and why one is refused.

Why: a briefing PDF is forwarded; a ``javascript:`` or ``file:`` link, or a
URL without a host, must never become a live link in it. ``load`` applies the
same policy to links inside texts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from briefing.source.context import Context
from briefing.source.suggest import short
from briefing.source.yamlsrc import Scalar


def url(ctx: Context, node: Scalar, path: str) -> str | None:
    value = node.text.strip()
    problem = url_problem(value, schemes=("http", "https"))
    if problem is not None:
        ctx.error(node.span, path, problem)
        return None
    return value


def url_problem(value: str, *, schemes: tuple[str, ...]) -> str | None:
    """Why ``value`` is not an acceptable link target, or None when it is.

    ``http``/``https`` need a host name; ``mailto`` needs an address. Other
    schemes (``javascript:``, ``file:``, ``ftp:``) never become links in a PDF
    meant to be forwarded.
    """
    names = [f"{s}:" for s in schemes]
    allowed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    if any(c.isspace() for c in value):
        return f"`{short(value)}` is not a URL: it contains a space"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"`{short(value)}` is not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        got = f"uses `{scheme}:`" if scheme else "is not an absolute URL"
        return f"`{short(value)}` {got}; only {allowed} links are allowed"
    if scheme == "mailto":
        return None if parts.path else f"`{short(value)}` has no e-mail address"
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if not host:
        return f"`{short(value)}` has no host name"
    return None
