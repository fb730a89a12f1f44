"""UN Comtrade: China's annual imports of HS 2846 (rare-earth compounds) by country of origin, 1993-2024.

The folder holds one raw public-preview API response per year (`1993.json` … `2024.json`, each
``{"elapsedTime", "count", "data": [records], "error"}``), plus `manifest.json` (the query and one
entry per year file) and `publication_metadata.json`. Reporter China (156), flow M, commodity 2846,
annual, by partner, with partner2 / customs procedure / transport mode all at their totals.

Quirks handled:

- The query is checked, not assumed: every record must be reporter 156, flow M, cmdCode 2846, annual,
  and its `refYear` must equal the year in its file name; the manifest must describe the same query,
  and the year files in the folder must be the ones the manifest lists. A file that fails any of
  these, is not JSON, carries an API error, or lacks a field is a `DatasetError` naming the file and
  the record.
- The public preview API returns at most `maxRecords` (500, recorded in the manifest) per call; a file
  that reaches the ceiling may be truncated and is refused. (The largest real file has 34 records.)
- One record per partner, including partner "World" (code 0, ISO "W00": partner "WLD") and partner
  "China" (code 156): goods of Chinese origin imported back into China, given flow "re-import".
  The World total includes them.
- Non-country partners keep their label and get no ISO code: "Other Asia, nes" (S19), "Areas, nes"
  (_X), "Free Zones" (X2) and "Southern African Customs Union (...1999)" (ZA1). "Belgium-Luxembourg
  (...1998)" (code 58) carries ISO "BEL" in Comtrade and is coded BE with its label kept.
- Value: `primaryValue`, Comtrade's headline value. China values imports CIF (publication metadata),
  and in every real record `primaryValue` equals `cifvalue` while `fobvalue` is null or 0, so the
  value is the CIF value in US dollars; `cifvalue` and `fobvalue` stay beside it in `clean`.
- Quantity: `netWgt` (kg) when the quantity unit is kg. 1993-1999 have unit "N/A", qty 0 and no net
  weight, and Czechia 2012 has unit kg but a null net weight: `quantity_kg` is empty with
  `quantity_flag` "not_reported" (the printed qty 0 is not a zero). Estimated weights
  (`isNetWgtEstimated` / `isQtyEstimated`) get "estimated". A unit other than kg gives `unit_<unit>`.
- `classificationCode` (H0 … H6) names the HS edition in force that year (H0 = HS1992 … H6 = HS2022).
- `world_check` reports, per year, whether the partner rows sum to the World row (value and weight),
  with the manifest's tolerance rule, instead of asserting it silently.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rare_earths.common.geography import country_code
from rare_earths.common.naming import camel_to_snake, snake_case
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform, read_json

FOLDER = "comtrade/china_reporter_hs2846"
FILE = FOLDER  # the year files are read from this folder
MANIFEST = "manifest.json"
SOURCE = "comtrade_china_imports"

REPORTER_CODE = 156
FLOW_CODE = "M"
COMMODITY_CODE = "2846"
WORLD_CODE = 0
REIMPORT_CODE = 156
# Partners that are not countries: label kept, no ISO code.
NON_COUNTRY_ISO = {
    "S19": "Other Asia, nes",
    "_X": "Areas, nes",
    "X2": "Free Zones",
    "ZA1": "Southern African Customs Union",
}
# Comtrade classification codes -> HS edition.
HS_EDITIONS = {
    "H0": "HS1992",
    "H1": "HS1996",
    "H2": "HS2002",
    "H3": "HS2007",
    "H4": "HS2012",
    "H5": "HS2017",
    "H6": "HS2022",
}
# The manifest's partner-sum rule: |sum(partners) - World| <= max(1 USD, |World| * 1e-9).
ABSOLUTE_TOLERANCE_USD = 1.0
RELATIVE_TOLERANCE = 1e-9

REQUIRED_FIELDS = (
    "refYear",
    "freqCode",
    "reporterCode",
    "flowCode",
    "cmdCode",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "classificationCode",
    "aggrLevel",
    "primaryValue",
    "cifvalue",
    "fobvalue",
    "qtyUnitAbbr",
    "qty",
    "netWgt",
    "isQtyEstimated",
    "isNetWgtEstimated",
)
_YEAR_FILE = re.compile(r"^(\d{4})\.json$")

__all__ = ["CONTRACT", "DatasetError", "clean", "extract", "read", "read_manifest", "trade", "world_check"]


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking that it describes reporter 156, flow M, commodity 2846, annual."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise DatasetError(f"{path}: the manifest is missing (it documents the query the year files answer)")
    manifest = _load_json(path)
    dataset = manifest.get("dataset", {})
    expected = {
        "reporter_code": REPORTER_CODE,
        "flow_code": FLOW_CODE,
        "commodity_code": COMMODITY_CODE,
        "frequency_code": "A",
    }
    for key, value in expected.items():
        if dataset.get(key) != value:
            raise DatasetError(f"{path}: dataset.{key} is {dataset.get(key)!r}, expected {value!r}")
    if not manifest.get("files"):
        raise DatasetError(f"{path}: no 'files' list")
    return manifest


def extract(path: Path) -> pd.DataFrame:
    """Every record of every year file (or of one year file), as it is, snake_case columns.

    Adds `file` (the file name) and, from the manifest's entry for the file, `manifest_trade_system`
    and `manifest_publication_date`.
    """
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    manifest = read_manifest(folder)
    listed = {str(entry["file"]): entry for entry in manifest["files"]}
    if path.is_dir():
        present = {child.name for child in folder.iterdir() if _YEAR_FILE.match(child.name)}
        missing = sorted(set(listed) - present)
        if missing:
            raise DatasetError(
                f"{folder}: year file(s) listed in {MANIFEST} are missing: {', '.join(missing)}"
            )
        unlisted = sorted(present - set(listed))
        if unlisted:
            raise DatasetError(f"{folder}: year file(s) not listed in {MANIFEST}: {', '.join(unlisted)}")
        files = [folder / name for name in sorted(present)]
    else:
        if path.name not in listed:
            raise DatasetError(f"{path}: the file is not listed in {folder / MANIFEST}")
        files = [path]
    ceiling = int(manifest.get("retrieval", {}).get("public_preview_max_records", 500))
    frames = [_read_year(file, listed[file.name], ceiling) for file in files]
    return pd.concat(frames, ignore_index=True)


def _load_json(path: Path) -> dict:
    data = read_json(path, str(path))
    if not isinstance(data, dict):
        raise DatasetError(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data


def _read_year(path: Path, entry: dict, ceiling: int) -> pd.DataFrame:
    """One year file's records, checked against the query and its file name."""
    match = _YEAR_FILE.match(path.name)
    if match is None:
        raise DatasetError(f"{path}: not a year file (expected YYYY.json)")
    year = int(match.group(1))
    records = _response_records(path, _load_json(path), ceiling)
    if entry.get("year") is not None and int(entry["year"]) != year:
        raise DatasetError(f"{path}: the manifest lists this file for year {entry['year']}")
    _check_records(path, records, year)
    frame = pd.DataFrame.from_records(records)
    frame.columns = [camel_to_snake(column) for column in frame.columns]
    frame.insert(0, "file", path.name)
    latest = entry.get("publication_metadata", {}).get("latest", {})
    frame["manifest_trade_system"] = latest.get("trade_system")
    frame["manifest_publication_date"] = latest.get("publication_date_short")
    return frame


def _response_records(path: Path, response: dict, ceiling: int) -> list:
    """The records of an API response, refusing an error, a miscount or a possibly truncated answer."""
    for key in ("count", "data", "error"):
        if key not in response:
            raise DatasetError(f"{path}: the response lacks the field {key!r}")
    if response["error"]:
        raise DatasetError(f"{path}: the API returned an error: {response['error']!r}")
    records = response["data"]
    if not isinstance(records, list):
        raise DatasetError(f"{path}: 'data' is not a list")
    if response["count"] != len(records):
        raise DatasetError(
            f"{path}: 'count' is {response['count']} but 'data' holds {len(records)} record(s)"
        )
    if len(records) >= ceiling:
        raise DatasetError(
            f"{path}: {len(records)} records reach the preview API ceiling of {ceiling}; "
            "the year may be truncated"
        )
    return records


def _check_records(path: Path, records: list, year: int) -> None:
    """Refuse a record that lacks a field or answers another query (year, frequency, reporter, flow, code)."""
    expected = {
        "refYear": year,
        "freqCode": "A",
        "reporterCode": REPORTER_CODE,
        "flowCode": FLOW_CODE,
        "cmdCode": COMMODITY_CODE,
    }
    for number, record in enumerate(records):
        where = f"{path}: record {number} (partner {record.get('partnerDesc', '?')!r})"
        missing = [field for field in REQUIRED_FIELDS if field not in record]
        if missing:
            raise DatasetError(f"{where} lacks field(s) {', '.join(missing)}")
        for field, value in expected.items():
            if record[field] != value:
                raise DatasetError(f"{where}: {field} is {record[field]!r}, expected {value!r}")


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per year and partner: ISO2 partner, flow, value (USD, CIF) and net weight (kg) with its
    flag."""
    duplicated = frame[frame.duplicated(["ref_year", "partner_code"], keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        raise DatasetError(
            f"{first['file']}: partner {first['partner_desc']!r} (code {first['partner_code']}) appears "
            "more than once"
        )
    rows = []
    for number, record in frame.iterrows():
        where = f"{record['file']}: record for partner {record['partner_desc']!r}"
        classification_code = record["classification_code"]
        if classification_code not in HS_EDITIONS:
            raise DatasetError(f"{where}: unknown classificationCode {classification_code!r}")
        value = record["primary_value"]
        if pd.isna(value):
            raise DatasetError(f"{where}: primaryValue is empty")
        quantity, flag = _quantity(record)
        rows.append(
            {
                "file": record["file"],
                "year": int(record["ref_year"]),
                "classification_code": classification_code,
                "hs_edition": HS_EDITIONS[classification_code],
                "aggr_level": int(record["aggr_level"]),
                "product_code": str(record["cmd_code"]),
                "partner_code": int(record["partner_code"]),
                "partner_iso3": record["partner_iso"],
                "partner_label": record["partner_desc"],
                "partner": _partner(record, where),
                "flow": "re-import" if int(record["partner_code"]) == REIMPORT_CODE else "import",
                "value_usd": float(value),
                "cif_value_usd": _float(record["cifvalue"]),
                "fob_value_usd": _float(record["fobvalue"]),
                "qty_unit": record["qty_unit_abbr"],
                "qty_as_published": _float(record["qty"]),
                "net_weight_as_published": _float(record["net_wgt"]),
                "quantity_kg": quantity,
                "quantity_flag": flag,
                "trade_system": record.get("manifest_trade_system"),
                "source_row": number,
            }
        )
    cleaned = pd.DataFrame(rows)
    cleaned["year"] = cleaned["year"].astype("int64")
    return cleaned.sort_values(["year", "partner_code"]).reset_index(drop=True)


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _partner(record: pd.Series, where: str) -> str | None:
    """WLD for World, None for a non-country area, else ISO alpha-2 from the record's alpha-3 code."""
    if int(record["partner_code"]) == WORLD_CODE:
        return "WLD"
    iso3 = str(record["partner_iso"]).strip()
    if iso3 in NON_COUNTRY_ISO:
        return None
    try:
        return country_code(iso3)
    except KeyError:
        raise DatasetError(f"{where}: partner ISO code {iso3!r} has no ISO alpha-2 code") from None


def _quantity(record: pd.Series) -> tuple[float | None, str | None]:
    """(net weight in kg, flag): empty with 'not_reported' when there is no net weight; 'estimated' when
    Comtrade estimated it."""
    weight = _float(record["net_wgt"])
    unit = str(record["qty_unit_abbr"]).strip()
    if weight is None:
        return None, "not_reported"
    if unit != "kg":
        return None, f"unit_{snake_case(unit) or 'unknown'}"
    estimated = bool(record["is_net_wgt_estimated"]) or bool(record["is_qty_estimated"])
    return weight, ("estimated" if estimated else None)


def world_check(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """Per year: the World row against the sum of the other partner rows (value and net weight).

    `value_ok` applies the manifest's rule |sum - World| <= max(1 USD, |World| x 1e-9). Weights are
    only compared (no verdict): many are Comtrade estimates, and years without weights have none.
    """
    rows = []
    for year, group in clean_frame.groupby("year", sort=True):
        world = group[group["partner"] == "WLD"]
        partners = group[group["partner"] != "WLD"]
        if len(world) != 1:
            raise DatasetError(
                f"year {year}: {len(world)} World row(s), expected 1 (files "
                f"{', '.join(sorted(set(group['file'])))})"
            )
        world_value = float(world["value_usd"].iloc[0])
        partner_value = float(partners["value_usd"].sum())
        tolerance = max(ABSOLUTE_TOLERANCE_USD, abs(world_value) * RELATIVE_TOLERANCE)
        world_weight = world["quantity_kg"].iloc[0]
        weights = partners["quantity_kg"]
        rows.append(
            {
                "year": int(year),
                "records": len(group),
                "partners": len(partners),
                "world_value_usd": world_value,
                "partner_sum_usd": partner_value,
                "difference_usd": partner_value - world_value,
                "tolerance_usd": tolerance,
                "value_ok": abs(partner_value - world_value) <= tolerance,
                "world_kg": None if pd.isna(world_weight) else float(world_weight),
                "partner_sum_kg": float(weights.sum()) if weights.notna().any() else None,
                "partners_without_kg": int(weights.isna().sum()),
                "reimport_usd": float(group.loc[group["flow"] == "re-import", "value_usd"].sum()),
                "trade_system": world["trade_system"].iloc[0],
            }
        )
    return pd.DataFrame(rows)


def trade(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """China's imports (and re-imports) of HS 2846 by partner and year in the trade table's layout."""
    frame = pd.DataFrame(
        {
            "reporter": "CN",
            "partner": clean_frame["partner"],
            "partner_label": clean_frame["partner_label"],
            "flow": clean_frame["flow"],
            "product_code": clean_frame["product_code"],
            "classification": clean_frame["hs_edition"]
            + " "
            + clean_frame["aggr_level"].astype(str)
            + "-digit",
            "period": clean_frame["year"].astype(str),
            "year": clean_frame["year"],
            "month": pd.Series(pd.NA, index=clean_frame.index, dtype="Int64"),
            "value_usd": clean_frame["value_usd"],
            "quantity_kg": clean_frame["quantity_kg"].astype("float64"),
            "quantity_flag": clean_frame["quantity_flag"],
            "source": SOURCE,
        }
    )
    return conform(frame, "trade", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts, and the World-sum check per year."""
    cleaned = clean(extract(inputs.external_dir / FOLDER))
    return SourceOutput(tables={"trade": trade(cleaned)}, checks={"world_check": world_check(cleaned)})


CONTRACT = Source(name=SOURCE, files=(FOLDER,), read=read)
