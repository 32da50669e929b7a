"""Small flowables of our own: headings that bookmark themselves, the map panel.

Why: the document template recognises ``Heading`` by class (not by style name or
``hash()``), so outline entries have stable keys; the map panel reserves the
same box whether or not the map image exists yet, so the layout does not move
when the map arrives.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import FragLine, ParagraphStyle

from briefing.render.pdf.breaking import install as install_breaking
from briefing.render.pdf.fontruns import split_frags
from briefing.render.pdf.paralines import order_lines
from briefing.render.pdf.styles import ACCENT, BOLD, MUTED, PANEL, REGULAR, RULE
from briefing.render.pdf.textpath import fit_text, measure, visual
from briefing.render.pdf.xmltext import escape

install_breaking()  # long URLs and tokens wrap inside the frame (see breaking.py)

_REGION_STYLE = ParagraphStyle("map-region", fontName=BOLD, fontSize=9, leading=11, textColor=MUTED)


class Para(Paragraph):
    """A Paragraph that does not re-break its lines when wrapped again at the same width.

    Why: a table wraps every cell to size its rows, again to draw it, and again
    when it splits; line breaking is a fifth of a briefing's render time.
    ``Paragraph.wrap`` depends only on the width, so the last result is reused.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        parsed = frags is None
        super()._setup(text, style, bulletText, frags, cleaner)
        if parsed:
            self.frags = split_frags(merge_frags(self.frags))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # split() may drop the line breaks (``del self.blPara``): then break again
        cached = self._wrapped
        if cached is not None and cached[0] == avail_width and "blPara" in self.__dict__:
            return cached[1]
        kept = self._split_lines(avail_width)
        if kept is not None:
            self.blPara = kept
            self.width = avail_width
            self.height = len(kept.lines) * self.style.leading
            size = (avail_width, self.height)
        else:
            size = super().wrap(avail_width, avail_height)
        self._wrapped = (avail_width, size)
        return size

    def _split_lines(self, avail_width: float) -> Any:
        """The lines of the first part of a split, kept as they were broken.

        Why: ReportLab's ``split`` hands its first part the lines that fit, then that part
        re-breaks its text when wrapped; with long tokens split inside (URLs, ``a-a-a…``)
        the second breaking can take one line more, the part no longer fits where it was
        measured, and the build fails with "Splitting error". Kept lines cannot grow.
        """
        preset = self.__dict__.get("blPara")
        if not getattr(self, "_splitpara", 0) or preset is None:
            return None
        if getattr(preset, "aW", None) != avail_width or getattr(self.style, "autoLeading", ""):
            return None
        lines = preset.lines
        if all(isinstance(line, FragLine) for line in lines):
            return preset
        if self.frags and all(isinstance(line, tuple) for line in lines):  # one style
            frag = self.frags[0]
            ascent, descent = getAscentDescent(frag.fontName, frag.fontSize)
            return frag.clone(
                kind=0, lines=list(lines), ascent=ascent, descent=descent, fontSize=frag.fontSize
            )
        return None

    def drawPara(self, debug: int = 0) -> None:
        """Draw the broken lines in visual order (UAX #9: levels per paragraph, order per
        line, after line breaking)."""
        logical = self.blPara
        ordered = order_lines(logical, self.frags)
        if ordered is None:
            super().drawPara(debug)
            return
        self.blPara = ordered
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical


#: Fragment attributes that make a fragment more than styled text.
_SPECIAL = frozenset({"cbDefn", "lineBreak", "_selfClosingTag"})


def _mergeable(a: Any, b: Any) -> bool:
    da, db = a.__dict__, b.__dict__
    if type(a) is not type(b) or not isinstance(da.get("text"), str):
        return False
    if not isinstance(db.get("text"), str) or _SPECIAL & (da.keys() | db.keys()):
        return False
    keys = (da.keys() | db.keys()) - {"text"}
    return all(da.get(k) == db.get(k) for k in keys)


def merge_frags(frags: list[Any]) -> list[Any]:
    """Join neighbouring fragments of the same style into one.

    Why: ReportLab's parser makes a fragment of every entity, so ``a & b`` escaped
    is three fragments and a long text full of ``&``, ``<`` or ``>`` is tens of
    thousands; line breaking then costs far more per character than for plain
    text. Joined, the same text breaks into the same lines, at plain-text cost.
    """
    out: list[Any] = []
    texts: list[str] = []
    for frag in frags:
        if out and _mergeable(out[-1], frag):
            texts.append(frag.text)
            continue
        if len(texts) > 1:
            out[-1] = out[-1].clone(text="".join(texts))
        out.append(frag)
        texts = [frag.text] if isinstance(getattr(frag, "text", None), str) else []
    if len(texts) > 1:
        out[-1] = out[-1].clone(text="".join(texts))
    return out


class Heading(Para):
    """A section heading: a Paragraph that also knows its outline key, level and plain text."""

    def __init__(
        self,
        markup: str | None,
        style: ParagraphStyle,
        *args: Any,
        key: str = "",
        level: int = 0,
        plain: str = "",
        **kwargs: Any,
    ) -> None:
        # ReportLab's split() makes the parts with ``self.__class__(None, style, frags=…)``
        super().__init__(markup, style, *args, **kwargs)
        self.key = key
        self.level = level
        self.plain = plain

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """An absurdly long heading may split; only its first part is bookmarked."""
        parts = super().split(avail_width, avail_height)
        if parts and isinstance(parts[0], Heading):
            parts[0].key, parts[0].level, parts[0].plain = self.key, self.level, self.plain
        return parts


class Anchor(Flowable):
    """An invisible outline entry, for headings drawn inside tables (which the document
    template's ``afterFlowable`` never sees) such as the boxed bottom line up front."""

    def __init__(self, *, key: str, level: int, plain: str) -> None:
        super().__init__()
        self.key = key
        self.level = level
        self.plain = plain

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class PlaceMark:
    name: str
    lat: float
    lon: float


class MapBox(Flowable):
    """The map panel's fixed box: the image scaled to fit, or a labelled placeholder.

    The placeholder shows the region, the places at their relative positions
    (equirectangular, padded) and "Map to follow", inside a frame the size the map
    will take.
    """

    def __init__(
        self,
        width: float,
        height: float,
        *,
        region: str,
        places: tuple[PlaceMark, ...],
        image: bytes | None,
        drawing: Any = None,
    ) -> None:
        super().__init__()
        self.drawing = drawing  # a maps.MapDrawing: the drawn map, or places on the image
        self.width = width
        self.height = height
        self.region = region
        self.places = places
        self.image = image

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        if self.drawing is not None:
            self._draw_map()
        elif self.image is not None:
            self._draw_image()
        else:
            self._draw_placeholder()
        canv.restoreState()

    def _draw_map(self) -> None:
        from briefing.render.pdf.drawing import paint_ops

        box = self.drawing.image_box
        if box is not None and self.image is not None:
            reader = ImageReader(io.BytesIO(self.image))
            w, h = box.x1 - box.x0, box.y1 - box.y0
            self.canv.drawImage(reader, box.x0, box.y0, w, h, mask="auto")
        paint_ops(self.canv, self.drawing)

    def _draw_image(self) -> None:
        reader = ImageReader(io.BytesIO(self.image or b""))
        iw, ih = reader.getSize()
        scale = min(self.width / iw, self.height / ih)
        w, h = iw * scale, ih * scale
        self.canv.drawImage(reader, (self.width - w) / 2, (self.height - h) / 2, w, h, mask="auto")

    def _draw_placeholder(self) -> None:
        canv = self.canv
        w, h = self.width, self.height
        canv.setFillColor(PANEL)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.8)
        canv.setDash(4, 3)
        canv.rect(0, 0, w, h, stroke=1, fill=1)
        canv.setDash()
        canv.setFillColor(MUTED)
        canv.setFont(BOLD, 7.5)
        canv.drawRightString(w - 10, h - 15, "MAP TO FOLLOW")
        region = Para(escape(self.region), _REGION_STYLE)
        _, rh = region.wrap(w - 110, h / 3)
        if rh > h / 3:  # absurdly long: the caption prints it in full (front.REGION_IN_CAPTION)
            region = Para(escape(fit_text(self.region, BOLD, 9, (w - 110) * 3)), _REGION_STYLE)
            _, rh = region.wrap(w - 110, h / 3)
        region.drawOn(canv, 10, h - 8 - rh)
        canv.setFillColor(MUTED)
        canv.setFont(REGULAR, 6.5)
        canv.drawString(10, 8, "Placeholder: places at their relative positions, not a map.")
        self._draw_places(10, 22, w - 20, h - 30 - rh - 12)

    def _draw_places(self, x0: float, y0: float, w: float, h: float) -> None:
        """Dots at equirectangular positions with non-overlapping name labels."""
        if not self.places:
            return
        canv = self.canv
        lats = [p.lat for p in self.places]
        lons = [p.lon for p in self.places]
        lat_span = max(max(lats) - min(lats), 0.5)
        lon_span = max(max(lons) - min(lons), 0.5)
        # keep the aspect: a degree of longitude is narrower by cos(latitude)
        import math

        mid = math.radians((max(lats) + min(lats)) / 2)
        sx = w * 0.8 / (lon_span * max(math.cos(mid), 0.2))
        sy = h * 0.75 / lat_span
        s = min(sx, sy)
        cx = x0 + w / 2
        cy = y0 + h / 2
        lon_c = (max(lons) + min(lons)) / 2
        lat_c = (max(lats) + min(lats)) / 2
        placed: list[tuple[float, float, float, float]] = []
        size = 7.5
        points = []
        for p in self.places:
            px = cx + (p.lon - lon_c) * s * max(math.cos(mid), 0.2)
            py = cy + (p.lat - lat_c) * s
            points.append((p, px, py))
            placed.append((px - 2.5, py - 2.5, px + 2.5, py + 2.5))
        canv.setFillColor(ACCENT)
        canv.setStrokeColor(colors.white)
        canv.setLineWidth(0.6)
        for _, px, py in points:
            canv.circle(px, py, 2.6, stroke=1, fill=1)
        canv.setFont(REGULAR, size)
        canv.setFillColor(colors.HexColor("#333333"))
        for p, px, py in points:
            name = fit_text(p.name, REGULAR, size, w / 3)
            tw = measure(name, REGULAR, size)
            for dx, dy in ((5, -2.5), (-5 - tw, -2.5), (-tw / 2, 5), (-tw / 2, -11)):
                box = (px + dx, py + dy - 1, px + dx + tw, py + dy + size)
                inside = box[0] >= x0 and box[2] <= x0 + w and box[1] >= y0 and box[3] <= y0 + h
                if inside and not any(_overlap(box, other) for other in placed):
                    placed.append(box)
                    canv.drawString(px + dx, py + dy, visual(name, REGULAR, size))
                    break


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def map_drawing(
    m: Any, inputs: Any, width: float, height: float, image: bytes | None
) -> object | None:
    """The drawn map (or places on the image) for a panel of this size, via ``inputs.maps``."""
    if inputs.maps is None:
        return None
    size = ImageReader(io.BytesIO(image)).getSize() if image is not None else None
    return inputs.maps(m, width, height, size)
