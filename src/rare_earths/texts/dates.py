"""Dates as articles write them: find them with readable patterns, parse them with dateparser.

A match keeps its precision (day, month or year) so that "September 2010" is not read as
1 September 2010. Ranges ("2010-2012", "from April to October 2025") give a start and an end.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

import dateparser

from rare_earths.texts.items import Spans

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# Each pattern opens with a look-ahead on its first character, so the engine skips every other position.
DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("day", re.compile(rf"(?=[JFMASOND])\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),  # December 8, 2025
    ("day", re.compile(rf"(?=\d)\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b")),  # 8 December 2025
    ("day", re.compile(rf"(?=[12])\b{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b")),  # 2025-12-08
    ("month", re.compile(rf"(?=[JFMASOND])\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b")),  # September 2010
)
_ANY_YEAR = re.compile(_YEAR)  # every pattern above needs one: a text without is not scanned
# "from April to October 2025", "between July and December 2010"
MONTH_RANGE = re.compile(
    rf"\b(?:from|between)\s+(?P<a>{_MONTH})\s+(?:to|and|until|through)\s+"
    rf"(?P<b>{_MONTH})\s+(?P<year>{_YEAR})\b"
)
# "2010-2012", "2010 to 2012", "from 2010 through 2012"
YEAR_RANGE = re.compile(rf"\b(?P<a>{_YEAR})\s*(?:-|–|—|to|through|until)\s*(?P<b>{_YEAR}|\d\d)\b")
YEAR = re.compile(rf"(?<![\d$€£¥.,])\b{_YEAR}\b(?![\d,.]\d)")
# Absolute dates only: the patterns above never match relative ones ("two days ago"), so dateparser's
# freshness parser is skipped.
_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["year"],
    "DATE_ORDER": "MDY",
    "PARSERS": ["absolute-time"],
}
_LINE_NOISE = re.compile(
    r"^(?:published|updated|posted|last updated|date)\s*:?\s*|\s*(?:\||·|•).*$", re.IGNORECASE
)


@dataclass(frozen=True)
class DateMatch:
    """A date in a text: where it is, what it says, and how precise it is."""

    start: int
    end: int
    text: str
    date: dt.date
    precision: str  # day or month

    @functools.cached_property
    def iso(self) -> str:
        """YYYY-MM-DD, or YYYY-MM for a month (computed once: several steps ask; isoformat is cheaper than
        strftime)."""
        return self.date.isoformat() if self.precision == "day" else self.date.isoformat()[:7]


# The shapes DATE_PATTERNS find, with their parts named: read directly, as dateparser would read them but
# without its cost (it tries every parser and locale, milliseconds a date); other texts go to dateparser.
_MONTH_NUMBERS = {name: number for number, name in enumerate(calendar.month_abbr) if name}
_SHAPES = (
    re.compile(rf"(?P<month>{_MONTH})\s+(?P<day>{_DAY}),?\s+(?P<year>{_YEAR})"),
    re.compile(rf"(?P<day>{_DAY})\s+(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})"),
    re.compile(rf"(?P<year>{_YEAR})-(?P<number>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"),
    re.compile(rf"(?P<month>{_MONTH})\s+(?:of\s+)?(?P<year>{_YEAR})"),
)


@functools.lru_cache(maxsize=8192)
def parse(text: str, precision: str = "day") -> dt.date | None:
    """Parse one written date (English), or None; cached, as articles repeat their dates."""
    shaped = _parse_shape(text)
    if shaped is not None:
        date = shaped or None
    else:
        parsed = dateparser.parse(text, languages=["en"], settings=_SETTINGS)
        date = parsed.date() if parsed is not None else None
    return date.replace(day=1) if date is not None and precision == "month" else date


def _parse_shape(text: str) -> dt.date | bool | None:
    """The date of a text in one of the shapes DATE_PATTERNS find; False when its numbers are no calendar
    date, None when the text has another shape."""
    match = next((found for shape in _SHAPES if (found := shape.fullmatch(text))), None)
    if match is None:
        return None
    parts = match.groupdict()
    month = int(parts["number"]) if parts.get("number") else _MONTH_NUMBERS[parts["month"][:3]]
    day = int(re.match(r"\d+", parts["day"]).group(0)) if parts.get("day") else 1
    try:
        return dt.date(int(parts["year"]), month, day)
    except ValueError:
        return False


def find_dates(text: str) -> list[DateMatch]:
    """Every full or month-year date in a text, longest match first where they overlap."""
    found: list[DateMatch] = []
    if _ANY_YEAR.search(text) is None:
        return found
    taken = Spans()
    for precision, pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if taken.overlaps(match.start(), match.end()):
                continue
            date = parse(match.group(0), precision)
            if date is not None:
                found.append(DateMatch(match.start(), match.end(), match.group(0), date, precision))
                taken.add(match.start(), match.end())
    return sorted(found, key=lambda m: m.start)


@functools.lru_cache(maxsize=2)
def find_dates_cached(text: str) -> tuple[DateMatch, ...]:
    """find_dates of a body that several steps of claim extraction read (the last two bodies are kept)."""
    return tuple(find_dates(text))


def parse_date_line(line: str) -> tuple[dt.date, str] | None:
    """A line that is only a date (optionally 'Published:' or with a trailing '| 3 min read'): its date and
    precision."""
    core = _LINE_NOISE.sub("", line.strip()).strip(" ,")
    matches = find_dates(core)
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end >= len(core) - 1:
        return matches[0].date, matches[0].precision
    return None


# --- publication dates in any of the study's languages ------------------------------------------------
_Y = r"(?P<y>(?:19[5-9]|20\d)\d)"
_M = r"(?P<m>1[0-2]|0?[1-9])"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9])"
# 2025-10-15, 2026.01.09, 2010/12/01, 2010年12月1日, 2026년 1월 9일
YEAR_FIRST = re.compile(rf"(?<!\d){_Y}\s*(?:[./-]|年|년)\s*{_M}\s*(?:[./-]|月|월)\s*{_D}(?:\s*[日일])?(?!\d)")
# 08.01.2026 (day first in German and French), 07.15.25 (month first where the day is over 12)
DAY_OR_MONTH_FIRST = re.compile(
    r"(?<![\d.])(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<y>(?:19|20)\d\d|\d\d)(?![\d])"
)
_EUROPEAN_MONTHS = {
    **dict.fromkeys(("janvier", "januar", "jänner"), 1),
    **dict.fromkeys(("février", "februar"), 2),
    **dict.fromkeys(("mars", "märz"), 3),
    **dict.fromkeys(("avril", "april"), 4),
    **dict.fromkeys(("mai",), 5),
    **dict.fromkeys(("juin", "juni"), 6),
    **dict.fromkeys(("juillet", "juli"), 7),
    **dict.fromkeys(("août", "august"), 8),
    **dict.fromkeys(("septembre", "september"), 9),
    **dict.fromkeys(("octobre", "oktober"), 10),
    **dict.fromkeys(("novembre", "november"), 11),
    **dict.fromkeys(("décembre", "dezember"), 12),
}
# 15 octobre 2025, 8. Januar 2026
EUROPEAN = re.compile(rf"(?<!\d){_D}\.?\s+(?P<month>{'|'.join(_EUROPEAN_MONTHS)})\s+{_Y}\b", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"^(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+", re.IGNORECASE
)
_TIME = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM|a\.m\.|p\.m\.|Uhr|h)\b)?|\b\d{1,2}h\d{2}\b", re.IGNORECASE
)
_DATE_LABEL = re.compile(
    r"^\s*(?:입력|수정|업데이트|掲載日?|更新日?|公開日?|配信日?|发布时间|发布日期|更新时间|"
    r"mis à jour le|aktualisiert(?: am)?)\s*[:：]?\s*",
    re.IGNORECASE,
)
_LABEL_PREFIX = re.compile(
    r"^\s*(?:date|published(?: on)?|updated|posted(?: on)?|publié le|mis à jour le|"
    r"veröffentlicht(?: am)?|datum|stand)\s*:?\s*",
    re.IGNORECASE,
)


def publication_date(text: str, language: str | None = None) -> dt.date | None:
    """The first full date (day precision) in a short text, in the formats of the study's languages; None when
    unsure."""
    found = _full_dates(text, language)
    return min(found)[2] if found else None


def first_full_date(text: str, language: str | None = None) -> tuple[int, dt.date] | None:
    """Where the first full date (day precision) of a text starts, and that date; None when there is none."""
    found = _full_dates(text, language)
    if not found:
        return None
    start, _, date = min(found)
    return start, date


def is_date_line(text: str) -> bool:
    """A line that holds one full date and nothing else but a label, a weekday and a time, in any of the
    study's languages."""
    core = _TIME.sub(" ", _DATE_LABEL.sub("", _LABEL_PREFIX.sub("", text.strip())))
    found = _full_dates(core, "any")
    if len(found) != 1:
        return False
    start, end, _ = found[0]
    rest = _WEEKDAY.sub("", core[:start].strip()) + core[end:]
    return not re.search(r"[^\W\d_]", rest)


def _full_dates(text: str, language: str | None) -> list[tuple[int, int, dt.date]]:
    """(start, end, date) of every full date in any of the formats; language 'any' accepts both day-month
    orders."""
    found = [(m.start, m.end, m.date) for m in find_dates(text) if m.precision == "day"]
    for m in YEAR_FIRST.finditer(text):
        found.extend(_dated(m, int(m.group("y")), int(m.group("m")), int(m.group("d"))))
    for m in EUROPEAN.finditer(text):
        found.extend(
            _dated(m, int(m.group("y")), _EUROPEAN_MONTHS[m.group("month").lower()], int(m.group("d")))
        )
    for m in DAY_OR_MONTH_FIRST.finditer(text):
        found.extend(_day_or_month_first(m, language))
    return found


def labelled_date(text: str, language: str | None = None) -> dt.date | None:
    """A date that opens a line after a label ('date 2025-10-15 ...', 'Published: 5 July 2012 ...')."""
    label = _LABEL_PREFIX.match(text)
    if not label or label.end() == 0:
        return None
    rest = text[label.end() :]
    date = publication_date(rest[:40], language)
    return date if date is not None and re.match(r"\s*\w", rest) else None


def _dated(m: re.Match[str], year: int, month: int, day: int) -> list[tuple[int, int, dt.date]]:
    """A (start, end, date) triple for a match, or nothing when the numbers are not a calendar date."""
    try:
        return [(m.start(), m.end(), dt.date(year, month, day))]
    except ValueError:
        return []


def _day_or_month_first(m: re.Match[str], language: str | None) -> list[tuple[int, int, dt.date]]:
    """08.01.2026 or 07.15.25: day first unless the first number cannot be a day-month pair; ambiguous English
    dates are left out."""
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    year = year + 2000 if year < 100 else year
    if a > 12 or (b <= 12 and language not in (None, "en")):
        return _dated(m, year, b, a)
    if b > 12:
        return _dated(m, year, a, b)
    return []


def month_end(year: int, month: int) -> str:
    """The ISO date of the last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


# --- a month and day without a year ('Feb 16', '2月16日'), the year taken from the page -----------------
_MONTH_DAY_ONLY = re.compile(
    rf"^(?:(?P<month>{_MONTH})\s+(?P<day>{_DAY})|(?P<day2>{_DAY})\s+(?P<month2>{_MONTH}))$", re.IGNORECASE
)
_CJK_MONTH_DAY_ONLY = re.compile(r"^(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*日$")
_COPYRIGHT_YEAR = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*[-–]\s*)?(?P<y>(?:19|20)\d\d)", re.IGNORECASE
)


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a line that is only a month and a day, after any label, weekday and time."""
    core = _WEEKDAY.sub(
        "", _TIME.sub("", _DATE_LABEL.sub("", _LABEL_PREFIX.sub("", text.strip()))).strip(" ,|·")
    ).strip()
    if match := _CJK_MONTH_DAY_ONLY.match(core):
        return int(match.group("m")), int(match.group("d"))
    if match := _MONTH_DAY_ONLY.match(core):
        parsed = parse(f"{match.group('month') or match.group('month2')} 1 2001")
        day = re.match(r"\d+", match.group("day") or match.group("day2"))
        return (parsed.month, int(day.group(0))) if parsed and day else None
    return None


def page_year(texts: list[str]) -> int | None:
    """The year a page gives in a full date of its own lines, else in its copyright line; None when it gives
    none."""
    for text in texts:
        if len(text.split()) <= 14 and (date := publication_date(text)) is not None:
            return date.year
    return next((int(m.group("y")) for text in texts if (m := _COPYRIGHT_YEAR.search(text))), None)
