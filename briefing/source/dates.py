"""Dates written another way (``06.10.2023``, ``6 Oct 2023``) → the ``YYYY-MM-DD`` meant.

Why: the format takes ISO dates only, so that ``06.10.2023`` never silently
means June or October; but the message can say what to type. A day-first or
month-first reading is offered only when the numbers allow one reading (a day
above 12, or the dotted day.month.year form, which is day-first wherever it is
used); otherwise both readings are named and the author picks.
"""

from __future__ import annotations

import datetime as dt
import re

from briefing.model import MONTH_NAMES

_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS |= {name[:3].lower(): i for name, i in list(_MONTHS.items())}
_MONTHS["sept"] = 9

_MONTH = r"([A-Za-z]{3,9})\.?"
_FORMS = (
    # 2023/10/06, 2023.10.06, 2023-9-6, 2023/10
    (re.compile(r"(\d{4})[./-](\d{1,2})(?:[./-](\d{1,2}))?"), "ymd"),
    # 06.10.2023 (always day first), 06/10/2023 and 06-10-2023 (either)
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), "dmy"),
    (re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})"), "either"),
    # 6 Oct 2023, 6 October 2023, 6. Oktober is not English: left alone
    (re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\.? {_MONTH},? (\d{{4}})"), "d-name-y"),
    # October 6, 2023 / Oct 6 2023
    (re.compile(rf"{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})"), "name-d-y"),
    # October 2023 / Oct. 2023
    (re.compile(rf"{_MONTH},? (\d{{4}})"), "name-y"),
)


def readings(value: str) -> list[str]:
    """The ISO dates ``value`` can mean (none, one, or two when day and month may swap)."""
    text = value.strip()
    for pattern, form in _FORMS:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        g = m.groups()
        match form:
            case "ymd":
                return _valid([(int(g[0]), int(g[1]), int(g[2]) if g[2] else None)])
            case "dmy":
                return _valid([(int(g[2]), int(g[1]), int(g[0]))])
            case "either":
                a, b, year = int(g[0]), int(g[1]), int(g[2])
                return _valid(list(dict.fromkeys([(year, b, a), (year, a, b)])))
            case "d-name-y":
                month = _MONTHS.get(g[1].lower())
                return _valid([(int(g[2]), month, int(g[0]))]) if month else []
            case "name-d-y":
                month = _MONTHS.get(g[0].lower())
                return _valid([(int(g[2]), month, int(g[1]))]) if month else []
            case "name-y":
                month = _MONTHS.get(g[0].lower())
                return _valid([(int(g[1]), month, None)]) if month else []
    return []


def _valid(candidates: list[tuple[int, int, int | None]]) -> list[str]:
    out = []
    for year, month, day in candidates:
        try:
            dt.date(year, month, day or 1)
        except ValueError:
            continue
        out.append(f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else ""))
    return out


def hint(value: str, *, full: bool) -> str:
    """``; did you mean `2023-10-06`?``, both readings when ambiguous, or nothing."""
    found = readings(value)
    if full:
        found = [r for r in found if len(r) == 10]
    if len(found) == 1:
        return f"; did you mean `{found[0]}`?"
    if len(found) == 2:
        first, second = found
        return f"; did you mean `{first}` ({_spoken(first)}) or `{second}` ({_spoken(second)})?"
    return ""


def _spoken(iso: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day} {MONTH_NAMES[month - 1]} {year}"
