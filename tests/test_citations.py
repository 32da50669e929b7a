"""Citations per the contract: Pandoc-style groups and locators print as one merged, sorted,
linked reference; anything citation-like that does not parse is a located error; an
unclosed ``**``/``*`` and a source nothing cites are located warnings."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefing.cli import cli
from briefing.errors import SourceInvalid
from briefing.render import RenderOptions, render
from briefing.source.load import load
from briefing.source.markdown import Cite, parse_inline

SOURCES = [{"id": k, "title": f"Source {k.upper()}"} for k in "abcde"]

SOURCE = """\
title: Citations
as_of: 2024-03-01
summary:
  - "One [@d][@a] two [@a; @b; @c] three [@b, p. 4] four [@a, para. 12; @b] five [@e]."
sections:
  - heading: Body
    body: |
      Fine text [@a].

      A second paragraph
      with [@c] [@b] here.
sources:
  - {id: a, title: Source A}
  - {id: b, title: Source B}
  - {id: c, title: Source C}
  - {id: d, title: Source D}
  - {id: e, title: Source E}
"""


def test_groups_and_locators_parse() -> None:
    runs = parse_inline("x [@a, para. 12; @b] y [@c , p.  4 ]")
    cites = [r.cite for r in runs if r.cite is not None]
    assert cites == [(Cite("a", "para. 12"), Cite("b")), (Cite("c", "p. 4"),)]


@pytest.fixture
def pdf(project) -> bytes:
    path = project.source(SOURCE)
    return render(load(path, root=project.root), RenderOptions()).pdf


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_adjacent_and_grouped_citations_print_merged_and_sorted(pdf: bytes) -> None:
    text = _text(pdf)
    for printed in ["[1, 4]", "[1–3]", "[2, p. 4]", "[1, para. 12; 2]", "[5]", "[2, 3]"]:
        assert printed in text, printed
    assert "[@" not in text
    assert "[4][1]" not in text


def test_each_printed_number_links_to_its_sources_list_entry(pdf: bytes) -> None:
    """Every link rectangle over a citation number jumps to the line "[N] …" of entry N."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.indirect_reference.idnum for p in reader.pages]
    checked = 0
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page_number, page in enumerate(reader.pages):
            for annot in page.get("/Annots", []):
                annot = annot.get_object()
                if "/Dest" not in annot:
                    continue
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                plumber = doc.pages[page_number]
                number = "".join(
                    c["text"]
                    for c in plumber.chars
                    if c["x0"] >= x0 - 0.5 and c["x1"] <= x1 + 0.5 and y0 - 0.5 <= c["y0"] <= y1
                ).strip()
                if not number.isdigit():
                    continue
                dest = annot["/Dest"]
                target = doc.pages[pages.index(dest[0].idnum)]
                top = target.height - float(dest[3])
                below = sorted(
                    (c for c in target.chars if c["top"] >= top - 1), key=lambda c: c["top"]
                )
                line_top = below[0]["top"]
                line = "".join(
                    c["text"]
                    for c in sorted(below, key=lambda c: c["x0"])
                    if abs(c["top"] - line_top) < 2
                )
                assert line.startswith(f"[{number}]"), (number, line)
                checked += 1
    assert checked == 11  # 1, 4 · 1, 3 · 2 · 1, 2 · 5 in the summary; 1 · 2, 3 in the body


def invoke(root: Path, *args: str):
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(old)


def _check(project, text: str) -> list[str]:
    path = project.source(text)
    try:
        briefing = load(path, root=project.root)
    except SourceInvalid as exc:
        return [str(e) for e in exc.errors]
    return [str(w) for w in briefing.warnings]


BAD = """\
title: Bad citations
as_of: 2024-03-01
summary:
  - "Two sources [@a, @b] in one bullet."
sections:
  - heading: Body
    body: |
      First paragraph [@a].

      A space [@ a] here,
      and one never closed [@b
      at the end.
sources:
  - {id: a, title: Source A}
  - {id: b, title: Source B}
"""


def test_malformed_citations_are_errors_at_their_lines(project) -> None:
    assert _check(project, BAD) == [
        "sources/x.yaml:4:18: summary[0]: `[@a, @b]` is not a citation: separate sources "
        "with `;`, not `,` (write `[@a; @b]`)",
        "sources/x.yaml:10:15: sections[0].body: `[@ a]` is not a citation: no space may "
        "follow `@` (write `[@id]`)",
        "sources/x.yaml:11:28: sections[0].body: `[@b` starts a citation that is never "
        "closed with `]`",
    ]


def test_a_malformed_citation_fails_the_build_and_never_prints(project) -> None:
    project.source(BAD)
    result = invoke(project.root, "build", "-j", "1")
    assert result.exit_code == 1
    assert "sources/x.yaml:4:18: summary[0]" in result.output
    assert not (project.root / "dist" / "x.pdf").exists()


WARN = """\
title: Warnings
as_of: 2024-03-01
summary:
  - "A **bold start that never ends [@a]."
sections:
  - heading: Body
    body: |
      Fine *italic* text [@a].

      Then a *stray one
      here.
sources:
  - {id: a, title: Source A}
  - {id: unused, title: Nobody cites me}
"""


def test_unclosed_emphasis_and_uncited_sources_are_warnings_at_their_lines(project) -> None:
    assert _check(project, WARN) == [
        "sources/x.yaml:4:8: warning: summary[0]: `**` opens bold text that is never closed",
        "sources/x.yaml:10:14: warning: sections[0].body: `*` opens italic text that is never "
        "closed",
        "sources/x.yaml:14:10: warning: sources[1].id: the source `unused` is never cited "
        "(no `[@unused]`, no `source:`)",
    ]


def test_warnings_reach_check_and_strict_fails(project) -> None:
    project.source(WARN)
    result = invoke(project.root, "check")
    assert result.exit_code == 0, result.output
    assert "never cited" in result.output
    strict = invoke(project.root, "check", "--strict")
    assert strict.exit_code == 1


def test_a_lone_asterisk_between_spaces_is_text(project) -> None:
    text = WARN.replace("**bold start that never ends", "5 * 3 is fifteen").replace(
        "*stray one", "stray one"
    )
    text = text.replace("  - {id: unused, title: Nobody cites me}\n", "")
    assert _check(project, text) == []
