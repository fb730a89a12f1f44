"""UN Comtrade: China's monthly exports of four critical-mineral groups to its top partners, 2017-01 to
2024-12.

A table processed by a third party (qennis/ChinaCriticalMineralComtrade) from the Comtrade API,
reporter China, flow X: `country_monthly_stats.csv` has one row per product group, partner and month
(`period_dt` as the first day of the month, `val` in USD, `qty`, `uv` = val/qty, `hhi`, `broad_group`,
`partner_name`), for 4 groups (Rare Earths, Gallium/Germanium, Graphite, Polysilicon) x their top 8
partners. `hs_map.csv` defines the groups by Chinese 8-digit codes (its column is named `hs6` but
holds 8-digit codes); Rare Earths = 28053000 (metals) + 28469010 (oxides) + 85051110 (magnets),
summed into one value.

Quirks handled:

- The unit of `qty` is not documented; it reads as kg (net weight) and is kept as `quantity_kg` with
  the flag "unit_inferred_kg" on every row.
- 2017 quantities are incomplete: for every Rare Earths partner the 2017 total is 1.6 to 9.3 times below its
  2018 total while values are comparable (Japan 2,187 t against 20,319 t), and all 88 rows with a zero
  quantity but a positive value are in 2017 (other groups); every 2017 quantity has a fraction of a kg,
  against 5-28 % of the Rare Earths quantities in later years. Every 2017 row gets the flag
  "incomplete" (rule: `INCOMPLETE_QUANTITY_YEARS`); `annual_quantities` shows the evidence.
- A zero quantity with a positive value (uv printed "inf") is not a zero: `quantity_kg` is empty and
  flagged "not_reported"; the printed qty stays in `qty_as_published`.
- Months with no row are absent from the file (not zeros); e.g. Polysilicon/Thailand has 19 months.
- `uv` is checked against val/qty (a mismatch means a shifted or damaged row) and `hhi` is kept as
  published: it is undocumented, 1.0 throughout the single-code Polysilicon group and about 1/3 at its
  lowest for the three-code Rare Earths group, so it looks like the concentration of each partner's
  trade across the group's codes, not across partners.

Choice for the trade table: `clean` keeps all four groups (with `broad_group`); `trade` emits the
Rare Earths group only (the other groups are other commodities), with `product_code` the group's
codes from hs_map.csv joined with "+" and classification "China 8-digit group (hs_map.csv)".
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from rare_earths.common.geography import country_code
from rare_earths.common.naming import snake_case
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform

FOLDER = "comtrade/china_exports_monthly"
FILES = {"stats": f"{FOLDER}/country_monthly_stats.csv", "hs_map": f"{FOLDER}/hs_map.csv"}
SOURCE = "comtrade_china_exports"
CLASSIFICATION = "China 8-digit group (hs_map.csv)"
TRADE_GROUP = "Rare Earths"
STATS_COLUMNS = ("period_dt", "val", "qty", "uv", "hhi", "broad_group", "partner_name")
HS_MAP_COLUMNS = ("hs6", "material", "group", "notes")
# hs_map.csv group -> broad_group of country_monthly_stats.csv
GROUPS = {
    "rare_earths": "Rare Earths",
    "gallium": "Gallium/Germanium",
    "germanium": "Gallium/Germanium",
    "graphite": "Graphite",
    "silicon": "Polysilicon",
}
# Years whose quantities are incomplete (see the module docstring and `annual_quantities`).
INCOMPLETE_QUANTITY_YEARS = (2017,)
UNIT_FLAG = "unit_inferred_kg"
_PERIOD = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-01$")
_CODE = re.compile(r"^\d{8}$")

__all__ = [
    "CONTRACT",
    "DatasetError",
    "annual_quantities",
    "clean",
    "extract",
    "extract_hs_map",
    "group_codes",
    "read",
    "trade",
]


def extract(path: Path) -> pd.DataFrame:
    """country_monthly_stats.csv as it is (every cell text), snake_case columns; the file name in
    `attrs['file']`."""
    return _read_csv(path, STATS_COLUMNS)


def extract_hs_map(path: Path) -> pd.DataFrame:
    """hs_map.csv as it is (every cell text), snake_case columns."""
    return _read_csv(path, HS_MAP_COLUMNS)


def _read_csv(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame.columns = [snake_case(column) for column in frame.columns]
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise DatasetError(
            f"{path.name}: missing column(s) {', '.join(missing)} (found {', '.join(frame.columns)})"
        )
    frame.attrs["file"] = path.name
    return frame


def group_codes(hs_map: pd.DataFrame) -> dict[str, str]:
    """{broad_group: the group's 8-digit codes joined with '+', in file order}."""
    name = hs_map.attrs.get("file", "hs_map.csv")
    codes: dict[str, list[str]] = {}
    for index, row in hs_map.iterrows():
        where = f"{name}: line {index + 2}"
        code, group = row["hs6"].strip(), row["group"].strip()
        if not _CODE.match(code):
            raise DatasetError(f"{where}: code {code!r} is not an 8-digit code")
        if group not in GROUPS:
            raise DatasetError(f"{where}: group {group!r} is not one of {', '.join(GROUPS)}")
        codes.setdefault(GROUPS[group], []).append(code)
    return {group: "+".join(values) for group, values in codes.items()}


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Every row typed: period YYYY-MM, year, month, value (USD), quantity (kg, inferred) with flags, ISO
    partner."""
    name = frame.attrs.get("file", "country_monthly_stats.csv")
    rows = []
    known_groups = set(GROUPS.values())
    for index, row in frame.iterrows():
        where = f"{name}: line {index + 2}"
        match = _PERIOD.match(row["period_dt"].strip())
        if match is None or not 1 <= int(match.group("month")) <= 12:
            raise DatasetError(
                f"{where}: period_dt {row['period_dt']!r} is not the first day of a month (YYYY-MM-01)"
            )
        group = row["broad_group"].strip()
        if group not in known_groups:
            raise DatasetError(
                f"{where}: broad_group {group!r} is not one of {', '.join(sorted(known_groups))}"
            )
        try:
            partner = country_code(row["partner_name"])
        except KeyError:
            raise DatasetError(f"{where}: partner_name {row['partner_name']!r} has no ISO code") from None
        value, quantity, unit_value, hhi = (
            _number(row[column], where, column) for column in ("val", "qty", "uv", "hhi")
        )
        if value < 0 or quantity < 0:
            raise DatasetError(f"{where}: negative val or qty ({row['val']!r}, {row['qty']!r})")
        _check_unit_value(value, quantity, unit_value, where)
        year = int(match.group("year"))
        flags = {UNIT_FLAG}
        kilograms: float | None = quantity
        if quantity == 0 and value > 0:
            kilograms, flags = None, {"not_reported"}
        if year in INCOMPLETE_QUANTITY_YEARS:
            flags.add("incomplete")
        rows.append(
            {
                "broad_group": group,
                "partner_name": row["partner_name"],
                "partner": partner,
                "period": f"{year}-{match.group('month')}",
                "year": year,
                "month": int(match.group("month")),
                "value_usd": value,
                "qty_as_published": quantity,
                "quantity_kg": kilograms,
                "quantity_flag": ";".join(sorted(flags)),
                "unit_value_usd_per_kg": unit_value if math.isfinite(unit_value) else None,
                "hhi": hhi,
                "source_line": index + 2,
            }
        )
    cleaned = pd.DataFrame(rows)
    duplicated = cleaned[cleaned.duplicated(["broad_group", "partner_name", "period"], keep=False)]
    if not duplicated.empty:
        lines = ", ".join(str(line) for line in duplicated["source_line"].head(5))
        raise DatasetError(f"{name}: the same group, partner and month appear more than once (lines {lines})")
    cleaned["month"] = cleaned["month"].astype("Int64")
    return cleaned.sort_values(["broad_group", "partner_name", "period"]).reset_index(drop=True)


def _number(text: str, where: str, column: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise DatasetError(f"{where}: {column} {text!r} is not a number") from None
    if math.isnan(number) or (math.isinf(number) and column != "uv"):
        raise DatasetError(f"{where}: {column} {text!r} is not a finite number")
    return number


def _check_unit_value(value: float, quantity: float, unit_value: float, where: str) -> None:
    """uv must be val/qty (inf when qty is 0 and val is positive)."""
    if quantity == 0:
        if value > 0 and not math.isinf(unit_value):
            raise DatasetError(f"{where}: qty is 0 but uv is {unit_value!r}, not inf")
        return
    if not math.isclose(unit_value, value / quantity, rel_tol=1e-9):
        raise DatasetError(
            f"{where}: uv {unit_value!r} is not val/qty ({value / quantity!r}); the row may be shifted"
        )


def annual_quantities(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """Per group, partner and year: months, value, quantity and unit value, to show the incomplete 2017
    quantities."""
    grouped = clean_frame.groupby(["broad_group", "partner_name", "year"], sort=True)
    frame = grouped.agg(
        months=("period", "size"),
        months_without_quantity=("quantity_kg", lambda series: int(series.isna().sum())),
        value_usd=("value_usd", "sum"),
        quantity_kg=("quantity_kg", "sum"),
    ).reset_index()
    frame["unit_value_usd_per_kg"] = frame["value_usd"] / frame["quantity_kg"].where(frame["quantity_kg"] > 0)
    frame["incomplete_quantities"] = frame["year"].isin(INCOMPLETE_QUANTITY_YEARS)
    return frame


def trade(clean_frame: pd.DataFrame, hs_map: pd.DataFrame) -> pd.DataFrame:
    """China's monthly exports of the Rare Earths group to its top partners, in the trade table's layout."""
    codes = group_codes(hs_map)
    if TRADE_GROUP not in codes:
        raise DatasetError(
            f"{hs_map.attrs.get('file', 'hs_map.csv')}: no codes for the group {TRADE_GROUP!r}"
        )
    rows = clean_frame[clean_frame["broad_group"] == TRADE_GROUP]
    frame = pd.DataFrame(
        {
            "reporter": "CN",
            "partner": rows["partner"],
            "partner_label": rows["partner_name"],
            "flow": "export",
            "product_code": codes[TRADE_GROUP],
            "classification": CLASSIFICATION,
            "period": rows["period"],
            "year": rows["year"],
            "month": rows["month"].astype("Int64"),
            "value_usd": rows["value_usd"],
            "quantity_kg": rows["quantity_kg"].astype("float64"),
            "quantity_flag": rows["quantity_flag"],
            "source": SOURCE,
        }
    )
    return conform(frame, "trade", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts."""
    clean_frame = clean(extract(inputs.external_dir / FILES["stats"]))
    return SourceOutput(
        tables={"trade": trade(clean_frame, extract_hs_map(inputs.external_dir / FILES["hs_map"]))}
    )


CONTRACT = Source(name=SOURCE, files=tuple(FILES.values()), read=read)
