"""USGS Mineral Commodity Summaries 2024 data release: rare earths, world mine production and reserves.

One row per country: `Source` (always "MCS2024"), `Country`, `Type` (what is measured, the same
text on every row), `Prod_t_est_2022`, `Prod_t_est_2023` (mine production, t REO equivalent),
`Prod_notes`, `Reserves_t` (t REO equivalent) and `Reserves_notes`.

Quirks handled:
- The copy was re-saved through a spreadsheet: it starts with a UTF-8 byte-order mark (read with
  `utf-8-sig`), carries 36 unnamed trailing columns and 21 blank rows. `clean` drops a column only
  when its header is empty *and* every cell in it is empty, and a row only when every cell is
  empty; a value in an unnamed column, or a row with values but no country, is a `DatasetError`
  naming the line and column, never dropped.
- Both production headers carry `_est_` (estimate), so every production value is flagged
  `estimated`, as the file says; whether USGS meant the 2022 column as an estimate too cannot be
  checked from this file (a header without `_est_` would give no flag).
- `NA` (reserves not available) is flagged `not_available`, `W` `withheld`, `—` `zero`; a number
  is read with its thousands separators; any other text is a `DatasetError`.
- The notes (`Prod_notes`, e.g. China "Production quota; does not include undocumented
  production.", and `Reserves_notes`) are kept beside the values they qualify.
- These are MCS 2024 *vintage* estimates, revised in later editions: the edition is kept on
  every row ("MCS 2024").
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rare_earths.common.geography import country_code
from rare_earths.common.naming import snake_case
from rare_earths.datasets.sources import (
    USGS_CODES,
    DatasetError,
    Source,
    SourceInput,
    SourceOutput,
    conform,
    usgs_code,
)

FILE = "usgs_mcs/mcs2024-raree_world-1.csv"
SOURCE = "usgs_mcs2024"
EDITION = "MCS 2024"
ENCODING = "utf-8-sig"
TYPE = "Rare earths, mine production, rare-earth-oxide equivalent, metric tons"
BASIS = "mine production, rare-earth oxide equivalent"
NAMED = (
    "source",
    "country",
    "type",
    "prod_t_est_2022",
    "prod_t_est_2023",
    "prod_notes",
    "reserves_t",
    "reserves_notes",
)
_PRODUCTION = re.compile(r"^prod_t_(?P<est>est_)?(?P<year>\d{4})$")
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$")

__all__ = ["CONTRACT", "DatasetError", "clean", "extract", "parse_value", "production", "read"]


def extract(path: Path) -> pd.DataFrame:
    """The CSV as it is (every cell text, BOM removed), with snake_case column names.

    Unnamed padding columns come out as `unnamed_8`, `unnamed_9`, ...; row i of the frame is line i + 2.
    """
    frame = pd.read_csv(path, encoding=ENCODING, dtype=str, keep_default_na=False)
    frame.columns = [snake_case(column) for column in frame.columns]
    return frame


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per observation: mine production per country and year, and reserves per country.

    Columns: country (as printed), country_iso, statistic ("mine_production" / "reserves"), year
    (Int64; none for reserves, which the file gives without a year), unit, value_as_printed, value,
    value_flag, notes, line (of the CSV, header = 1), edition.
    """
    frame = _drop_padding(frame)
    missing = [column for column in NAMED if column not in frame.columns]
    if missing:
        raise DatasetError(f"{FILE}: missing column(s) {', '.join(missing)}")
    production_columns = [column for column in frame.columns if _PRODUCTION.match(column)]
    rows = []
    for index, record in frame.iterrows():
        line = index + 2
        if record["type"].strip() != TYPE:
            raise DatasetError(f"{FILE}: line {line}: Type {record['type']!r} is not {TYPE!r}")
        iso = _country(record["country"], line)
        for column in production_columns:
            match = _PRODUCTION.match(column)
            value, flag = parse_value(record[column], f"line {line}, column {column}")
            flags = {flag} if flag else set()
            if match.group("est"):
                flags.add("estimated")
            rows.append(
                _row(
                    record,
                    iso,
                    "mine_production",
                    int(match.group("year")),
                    column,
                    value,
                    flags,
                    record["prod_notes"],
                    line,
                )
            )
        value, flag = parse_value(record["reserves_t"], f"line {line}, column reserves_t")
        rows.append(
            _row(
                record,
                iso,
                "reserves",
                None,
                "reserves_t",
                value,
                {flag} if flag else set(),
                record["reserves_notes"],
                line,
            )
        )
    result = pd.DataFrame(rows)
    result["year"] = result["year"].astype("Int64")
    return result


def _row(
    record: pd.Series,
    iso: str | None,
    statistic: str,
    year: int | None,
    column: str,
    value,
    flags: set[str],
    notes: str,
    line: int,
) -> dict:
    return {
        "country": record["country"].strip(),
        "country_iso": iso,
        "statistic": statistic,
        "year": year,
        "unit": "t REO",
        "value_as_printed": record[column],
        "value": value,
        "value_flag": ";".join(sorted(flags)) or None,
        "notes": notes.strip() or None,
        "line": line,
        "edition": EDITION,
    }


def _drop_padding(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop unnamed all-empty columns and all-empty rows; refuse anything else in the padding."""
    blank = frame.apply(lambda column: column.str.strip() == "")
    unnamed = [column for column in frame.columns if column.startswith("unnamed_")]
    for column in unnamed:
        filled = frame.index[~blank[column]]
        if len(filled):
            line = filled[0] + 2
            raise DatasetError(
                f"{FILE}: line {line}: value {frame.at[filled[0], column]!r} in unnamed padding column "
                f"{column}"
            )
    frame = frame.drop(columns=unnamed)
    empty_rows = blank.drop(columns=unnamed).all(axis=1)
    kept = frame[~empty_rows]
    no_country = kept[kept["country"].str.strip() == ""] if "country" in kept.columns else kept.iloc[0:0]
    if not no_country.empty:
        raise DatasetError(f"{FILE}: line {no_country.index[0] + 2}: a row with values but no Country")
    return kept


def _country(label: str, line: int) -> str | None:
    try:
        return country_code(label)
    except KeyError:
        raise DatasetError(f"{FILE}: line {line}: country {label!r} has no ISO code") from None


def parse_value(text: str, where: str, file: str = FILE) -> tuple[float | None, str | None]:
    """'42000' -> (42000.0, None); '1,500' -> (1500.0, None); 'NA' -> (None, 'not_available'); '—' -> (0.0,
    'zero'). An error names `file` (the other MCS editions' readers pass theirs) and `where`."""
    text = text.strip()
    if (coded := usgs_code(text)) is not None:
        return coded
    for prefix, flag in ((">", "more_than"), ("<", "less_than")):
        if text.startswith(prefix) and _NUMBER.match(text[1:].strip()):
            return float(text[1:].replace(",", "")), flag
    if _NUMBER.match(text):
        return float(text.replace(",", "")), None
    raise DatasetError(
        f"{file}: {where}: {text!r} is neither a number nor a USGS code ({', '.join(USGS_CODES)})"
    )


def production(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """Mine production by country and year (t REO) in the production table's layout; the notes join the
    basis."""
    rows = clean_frame[clean_frame["statistic"] == "mine_production"]
    basis = [BASIS if notes is None else f"{BASIS}; {notes}" for notes in rows["notes"]]
    frame = pd.DataFrame(
        {
            "country_iso": rows["country_iso"],
            "country_label": rows["country"],
            "year": rows["year"].astype(int),
            "production_t_reo": rows["value"],
            "value_flag": rows["value_flag"],
            "source": SOURCE,
            "edition": EDITION,
            "basis": basis,
        }
    )
    return conform(frame, "production", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts."""
    return SourceOutput(tables={"production": production(clean(extract(inputs.external_dir / FILE)))})


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
