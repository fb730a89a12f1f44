"""USGS Mineral Commodity Summaries 2026 data release, the commodities CSV (rare-earth rows).

The file is Windows-1252 and long: one row per commodity, country, statistic and year, with the
value as text. Values carry USGS codes that are not numbers: `>95` (more than), `E` (net
exporter), `W` (withheld), `NA` (not available) and `—` (zero), and thousands separators. Import
sources are given for a window of years written "2021–24". `clean` keeps each code in
`value_flag` beside the parsed number, so nothing is silently turned into a number or dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rare_earths.texts.gazetteer import country_names

EDITION = "MCS 2026"
ENCODING = "cp1252"
CHAPTERS = ("RARE EARTHS", "RARE EARTHS (Heavy)")
_FLAGS = {"E": "net_exporter", "W": "withheld", "NA": "not_available", "—": "zero"}
_WINDOW = re.compile(r"^(?P<start>\d{4})(?:[–-](?P<end>\d{2,4}))?$")
_COUNTRY_EXTRA = {"World total (rounded)": "WLD", "World total": "WLD", "Other countries": None, "Korea, Republic of": "KR"}


class DatasetError(ValueError):
    """A value the cleaning rules do not know, with the CSV line it is on."""


def extract(path: Path) -> pd.DataFrame:
    """The CSV as it is (every cell text), with snake_case column names."""
    frame = pd.read_csv(path, encoding=ENCODING, dtype=str, keep_default_na=False)
    frame.columns = [re.sub(r"[^a-z0-9]+", "_", column.strip().lower()).strip("_") for column in frame.columns]
    return frame


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Rare-earth rows with parsed values, value flags, year windows and ISO country codes."""
    rare = frame[frame["mcs_chapter"].isin(CHAPTERS)].copy()
    _check_countries(rare)
    parsed = rare["value"].map(parse_value)
    rare["value_number"] = [number for number, _ in parsed]
    rare["value_flag"] = [flag for _, flag in parsed]
    windows = rare["year"].map(parse_year_window)
    rare["year_start"] = [start for start, _ in windows]
    rare["year_end"] = [end for _, end in windows]
    rare["country_iso"] = rare["country"].map(country_code)
    rare["edition"] = EDITION
    columns = ["mcs_chapter", "section", "commodity", "country", "country_iso", "statistics", "statistics_detail", "unit",
               "year_start", "year_end", "value", "value_number", "value_flag", "notes", "edition"]  # fmt: skip
    return rare[columns].rename(columns={"value": "value_as_printed"}).reset_index(drop=True)


def _check_countries(rare: pd.DataFrame) -> None:
    """Refuse country labels with no code, naming their CSV lines (the header is line 1)."""
    unknown = rare[~rare["country"].isin(_COUNTRY_EXTRA) & ~rare["country"].isin(country_names())]
    if not unknown.empty:
        lines = ", ".join(f"line {index + 2} ({name!r})" for index, name in unknown["country"].head(5).items())
        raise DatasetError(f"{EDITION} CSV: {len(unknown)} row(s) with a country label that has no ISO code: {lines}")


def parse_value(text: str) -> tuple[float | None, str | None]:
    """A USGS value as (number, flag): '45,500' -> (45500, None); '>95' -> (95, 'more_than'); 'W' -> (None, 'withheld'); '—' -> (0, 'zero')."""
    text = text.strip()
    if text in _FLAGS:
        return (0.0 if text == "—" else None), _FLAGS[text]
    if text.startswith(">"):
        return float(text[1:].replace(",", "")), "more_than"
    if text.startswith("<"):
        return float(text[1:].replace(",", "")), "less_than"
    if not text:
        return None, "empty"
    return float(text.replace(",", "")), None


def parse_year_window(text: str) -> tuple[int, int]:
    """'2024' -> (2024, 2024); '2021–24' -> (2021, 2024)."""
    match = _WINDOW.match(text.strip())
    if match is None:
        raise ValueError(f"year {text!r} is neither a year nor a window such as 2021–24")
    start = int(match.group("start"))
    end = match.group("end")
    if end is None:
        return start, start
    return start, int(end) if len(end) == 4 else int(str(start)[:2] + end)


def country_code(name: str) -> str | None:
    """ISO alpha-2 for a USGS country label ('Burma' -> MM), WLD for the world total, None for 'Other countries'."""
    if name in _COUNTRY_EXTRA:
        return _COUNTRY_EXTRA[name]
    return country_names()[name]


def production(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """Mine production by country and year (t REO) in the production table's layout."""
    rows = clean_frame[(clean_frame["section"] == "World Mine Production and Reserves") & (clean_frame["statistics_detail"] == "Mine production")]
    return pd.DataFrame(
        {
            "country_iso": rows["country_iso"], "country_label": rows["country"], "year": rows["year_start"],
            "production_t_reo": rows["value_number"], "value_flag": rows["value_flag"], "source": "usgs_mcs2026",
            "edition": EDITION, "basis": "mine production, rare-earth oxide equivalent",
        }
    ).reset_index(drop=True)  # fmt: skip
