"""Verifying what is on disk: a source, its manifest entry and its PDF in the output folder.

Why: a distribution step sends ``dist/`` as it is, so ``verify`` checks the files
it would send: that the PDF is the one the manifest records, that it was built
from the source as it is now (else there is nothing to compare), and then its
content against the source.
"""

from __future__ import annotations

from pathlib import Path

from briefing.errors import SourceError, SourceInvalid, Span, display_path
from briefing.publish import manifest
from briefing.publish.fsutil import sha256_bytes, sha256_file
from briefing.publish.verify import VerifyResult, verify_pdf


def source_for_pdf(pdf: Path, root: Path) -> Path | None:
    """The source a PDF was built from, by the manifest of the PDF's folder."""
    for entry in manifest.read(pdf.parent).values():
        if entry.output == pdf.name:
            return root / entry.source
    return None


def verify_one(path: Path, *, root: Path, out: Path) -> VerifyResult:
    """Check the PDF built from ``path`` in ``out``; never raises on bad input."""
    from briefing.source.load import load

    display = display_path(path, root)

    def failed(output: str | None, message: str, code: str) -> VerifyResult:
        return VerifyResult(
            display, output, (SourceError(Span(display, 1, 1), "", message, code=code),)
        )

    where = display_path(out / manifest.MANIFEST_NAME, root)
    entries, unusable = manifest.read_checked(out, where)
    entry = entries.get(display)
    if entry is None or entry.sha256 is None:
        why = "has no PDF of it"
        if unusable and not entries:  # the whole file is unusable: say why, not "no PDF"
            why = unusable[0].message.split("; every source is rebuilt")[0]
        return failed(None, f"{where} {why}: build it", "not-built")
    pdf_path = out / entry.output
    name = display_path(pdf_path, root)
    try:
        data = pdf_path.read_bytes()
    except OSError as exc:
        return failed(name, f"cannot read {name}: {exc.strerror or exc}", "unreadable")
    if sha256_bytes(data) != entry.sha256:
        message = f"{name} is not the PDF the manifest records (changed after the build): build it"
        return failed(name, message, "pdf-changed")
    try:
        current = sha256_file(path)
    except OSError as exc:
        return failed(name, f"cannot read the source: {exc.strerror or exc}", "unreadable")
    if entry.inputs.source != current:
        return failed(name, f"{name} is older than {display}: build it", "out-of-date")
    try:
        briefing = load(path, root=root)
    except SourceInvalid as exc:
        return VerifyResult(display, name, tuple(exc.errors))
    problems = verify_pdf(briefing, data, name=name, pages=entry.pages)
    return VerifyResult(display, name, tuple(problems), pages=entry.pages)
