"""Source text as ReportLab paragraph markup: ``&``, ``<``, ``>`` never become tags.

Why a module of its own: ``markup`` (which builds paragraphs) and ``flowables`` (which
``markup`` builds on) both escape text; one copy here keeps them from drifting.
"""

from __future__ import annotations

__all__ = ["escape", "quoteattr"]


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities: source text never becomes markup.

    (``xml.sax.saxutils`` does the same but imports ``ssl``, ``http`` and ``email``.)
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An attribute value, quoted, with quotes and newlines escaped as well."""
    escaped = escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
    return f'"{escaped.replace(chr(9), "&#9;")}"'
