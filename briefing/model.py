"""The briefing as typed, immutable values: what ``load`` produces and ``render`` consumes.

Why: the YAML tree is untyped and positional; every later stage (chart, PDF,
manifest) wants checked values it can trust. Text fields hold the Markdown
subset *source* (``**bold**``, ``[@id]``…); ``text.py`` parses them for
rendering, and the loader has already checked that their citations resolve.
Build settings (page-size override, strictness, output folder) are never here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from briefing.errors import SourceError, Span

PageSize = Literal["A4", "letter"]
Precision = Literal["year", "month", "day"]

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """``29 September 2020``: English month names whatever the machine's locale."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


#: TLP 2.0 labels, as FIRST spells them. A marking that starts with ``TLP`` must be one of these.
TLP_LABELS = ("TLP:RED", "TLP:AMBER+STRICT", "TLP:AMBER", "TLP:GREEN", "TLP:CLEAR")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to a year, a month or a day; the precision is never invented.

    ``1994-05`` is May 1994, not 1 May 1994: it prints as "May 1994" and sorts
    by its first day.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day()
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def iso(self) -> str:
        """The text form it was written in: ``1994``, ``1994-05`` or ``1994-05-17``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def label(self) -> str:
        """Human form at its own precision: ``1921``, ``Feb 1998``, ``27 Sep 2020``.

        Months are abbreviated at every precision, so a date prints the same in the
        chart, the chronology and the sources list (see ``span_label`` for spans).
        """
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTH_ABBR[self.month - 1]} {self.year}"
        return f"{self.day} {MONTH_ABBR[self.month - 1]} {self.year}"

    def decimal_year(self) -> float:
        """Position on a time axis: the first day, as a fractional year."""
        return year_fraction(self.first_day())


def year_fraction(day: dt.date, *, end_of_day: bool = False) -> float:
    """A day as a fractional year (its start, or its end with ``end_of_day``): axis positions."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - (0 if end_of_day else 1)) / days


def span_label(start: PartialDate, end: PartialDate | None) -> str:
    """The one way a date or a span prints, in the chart and in the chronology.

    Each end keeps its own precision (``label``). When both ends have the same
    precision and share their year (and month), the shared tail is written once:
    ``10–29 Dec 2022``, ``24 Mar – 10 Jun 1999``, ``Mar–Jun 1999``; otherwise both
    are written whole: ``1988 – May 1994``, ``Feb 1998 – Jun 1999``, ``1998–2001``.
    The en dash is closed when the start is one word of the same kind as the end's
    first (``1998–2001``, ``Mar–Jun``, ``10–29``) and spaced otherwise. An end
    equal to the start prints once.
    """
    if end is None or end == start:
        return start.label()
    left, right = start.label(), end.label()
    if start.precision == end.precision and start.year == end.year:
        if start.precision == "month":
            assert start.month is not None
            left = MONTH_ABBR[start.month - 1]
        elif start.precision == "day":
            assert start.month is not None
            same_month = start.month == end.month
            left = str(start.day) if same_month else f"{start.day} {MONTH_ABBR[start.month - 1]}"
    first = right.split(" ", 1)[0]
    closed = " " not in left and left.isdigit() == first.isdigit()
    dash = "–" if closed else " – "
    return f"{left}{dash}{right}"


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str
    source: tuple[str, ...] = ()  # ids in ``sources``; one or more


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float
    lon: float


#: ``(lon, lat)`` in degrees, GeoJSON order.
LonLat = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Bounds:
    """A map's frame in degrees; ``west > east`` means it crosses the antimeridian."""

    west: float
    south: float
    east: float
    north: float

    @property
    def crosses_antimeridian(self) -> bool:
        return self.west > self.east


@dataclass(frozen=True, slots=True)
class GeoData:
    """A checked GeoJSON file: its geometry flattened to points, lines and polygon rings.

    ``sha256`` stands for the geometry in reprs and comparisons (and so in cache keys):
    the coordinates may be large.
    """

    path: Path  # absolute, resolved, inside the project
    sha256: str
    points: tuple[LonLat, ...] = field(default=(), repr=False, compare=False)
    lines: tuple[tuple[LonLat, ...], ...] = field(default=(), repr=False, compare=False)
    #: Each polygon is its rings, the outer ring first.
    polygons: tuple[tuple[tuple[LonLat, ...], ...], ...] = field(
        default=(), repr=False, compare=False
    )


@dataclass(frozen=True, slots=True)
class Overlay:
    file: GeoData
    label: str | None = None


@dataclass(frozen=True, slots=True)
class MapPanel:
    title: str | None = None
    region: str | None = None
    caption: str | None = None
    credit: str | None = None
    image: Path | None = None  # absolute, resolved, checked to be PNG or JPEG inside the project
    places: tuple[Place, ...] = ()
    style: str | None = None  # "locator" or "placeholder"
    bounds: Bounds | None = None
    overlays: tuple[Overlay, ...] = ()

    @property
    def draws_locator(self) -> bool:
        """Drawn from geography: no image, no placeholder asked for, something to show."""
        if self.image is not None or self.style == "placeholder":
            return False
        return bool(self.places or self.overlays)


@dataclass(frozen=True, slots=True)
class Event:
    date: PartialDate
    label: str
    end: PartialDate | None = None
    detail: str | None = None
    category: str | None = None
    source: tuple[str, ...] = ()  # ids in ``sources``; one or more
    key: bool = False  # a key event: always labelled on the chart

    @property
    def is_span(self) -> bool:
        return self.end is not None


#: Timeline categories with a fixed colour and marker (``render.charts.look.FIXED``).
COMMON_CATEGORIES = (
    "political", "military", "diplomatic", "security", "economic", "humanitarian", "legal",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Timeline:
    events: tuple[Event, ...]
    title: str | None = None

    def categories(self) -> tuple[str, ...]:
        """Categories in order of first appearance (``None`` excluded): stable colours."""
        seen: dict[str, None] = {}
        for event in self.events:
            if event.category is not None:
                seen.setdefault(event.category, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    type: str | None = None
    role: str | None = None
    alignment: str | None = None
    ties: tuple[str, ...] = ()
    notes: str | None = None
    source: tuple[str, ...] = ()  # ids in ``sources``; one or more


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    body: str
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class Figure:
    image: Path  # absolute, resolved, checked to be PNG or JPEG inside the project
    caption: str | None = None
    credit: str | None = None
    after: str | None = None  # a top-level or sub-section heading; None: end of the body


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str | None = None
    date: PartialDate | None = None
    url: str | None = None
    accessed: PartialDate | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Briefing:
    """One briefing, checked: every citation resolves, every date is real, every path is safe."""

    id: str
    title: str
    as_of: dt.date
    summary: tuple[str, ...]
    subtitle: str | None = None
    marking: str | None = None
    draft: bool = False
    organization: str | None = None
    authors: tuple[str, ...] = ()
    review_by: dt.date | None = None
    page_size: PageSize | None = None  # None: not given in the source (A4 unless overridden)
    language: str = "en"
    key_facts: tuple[Fact, ...] = ()
    map: MapPanel | None = None
    timeline: Timeline | None = None
    actors: tuple[Actor, ...] = ()
    sections: tuple[Section, ...] = ()
    figures: tuple[Figure, ...] = ()
    sources: tuple[Source, ...] = ()
    #: The analyst's notes on what changed in this edition (printed first in the changes box).
    changes: tuple[str, ...] = ()
    #: The source file as given (relative to the project when possible), for messages.
    path: str = ""
    #: Key path (``actors[2].name``) → where its value starts, for warnings found after loading.
    locations: Mapping[str, Span] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )
    #: Warnings found while loading (unclosed ``**``, uncited sources), in file order.
    warnings: tuple[SourceError, ...] = field(default=(), compare=False, repr=False)

    def source_numbers(self) -> dict[str, int]:
        """Source id → its number in the sources list (1-based), as citations print it."""
        return {source.id: number for number, source in enumerate(self.sources, start=1)}

    def assets(self) -> tuple[Path, ...]:
        """Every file the PDF is made from besides the source: for fingerprints and watching."""
        paths: list[Path] = []
        if self.map is not None and self.map.image is not None:
            paths.append(self.map.image)
        if self.map is not None:
            paths.extend(overlay.file.path for overlay in self.map.overlays)
        paths.extend(figure.image for figure in self.figures)
        return tuple(dict.fromkeys(paths))

    def span_of(self, key_path: str) -> Span:
        """Where ``key_path`` was written, or the file's start when unknown."""
        return self.locations.get(key_path) or Span(self.path, 1, 1)
