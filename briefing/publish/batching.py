"""When a build writes the manifest: a few writes, and never one that describes a wrong file.

Why: the manifest used to be rewritten (serialised in full, fsynced) twice per installed
PDF, which grew with the number of briefings: 200 writes of a 100-entry manifest for a
build of 100. The rule it kept (issue 9: an entry always names a PDF that is on disk
with the recorded hash) only needs a write *before* a file that the manifest on disk
describes changes, and the new entries can follow in batches: until then a new PDF
simply has no entry, which the next build treats as "rebuild this source".

So ``Batches`` remembers what the manifest on disk says (``written``), which sources
are still being rebuilt (``pending``: their entries are kept out of ``briefings`` and
set aside under ``rebuilding``), and when the next batch is due (after the 1st, 2nd,
4th, 8th… install). ``_Run`` in ``build.py`` does the writing and the installing, in
this order for each PDF, so that a kill between any two steps is safe:

1. if the manifest on disk has an entry for this output with another hash, the manifest
   is written first without it, and without the entries of every source still pending
   (set aside), so the later installs of this build need no such write;
2. the PDF (atomically);
3. the edition record (the commit point of an edition, see ``editions``);
4. the new entry, written with others in batches and at the end of the build. Until
   then the PDF has no entry, and a killed build's next run rebuilds its source;
5. an old PDF that goes (its source's id changed, or the source was deleted) is deleted
   only once the manifest on disk no longer names it.

A kill after a write of step 1 leaves set-aside entries: the next build puts back those
whose PDFs are still the ones they record (``restore_set_aside``), so it still knows
which PDF was whose, e.g. to delete the old PDF of a source whose id changed.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from briefing.errors import SourceError
from briefing.publish import manifest
from briefing.publish.fsutil import is_plain_file, sha256_file


class Batches:
    """The state of the manifest's writes during one build."""

    def __init__(self) -> None:
        #: what the manifest on disk says now (as far as this run knows): an entry here
        #: must leave it before the file it describes may change
        self.written: dict[str, manifest.Entry] = {}
        #: sources handed to the renderer and not finished yet: their entries are about
        #: to change, so a write leaves them out of ``briefings``
        self.pending: set[str] = set()
        self.fragments = manifest.Fragments()
        self._unsaved = 0  # installs since the last write
        self._installed = 0

    def read(self, out: Path, shown: str) -> tuple[dict[str, manifest.Entry], list[SourceError]]:
        """The manifest's entries (``manifest.read_checked``), with the set-aside ones put
        back whose PDFs are still theirs; what the file says is remembered as written."""
        aside: dict[str, manifest.Entry] = {}
        entries, problems = manifest.read_checked(out, shown, rebuilding=aside)
        self.wrote(entries)  # before any check: even a wrong entry is on disk
        restore_set_aside(out, entries, aside)
        return entries, problems

    def must_write_before(self, output: str, sha256: str) -> bool:
        """Does the manifest on disk describe ``output`` as other bytes than ``sha256``?"""
        return any(e.output == output and e.sha256 != sha256 for e in self.written.values())

    def split(
        self, entries: dict[str, manifest.Entry], final: bool
    ) -> tuple[dict[str, manifest.Entry], dict[str, manifest.Entry]]:
        """The entries to write as ``briefings``, and those to set aside as ``rebuilding``."""
        if final:
            return entries, {}
        keep = {k: e for k, e in entries.items() if k not in self.pending}
        return keep, {k: e for k, e in entries.items() if k in self.pending}

    def wrote(self, keep: dict[str, manifest.Entry]) -> None:
        self.written = dict(keep)
        self._unsaved = 0

    def installed(self, source: str) -> bool:
        """``source``'s new entry is in place; returns whether a write is due now."""
        self.pending.discard(source)
        self._installed += 1
        self._unsaved += 1
        return self._installed & (self._installed - 1) == 0  # 1, 2, 4, 8, …

    def names(self, output: str) -> bool:
        """Does the manifest on disk name ``output``? (Then it may not be deleted yet.)"""
        return any(e.output == output for e in self.written.values())


def restore_set_aside(
    out: Path, entries: dict[str, manifest.Entry], aside: dict[str, manifest.Entry]
) -> None:
    """Put back the entries a killed build had set aside whose PDFs are still the ones they
    record: the build never got to replace them, so they are true again."""
    for key, entry in aside.items():
        with contextlib.suppress(OSError):
            pdf = out / entry.output
            if is_plain_file(pdf) and sha256_file(pdf) == entry.sha256:
                entries[key] = entry
