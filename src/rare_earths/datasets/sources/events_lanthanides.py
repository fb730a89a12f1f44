"""lanthanides.io policy events and key developments (YAML, CC BY 4.0).

`lanthanides_policy_events.yml` is a YAML list of 11 dated events (id, date, title, description,
affected_elements, affected_forms, event_type, source_country, source_name, source_url, notes);
`lanthanides_key_developments.yml` lists the status of the controls "as of April 2026" (title,
detail, elements, severity, status, ref), with no dates. Quirks handled here:

- Only the policy events become candidates: a key development is an undated status line, not an
  event (`key_developments` returns them cleaned, for reading beside the events).
- One id disagrees with its date (id pe-2023-07-23, date 2023-07-03). The `date` field is kept
  (the curated record also dates the gallium/germanium announcement 3 July, CN-2023-01) and
  `problem` names the mismatch.
- `source_url` is null for every event, so `url` is None; `source_name` (the announcement) is kept.
- `source_country` is already a code (CN, EU), passed through the shared `country_code`.
- `rare_earths`: True when `affected_elements` holds a rare-earth element (Sc, Y, La-Lu) or the
  title or description names rare earths (`event_links.mentions_rare_earths`); the EU Critical Raw
  Materials Act and China's Rare Earth Management Regulations list no elements but name rare earths.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from rare_earths.common.elements import RARE_EARTH_ELEMENTS
from rare_earths.common.geography import country_code
from rare_earths.common.naming import snake_case
from rare_earths.datasets.event_links import link, mentions_rare_earths
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform

FILES = ("events/lanthanides_policy_events.yml", "events/lanthanides_key_developments.yml")
SOURCE = "events_lanthanides"
EVENT_FIELDS = ("id", "date", "title", "description", "affected_elements", "event_type", "source_country")
DEVELOPMENT_FIELDS = ("title", "detail", "elements", "status", "ref")
_ID = re.compile(r"pe-(\d{4}-\d{2}-\d{2})")

__all__ = ["CONTRACT", "DatasetError", "candidates", "clean", "extract", "key_developments", "read"]


def extract(path: Path) -> pd.DataFrame:
    """One row per YAML list item, keys as in the file (lists stay lists), snake_case columns; scalars as
    text."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise DatasetError(
            f"{path.name}: not valid YAML{where}: {getattr(error, 'problem', error)}"
        ) from error
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise DatasetError(f"{path.name}: expected a YAML list of mappings")
    rows = [
        {
            key: value if isinstance(value, list) or value is None else str(value)
            for key, value in item.items()
        }
        for item in data
    ]
    frame = pd.DataFrame(rows).astype(object)
    frame.columns = [snake_case(column) for column in frame.columns]
    frame.attrs["file"] = path.name
    return frame


def _require(frame: pd.DataFrame, fields: tuple[str, ...], name: str, what: str) -> None:
    for number, item in enumerate(frame.to_dict("records"), start=1):
        missing = [
            key
            for key in fields
            if key not in item or item[key] is None or (isinstance(item[key], float) and pd.isna(item[key]))
        ]
        if missing:
            raise DatasetError(f"{name}: {what} {number} lacks {', '.join(missing)}")


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Policy events: parsed dates (day precision), ISO jurisdictions, the rare-earth flag and id/date
    problems."""
    name = frame.attrs.get("file", Path(FILES[0]).name)
    _require(frame, EVENT_FIELDS, name, "event")
    duplicated = frame["id"][frame["id"].duplicated()]
    if not duplicated.empty:
        raise DatasetError(f"{name}: event id(s) {', '.join(duplicated.unique())} occur more than once")
    rows = []
    for number, item in enumerate(frame.to_dict("records"), start=1):
        where = f"{name}: event {number} (id {item['id']})"
        date = pd.to_datetime(item["date"], format="%Y-%m-%d", errors="coerce")
        if pd.isna(date):
            raise DatasetError(f"{where}: date {item['date']!r} is not a YYYY-MM-DD date")
        named = _ID.fullmatch(item["id"])
        problem = None
        if named is None:
            problem = f"id {item['id']} does not follow pe-YYYY-MM-DD"
        elif named.group(1) != item["date"]:
            problem = (
                f"id {item['id']} implies {named.group(1)} but the date field is {item['date']}; the date "
                "field is kept"
            )
        try:
            jurisdiction = country_code(item["source_country"])
        except KeyError:
            raise DatasetError(
                f"{where}: source_country {item['source_country']!r} has no ISO code"
            ) from None
        elements = list(item["affected_elements"] or [])
        rows.append(
            {
                "id": item["id"],
                "date": date,
                "date_precision": "day",
                "title": item["title"],
                "description": re.sub(r"\s+", " ", item["description"]).strip(),
                "affected_elements": ";".join(elements) or None,
                "affected_forms": ";".join(item.get("affected_forms") or []) or None,
                "event_type": item["event_type"],
                "jurisdiction": jurisdiction,
                "source_name": item.get("source_name"),
                "url": item.get("source_url"),
                "notes": item.get("notes"),
                "rare_earths": bool(set(elements) & set(RARE_EARTH_ELEMENTS))
                or mentions_rare_earths(f"{item['title']} {item['description']}"),
                "problem": problem,
            }
        )
    return pd.DataFrame(rows).astype({"rare_earths": bool})


def key_developments(frame: pd.DataFrame) -> pd.DataFrame:
    """The status lines (as of April 2026), with the rare-earth flag; undated, so never candidates."""
    _require(frame, DEVELOPMENT_FIELDS, frame.attrs.get("file", Path(FILES[1]).name), "key development")
    cleaned = frame.assign(
        elements=frame["elements"].map(lambda elements: ";".join(elements or []) or None),
        rare_earths=[
            bool(set(item["elements"] or []) & set(RARE_EARTH_ELEMENTS))
            or mentions_rare_earths(f"{item['title']} {item['detail']}")
            for item in frame.to_dict("records")
        ],
        as_of="2026-04",
    )
    return cleaned.reset_index(drop=True)


def candidates(clean_frame: pd.DataFrame, curated_events: pd.DataFrame) -> pd.DataFrame:
    """The policy events in the event_candidates layout, linked by `event_links.link` (on the description,
    source name and notes)."""
    text = clean_frame[["description", "source_name", "notes"]].fillna("").agg(" ".join, axis=1)
    frame = clean_frame.assign(
        candidate_id="lanthanides-" + clean_frame["id"],
        source=SOURCE,
        kind=clean_frame["event_type"],
        minerals=clean_frame["affected_elements"],
        description=text,
    )
    return conform(link(frame, curated_events), "event_candidates", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's candidate events, linked to the curated record."""
    frame = candidates(clean(extract(inputs.external_dir / FILES[0])), inputs.events())
    return SourceOutput(tables={"event_candidates": frame})


CONTRACT = Source(name=SOURCE, files=FILES, read=read)
