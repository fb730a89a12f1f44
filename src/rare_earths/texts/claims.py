"""Extract figures, dates, quotations and names from clean article text.

Each extractor is a readable regular expression plus a small normaliser, and each item keeps
its character offsets in the body, the sentence it sits in, what it measures (`subject`, taken
from the words around it) and the year or date it is about (`period`, where the sentence says).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re

from rare_earths.texts import dates, gazetteer, quotes, world
from rare_earths.texts.items import CLAIM_COLUMNS, Claim, Spans

__all__ = ["CLAIM_COLUMNS", "Claim", "Spans", "extract", "sentences"]

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUALIFIERS = (
    "no more than|no less than|over|more than|about|around|almost|nearly|roughly|some|up to|less than|"
    "at least|approximately|just over|just under"
)
_QUALIFIER = rf"(?P<qualifier>{_QUALIFIERS})\s+"
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|mn|m|k)\b)?"
_CURRENCIES = {
    "US$": "USD",
    "$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "USD": "USD",
    "EUR": "EUR",
    "JPY": "JPY",
    "AUD": "AUD",
    "CNY": "CNY",
    "RMB": "CNY",
    "dollars": "USD",
    "US dollars": "USD",
    "Australian dollars": "AUD",
    "yen": "JPY",
    "euros": "EUR",
    "euro": "EUR",
    "yuan": "CNY",
}
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "a": 1,
    "an": 1,
}
_PER_UNIT = {"kilogram": "kg", "kg": "kg", "tonne": "t", "ton": "t", "t": "t", "pound": "lb", "lb": "lb"}
_UNITS = {
    "t reo": "t REO",
    "tonnes of rare earth oxide": "t REO",
    "tonnes of rare-earth oxide": "t REO",
    "metric tons": "t",
    "metric tonnes": "t",
    "tonnes": "t",
    "tons": "t",
    "tonne": "t",
    "ton": "t",
    "t": "t",
    "kt": "kt",
    "kilotonnes": "kt",
    "kg": "kg",
    "kilograms": "kg",
    "metres": "m",
    "meters": "m",
    "kilometres": "km",
    "kilometers": "km",
    "km": "km",
    "square kilometres": "km2",
    "km2": "km2",
}

# Each figure pattern opens with a look-ahead on how it can start (a digit, a currency sign, a qualifier's
# first two letters), so the engine skips every other position without trying each alternative.
_QUALIFIER_OPENINGS = "|".join(sorted({qualifier[:2] for qualifier in _QUALIFIERS.split("|")}))
_STARTS = rf"(?=\d|{_QUALIFIER_OPENINGS})"
PERCENT = re.compile(
    rf"{_STARTS}(?:{_QUALIFIER})?(?P<number>{_NUMBER})\s*(?P<unit>%|percent|per cent)"
    rf"(?P<points>age points| points)?"
)
MONEY = re.compile(
    rf"(?=[\d$€£¥UACEJR]|{_QUALIFIER_OPENINGS})(?:(?:{_QUALIFIER})?"
    rf"(?P<currency>US\$|A\$|AU\$|C\$|\$|€|£|¥|\b(?:USD|EUR|JPY|AUD|CNY|RMB)\s?)(?P<number>{_NUMBER}){_SCALE}"
    rf"|(?:(?P<qualifier2>{_QUALIFIERS})\s+)?(?P<number2>{_NUMBER})\s*"
    rf"(?P<scale2>thousand|million|billion|trillion)?"
    r"\s+(?P<currency2>US dollars|Australian dollars|dollars|yen|euros?|yuan)\b)"
    r"(?:\s*(?:per|a|/)\s*(?P<per>kilogram|kg|tonne|ton|t|pound|lb)\b)?"
)
QUANTITY = re.compile(
    rf"{_STARTS}(?:{_QUALIFIER})?(?P<number>{_NUMBER})\s*(?P<scale>thousand|million)?\s*"
    r"(?P<unit>tonnes of rare[- ]earth oxide|t REO|metric tonnes|metric tons|tonnes|tons|tonne|ton|"
    r"kilotonnes|kilograms|kt|kg|t|"
    r"square kilometres|km2|kilometres|kilometers|km|metres|meters)(?![\w-])"
)
DURATION = re.compile(
    rf"(?=[\dotfsena])\b(?P<number>{_NUMBER}|{'|'.join(_WORD_NUMBERS)})[\s-]"
    rf"(?P<unit>hour|day|week|month|year|decade)s?(?:[\s-]long)?\b",
    re.IGNORECASE,
)
DEMONYMS = {
    "Japanese": "JP",
    "Chinese": "CN",
    "American": "US",
    "Australian": "AU",
    "European": "EU",
    "Malaysian": "MY",
    "Korean": "KR",
    "Indian": "IN",
    "Canadian": "CA",
    "French": "FR",
    "German": "DE",
    "British": "GB",
    "Vietnamese": "VN",
    "Russian": "RU",
}
DEMONYM = re.compile(rf"\b(?:{'|'.join(DEMONYMS)})\b")
_ABBREVIATIONS = (
    "U.S.",
    "U.K.",
    "U.S.A.",
    "Ltd.",
    "Inc.",
    "Corp.",
    "Co.",
    "Mr.",
    "Ms.",
    "Mrs.",
    "Dr.",
    "e.g.",
    "i.e.",
    "No.",
    "vs.",
    "St.",
    "Mrd.",
    "Mio.",
    "Nr.",
    "bzw.",
    "ca.",
    "Prof.",
    "etc.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
_NOW = re.compile(r"\b(?:now|currently|today|at present|this year)\b", re.IGNORECASE)


def sentences(body: str) -> list[tuple[int, int]]:
    """Sentence spans: split at . ! ? (or a closing quote after them) before a capital, a digit or a quote,
    and at line breaks."""
    spans, start = [], 0
    for match in re.finditer(r"(?<=[.!?])[”\"’]?\s+(?=[“\"A-Z0-9])|\n+", body):
        before = body[start : match.start() + 1]
        if not match.group(0).startswith("\n") and before.rstrip().endswith(_ABBREVIATIONS):
            continue
        end = match.start() + (len(match.group(0)) - len(match.group(0).lstrip('”"’')))
        if body[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if body[start:].strip():
        spans.append((start, len(body)))
    return spans


def extract(doc_id: str, body: str, language: str | None = None) -> list[Claim]:
    """Every item in a body, sorted by position then kind (n log n in the body's length)."""
    spans = sentences(body)
    claims: list[Claim] = []
    for extractor in (_percentages, _money, _quantities, _durations, _dates_and_years):
        claims.extend(extractor(doc_id, body, claims))
    claims.extend(world.figures(doc_id, body, claims, language))
    for extractor in (_quotes, _countries, _organisations):
        claims.extend(extractor(doc_id, body, claims))
    _place(claims, body, spans)
    return sorted(claims, key=lambda c: (c.start, c.kind))


def _place(claims: list[Claim], body: str, spans: list[tuple[int, int]]) -> None:
    """Give each item its sentence and each figure its period, both found by bisection (dates and years are
    found once)."""
    starts = [a for a, _ in spans]
    marks = _Marks(body)
    # per sentence span: its text, once (the claims of one sentence share it, so a worker pickles it once),
    # and its dates, years and 'now'
    texts: dict[tuple[int, int], str] = {}
    within: dict[tuple[int, int], tuple] = {}
    for claim in claims:
        index = bisect.bisect_right(starts, claim.start) - 1
        start, end = (
            spans[index] if index >= 0 and claim.start < spans[index][1] else (claim.start, claim.end)
        )
        end = (
            end if claim.kind == "quote" else max(end, claim.end)
        )  # a figure never straddles its sentence's end
        if (start, end) not in texts:
            texts[start, end] = body[start:end].strip()
        claim.sentence = texts[start, end]
        if claim.kind in {"percentage", "money", "quantity", "duration"}:
            if (start, end) not in within:
                within[start, end] = marks.within(start, end, body[start:end])
            claim.period = _period(claim.start - start, claim.end - start, within[start, end])


def _number(text: str) -> float:
    """A written number: digits with thousands separators, or a small number word."""
    word = text.lower()
    return float(_WORD_NUMBERS[word]) if word in _WORD_NUMBERS else float(text.replace(",", ""))


def _figure(
    doc_id: str,
    kind: str,
    body: str,
    m: re.Match[str],
    value: float,
    unit: str,
    qualifier: str | None,
    before_first: bool = False,
) -> Claim:
    """A number with its unit; its subject comes from the words after it, or before it (money: "investing $250
    million")."""
    text = m.group(0).strip()
    start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
    after, before = _subject_after(body, m.end()), _subject_before(body, start)
    subject = (before or after) if before_first else (after or before)
    return Claim(
        doc_id,
        kind,
        text,
        start,
        start + len(text),
        value=value,
        unit=unit,
        qualifier=qualifier,
        subject=subject,
    )


def _percentages(doc_id: str, body: str, claims: list[Claim]) -> list[Claim]:
    """Percentages and percentage points, with their qualifier ("over 85%")."""
    return [
        _figure(
            doc_id,
            "percentage",
            body,
            m,
            _number(m.group("number")),
            "percentage point" if m.group("points") else "%",
            m.group("qualifier"),
        )
        for m in PERCENT.finditer(body)
    ]


def _money(doc_id: str, body: str, claims: list[Claim]) -> list[Claim]:
    """Amounts with a currency and a scale, normalised to units of the currency (per kg or t where
    written)."""
    found = []
    for m in MONEY.finditer(body):
        scale = (m.group("scale") or m.group("scale2") or "").lower()
        value = _number(m.group("number") or m.group("number2")) * _SCALES.get(scale, 1)
        currency = _CURRENCIES[(m.group("currency") or m.group("currency2")).strip()]
        unit = f"{currency}/{_PER_UNIT[m.group('per').lower()]}" if m.group("per") else currency
        found.append(
            _figure(
                doc_id,
                "money",
                body,
                m,
                value,
                unit,
                m.group("qualifier") or m.group("qualifier2"),
                before_first=True,
            )
        )
    return found


def _quantities(doc_id: str, body: str, claims: list[Claim]) -> list[Claim]:
    """Masses (tonnes, t REO, kt, kg) and lengths, scaled to the unit written."""
    found = []
    taken = Spans(claims, {"money", "percentage"})
    for m in QUANTITY.finditer(body):
        if not taken.overlaps(m.start(), m.end()):
            value = _number(m.group("number")) * _SCALES.get((m.group("scale") or "").lower(), 1)
            found.append(
                _figure(
                    doc_id,
                    "quantity",
                    body,
                    m,
                    value,
                    _UNITS.get(m.group("unit").lower(), m.group("unit")),
                    m.group("qualifier"),
                )
            )
    return found


def _durations(doc_id: str, body: str, claims: list[Claim]) -> list[Claim]:
    """Lengths of time ("two-month", "15 years"), as a number and a singular unit."""
    found = []
    for m in DURATION.finditer(body):
        if (
            m.group("number").lower() in {"a", "an"}
            and not m.group(0).lower().endswith(("-long", " long"))
            and "-" not in m.group(0)
        ):
            continue  # "a year" is usually not a measured duration
        found.append(
            Claim(
                doc_id,
                "duration",
                m.group(0),
                m.start(),
                m.end(),
                value=_number(m.group("number")),
                unit=m.group("unit").lower(),
                subject=_subject_after(body, m.end()),
            )
        )
    return found


def _dates_and_years(doc_id: str, body: str, claims: list[Claim]) -> list[Claim]:
    """Full and month dates, month and year ranges, and bare years not inside another item."""
    found: list[Claim] = []
    dated = Spans()
    for m in dates.MONTH_RANGE.finditer(body):
        first = dates.parse(f"{m.group('a')} {m.group('year')}", "month")
        last = dates.parse(f"{m.group('b')} {m.group('year')}", "month")
        if first and last:
            found.append(
                Claim(
                    doc_id,
                    "date",
                    m.group(0),
                    m.start(),
                    m.end(),
                    normalised=f"{first:%Y-%m}/{last:%Y-%m}",
                    period=f"{first:%Y-%m}/{last:%Y-%m}",
                    date_start=first.isoformat(),
                    date_end=_month_end(last),
                )
            )
            dated.add(m.start(), m.end())
    for d in dates.find_dates_cached(body):
        if not dated.overlaps(d.start, d.end):
            end = d.date.isoformat() if d.precision == "day" else _month_end(d.date)
            found.append(
                Claim(
                    doc_id,
                    "date",
                    d.text,
                    d.start,
                    d.end,
                    normalised=d.iso,
                    period=d.iso,
                    date_start=d.date.isoformat(),
                    date_end=end,
                )
            )
            dated.add(d.start, d.end)
    found.extend(world.periods(doc_id, body, dated))
    return found + _bare_years(doc_id, body, found + claims)


def _bare_years(doc_id: str, body: str, earlier: list[Claim]) -> list[Claim]:
    """Year ranges and years that no date or figure already covers."""
    found: list[Claim] = []
    taken = Spans(earlier, {"date", "money", "quantity", "percentage"})
    for m in dates.YEAR_RANGE.finditer(body):
        first, last = (
            int(m.group("a")),
            int(m.group("b")) if len(m.group("b")) == 4 else int(m.group("a")[:2] + m.group("b")),
        )
        if last > first and not taken.overlaps(m.start(), m.end()):
            found.append(_years(doc_id, m, first, last))
            taken.add(m.start(), m.end())
    for m in dates.YEAR.finditer(body):
        if not taken.overlaps(m.start(), m.end()):
            found.append(_years(doc_id, m, int(m.group(0)), int(m.group(0))))
            taken.add(m.start(), m.end())
    return found


def _years(doc_id: str, m: re.Match[str], first: int, last: int) -> Claim:
    """A year ("2010") or a year range ("2010-2012"): value is the first year, the period runs to the end of
    the last."""
    period = str(first) if first == last else f"{first}/{last}"
    span = {"start": m.start(), "end": m.end()}
    return Claim(
        doc_id,
        "year",
        m.group(0),
        **span,
        value=float(first),
        normalised=period,
        period=period,
        date_start=f"{first}-01-01",
        date_end=f"{last}-12-31",
    )


def _month_end(first: dt.date) -> str:
    """The last day of the month of a date."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1]).isoformat()


def _quotes(doc_id: str, body: str, claims: list[Claim]) -> list[Claim]:
    """Quotations of three words or more, and shorter ones the text attributes, with the speaker and role it
    gives."""
    found: list[Claim] = []
    people: dict[str, tuple[str, str | None]] = {}  # surname -> (full name, role)
    breaks = [m.start() for m in re.finditer(r"\n\n", body)]
    for m in quotes.QUOTE.finditer(body):
        words = quotes.words(next(group for group in m.groups() if group is not None))
        if words < 2:
            continue
        index = bisect.bisect_left(breaks, m.start())
        paragraph_start = breaks[index - 1] + 1 if index > 0 else 0
        after = bisect.bisect_left(breaks, m.end())
        paragraph_end = breaks[after] if after < len(breaks) else len(body)
        name, role = quotes.attribute(
            body[m.end() : min(paragraph_end, m.end() + 300)],
            body[max(paragraph_start, m.start() - 300) : m.start()],
        )
        if name is None and words < 3:
            # a short quoted phrase counts only where the text attributes it (else it is a scare quote)
            continue
        if name is None and found and found[-1].end >= paragraph_start:
            name, role = found[-1].speaker, found[-1].speaker_role  # a second quote in the same paragraph
        if name:
            full, known_role = people.get(name.split()[-1], (name, None))
            name, role = (full if len(full) > len(name) else name), role or known_role
            people[name.split()[-1]] = (name, role)
        found.append(Claim(doc_id, "quote", m.group(0), m.start(), m.end(), speaker=name, speaker_role=role))
    return found


def _countries(doc_id: str, body: str, claims: list[Claim]) -> list[Claim]:
    """Country names, capitals used as stand-ins and demonyms, as ISO alpha-2 codes (EU for the Union)."""
    found = [
        Claim(
            doc_id,
            "country",
            m.group(0),
            m.start(),
            m.end(),
            normalised=gazetteer.country_names()[m.group(0)],
        )
        for m in _country_pattern().finditer(body)
    ]
    taken = Spans(found)
    for m in DEMONYM.finditer(body):
        if not taken.overlaps(m.start(), m.start() + 1):
            found.append(
                Claim(doc_id, "country", m.group(0), m.start(), m.end(), normalised=DEMONYMS[m.group(0)])
            )
    return found


@functools.lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    """The gazetteer's country pattern, built once, opening with a look-ahead on the names' first letters."""
    pattern = gazetteer.country_pattern()
    first = "".join(sorted({re.escape(name[0]) for name in gazetteer.country_names()}))
    return re.compile(f"(?=[{first}])" + pattern.pattern, pattern.flags)


def _organisations(doc_id: str, body: str, claims: list[Claim]) -> list[Claim]:
    """Companies, agencies and bodies: names with an organisational suffix, appositions, acronyms, and later
    short mentions."""
    spans: dict[tuple[int, int], str] = {}
    for m in gazetteer.ORGANISATION.finditer(body):
        spans[(m.start("name"), m.end("name"))] = m.group("name")
    for m in gazetteer.ORGANISATION_APPOSITION.finditer(body):
        group = "name" if m.group("name") else "name2"
        spans.setdefault((m.start(group), m.end(group)), m.group(group))
    for m in gazetteer.ORGANISATION_ACRONYM.finditer(body):
        spans.setdefault((m.start(), m.end()), m.group(0))
    mentions = {name: name for name in spans.values()}
    mentions.update(
        {
            name.split()[0]: name
            for name in spans.values()
            if len(name.split()) > 1 and name.split()[0] not in _GENERIC_FIRST_WORDS
        }
    )
    taken = Spans([Claim("", "", "", a, b) for a, b in spans])
    for short, full in mentions.items():
        for m in re.finditer(rf"(?<![\w]){re.escape(short)}(?![\w])", body):
            if not taken.overlaps(m.start(), m.start() + 1):
                spans[(m.start(), m.end())] = full
    kept = _outermost(spans)
    return [
        Claim(doc_id, "organisation", body[a:b], a, b, normalised=name.rstrip(".")) for (a, b), name in kept
    ]


_GENERIC_FIRST_WORDS = {
    "The",
    "International",
    "National",
    "European",
    "American",
    "Japanese",
    "Chinese",
    "World",
    "United",
    "Department",
    "Ministry",
}


def _outermost(spans: dict[tuple[int, int], str]) -> list[tuple[tuple[int, int], str]]:
    """Drop spans that lie inside a longer one."""
    ordered = sorted(spans.items(), key=lambda item: (item[0][0], -item[0][1]))
    kept: list[tuple[tuple[int, int], str]] = []
    for (a, b), name in ordered:
        if kept and a < kept[-1][0][1]:
            continue
        kept.append(((a, b), name))
    return kept


_STOP = re.compile(
    r"\s+(?:according to|than|by|as|in \d{4}|since|after|before|from|aiming|while|which|that|but|and then)\b"
    r"|[,.;:!?”\"()—–]"
)


def _subject_after(body: str, end: int) -> str | None:
    """What a figure measures, from the words after it: "85% of global refining capacity", "22,000 tonnes of
    concentrate"."""
    tail = body[end : end + 160]
    tail = tail.split("\n", 1)[0]
    match = re.match(r"\s*(?:of\s+(?:the\s+)?|in\s+(?![12]\d{3}))?(?P<words>[A-Za-z][\w'’\s-]*)", tail)
    if not match or re.match(r"(?:in|by|since|from|or)\b", match.group("words")):
        return None
    words = _STOP.split(match.group("words"), maxsplit=1)[0].split()
    return " ".join(words[:8]) or None


def _subject_before(body: str, start: int) -> str | None:
    """What a figure measures, from the words before it within its clause: "by investing $250 million"."""
    head = body[max(0, start - 120) : start]
    clause = re.split(r"[,;:.!?“”\"\n(]", head)[-1]
    words = clause.split()
    return " ".join(words[-6:]) or None


class _Marks:
    """The dates and bare years of a whole body, found once and looked up per sentence by bisection."""

    def __init__(self, body: str) -> None:
        """Find the body's dates and the years outside them."""
        found = dates.find_dates_cached(body)
        taken = Spans([Claim("", "", "", d.start, d.end) for d in found])
        self.dates = [(d.start, d.iso) for d in found]
        self.years = [
            (m.start(), m.group(0))
            for m in dates.YEAR.finditer(body)
            if not taken.overlaps(m.start(), m.start() + 1)
        ]
        self.date_starts = [position for position, _ in self.dates]
        self.year_starts = [position for position, _ in self.years]

    def within(self, start: int, end: int, sentence: str) -> tuple[list, list, bool]:
        """The dates and years of the sentence at [start, end), at positions relative to it, and whether it
        says 'now'."""
        in_dates = self.dates[
            bisect.bisect_left(self.date_starts, start) : bisect.bisect_left(self.date_starts, end)
        ]
        in_years = self.years[
            bisect.bisect_left(self.year_starts, start) : bisect.bisect_left(self.year_starts, end)
        ]
        relative_dates = [(position - start, text) for position, text in in_dates]
        relative_years = [(position - start, text) for position, text in in_years]
        return relative_dates, relative_years, bool(_NOW.search(sentence))


def _period(start: int, end: int, marks: tuple) -> str | None:
    """The year or date a figure at [start, end) of its sentence is about: the nearest one in the sentence
    (`marks`: its dates, years and 'now', from _Marks.within), else 'current' when the sentence says now."""
    found, years, now = marks
    candidates = [(abs(position - start), iso) for position, iso in found]
    candidates.extend(
        (abs(position - start), year) for position, year in years if not (start <= position < end)
    )
    if candidates:
        return min(candidates)[1]
    return "current" if now else None
