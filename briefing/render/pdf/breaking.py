"""Long tokens wrap inside the frame: after ``/ ? & = -`` when one is near, else anywhere;
text without spaces (Chinese, Japanese, Korean) between ideographs (``cjkbreak``).

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

from briefing.render.pdf.cjkbreak import can_break, fitting_cut, has_cjk

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
                if can_break(chars, j + 1):  # between ideographs (cjkbreak)
                    cut = j + 1
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


def _cjk_word(w: str, fontName: str, fontSize: float, room: float) -> list[str] | None:
    """A one-style word that does not fit the rest of the line, cut between ideographs so
    its head fills the line (None: no such cut; the word moves to the next line)."""
    if isinstance(w, bytes) or not has_cjk(w):
        return None
    cut = fitting_cut(w, [stringWidth(c, fontName, fontSize) for c in w], room)
    if cut is None:
        return None
    return [rl._SplitWordH(w[:cut]), rl._SplitWordEnd(w[cut:])]


def _cjk_frag_word(FW: list[Any], room: float) -> list[Any] | None:
    """``_cjk_word`` for a styled word (runs in several fonts or styles)."""
    if getattr(FW, "__shapeData__", None) is not None or type(FW).__name__ == "ShapedFragWord":
        return None
    text = "".join(s for f, s in FW[1:] if isinstance(s, str) and not hasattr(f, "cbDefn"))
    if not has_cjk(text) or any(hasattr(f, "cbDefn") for f, _ in FW[1:]):
        return None
    items = list(rl._fragWordIter(FW))
    cut = fitting_cut([c for _, _, c in items], [cw for _, cw, _ in items], room)
    if cut is None:
        return None

    def pieces(part: list[Any]) -> list[Any]:
        width = sum(cw for _, cw, _ in part)
        out: list[Any] = [width]
        for g, _, c in part:
            if len(out) > 1 and out[-1][0] is g:
                out[-1] = (g, out[-1][1] + c)
            else:
                out.append((g, c))
        return [width, *((g.clone(text=t), t) for g, t in out[1:])]

    tail = rl._SplitFragHS if isinstance(FW, rl._HSFrag) else rl._SplitFrag
    return [rl._SplitFragH(pieces(items[:cut])), tail(pieces(items[cut:]))]


@cache
def install() -> None:
    """Replace ReportLab's long-word splitters with ours, once per process."""
    hyphenate_word = rl._hyphenateWord
    hyphenate_frag_word = rl._hyphenateFragWord

    def _hyphenate_word(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, *args):
        if ww > maxWidth:  # a whole line cannot hold it: ours splits it, as often as needed
            return None
        cut = _cjk_word(w, fontName, fontSize, maxWidth - (newWidth - ww))
        if cut is not None:
            return cut
        return hyphenate_word(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, *args)

    def _hyphenate_frag_word(hyphenator, FW, newWidth, maxWidth, *args):
        if FW[0] > maxWidth:
            return None
        cut = _cjk_frag_word(FW, maxWidth - (newWidth - FW[0]))
        if cut is not None:
            return cut
        return hyphenate_frag_word(hyphenator, FW, newWidth, maxWidth, *args)

    rl._hyphenateWord = _hyphenate_word
    rl._hyphenateFragWord = _hyphenate_frag_word
    rl._splitWord = _split_word
    rl._splitFragWord = _split_frag_word
