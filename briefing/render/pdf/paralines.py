"""A broken paragraph's lines in visual order: UAX #9 levels of the whole paragraph, then
L1/L2 line by line (``textpath`` decides runs, shaping and widths).

Why: UAX #9 resolves levels over a paragraph (a bracket pair, rule N0, or a run of
neutrals between two right-to-left words, rule N1, may be split by a line break) and only
then reorders each line. Resolving each broken line on its own printed
``held on ۱۵ 15) ۱۴۰۳ ریت Tir`` for a line ending in ``(15 Tir``: the bracket lost its
pair, and with it its direction. The lines are joined again with what each break took
out (``_breaks``), resolved once (``paragraph_levels``), and each line gets its slice.
"""

from __future__ import annotations

from reportlab.pdfbase.ttfonts import ShapedStr

from briefing.render.pdf.textpath import (
    has_controls,
    has_rtl,
    owner_pieces,
    paragraph_levels,
    run_text,
    visual_runs,
    width,
)


def order_lines(bl: object, frags: list | None = None) -> object | None:
    """A broken paragraph's lines in visual order (a new ``ParaLines``), or None if no line
    holds right-to-left text.

    Called at draw time on ``Paragraph.blPara``, after line breaking: the broken lines
    stay logical (so a paragraph split across pages re-breaks logical text), and only the
    drawn copy is reordered. The levels are resolved once over the paragraph's text (its
    lines joined with what each break removed, ``_breaks``; ``frags`` is the paragraph's
    word list that ReportLab's breaker leaves in ``Paragraph.frags``), then each line is
    reordered with its slice of them. A paragraph split across pages is drawn as two
    ``Para`` objects, and each part is resolved as a paragraph of its own (a bracket pair
    split by the page break is resolved without its partner: UAX #9 cannot see past the
    drawn part here). Each line's styled fragments are cut into runs of one fragment and
    one level, so bold, links and citations stay with their words; a run of odd level is
    shaped right to left (visual order, brackets mirrored).
    """
    from reportlab.platypus.paragraph import FragLine, ParaLines

    kind = getattr(bl, "kind", 1)
    if kind == 0:
        texts = [" ".join(words) for _, words in bl.lines]
    else:
        texts = ["".join(getattr(f, "text", "") for f in line.words) for line in bl.lines]
    if not any(has_rtl(t) or has_controls(t) for t in texts):
        return None
    lines = []
    for index, line in enumerate(bl.lines):
        if kind == 0:
            extra, _ = line
            frag = bl.clone(text=texts[index])
            for name, default in (("us_lines", []), ("link", []), ("rise", 0)):
                if not hasattr(frag, name):
                    setattr(frag, name, default)
            line = FragLine(
                extraSpace=extra,
                wordCount=texts[index].count(" ") + 1,
                lineBreak=False,
                words=[frag],
                fontSize=bl.fontSize,
                ascent=bl.ascent,
                descent=bl.descent,
                maxWidth=extra + width(texts[index], bl.fontName, bl.fontSize),
                sFW=0,
            )
        lines.append(line)
    drawn = [_line_text(line.words) for line in lines]
    gaps = _breaks(bl, frags, [text for text, _, _ in drawn])
    paragraph = "".join(text + gap for (text, _, _), gap in zip(drawn, [*gaps, ""], strict=True))
    resolved = paragraph_levels(paragraph)
    start = 0
    for index, ((text, owners, shaped), gap) in enumerate(zip(drawn, [*gaps, ""], strict=True)):
        lv = resolved[start : start + len(text)]
        start += len(text) + len(gap)
        if shaped:  # shaped at break time (left-to-right complex script): leave it alone
            continue
        if any(lv) or has_controls(text):
            lines[index] = _order_line(lines[index], text, owners, lv)
    return ParaLines(kind=1, lines=lines)


def _line_text(words: list) -> tuple[str, list[int], bool]:
    """A line's logical text (special fragments left out), the fragment each character
    comes from, and whether a fragment was already shaped at break time."""
    owners: list[int] = []
    text = ""
    shaped = False
    for i, f in enumerate(words):
        t = getattr(f, "text", "")
        if t and not hasattr(f, "cbDefn"):
            shaped = shaped or isinstance(t, ShapedStr)
            owners += [i] * len(t)
            text += t
    return text, owners, shaped


def _breaks(bl: object, frags: list | None, texts: list[str]) -> list[str]:
    """What each line break took out of the paragraph's text: a space, or nothing when the
    break is inside a word (a long token cut by ``breaking``, a cut between ideographs).

    ReportLab says so by the class of a line's last word: one-style lines (kind 0) end
    with a ``_SplitWord`` head when cut inside a word; styled lines (kind 1) start at
    ``line.sFW`` in the breaker's word list, and a word followed by a space there is an
    ``_HSFrag``. When that list does not match the lines, a space is assumed (the common
    case; it matters only for a number or separator cut at the break, rules W4–W5).
    """
    from reportlab.platypus import paragraph as rl

    lines = bl.lines
    # a line that already ends in its space (a long token moved whole to the next line
    # leaves an empty first piece after it) gets nothing more
    out = ["" if text[-1:].isspace() else " " for text in texts[:-1]]
    if getattr(bl, "kind", 1) == 0:
        for i, (_, words) in enumerate(lines[:-1]):
            last = words[-1] if words else ""
            if isinstance(last, rl._SplitWordLL) or (
                isinstance(last, rl._SplitWord) and not isinstance(last, rl._SplitWordEnd)
            ):
                out[i] = ""
        return out
    for i in range(len(lines) - 1):
        j = getattr(lines[i + 1], "sFW", None)
        if not frags or not isinstance(j, int) or not 0 < j <= len(frags):
            continue
        word = frags[j - 1]
        if not isinstance(word, list) or isinstance(word, rl._HSFrag):
            continue
        tail = "".join(t for f, t in word[1:] if isinstance(t, str) and not hasattr(f, "cbDefn"))
        if tail and texts[i].endswith(tail):
            out[i] = ""
    return out


def _order_line(line: object, text: str, owners: list[int], lv: tuple[int, ...]) -> object:
    """One ``FragLine`` with its fragments cut into runs and put in visual order; ``text``
    and ``owners`` from ``_line_text``, ``lv`` its levels in the paragraph."""
    words = line.words
    specials = [f for f in words if hasattr(f, "cbDefn") or not getattr(f, "text", "")]
    ordered = []
    old = sum(width(f.text, f.fontName, f.fontSize) for f in words if f not in specials)
    new = 0.0
    for start, end, level in visual_runs(text, lv):
        # a run may span fragments: cut it at fragment borders, keeping visual order
        for a, b in owner_pieces(start, end, level, owners):
            f = words[owners[a]]
            drawn = run_text(text[a:b], level, f.fontName, f.fontSize)
            ordered.append(f.clone(text=drawn))
            new += width(drawn, f.fontName, f.fontSize)
    line = line.clone() if hasattr(line, "clone") else line
    line.words = [*specials, *ordered]
    line.extraSpace = line.extraSpace + old - new
    return line
