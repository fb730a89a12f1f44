"""Dates as articles write them: find them with readable patterns, parse them with dateparser.

A match keeps its precision (day, month or year) so that "September 2010" is not read as
1 September 2010. Ranges ("2010-2012", "from April to October 2025") give a start and an end.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import dateparser

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("day", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),  # December 8, 2025
    ("day", re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b")),  # 8 December 2025
    ("day", re.compile(rf"\b{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b")),  # 2025-12-08
    ("month", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b")),  # September 2010
)
# "from April to October 2025", "between July and December 2010"
MONTH_RANGE = re.compile(rf"\b(?:from|between)\s+(?P<a>{_MONTH})\s+(?:to|and|until|through)\s+(?P<b>{_MONTH})\s+(?P<year>{_YEAR})\b")
# "2010-2012", "2010 to 2012", "from 2010 through 2012"
YEAR_RANGE = re.compile(rf"\b(?P<a>{_YEAR})\s*(?:-|–|—|to|through|until)\s*(?P<b>{_YEAR}|\d\d)\b")
YEAR = re.compile(rf"(?<![\d$€£¥.,])\b{_YEAR}\b(?![\d,.]\d)")
# Absolute dates only: the patterns above never match relative ones ("two days ago"), so dateparser's freshness parser is skipped.
_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"], "DATE_ORDER": "MDY", "PARSERS": ["absolute-time"]}
_LINE_NOISE = re.compile(r"^(?:published|updated|posted|last updated|date)\s*:?\s*|\s*(?:\||·|•).*$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    """A date in a text: where it is, what it says, and how precise it is."""

    start: int
    end: int
    text: str
    date: dt.date
    precision: str  # day or month

    @property
    def iso(self) -> str:
        return self.date.isoformat() if self.precision == "day" else self.date.strftime("%Y-%m")


@functools.lru_cache(maxsize=8192)
def parse(text: str, precision: str = "day") -> dt.date | None:
    """Parse one written date with dateparser (English), or None; cached, as articles repeat their dates."""
    parsed = dateparser.parse(text, languages=["en"], settings=_SETTINGS)
    if parsed is None:
        return None
    return parsed.date().replace(day=1) if precision == "month" else parsed.date()


def find_dates(text: str) -> list[DateMatch]:
    """Every full or month-year date in a text, longest match first where they overlap."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for precision, pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            date = parse(match.group(0), precision)
            if date is not None:
                found.append(DateMatch(match.start(), match.end(), match.group(0), date, precision))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def parse_date_line(line: str) -> tuple[dt.date, str] | None:
    """A line that is only a date (optionally 'Published:' or with a trailing '| 3 min read'): its date and precision."""
    core = _LINE_NOISE.sub("", line.strip()).strip(" ,")
    matches = find_dates(core)
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end >= len(core) - 1:
        return matches[0].date, matches[0].precision
    return None
