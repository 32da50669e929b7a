"""What one file's walk collects: problems, positions, and references to resolve later.

Why: every check records its problem here and goes on, so a file's errors are
all reported in one run; cross-references (citations, ``source:``, ``after:``)
are only collected during the walk and resolved by ``load`` once the whole file
is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.errors import SourceError, Span
from briefing.source.suggest import IdSuggester, Suggester


@dataclass(frozen=True, slots=True)
class TextRef:
    """A text whose citations and links are checked once ``sources`` is known."""

    path: str
    span: Span
    text: str
    blocks: bool


@dataclass(frozen=True, slots=True)
class Reference:
    """A value naming something elsewhere in the file: a source id or a section heading."""

    path: str
    span: Span
    name: str


@dataclass(slots=True)
class Context:
    """What one file's walk collects: errors, positions and references to resolve later."""

    file: str
    root: Path
    errors: list[SourceError] = field(default_factory=list)
    locations: dict[str, Span] = field(default_factory=dict)
    texts: list[TextRef] = field(default_factory=list)
    source_ids: dict[str, Span] = field(default_factory=dict)
    source_refs: list[Reference] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    after_refs: list[Reference] = field(default_factory=list)
    suggesters: dict[str, Suggester] = field(default_factory=dict)

    def error(self, span: Span, path: str, message: str) -> None:
        self.errors.append(SourceError(span, path, message))

    def suggester(self, kind: str, names: Iterable[str]) -> Suggester:
        """One ``Suggester`` per kind of name (a structure's keys, source ids…) per file."""
        if kind not in self.suggesters:
            self.suggesters[kind] = IdSuggester(names) if kind == "source ids" else Suggester(names)
        return self.suggesters[kind]
