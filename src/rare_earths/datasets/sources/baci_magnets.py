"""Permanent magnets of metal (HS 850511): bilateral imports of Japan, the US and the EU member states.

Three publications of the same flows, from the Critical Materials Atlas repository (PROVENANCE.md
section 10), all in US dollars:

- `flows_YYYY.json`, 2002-2024 (source `baci_magnets`): CEPII BACI (UN Comtrade reconciled between
  reporter and partner; HS02 to 2016, HS17 from 2017), material `magnets`. **Not complete:** the
  atlas kept, per importer, its top six suppliers and, per exporter, its top six customers. A share
  computed from it is an approximation, measured against the two complete files below.
- `baci_2022.csv`, `baci_2024.csv` (source `baci_magnets_full`): the complete BACI rows for the same
  years (`i` exporter ISO3, `j` importer ISO3, `cmd` HS6, `value` in US dollars: the 850511 flow China
  -> Japan is 156,879,570 in both publications for 2024, so no thousands scaling).
- `comtrade_YYYY.csv.gz` (source `comtrade_magnets`): the raw UN Comtrade import rows as the
  importer declared them (`reporter` and `partner` as M49 codes, partner 0 = World; `value` USD,
  `netwgt` kg). Some reporters (Germany) give several rows per partner, a breakdown the file does not
  label; their sum equals the World row, so rows are summed per reporter and partner.

Kept: imports of HS 850511 by Japan, the US and the 27 EU member states (the importers the study
compares); every other importer and the 30 other products of the files are outside the study and
are counted in the `selection` check, not dropped silently. Codes come from the BACI country table
(`country_codes_V202601.csv`); a code it does not map keeps its number as the partner label and no
ISO code.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pandas as pd
import pycountry

from rare_earths.common.geography import EU_MEMBERS, known_codes
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform, read_json

FOLDER = "baci_magnets"
CODES = "country_codes_V202601.csv"
FLOW_YEARS = range(2002, 2025)
FULL_YEARS = (2022, 2024)
PRODUCT = "850511"
MATERIAL = "magnets"
IMPORTERS = frozenset({"JP", "US", *EU_MEMBERS})
WORLD = 0
SOURCES = {
    "baci_magnets": "BACI via the atlas (top six suppliers per importer)",
    "baci_magnets_full": "BACI, complete",
    "comtrade_magnets": "UN Comtrade, as the importer declared",
}


def codes(path: Path) -> pd.DataFrame:
    """The BACI country table: numeric code, name, ISO2, ISO3 (an empty ISO cell stays empty)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = {"country_code", "country_name", "country_iso2", "country_iso3"}
    if not needed <= set(frame.columns):
        raise DatasetError(
            f"{FOLDER}/{CODES}: expected columns {sorted(needed)}, found {list(frame.columns)}"
        )
    return frame


def flows(path: Path, year: int) -> pd.DataFrame:
    """One atlas year file's magnet flows: exporter, importer (ISO2), value_usd."""
    content = read_json(path, f"{FOLDER}/{path.name}")
    where = f"{FOLDER}/{path.name}"
    if content.get("year") != year:
        raise DatasetError(f"{where}: says year {content.get('year')!r}, the file name says {year}")
    records = content.get("materials", {}).get(MATERIAL)
    if not records:
        raise DatasetError(f"{where}: no material {MATERIAL!r}")
    frame = pd.DataFrame(records)
    missing = {"from", "to", "value"} - set(frame.columns)
    if missing:
        raise DatasetError(f"{where}: magnet flows lack field(s) {sorted(missing)}")
    bad = frame.index[pd.to_numeric(frame["value"], errors="coerce").isna()]
    if len(bad):
        raise DatasetError(
            f"{where}: magnets record {bad[0]}: value {frame.at[bad[0], 'value']!r} is not a number"
        )
    names = content.get("names", {})
    return pd.DataFrame(
        {
            "exporter": frame["from"],
            "importer": frame["to"],
            "label": frame["from"].map(names).fillna(frame["from"]),
            "value_usd": frame["value"].astype(float),
            "edition": content.get("source", ""),
        }
    )


def iso2_codes(table: pd.DataFrame) -> tuple[dict[str, str | None], dict[str, str], dict[str, str]]:
    """ISO3 -> ISO2 (pycountry first, then the table; None for areas without one such as "Other Asia,
    nes"), numeric code -> ISO3, and ISO3 -> the table's name."""
    iso2 = {}
    for iso3, given in zip(table["country_iso3"], table["country_iso2"], strict=True):
        country = pycountry.countries.get(alpha_3=iso3)
        iso2[iso3] = country.alpha_2 if country else (given or None)
    return (
        iso2,
        dict(zip(table["country_code"], table["country_iso3"], strict=True)),
        dict(zip(table["country_iso3"], table["country_name"], strict=True)),
    )


def full(path: Path, iso2: dict[str, str | None], names: dict[str, str]) -> pd.DataFrame:
    """A complete BACI year: exporter, importer (ISO2), value_usd, HS 850511 only."""
    frame = pd.read_csv(path, dtype={"i": str, "j": str, "cmd": str})
    if list(frame.columns) != ["i", "j", "cmd", "value"]:
        raise DatasetError(
            f"{FOLDER}/{path.name}: expected columns i, j, cmd, value; found {list(frame.columns)}"
        )
    frame = frame[frame["cmd"] == PRODUCT]
    unknown = sorted((set(frame["i"]) | set(frame["j"])) - set(iso2))  # every ISO3 must be in the table
    if unknown:
        raise DatasetError(f"{FOLDER}/{path.name}: ISO3 code(s) {unknown[:5]} are not in {CODES}")
    return pd.DataFrame(
        {
            "exporter": frame["i"].map(iso2),
            "importer": frame["j"].map(iso2),
            "label": frame["i"].map(names),
            "value_usd": frame["value"],
        }
    )


def comtrade(
    path: Path, iso2: dict[str, str | None], iso3: dict[str, str], names: dict[str, str]
) -> pd.DataFrame:
    """Declared imports of HS 850511: reporter, partner (ISO2, WLD for the World row; empty for a code the
    table does not map), partner_code, value_usd and quantity_kg summed over a reporter's rows per partner."""
    with gzip.open(path, "rb") as handle:
        frame = pd.read_csv(io.BytesIO(handle.read()), dtype={"cmd": str, "flow": str})
    needed = {"reporter", "partner", "cmd", "flow", "value", "netwgt"}
    if not needed <= set(frame.columns):
        raise DatasetError(
            f"{FOLDER}/{path.name}: expected columns {sorted(needed)}; found {list(frame.columns)}"
        )
    frame = frame[(frame["cmd"] == PRODUCT) & (frame["flow"] == "M")]
    summed = frame.groupby(["reporter", "partner"], as_index=False)[["value", "netwgt"]].sum(min_count=1)
    partner3 = summed["partner"].astype(str).map(iso3)
    world = summed["partner"] == WORLD
    return pd.DataFrame(
        {
            "importer": summed["reporter"].astype(str).map(iso3).map(iso2),
            "exporter": partner3.map(iso2).where(~world, "WLD"),
            "label": partner3.map(names)
            .where(~world, "World")
            .fillna("M49 code " + summed["partner"].astype(str)),
            "value_usd": summed["value"],
            "quantity_kg": summed["netwgt"],
        }
    )


def _trade(frame: pd.DataFrame, year: int, source: str, classification: str) -> pd.DataFrame:
    """Rows in the trade table's layout: reporter = importer, partner = exporter (None for an area without
    a current ISO code, its label kept)."""
    quantity = frame["quantity_kg"] if "quantity_kg" in frame else pd.Series(float("nan"), index=frame.index)
    current = frame["exporter"].isin(known_codes() | {"WLD"})  # retired codes (CS, AN) keep only their label
    return pd.DataFrame(
        {
            "reporter": frame["importer"],
            "partner": frame["exporter"].where(current, None),
            "partner_label": frame["label"],
            "flow": "import",
            "product_code": PRODUCT,
            "classification": classification,
            "period": str(year),
            "year": year,
            "month": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
            "value_usd": frame["value_usd"].astype(float),
            "quantity_kg": quantity.astype(float),
            "quantity_flag": None,
            "source": source,
        }
    )


def read(inputs: SourceInput) -> SourceOutput:
    """The three publications' HS 850511 imports of the study's importers, and what the selection left out."""
    folder = inputs.external_dir / FOLDER
    iso2, iso3, names = iso2_codes(codes(folder / CODES))
    parts, selection = [], []
    for year in FLOW_YEARS:
        frame = flows(folder / f"flows_{year}.json", year)
        parts.append((frame, year, "baci_magnets", f"HS6 ({frame['edition'].iloc[0]})"))
    for year in FULL_YEARS:
        parts.append(
            (full(folder / f"baci_{year}.csv", iso2, names), year, "baci_magnets_full", "HS6 (BACI)")
        )
        declared = comtrade(folder / f"comtrade_{year}.csv.gz", iso2, iso3, names)
        parts.append((declared, year, "comtrade_magnets", "HS6 (UN Comtrade)"))
    rows = []
    for frame, year, source, classification in parts:
        kept = frame[frame["importer"].isin(IMPORTERS)]
        selection.append({"source": source, "year": year, "rows": len(frame), "kept": len(kept)})
        rows.append(_trade(kept, year, source, classification))
    trade = pd.concat(rows, ignore_index=True)
    return SourceOutput(
        tables={"trade": conform(trade, "trade", "baci_magnets")},
        checks={"selection": pd.DataFrame(selection)},
    )


CONTRACT = Source(name="baci_magnets", files=(FOLDER,), read=read, series=tuple(SOURCES))
