"""Reading a PDF page as a reader sees it: lines of glyphs in their visual (x) order.

Why: text extraction tools re-order right-to-left text themselves, which would hide a
wrong order on the page; pdfplumber's characters with their x positions do not.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import pdfplumber
from bidi import get_display


@dataclass(frozen=True)
class Line:
    page: int
    top: float
    x0: float
    x1: float
    text: str  # visual order, left to right, NFKC, one space between words


def nfkc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def expected(logical: str) -> str:
    """The visual order UAX #9 gives a line of an LTR page (python-bidi's engine)."""
    return nfkc(get_display(logical, base_dir="L"))


def page_lines(pdf: bytes, *, tolerance: float = 2.0) -> list[Line]:
    """Every line of every page: glyphs grouped by baseline, sorted by x, spaces by gaps."""
    out: list[Line] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            chars = [c for c in page.chars if c["text"].strip() and c["upright"]]
            chars.sort(key=lambda c: (round(c["bottom"], 1), c["x0"]))
            rows: list[list[dict]] = []
            for c in chars:
                for row in rows:
                    if abs(row[0]["bottom"] - c["bottom"]) <= tolerance:
                        row.append(c)
                        break
                else:
                    rows.append([c])
            for row in sorted(rows, key=lambda r: r[0]["top"]):
                row.sort(key=lambda c: c["x0"])
                text = ""
                prev = None
                for c in row:
                    if prev is not None and c["x0"] - prev["x1"] > 0.18 * c["size"]:
                        text += " "
                    text += c["text"]
                    prev = c
                out.append(Line(number, row[0]["top"], row[0]["x0"], row[-1]["x1"], nfkc(text)))
    return out


def in_visual_order(logical: str, lines: list[Line], *, strip: str = "") -> list[Line]:
    """The page lines that print ``logical`` as a whole line or wrapped over several, each in
    UAX #9 order (``expected`` of its part of the text); empty when there are none.

    ``strip``: a leading mark to ignore (a bullet). Matching is exact, line by line.
    """
    words = logical.split()

    def text(line: Line) -> str:
        return line.text.removeprefix(strip).strip() if strip else line.text

    for start in range(len(lines)):
        matched: list[Line] = []
        pos = 0
        index = start
        while index < len(lines) and pos < len(words):
            end = next(
                (
                    e
                    for e in range(len(words), pos, -1)
                    if text(lines[index]) == expected(" ".join(words[pos:e]))
                ),
                None,
            )
            if end is None:
                break
            matched.append(lines[index])
            pos = end
            index += 1
        if pos == len(words):
            return matched
    return []
