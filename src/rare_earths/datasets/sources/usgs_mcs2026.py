"""USGS Mineral Commodity Summaries 2026 data release, the commodities CSV (rare-earth rows).

The file is Windows-1252 and long: one row per commodity, country, statistic and year, with the
value as text. Values carry USGS codes that are not numbers: `>95` (more than), `E` (net
exporter), `W` (withheld), `NA` (not available) and `—` (zero), and thousands separators. Import
sources are given for a window of years written "2021–24". `clean` keeps each code in
`value_flag` beside the parsed number, so nothing is silently turned into a number or dropped.

`prices` lays out the salient-statistics price rows ("Price, average, dollars per kilogram:
Neodymium oxide, 99.5% minimum", 2021-2025): one row per oxide and year, dated 1 July of the
year (an annual average), in USD/kg; the market is read from the notes ("Free on board. Source:
Argus Media group, Argus Non-Ferrous Markets."; the heavy rare earths add Asian Metal Ltd.) and
the note "Estimated." goes into `price_basis`. Left out by rule: the mischmetal row (an alloy of
65% cerium and 35% lanthanum, not one element's price) and prices printed as a code with no
number (W, NA), since the prices table has no flag column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rare_earths.common import registry
from rare_earths.common.elements import MIXTURES, RARE_EARTH_ELEMENTS, symbol_of
from rare_earths.common.geography import country_code
from rare_earths.common.naming import snake_case
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform

EDITION = "MCS 2026"
ENCODING = "cp1252"
CHAPTERS = ("RARE EARTHS", "RARE EARTHS (Heavy)")
_FLAGS = {"E": "net_exporter", "W": "withheld", "NA": "not_available", "—": "zero"}
_WINDOW = re.compile(r"^(?P<start>\d{4})(?:[–-](?P<end>\d{2,4}))?$")
FILE = "usgs_mcs/usgs_mcs2026_commodities_data.csv"
SOURCE = "usgs_mcs2026"

__all__ = [
    "CONTRACT",
    "DatasetError",
    "clean",
    "extract",
    "parse_value",
    "parse_year_window",
    "prices",
    "production",
    "read",
]


def extract(path: Path) -> pd.DataFrame:
    """The CSV as it is (every cell text), with snake_case column names."""
    frame = pd.read_csv(path, encoding=ENCODING, dtype=str, keep_default_na=False)
    frame.columns = [snake_case(column) for column in frame.columns]
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
    columns = [
        "mcs_chapter",
        "section",
        "commodity",
        "country",
        "country_iso",
        "statistics",
        "statistics_detail",
        "unit",
        "year_start",
        "year_end",
        "value",
        "value_number",
        "value_flag",
        "notes",
        "edition",
    ]
    return rare[columns].rename(columns={"value": "value_as_printed"}).reset_index(drop=True)


def _check_countries(rare: pd.DataFrame) -> None:
    """Refuse country labels with no code, naming their CSV lines (the header is line 1)."""
    unknown = rare[~rare["country"].map(_known)]
    if not unknown.empty:
        lines = ", ".join(
            f"line {index + 2} ({name!r})" for index, name in unknown["country"].head(5).items()
        )
        raise DatasetError(
            f"{EDITION} CSV: {len(unknown)} row(s) with a country label that has no ISO code: {lines}"
        )


def parse_value(text: str) -> tuple[float | None, str | None]:
    """A USGS value as (number, flag): '45,500' -> (45500, None); '>95' -> (95, 'more_than'); 'W' -> (None,
    'withheld'); '—' -> (0, 'zero')."""
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


def _known(label: str) -> bool:
    try:
        country_code(label)
    except KeyError:
        return False
    return True


def production(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """Mine production by country and year (t REO) in the production table's layout."""
    rows = clean_frame[
        (clean_frame["section"] == "World Mine Production and Reserves")
        & (clean_frame["statistics_detail"] == "Mine production")
    ]
    frame = pd.DataFrame(
        {
            "country_iso": rows["country_iso"],
            "country_label": rows["country"],
            "year": rows["year_start"],
            "production_t_reo": rows["value_number"],
            "value_flag": rows["value_flag"],
            "source": SOURCE,
            "edition": EDITION,
            "basis": "mine production, rare-earth oxide equivalent",
        }
    )
    return conform(frame, "production", SOURCE)


# Price rows: "Price, average, dollars per kilogram: Neodymium oxide, 99.5% minimum" (the unit part may be
# absent).
_PRICE = re.compile(r"^Price(?:, average)?(?:, [^:]+)?: (?P<material>[^,]+?)(?:, (?P<grade>.+))?$")
_MATERIAL = re.compile(r"^(?P<name>[A-Za-z-]+)(?: \((?P<symbol>[A-Za-z]+)\))? (?P<form>oxide|metal)$")
_MARKET = re.compile(r"^Free on board\. Sources?: (?P<who>.+?)\.?$")
_PRICE_UNITS = {"dollars per kilogram": ("USD/kg", "USD"), "dollars per metric ton": ("USD/t", "USD")}
PRICE_DATE = "{year}-07-01"  # annual averages are dated 1 July of their year


def prices(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """Annual average prices (USD/kg) by oxide in the prices table's layout (rules in the module
    docstring)."""
    rows = clean_frame[clean_frame["statistics"] == "Price"]
    rows = rows[
        ~rows["statistics_detail"].str.contains("Mischmetal", case=False)
    ]  # an alloy, not one element
    rows = rows[rows["value_number"].notna()]  # W / NA: no number to lay out
    records = [_price_record(row) for row in rows.itertuples(index=False)]
    frame = pd.DataFrame(records, columns=[c for c in registry.field_names("prices") if c != "source"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["source"] = SOURCE
    repeated = frame.duplicated(["element", "form", "market", "date"], keep=False)
    if repeated.any():
        first = frame[repeated].iloc[0]
        raise DatasetError(
            f"{EDITION} CSV: more than one price row for {first['element']} {first['form']} "
            f"({first['market']}) in {first['date'].year}"
        )
    return conform(frame, "prices", SOURCE)


def _price_record(row) -> dict:
    """One price row as a dict of the layout's columns; text the rules do not know names the row."""
    where = f"{EDITION} CSV: price row {row.statistics_detail!r} ({row.year_start})"
    detail = _PRICE.match(row.statistics_detail)
    material = _MATERIAL.match(detail.group("material")) if detail else None
    if material is None:
        raise DatasetError(f"{where}: the statistic is not 'Price, ...: <element> oxide|metal[, grade]'")
    name = material.group("name")
    symbol = material.group("symbol") or symbol_of(name)
    if symbol is None or symbol not in {*RARE_EARTH_ELEMENTS, *MIXTURES}:
        raise DatasetError(f"{where}: {name!r} is not a rare-earth element")
    if row.unit not in _PRICE_UNITS:
        raise DatasetError(f"{where}: unit {row.unit!r} is not one of {sorted(_PRICE_UNITS)}")
    notes = [part.strip() for part in row.notes.split(" -- ") if part.strip()]
    estimated = "Estimated." in notes
    market = [_MARKET.match(part) for part in notes if part != "Estimated."]
    if len(market) != 1 or market[0] is None:
        raise DatasetError(
            f"{where}: notes {row.notes!r} do not state the market as 'Free on board. Source(s): ...'"
        )
    unit, currency = _PRICE_UNITS[row.unit]
    return {
        "element": symbol,
        "form": material.group("form"),
        "grade": detail.group("grade"),
        "market": f"FOB ({market[0].group('who')})",
        "date": PRICE_DATE.format(year=row.year_start),
        "value": row.value_number,
        "unit": unit,
        "currency": currency,
        "price_basis": "annual average, estimated" if estimated else "annual average",
    }


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts."""
    frame = clean(extract(inputs.external_dir / FILE))
    return SourceOutput(tables={"production": production(frame), "prices": prices(frame)})


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
