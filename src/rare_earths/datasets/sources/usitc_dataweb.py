"""USITC DataWeb export: US imports for consumption by partner and HTS4 heading, 1993-2025 plus Jan-Apr
year-to-date to 2026.

The workbook (downloaded 2026-07-10 by a third party) has a "Query Parameters" sheet and, for each
measure, an annual sheet and a "YTD" sheet: "Customs Value", "First Unit of Quantity" and "Second
Unit of Quantity". Each data sheet has a title row ("Imports For Consumption|Annual + Year-To-Date
Data from Jan - Apr": the YTD months come from it), a "Data Row Count" row, a header row and one row
per partner x HTS4 heading x *unit of quantity*: DataWeb splits a heading's value by the unit of its
tariff lines (8505 has rows "Value for: kilograms", "Value for: number" and "Value for: no units
collected"). The value sheets end with a "Total: " row printed as text with thousands separators;
the quantity sheets carry a "<year>_Suppressed" column beside each year.

Quirks handled:

* Values are customs value in whole US dollars (no scaling): `clean` checks that every column sums
  to the sheet's "Total: " row and that "Data Row Count" matches the rows.
* The annual sheet has a column for the download year (2026), which is not a complete year and is
  all zeros: it is dropped (refused if it is not all zeros); Jan-Apr 2026 comes from the YTD sheet.
* The partner labels are DataWeb's ("Democratic Republic of the Congo", "Myanmar (Burma)",
  "South Korea"); they get ISO codes through the shared `country_code` (its table of
  labels that are not ISO names covers the first two). There is no World row: only 18 selected
  partners were queried, so shares are of those 18, not of all US imports.
* `clean` keeps the file's key (partner x heading x unit x period) with the first-unit quantity
  and its unit and the "Suppressed" number as printed; `trade` sums the value over a heading's unit
  rows, giving one row per partner x heading x period, with the quantity in kg only when every unit
  row of the heading is in kilograms (otherwise `quantity_flag` "unit_<units>", '+'-joined). A
  non-zero "Suppressed" cell (its meaning is not documented in the file) keeps the quantity and sets
  `quantity_flag` "partly_suppressed". The second unit of quantity has no lossless key to a
  first-unit row and is not used.
* The rare-earth headings are `RARE_EARTH_HEADINGS` (2805, 2846, 8505). They are proxies: 2805
  also holds alkali and alkaline-earth metals, 8505 also ferrite magnets and electromagnets.
  `clean` and `trade(..., headings=None)` keep all 25 headings of the query; `tables` gives the
  processed trade table the rare-earth headings only.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from rare_earths.common.geography import country_code
from rare_earths.common.naming import snake_case
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform

FILE = "usitc_dataweb/us_imports_for_consumption_1993-2026.xlsx"
CHINA_SHARE_FILE = (
    "usitc_dataweb/china_share_of_us_imports.csv"  # the third party's derivation, for cross-checks only
)
MANIFEST_FILE = "usitc_dataweb/query_manifest.json"
SOURCE = "usitc_dataweb"
RARE_EARTH_HEADINGS = ("2805", "2846", "8505")

QUERY_SHEET = "Query Parameters"
# sheet -> (data type printed in its first column, year-to-date?)
VALUE_SHEETS = {"Customs Value": False, "Customs Value YTD": True}
QUANTITY_SHEETS = {"First Unit of Quantity": False, "First Unit of Quantity YTD": True}
_DATA_TYPES = {"Customs Value": "Customs Value", "First Unit of Quantity": "First Unit of Quantity"}
_KEY = ("data_type", "country", "hts_number", "description", "quantity_description")
_TITLE = re.compile(
    r"^Imports For Consumption\|Annual \+ Year-To-Date Data from (?P<first>[A-Z][a-z]{2}) - "
    r"(?P<last>[A-Z][a-z]{2})$"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_YEAR_COLUMN = re.compile(r"^(?P<year>\d{4})(?P<ytd>_year_to_date)?(?P<suppressed>_suppressed)?$")
KILOGRAMS = "kilograms"
VALUE_PREFIX = "Value for: "

CLEAN_COLUMNS = (
    "partner_label",
    "partner",
    "product_code",
    "description",
    "quantity_unit",
    "ytd",
    "period",
    "year",
    "value_usd",
    "quantity",
    "quantity_suppressed",
    "value_sheet_row",
    "quantity_sheet_row",
)

__all__ = [
    "CONTRACT",
    "RARE_EARTH_HEADINGS",
    "SOURCE",
    "DatasetError",
    "china_share",
    "clean",
    "extract",
    "read",
    "trade",
]


def extract(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as it is (cells as text, blanks ''), keyed by sheet name.

    "Query Parameters" becomes columns parameter / value. A data sheet becomes its header row's
    snake_case columns plus `sheet_row` (the Excel row), with the title and "Data Row Count" rows
    in `frame.attrs` ("title", "data_row_count"); the "Total: " row is kept as the last row.
    """
    path = Path(path)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Workbook contains no default style", category=UserWarning)
        raw = pd.read_excel(path, sheet_name=None, header=None, dtype=str, keep_default_na=False)
    missing = [sheet for sheet in (QUERY_SHEET, *VALUE_SHEETS, *QUANTITY_SHEETS) if sheet not in raw]
    if missing:
        raise DatasetError(
            f"{path.name}: sheet(s) {', '.join(map(repr, missing))} missing (found "
            f"{', '.join(map(repr, raw))})"
        )
    sheets = {}
    for name, grid in raw.items():
        if name == QUERY_SHEET:
            frame = grid.iloc[:, :2].set_axis(["parameter", "value"], axis=1).reset_index(drop=True)
        else:
            if len(grid) < 3 or grid.iloc[1, 0] != "Data Row Count":
                raise DatasetError(
                    f"{path.name}, sheet {name!r}: rows 1-3 are not a title, a 'Data Row Count' row and a "
                    "header"
                )
            frame = grid.iloc[3:].set_axis([snake_case(column) for column in grid.iloc[2]], axis=1)
            frame.insert(0, "sheet_row", frame.index + 1)
            frame = frame.reset_index(drop=True)
            frame.attrs.update(title=grid.iloc[0, 0], data_row_count=grid.iloc[1, 1])
        frame.attrs.update(file=path.name, sheet=name)
        sheets[name] = frame
    return sheets


def clean(sheets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per partner x HTS4 heading x unit of quantity x period (annual and YTD), value in USD and
    first-unit quantity."""
    download_year = _download_year(sheets[QUERY_SHEET])
    parts = []
    for (value_sheet, ytd), quantity_sheet in zip(VALUE_SHEETS.items(), QUANTITY_SHEETS, strict=True):
        values = _long(sheets[value_sheet], ytd)
        quantities = _long(sheets[quantity_sheet], ytd)
        if not ytd:
            values = _drop_incomplete_year(values, download_year, sheets[value_sheet])
            quantities = _drop_incomplete_year(quantities, download_year, sheets[quantity_sheet])
        values["quantity_unit"] = _units(sheets[value_sheet], values)
        quantities["quantity_unit"] = quantities["quantity_description"]
        keys = ["country", "hts_number", "quantity_unit", "period"]
        merged = values.merge(
            quantities, on=keys, how="outer", suffixes=("", "_q"), indicator=True, validate="one_to_one"
        )
        lonely = merged[merged["_merge"] != "both"].sort_values(
            "_merge", key=lambda side: side != "left_only", kind="stable"
        )
        if not lonely.empty:
            first = lonely.iloc[0]
            sheet, row = (
                (value_sheet, first["sheet_row"])
                if first["_merge"] == "left_only"
                else (quantity_sheet, first["sheet_row_q"])
            )
            raise DatasetError(
                f"{_where(sheets[sheet])} row {int(row)}: {first['country']} {first['hts_number']} "
                f"({first['quantity_unit']}) "
                f"has no counterpart in the {'quantity' if first['_merge'] == 'left_only' else 'value'} sheet"
            )
        merged["partner"] = [
            _partner(label, sheets[value_sheet], row)
            for label, row in zip(merged["country"], merged["sheet_row"], strict=True)
        ]
        parts.append(merged)
    frame = pd.concat(parts, ignore_index=True)
    out = pd.DataFrame(
        {
            "partner_label": frame["country"],
            "partner": frame["partner"],
            "product_code": frame["hts_number"],
            "description": frame["description"],
            "quantity_unit": frame["quantity_unit"],
            "ytd": frame["ytd"].astype(bool),
            "period": frame["period"],
            "year": frame["year"].astype(int),
            "value_usd": frame["number"].astype(float),
            "quantity": frame["number_q"].astype(float),
            "quantity_suppressed": frame["suppressed_q"].astype(float),
            "value_sheet_row": frame["sheet_row"].astype(int),
            "quantity_sheet_row": frame["sheet_row_q"].astype(int),
        }
    )
    return out.sort_values(["ytd", "partner_label", "product_code", "quantity_unit", "year"]).reset_index(
        drop=True
    )[list(CLEAN_COLUMNS)]


def _where(sheet: pd.DataFrame) -> str:
    return f"{sheet.attrs.get('file', FILE)}, sheet {sheet.attrs.get('sheet')!r}"


def _download_year(query: pd.DataFrame) -> int:
    found = query.loc[query["parameter"] == "Download Date", "value"]
    stamp = pd.to_datetime(found.iloc[0], errors="coerce") if len(found) == 1 else pd.NaT
    if pd.isna(stamp):
        raise DatasetError(f"{_where(query)}: no readable 'Download Date' ({list(found)!r})")
    return int(stamp.year)


def _long(sheet: pd.DataFrame, ytd: bool) -> pd.DataFrame:
    """A data sheet's rows checked (title, row count, data type, numbers, Total row) and melted to one row per
    period."""
    where = _where(sheet)
    title = _TITLE.match(str(sheet.attrs.get("title", "")))
    if title is None or title["first"] not in _MONTHS or title["last"] not in _MONTHS:
        raise DatasetError(
            f"{where} cell A1: title {sheet.attrs.get('title')!r} is not 'Imports For Consumption|Annual + "
            "Year-To-Date ...'"
        )
    first, last = _MONTHS[title["first"]], _MONTHS[title["last"]]
    if missing := [column for column in _KEY if column not in sheet.columns]:
        raise DatasetError(f"{where} row 3: header lacks {', '.join(missing)}")
    is_total = sheet["data_type"].str.strip() == "Total:"
    body, total = sheet[~is_total], sheet[is_total]
    if (is_total.any() and not is_total.iloc[-1:].all()) or len(total) > 1:
        raise DatasetError(
            f"{where} row {int(total['sheet_row'].iloc[0])}: the 'Total: ' row is not the last row"
        )
    count = str(sheet.attrs.get("data_row_count", ""))
    if not count.replace(".0", "").isdigit() or int(float(count)) != len(body):
        raise DatasetError(
            f"{where} cell B2: 'Data Row Count' {count!r} but the sheet has {len(body)} data rows"
        )
    expected = _DATA_TYPES[sheet.attrs["sheet"].removesuffix(" YTD")]
    if (wrong := body[body["data_type"] != expected]).shape[0]:
        raise DatasetError(
            f"{where} row {int(wrong['sheet_row'].iloc[0])}: data type {wrong['data_type'].iloc[0]!r}, "
            f"expected {expected!r}"
        )
    if (twice := body[body.duplicated(["country", "hts_number", "quantity_description"])]).shape[0]:
        raise DatasetError(
            f"{where} row {int(twice['sheet_row'].iloc[0])}: a second row for "
            f"{' '.join(twice.iloc[0][list(_KEY[1:3])])}"
        )
    if (bad := body[~body["hts_number"].str.fullmatch(r"\d{4}")]).shape[0]:
        raise DatasetError(
            f"{where} row {int(bad['sheet_row'].iloc[0])}: HTS number {bad['hts_number'].iloc[0]!r} is not "
            "a 4-digit heading"
        )
    columns = {column: _YEAR_COLUMN.match(column) for column in sheet.columns}
    years = {
        column: int(match["year"]) for column, match in columns.items() if match and not match["suppressed"]
    }
    suppressed = {
        int(match["year"]): column for column, match in columns.items() if match and match["suppressed"]
    }
    if any(bool(match["ytd"]) != ytd for match in columns.values() if match):
        raise DatasetError(
            f"{where} row 3: year columns {list(years)[:3]} do not match a {'YTD' if ytd else 'annual'} sheet"
        )
    numbers = body[list(years)].apply(_numbers, sheet=sheet)
    if not total.empty:
        _check_total(numbers, total.iloc[0], sheet)
    rows = []
    for column, year in years.items():
        part = body.loc[:, ["sheet_row", *_KEY]].copy()
        part["year"], part["ytd"], part["number"] = year, ytd, numbers[column]
        part["period"] = f"{year}-{first:02d}..{last:02d}" if ytd else str(year)
        part["suppressed"] = _numbers(body[suppressed[year]], sheet=sheet) if year in suppressed else 0.0
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def _numbers(column: pd.Series, sheet: pd.DataFrame) -> pd.Series:
    """A column of printed numbers as floats; a cell that is not a number is named by its address."""
    numbers = pd.to_numeric(column, errors="coerce")
    if numbers.isna().any():
        index = numbers.index[numbers.isna()][0]
        # sheet_row is column 0
        address = (
            f"{get_column_letter(list(sheet.columns).index(column.name))}{int(sheet.loc[index, 'sheet_row'])}"
        )
        raise DatasetError(f"{_where(sheet)} cell {address}: {column[index]!r} is not a number")
    return numbers.astype(float)


def _check_total(numbers: pd.DataFrame, total: pd.Series, sheet: pd.DataFrame) -> None:
    """Each year column must sum to the 'Total: ' row (printed as text with thousands separators)."""
    for column in numbers.columns:
        printed = str(total[column])
        try:
            expected = float(printed.replace(",", ""))
        except ValueError:
            expected = None
        if expected is None or abs(numbers[column].sum() - expected) > 0.5:
            address = f"{get_column_letter(list(sheet.columns).index(column))}{int(total['sheet_row'])}"
            raise DatasetError(
                f"{_where(sheet)} cell {address}: the rows sum to {numbers[column].sum():,.0f} but the "
                f"Total row says {printed!r}"
            )


def _drop_incomplete_year(frame: pd.DataFrame, download_year: int, sheet: pd.DataFrame) -> pd.DataFrame:
    """Annual columns for the download year or later are not complete years: dropped if all zero, refused
    otherwise."""
    late = frame["year"] >= download_year
    if (frame.loc[late, "number"] != 0).any():
        row = frame[late & (frame["number"] != 0)].iloc[0]
        raise DatasetError(
            f"{_where(sheet)} row {int(row['sheet_row'])}: annual {row['year']} is not a complete year but "
            f"has {row['number']}"
        )
    return frame[~late].reset_index(drop=True)


def _units(sheet: pd.DataFrame, values: pd.DataFrame) -> pd.Series:
    """'Value for: kilograms' -> 'kilograms'."""
    described = values["quantity_description"]
    if (bad := values[~described.str.startswith(VALUE_PREFIX)]).shape[0]:
        raise DatasetError(
            f"{_where(sheet)} row {int(bad['sheet_row'].iloc[0])}: quantity description "
            f"{bad['quantity_description'].iloc[0]!r}"
        )
    return described.str.removeprefix(VALUE_PREFIX)


def _partner(label: str, sheet: pd.DataFrame, row: int) -> str | None:
    """ISO alpha-2 of a DataWeb partner label."""
    try:
        return country_code(label)
    except KeyError:
        raise DatasetError(f"{_where(sheet)} row {int(row)}: partner {label!r} has no ISO code") from None


def trade(clean_frame: pd.DataFrame, headings: tuple[str, ...] | None = RARE_EARTH_HEADINGS) -> pd.DataFrame:
    """US imports for consumption by partner, HTS4 heading and period in the trade table's layout.

    The value of a heading is summed over its unit-of-quantity rows; `headings=None` keeps all the
    headings of the query. Annual periods are "2025"; year-to-date sums are "2026-01..04".
    """
    rows = clean_frame if headings is None else clean_frame[clean_frame["product_code"].isin(headings)]
    keys = ["partner_label", "partner", "product_code", "period", "year", "ytd"]
    grouped = rows.groupby(keys, sort=True, dropna=False)
    frame = grouped.agg(
        value_usd=("value_usd", "sum"),
        quantity=("quantity", "sum"),
        suppressed=("quantity_suppressed", "sum"),
        units=("quantity_unit", lambda units: tuple(sorted(set(units)))),
    ).reset_index()
    in_kg = frame["units"].map(lambda units: units == (KILOGRAMS,))
    frame["quantity_kg"] = frame["quantity"].where(in_kg)
    frame["quantity_flag"] = [
        ("partly_suppressed" if suppressed else None)
        if kg
        else "unit_" + "+".join(snake_case(unit) for unit in units)
        for kg, suppressed, units in zip(in_kg, frame["suppressed"], frame["units"], strict=True)
    ]
    frame["reporter"], frame["flow"], frame["classification"], frame["source"] = (
        "US",
        "import",
        "HTS4",
        SOURCE,
    )
    frame["month"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame = frame.sort_values(["ytd", "product_code", "partner_label", "year"])
    return conform(frame, "trade", SOURCE)


def china_share(trade_frame: pd.DataFrame) -> pd.DataFrame:
    """China's share of the value from the queried partners, by period (the denominator is those partners, not
    World)."""
    frame = trade_frame.assign(china=trade_frame["partner"].eq("CN") * trade_frame["value_usd"])
    shares = frame.groupby(["period", "year"], sort=True).agg(
        china_value_usd=("china", "sum"),
        partners_value_usd=("value_usd", "sum"),
        partners=("partner", "nunique"),
    )
    shares["china_share"] = shares["china_value_usd"] / shares["partners_value_usd"].where(
        shares["partners_value_usd"] > 0
    )
    shares = shares.reset_index()
    shares.insert(2, "ytd", shares["period"].str.contains(r"\.\.", regex=True))
    return shares


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts (the rare-earth headings only)."""
    return SourceOutput(tables={"trade": trade(clean(extract(inputs.external_dir / FILE)))})


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
