"""Long tokens wrap inside the frame: after ``/ ? & = -`` when one is near, else anywhere.

Why: ReportLab splits a word longer than a line anywhere (``splitLongWords``), but its
URL rule (``uriWasteReduce``) splits a URL once at a ``/`` and marks the tail as already
split, so a 400-character query string or a base64 tail after the last ``/`` then runs
past the page edge (the same happens after a split at an embedded hyphen). So, once per
process (``install``): a word wider than a whole line skips ReportLab's URL and hyphen
rules, and ReportLab's two long-word splitters are replaced with ones that fill each
line and break it after the last of those characters in the line's second half, else
at the last character that fits. Words narrower than a line are broken as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as rl

#: Characters a long token may break after (the contract's list).
BREAK_AFTER = frozenset("/?&=-")
#: A break character is used only if the line keeps at least this share of its width.
MIN_FILL = 0.5


def split_points(
    widths: Sequence[float], chars: Sequence[str], first: float, rest: float
) -> list[int]:
    """Indices where a token of these character ``widths`` is cut into lines.

    ``first`` is the room left on the current line, ``rest`` a full line. A cut goes
    after a break character when the line is then at least ``MIN_FILL`` full, else at
    the last character that fits. On the partly filled line where the token starts,
    any break character will do, and without one the token starts on the next line
    (an empty first piece: ReportLab then ends the line). A character wider than a
    whole line still gets a line of its own (never lost).
    """
    cuts: list[int] = []
    room = first
    used = 0.0
    start = 0
    i = 0
    while i < len(widths):
        w = widths[i]
        if used + w > room and (i > start or (used > 0 and w <= rest)):
            partial = room < rest  # the line the token starts on, after other words
            cut = start if partial else i  # no break character there: start on a new line
            for j in range(i - 1, start, -1):
                if chars[j] in BREAK_AFTER and chars[j + 1] != chars[j]:  # never inside "//"
                    if partial or sum(widths[start : j + 1]) >= MIN_FILL * room:
                        cut = j + 1
                    elif not partial:
                        cut = i
                    break
            cuts.append(cut)
            start = cut
            used = sum(widths[cut:i])
            room = rest
            continue
        used += w
        i += 1
    return cuts


def _split_word(
    w: str,
    lineWidth: float,
    maxWidths: list[float],
    lineno: int,
    fontName: str,
    fontSize: float,
    encoding: str = "utf8",
) -> list[str]:
    """``paragraph._splitWord`` for one-style paragraphs, with preferred break characters."""
    if isinstance(w, bytes):
        w = w.decode(encoding)
    last = len(maxWidths) - 1
    first = maxWidths[min(last, lineno)] - lineWidth
    rest = maxWidths[min(last, lineno + 1)]
    widths = [stringWidth(c, fontName, fontSize) for c in w]
    cuts = split_points(widths, w, first, rest)
    bounds = [0, *cuts, len(w)]
    pieces: list[str] = [rl._SplitWord(w[a:b]) for a, b in pairwise(bounds[:-1])]
    pieces.append(rl._SplitWordEnd(w[bounds[-2] :]))
    return pieces


def _split_frag_word(w: list[Any], maxWidth: float, maxWidths: list[float], lineno: int) -> list:
    """``paragraph._splitFragWord`` (styled words: a link, bold inside a URL) likewise."""
    items = list(rl._fragWordIter(w))
    last = len(maxWidths) - 1
    rest = maxWidths[min(last, lineno + 1)]
    cuts = set(split_points([cw for _, cw, _ in items], [c for _, _, c in items], maxWidth, rest))
    out: list[Any] = []
    pieces: list[tuple[Any, str]] = []
    piece_width = 0.0
    frag = None
    text = ""

    def flush_frag() -> None:
        nonlocal text
        if frag is not None:
            clone = frag.clone()
            if hasattr(clone, "text"):
                clone.text = text
            pieces.append((clone, text))
        text = ""

    for index, (g, cw, c) in enumerate(items):
        if index in cuts:
            flush_frag()
            if not pieces:  # the token starts on the next line: an empty first piece
                empty = g.clone()
                if hasattr(empty, "text"):
                    empty.text = ""
                pieces = [(empty, "")]
            out.append(rl._SplitFrag([piece_width, *pieces]))
            pieces = []
            piece_width = 0.0
            frag = g
        elif g is not frag:
            flush_frag()
            frag = g
        text += c
        piece_width += cw
    flush_frag()
    tail = rl._SplitFragHS if isinstance(w, rl._HSFrag) else rl._SplitFragH
    out.append(tail([piece_width, *pieces]))
    return out


@cache
def install() -> None:
    """Replace ReportLab's long-word splitters with ours, once per process."""
    hyphenate_word = rl._hyphenateWord
    hyphenate_frag_word = rl._hyphenateFragWord

    def _hyphenate_word(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, *args):
        if ww > maxWidth:  # a whole line cannot hold it: ours splits it, as often as needed
            return None
        return hyphenate_word(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, *args)

    def _hyphenate_frag_word(hyphenator, FW, newWidth, maxWidth, *args):
        if FW[0] > maxWidth:
            return None
        return hyphenate_frag_word(hyphenator, FW, newWidth, maxWidth, *args)

    rl._hyphenateWord = _hyphenate_word
    rl._hyphenateFragWord = _hyphenate_frag_word
    rl._splitWord = _split_word
    rl._splitFragWord = _split_frag_word
