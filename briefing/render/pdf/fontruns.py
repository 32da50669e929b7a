"""Fonts by coverage: which font draws each character, for paragraphs and canvas strings.

Why: DejaVu Sans has no Chinese, Korean, Devanagari or Ethiopic; the project's
``fonts/`` folder supplies fallback fonts (``fonts.use_fallbacks``). DejaVu draws
every character it has; a character it lacks comes from the first fallback that has
it; a combining mark stays in its base character's font. Paragraph fragments are cut
into runs of one font before line breaking (``split_frags``), so lines are broken and
measured in the right font; a canvas string in more than one font becomes a ``Mixed``
string, drawn run by run by a hook in ReportLab's text object (``install``). Without
fallback fonts every function here returns its input: not a byte changes.
"""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, makeShapedFragWord

from briefing.render.fontfiles import joins_previous
from briefing.render.pdf.fonts import charset, fallback_for, has_fallbacks


def font_runs(text: str, font: str) -> list[tuple[str, int, int]]:
    """``(font name, start, end)`` runs of logical ``text``: DejaVu face ``font`` where it
    has the glyph, else the first project fallback that has it (marks stay with their
    base). One run in ``font`` when no fallback is in use or none is needed."""
    if not has_fallbacks() or text.isascii():
        return [(font, 0, len(text))]
    own = charset(font)
    if all(ord(c) in own for c in text):
        return [(font, 0, len(text))]
    runs: list[tuple[str, int, int]] = []
    for i, char in enumerate(text):
        code = ord(char)
        if runs and joins_previous(char):
            name = runs[-1][0]
        elif code in own:
            name = font
        else:
            name = fallback_for(code, font) or font
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1], i + 1)
        else:
            runs.append((name, i, i + 1))
    return runs


def plain_width(text: str, font: str, size: float) -> float:
    """The unshaped width of logical ``text`` with each run in its own font (what
    ``stringWidth`` is without fallbacks)."""
    return sum(
        pdfmetrics.stringWidth(text[a:b], name, size) for name, a, b in font_runs(text, font)
    )


def split_frags(frags: list[object]) -> list[object]:
    """Paragraph fragments cut into runs of one font (``font_runs``), before line breaking."""
    if not has_fallbacks():
        return frags
    out: list[object] = []
    for frag in frags:
        text = getattr(frag, "text", None)
        name = getattr(frag, "fontName", None)
        if not isinstance(text, str) or not text or name is None or hasattr(frag, "cbDefn"):
            out.append(frag)
            continue
        runs = font_runs(text, name)
        if len(runs) == 1 and runs[0][0] == name:
            out.append(frag)
            continue
        out += [frag.clone(text=text[a:b], fontName=run) for run, a, b in runs]  # type: ignore[attr-defined]
    return out


class Mixed(ShapedStr):
    """A visual canvas string in more than one font: ``font_runs`` holds ``(font, piece)``
    in visual order; its shape data (the advances of every piece) make ``width`` and
    ReportLab's centring right. Drawn run by run by the text object hook (``install``)."""

    font_runs: tuple[tuple[str, str], ...] = ()


def mixed(pieces: list[tuple[str, str]]) -> Mixed:
    data: list[ShapeData] = []
    for name, piece in pieces:
        if isinstance(piece, ShapedStr):
            data += piece.__shapeData__
            continue
        for i, char in enumerate(piece):
            advance = pdfmetrics.stringWidth(char, name, 1000)
            data.append(ShapeData(i, advance, 0, 0, 0, advance))
    out = Mixed("".join(str(p) for _, p in pieces), shapeData=data)
    out.font_runs = tuple(pieces)
    return out


#: What a shaped paragraph word gets (ReportLab's default adds ``dlig``).
_FEATURES = {"kern": True, "liga": True}


@cache
def install() -> None:
    """Teach ReportLab's text object to draw a ``Mixed`` string: each run in its font (and
    its fonts to measure one by its runs, for right-aligned and centred strings), and its
    paragraph shaper to shape a word run by run when its runs use different fonts.

    The run's font is set for the run only (its subset is selected again after it), so
    the text object's own font is unchanged for whatever it draws next.
    """
    from reportlab.pdfgen.textobject import PDFTextObject

    format_text = PDFTextObject._formatText

    def _format_text(self: PDFTextObject, text: str) -> str:
        runs = getattr(text, "font_runs", None)
        if not runs:
            return format_text(self, text)
        own = self._fontname
        parts: list[str] = []
        try:
            for name, piece in runs:
                self._fontname = name
                self._curSubset = -1
                parts.append(format_text(self, piece))
        finally:
            self._fontname = own
            self._curSubset = -1
        return " ".join(parts)

    PDFTextObject._formatText = _format_text

    from reportlab.pdfbase.ttfonts import TTFont

    string_width = TTFont.stringWidth

    def _string_width(self: TTFont, text: str, size: float, encoding: str = "utf8") -> float:
        # drawRightString and drawCentredString measure with the canvas font's widths
        if getattr(text, "font_runs", None):
            return sum(d.x_advance for d in text.__shapeData__) * size / 1000  # type: ignore[attr-defined]
        return string_width(self, text, size, encoding)

    TTFont.stringWidth = _string_width

    from reportlab.platypus import paragraph

    shape_frag_word = paragraph.shapeFragWord

    def _shape_frag_word(w: list, *args: object, **kwargs: object) -> list:
        """ReportLab shapes a whole word with its first fragment's font; a word of runs in
        different fonts ("(भारत)") is shaped run by run instead. Discretionary ligatures
        stay off."""
        if not args:  # no discretionary ligatures: DejaVu's "st" would read as another letter
            kwargs.setdefault("features", _FEATURES)
        names = {f.fontName for f, _ in w[1:] if not hasattr(f, "cbDefn")}
        if len(names) <= 1:
            return shape_frag_word(w, *args, **kwargs)
        groups: list[list] = []
        for f, s in w[1:]:
            name = None if hasattr(f, "cbDefn") else f.fontName
            if groups and name in (None, groups[-1][0]):
                groups[-1][1].append((f, s))
            else:
                groups.append([name, [(f, s)]])
        total = 0.0
        items: list = []
        changed = False
        for _, part in groups:
            width = sum(
                pdfmetrics.stringWidth(s, f.fontName, f.fontSize)
                for f, s in part
                if not hasattr(f, "cbDefn")
            )
            sub = w.__class__([width, *part])
            shaped = shape_frag_word(sub, *args, **kwargs)
            changed = changed or shaped is not sub
            total += shaped[0]
            items += shaped[1:]
        if not changed:
            return w
        return makeShapedFragWord(w)([total, *items])

    paragraph.shapeFragWord = _shape_frag_word


install()
