"""Source bytes → a small tree of YAML nodes that remember where they were written.

Why: the loader must report ``file:line:column`` for every problem and must read
each value from the characters the author typed, so YAML 1.1's implicit typing
(``no`` → False, ``1e3`` → 1000.0, ``2020-09-29`` → a date) never reaches it.
PyYAML's ``compose`` gives exactly that: nodes with marks and the scalar's own
text, and it never constructs Python objects, so a ``!!python/object`` tag runs
nothing; it is refused here at its position.

What goes in: the file's bytes and the name to show in messages. What comes
out: a ``Document`` holding the top-level ``Mapping`` (or ``None`` when the file
cannot be read as one) and the problems found on the way, as ``SourceError``s.
The tree has no shared nodes: aliases are copied, but only after their expanded
size was measured, so an "alias bomb" is refused before it costs memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from briefing.errors import SourceError, Span
from briefing.source import yamlhelp
from briefing.source.yamlitems import first_key_repeats, split_items

#: The fast libyaml composer when PyYAML was built with it; the same nodes either way.
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A source larger than this is refused before YAML sees it (a real briefing is ~20 kB).
MAX_BYTES = 5 * 1024 * 1024
#: Nodes in the tree, aliases counted each time they are reached (the alias-bomb cap).
MAX_NODES = 100_000
#: Nesting levels; a briefing needs about six. Keeps every recursive walk far from
#: Python's recursion limit (libyaml itself stops at 1000).
MAX_DEPTH = 50

_BOM = b"\xef\xbb\xbf"
_STANDARD = "tag:yaml.org,2002:"
#: Tags a plain data file can carry: the ones PyYAML's resolver gives untagged
#: values, which an author may also write out (``!!str 1921``). ``merge`` is
#: handled apart: ``<<`` keys are refused with their own message.
_ALLOWED_TAGS = frozenset(
    _STANDARD + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "value", "map", "seq")
)
#: Spellings that YAML reads as "no value" when written without quotes.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
#: Characters YAML refuses (the same class PyYAML's reader checks), found here
#: first so the message can name the character and its line.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


@dataclass(frozen=True, slots=True)
class Scalar:
    """A single value, as the text the author wrote (quotes and escapes removed).

    ``plain`` is False when the value was quoted or a ``|``/``>`` block: the
    author said "this is text", so it is never read as missing, a number or a
    boolean.
    """

    text: str
    span: Span
    plain: bool
    #: A plain text over several lines, one of which starts like a list item (``- x``):
    #: that line's number. YAML joined the lines, so a ``body:`` without ``|`` lost its list.
    folded_item: int | None = field(default=None, compare=False)

    @property
    def is_null(self) -> bool:
        """True for an empty value, ``~`` or ``null`` written without quotes."""
        return self.plain and self.text in _NULLS


@dataclass(frozen=True, slots=True)
class Sequence:
    items: tuple[Node, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``key: value`` pair; the key is always text."""

    key: str
    key_span: Span
    value: Node


@dataclass(frozen=True, slots=True)
class Mapping:
    """Keys in file order, each once (a repeated key is reported and dropped)."""

    entries: tuple[Entry, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Rejected:
    """A value already reported here (a refused tag): the loader skips it silently."""

    span: Span


Node = Scalar | Sequence | Mapping | Rejected


@dataclass(frozen=True, slots=True)
class Document:
    """The top-level mapping, or None when the file is not one; plus every problem found."""

    root: Mapping | None
    errors: tuple[SourceError, ...]


def describe(node: Node) -> str:
    """How a node reads in a message: ``got a mapping``, ``got a list``, ``got nothing``."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    if isinstance(node, Scalar):
        return "nothing" if node.is_null else "text"
    return "a refused value"


def join(path: str, key: str) -> str:
    """The key path notation of the contract: ``actors[3].ties``."""
    return f"{path}.{key}" if path else key


#: What an empty source lacks, and the key a top-level mapping starts with (a briefing's).
SOURCE_NEEDS = ("a briefing needs at least `title`, `as_of` and `summary`", "title")


def parse(data: bytes, *, file: str, needs: tuple[str, str] = SOURCE_NEEDS) -> Document:
    """Decode ``data`` as UTF-8 YAML holding exactly one mapping; never raises for bad input.

    ``needs`` words the empty-file and not-a-mapping errors for the kind of file (a
    source, ``distribution.yaml``): what it needs at least, and a key it starts with.
    """
    text_or_error = _decode(data, file)
    if isinstance(text_or_error, SourceError):
        return Document(None, (text_or_error,))
    text = text_or_error
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.composer.ComposerError as exc:
        # Both composers (libyaml's and PyYAML's) word a second document exactly so,
        # with the mark at its start; any other composer problem is a plain syntax error.
        if exc.problem == "but found another document" and exc.problem_mark is not None:
            where = _span(file, exc.problem_mark)
            message = "a second YAML document starts here; a source file holds exactly one"
            return Document(None, (SourceError(where, "", message),))
        return Document(None, (_syntax_error(exc, file, text),))
    except yaml.MarkedYAMLError as exc:
        return Document(None, (_syntax_error(exc, file, text),))
    except yaml.YAMLError as exc:  # a ReaderError the pre-checks missed: no mark, only a position
        position = getattr(exc, "position", 0) or 0
        line, column = _line_column(text, position)
        return Document(None, (SourceError(Span(file, line, column), "", f"invalid YAML: {exc}"),))
    except RecursionError:  # the pure-Python composer on absurd nesting (libyaml stops at 1000)
        message = "the YAML is nested too deeply to read"
        return Document(None, (SourceError(Span(file, 1, 1), "", message),))

    if node is None or (
        isinstance(node, yaml.ScalarNode) and node.style in (None, "") and not node.value
    ):
        message = f"the file is empty; {needs[0]}"
        return Document(None, (SourceError(Span(file, 1, 1), "", message),))
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        message = f"the top level must be a mapping of keys (`{needs[1]}: ...`), got {kind}"
        return Document(None, (SourceError(_span(file, node.start_mark), "", message),))

    too_big = _measure(file, node)
    if too_big is not None:
        return Document(None, (too_big,))
    walker = _Walker(file, text)
    root = walker.convert(node, "")
    if not isinstance(root, Mapping):  # the whole mapping carried a refused tag
        return Document(None, tuple(walker.errors))
    return Document(root, tuple(walker.errors))


def _decode(data: bytes, file: str) -> str | SourceError:
    """Strict UTF-8 (an optional BOM dropped); anything else is one error naming the byte."""
    if len(data) > MAX_BYTES:
        message = f"the file is larger than {MAX_BYTES // 2**20} MiB, the most a source may be"
        return SourceError(Span(file, 1, 1), "", message)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = (
            "the file is UTF-16 or UTF-32 text (it starts with a byte-order mark); save it as UTF-8"
        )
        return SourceError(Span(file, 1, 1), "", message)
    skip = len(_BOM) if data.startswith(_BOM) else 0
    nul = data.find(b"\x00", skip)
    if nul >= 0:
        message = (
            f"the file is not UTF-8 text (a NUL byte at offset {nul}; is it UTF-16?); "
            "save it as UTF-8"
        )
        return SourceError(_byte_span(data, nul, skip, file), "", message)
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        message = (
            f"the file is not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset}); "
            "save it as UTF-8"
        )
        return SourceError(_byte_span(data, offset, skip, file), "", message)
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line, column = _line_column(text, bad.start())
        code = ord(bad.group())
        message = f"the file contains the control character U+{code:04X}, which YAML does not allow"
        return SourceError(Span(file, line, column), "", message)
    return text


def _byte_span(data: bytes, offset: int, skip: int, file: str) -> Span:
    """Line and column (in characters) of a byte offset, for a file that is UTF-8 up to there."""
    line = data.count(b"\n", 0, offset) + 1
    start = max(data.rfind(b"\n", 0, offset) + 1, skip)
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return Span(file, line, column)


def _line_column(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _span(file: str, mark: yaml.Mark) -> Span:
    """YAML marks count from 0; spans count from 1."""
    return Span(file, mark.line + 1, mark.column + 1)


def _syntax_error(exc: yaml.MarkedYAMLError, file: str, text: str) -> SourceError:
    """The parser's problem at its mark, said in the author's terms (see ``yamlhelp``).

    libyaml's own depth limit (1000) is the same problem as ours (``MAX_DEPTH``) and is
    said the same way: its words sent the author looking for a comma in a mapping.
    """
    if exc.problem == "exceeded maximum nesting depth" and exc.problem_mark is not None:
        message = f"values are nested more than {MAX_DEPTH} levels deep"
        return SourceError(_span(file, exc.problem_mark), "", message)
    return yamlhelp.explain(exc, text, file)


class _TooBig(Exception):
    """Stops the size check at once: the tree is too big, too deep, or loops on itself."""

    def __init__(self, error: SourceError) -> None:
        super().__init__(str(error))
        self.error = error


def _measure(file: str, root: yaml.Node) -> SourceError | None:
    """Check the tree's expanded size, depth and alias loops before copying anything.

    PyYAML hands back one node object for an anchor and every alias to it: a
    graph, possibly with cycles. Sizes are memoised per node object, so this
    costs time in the number of *distinct* nodes, and a billion-laughs file is
    refused in microseconds, at the smallest value that expands past the cap.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()  # nodes on the current path: reaching one again is a loop

    def size(node: yaml.Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        span = _span(file, node.start_mark)
        if id(node) in active:
            message = "an alias (`*name`) refers to a value that contains it, so it never ends"
            raise _TooBig(SourceError(span, "", message))
        if depth > MAX_DEPTH:
            raise _TooBig(
                SourceError(span, "", f"values are nested more than {MAX_DEPTH} levels deep")
            )
        total = 1
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            active.add(id(node))
            children = node.value if isinstance(node, yaml.SequenceNode) else _flatten(node)
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    message = (
                        f"this value holds more than {MAX_NODES:,} values once its aliases "
                        "(`*name`) are expanded; a briefing never needs that many"
                    )
                    raise _TooBig(SourceError(span, "", message))
            active.discard(id(node))
        sizes[id(node)] = total
        return total

    try:
        size(root, 0)
    except _TooBig as exc:
        return exc.error
    return None


def _flatten(node: yaml.MappingNode) -> list[yaml.Node]:
    return [part for pair in node.value for part in pair]


_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,3}[.)])\s")


class _Walker:
    """PyYAML nodes → our nodes, with the per-file checks: tags and keys.

    Runs after ``_measure``, so the graph is known to be acyclic, shallow and
    small once expanded: copying aliases into a plain tree is safe, and every
    later walk sees each value at the place it is used.
    """

    def __init__(self, file: str, text: str = "") -> None:
        self.file = file
        self.errors: list[SourceError] = []
        self.text = text
        self._lines: list[str] | None = None

    def _folded_item(self, node: yaml.ScalarNode) -> int | None:
        """The first continuation line of a plain multi-line value that starts with ``- ``."""
        first, last = node.start_mark.line, node.end_mark.line
        if node.style not in (None, "") or last <= first:
            return None
        if self._lines is None:
            self._lines = self.text.splitlines()
        for number in range(first + 1, min(last, len(self._lines) - 1) + 1):
            if _LIST_ITEM.match(self._lines[number]):
                return number + 1
        return None

    def convert(self, node: yaml.Node, path: str) -> Node:
        span = _span(self.file, node.start_mark)
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.removeprefix(_STANDARD)
            shown = f"!!{tag}" if node.tag.startswith(_STANDARD) else tag
            message = (
                f"the tag `{shown}` is not allowed; a source holds only text, lists and mappings"
            )
            self.errors.append(SourceError(span, path, message))
            return Rejected(span)
        if isinstance(node, yaml.ScalarNode):
            plain = node.style in (None, "")
            return Scalar(node.value, span, plain=plain, folded_item=self._folded_item(node))
        if isinstance(node, yaml.SequenceNode):
            items: list[Node] = []
            for item in node.value:
                for part in split_items(item, path, len(items), self.file, self.errors):
                    items.append(self.convert(part, f"{path}[{len(items)}]"))
            return Sequence(tuple(items), span)
        if path and first_key_repeats(node):  # ``sources:`` with every ``- `` missing
            parts = split_items(node, path, 0, self.file, self.errors, first_missing=True)
            converted = (self.convert(part, f"{path}[{i}]") for i, part in enumerate(parts))
            return Sequence(tuple(converted), span)
        return self._mapping(node, path, span)

    def _mapping(self, node: yaml.MappingNode, path: str, span: Span) -> Mapping:
        entries: list[Entry] = []
        seen: dict[str, Span] = {}
        for key_node, value_node in node.value:
            key_span = _span(self.file, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                self.errors.append(SourceError(key_span, path, f"a key must be text, got {kind}"))
                continue
            key = key_node.value
            if key_node.tag == _STANDARD + "merge":
                message = "`<<` merge keys are not supported; write the keys out"
                self.errors.append(SourceError(key_span, path, message))
                continue
            if not key.strip():
                self.errors.append(SourceError(key_span, path, "a key is empty"))
                continue
            if key in seen:
                first = seen[key]
                message = f"the key `{_short(key)}` is given twice (first on line {first.line})"
                self.errors.append(SourceError(key_span, join(path, key), message))
                continue
            seen[key] = key_span
            value = self.convert(value_node, join(path, key))
            entries.append(Entry(key, key_span, value))
        return Mapping(tuple(entries), span)


def _short(text: str, limit: int = 40) -> str:
    """A key or value quoted in a message, cut so one absurd value cannot flood the terminal."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
