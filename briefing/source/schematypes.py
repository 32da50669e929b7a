"""The vocabulary the source format is declared in: value types, keys, structures.

Why: ``schema.py`` declares the format with these, and three readers interpret
them: ``validate.py`` checks values (one function per type, next to its
messages), ``schemaout.py`` writes the JSON Schema and the Markdown reference.
The types say *what* a value must be, never *how* it is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

#: The longest text value accepted; far above any real bullet or section body,
#: low enough that no later stage (Markdown parser, shaping, layout) can choke.
MAX_TEXT = 100_000

Markup = Literal["inline", "blocks"]


@dataclass(frozen=True, slots=True)
class Text:
    """Text with the inline Markdown subset (or paragraphs and lists: ``blocks``).

    Any scalar is read as its text, so ``value: 150000`` is the text "150000".
    Citations and links in it are checked against ``sources`` and the allowed schemes.
    """

    markup: Markup = "inline"
    max_length: int = MAX_TEXT
    heading: bool = False  # a section heading: figures name it in ``after``


@dataclass(frozen=True, slots=True)
class Date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, precision kept; ``full``: only ``YYYY-MM-DD``."""

    full: bool = False


@dataclass(frozen=True, slots=True)
class Number:
    """A number written without quotes, within ``minimum``..``maximum``."""

    minimum: float
    maximum: float


@dataclass(frozen=True, slots=True)
class Bool:
    """``true`` or ``false`` without quotes (also ``True``/``TRUE``/``False``/``FALSE``)."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One of ``options``, in any letter case; stored in the spelling given here."""

    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pattern:
    """Text matching ``regex`` as a whole (ids, language tags); ``rule`` explains it to a person."""

    regex: str
    rule: str
    max_length: int = 100


@dataclass(frozen=True, slots=True)
class SourceId:
    """A source's own id: ``[A-Za-z0-9_-]+``, unique within the file."""


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A ``source:`` field: the id of an entry in ``sources``."""


@dataclass(frozen=True, slots=True)
class HeadingRef:
    """A figure's ``after``: the heading of a section or sub-section, as written."""


@dataclass(frozen=True, slots=True)
class Url:
    """An absolute ``http://`` or ``https://`` URL with a host name."""


@dataclass(frozen=True, slots=True)
class ImagePath:
    """A relative path to a PNG or JPEG file inside the project folder."""


@dataclass(frozen=True, slots=True)
class GeoJsonPath:
    """A relative path to a GeoJSON file inside the project folder (checked and parsed)."""


@dataclass(frozen=True, slots=True)
class Marking:
    """Handling marking text; one that starts with ``TLP`` must be one of ``labels``."""

    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListOf:
    """A list of ``item`` values; ``single``: one value alone counts as a list of one."""

    item: FieldType
    min_items: int = 0
    max_items: int = 1000
    single: bool = False


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a structure. ``example`` is YAML text (derived for structure-valued keys)."""

    key: str
    type: FieldType
    description: str
    example: str = ""
    required: bool = False


@dataclass(frozen=True, slots=True)
class Struct:
    """A mapping with a closed set of keys, built into ``model`` (None: the top level).

    ``refused`` maps a key that is not allowed here, although it is elsewhere,
    to the message that explains why (``sections`` inside a sub-section).
    ``rule`` ties keys together (an event's ``end`` not before its ``date``):
    given the checked values, it returns the key at fault and the message, or
    None; it is declared beside the structure it belongs to.
    """

    name: str
    noun: str
    description: str
    fields: tuple[Field, ...]
    model: type | None = None
    refused: tuple[tuple[str, str], ...] = ()
    rule: Callable[[dict[str, object]], tuple[str, str] | None] | None = None

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)


FieldType = (
    Text
    | Date
    | Number
    | Bool
    | Choice
    | Pattern
    | SourceId
    | SourceRef
    | HeadingRef
    | Url
    | ImagePath
    | GeoJsonPath
    | Marking
    | ListOf
    | Struct
)

SOURCE_ID_REGEX = r"[A-Za-z0-9_-]+"


def article(struct: Struct) -> str:
    """``an actor`` → ``actor``; the plural is this plus "s"."""
    return struct.noun.removeprefix("an ").removeprefix("a ")


def expected(typ: FieldType) -> str:
    """What a value of ``typ`` is, in the words of "expected …, got …" and the reference."""
    match typ:
        case Text() | HeadingRef() | Marking():
            return "text"
        case Date(full=True):
            return "a date (YYYY-MM-DD)"
        case Date():
            return "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        case Number(minimum=low, maximum=high):
            return f"a number from {low:g} to {high:g}"
        case Bool():
            return "true or false"
        case Choice(options=options):
            return " or ".join(options)
        case Pattern() | SourceId() | SourceRef():
            return "an id"
        case Url():
            return "an http or https URL"
        case ImagePath():
            return "a path to a PNG or JPEG image"
        case GeoJsonPath():
            return "a path to a GeoJSON file"
        case ListOf(item=Struct() as item):
            return f"a list of {article(item)}s"
        case ListOf(item=item, single=True):
            return f"{expected(item)} or a list of {expected(item).removeprefix('a ')}s"
        case ListOf(item=item):
            return f"a list of {expected(item).removeprefix('a ')}s"
        case Struct():
            return f"a mapping ({typ.noun})"
    raise TypeError(typ)  # pragma: no cover - the match above covers FieldType


def example_yaml(struct: Struct) -> str:
    """A flow-style YAML mapping holding every key of ``struct``, from the declared examples.

    Keys whose value is a structure get a generated example, so each declared
    example is used (and, by the tests, loaded) exactly where it applies.
    """
    return "{" + ", ".join(f"{f.key}: {example_of(f)}" for f in struct.fields) + "}"


def example_of(f: Field) -> str:
    """The YAML text of ``f``'s example; generated for structure-valued keys."""
    match f.type:
        case Struct() as struct:
            return example_yaml(struct)
        case ListOf(item=Struct() as struct):
            return f"[{example_yaml(struct)}]"
    return f.example
