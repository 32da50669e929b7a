"""How the tiny test fonts here were made (run by hand; the tests never run it).

Why: the tests need real fonts for Chinese/Korean, Devanagari and Ethiopic, but a full
CJK font is 20 MB. These are subsets of Debian's OFL-licensed Noto fonts
(``apt-get download fonts-noto-core fonts-noto-cjk``, then ``dpkg-deb -x``) holding only
the characters the tests print. Noto Sans CJK ships with CFF outlines only, which
ReportLab cannot embed, so its subset is converted to TrueType (``glyf``) outlines
here (quadratic curves via fontTools' cu2qu); the CFF subset is kept too, as the font
that must be refused. Usage: ``python make_subsets.py /path/to/extracted/debs``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).parent
# every character a test or the sample prints in these scripts
CJK = (
    "台湾海峡局势紧张中华民国国防部表示解放军舰机持续在周边活动北京上海"
    "外交东京日本大韩民国平壤台北新总统选举서울대한민국국방부북한평양，。、「」：（）"
)
DEVANAGARI = "भारत नई दिल्ली प्रधानमंत्री मुंबई रक्षा मंत्रालय।"
ETHIOPIC = "ኢትዮጵያ አዲስ አበባ ጠቅላይ ሚኒስትር ትግራይ።"


def _subset(font: TTFont, text: str) -> TTFont:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["DSIG"]
    sub = subset.Subsetter(options)
    sub.populate(text=text + " ")
    sub.subset(font)
    return font


def _to_truetype(font: TTFont) -> TTFont:
    """CFF outlines → TrueType quadratic ``glyf`` outlines (the otf2ttf recipe)."""
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in [
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ]:
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font["post"].glyphOrder = None
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    return font


def main(debs: Path) -> None:
    noto = debs / "usr/share/fonts/truetype/noto"
    cjk = TTCollection(debs / "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").fonts[2]
    _subset(cjk, CJK)
    cjk.save(HERE / "NotoSansCJKsc-subset-cff.otf")
    converted = _to_truetype(TTFont(HERE / "NotoSansCJKsc-subset-cff.otf"))
    converted.save(HERE / "NotoSansCJKsc-subset.ttf")
    for name, text in (
        ("NotoSansDevanagari-Regular", DEVANAGARI),
        ("NotoSansDevanagari-Bold", DEVANAGARI),
        ("NotoSansEthiopic-Regular", ETHIOPIC),
    ):
        font = _subset(TTFont(noto / f"{name}.ttf"), text)
        font.save(HERE / f"{name}.ttf")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
