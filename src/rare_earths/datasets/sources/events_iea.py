"""IEA Critical Minerals Policy Tracker entries (a subset kept by calvincj/Critical-Minerals-Tracker).

The file is a JSON list of policies: title, description (a summary, usually cut at about 400
characters with "…"), status, year, datePromulgated, jurisdiction (the scope: National, Regional,
International), countries[], policyTypes[{family, name}] and link. Quirks handled here:

- No id: `candidate_id` is "iea-" and the first 10 hex digits of the SHA-1 of the title and the
  countries; an international arrangement appears once per party (same title, other country), so
  the title alone is not a key. Two entries with the same title and countries are a DatasetError.
- Dates in three forms: "2023" (year precision, dated 1 January), "2025-04-04" and "20-05-2024"
  (day precision; the dashed form is read day-month-year: "20-05-2024", "16-08-2023" and
  "13-06-2023" have a first part above 12, so the order is not in doubt).
- A day date outside the tracker's own `year` (1997-12-06 filed under 2022, 1992-12-08 under 2021,
  2024-05-31 under 2023: the date of the original act or of a later step) is not used: the entry is
  dated by `year` at year precision and `problem` says why.
- Countries: the shared `country_code` ("European Union" is EU; "Democratic Republic of the Congo"
  is read as DR Congo). Several countries give jurisdiction None, the codes kept in `jurisdictions`.
- HTML entities in descriptions (&amp;) are decoded with BeautifulSoup; an empty link is None.
- `rare_earths`: the tracker tags no minerals, so the rule is the text: the title or the (short)
  description names rare earths (`event_links.mentions_rare_earths`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from rare_earths.common.geography import country_codes
from rare_earths.common.naming import camel_to_snake
from rare_earths.datasets.event_links import link, mentions_rare_earths, strip_html
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform, read_json

FILE = "events/iea_policies.json"
SOURCE = "events_iea"
FIELDS = (
    "title",
    "description",
    "status",
    "year",
    "datePromulgated",
    "jurisdiction",
    "countries",
    "policyTypes",
    "link",
)
_DATE_FORMATS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"),
    (re.compile(r"\d{2}-\d{2}-\d{4}"), "%d-%m-%Y"),
)

__all__ = ["CONTRACT", "DatasetError", "candidates", "clean", "extract", "parse_date", "read"]


def extract(path: Path) -> pd.DataFrame:
    """One row per policy, fields as in the file (lists stay lists), snake_case columns."""
    path = Path(path)
    data = read_json(path)
    if not isinstance(data, list):
        raise DatasetError(f"{path.name}: expected a list of policies")
    for number, item in enumerate(data, start=1):
        missing = [key for key in FIELDS if not isinstance(item, dict) or key not in item]
        if missing:
            raise DatasetError(f"{path.name}: policy {number} lacks field(s) {', '.join(missing)}")
    frame = pd.DataFrame(data, columns=list(FIELDS)).astype({key: object for key in FIELDS})
    frame.columns = [camel_to_snake(column) for column in frame.columns]
    frame.attrs["file"] = path.name
    return frame


def parse_date(text: str) -> tuple[pd.Timestamp, str]:
    """'2023' -> (2023-01-01, 'year'); '2025-04-04' or '04-04-2025' (day first) -> (2025-04-04, 'day');
    ValueError otherwise."""
    text = str(text).strip()
    if re.fullmatch(r"\d{4}", text):
        return pd.Timestamp(int(text), 1, 1), "year"
    for pattern, layout in _DATE_FORMATS:
        if pattern.fullmatch(text):
            return pd.to_datetime(text, format=layout), "day"
    raise ValueError(f"{text!r} is neither a year, YYYY-MM-DD nor DD-MM-YYYY")


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates with their precision, ISO jurisdictions, text descriptions, the rare-earth flag and an id."""
    name = frame.attrs.get("file", FILE)
    rows = [_clean_row(name, number, item) for number, item in enumerate(frame.to_dict("records"), start=1)]
    cleaned = pd.DataFrame(rows).astype({"rare_earths": bool})
    repeated = cleaned[cleaned["candidate_id"].duplicated(keep=False)]
    if not repeated.empty:
        entries = ", ".join(f"policy {number}" for number in repeated["entry"])
        raise DatasetError(
            f"{name}: {entries} repeat the same title and countries ({repeated['title'].iloc[0]!r})"
        )
    return cleaned


def _clean_row(name: str, number: int, item: dict) -> dict:
    where = f"{name}: policy {number} ({item['title'][:60]!r})"
    if not re.fullmatch(r"\d{4}", str(item["year"])):
        raise DatasetError(f"{where}: year {item['year']!r} is not a year")
    year = int(item["year"])
    try:
        date, precision = parse_date(item["date_promulgated"])
    except ValueError as error:
        raise DatasetError(f"{where}: datePromulgated {error}") from None
    problem = None
    if date.year != year:
        problem = (
            f"datePromulgated {item['date_promulgated']} is outside the tracker's year {year}; dated by "
            "the year"
        )
        date, precision = pd.Timestamp(year, 1, 1), "year"
    codes = country_codes(item["countries"], where, "country")
    if not codes:
        raise DatasetError(f"{where}: no country")
    for policy_type in item["policy_types"]:
        if not isinstance(policy_type, dict) or not {"family", "name"} <= set(policy_type):
            raise DatasetError(f"{where}: policyTypes entry {policy_type!r} lacks family or name")
    description = strip_html(item["description"])
    digest = hashlib.sha1(f"{item['title']}|{';'.join(item['countries'])}".encode()).hexdigest()[:10]
    return {
        "entry": number,
        "candidate_id": f"iea-{digest}",
        "title": item["title"],
        "status": item["status"],
        "year": year,
        "date_promulgated": item["date_promulgated"],
        "date": date,
        "date_precision": precision,
        "scope": item["jurisdiction"],
        "countries": ";".join(item["countries"]),
        "jurisdiction": codes[0] if len(set(codes)) == 1 else None,
        "jurisdictions": ";".join(dict.fromkeys(codes)),
        "policy_types": ";".join(f"{kind['family']}: {kind['name']}" for kind in item["policy_types"]),
        "url": item["link"] or None,
        "description": description,
        "rare_earths": mentions_rare_earths(item["title"]) or mentions_rare_earths(description),
        "problem": problem,
    }


def candidates(clean_frame: pd.DataFrame, curated_events: pd.DataFrame) -> pd.DataFrame:
    """The policies in the event_candidates layout (no mineral tags), linked by `event_links.link`."""
    frame = clean_frame.assign(source=SOURCE, kind=clean_frame["policy_types"], minerals=None)
    return conform(link(frame, curated_events), "event_candidates", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's candidate events, linked to the curated record."""
    frame = candidates(clean(extract(inputs.external_dir / FILE)), inputs.events())
    return SourceOutput(tables={"event_candidates": frame})


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
