"""Line breaks inside text without spaces: Chinese and Japanese (UAX #14, lite).

Why: ReportLab breaks lines at spaces only, so a Chinese sentence (no spaces) is one
"word": moved whole to the next line, or cut anywhere when wider than a line. Here a
line may break between two characters when either is an ideograph or kana, except
before closing punctuation and small kana (``。，」）ー`` may not start a line) and after
opening punctuation (``「（`` may not end one), and never before a combining mark.
Korean keeps its words whole and breaks at its spaces. ``breaking.py`` uses this for
words wider than a line and for words that do not fit the rest of the current line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

#: Ideographs, kana, CJK symbols and fullwidth forms (and the supplementary planes). Not
#: Hangul: Korean is written with spaces between words and breaks there ("keep-all").
_RANGES = (
    (0x2E80, 0x2FFF),
    (0x3000, 0x30FF),
    (0x3100, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA000, 0xA4CF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)
#: May not start a line (UAX #14 CL, CP, EX, IS, NS and small kana, and Western closers).
NO_BREAK_BEFORE = frozenset(
    ")]}»’”!?,.:;%"
    "、。，．：；！？）］｝〕〉》」』】〙〗〟｠｡｣､"
    "ー〜・ゝゞヽヾ々〻‐゠–"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "…‥"
)
#: May not end a line (UAX #14 OP and opening quotes).
NO_BREAK_AFTER = frozenset("([{«‘“（［｛〔〈《「『【〘〖〝｟｢")


def is_cjk(char: str) -> bool:
    if len(char) != 1:  # a styled word's special item (an empty fragment)
        return False
    code = ord(char)
    if code < 0x1100:
        return False
    return any(lo <= code <= hi for lo, hi in _RANGES)


def has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)


def can_break(chars: Sequence[str], j: int) -> bool:
    """May a line break between ``chars[j - 1]`` and ``chars[j]``?"""
    if j <= 0 or j >= len(chars):
        return False
    before, after = chars[j - 1], chars[j]
    if not (is_cjk(before) or is_cjk(after)):
        return False
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
        return False
    return len(after) != 1 or not unicodedata.category(after).startswith("M")


def fitting_cut(chars: Sequence[str], widths: Sequence[float], room: float) -> int | None:
    """The last break opportunity at which ``chars[:cut]`` fits in ``room``, or None."""
    used = 0.0
    best = None
    for j, w in enumerate(widths):
        if j and can_break(chars, j):
            best = j
        used += w
        if used > room:
            return best
    return None  # the whole word fits: nothing to cut
