"""The one text path: every string that reaches the page is ordered (UAX #9), shaped, measured.

Why: HarfBuzz (through ReportLab) shapes a run of Arabic into joined forms but does
not order a *line*: a multi-word right-to-left run, or one inside an English line with
brackets, comes out in the wrong order. ReportLab's own bidi needs ``rlbidi``, which is
not on PyPI. So the order is decided here, with python-bidi (the Rust ``unicode-bidi``
engine, full UAX #9 including bracket pairs), and every caller — paragraph lines after
line breaking (``flowables.Para``, through ``paralines``), banners, running header,
footer, chart labels, map labels — goes through these functions instead of deciding at
its call site.

Decisions:

* **Base direction is left to right**, for every line, whatever its first strong
  character. A briefing is an English document on a left-to-right page; a paragraph
  that happens to start with an Arabic name ("أنصار الله are …") must still read as an
  English sentence, left-aligned, and an all-Arabic line still reads correctly right to
  left inside it (its words are reversed as a run). Same rule as ``get_display(line,
  base_dir='L')``.
* **Levels are resolved once per paragraph, lines are reordered one by one**, as UAX #9
  says: rules P–I (bracket pairs N0, neutrals between strong types N1) over the whole
  paragraph's text (``paragraph_levels``: its broken lines joined again with what each
  break removed), then per broken line L1 (trailing white space at the base level) and
  L2 (reverse runs from the highest level down to the lowest odd one). Resolving each
  line alone loses a bracket's pair or a neutral's neighbour across a break. A one-line
  canvas string (``visual``) is its own paragraph.
* A right-to-left run is shaped by HarfBuzz with an explicit right-to-left direction,
  so it comes out in visual order with brackets mirrored; a left-to-right run that
  needs shaping (Indic marks) is shaped left to right; other runs stay plain text.
* **Fonts by coverage** (``font_runs``): DejaVu first; a character it lacks comes from
  the first project fallback font (``fonts/``) that has it; a combining mark stays in
  its base character's font. Paragraph fragments are cut into runs of one font before
  line breaking (``split_frags``), so lines are broken and measured in the right font;
  a canvas string in more than one font is a ``Mixed`` string, drawn run by run
  (``install``). Without fallback fonts nothing here changes a byte.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from briefing.render.pdf.fontruns import font_runs, mixed

#: A character that may be strong right-to-left (Hebrew, Arabic, Syriac, Thaana, N'Ko,
#: Samaritan, Mandaic, presentation forms, and the supplementary RTL blocks).
_MAYBE_RTL = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
#: Scripts that need OpenType shaping even left to right (Indic and friends).
_COMPLEX = re.compile(r"[\u0590-\u08ff\u0900-\u0dff\ufb1d-\ufdff\ufe70-\ufeff]")
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
#: Tabs, line and paragraph separators: white space to a reader, a box to the font (a
#: paragraph breaks words at them; a one-line canvas string would draw them).
_SPACES = str.maketrans(dict.fromkeys("\t\n\r\u2028\u2029", " "))
#: Invisible bidi controls (the marks, Arabic letter mark, the isolates; DejaVu has no glyph
#: for some): they steer the order of a line, then are dropped, never drawn as a box or
#: extracted as text.
_HIDDEN = re.compile("[\u061c\u200e\u200f\u2066-\u2069]")


def has_rtl(text: str) -> bool:
    """True when ``text`` holds a strong right-to-left character (or Arabic digits)."""
    if _MAYBE_RTL.search(text) is None:
        return False
    return any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in text)


def has_controls(text: str) -> bool:
    """True when ``text`` holds an invisible bidi control (dropped once it has steered)."""
    return _HIDDEN.search(text) is not None


def needs_shaping(text: str) -> bool:
    """True when ``text`` holds a script that HarfBuzz must shape (Arabic, Hebrew, Indic…)."""
    return _COMPLEX.search(text) is not None


def owner_pieces(
    start: int, end: int, level: int, owners: Sequence[object]
) -> list[tuple[int, int]]:
    """A visual run ``[start, end)`` cut where its owner (fragment, font) changes, in visual
    order: a right-to-left run's pieces come last-first. Paragraph lines (by fragment) and
    canvas strings (by font) both draw a run piece by piece this way."""
    pieces: list[tuple[int, int]] = []
    a = start
    while a < end:
        b = a
        while b < end and owners[b] == owners[a]:
            b += 1
        pieces.append((a, b))
        a = b
    if level % 2:
        pieces.reverse()
    return pieces


def _visual_mixed(text: str, runs: list[tuple[str, int, int]], size: float) -> str:
    """``visual`` for a line whose characters come from more than one font."""
    owner: list[str] = []
    for name, a, b in runs:
        owner += [name] * (b - a)
    bidi = visual_runs(text) if has_rtl(text) else [(0, len(text), 0)]
    pieces: list[tuple[str, str]] = []
    for start, end, level in bidi:
        for a, b in owner_pieces(start, end, level, owner):
            pieces.append((owner[a], run_text(text[a:b], level, owner[a], size)))
    return mixed(pieces)


def fallbacks_changed() -> None:
    """Forget what was measured with the previous set of fallback fonts."""
    visual.cache_clear()


# ---- ordering -----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def levels(line: str) -> tuple[int, ...]:
    """The resolved levels of a one-line string that is its own paragraph (canvas text)."""
    return paragraph_levels(line)


def paragraph_levels(text: str) -> tuple[int, ...]:
    """The resolved embedding level of each character of a paragraph, base direction LTR
    (UAX #9 up to rule I2: before L1, which is applied per broken line).

    Not cached by text: a line's levels depend on its whole paragraph, so they are
    sliced from this, never looked up by the line's own text.
    The Rust engine exposes its levels only through its debug dump (per UTF-8 byte);
    when that cannot be read, the pure-Python module (no bracket-pair rule) is used.
    """
    from bidi.bidi import get_display_inner

    line = text
    try:
        dump = get_display_inner(line, "L", True)
        block = dump[dump.index("levels:") : dump.index("paragraphs:")]
        per_byte = [int(v) for v in _LEVEL.findall(block)]
        out: list[int] = []
        offset = 0
        for char in line:
            out.append(per_byte[offset])
            offset += len(char.encode("utf-8"))
        if offset == len(per_byte):
            return tuple(out)
    except (ValueError, IndexError):
        pass
    return _python_levels(line)


def _python_levels(line: str) -> tuple[int, ...]:
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    storage["base_level"] = 0
    storage["base_dir"] = "L"
    algorithm.get_embedding_levels(line, storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage)
    algorithm.resolve_implicit_levels(storage)
    return tuple(ch["level"] for ch in storage["chars"])


def visual_runs(
    line: str, resolved: tuple[int, ...] | list[int] | None = None
) -> list[tuple[int, int, int]]:
    """``(start, end, level)`` runs of logical ``line[start:end]``, in visual order.

    ``resolved``: the line's levels sliced from its paragraph's (``paragraph_levels``);
    by default the line is resolved as a paragraph of its own. L1: white space at the
    end of the line takes the base level. L2: from the highest level down to the lowest
    odd level, reverse every stretch at that level or above.
    """
    if not line:
        return []
    lv = list(levels(line) if resolved is None else resolved)
    if len(lv) != len(line):
        raise ValueError("one level per character of the line")
    i = len(line) - 1
    while i >= 0 and (line[i].isspace() or unicodedata.bidirectional(line[i]) in ("WS", "BN")):
        lv[i] = 0
        i -= 1
    order = list(range(len(line)))
    top = max(lv)
    lowest_odd = min((v for v in lv if v % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        j = 0
        while j < len(order):
            if lv[order[j]] >= level:
                k = j
                while k < len(order) and lv[order[k]] >= level:
                    k += 1
                order[j:k] = order[j:k][::-1]
                j = k
            else:
                j += 1
    runs: list[tuple[int, int, int]] = []
    for index in order:
        level = lv[index]
        if runs:
            start, end, run_level = runs[-1]
            if run_level == level and level % 2 and index == start - 1:
                runs[-1] = (index, end, level)
                continue
            if run_level == level and not level % 2 and index == end:
                runs[-1] = (start, index + 1, level)
                continue
        runs.append((index, index + 1, level))
    return runs


# ---- shaping and measuring ----------------------------------------------------------


def shape_run(text: str, font: str, size: float, *, rtl: bool) -> str:
    """One directional run shaped by HarfBuzz, glyphs in visual order (a ``ShapedStr``).

    The direction is given, not guessed: a run of neutrals inside right-to-left text
    (", " or "(") must be reversed and mirrored too.
    """
    import uharfbuzz

    ttf = pdfmetrics.getFont(font)
    if not text or not getattr(ttf, "shapable", False):
        return text[::-1] if rtl else text
    hb_font = ttf.hbFont(size)
    buf = uharfbuzz.Buffer()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    uharfbuzz.shape(hb_font, buf, {"kern": True, "liga": True})
    chars: list[str] = []
    data: list[ShapeData] = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid = info.codepoint
        try:
            code = ttf.face.glyphToChar[gid][0]
        except (KeyError, IndexError):
            code = ttf.hbAddPrivate(hb_font.glyph_to_string(gid), gid, pos.x_advance)
        chars.append(chr(code))
        data.append(
            ShapeData(
                info.cluster,
                ttf.pdfScale(pos.x_advance),
                ttf.pdfScale(pos.y_advance),
                ttf.pdfScale(pos.x_offset),
                ttf.pdfScale(pos.y_offset),
                ttf.face.charWidths[code],
            )
        )
    return ShapedStr("".join(chars), shapeData=data)


def width(text: str, font: str, size: float) -> float:
    """The advance of a visual string (shaped or plain) in points."""
    if isinstance(text, ShapedStr):
        return sum(d.x_advance for d in text.__shapeData__) * size / 1000
    return pdfmetrics.stringWidth(text, font, size)


def run_text(text: str, level: int, font: str, size: float) -> str:
    """One run of a line, ready to draw: shaped when right to left or complex, else as is."""
    rtl = bool(level % 2)
    if rtl or needs_shaping(text):
        return shape_run(text, font, size, rtl=rtl)
    return _HIDDEN.sub("", text)


@lru_cache(maxsize=2048)
def visual(text: str, font: str, size: float) -> str:
    """A one-line canvas string in visual order, shaped: what ``drawString`` must get.

    For banners, the running header, the footer, chart and map labels. Plain text that
    needs neither ordering nor shaping is returned unchanged (same bytes as before), but
    for tabs and line separators (a space) and invisible bidi controls (dropped); text
    with characters from fallback fonts is a ``Mixed`` string.
    """
    text = text.translate(_SPACES)
    runs = font_runs(text, font)
    if len(runs) > 1 or runs[0][0] != font:
        return _visual_mixed(text, runs, size)
    if not needs_shaping(text) and not has_rtl(text):
        return _HIDDEN.sub("", text)
    out: str | None = None
    for start, end, level in visual_runs(text):
        piece = run_text(text[start:end], level, font, size)
        if not isinstance(piece, ShapedStr):
            piece = shape_run(piece, font, size, rtl=False)
        out = piece if out is None else out + piece
    return out if out is not None else text


def measure(text: str, font: str, size: float) -> float:
    """The printed width of a logical one-line string (after ordering and shaping)."""
    return width(visual(text, font, size), font, size)


# ---- one-line furniture -------------------------------------------------------------


def fit_text(text: str, font: str, size: float, limit: float) -> str:
    """``text`` cut with an ellipsis to fit ``limit`` points, anywhere (chart and map labels
    that a caption or key repeats in full)."""
    if measure(text, font, size) <= limit:
        return text
    lo, hi = 0, len(text)  # binary search: titles may be 100,000 characters long
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid] + "…", font, size) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def fit_words(text: str, font: str, size: float, limit: float) -> str:
    """``text`` shortened at a word boundary, with an ellipsis, to fit ``limit`` points.

    The rule of the running header: whole words only; a first word that alone is too
    wide (a long URL as an organization name) is the one case cut inside a word.
    """
    if measure(text, font, size) <= limit:
        return text
    words = text.split()
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(" ".join(words[:mid]) + "…", font, size) <= limit:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return fit_text(words[0] if words else text, font, size, limit)
    return " ".join(words[:lo]).rstrip(",;:") + "…"


def wrap_words(text: str, font: str, size: float, limit: float) -> list[str]:
    """``text`` broken into lines of at most ``limit`` points at spaces (logical order);
    a word wider than a line is broken inside, so nothing runs past ``limit``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if measure(candidate, font, size) <= limit:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while measure(current, font, size) > limit and len(current) > 1:
            cut = len(fit_text(current, font, size, limit)) - 1  # drop the ellipsis
            cut = max(cut, 1)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines
