"""What an outsider found: inputs nobody on the team writes, each a defect once.

Every test here reproduces one problem seen from the outside (a new user following the
docs, or someone feeding the tool hostile input) and holds the fix in place.
"""

from __future__ import annotations

import io

import pdfplumber
import yaml

from briefing.render import RenderOptions, preflight_warnings, render
from briefing.render.pdf.fonts import _charset
from briefing.source.load import load

BASE: dict = {
    "title": "Georgia",
    "as_of": "2024-12-01",
    "summary": ["A bullet [@s1]."],
    "sources": [{"id": "s1", "title": "A source", "url": "https://civil.ge/"}],
}


def _load(project, **changes: object):
    text = yaml.safe_dump({**BASE, **changes}, allow_unicode=True, sort_keys=False, width=1000)
    return load(project.source(text), root=project.root)


def _drawn_chars(pdf: bytes) -> set[str]:
    """Every character the PDF draws (with its ToUnicode text), on every page."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return {c["text"] for page in doc.pages for c in page.chars}


def _boxes(pdf: bytes) -> set[str]:
    """Drawn characters DejaVu Sans has no glyph for: what prints as a missing-glyph box."""
    charset = _charset("DejaVuSans")
    return {c for c in _drawn_chars(pdf) for ch in c if ord(ch) not in charset}


# ---- layout characters in one-line canvas texts -------------------------------------


def test_tabs_and_line_separators_never_print_as_boxes(project):
    """A tab (or U+2028) in a title, a place name or a category was drawn as a box by the
    running header, the map label and the chart legend, with no warning at all: the
    paragraph path turns it into a space, the canvas path drew it as it was."""
    b = _load(
        project,
        title="Tbilisi\tprotests\u2028continue",
        map={"places": [{"name": "Tbi\tlisi", "lat": 41.7, "lon": 44.8}]},
        timeline={
            "events": [
                {"date": "2024-05", "label": "Law\tpassed", "category": "po\tlitical"},
                {"date": "2024-06", "label": "Two", "category": "other"},
            ]
        },
        sections=[{"heading": "Why", "body": "Long enough to need a second page.\n\n" * 80}],
    )
    assert [w for w in preflight_warnings(b) if "glyph" in w.message] == []
    pdf = render(b, RenderOptions()).pdf
    assert _boxes(pdf) == set()


def test_bidi_isolates_and_arabic_letter_mark_are_layout_controls(project):
    """U+2066–U+2069 (isolates) and U+061C (Arabic letter mark) are how careful writers
    keep a number or a Latin name apart in Arabic or Persian text. DejaVu has no glyph for
    them; they were reported as missing glyphs and printed as boxes, though they are
    invisible controls like U+200E/U+200F."""
    text = "گزارش \u2066OCHA 2024\u2069 درباره\u061c ۱۲ نفر و \u2067تهران\u2069 today"
    b = _load(
        project,
        title=text,
        summary=[text + " [@s1]."],
        key_facts=[{"label": "Source \u2068سازمان\u2069", "value": "12"}],
    )
    assert [w for w in preflight_warnings(b) if "glyph" in w.message] == []
    pdf = render(b, RenderOptions()).pdf
    assert _boxes(pdf) == set()


# ---- distribution.yaml speaks of itself, not of a briefing --------------------------


def test_an_empty_or_partial_distribution_file_says_what_it_needs(tmp_path):
    """An empty distribution.yaml said "a briefing needs at least `title`, `as_of` and
    `summary`", and one without routes "a briefing needs `routes`": a new user then
    adds a title to the wrong file."""
    from briefing.distribute import config
    from briefing.errors import SourceInvalid

    def errors(text: str) -> list[str]:
        path = tmp_path / "distribution.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            config.load(path, root=tmp_path, briefing_ids=["x"])
        except SourceInvalid as exc:
            return [str(e) for e in exc.errors]
        return []

    assert errors("") == [
        "distribution.yaml:1:1: the file is empty; "
        "a distribution file needs at least `recipients` and `routes`"
    ]
    assert errors("- a\n") == [
        "distribution.yaml:1:1: the top level must be a mapping of keys (`recipients: ...`), "
        "got a list"
    ]
    assert errors("recipients: [{id: a, name: A}]\n") == [
        "distribution.yaml:1:1: routes: required key missing: `distribution.yaml` needs `routes`"
    ]


# ---- verify on a damaged dist/ ------------------------------------------------------


def test_verify_says_the_manifest_is_unusable_not_that_the_pdf_is_missing(project):
    """With a corrupt manifest, `verify` said "dist/manifest.json has no PDF of it": the
    user looks for a missing PDF that is there. It says the manifest cannot be used."""
    from distkit import run

    text = yaml.safe_dump({**BASE, "sections": [{"heading": "H", "body": "Text [@s1]."}]})
    project.source(text)
    (project.root / "dist").mkdir()
    (project.root / "dist" / "manifest.json").write_text('{"format": 1, "brief', "utf-8")
    result = run(project.root, "verify")
    assert result.exit_code == 1
    assert (
        "sources/x.yaml:1:1: dist/manifest.json cannot be used: it is not valid JSON: build it"
        in result.output
    )


def test_a_named_source_that_is_a_folder_or_a_pipe_is_not_called_missing(project):
    """`briefing build sources/x.yaml` said "no such source file" for a folder or a FIFO
    that is there; the user then looks at a name that is right."""
    import os

    from distkit import run

    (project.root / "sources" / "d.yaml").mkdir()
    os.mkfifo(project.root / "sources" / "p.yaml")
    result = run(project.root, "build", "sources/d.yaml")
    assert result.exit_code == 2
    assert "sources/d.yaml is a folder, not a source file" in result.output
    result = run(project.root, "check", "sources/p.yaml")
    assert result.exit_code == 2
    assert "sources/p.yaml is not a regular file (a pipe or a device)" in result.output
    result = run(project.root, "build", "sources/none.yaml")
    assert result.exit_code == 2
    assert "no such source file: sources/none.yaml" in result.output


# ---- values printed side by side stay apart in right-to-left text -------------------


def test_coordinates_and_list_items_stay_with_their_own_value(project):
    """A place whose name ends in Arabic printed "33.89 بيروت°N 35.50°E": UAX #9 ran the
    latitude into the name's right-to-left run, away from its "°N". Ties and authors,
    separate values joined by commas, ran into each other the same way ("12" of
    "12 militias" before the Arabic tie). Each value now ends with a left-to-right mark."""
    from pageread import page_lines

    b = _load(
        project,
        authors=["مركز الدراسات", "2 analysts"],
        map={"places": [{"name": "بيروت", "lat": 33.89, "lon": 35.5}]},
        actors=[{"name": "Iran", "type": "state", "ties": ["حزب الله", "12 militias"]}],
    )
    pdf = render(b, RenderOptions()).pdf
    text = "\n".join(line.text for line in page_lines(pdf))
    assert "33.89°N 35.50°E" in text
    assert "2 analysts" in text
    assert "12 militias" in text
    assert _boxes(pdf) == set()


def test_a_source_dated_after_an_arabic_title_keeps_its_date_whole(project):
    """ "[1] الجزيرة, تقرير, 12 Mar 2024." printed the day inside the Arabic run, away
    from its month: the publisher and title are isolated like ties."""
    from pageread import page_lines

    b = _load(
        project,
        sources=[
            {
                "id": "s1",
                "title": "تقرير الأمم المتحدة",
                "publisher": "الجزيرة",
                "date": "2024-03-12",
            }
        ],
    )
    pdf = render(b, RenderOptions()).pdf
    text = "\n".join(line.text for line in page_lines(pdf))
    assert "12 Mar 2024" in text, text


def test_a_change_of_an_arabic_key_fact_reads_old_then_new(project):
    """The changes box printed "عدد القتلى: 39 → 41" as "41 → 39 :…": UAX #9 put the
    whole line in one right-to-left run and the arrow, which has no mirror, pointed from
    the new value to the old. A reader saw the toll fall when it rose."""
    from distkit import run
    from pageread import page_lines

    def write(value: str) -> None:
        facts = [{"label": "عدد القتلى", "value": value, "source": "s1"}]
        text = yaml.safe_dump({**BASE, "key_facts": facts}, allow_unicode=True)
        project.source(text)

    write("39")
    assert run(project.root, "build").exit_code == 0
    write("41")
    assert run(project.root, "build").exit_code == 0
    pdf = (project.root / "dist" / "x.pdf").read_bytes()
    lines = [line.text for line in page_lines(pdf) if "→" in line.text]
    assert len(lines) == 1, lines
    assert "39 → 41" in lines[0], lines


# ---- hostile YAML -------------------------------------------------------------------


def test_nesting_past_the_parser_limit_is_said_as_nesting(project):
    """1,500 nested `[` said "in the mapping `{…}`, a comma, bracket or `: ` inside a
    text … ends an item early": there is no mapping and no comma to find."""
    from briefing.errors import SourceInvalid

    deep = "[" * 1500 + "x" + "]" * 1500
    path = project.source(f"title: T\nas_of: 2024-12-01\nsummary: {deep}\n")
    try:
        load(path, root=project.root)
    except SourceInvalid as exc:
        messages = [str(e) for e in exc.errors]
    assert messages == ["sources/x.yaml:3:1009: values are nested more than 50 levels deep"]


# ---- distribution ------------------------------------------------------------------


def test_a_line_break_in_a_title_or_name_does_not_stop_mail_delivery(tmp_path):
    """A title or reader name holding a newline (YAML `"…\\n…"`) stopped
    `distribute --send` with "internal error: ValueError: Header values may not contain
    linefeed": nothing was delivered to anyone. Header values are now one line, so the
    newline can inject no header either."""
    from distkit import run, source, write_project
    from smtpkit import Mailbox, smtp_server

    dist = (
        "from: {{name: Desk, email: desk@example.org}}\n"
        "delivery: {{method: smtp, smtp: {{host: 127.0.0.1, port: {port}, security: none}}}}\n"
        "recipients:\n"
        '  - {{id: m, name: "Deputy\\nBcc: evil@example.com", email: m@example.gov,'
        " cleared: TLP:AMBER}}\n"
        "routes: [{{briefings: [nk], to: [m]}}]\n"
    )
    box = Mailbox()
    with smtp_server(box) as port:
        title = "Line one\\nBcc: evil@example.com"
        root = write_project(tmp_path, {"nk": source(title)}, dist.format(port=port))
        result = run(root, "distribute", "--send")
    assert result.exit_code == 0, result.output
    [message] = box.messages
    assert message["Bcc"] is None
    assert str(message["To"]) == '"Deputy Bcc: evil@example.com" <m@example.gov>'
    assert message["Subject"].startswith("Line one Bcc: evil@example.com — edition 1")


def test_a_non_ascii_address_is_an_error_at_its_line_not_an_internal_error(tmp_path):
    """`email: министр@пример.рф` passed the check and then stopped `distribute --send`
    with "internal error: UnicodeEncodeError": mail headers carry ASCII addresses."""
    from distkit import run, source, write_project

    dist = (
        "from: {name: Desk, email: desk@example.org}\n"
        "delivery: {method: smtp, smtp: {host: 127.0.0.1, port: 9, security: none}}\n"
        "recipients:\n"
        '  - {id: m, name: M, email: "министр@пример.рф"}\n'
        "routes: [{briefings: [nk], to: [m]}]\n"
    )
    root = write_project(tmp_path, {"nk": source("T")}, dist)
    result = run(root, "distribute", "--send")
    assert result.exit_code == 2, result.output
    assert result.output == (
        "distribution.yaml:4:29: recipients[0].email: `министр@пример.рф` is not valid here: "
        "use an e-mail address in ASCII letters (an internationalised domain in its `xn--` "
        "form)\n"
    )
    assert "internal error" not in result.output


# ---- time limits --------------------------------------------------------------------


def test_a_time_limit_never_cuts_an_import_in_half(tmp_path, monkeypatch):
    """`build --timeout 0.05` (one job) stopped a source in the middle of a lazy import
    (markdown-it, matplotlib): the half-made module stayed in `sys.modules` and every
    later source failed with "internal error: module 'html' has no attribute
    'entities'", or the whole build stopped. The limit now waits for the import."""
    import sys
    import time

    from briefing.publish import workers
    from briefing.render import RenderOptions as Options

    (tmp_path / "adv_slow_module.py").write_text("import time\ntime.sleep(0.3)\nVALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    reached: list[str] = []

    def render_one(task):
        import adv_slow_module  # noqa: F401  (the limit falls inside this import)

        reached.append("imported")
        time.sleep(2)  # ... and must fall here instead
        reached.append("not stopped")

    monkeypatch.setattr(workers, "render_one", render_one)
    task = workers.Task(tmp_path / "x.yaml", tmp_path, "x.yaml", Options())
    outcome = workers._in_process(task, 0.05)
    assert [e.code for e in outcome.errors] == ["timeout"]
    assert reached == ["imported"]
    assert sys.modules["adv_slow_module"].VALUE == 1
    del sys.modules["adv_slow_module"]


# ---- diff tells a typo and a draft from an unbuilt briefing -------------------------


def test_diff_of_a_misspelt_id_or_a_draft_says_so(project):
    """`briefing diff georgia-2042` said "no edition … is kept …: build it first", so the
    user built, and got the same line; a draft got it too, though building a draft never
    makes an edition."""
    from distkit import run

    project.source(yaml.safe_dump(BASE), name="georgia-2024.yaml")
    project.source(yaml.safe_dump({**BASE, "draft": True}), name="notes.yaml")
    result = run(project.root, "diff", "georgia-2042")
    assert result.exit_code == 1
    assert "no briefing has the id 'georgia-2042'; did you mean `georgia-2024`?" in result.output
    result = run(project.root, "diff", "zzz")
    assert "no briefing has the id 'zzz': the briefings are georgia-2024, notes" in result.output
    result = run(project.root, "diff", "notes")
    assert "it is a draft, and drafts make no editions" in result.output
    result = run(project.root, "diff", "georgia-2024")
    assert "no edition of 'georgia-2024' is kept in" in result.output
    assert "build it first" in result.output


def test_a_citation_we_add_stays_after_an_arabic_key_fact_label(project):
    """A key fact's `source:` prints as "[1]" after its label; after an Arabic label UAX #9
    put it on the label's left ("[1] عدد القتلى"), and a map caption beginning with a
    number ran into an Arabic region before it."""
    from pageread import page_lines

    region = "منطقة الحدود الجنوبية " * 6  # long enough to be printed in the caption
    b = _load(
        project,
        key_facts=[{"label": "عدد القتلى", "value": "39", "source": "s1"}],
        map={
            "region": region.strip(),
            "caption": "12 villages were evacuated [@s1].",
            "places": [{"name": "Tyre", "lat": 33.27, "lon": 35.2}],
        },
    )
    lines = [line.text for line in page_lines(render(b, RenderOptions()).pdf)]
    assert any(t.endswith("ىلتقلا ددع [1]") for t in lines), lines
    assert any("12 villages were evacuated" in t for t in lines), lines


def test_a_bracket_left_open_at_the_end_of_the_file_is_pointed_at(project):
    """`title: [` as the last line (a save in the middle of typing, seen by `watch`) said
    "in the mapping `{…}`, a comma, bracket or `: ` inside a text … ends an item early",
    after the last line: there is no mapping and no comma."""
    from briefing.source.yamlsrc import parse

    def errors(text: str) -> list[str]:
        return [str(e) for e in parse(text.encode(), file="x.yaml").errors]

    assert errors("as_of: 2024-12-01\ntitle: [\n") == [
        "x.yaml:2:8: invalid YAML: the list opened with this `[` is never closed with `]`: "
        "close it, or put a text that starts with `[` in quotes"
    ]
    assert errors('title: "[x"\nsummary: [a, {b: \n') == [
        "x.yaml:2:14: invalid YAML: the mapping opened with this `{` is never closed with "
        "`}`: close it, or put a text that starts with `{` in quotes"
    ]


# ---- images -------------------------------------------------------------------------


def test_a_phone_photo_prints_the_way_up_every_viewer_shows_it(project):
    """A camera JPEG stores its pixels as the sensor read them and says in its EXIF
    orientation tag how to turn them; every viewer turns them, so the author sees an
    upright photo, but the PDF printed it on its side. It is turned before embedding."""
    from pdfcheck import reader
    from PIL import Image

    sensor = Image.new("RGB", (80, 40), (220, 30, 30))
    sensor.paste((30, 30, 220), (40, 0, 80, 40))  # red left, blue right as stored
    exif = sensor.getexif()
    exif[0x0112] = 6  # shown turned 90° clockwise: red on top, blue below
    out = io.BytesIO()
    sensor.save(out, "JPEG", quality=95, exif=exif.tobytes())
    project.write("assets/photo.jpg", out.getvalue())
    b = _load(project, figures=[{"image": "assets/photo.jpg", "caption": "A market"}])
    pdf = render(b, RenderOptions()).pdf
    [image] = [i.image for page in reader(pdf).pages for i in page.images]
    assert image.size == (40, 80)
    top, bottom = image.convert("RGB").getpixel((20, 10)), image.convert("RGB").getpixel((20, 70))
    assert top[0] > 150 > top[2], top
    assert bottom[2] > 150 > bottom[0], bottom


# ---- texts that look filled in and are not ------------------------------------------


def test_a_text_of_invisible_characters_is_empty(project):
    """`title: "\\u200b"` (a zero width space pasted from a web page) or a marking of a word
    joiner passed as filled in and printed nothing: a briefing without a title, a banner
    without a marking. `[@]` was said to have a space after `@`."""
    from briefing.errors import SourceInvalid

    text = yaml.safe_dump({**BASE, "title": "\u200b", "marking": "\u2060 \u200e"})
    text += "sections:\n  - {heading: H, body: 'See [@].'}\n"
    try:
        load(project.source(text), root=project.root)
    except SourceInvalid as exc:
        messages = sorted(e.message for e in exc.errors)
    assert messages == [
        "`[@]` is not a citation: the id after `@` is missing (write `[@id]`)",
        "is empty: it holds only invisible characters (U+200B)",
        "is empty: it holds only invisible characters (U+2060, U+200E)",
    ]


def test_a_citation_inside_a_link_label_is_an_error_not_printed_raw(project):
    """`[the report [@s1]](https://…)` printed "the report [@s1]" as the link's words:
    a citation printed raw, which the contract never allows."""
    from briefing.errors import SourceInvalid

    text = yaml.safe_dump({**BASE, "summary": ["See [the report [@s1]](https://civil.ge/)."]})
    try:
        load(project.source(text), root=project.root)
    except SourceInvalid as exc:
        messages = [str(e) for e in exc.errors]
    assert messages == [
        "sources/x.yaml:7:19: summary[0]: `[@s1]` is inside a link's label, where it would "
        "print as written; put it after the link: `[label](url) [@s1]`"
    ]
    from briefing.source.markdown import problems

    assert problems(r"[see \[@s1\] here](https://civil.ge/)") == []  # escaped: text


# ---- trace and verify on odd files and closed pipes ---------------------------------


def test_trace_of_a_device_a_non_pdf_or_a_closed_pipe_is_one_line(tmp_path):
    """`briefing trace /dev/zero` read for ever; a file that is not a PDF printed pypdf's
    own warnings ("invalid pdf header", "EOF marker not found") above our line; and
    `verify | head -1` or `trace | head -1` ended in "internal error: BrokenPipeError"
    (exit 1, which for verify means "something is missing")."""
    import subprocess
    import sys

    from distkit import run_process

    (tmp_path / "sources").mkdir()
    (tmp_path / "junk.pdf").write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    result = run_process(tmp_path, "trace", "/dev/zero")
    assert (result.returncode, result.stderr) == (
        1,
        "/dev/zero: not a PDF (it is not a regular file)\n",
    )
    result = run_process(tmp_path, "trace", "junk.pdf")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["junk.pdf: not a PDF (Stream has ended unexpectedly)"]

    project = tmp_path / "p"
    (project / "sources").mkdir(parents=True)
    (project / "sources" / "x.yaml").write_text(yaml.safe_dump(BASE), encoding="utf-8")
    assert run_process(project, "build").returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "verify"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()  # the reader went away before the first line: `| head -0`
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0, err
    assert "internal error" not in err


def test_a_distribution_file_that_is_a_pipe_is_an_error_not_a_hang(tmp_path):
    """distribution.yaml was read whole with no check: a FIFO blocked `distribute` for
    ever, a link to /dev/zero read until memory ran out. Sources were already bounded."""
    import os

    from distkit import run_process

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "x.yaml").write_text(yaml.safe_dump(BASE), encoding="utf-8")
    os.mkfifo(tmp_path / "distribution.yaml")
    result = run_process(tmp_path, "distribute")
    assert result.returncode == 2, result.stderr
    assert result.stderr == "distribution.yaml:1:1: is not a regular file\n"


# ---- citations where they cannot be numbers ----------------------------------------


def test_a_citation_is_never_printed_raw_in_header_map_bookmarks_or_metadata(project):
    """A cited title printed "Clashes resume [@s1]" in the running header of every later
    page and in the PDF's title; a cited heading showed "[@s1]" in the bookmarks, and a
    cited place name on the map. Those places cannot hold a linked number: the citation
    is left out there (the title block, the heading and the place key still show it)."""
    from pdfcheck import reader

    from briefing.publish.verify import verify_pdf

    b = _load(
        project,
        title="Clashes resume [@s1]",
        map={"places": [{"name": "Tyre [@s1]", "lat": 33.27, "lon": 35.2}]},
        sections=[{"heading": "Why now? [@s1]", "body": "Text.\n\n" * 90}],
    )
    pdf = render(b, RenderOptions()).pdf
    doc = reader(pdf)
    assert all("[@" not in (page.extract_text() or "") for page in doc.pages)
    assert doc.metadata["/Title"] == "Clashes resume"
    assert [o.title for o in doc.outline if not isinstance(o, list)][:3] == [
        "Summary",
        "Map",
        "1. Why now?",
    ]
    assert verify_pdf(b, pdf, name="x.pdf") == []


def test_a_cited_title_makes_a_clean_mail_subject(tmp_path):
    """The e-mail subject and pack covers took the title with "[@s1]" in it."""
    import datetime as dt

    from distkit import run

    from briefing.distribute.items import briefing_items

    (tmp_path / "sources").mkdir()
    text = yaml.safe_dump({**BASE, "title": "Clashes resume [@s1]"})
    (tmp_path / "sources" / "x.yaml").write_text(text, encoding="utf-8")
    assert run(tmp_path, "build").exit_code == 0
    day = dt.date(2024, 12, 2)
    for unbuilt in (False, True):
        items = briefing_items(
            tmp_path, tmp_path / "dist", today=day, allow_stale=True, unbuilt=unbuilt
        )
        assert items["x"].title == "Clashes resume"
        (tmp_path / "dist" / "manifest.json").unlink(missing_ok=True)  # then: never built


def test_a_marking_spelt_another_way_keeps_its_level(tmp_path):
    """marking_levels maps OFFICIAL-SENSITIVE to TLP:AMBER; a briefing marked
    "Official-Sensitive" or "OFFICIAL SENSITIVE" ranked TLP:CLEAR and went to a reader
    cleared for TLP:GREEN. A marking is compared without case, spaces or hyphens."""
    from briefing.distribute import config
    from briefing.distribute.rules import level_of

    path = tmp_path / "distribution.yaml"
    path.write_text(
        "recipients: [{id: r, name: R}]\n"
        "marking_levels: {OFFICIAL-SENSITIVE: TLP:AMBER}\n"
        "routes: [{briefings: '*', to: [r]}]\n",
        encoding="utf-8",
    )
    dist = config.load(path, root=tmp_path, briefing_ids={"x"})
    for marking in (
        "OFFICIAL-SENSITIVE",
        "Official-Sensitive",
        "OFFICIAL SENSITIVE",
        "official_sensitive",
    ):
        assert level_of(marking, dist) == "TLP:AMBER", marking
    assert level_of("OFFICIAL", dist) == "TLP:CLEAR"  # the contract's default
