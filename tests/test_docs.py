"""The manual in docs/ stays true: every command and option, the manifest's fields, the
troubleshooting messages (run again here), the links, and the example's page images."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Project

from briefing.cli import cli
from briefing.publish import manifest
from briefing.publish.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
EXAMPLE = REPO / "sources" / "nagorno-karabakh-2020.yaml"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def help_text(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    return result.stdout


def listed_commands() -> list[str]:
    """The commands ``briefing --help`` lists."""
    section = help_text().split("Commands:\n", 1)[1]
    return re.findall(r"^  (\S+)", section, re.M)


def listed_options(text: str) -> list[str]:
    """Every flag in the Options part of a help text (``-j``, ``--jobs``, …)."""
    section = text.split("Options:\n", 1)[1]
    flags: list[str] = []
    for line in section.splitlines():
        if line.startswith("  -"):  # an option's first line; continuations are indented more
            names = re.split(r"\s{2,}", line.strip())[0]
            flags += re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", names)
    return flags


def listed_arguments(text: str) -> list[str]:
    """The argument names of the usage line: ``[PATHS]...`` → ``PATHS``."""
    usage = text.splitlines()[0].split("[OPTIONS]", 1)[1]
    return re.findall(r"[A-Z][A-Z_]+", usage)


def sections(markdown: str) -> dict[str, str]:
    """``## heading`` → the text under it (up to the next ``## ``); "" → before the first."""
    parts = re.split(r"^## (.+)$", markdown, flags=re.M)
    found = {"": parts[0]}
    found.update(zip(parts[1::2], parts[2::2], strict=True))
    return found


# --- commands and options ----------------------------------------------------------------------


def test_every_command_and_option_listed_by_help_is_documented() -> None:
    commands_md = (DOCS / "commands.md").read_text(encoding="utf-8")
    documented = sections(commands_md)
    for flag in listed_options(help_text()):
        assert f"`{flag}`" in documented[""], f"briefing {flag} is not in docs/commands.md"
    commands = listed_commands()
    assert {"build", "check", "schema", "init", "new", "watch", "verify"} <= set(commands)
    for command in commands:
        heading = f"`briefing {command}`"
        assert heading in documented, f"docs/commands.md has no section '## {heading}'"
        text = help_text(command)
        section = documented[heading]
        assert f"briefing {command} [OPTIONS]" in section, f"no synopsis for {command}"
        assert "Exit codes" in section, f"no exit codes for briefing {command}"
        for flag in listed_options(text):
            assert f"`{flag}" in section, f"briefing {command} {flag} is not documented"
        for argument in listed_arguments(text):
            assert argument in section, f"briefing {command}'s {argument} is not documented"


def test_help_parsing_sees_every_option() -> None:
    """The checks above are only as good as the parsing: it must find what click declares."""
    build_help = help_text("build")
    assert listed_options(build_help) == [
        *("--out", "--page-size", "--force", "--strict", "-j", "--jobs", "-q", "--quiet"),
        *("-v", "--verbose", "--json", "--timeout", "--verify", "--debug", "-h", "--help"),
    ]
    assert listed_arguments(build_help) == ["PATHS"]
    assert listed_arguments(help_text("new")) == ["ID"]
    assert listed_arguments(help_text("init")) == ["DIR"]


def test_manifest_fields_are_documented() -> None:
    text = (DOCS / "manifest.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \|", text, re.M))
    fields = {f.name for f in dataclasses.fields(manifest.Entry)}
    assert fields | {"format", "tool", "briefings"} <= rows
    for status in ("built", "up to date", "failed"):
        assert f"`{status}`" in text


# --- troubleshooting: the messages are real -----------------------------------------------------


def troubleshooting_cases() -> list[tuple[dict[str, str], str, list[str]]]:
    """(source files, command, printed lines) for each example of troubleshooting.md.

    An example is one or more ```yaml blocks whose first line is ``# sources/NAME``,
    followed by a ```text block that starts with ``$ briefing …``.
    """
    text = (DOCS / "troubleshooting.md").read_text(encoding="utf-8")
    cases, files = [], {}
    for lang, body in FENCE.findall(text):
        first, _, _ = body.partition("\n")
        if lang == "yaml" and first.startswith("# sources/"):
            files[first[2:]] = body
        elif lang == "text" and first.startswith("$ briefing ") and files:
            cases.append((files, first[len("$ briefing ") :], body.splitlines()[1:]))
            files = {}
    return cases


def without_timing(line: str) -> str:
    return re.sub(r" in \d+\.\d+ s$", " in … s", line)


@pytest.mark.parametrize(
    ("files", "command", "shown"),
    [pytest.param(*case, id=case[1]) for case in troubleshooting_cases()],
)
def test_troubleshooting_messages_are_real(
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    command: str,
    shown: list[str],
) -> None:
    for name, content in files.items():
        project.write(name, content)
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, command.split(), catch_exceptions=False)
    problems = [line for line in shown if line.startswith("sources/")]
    assert problems == result.stderr.splitlines()
    others = [without_timing(line) for line in shown if not line.startswith("sources/")]
    assert others == [without_timing(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1


def test_troubleshooting_has_examples() -> None:
    assert len(troubleshooting_cases()) >= 12


# --- links and images ---------------------------------------------------------------------------


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize(
    "page", [*sorted(DOCS.glob("*.md")), REPO / "README.md"], ids=lambda p: p.name
)
def test_links_lead_somewhere(page: Path) -> None:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        assert dest.exists(), f"{page.name}: link to missing {target}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", FENCE.sub("", dest.read_text("utf-8")), re.M)
            assert anchor in {slug(h) for h in headings}, f"{page.name}: no anchor {target}"


def load_make_images():
    spec = importlib.util.spec_from_file_location("make_images", DOCS / "make_images.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_page_images_match_the_example(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """One image per page of the example, made by docs/make_images.py, still current tile by
    tile. ``pytest --regen-images`` rewrites them first (as ``python docs/make_images.py``)."""
    from imagecheck import differing_tiles, write_diff
    from pdfcheck import reader
    from PIL import Image

    from briefing.publish.verify import verify_pdf
    from briefing.source.load import load

    if shutil.which("pdftoppm") is not None and request.config.getoption("--regen-images"):
        assert load_make_images().main() == 0
    report = build([EXAMPLE], root=REPO, out=tmp_path / "dist", options=BuildOptions())
    (result,) = report.results
    pdf = Path(str(result.output))
    assert verify_pdf(load(EXAMPLE, root=REPO), pdf.read_bytes(), name=pdf.name) == []
    pages = len(reader(pdf).pages)
    committed = sorted(p.name for p in (DOCS / "images").glob("page-*.png"))
    assert committed == sorted(f"page-{n}.png" for n in range(1, pages + 1)), (
        "docs/images is out of date; run: pytest --regen-images tests/test_docs.py"
    )
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    assert load_make_images().main(tmp_path / "images") == 0
    stale = []
    for name in [*(f"page-{n}.png" for n in range(1, pages + 1)), "edition-2.png"]:
        fresh = Image.open(tmp_path / "images" / name)
        kept = Image.open(DOCS / "images" / name)
        tiles = differing_tiles(fresh, kept)
        if tiles:
            diff = write_diff(fresh, kept, tiles, tmp_path / "diff" / name)
            stale.append(f"{name}: {len(tiles)} regions differ; see {diff}")
    assert stale == [], "docs/images is out of date (run: pytest --regen-images " + (
        "tests/test_docs.py):\n" + "\n".join(stale)
    )


def test_region_check_sees_a_moved_or_missing_block(tmp_path: Path) -> None:
    """A block erased or shifted by a few pixels fails the check (a page-wide mean would not)."""
    from imagecheck import differing_tiles, write_diff
    from PIL import Image, ImageChops, ImageStat

    kept = Image.open(DOCS / "images" / "page-1.png").convert("RGB")
    assert differing_tiles(kept, kept.copy()) == []
    erased = kept.copy()
    erased.paste((255, 255, 255), (40, 300, 200, 330))  # one key fact gone
    moved = kept.copy()
    moved.paste(kept.crop((30, 120, 466, 160)), (30, 126))  # a title block 6 px lower
    for changed in (erased, moved):
        whole_page = max(ImageStat.Stat(ImageChops.difference(changed, kept)).mean)
        assert whole_page < 2.0  # what the old check compared: it would have passed
        tiles = differing_tiles(changed, kept)
        assert tiles
        out = write_diff(changed, kept, tiles, tmp_path / "diff.png")
        assert Image.open(out).size == (kept.size[0] * 2 + 10, kept.size[1])
