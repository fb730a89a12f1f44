"""Chinese domestic daily rare-earth oxide prices, 2013-01-04 to 2024-07-05 (publisher not stated).

The file (a research repository's `稀土价格.csv`, renamed) is UTF-8 with Chinese headers: 日期 (date),
the lowest, highest and average price (最低价, 最高价, 平均价) of four oxides, 氧化钕 (Nd oxide),
氧化铈 (Ce oxide), 氧化镧 (La oxide) and 氧化镨 (Pr oxide), then 年, 月, 日 (year, month, day).
`HEADERS` maps each header to an English snake_case name (`nd_oxide_min`, ...; `date`, `year`,
`month`, `day`). One row per trading day; the file states neither its publisher nor its units.

Quirks handled
- Date written twice: `clean` checks that 日期 agrees with 年/月/日 and raises `DatasetError`
  naming the CSV line when they do not (likewise for an unreadable date, a repeated date, or a
  price cell that is not a number).
- Quotes that contradict themselves, kept and flagged in `clean` (column `check`, set on the
  min, max and avg rows of that element and date): `avg_below_min`, `avg_above_max`,
  `min_above_max`, and `incomplete` (a min, max or avg cell left empty). In the real file the
  published average equals the min-max midpoint on every other row, but the Nd average lies
  below the Nd minimum on 526 of 2,876 days (2013-01-04 to 2015-01-28 and 2019-05-28 to
  2019-06-10; mostly midpoint minus 0.4), Pr on 2 days (2019-06-06 and 2019-06-10), and the Ce
  average lies above the Ce maximum on 6 days (2013-02-08, 2013-09-30, 2014-01-30, 2014-02-07,
  2015-02-16, 2015-02-17), where min/max read 9.25/10.25 beside neighbouring days of 12-51.
- The price rule (`prices`), one rule for every element: the value is the midpoint of the quoted
  min and max (`price_basis` says so; on consistent rows this is exactly the published average).
  An element-date is left out of `prices` when the published average differs from that
  midpoint by more than `MAX_AVG_GAP` (10 %) of it, because then the quote's fields contradict
  each other and neither can be trusted; in the real file this removes the 6 Ce days (gaps of
  26-418 %) and keeps the Nd and Pr days (gaps of 0.9-3.7 %), whose `price_basis` notes that
  the published average disagrees. Element-dates without both a min and a max are left out too.

Units (not stated; inferred from the data, `FILE_UNITS`)
Dividing the file's 2021-2024 annual means (of the daily midpoints) by the USGS MCS 2026 annual
average FOB prices of the same oxides (USD/kg, `usgs_mcs2026.prices`) gives the CNY per USD the
two series imply under each reading of the file's unit. Read as 10,000 CNY/t, Nd and Pr imply
6.42-7.12 CNY/USD (2022: Nd 89.38 against USD 134/kg -> 6.67; Pr 85.63 against USD 128/kg ->
6.69), the same factor for both elements each year; read as CNY/kg they would imply 0.64-0.71.
Ce and La read as 10,000 CNY/t would imply 41-62 CNY/USD; read as CNY/kg (= 1,000 CNY/t) they
imply 4.1-6.2 (2022: Ce 8.40 against USD 1.45/kg -> 5.79; La 7.91 against USD 1.39/kg -> 5.69),
the only reading of the same order as Nd/Pr. (The lower Ce/La factor is a domestic-versus-FOB
gap for the cheap oxides, not a scale.) So Nd and Pr are in 10,000 CNY/t and Ce and La in CNY/kg;
`prices` writes every value in CNY/t. The real-file tests recompute these factors.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform

FILE = "prices/china_reo_prices_daily_2013-2024_yiyawu.csv"
SOURCE = "prices_yiyawu"
ENCODING = "utf-8-sig"  # the file has no BOM; a BOM, if a copy gains one, is dropped
MARKET = "China domestic spot (publisher not stated)"
MAX_AVG_GAP = 0.10

# The file's oxides, in file order: Chinese name -> chemical symbol.
OXIDES = {"氧化钕": "Nd", "氧化铈": "Ce", "氧化镧": "La", "氧化镨": "Pr"}
STATISTICS = {"最低价": "min", "最高价": "max", "平均价": "avg"}
HEADERS: dict[str, str] = {
    "日期": "date",
    **{
        f"{chinese}{label}": f"{symbol.lower()}_oxide_{stat}"
        for chinese, symbol in OXIDES.items()
        for label, stat in STATISTICS.items()
    },
    "年": "year",
    "月": "month",
    "日": "day",
}
# Unit of each element's numbers as printed (inferred, see the module docstring) and the factor to CNY/t.
FILE_UNITS: dict[str, tuple[str, float]] = {
    "Nd": ("10,000 CNY/t", 10_000.0),
    "Pr": ("10,000 CNY/t", 10_000.0),
    "Ce": ("CNY/kg", 1_000.0),
    "La": ("CNY/kg", 1_000.0),
}
PRICE_COLUMNS_IN_FILE = [name for name in HEADERS.values() if "_oxide_" in name]

__all__ = ["CONTRACT", "DatasetError", "clean", "extract", "prices", "read"]


def extract(path: Path) -> pd.DataFrame:
    """The CSV as it is (every cell text), its Chinese headers renamed through `HEADERS`.

    `attrs["file"]` keeps the file name for error messages; the index + 2 is the CSV line.
    """
    frame = pd.read_csv(path, encoding=ENCODING, dtype=str, keep_default_na=False)
    unknown = [header for header in frame.columns if header.strip() not in HEADERS]
    missing = [header for header in HEADERS if header not in {column.strip() for column in frame.columns}]
    if unknown or missing:
        raise DatasetError(
            f"{path.name}: header row (line 1): unknown column(s) {unknown}, missing column(s) {missing}"
        )
    frame.columns = [HEADERS[header.strip()] for header in frame.columns]
    frame.attrs["file"] = path.name
    return frame


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per date, element and statistic (min/max/avg), the value as published, glitches flagged.

    Columns: date, element, form, statistic, value, unit_as_published, check, line.
    """
    name = frame.attrs.get("file", FILE)
    lines = pd.Series(frame.index + 2, index=frame.index)
    dates = _dates(frame, name, lines)
    numbers = pd.DataFrame(
        {column: _numbers(frame[column], column, name, lines) for column in PRICE_COLUMNS_IN_FILE}
    )
    parts = []
    for symbol in OXIDES.values():
        low, high, avg = (numbers[f"{symbol.lower()}_oxide_{stat}"] for stat in ("min", "max", "avg"))
        check = pd.Series(None, index=frame.index, dtype=object)
        check[avg > high] = "avg_above_max"
        check[avg < low] = "avg_below_min"
        check[low > high] = "min_above_max"
        check[low.isna() | high.isna() | avg.isna()] = "incomplete"
        for statistic, values in (("min", low), ("max", high), ("avg", avg)):
            columns = {
                "date": dates,
                "element": symbol,
                "form": "oxide",
                "statistic": statistic,
                "value": values,
                "unit_as_published": FILE_UNITS[symbol][0],
                "check": check,
                "line": lines,
            }
            parts.append(pd.DataFrame(columns))
    long = pd.concat(parts, ignore_index=True)
    order = {"element": list(OXIDES.values()), "statistic": ["min", "max", "avg"]}
    long["_e"] = long["element"].map(order["element"].index)
    long["_s"] = long["statistic"].map(order["statistic"].index)
    return (
        long.sort_values(["date", "_e", "_s"], kind="stable")
        .drop(columns=["_e", "_s"])
        .reset_index(drop=True)
    )


def _dates(frame: pd.DataFrame, name: str, lines: pd.Series) -> pd.Series:
    """日期 parsed and checked against 年/月/日; a disagreement, bad date or repeated date names its line."""
    dates = pd.to_datetime(frame["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    bad = dates.isna()
    if bad.any():
        first = bad.idxmax()
        raise DatasetError(
            f"{name}: line {lines[first]}, column 日期 (date): {frame.at[first, 'date']!r} is not a "
            "YYYY-MM-DD date"
        )
    for part, chinese in (("year", "年"), ("month", "月"), ("day", "日")):
        printed = pd.to_numeric(frame[part].str.strip(), errors="coerce")
        differs = printed.isna() | (printed != getattr(dates.dt, part))
        if differs.any():
            first = differs.idxmax()
            raise DatasetError(
                f"{name}: line {lines[first]}: 日期 (date) {frame.at[first, 'date']!r} disagrees with "
                "年/月/日 "
                f"{frame.at[first, 'year']!r}/{frame.at[first, 'month']!r}/{frame.at[first, 'day']!r} "
                f"(column {chinese}, {part})"
            )
    repeated = dates.duplicated(keep=False)
    if repeated.any():
        first = dates[repeated].iloc[0]
        at = ", ".join(str(line) for line in lines[dates == first])
        raise DatasetError(f"{name}: date {first.date()} appears on more than one line ({at})")
    return dates


def _numbers(column: pd.Series, label: str, name: str, lines: pd.Series) -> pd.Series:
    """A price column as floats; an empty cell is NaN (flagged `incomplete`), any other non-number names its
    cell."""
    text = column.str.strip()
    values = pd.to_numeric(text.where(text != ""), errors="coerce")
    wrong = values.isna() & (text != "")
    if wrong.any():
        first = wrong.idxmax()
        chinese = next(header for header, english in HEADERS.items() if english == label)
        raise DatasetError(
            f"{name}: line {lines[first]}, column {chinese} ({label}): {column[first]!r} is not a number"
        )
    return values.astype("float64")


def prices(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """One price per element and date in CNY/t: the midpoint of the quoted min and max (rule in the module
    docstring)."""
    wide = (
        clean_frame.set_index(["date", "element", "statistic"])["value"]
        .unstack("statistic")
        .reindex(columns=["min", "max", "avg"])
    )
    wide["check"] = clean_frame.drop_duplicates(["date", "element"]).set_index(["date", "element"])["check"]
    wide = wide.reset_index()
    midpoint = (wide["min"] + wide["max"]) / 2
    gap = (wide["avg"] - midpoint).abs() / midpoint
    keep = midpoint.notna() & ~(gap > MAX_AVG_GAP)
    kept = wide[keep]
    factor = kept["element"].map(lambda symbol: FILE_UNITS[symbol][1])
    disagrees = kept["check"].isin(["avg_below_min", "avg_above_max"])
    basis = "daily midpoint of quoted min and max"
    frame = pd.DataFrame(
        {
            "element": kept["element"],
            "form": "oxide",
            "grade": None,
            "market": MARKET,
            "date": kept["date"],
            "value": (midpoint[keep] * factor).round(2),
            "unit": "CNY/t",
            "currency": "CNY",
            "price_basis": disagrees.map({True: f"{basis} (the published average disagrees)", False: basis}),
            "source": SOURCE,
        }
    )
    return conform(frame.sort_values(["element", "date"], kind="stable"), "prices", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts, and the quote days per element that the rule kept or left
    out."""
    cleaned = clean(extract(inputs.external_dir / FILE))
    used = prices(cleaned)
    return SourceOutput(tables={"prices": used}, checks={"quote_checks": quote_checks(cleaned, used)})


def quote_checks(clean_frame: pd.DataFrame, prices_frame: pd.DataFrame) -> pd.DataFrame:
    """Per element: quote days, days whose average lies outside the quoted range, and days used and left
    out."""
    quotes = clean_frame.drop_duplicates(["date", "element"])
    counts = quotes.groupby("element").agg(
        quote_days=("date", "size"), average_outside_range=("check", lambda s: int(s.notna().sum()))
    )
    used_days = prices_frame.groupby("element").size()
    return counts.assign(
        days_used=used_days, days_left_out=lambda f: f["quote_days"] - f["days_used"]
    ).reset_index()


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
