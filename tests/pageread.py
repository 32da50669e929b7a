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
from bidi.mirror import MIRRORED


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


#: Bracket pairs (UAX #9 BD14–BD16) the oracle knows: enough for the test texts.
_BRACKETS = {"(": ")", "[": "]", "{": "}", "（": "）", "［": "］", "〈": "〉", "«": None}
_BRACKETS = {k: v for k, v in _BRACKETS.items() if v}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}


def _strong(t: str) -> str | None:
    """A resolved type's direction for N0/N1 (numbers count as R), else None."""
    return "L" if t == "L" else "R" if t in ("R", "EN", "AN") else None


def paragraph_levels(text: str) -> list[int]:
    """UAX #9 levels of a whole paragraph, base level 0 (left to right).

    The test oracle, written here independently of ``briefing``: rules W1–W7, N0 (bracket
    pairs), N1–N2, I1–I2 over one level run (sos = eos = L). Texts with explicit embeddings
    or isolates are out of its scope (refused).
    """
    types = [unicodedata.bidirectional(c) for c in text]
    if any(t in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI") for t in types):
        raise ValueError("explicit embeddings are out of the oracle's scope")
    prev = "L"  # W1 (BN, removed by X9, is treated like a mark)
    for i, t in enumerate(types):
        if t in ("NSM", "BN"):
            types[i] = prev
        prev = types[i]
    strong = "L"  # W2, W3
    for i, t in enumerate(types):
        if t == "EN" and strong == "AL":
            types[i] = "AN"
        if t in ("L", "R", "AL"):
            strong = t
    types = ["R" if t == "AL" else t for t in types]
    for i in range(1, len(types) - 1):  # W4
        a, t, b = types[i - 1], types[i], types[i + 1]
        if (t == "ES" and a == b == "EN") or (t == "CS" and a == b and a in ("EN", "AN")):
            types[i] = a
    for i, t in enumerate(types):  # W5
        if t == "EN":
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(types) and types[j] == "ET":
                    types[j] = "EN"
                    j += step
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]  # W6
    strong = "L"  # W7
    for i, t in enumerate(types):
        if t == "EN" and strong == "L":
            types[i] = "L"
        if t in ("L", "R"):
            strong = t
    stack: list[tuple[str, int]] = []  # N0: bracket pairs (BD16), in order of openers
    pairs: list[tuple[int, int]] = []
    for i, c in enumerate(text):
        if types[i] != "ON":
            continue
        if c in _BRACKETS:
            if len(stack) == 63:
                break
            stack.append((_BRACKETS[c], i))
        elif c in _CLOSERS:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == c:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    for start, end in sorted(pairs):
        inside = {_strong(t) for t in types[start + 1 : end]} - {None}
        if "L" in inside:
            types[start] = types[end] = "L"
        elif "R" in inside:
            before = next((_strong(t) for t in types[start - 1 :: -1] if _strong(t)), "L")
            before = before if start else "L"
            types[start] = types[end] = "R" if before == "R" else "L"
    i = 0  # N1, N2
    while i < len(types):
        if types[i] in ("B", "S", "WS", "ON"):
            j = i
            while j < len(types) and types[j] in ("B", "S", "WS", "ON"):
                j += 1
            left = _strong(types[i - 1]) if i else "L"
            right = _strong(types[j]) if j < len(types) else "L"
            types[i:j] = [left if left == right else "L"] * (j - i)
            i = j
        else:
            i += 1
    return [{"L": 0, "R": 1}.get(t, 2) for t in types]  # I1 (EN, AN: 2)


def visual_line(text: str, levels: list[int], start: int, end: int) -> str:
    """``text[start:end]``, one broken line of a paragraph with these ``levels``, in visual
    order: L1 (trailing white space at level 0), L2 (reversals), L4 (mirrored brackets)."""
    chars = list(text[start:end])
    lv = list(levels[start:end])
    i = len(chars) - 1
    while i >= 0 and chars[i].isspace():
        lv[i] = 0
        i -= 1
    chars = [MIRRORED.get(c, c) if v % 2 else c for c, v in zip(chars, lv, strict=True)]
    order = list(range(len(chars)))
    for level in range(max(lv, default=0), 0, -1):
        j = 0
        while j < len(order):
            if lv[order[j]] < level:
                j += 1
                continue
            k = j
            while k < len(order) and lv[order[k]] >= level:
                k += 1
            order[j:k] = order[j:k][::-1]
            j = k
    return nfkc("".join(chars[k] for k in order))


def in_visual_order(logical: str, lines: list[Line], *, strip: str = "") -> list[Line]:
    """The page lines that print the paragraph ``logical`` as a whole line or wrapped over
    several, each in UAX #9 order; empty when there are none.

    The levels are resolved once for the whole paragraph (``paragraph_levels``), then each
    line is reordered on its own (``visual_line``), as UAX #9 says: a bracket pair or a run
    of neutrals split by a line break keeps the direction it has in the paragraph.
    ``strip``: a leading mark to ignore (a bullet). Matching is exact, line by line.
    """
    words = logical.split()
    paragraph = " ".join(words)
    levels = paragraph_levels(paragraph)
    starts = [0]
    for word in words:
        starts.append(starts[-1] + len(word) + 1)

    def text(line: Line) -> str:
        return line.text.removeprefix(strip).strip() if strip else line.text

    def want(a: int, b: int) -> str:  # words[a:b] as one line of the paragraph
        return visual_line(paragraph, levels, starts[a], starts[b] - 1)

    for start in range(len(lines)):
        matched: list[Line] = []
        pos = 0
        index = start
        while index < len(lines) and pos < len(words):
            end = next(
                (e for e in range(len(words), pos, -1) if text(lines[index]) == want(pos, e)),
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
