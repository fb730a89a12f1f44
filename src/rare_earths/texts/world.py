"""Figures and dates as the other languages of the study write them, and the English ones the main
patterns leave out.

Japanese and Chinese figures ("1万1000トン", "2億5000万米ドル", "約3割", "42日分", "两周"), Korean
("17종", "8일(현지시간)"), German and French ("60 Prozent", "1,2 Mrd. Euro", "3 milliards d'euros",
"1.000 Tonnen", "18 mois"), fractions ("two-thirds"), counts ("32 companies", "10-fold"), dates
without a year ("Sept. 23", "11月30日"), parts of years ("second half of 2012", "2012年第4四半期")
and relative dates ("Dienstag", "Ende vergangenen Jahres"). Every item is skipped where an
earlier, more specific one already covers its characters.
"""

from __future__ import annotations

import re

from rare_earths.texts import dates, numbers
from rare_earths.texts.items import Claim, Spans

_N = rf"(?<![\d.,]){numbers.CJK_NUMBER}"
_EU = rf"(?<![\d.,]){numbers.EUROPEAN_NUMBER}"
_CURRENCIES = {
    "円": "JPY",
    "米ドル": "USD",
    "豪ドル": "AUD",
    "ドル": "USD",
    "ユーロ": "EUR",
    "人民元": "CNY",
    "元": "CNY",
    "美元": "USD",
    "원": "KRW",
    "달러": "USD",
    "유로": "EUR",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "us-dollar": "USD",
    "dollar": "USD",
    "dollars": "USD",
}
_SCALES = {
    "mrd.": 1e9,
    "mrd": 1e9,
    "milliarden": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "mio.": 1e6,
    "mio": 1e6,
    "millionen": 1e6,
    "million": 1e6,
    "millions": 1e6,
}
# Every pattern opens with a look-ahead on its possible first characters, so other positions fail at once.
_DIGIT = "(?=[\\d〇一二三四五六七八九十百千两])"
PERCENT = re.compile(
    rf"(?=[\d〇一二三四五六七八九十百千两約お])(?P<number>{_EU}|{_N})"
    rf"\s?(?:％|パーセント|Prozent|pour ?cent|퍼센트)"
    r"|(?P<about>約|およそ)?(?P<tenths>\d+|[一二三四五六七八九十])割"
)
FRACTION = re.compile(
    r"\b(?P<count>one|two|three|four|a)[- ](?P<part>half|thirds?|quarters?|fifths?)\b(?! of a century)",
    re.IGNORECASE,
)
_FRACTION_PARTS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5}
MONEY = re.compile(
    rf"{_DIGIT}(?P<number>{_N})\s?(?P<currency>米ドル|豪ドル|ドル|ユーロ|人民元|美元|元|円|원|달러|유로)"
    rf"|(?P<number2>{_EU})\s?(?P<scale>Mrd\.|Mrd|Milliarden|Mio\.|Mio|Millionen|milliards?|millions?)?"
    rf"\s?(?:de |d['’])?"
    r"(?P<currency2>€|Euro|euros|US-Dollar|Dollar)(?!\w)"
)
QUANTITY = re.compile(rf"{_DIGIT}(?P<number>{_N}|{_EU})\s?(?P<unit>トン|톤|吨|Tonnen)")
DURATION = re.compile(
    rf"(?=[\d〇一二三四五六七八九十百千两ah])(?P<number>{_N})\s?(?P<unit>年間|か月|カ月|ヶ月|ケ月|个月|週間|"
    rf"周|日間|日分|天|개월|년간|주간|일간)"
    rf"|(?P<number2>{_EU})\s(?P<unit2>Jahren?|Monaten?|Wochen|Tagen?|ans|années|mois|semaines|jours)\b"
    r"|\b(?P<phrase>a quarter of a century|half a century)\b"
)
_DURATION_UNITS = {
    "年": "year",
    "月": "month",
    "週": "week",
    "周": "week",
    "日": "day",
    "天": "day",
    "개": "month",
    "년": "year",
    "주": "week",
    "일": "day",
}
_DURATION_UNITS.update(
    {
        "jahr": "year",
        "mona": "month",
        "woch": "week",
        "tag": "day",
        "ans": "year",
        "ann": "year",
        "moi": "month",
        "sem": "week",
        "jou": "day",
    }
)
_STOP = (
    r"of|to|and|or|in|on|at|for|from|by|with|the|a|an|than|as|per|percent|cent|was|were|is|are|had|has|have|"
    r"could|would|will|can|may|might|should|must|be|been|that|which|who|"
    r"à|de|des|du|la|le|les|et|ou|en|und|oder|der|die|das|von|zu|im|mit|für|"
    + dates._MONTH.removeprefix("(?:").removesuffix(")\\.?")
)
# "one" is left out: "one stat", "one of them" label a single thing rather than count things.
_WORD_NUMBER = (
    r"(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundreds|dozens)"
)
COUNT = re.compile(
    rf"(?=[\dtfsenhdTFSENHD])(?<![\w$€£¥.,%/-])(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUMBER})"
    rf"(?:-(?P<suffix>fold|page|point|member|nation|country|strong)\b|"
    rf"(?P<noun>(?:\s+(?!(?:{_STOP})\b)[^\W\d_][\w'’-]*){{1,3}}))"
)
CJK_COUNT = re.compile(
    rf"{_DIGIT}(?P<number>{_N})(?P<counter>件|隻|種類|種|社|人|か国|カ国|ヶ国|基|台|個|家|个|艘|名|종|곳|"
    rf"개국|개|명|척|건)"
)
CJK_DATE = re.compile(
    r"(?:(?:昨年|今年|来年|去年|前年|一昨年|\d{4}\s?年)\s?)?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?"
    r"|(?<![\d月])\d{1,2}\s?日(?![間分本])|\d{4}\s?年(?:\s?第[1-4一二三四]四半期|上半期|下半期|度)?"
)
KOREAN_DATE = re.compile(
    r"(?:(?:지난|오는|올해|작년|내년)\s?)?(?:\d{4}년\s?)?(?:\d{1,2}월\s?)?\d{1,2}일(?:\s?\(현지시간\))?|"
    r"\d{4}년(?:\s?\d{1,2}월)?"
)
MONTH_DAY = re.compile(rf"\b{dates._MONTH}\s+{dates._DAY}\b(?!,?\s*\d)")
PART_OF_YEAR = re.compile(
    rf"\b(?P<part>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?P<unit>half|quarter)\s+"
    rf"(?:of\s+)?(?P<year>{dates._YEAR})\b",
    re.IGNORECASE,
)
RELATIVE_DATE = re.compile(
    r"\b(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:Anfang|Mitte|Ende)\s+(?:des\s+)?(?:vergangenen|letzten|dieses|nächsten|kommenden)\s+"
    r"(?:Jahres|Monats)"
    r"|\b(?:début|fin)\s+(?:de\s+)?l['’]année\s+(?:dernière|prochaine)"
)
_WIDE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# A sign or word each extractor needs; a body without it is not scanned by that extractor. Each pattern comes
# with the literal pieces (in lower case) one of which any match contains: plain substring tests, much cheaper
# than the pattern over a whole body, rule most bodies out first.
_TRIGGERS = {
    "_percentages": (
        ("％", "割", "パーセント", "prozent", "cent", "퍼센트", "half", "third", "quarter", "fifth"),
        re.compile(r"[％割]|パーセント|Prozent|cent|퍼센트|half|third|quarter|fifth", re.IGNORECASE),
    ),
    "_money": (
        ("円", "元", "원", "€", "ドル", "ユーロ", "달러", "유로", "euro", "dollar"),
        re.compile(r"[円元원€]|ドル|ユーロ|달러|유로|\beuros?\b|\bdollars?\b", re.IGNORECASE),
    ),
    "_quantities": (("トン", "톤", "吨", "tonnen"), re.compile(r"トン|톤|吨|Tonnen")),
    "_durations": (
        (
            *"年月週周日天개년주일",
            "jahr",
            "monat",
            "woche",
            "tag",
            "ans",
            "année",
            "mois",
            "semaine",
            "jour",
            "century",
        ),
        re.compile(r"[年月週周日天개년주일]|Jahr|Monat|Woche|Tag|ans\b|année|mois|semaine|jour|century"),
    ),
}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def figures(doc_id: str, body: str, claims: list[Claim], language: str | None) -> list[Claim]:
    """Percentages, money, tonnages, durations and counts the English patterns do not read."""
    taken = Spans(claims)
    found: list[Claim] = []
    lowered = body.lower()
    for extractor in (_percentages, _money, _quantities, _durations, _counts):
        if not _triggered(_TRIGGERS.get(extractor.__name__), body, lowered):
            continue  # none of the words or signs this extractor needs: skip its slower patterns
        for claim in extractor(doc_id, body, language):
            if not taken.overlaps(claim.start, claim.end):
                found.append(claim)
                taken.add(claim.start, claim.end)
    return found


def _triggered(trigger: tuple | None, body: str, lowered: str) -> bool:
    """Whether a body holds a sign or word an extractor needs (an extractor without a trigger always runs)."""
    if trigger is None:
        return True
    pieces, pattern = trigger
    return any(piece in lowered for piece in pieces) and pattern.search(body) is not None


def periods(doc_id: str, body: str, dated: Spans) -> list[Claim]:
    """Dates written in Japanese, Chinese or Korean, dates without a year, parts of years and relative
    dates."""
    found = []
    wide = _WIDE_SCRIPT.search(body) is not None
    for pattern in (PART_OF_YEAR, CJK_DATE, KOREAN_DATE, MONTH_DAY, RELATIVE_DATE):
        if pattern in (CJK_DATE, KOREAN_DATE) and not wide:
            continue
        for m in pattern.finditer(body):
            if not dated.overlaps(m.start(), m.end()):
                found.append(_date(doc_id, m))
                dated.add(m.start(), m.end())
    return found


def _date(doc_id: str, m: re.Match[str]) -> Claim:
    """A date claim (a weekday or 'end of last year' is a relative_date); a part of a year is normalised
    ('2012-H2')."""
    claim = Claim(
        doc_id, "relative_date" if m.re is RELATIVE_DATE else "date", m.group(0), m.start(), m.end()
    )
    if m.re is PART_OF_YEAR:
        year, part = int(m.group("year")), _ORDINALS[m.group("part").lower()]
        months = 6 if m.group("unit").lower() == "half" else 3
        if part * months <= 12:
            first, last = (part - 1) * months + 1, part * months
            claim.normalised = claim.period = f"{year}-{'H' if months == 6 else 'Q'}{part}"
            claim.date_start = f"{year}-{first:02d}-01"
            claim.date_end = dates.month_end(year, last)
    return claim


def _figure(doc_id: str, kind: str, m: re.Match[str], value: float | None, unit: str) -> Claim:
    """One figure at the match's place."""
    return Claim(
        doc_id,
        kind,
        m.group(0).strip(),
        m.start(),
        m.start() + len(m.group(0).strip()),
        value=value,
        unit=unit,
    )


def _percentages(doc_id: str, body: str, language: str | None) -> list[Claim]:
    """'60 Prozent', '49.6％', '約3割' (tenths) and 'two-thirds'."""
    found = []
    for m in PERCENT.finditer(body):
        if m.group("tenths"):
            tenths = numbers.parse(m.group("tenths"), language)
            claim = _figure(doc_id, "percentage", m, tenths * 10 if tenths is not None else None, "%")
            claim.qualifier = "about" if m.group("about") else None
        else:
            claim = _figure(doc_id, "percentage", m, numbers.parse(m.group("number"), language), "%")
        found.append(claim)
    for m in FRACTION.finditer(body):
        count = (
            1
            if m.group("count").lower() == "a"
            else ("one", "two", "three", "four").index(m.group("count").lower()) + 1
        )
        part = _FRACTION_PARTS[m.group("part").lower().rstrip("s")]
        found.append(_figure(doc_id, "percentage", m, round(100 * count / part, 2), "%"))
    return found


def _money(doc_id: str, body: str, language: str | None) -> list[Claim]:
    """'1100億円', '2億5000万米ドル', '1,2 Mrd. Euro', '3 milliards d'euros'."""
    found = []
    for m in MONEY.finditer(body):
        number = m.group("number") or m.group("number2")
        value = numbers.parse(number, language)
        scale = _SCALES.get((m.group("scale") or "").lower(), 1)
        currency = _CURRENCIES.get((m.group("currency") or m.group("currency2")).lower(), "")
        found.append(_figure(doc_id, "money", m, value * scale if value is not None else None, currency))
    return found


def _quantities(doc_id: str, body: str, language: str | None) -> list[Claim]:
    """'1万1000トン', '8500トン', '1.000 Tonnen' in tonnes."""
    return [
        _figure(doc_id, "quantity", m, numbers.parse(m.group("number"), language), "t")
        for m in QUANTITY.finditer(body)
    ]


def _durations(doc_id: str, body: str, language: str | None) -> list[Claim]:
    """'10年間', '42日分', '两周', '18 mois', 'a quarter of a century'."""
    found = []
    for m in DURATION.finditer(body):
        if m.group("phrase"):
            claim = _figure(doc_id, "duration", m, 25.0 if "quarter" in m.group("phrase") else 50.0, "year")
        else:
            unit = m.group("unit") or m.group("unit2").lower()
            key = (
                unit[:4]
                if len(unit) > 3 and unit[:4] in _DURATION_UNITS
                else (unit[:3] if unit[:3] in _DURATION_UNITS else unit[0])
            )
            claim = _figure(
                doc_id,
                "duration",
                m,
                numbers.parse(m.group("number") or m.group("number2"), language),
                _DURATION_UNITS.get(key, unit),
            )
        found.append(claim)
    return found


def _counts(doc_id: str, body: str, language: str | None) -> list[Claim]:
    """Counts and multiples: '32 companies', '17 rare earth elements', '10-fold', '171-page', '65件',
    '17종'."""
    found = []
    for m in COUNT.finditer(body):
        number = m.group("number")
        if re.fullmatch(r"(?:19|20)\d\d", number):
            continue  # a year, read as such by the date patterns
        value = numbers.parse(number, "en") if number[0].isdigit() else None
        found.append(_figure(doc_id, "count", m, value, m.group("suffix") or m.group("noun").split()[-1]))
    for m in CJK_COUNT.finditer(body):
        found.append(
            _figure(doc_id, "count", m, numbers.parse(m.group("number"), language), m.group("counter"))
        )
    return found
