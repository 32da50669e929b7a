"""Helpers for tests that open PDFs: text, fonts, links, images, outline."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import IndirectObject

BASE14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def reader(pdf: bytes | Path) -> PdfReader:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return PdfReader(BytesIO(data))


def squash(text: str) -> str:
    """Text with all white space removed: line breaks in the PDF fall anywhere."""
    return re.sub(r"\s+", "", text)


def page_texts(r: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in r.pages]


def all_text(r: PdfReader) -> str:
    return "\n".join(page_texts(r))


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def fonts(r: PdfReader) -> dict[str, dict]:
    """Every font used on any page (also inside form XObjects): BaseFont → font dict."""
    found: dict[str, dict] = {}

    def walk(resources) -> None:
        resources = _resolve(resources) or {}
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            found[str(font.get("/BaseFont"))] = font
        for xobj in (_resolve(resources.get("/XObject")) or {}).values():
            xobj = _resolve(xobj)
            if xobj.get("/Subtype") == "/Form":
                walk(xobj.get("/Resources"))

    for page in r.pages:
        walk(page.get("/Resources"))
    return found


def embedded(font: dict) -> bool:
    """A TrueType font with its font file embedded (directly or via descendant fonts)."""
    descriptor = _resolve(font.get("/FontDescriptor"))
    if descriptor is None and "/DescendantFonts" in font:
        descendant = _resolve(_resolve(font["/DescendantFonts"])[0])
        descriptor = _resolve(descendant.get("/FontDescriptor"))
    return descriptor is not None and any(
        k in descriptor for k in ("/FontFile2", "/FontFile", "/FontFile3")
    )


def raster_images(r: PdfReader, page_index: int) -> int:
    """Number of image XObjects drawn on a page (including nested forms)."""
    count = 0

    def walk(resources) -> None:
        nonlocal count
        resources = _resolve(resources) or {}
        for xobj in (_resolve(resources.get("/XObject")) or {}).values():
            xobj = _resolve(xobj)
            if xobj.get("/Subtype") == "/Image":
                count += 1
            elif xobj.get("/Subtype") == "/Form":
                walk(xobj.get("/Resources"))

    walk(r.pages[page_index].get("/Resources"))
    return count


def links(r: PdfReader) -> tuple[list[str], list[str]]:
    """(URIs, internal destination names) of every link annotation."""
    uris: list[str] = []
    internal: list[str] = []
    for page in r.pages:
        for annot in _resolve(page.get("/Annots")) or []:
            annot = _resolve(annot)
            if annot.get("/Subtype") != "/Link":
                continue
            action = _resolve(annot.get("/A"))
            if action is not None and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
            elif action is not None and action.get("/S") == "/GoTo":
                internal.append(str(action.get("/D")))
            elif "/Dest" in annot:
                internal.append(str(annot["/Dest"]))
    return uris, internal


def outline_titles(r: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(r.outline)
    return titles
