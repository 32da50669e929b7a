"""Controlled copies: the installed PDF with a stamp laid over every page, in about a millisecond.

Why: twenty readers must not cost twenty renders, and copies of one edition
must differ only in their stamp. The installed PDF is parsed once (pypdf) for
its object offsets, pages and metadata; each copy is then assembled from
bytes: every object of the original verbatim except the page dictionaries
(which gain two content streams and one Form XObject, the stamp) and the
document information (which gains the copy's id and holder), followed by the
stamp's objects and a fresh cross-reference table. It is a single revision,
not an appended update, so cutting the file short does not remove the stamp.
The output is a function of the input bytes and the stamps only.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

FORM = NameObject("/BriefingCopy")
#: Document-information keys of a copy (``briefing trace`` reads them back).
META_ID, META_COPY, META_FOR, META_ITEM, META_EDITION = (
    "/BriefingCopyId",
    "/BriefingCopy",
    "/BriefingFor",
    "/BriefingItem",
    "/BriefingEdition",
)
_OPEN = b"q\n"
_CLOSE = b"Q\nq\n/BriefingCopy Do\nQ\n"


class PdfEditError(Exception):
    """The PDF cannot be stamped (it is not one this tool wrote or can normalise)."""


def _serialize(obj: PdfObject) -> bytes:
    buffer = io.BytesIO()
    obj.write_to_stream(buffer)
    return buffer.getvalue()


def _remap(obj: PdfObject, mapping: dict[int, int]) -> PdfObject:
    """A copy of ``obj`` whose references point at ``mapping``'s new object numbers."""
    if isinstance(obj, IndirectObject):
        return IndirectObject(mapping[obj.idnum], 0, None)  # type: ignore[arg-type]
    if isinstance(obj, StreamObject):
        stream = StreamObject()
        for key, value in obj.items():
            if key != "/Length":
                stream[NameObject(key)] = _remap(value, mapping)
        stream._data = obj._data
        return stream
    if isinstance(obj, DictionaryObject):
        return DictionaryObject({NameObject(k): _remap(v, mapping) for k, v in obj.items()})
    if isinstance(obj, ArrayObject):
        return ArrayObject(_remap(v, mapping) for v in obj)
    return obj


def _reachable(start: PdfObject, reader: PdfReader) -> list[int]:
    """Object numbers reachable from ``start`` (fonts, descriptors, font files), in order."""
    seen: list[int] = []
    todo = [start]
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.append(obj.idnum)
            todo.append(reader.get_object(obj))
        elif isinstance(obj, DictionaryObject):
            todo.extend(v for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)
    return sorted(seen)


def _classic(pdf: bytes) -> bytes:
    """The PDF with a classic cross-reference table (ReportLab's and pypdf's own output are)."""
    at = pdf.rfind(b"startxref")
    match = re.match(rb"startxref\s+(\d+)", pdf[at:]) if at >= 0 else None
    if match and pdf[int(match[1]) :].startswith(b"xref"):
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class CopyInfo:
    """What one copy's stamp and metadata say."""

    copy_id: str
    number: int
    total: int
    holder: str  # "Name, Organization"
    item: str
    edition: int

    def stamp(self) -> tuple[str, str, str]:
        """The footer line in three parts; only the holder may be shortened to fit."""
        return (
            f"Copy {self.number} of {self.total} · For ",
            self.holder,
            f" · Copy ID {self.copy_id}",
        )


class Stamper:
    """One installed PDF, parsed once; ``copies`` makes any number of stamped copies of it."""

    def __init__(self, pdf: bytes) -> None:
        pdf = _classic(pdf)
        try:
            reader = PdfReader(io.BytesIO(pdf))
            offsets = dict(reader.xref.get(0, {}))
            pages = list(reader.pages)
        except Exception as exc:  # pypdf raises many kinds for a damaged file
            raise PdfEditError(f"cannot read the PDF: {exc}") from exc
        if not pages or any(p.indirect_reference is None for p in pages):
            raise PdfEditError("the PDF has no pages to stamp")
        self.reader = reader
        self.pdf = pdf
        self.size = int(reader.trailer["/Size"])  # type: ignore[call-overload]
        at = pdf.rfind(b"startxref")
        end = int(re.match(rb"startxref\s+(\d+)", pdf[at:])[1])  # type: ignore[index]
        order = sorted(offsets.items(), key=lambda item: item[1])
        self.head = pdf[: order[0][1]]
        self.bodies: dict[int, bytes] = {}
        for (num, start), nxt in zip(order, [*order[1:], (None, end)], strict=True):
            self.bodies[num] = pdf[start : nxt[1]]
        self.pages = pages
        self.sizes: list[tuple[float, float]] = []
        for page in pages:
            box = page.mediabox
            size = (round(float(box.width), 2), round(float(box.height), 2))
            if size not in self.sizes:
                self.sizes.append(size)
        root = reader.trailer.raw_get("/Root")
        info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
        self.root_ref = _serialize(root)
        self.info_num = info.idnum if isinstance(info, IndirectObject) else None
        self.info = (
            DictionaryObject(reader.trailer["/Info"].get_object()) if info else DictionaryObject()
        )
        ids = reader.trailer.get("/ID")
        first = ids[0] if ids else None
        if isinstance(first, TextStringObject):
            first = first.original_bytes
        self.first_id = bytes(first) if isinstance(first, bytes) else hashlib.md5(pdf).digest()

    def copies(self, infos: list[CopyInfo], wanted: set[str] | None = None) -> dict[str, bytes]:
        """The stamped copies by copy id (only ``wanted`` ones, if given).

        One overlay is drawn for all ``infos``, so the font subset, and with it every
        copy's bytes, depends on the whole set of copies of the edition, not on which
        of them a run happens to make.
        """
        from briefing.render.pdf.stamp import stamp_overlay

        overlay = PdfReader(io.BytesIO(stamp_overlay([i.stamp() for i in infos], self.sizes)))
        first = overlay.pages[0]
        fonts = first["/Resources"]["/Font"]  # type: ignore[index]
        font_nums = _reachable(fonts, overlay)
        n = self.size
        q_num, close_num = n, n + 1
        form_nums = {size: n + 2 + i for i, size in enumerate(self.sizes)}
        mapping = {old: n + 2 + len(self.sizes) + i for i, old in enumerate(font_nums)}
        next_num = n + 2 + len(self.sizes) + len(font_nums)
        info_num = self.info_num if self.info_num is not None else next_num
        total = max(next_num + (self.info_num is None), n)
        shared: dict[int, bytes] = {
            q_num: _stream(b"", _OPEN),
            close_num: _stream(b"", _CLOSE),
        }
        for old in font_nums:
            shared[mapping[old]] = _serialize(_remap(overlay.get_object(old), mapping))  # type: ignore[arg-type]
        fonts_ref = _serialize(_remap(fonts, mapping))
        pages = {
            p.indirect_reference.idnum: self._page(p, q_num, close_num, form_nums)
            for p in self.pages
        }  # type: ignore[union-attr]
        out: dict[str, bytes] = {}
        for k, info in enumerate(infos):
            if wanted is not None and info.copy_id not in wanted:
                continue
            objects = dict(self.bodies)
            for num, body in pages.items():
                objects[num] = _obj(num, body)
            for num, body in shared.items():
                objects[num] = _obj(num, body)
            for j, size in enumerate(self.sizes):
                page = overlay.pages[k * len(self.sizes) + j]
                content = page.get_contents()
                data = content.get_data() if content is not None else b""
                head = (
                    (
                        f"/Type /XObject /Subtype /Form /BBox [0 0 {size[0]} {size[1]}] "
                        f"/Resources << /Font "
                    ).encode()
                    + fonts_ref
                    + b" /ProcSet [/PDF /Text] >>"
                )
                objects[form_nums[size]] = _obj(form_nums[size], _stream(head, data))
            objects[info_num] = _obj(info_num, self._info(info))
            out[info.copy_id] = self._assemble(objects, total, info_num, info.copy_id)
        return out

    def _page(
        self,
        page: DictionaryObject,
        q_num: int,
        close_num: int,
        forms: dict[tuple[float, float], int],
    ) -> bytes:
        new = DictionaryObject({NameObject(k): v for k, v in page.items()})
        contents = page.get("/Contents")
        parts: list[PdfObject] = [IndirectObject(q_num, 0, None)]  # type: ignore[arg-type]
        if isinstance(contents, ArrayObject):
            parts.extend(contents)
        elif isinstance(contents, IndirectObject):
            resolved = contents.get_object()
            parts.extend(resolved if isinstance(resolved, ArrayObject) else [contents])
        elif contents is not None:
            raise PdfEditError("a page holds its content directly; cannot stamp it")
        parts.append(IndirectObject(close_num, 0, None))  # type: ignore[arg-type]
        new[NameObject("/Contents")] = ArrayObject(parts)
        resources = _inherited(page, "/Resources")
        resources = (
            DictionaryObject(resources.get_object())
            if resources is not None
            else DictionaryObject()
        )
        xobjects = resources.get("/XObject")
        xobjects = (
            DictionaryObject(xobjects.get_object()) if xobjects is not None else DictionaryObject()
        )
        box = page.mediabox
        size = (round(float(box.width), 2), round(float(box.height), 2))
        xobjects[FORM] = IndirectObject(forms[size], 0, None)  # type: ignore[arg-type]
        resources[NameObject("/XObject")] = xobjects
        new[NameObject("/Resources")] = resources
        return _serialize(new)

    def _info(self, info: CopyInfo) -> bytes:
        meta = DictionaryObject(self.info)
        for key, value in (
            (META_ID, info.copy_id),
            (META_COPY, f"{info.number} of {info.total}"),
            (META_FOR, info.holder),
            (META_ITEM, info.item),
            (META_EDITION, str(info.edition)),
        ):
            meta[NameObject(key)] = TextStringObject(value)
        return _serialize(meta)

    def _assemble(
        self, objects: dict[int, bytes], total: int, info_num: int, copy_id: str
    ) -> bytes:
        out = io.BytesIO()
        out.write(self.head)
        offsets: dict[int, int] = {}
        for num in sorted(objects):
            offsets[num] = out.tell()
            out.write(objects[num])
        xref = out.tell()
        lines = [f"xref\n0 {total}\n".encode(), b"0000000000 65535 f \n"]
        lines += [
            f"{offsets[num]:010d} 00000 n \n".encode()
            if num in offsets
            else b"0000000000 65535 f \n"
            for num in range(1, total)
        ]
        out.write(b"".join(lines))
        second = ByteStringObject(hashlib.md5(copy_id.encode()).digest())
        ids = _serialize(ArrayObject([ByteStringObject(self.first_id), second]))
        out.write(
            b"trailer\n<< /Size %d /Root %s /Info %d 0 R /ID %s >>\nstartxref\n%d\n%%%%EOF\n"
            % (total, self.root_ref, info_num, ids, xref)
        )
        return out.getvalue()


def _inherited(page: DictionaryObject, key: str) -> PdfObject | None:
    node: PdfObject | None = page
    while isinstance(node, DictionaryObject):
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _stream(head: bytes, data: bytes) -> bytes:
    packed = zlib.compress(data, 6) if data else data
    flate = b" /Filter /FlateDecode" if data else b""
    return b"<< %s%s /Length %d >>\nstream\n%s\nendstream" % (head, flate, len(packed), packed)


def _obj(num: int, body: bytes) -> bytes:
    return b"%d 0 obj\n%s\nendobj\n" % (num, body)
