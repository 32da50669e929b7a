"""The floor: a bare ReportLab canvas script that draws a briefing's text and a timeline.

Why: absolute times drift on a shared machine, so the benchmark reports every figure
as a ratio to this script measured in the same run. It is the least work that still
produces the same output: start Python, read the source with PyYAML (libyaml), embed
the same four DejaVu TTFs, and draw *all* of the source's text (title, summary, key
facts, map placeholder, event labels and chronology, actor rows, section bodies,
sources) with simple greedy line wrapping over several pages, plus a timeline made of
canvas lines and markers. No matplotlib, no platypus, no layout guarantees: whatever
the real builder spends beyond this is the price of its layout, its chart and its
checks.

The fonts are found as ``briefing/fontfiles.py`` finds them: matplotlib's ``mpl-data``
folder located from the package spec, without importing matplotlib (that import alone
costs about half a second, which is exactly what the floor must not contain). This
script does not import ``briefing`` either, so it measures Python + PyYAML + ReportLab
only.

Usage::

    python benchmarks/floor.py OUT.pdf                       # the example, once (cold)
    python benchmarks/floor.py OUT.pdf --count 100 SRC...    # 100 documents in one process

With ``--count N`` the script draws N documents, cycling through the given sources,
into ``OUT-000.pdf``, ``OUT-001.pdf``… (warm: one process, per-document cost = total / N).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import math
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

EXAMPLE = Path(__file__).resolve().parent.parent / "sources" / "nagorno-karabakh-2020.yaml"

REGULAR, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
ACCENT = HexColor("#1f3b5a")
MUTED = HexColor("#555555")
RULE = HexColor("#b0b7c0")
PALETTE = [HexColor(c) for c in ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")]
MARGIN = 18 * mm
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def font_dir() -> Path:
    """matplotlib's bundled TTF folder, from the package spec (matplotlib is not imported)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("floor: matplotlib is not installed; it ships the DejaVu fonts")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def register_fonts() -> None:
    """Register the four DejaVu faces once per process, as the real builder does."""
    base = font_dir()
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(base / file)))


_CITE = re.compile(r"\[@([A-Za-z0-9_-]+)\]")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)]+)\)")
_EMPH = re.compile(r"\*\*|\*")


def plain(text: object, numbers: dict[str, int]) -> str:
    """The Markdown subset flattened: citations as ``[n]``, links as their label."""
    s = _CITE.sub(lambda m: f"[{numbers.get(m[1], '?')}]", str(text))
    s = _LINK.sub(r"\1", s)
    return _EMPH.sub("", s)


class Page:
    """A cursor over canvas pages: wraps text, breaks pages, draws banners and footers."""

    def __init__(self, canv: Canvas, size: tuple[float, float], doc: dict[str, Any]) -> None:
        self.c = canv
        self.width, self.height = size
        self.marking = str(doc.get("marking") or "")
        self.title = str(doc.get("title", ""))
        self.as_of = str(doc.get("as_of", ""))
        self.frame = self.width - 2 * MARGIN
        self.number = 0
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        if self.number:
            self.c.showPage()
        self.number += 1
        c = self.c
        if self.marking:
            for y in (self.height - 9 * mm - 5 * mm, 9 * mm):
                c.setFillColor(black)
                c.rect(MARGIN, y, self.frame, 5 * mm, stroke=0, fill=1)
                c.setFillColor(white)
                c.setFont(BOLD, 9)
                c.drawCentredString(self.width / 2, y + 4, self.marking)
        c.setFillColor(MUTED)
        c.setFont(REGULAR, 8)
        c.drawString(MARGIN, 17 * mm, f"As of {self.as_of}")
        c.drawRightString(self.width - MARGIN, 17 * mm, f"Page {self.number}")
        if self.number > 1:
            c.setFont(BOLD, 8)
            c.setFillColor(ACCENT)
            c.drawString(MARGIN, self.height - 20 * mm, self.title[:90])
        c.setFillColor(black)
        self.y = self.height - 26 * mm

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit above the footer."""
        if self.y - height < 24 * mm:
            self.new_page()

    def text(
        self,
        text: str,
        font: str = REGULAR,
        size: float = 9.5,
        *,
        indent: float = 0.0,
        bullet: str = "",
        after: float = 3.0,
    ) -> None:
        """A wrapped paragraph at the cursor (greedy wrapping by advance widths)."""
        leading = size * 1.3
        lines = simpleSplit(text, font, size, self.frame - indent)
        self.c.setFont(font, size)
        for i, line in enumerate(lines):
            self.need(leading)
            if bullet and i == 0:
                self.c.drawString(MARGIN + indent - 9, self.y - size, bullet)
            self.c.drawString(MARGIN + indent, self.y - size, line)
            self.y -= leading
        self.y -= after

    def heading(self, text: str, size: float = 12.5) -> None:
        self.need(size * 3)
        self.y -= 4
        self.c.setFillColor(ACCENT)
        self.text(text, BOLD, size, after=2)
        self.c.setStrokeColor(RULE)
        self.c.setLineWidth(0.5)
        self.c.line(MARGIN, self.y, self.width - MARGIN, self.y)
        self.c.setFillColor(black)
        self.y -= 6


def _year_of(value: object) -> float:
    """A source date (``1921``, ``1994-05``, a ``date``) as a fractional year."""
    if isinstance(value, dt.date):
        return value.year + (value.timetuple().tm_yday - 1) / 366
    parts = [int(p) for p in str(value).split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 1
    return year + (month - 1) / 12


def draw_timeline(page: Page, timeline: dict[str, Any], numbers: dict[str, int]) -> None:
    """Axis, ticks, one marker per event (a bar for spans), labels in staggered rows."""
    events = timeline.get("events") or []
    if not events:
        return
    c = page.c
    height = 230.0
    page.need(height + 30)
    page.heading(plain(timeline.get("title") or "Timeline", numbers))
    starts = [_year_of(e["date"]) for e in events]
    ends = [
        _year_of(e["end"]) if e.get("end") is not None else s
        for e, s in zip(events, starts, strict=True)
    ]
    lo, hi = min(starts), max(ends)
    span = max(hi - lo, 1.0)
    lo, hi = lo - span * 0.03, hi + span * 0.03
    left, right = MARGIN + 10, page.width - MARGIN - 10
    axis_y = page.y - height + 30

    def x_of(t: float) -> float:
        return left + (t - lo) / (hi - lo) * (right - left)

    c.setStrokeColor(black)
    c.setLineWidth(1)
    c.line(left, axis_y, right, axis_y)
    step = 1.0  # the largest of 1, 2, 5, 10, 20, 50… years that still gives 5 ticks
    for exp in range(4):
        for base in (1, 2, 5):
            if (hi - lo) / (base * 10**exp) >= 5:
                step = base * 10.0**exp
    c.setFont(REGULAR, 7)
    year = math.ceil(lo / step) * step
    while year <= hi:
        c.line(x_of(year), axis_y, x_of(year), axis_y - 3)
        c.drawCentredString(x_of(year), axis_y - 11, str(int(year)))
        year += step
    categories = list(dict.fromkeys(str(e.get("category") or "") for e in events))
    rows = 7
    for i, (event, start, end) in enumerate(zip(events, starts, ends, strict=True)):
        colour = PALETTE[categories.index(str(event.get("category") or "")) % len(PALETTE)]
        x = x_of(start)
        c.setFillColor(colour)
        c.setStrokeColor(colour)
        if end > start:
            c.setLineWidth(4)
            c.line(x, axis_y, x_of(end), axis_y)
        c.circle(x, axis_y, 3, stroke=0, fill=1)
        row_y = axis_y + 14 + (i % rows) * 24
        c.setLineWidth(0.4)
        c.line(x, axis_y + 3, x, row_y)
        c.setFillColor(black)
        label = plain(event["label"], numbers)
        lines = simpleSplit(f"{event['date']} {label}", REGULAR, 6.5, 110)[:2]
        c.setFont(REGULAR, 6.5)
        for k, line in enumerate(lines):
            c.drawString(min(x + 2, right - 110), row_y + 8 - k * 7.5, line)
    legend_x = left
    c.setFont(REGULAR, 7)
    for k, cat in enumerate(categories):
        c.setFillColor(PALETTE[k % len(PALETTE)])
        c.circle(legend_x + 3, axis_y - 22, 3, stroke=0, fill=1)
        c.setFillColor(black)
        c.drawString(legend_x + 9, axis_y - 24.5, cat or "other")
        legend_x += 12 + pdfmetrics.stringWidth(cat or "other", REGULAR, 7) + 10
    page.y -= height


def draw_table(page: Page, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A ruled table: wrapped cells, header repeated on each page it spans."""
    c = page.c
    size, leading = 7.5, 9.5

    def draw_row(cells: list[str], font: str) -> None:
        wrapped = [
            simpleSplit(cell, font, size, w - 4) for cell, w in zip(cells, widths, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * leading + 4
        if page.y - height < 24 * mm:
            page.new_page()
            if font != BOLD:
                draw_row(header, BOLD)
        c.setFont(font, size)
        x = MARGIN
        for lines, w in zip(wrapped, widths, strict=True):
            for k, line in enumerate(lines):
                c.drawString(x + 2, page.y - size - 1 - k * leading, line)
            x += w
        page.y -= height
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(MARGIN, page.y, MARGIN + sum(widths), page.y)

    draw_row(header, BOLD)
    for row in rows:
        draw_row(row, REGULAR)
    page.y -= 8


def draw_body(page: Page, body: str, numbers: dict[str, int]) -> None:
    """Paragraphs split at blank lines; ``- `` and ``1. `` lines as list items."""
    for block in re.split(r"\n\s*\n", body.strip()):
        for line in block.splitlines() if re.match(r"\s*(- |\d+\. )", block) else [block]:
            item = re.match(r"\s*(- |(\d+)\. )(.*)", line)
            if item:
                bullet = "•" if item[1] == "- " else f"{item[2]}."
                page.text(plain(item[3], numbers), indent=14, bullet=bullet, after=1)
            else:
                page.text(plain(" ".join(line.split()), numbers), after=5)


def draw_document(doc: dict[str, Any], out: Path) -> int:
    """Draw one briefing source onto a canvas and save it; the number of pages."""
    size = letter if str(doc.get("page_size", "A4")).lower() == "letter" else A4
    numbers = {str(s["id"]): i for i, s in enumerate(doc.get("sources") or [], 1)}
    canv = Canvas(str(out), pagesize=size, invariant=1, initialFontName=REGULAR, initialFontSize=10)
    canv.setTitle(plain(doc.get("title", ""), numbers))
    canv.setAuthor(str(doc.get("organization") or ""))
    page = Page(canv, size, doc)
    page.text(plain(doc["title"], numbers), BOLD, 20, after=4)
    if doc.get("subtitle"):
        page.text(plain(doc["subtitle"], numbers), REGULAR, 12, after=2)
    authors = ", ".join(str(a) for a in doc.get("authors") or [])
    page.text(f"As of {doc.get('as_of')} · By {authors}", ITALIC, 8.5, after=8)

    page.heading("Bottom line up front")
    for item in doc.get("summary") or []:
        page.text(plain(item, numbers), indent=12, bullet="■", after=2)
    if doc.get("key_facts"):
        page.heading("Key facts")
        for fact in doc["key_facts"]:
            page.text(plain(fact["label"], numbers), BOLD, 8.5, after=0)
            page.text(plain(fact["value"], numbers), REGULAR, 9, indent=8, after=3)
    m = doc.get("map")
    if m:
        page.heading(plain(m.get("title") or "Map", numbers))
        page.need(60 * mm)
        page.c.setStrokeColor(RULE)
        page.c.rect(MARGIN, page.y - 50 * mm, page.frame, 50 * mm, stroke=1, fill=0)
        page.y -= 6
        page.text(plain(m.get("region") or "", numbers), BOLD, 10, indent=6)
        places = "; ".join(
            f"{p['name']} ({p['lat']:.2f}, {p['lon']:.2f})" for p in m.get("places") or []
        )
        page.text(f"Places: {places}. Map to follow.", REGULAR, 8, indent=6)
        page.y -= 50 * mm - 40
        if m.get("caption"):
            page.text(plain(m["caption"], numbers), ITALIC, 8)

    timeline = doc.get("timeline")
    if timeline:
        page.new_page()
        draw_timeline(page, timeline, numbers)
        page.heading("Chronology")
        rows = [
            [
                str(e["date"]) + (f" – {e['end']}" if e.get("end") is not None else ""),
                plain(e["label"], numbers),
                plain(e.get("detail") or "", numbers),
                str(e.get("category") or ""),
            ]
            for e in timeline.get("events") or []
        ]
        f = page.frame
        draw_table(
            page, ["Date", "Event", "Detail", "Type"], rows, [0.16 * f, 0.3 * f, 0.42 * f, 0.12 * f]
        )
    actors = doc.get("actors") or []
    if actors:
        page.heading("Actors")
        columns = ["name", "type", "role", "alignment", "ties", "notes"]
        rows = []
        for a in actors:
            ties = a.get("ties") or []
            a = {**a, "ties": ", ".join(ties) if isinstance(ties, list) else ties}
            rows.append([plain(a.get(k) or "", numbers) for k in columns])
        f = page.frame
        widths = [0.17 * f, 0.12 * f, 0.15 * f, 0.17 * f, 0.15 * f, 0.24 * f]
        draw_table(page, [k.capitalize() for k in columns], rows, widths)
    for i, section in enumerate(doc.get("sections") or [], 1):
        page.heading(f"{i}. {plain(section['heading'], numbers)}")
        draw_body(page, str(section["body"]), numbers)
        for sub in section.get("sections") or []:
            page.text(plain(sub["heading"], numbers), BOLD, 10.5, after=2)
            draw_body(page, str(sub["body"]), numbers)
    if doc.get("sources"):
        page.heading("Sources")
        for n, s in enumerate(doc["sources"], 1):
            parts = [s.get("publisher"), plain(s["title"], numbers), s.get("date")]
            entry = ", ".join(str(p) for p in parts if p) + "."
            if s.get("url"):
                entry += f" {s['url']}"
            if s.get("note"):
                entry += f" {s['note']}"
            page.text(entry, REGULAR, 8, indent=16, bullet=f"[{n}]", after=2)
    canv.save()
    return page.number


def outputs(out: Path, count: int) -> Iterator[Path]:
    """``out`` itself for one document, else ``out-000.pdf`` … for each of ``count``."""
    if count == 1:
        yield out
        return
    for i in range(count):
        yield out.with_name(f"{out.stem}-{i:03d}{out.suffix or '.pdf'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output PDF (with --count: the name pattern)")
    parser.add_argument(
        "sources", nargs="*", type=Path, help="source YAML files (default: the example)"
    )
    parser.add_argument("--count", type=int, default=1, help="documents to draw in this process")
    args = parser.parse_intermixed_args(argv)
    sources = args.sources or [EXAMPLE]
    register_fonts()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pages = 0
    for i, path in enumerate(outputs(args.out, args.count)):
        with open(sources[i % len(sources)], encoding="utf-8") as f:
            doc = yaml.load(f, Loader=_LOADER)  # the (C)SafeLoader: no objects built
        pages += draw_document(doc, path)
    print(f"floor: {args.count} document(s), {pages} page(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
