"""Rules shared by the event-candidate modules, and the link from a candidate to the curated event record.

The three external trackers (`events_gta`, `events_iea`, `events_lanthanides`) are kept apart from
the curated record (data/raw/curated/events.csv): their rows become *candidates*, and `link` says
which curated event, if any, a candidate is. Precision comes before recall: a wrong link is worse
than none, so a candidate is linked only when all three tests pass.

1. Jurisdiction: the curated event's jurisdiction is the candidate's, or one of its several
   jurisdictions (the `jurisdictions` column, ";"-joined, when the module gives one).
2. Dates compatible with both precisions: each date stands for its period (a day, or the month,
   quarter or year it opens). Two day-precision dates may be up to `MAX_DAYS` (14) days apart; at
   any coarser precision the periods must overlap (a year-precision candidate matches any event
   of that year; a day-precision candidate matches a month-precision event of that month).
3. Shared keywords from `KEYWORDS`, found in the candidate's title and description and in the
   curated event's description and actors: at least one *distinctive* keyword (a company or
   project, a named law or programme, a document number such as "No. 18"), or both a *measure*
   keyword (export control, export licence, export duty, dual-use, stockpile, price floor, WTO ...)
   and a *topic* keyword (separation, magnet, recycling, gallium, a rare-earth element ...), or
   two measure keywords when both dates are the same day. "Rare earth" itself is not a keyword:
   nearly every event has it. Topics alone never link (a magnet grant and a magnet tariff probe 11
   days apart are different events), nor do measures alone on different days (a dual-use
   export-control announcement is not the dual-use export-control regulations in force two days
   before), nor does a metal in a company's name (Xiamen Tungsten's subsidies are not the WTO
   tungsten ruling).

Among the curated events that pass, the closest in date wins (two day-precision dates; within a
shared month or year no event counts as closer), then the one sharing more distinctive keywords,
then more keywords in all. When two events are still level the link is
ambiguous and is not made (the column `link_note` names them). Several candidates may link to one
curated event (the trackers record one measure several times); a candidate links to at most one.
`match_rule` records why, e.g. "jurisdiction:US+date:0d<=14d+keywords:Lynas,separation".

The module also holds the text rules the three modules share: `strip_html` (BeautifulSoup) and
`mentions_rare_earths`, the rare-earth test used on titles and descriptions.
"""

from __future__ import annotations

import re

import pandas as pd
from bs4 import BeautifulSoup

from rare_earths.common.elements import RARE_EARTH_ELEMENTS
from rare_earths.common.periods import PRECISIONS, period

MAX_DAYS = 14

# Rare-earth elements: the 15 lanthanides plus scandium and yttrium (IUPAC).
# Text that says rare earths: the phrase (rare earth(s), rare-earth), REE(s), REO, NdFeB, or an element's
# name.
RARE_EARTH_TEXT = re.compile(
    r"\brare[\s-]+earths?\b|\bREEs?\b|\bREOs?\b|\bNdFeB\b|\b(?:"
    + "|".join(RARE_EARTH_ELEMENTS.values())
    + r")\b",
    re.IGNORECASE,
)

# Keywords for the link: label -> (pattern, tier); case-insensitive, except inside (?-i:...).
DISTINCTIVE = "distinctive"  # one shared is enough: a company or project, a named law or programme
MEASURE = "measure"  # a kind of measure: links only beside a shared topic keyword
TOPIC = "topic"  # what the measure is about: links only beside a shared measure keyword
_COMPANIES = (
    "Lynas",
    "MP Materials",
    "Molycorp",
    "Mountain Pass",
    "USA Rare Earth",
    "Vulcan Elements",
    "ReElement",
    "e-VAC",
    "Solvay",
    "Neo Performance",
    "LKAB",
    "REEtec",
    "Iluka",
    "Eneabba",
    "Ucore",
    "Torngat",
    "Energy Fuels",
    "Sojitz",
    "JOGMEC",
    "Iwatani",
    "Toyota Tsusho",
    "Hitachi",
    "SARECO",
    "Kazatomprom",
    "China Rare Earth Group",
    "Minamitorishima",
    "JAMSTEC",
    "Noveon",
    "Niron",
)
_METALS = (
    "gallium",
    "germanium",
    "antimony",
    "graphite",
    "tungsten",
    "tellurium",
    "bismuth",
    "molybdenum",
    "indium",
)  # China's other controls
KEYWORDS: dict[str, tuple[str, str]] = {
    **{name: (r"\b" + re.escape(name).replace(r"\ ", r"\s+") + r"\b", DISTINCTIVE) for name in _COMPANIES},
    "Arafura": (r"\bArafu[rl]a\b", DISTINCTIVE),  # GTA spells it "Arafula"
    "Hastings": (r"\bHastings\b|\bYangibana\b", DISTINCTIVE),
    "Caremag": (r"\bCaremag\b|\bCarester\b", DISTINCTIVE),
    "Critical Raw Materials Act": (r"Critical\s+Raw\s+Materials\s+Act|\bCRMA\b", DISTINCTIVE),
    "Minerals Security Partnership": (r"Minerals\s+Security\s+Partnership", DISTINCTIVE),
    "Section 232": (r"Section\s+232\b", DISTINCTIVE),
    "Section 301": (r"Section\s+301\b", DISTINCTIVE),
    "Defense Production Act": (r"Defen[cs]e\s+Production\s+Act|\bDPA\b", DISTINCTIVE),
    "National Defense Stockpile": (r"National\s+Defen[cs]e\s+Stockpile", DISTINCTIVE),
    "Economic Security Promotion Act": (r"Economic\s+Security\s+Promotion\s+Act", DISTINCTIVE),
    "RESourceEU": (r"\bRESourceEU\b", DISTINCTIVE),
    "Project Vault": (r"Project\s+Vault", DISTINCTIVE),
    "Rare Earth Management Regulations": (
        r"Rare\s+Earth\s+Management\s+Regulations|Order\s+No\.?\s*785\b",
        DISTINCTIVE,
    ),
    "Export Control Law": (r"Export\s+Control\s+Law", DISTINCTIVE),
    "export control": (r"export[\s-]+controls?|controls?\s+on\s+(?:the\s+)?exports?", MEASURE),
    "licensing": (r"\blicen[cs](?:e|es|ing)\b", MEASURE),
    "export quota": (r"export\s+quotas?", MEASURE),
    "export duty": (r"export\s+(?:tax|taxes|duty|duties|tariffs?)", MEASURE),
    "export ban": (
        r"export\s+ban|\b(?:ban|prohibit)\w*\s+(?:on\s+)?(?:the\s+)?(?:[\w-]+\s+)?exports?",
        MEASURE,
    ),
    "dual-use": (r"dual[\s-]+use", MEASURE),
    "stockpile": (r"stockpil\w*", MEASURE),
    "price floor": (r"price\s+floor", MEASURE),
    "offtake": (r"\boff-?take", MEASURE),
    "WTO": (r"\bWTO\b|World\s+Trade\s+Organi[sz]ation", MEASURE),
    "separation": (r"\bseparat(?:e|ion|ing)\b", TOPIC),
    "magnet": (r"\bmagnets?\b", TOPIC),
    "recycling": (r"\brecycl\w*", TOPIC),
    "heavy rare earth": (r"heavy\s+rare[\s-]+earths?|\bHREE?s?\b", TOPIC),
    **{
        metal: (rf"\b{metal}\b", TOPIC)
        for metal in _METALS
        if metal not in ("gallium", "germanium", "antimony")
    },
    "gallium": (r"\bgallium\b|(?-i:(?<![A-Za-z])Ga(?![a-z]))", TOPIC),
    "germanium": (r"\bgermanium\b|(?-i:(?<![A-Za-z])Ge(?![a-z]))", TOPIC),
    "antimony": (r"\bantimony\b|(?-i:(?<![A-Za-z])Sb(?![a-z]))", TOPIC),
    **{
        name: (
            rf"\b{name}\b|(?-i:(?<![A-Za-z]){symbol}(?![a-z]))"
            if symbol not in ("Y", "La", "Pm")
            else rf"\b{name}\b",
            TOPIC,
        )
        for symbol, name in RARE_EARTH_ELEMENTS.items()
    },
}
_KEYWORD_PATTERNS = {label: re.compile(pattern, re.IGNORECASE) for label, (pattern, _) in KEYWORDS.items()}
# Document numbers, all distinctive: "No. 18", "No.18", "Announcement 46" -> "No. 18" / "No. 46" (not "No.
# 46/2024" or
# "Announcement 2025/18", whose year would pose as a number); "Regulation (EU) 2024/1252" -> "2024/1252"; "EO
# 14017".
_DOCUMENT_NUMBERS = (
    (re.compile(r"(?:\bNos?\.\s*|\bAnnouncements?\s+)(\d+)(?![\d/])", re.IGNORECASE), "No. {}"),
    (
        re.compile(
            r"\b(?:Regulation|Directive|Decision)\s+(?:\((?:EU|EC)\)\s+)?(?:No\.?\s*)?(\d{4}/\d+)\b",
            re.IGNORECASE,
        ),
        "{}",
    ),
    (re.compile(r"\b(?:EO|Executive\s+Order)\s+(\d{5})\b"), "EO {}"),
)


def strip_html(text: str | None) -> str | None:
    """The visible text of an HTML fragment, entities decoded and white space collapsed; None stays None."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    plain = BeautifulSoup(str(text), "html.parser").get_text(" ")
    return re.sub(r"\s+", " ", plain).strip()


def mentions_rare_earths(text: str | None) -> bool:
    """Whether the text names rare earths (the phrase, REE/REO, NdFeB or a rare-earth element's name)."""
    return bool(text) and RARE_EARTH_TEXT.search(str(text)) is not None


def keywords(text: str | None) -> dict[str, str]:
    """The link keywords found in the text, {label: tier}; a document number is distinctive, labelled "No.
    18"."""
    if not text:
        return {}
    found = {
        label: KEYWORDS[label][1] for label, pattern in _KEYWORD_PATTERNS.items() if pattern.search(text)
    }
    for pattern, label in _DOCUMENT_NUMBERS:
        found.update(
            {
                label.format(number.lstrip("0") if number.isdigit() else number): DISTINCTIVE
                for number in pattern.findall(text)
            }
        )
    return found


def date_test(
    candidate: tuple[pd.Timestamp, str], event: tuple[pd.Timestamp, str], max_days: int = MAX_DAYS
) -> tuple[int, str] | None:
    """(gap in days, rule text) when the two dates are compatible with both precisions, else None."""
    (c_start, c_end), (e_start, e_end) = period(*candidate), period(*event)
    gap = max((e_start - c_end).days, (c_start - e_end).days, 0)
    if candidate[1] == "day" and event[1] == "day":
        return (gap, f"date:{gap}d<={max_days}d") if gap <= max_days else None
    if gap:
        return None
    coarser = candidate[1] if _rank(candidate[1]) >= _rank(event[1]) else event[1]
    return 0, f"same {coarser}"  # within a shared period no event is closer than another


def _rank(precision: str) -> int:
    return PRECISIONS.index(precision)


def keyword_test(
    candidate_text: str, event_text: str, same_day: bool = False
) -> tuple[list[str], list[str]] | None:
    """(shared distinctive, other shared keywords) when there is enough evidence, else None.

    Enough: one distinctive keyword, or a measure keyword and a topic keyword, or (when `same_day`)
    two measure keywords.
    """
    theirs = keywords(event_text)
    shared = {label: tier for label, tier in keywords(candidate_text).items() if label in theirs}
    distinctive = sorted(label for label, tier in shared.items() if tier == DISTINCTIVE)
    others = sorted(label for label, tier in shared.items() if tier != DISTINCTIVE)
    tiers = [shared[label] for label in others]
    enough = distinctive or {MEASURE, TOPIC} <= set(tiers) or (same_day and tiers.count(MEASURE) >= 2)
    return (distinctive, others) if enough else None


def link(candidates: pd.DataFrame, curated_events: pd.DataFrame, max_days: int = MAX_DAYS) -> pd.DataFrame:
    """The candidates with `curated_event_id`, `match_rule` and `link_note` (why a tie was left unlinked).

    candidates: candidate_id, date, date_precision, jurisdiction, title, and optionally jurisdictions
    (";"-joined codes) and description. curated_events: events.csv as `rare_earths.curated.load()` gives it.
    """
    events = curated_events.assign(
        date=pd.to_datetime(curated_events["date"]),
        text=curated_events["description"].fillna("")
        + " "
        + curated_events.get("actors", pd.Series("", index=curated_events.index)).fillna(""),
    )
    by_jurisdiction = {code: group for code, group in events.groupby("jurisdiction")}
    ids, rules, notes = [], [], []
    for row in candidates.itertuples(index=False):
        best, note = _best_match(row, by_jurisdiction, max_days)
        ids.append(best[0] if best else None)
        rules.append(best[1] if best else None)
        notes.append(note)
    return candidates.assign(curated_event_id=ids, match_rule=rules, link_note=notes)


def _jurisdictions(row) -> list[str]:
    several = getattr(row, "jurisdictions", None)
    if isinstance(several, str) and several:
        return several.split(";")
    return [row.jurisdiction] if isinstance(row.jurisdiction, str) and row.jurisdiction else []


def _best_match(
    row, by_jurisdiction: dict[str, pd.DataFrame], max_days: int
) -> tuple[tuple[str, str] | None, str | None]:
    description = getattr(row, "description", None)
    text = f"{row.title} {description if isinstance(description, str) else ''}"
    passing = []
    for code in _jurisdictions(row):
        for event in by_jurisdiction.get(code, pd.DataFrame()).itertuples(index=False):
            dates = date_test((row.date, row.date_precision), (event.date, event.date_precision), max_days)
            if dates is None:
                continue
            same_day = row.date_precision == event.date_precision == "day" and dates[0] == 0
            shared = keyword_test(text, event.text, same_day)
            if shared is None:
                continue
            distinctive, topic = shared
            rank = (dates[0], -len(distinctive), -len(distinctive) - len(topic))
            rule = (
                f"jurisdiction:{code}+{dates[1]}+keyword{'s' if len(distinctive) + len(topic) > 1 else ''}"
                f":{','.join(distinctive + topic)}"
            )
            passing.append((rank, event.event_id, rule))
    if not passing:
        return None, None
    passing.sort()
    if len(passing) > 1 and passing[0][0] == passing[1][0]:
        tied = sorted(event_id for rank, event_id, _ in passing if rank == passing[0][0])
        return None, f"ambiguous: {', '.join(tied)} match equally"
    return (passing[0][1], passing[0][2]), None
