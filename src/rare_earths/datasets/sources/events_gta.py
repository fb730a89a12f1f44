"""Global Trade Alert critical-mineral interventions (a subset chosen by calvincj/Critical-Minerals-Tracker).

The file is one JSON object, {"interventions": [...]}, each intervention with id, title,
evaluation, dealType, interventionType, minerals[], implementers[], date ("May 19, 2026"),
dateISO, link and an HTML description. Quirks handled here:

- HTML descriptions: reduced to text with BeautifulSoup (`event_links.strip_html`).
- Two dates per intervention: `dateISO` is used; `date` must say the same day, else DatasetError.
- Annual rows: the many "Government subsidies for listed company X in year 2021" rows are dated
  1 January; a title ending "in year YYYY" makes the date year-precision (1 January of that year).
- Several implementers: each is coded with the shared `country_code` (the spelling "Turkiye" is
  read as Turkey). The 27 EU member states together are the Union ("EU"); any other set of several
  countries gives jurisdiction None, with the codes kept in `jurisdictions` (";"-joined).
- Mineral tags are not always right: the 2011 Chinese rare-earth export-tariff, rare-earth-tax and
  price items and the Japanese 2011 aid to cut rare-earth use are tagged "Lithium". The rule:
  `rare_earths` is True when the minerals include "Rare Earths" or the title names rare earths
  (`event_links.mentions_rare_earths`); a passing mention in the long description is not enough.
  `rare_earths_by` says which test fired.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rare_earths.common.geography import EU_MEMBERS, country_codes
from rare_earths.common.naming import camel_to_snake
from rare_earths.datasets.event_links import link, mentions_rare_earths, strip_html
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform, read_json

FILE = "events/gta-interventions.json"
SOURCE = "events_gta"
FIELDS = (
    "id",
    "title",
    "evaluation",
    "dealType",
    "interventionType",
    "minerals",
    "implementers",
    "date",
    "dateISO",
    "link",
    "description",
)
_IN_YEAR = re.compile(r"\bin year (\d{4})\s*$")

__all__ = ["CONTRACT", "DatasetError", "candidates", "clean", "extract", "read"]


def extract(path: Path) -> pd.DataFrame:
    """One row per intervention, fields as in the file (lists stay lists), snake_case columns."""
    path = Path(path)
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("interventions"), list):
        raise DatasetError(f"{path.name}: expected an object with an 'interventions' list")
    for number, item in enumerate(data["interventions"], start=1):
        missing = [key for key in FIELDS if not isinstance(item, dict) or key not in item]
        if missing:
            raise DatasetError(f"{path.name}: intervention {number} lacks field(s) {', '.join(missing)}")
    frame = pd.DataFrame(data["interventions"], columns=list(FIELDS)).astype({key: object for key in FIELDS})
    frame.columns = [camel_to_snake(column) for column in frame.columns]
    frame.attrs["file"] = path.name
    return frame


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates with their precision, ISO jurisdictions, text descriptions and the rare-earth flag."""
    name = frame.attrs.get("file", FILE)
    duplicated = frame["id"][frame["id"].duplicated()]
    if not duplicated.empty:
        raise DatasetError(
            f"{name}: intervention id(s) {', '.join(map(str, duplicated.unique()))} occur more than once"
        )
    rows = [_clean_row(name, number, item) for number, item in enumerate(frame.to_dict("records"), start=1)]
    return pd.DataFrame(rows).astype({"rare_earths": bool})


def _clean_row(name: str, number: int, item: dict) -> dict:
    where = f"{name}: intervention {number} (id {item['id']})"
    date = pd.to_datetime(item["date_iso"], format="%Y-%m-%d", errors="coerce")
    if pd.isna(date):
        raise DatasetError(f"{where}: dateISO {item['date_iso']!r} is not a YYYY-MM-DD date")
    printed = pd.to_datetime(item["date"], format="%b %d, %Y", errors="coerce")
    if printed != date:
        raise DatasetError(f"{where}: date {item['date']!r} and dateISO {item['date_iso']!r} disagree")
    precision, problem = "day", None
    annual = _IN_YEAR.search(item["title"])
    if annual:
        precision, year = "year", int(annual.group(1))
        if (date.year, date.month, date.day) != (year, 1, 1):
            problem = f"title says year {year} but dateISO is {item['date_iso']}; dated 1 January {year}"
        date = pd.Timestamp(year, 1, 1)
    codes = country_codes(item["implementers"], where, "implementer")
    if not codes:
        raise DatasetError(f"{where}: no implementer")
    jurisdiction = "EU" if set(codes) == EU_MEMBERS else codes[0] if len(set(codes)) == 1 else None
    tagged = "Rare Earths" in item["minerals"]
    by_title = mentions_rare_earths(item["title"])
    return {
        "id": str(item["id"]),
        "title": item["title"],
        "evaluation": item["evaluation"],
        "deal_type": item["deal_type"],
        "intervention_type": item["intervention_type"],
        "minerals": ";".join(item["minerals"]) or None,
        "implementers": ";".join(item["implementers"]),
        "jurisdiction": jurisdiction,
        "jurisdictions": ";".join(dict.fromkeys(codes)),
        "date": date,
        "date_precision": precision,
        "url": item["link"] or None,
        "description": strip_html(item["description"]),
        "rare_earths": tagged or by_title,
        "rare_earths_by": "minerals tag" if tagged else "title" if by_title else None,
        "problem": problem,
    }


def candidates(clean_frame: pd.DataFrame, curated_events: pd.DataFrame) -> pd.DataFrame:
    """The interventions in the event_candidates layout, linked to the curated events by
    `event_links.link`."""
    frame = clean_frame.assign(
        candidate_id="gta-" + clean_frame["id"], source=SOURCE, kind=clean_frame["intervention_type"]
    )
    return conform(link(frame, curated_events), "event_candidates", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's candidate events, linked to the curated record."""
    frame = candidates(clean(extract(inputs.external_dir / FILE)), inputs.events())
    return SourceOutput(tables={"event_candidates": frame})


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
