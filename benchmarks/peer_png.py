"""The peer: the usual way to build a briefing, platypus + a matplotlib PNG timeline.

Why: the floor is the least work; this is what one would write first (the "platypus +
matplotlib PNG (200 dpi)" row of the performance notes), so the table can show where
``briefing`` stands against it: ``yaml.safe_load``, platypus ``Paragraph``s and
``Table``s, the same DejaVu TTFs, and the timeline on a matplotlib ``Figure`` (no
pyplot) saved to PNG at 200 dpi and embedded as an ``Image``. No layout guarantees
(labels may overlap), no checks. Same command line as ``floor.py``; ``run.py`` runs it
the same way: ``peer_png.py OUT.pdf`` (the example) or ``OUT.pdf --count N SRC...``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from matplotlib import get_data_path
from matplotlib.figure import Figure
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

EXAMPLE = Path(__file__).resolve().parent.parent / "sources" / "nagorno-karabakh-2020.yaml"
FACES = REGULAR, BOLD, _, _ = [f"DejaVuSans{s}" for s in ("", "-Bold", "-Oblique", "-BoldOblique")]
ACCENT, RULE = HexColor("#1f3b5a"), HexColor("#b0b7c0")
MARGIN = 18 * mm
BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, spaceAfter=4)
TITLE = ParagraphStyle("title", BODY, fontName=BOLD, fontSize=20, leading=24)
HEAD = ParagraphStyle("head", BODY, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=8)
HEAD.textColor, HEAD.keepWithNext = ACCENT, 1
ITEM = ParagraphStyle("item", BODY, leftIndent=14, spaceAfter=2, bulletFontName=REGULAR)
SMALL = ParagraphStyle("small", BODY, fontSize=8, leading=10)
CELL = ParagraphStyle("cell", BODY, fontSize=7.5, leading=9.5, spaceAfter=0)


def register_fonts() -> None:
    """The four DejaVu faces matplotlib ships, as one family (for <b> and <i>)."""
    for name in FACES:
        pdfmetrics.registerFont(TTFont(name, f"{get_data_path()}/fonts/ttf/{name}.ttf"))
    pdfmetrics.registerFontFamily(REGULAR, *FACES)


def markup(text: object, numbers: dict[str, int]) -> str:
    """The Markdown subset as platypus markup: **bold**, *italic*, links, ``[@id]`` → [n]."""
    s = re.sub(r"\[@([\w-]+)\]", lambda m: f"[{numbers.get(m[1], '?')}]", escape(str(text)))
    s = re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r'<a href="\2">\1</a>', s)
    return re.sub(r"\*(.+?)\*", r"<i>\1</i>", re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s))


def year_of(value: object) -> float:
    if isinstance(value, dt.date):
        return value.year + (value.timetuple().tm_yday - 1) / 366
    parts = [int(p) for p in str(value).split("-")] + [1]
    return parts[0] + (parts[1] - 1) / 12


def when(event: dict[str, Any]) -> str:
    return f"{event['date']} – {event['end']}" if event.get("end") else str(event["date"])


def timeline_png(events: list[dict[str, Any]]) -> io.BytesIO:
    """Stems, span bars and labels on a year axis, a legend of categories; PNG at 200 dpi."""
    fig = Figure(figsize=(7.2, 3.6), layout="constrained")
    ax = fig.add_subplot()
    categories = list(dict.fromkeys(str(e.get("category") or "other") for e in events))
    for i, e in enumerate(events):
        colour = f"C{categories.index(str(e.get('category') or 'other')) % 10}"
        start = year_of(e["date"])
        end = year_of(e["end"]) if e.get("end") is not None else start
        level = (1 + i % 4) * (1 if i % 2 == 0 else -1)
        ax.vlines(start, 0, level, color=colour, linewidth=0.6)
        if end > start:
            ax.hlines(0, start, end, color=colour, linewidth=5)
        label = re.sub(r"\s*\[@[\w-]+\]|\*", "", str(e["label"]))
        ax.annotate(f"{e['date']}\n{label}", (start, level), fontsize=6, va="center")
    for k, cat in enumerate(categories):
        xs = [year_of(e["date"]) for e in events if str(e.get("category") or "other") == cat]
        ax.scatter(xs, [0] * len(xs), s=18, color=f"C{k % 10}", zorder=3, label=cat)
    ax.axhline(0, color="black", linewidth=1)
    ax.set_ylim(-5, 5)
    ax.yaxis.set_visible(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower left", fontsize=7, ncols=len(categories), frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200)
    buf.seek(0)
    return buf


def table(header: list[str], rows: list[list[Any]], widths: list[float], n: dict) -> Table:
    cells = [[Paragraph(f"<b>{h}</b>", CELL) for h in header]]
    cells += [[Paragraph(markup(c or "", n), CELL) for c in row] for row in rows]
    t = Table(cells, colWidths=widths, repeatRows=1)
    rules = [("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    t.setStyle(TableStyle([*rules, ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
    return t


def body(text: str, n: dict[str, int]) -> list[Paragraph]:
    """Paragraphs split at blank lines; ``- `` and ``1. `` lines as list items."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        for line in block.splitlines() if re.match(r"\s*(- |\d+\. )", block) else [block]:
            item = re.match(r"\s*(- |(\d+)\. )(.*)", line)
            if item:
                bullet = "•" if item[1] == "- " else f"{item[2]}."
                out.append(Paragraph(markup(item[3], n), ITEM, bulletText=bullet))
            else:
                out.append(Paragraph(markup(" ".join(line.split()), n), BODY))
    return out


def build(doc: dict[str, Any], out: Path) -> int:
    """One briefing source as a platypus document; the number of pages."""
    size = letter if str(doc.get("page_size", "A4")).lower() == "letter" else A4
    n = {str(s["id"]): i for i, s in enumerate(doc.get("sources") or [], 1)}
    frame = size[0] - 2 * MARGIN
    story: list[Any] = [Paragraph(markup(doc["title"], n), TITLE)]
    if doc.get("subtitle"):
        story.append(Paragraph(markup(doc["subtitle"], n), BODY))
    authors = ", ".join(map(str, doc.get("authors") or []))
    story.append(Paragraph(f"<i>As of {doc.get('as_of')} · By {escape(authors)}</i>", SMALL))
    story.append(Paragraph("Bottom line up front", HEAD))
    story += [Paragraph(markup(s, n), ITEM, bulletText="■") for s in doc.get("summary") or []]
    story.append(Paragraph("Key facts", HEAD))
    for f in doc.get("key_facts") or []:
        story.append(Paragraph(f"<b>{markup(f['label'], n)}:</b> {markup(f['value'], n)}", BODY))
    if m := doc.get("map"):
        story.append(Paragraph(markup(m.get("title") or "Map", n), HEAD))
        places = "; ".join(f"{p['name']} ({p['lat']:.2f}, {p['lon']:.2f})" for p in m["places"])
        story.append(Paragraph(f"<b>{markup(m['region'], n)}</b>. Places: {places}.", BODY))
        story.append(Paragraph(f"<i>{markup(m.get('caption') or '', n)}</i>", SMALL))
    if events := (doc.get("timeline") or {}).get("events"):
        story += [PageBreak(), Paragraph(markup(doc["timeline"].get("title"), n), HEAD)]
        story.append(Image(timeline_png(events), width=frame, height=frame * 0.5))
        story.append(Paragraph("Chronology", HEAD))
        rows = [[when(e), e["label"], e.get("detail"), e.get("category")] for e in events]
        widths = [f * frame for f in (0.16, 0.3, 0.42, 0.12)]
        story.append(table(["Date", "Event", "Detail", "Type"], rows, widths, n))
    if actors := doc.get("actors"):
        columns = ["name", "type", "role", "alignment", "ties", "notes"]
        rows = [[a.get(c) for c in columns] for a in actors]
        for row in rows:
            row[4] = ", ".join(row[4] or [])
        widths = [f * frame for f in (0.17, 0.12, 0.15, 0.17, 0.15, 0.24)]
        header = [c.capitalize() for c in columns]
        story += [Paragraph("Actors", HEAD), table(header, rows, widths, n)]
    for i, section in enumerate(doc.get("sections") or [], 1):
        story.append(Paragraph(f"{i}. {markup(section['heading'], n)}", HEAD))
        story += body(str(section["body"]), n)
        for sub in section.get("sections") or []:
            story.append(Paragraph(f"<b>{markup(sub['heading'], n)}</b>", BODY))
            story += body(str(sub["body"]), n)
    story.append(Paragraph("Sources", HEAD))
    for k, s in enumerate(doc.get("sources") or [], 1):
        parts = [s.get("publisher"), s["title"], s.get("date"), s.get("url"), s.get("note")]
        text = markup(", ".join(str(p) for p in parts if p), n)
        story.append(Paragraph(text, ITEM, bulletText=f"[{k}]"))

    def furniture(canv: Any, template: Any) -> None:
        """Marking banners at the top and bottom, "As of" and the page number."""
        canv.saveState()
        if marking := str(doc.get("marking") or ""):
            for y in (size[1] - 14 * mm, 9 * mm):
                canv.setFillColor(black)
                canv.rect(MARGIN, y, frame, 5 * mm, stroke=0, fill=1)
                canv.setFillColor(white)
                canv.setFont(BOLD, 9)
                canv.drawCentredString(size[0] / 2, y + 4, marking)
        canv.setFont(REGULAR, 8)
        canv.drawString(MARGIN, 17 * mm, f"As of {doc.get('as_of')}")
        canv.drawRightString(size[0] - MARGIN, 17 * mm, f"Page {template.page}")
        canv.restoreState()

    template = SimpleDocTemplate(
        str(out), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=22 * mm,
        bottomMargin=24 * mm, title=str(doc["title"]), author=str(doc.get("organization") or ""),
        invariant=1, initialFontName=REGULAR,
    )  # fmt: skip
    template.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return template.page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output PDF (with --count: the name pattern)")
    parser.add_argument("sources", nargs="*", type=Path, help="sources (default: the example)")
    parser.add_argument("--count", type=int, default=1, help="documents to build in this process")
    args = parser.parse_intermixed_args(argv)
    sources = args.sources or [EXAMPLE]
    register_fonts()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pages = 0
    for i in range(args.count):
        out = args.out if args.count == 1 else args.out.with_name(f"{args.out.stem}-{i:03d}.pdf")
        with open(sources[i % len(sources)], encoding="utf-8") as f:
            pages += build(yaml.safe_load(f), out)
    print(f"peer: {args.count} document(s), {pages} page(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
