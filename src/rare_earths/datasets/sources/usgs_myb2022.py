"""USGS Minerals Yearbook 2022, rare earths, advance data release tables (workbook posted March 19, 2025).

Sheets Note, T1..T8. This module reads T8 (world mine production by country or locality,
2018-2022, t REO equivalent) for the production table, and T6 / T7 (US imports for consumption of
rare-earth compounds / of metals and alloys, by HTS code and country, 2021-2022) for the trade table.

Quirks handled:
- Footnote markers are superscripts, in two places. On a value they sit in their own cell, to the
  right of it (T8: D, F, H, J, L beside C, E, G, I, K; T6/T7: F, H, J, L beside E, G, I, K). On a
  row they are a superscript run inside the label cell ("Australia" + "e", "India" + "e, 4",
  "China" + "3"); flattened, these read "Australiae", "Indiae, 4" (as in the third party's tidy
  CSV). `extract` keeps the superscript runs apart, so labels are never guessed at.
- Letter markers become flags: "e" -> estimated, "r" -> revised; a row marker applies to every year
  of the row. Numeric markers are footnote numbers: they are kept in `footnotes` and their text,
  read from the table's footnote rows ("3Official production quota. ..."), in `notes`. A marker
  with no known meaning is a `DatasetError` naming the cell.
- Codes: "--" is zero (value 0, flag `zero`), "XX" not applicable (no value, flag
  `not_applicable`, only in the REO-content rows of T6/T7), "NA" not available, "W" withheld.
- T8's "Total" row is the world total (country_iso WLD).
- T6/T7 quantities are gross weight in kilograms (column header "Gross weight (kilograms)"); the
  "Value" columns are in US dollars: the header has no "thousands", and the T6 China rows sum to
  72,400,000 (2021) and 118,703,000 (2022) against USITC DataWeb customs values of 72,349,370 and
  118,758,037 for HTS 2846 from China (usitc_dataweb/, checked in the real-file test). Rows are
  nested by indentation: headings ("Compounds:", "Cerium compounds:"), products with an HTS code
  in column C (T7's ferrocerium lists three codes over three rows; T6's "Yttrium materials ..."
  continues its description on the next row; T6's "Scandium or yttrium chloride mixtures, Russia"
  puts product and country on one row), country rows, "Total" per product, "Total estimated REO
  equivalent content" (quantity only), "Total, ..." subtotals and "Grand total".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rare_earths.common.geography import country_code
from rare_earths.datasets.sources import (
    USGS_CODES,
    DatasetError,
    Source,
    SourceInput,
    SourceOutput,
    conform,
    usgs_code,
)
from rare_earths.datasets.sources.usgs_ds140 import workbook_cells

FILE = "usgs_myb/usgs_myb2022_rare_earths_tables.xlsx"
SOURCE = "usgs_myb2022"
EDITION = "MYB 2022"
PRODUCTION_SHEET = "T8"
IMPORT_SHEETS = ("T6", "T7")
BASIS = "mine production, rare-earth oxide equivalent"
_LETTERS = {"e": "estimated", "r": "revised"}
_FOOTNOTE = re.compile(r"^(?P<number>\d+)\s*(?P<text>\D.*)$", re.S)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

__all__ = ["CONTRACT", "DatasetError", "clean", "extract", "imports", "production", "read", "trade"]


def extract(path: Path) -> pd.DataFrame:
    """The workbook as it is: every non-empty cell of every sheet as text, superscript runs apart (see
    `usgs_ds140.workbook_cells`)."""
    return workbook_cells(path)


def _cols(letter: str, offset: int) -> str:
    return chr(ord(letter) + offset)


def _sheet(cells: pd.DataFrame, name: str) -> pd.DataFrame:
    sheet = cells[cells["sheet"] == name]
    if sheet.empty:
        raise DatasetError(f"{FILE}: no sheet {name!r}")
    return sheet


def _footnotes(sheet: pd.DataFrame, after_row: int) -> dict[str, str]:
    """Footnote number -> text, from the column-A rows below the table ("3Official production quota. ...")."""
    notes = {}
    for text in sheet[(sheet["row"] > after_row) & (sheet["column"] == "A")]["text"]:
        match = _FOOTNOTE.match(str(text).strip())
        if match:
            notes[match.group("number")] = " ".join(match.group("text").split())
    return notes


def _marks(text: str, where: str, footnotes: dict[str, str]) -> tuple[set[str], list[str]]:
    """Superscript marker text ("e, 4") -> (flags, footnote numbers)."""
    flags, numbers = set(), []
    for mark in (part.strip() for part in str(text).split(",")):
        if not mark:
            continue
        if mark in _LETTERS:
            flags.add(_LETTERS[mark])
        elif mark.isdigit() and mark in footnotes:
            numbers.append(mark)
        else:
            raise DatasetError(
                f"{FILE}: {where}: footnote marker {mark!r} has no meaning in the table's legend or footnotes"
            )
    return flags, numbers


def _value(text: str, where: str) -> tuple[float | None, str | None]:
    text = str(text).strip()
    if (coded := usgs_code(text)) is not None:
        return coded
    if _NUMBER.match(text):
        return float(text), None
    raise DatasetError(f"{FILE}: {where}: {text!r} is neither a number nor a code ({', '.join(USGS_CODES)})")


def _country(label: str, where: str) -> str | None:
    try:
        return country_code(label)
    except KeyError:
        raise DatasetError(f"{FILE}: {where}: country or locality {label!r} has no ISO code") from None


def _join(flags: set[str]) -> str | None:
    return ";".join(sorted(flags)) or None


def clean(cells: pd.DataFrame) -> pd.DataFrame:
    """T8, one row per country or locality and year.

    Columns: country_label (the label without its footnote markers), label_as_printed (flattened,
    e.g. "Indiae, 4"), country_iso, year, value_as_printed, value (t REO), value_flag, footnotes
    (";"-joined numbers), notes (their texts, " | "-joined), cell, marker_cell.
    """
    sheet = _sheet(cells, PRODUCTION_SHEET)
    where = f"sheet {PRODUCTION_SHEET}"
    if not sheet["text"].str.contains("Metric tons, rare-earth oxide equivalent", regex=False).any():
        raise DatasetError(
            f"{FILE}: {where}: the unit line '(Metric tons, rare-earth oxide equivalent)' is missing"
        )
    header = sheet[
        (sheet["column"] == "A") & sheet["plain"].str.strip().str.startswith("Country or locality")
    ]
    if header.empty:
        raise DatasetError(f"{FILE}: {where}: no header row with 'Country or locality' in column A")
    header_row = int(header["row"].iloc[0])
    years = {}
    for _, cell in sheet[(sheet["row"] == header_row) & (sheet["column"] != "A")].iterrows():
        if not re.fullmatch(r"\d{4}", cell["text"].strip()):
            raise DatasetError(f"{FILE}: {where}, cell {cell['cell']}: header {cell['text']!r} is not a year")
        years[cell["column"]] = int(cell["text"])
    body = sheet[sheet["row"] > header_row]
    value_rows = sorted(set(body.loc[body["column"].isin(years), "row"]))
    last = value_rows[-1] if value_rows else header_row
    footnotes = _footnotes(sheet, last)
    grid = body.set_index("cell")
    allowed = {"A", *years, *(_cols(column, 1) for column in years)}
    rows = []
    for row in range(header_row + 1, last + 1):
        here = body[body["row"] == row]
        if here.empty:
            continue
        stray = here[~here["column"].isin(allowed)]
        if not stray.empty:
            raise DatasetError(
                f"{FILE}: {where}, cell {stray['cell'].iloc[0]}: value {stray['text'].iloc[0]!r} outside "
                "the table's columns"
            )
        if f"A{row}" not in grid.index:
            raise DatasetError(
                f"{FILE}: {where}, row {row}: values without a country or locality in column A"
            )
        label_cell = grid.loc[f"A{row}"]
        label = label_cell["plain"].strip()
        iso = _country(label, f"{where}, cell A{row}")
        row_flags, row_notes = _marks(label_cell["superscript"], f"{where}, cell A{row}", footnotes)
        for column, year in years.items():
            address, marker = f"{column}{row}", f"{_cols(column, 1)}{row}"
            if address not in grid.index:
                raise DatasetError(f"{FILE}: {where}, cell {address}: empty cell for {label} {year}")
            value, code = _value(grid.loc[address, "text"], f"{where}, cell {address}")
            marker_text = grid.loc[marker, "text"] if marker in grid.index else ""
            flags, numbers = _marks(marker_text, f"{where}, cell {marker}", footnotes)
            flags |= row_flags | ({code} if code else set())
            numbers = sorted(set(row_notes) | set(numbers), key=int)
            rows.append(
                {
                    "country_label": label,
                    "label_as_printed": label_cell["text"],
                    "country_iso": iso,
                    "year": year,
                    "value_as_printed": grid.loc[address, "text"],
                    "value": value,
                    "value_flag": _join(flags),
                    "footnotes": ";".join(numbers) or None,
                    "notes": " | ".join(footnotes[n] for n in numbers) or None,
                    "cell": address,
                    "marker_cell": marker,
                }
            )
    return pd.DataFrame(rows)


def production(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """T8 mine production by country and year (t REO) in the production table's layout; footnote texts join
    the basis."""
    basis = [BASIS if notes is None else f"{BASIS}; {notes}" for notes in clean_frame["notes"]]
    frame = pd.DataFrame(
        {
            "country_iso": clean_frame["country_iso"],
            "country_label": clean_frame["country_label"],
            "year": clean_frame["year"],
            "production_t_reo": clean_frame["value"],
            "value_flag": clean_frame["value_flag"],
            "source": SOURCE,
            "edition": EDITION,
            "basis": basis,
        }
    )
    return conform(frame, "production", SOURCE)


def imports(cells: pd.DataFrame) -> pd.DataFrame:
    """T6 and T7, one row per table row and year, every row kept.

    Columns: table, row, row_kind ("partner", "total" of a product, "reo_content", "subtotal",
    "grand_total"), heading (the headings above the product, " > "-joined), product (description),
    product_code (HTS codes as printed, ", "-joined), partner_label, partner (ISO; WLD for a
    product's "Total", None for "Other" and for aggregate rows), year, quantity_kg_as_printed,
    quantity_kg (gross weight), quantity_flag, value_usd_as_printed, value_usd, value_flag,
    footnotes, notes, cell.
    """
    return pd.concat([_import_table(cells, name) for name in IMPORT_SHEETS], ignore_index=True)


def _import_table(cells: pd.DataFrame, name: str) -> pd.DataFrame:
    """T6 or T7, one row per table row and year (the columns of `imports`)."""
    sheet = _sheet(cells, name)
    where = f"sheet {name}"
    grid = sheet.set_index("cell")
    header_row = _import_header_row(sheet, grid, where)
    years = _import_years(sheet, grid, where, header_row)
    value_columns = {column for pair in years.values() for column in pair}
    marker_columns = {_cols(column, 1) for column in value_columns}
    body = sheet[sheet["row"] > header_row]
    last = int(body.loc[body["column"].isin(value_columns), "row"].max())
    footnotes = _footnotes(sheet, last)
    stray = body[(body["row"] <= last) & ~body["column"].isin({"A", "C"} | value_columns | marker_columns)]
    if not stray.empty:
        raise DatasetError(
            f"{FILE}: {where}, cell {stray['cell'].iloc[0]}: "
            f"value {stray['text'].iloc[0]!r} outside the table's columns"
        )

    rows = []
    nesting = _Nesting()
    for row in range(header_row + 1, last + 1):
        here = body[body["row"] == row]
        if here.empty:
            continue
        label_cell = grid.loc[f"A{row}"] if f"A{row}" in grid.index else None
        label = label_cell["plain"].strip() if label_cell is not None else ""
        indent = float(label_cell["indent"]) if label_cell is not None else 0.0
        code = _text(grid, f"C{row}").rstrip(",").strip()
        if not here["column"].isin(value_columns).any():
            nesting.read_label_row(label, code, indent)
            continue
        kind, partner_label, partner = nesting.read_values_row(label, code, indent, f"{where}, cell A{row}")
        in_product = kind in ("partner", "total") or (
            kind == "reo_content" and nesting.previous_total in (None, "Total")
        )
        product = nesting.product
        fields = {
            "table": name,
            "row": row,
            "row_kind": kind,
            "heading": None
            if nesting.previous_total == "Grand total"
            else " > ".join(h for _, h in nesting.headings) or None,
            "product": product["description"] if in_product else None,
            "product_code": ", ".join(product["codes"]) if in_product and product["codes"] else None,
            "partner_label": partner_label,
            "partner": partner,
        }
        row_marks = _marks(
            label_cell["superscript"] if label_cell is not None else "", f"{where}, cell A{row}", footnotes
        )
        rows.extend(_import_records(grid, where, fields, years, row_marks, footnotes, label))
    return pd.DataFrame(rows)


def _text(grid: pd.DataFrame, address: str) -> str:
    """A cell's text, stripped, or "" when the cell is empty (T6/T7 headers and markers often are)."""
    return str(grid.loc[address, "text"]).strip() if address in grid.index else ""


def _import_header_row(sheet: pd.DataFrame, grid: pd.DataFrame, where: str) -> int:
    """The header row of T6/T7, found by its column-A label and checked for the 'HTS code' column."""
    header = sheet[
        (sheet["column"] == "A") & sheet["plain"].str.strip().str.startswith("Category and country")
    ]
    if header.empty:
        raise DatasetError(
            f"{FILE}: {where}: no header row with 'Category and country or locality' in column A"
        )
    header_row = int(header["row"].iloc[0])
    if not _text(grid, f"C{header_row}").startswith("HTS code") and not _text(
        grid, f"C{header_row - 1}"
    ).startswith("HTS code"):
        raise DatasetError(f"{FILE}: {where}, cell C{header_row}: expected the 'HTS code' header")
    return header_row


def _import_years(
    sheet: pd.DataFrame, grid: pd.DataFrame, where: str, header_row: int
) -> dict[int, tuple[str, str]]:
    """Year -> (quantity column, value column), refusing a table whose units are not kilograms and dollars."""
    years = {}
    for _, cell in sheet[(sheet["row"] == header_row - 2) & (sheet["column"] != "A")].iterrows():
        quantity, value = cell["column"], _cols(cell["column"], 2)
        if not re.fullmatch(r"\d{4}", cell["text"].strip()):
            raise DatasetError(f"{FILE}: {where}, cell {cell['cell']}: header {cell['text']!r} is not a year")
        if (
            _text(grid, f"{quantity}{header_row - 1}") != "Gross weight"
            or _text(grid, f"{quantity}{header_row}") != "(kilograms)"
        ):
            raise DatasetError(
                f"{FILE}: {where}, cells {quantity}{header_row - 1}:{quantity}{header_row}: "
                "expected 'Gross weight' '(kilograms)'"
            )
        if _text(grid, f"{value}{header_row}") != "Value":
            raise DatasetError(
                f"{FILE}: {where}, cell {value}{header_row}: expected 'Value' (US dollars), "
                f"found {_text(grid, f'{value}{header_row}')!r}"
            )
        years[int(cell["text"])] = (quantity, value)
    return years


@dataclass
class _Nesting:
    """Where a T6/T7 row sits: the headings above it, its product, and the last total read."""

    headings: list[tuple[float, str]] = field(default_factory=list)
    product: dict = field(default_factory=lambda: {"description": None, "codes": [], "open": False})
    previous_total: str | None = None

    def start_product(self, description: str, code: str, indent: float) -> None:
        """A new product closes the headings at its indent or deeper and the totals of the product before."""
        self.headings = [(level, heading) for level, heading in self.headings if level < indent]
        self.product = {"description": description, "codes": [code], "open": False}
        self.previous_total = None

    def read_label_row(self, label: str, code: str, indent: float) -> None:
        """A row without values: a further HTS code, a product, the rest of a description, or a heading."""
        if not label and code:
            # further codes of the product above (T7 ferrocerium)
            self.product["codes"].append(code)
        elif code:
            # a product with its HTS code
            self.start_product(label.rstrip(":"), code, indent)
            self.product["open"] = not label.endswith(":")
        elif self.product["open"]:
            # the product's description goes on (T6 "Yttrium materials ...")
            self.product["description"] = f"{self.product['description']} {label}".rstrip(":")
            self.product["open"] = not label.endswith(":")
        else:
            # a heading
            self.headings = [(level, heading) for level, heading in self.headings if level < indent] + [
                (indent, label.rstrip(":"))
            ]
            self.product = {"description": None, "codes": [], "open": False}

    def read_values_row(
        self, label: str, code: str, indent: float, where: str
    ) -> tuple[str, str, str | None]:
        """A row with values: its kind, partner label and partner (a product may start on the same row)."""
        self.product["open"] = False
        partner_label, partner = label, None
        if label.startswith(("Total estimated", "Grand total estimated")):
            kind = "reo_content"
        elif label == "Total":
            kind, partner = "total", "WLD"
        elif label.startswith("Total,"):
            kind = "subtotal"
        elif label == "Grand total":
            kind = "grand_total"
        else:
            kind = "partner"
            if code:
                # product and country on one row: "Scandium or yttrium chloride mixtures, Russia"
                description, _, partner_label = label.rpartition(", ")
                self.start_product(description, code, indent)
            partner = _country(partner_label, where)
        if kind in ("total", "subtotal", "grand_total"):
            self.previous_total = "Total" if kind == "total" else label
        return kind, partner_label, partner


def _import_records(
    grid: pd.DataFrame,
    where: str,
    fields: dict,
    years: dict[int, tuple[str, str]],
    row_marks: tuple[set[str], list[str]],
    footnotes: dict[str, str],
    label: str,
) -> list[dict]:
    """One record per year for a row with values: its quantity and value cells with their markers."""
    row = fields["row"]
    row_flags, row_notes = row_marks
    records = []
    for year, (quantity_column, value_column) in years.items():
        record = {**fields, "year": year}
        numbers = set(row_notes)
        for column, prefix in ((quantity_column, "quantity_kg"), (value_column, "value_usd")):
            address = f"{column}{row}"
            if address not in grid.index:
                raise DatasetError(
                    f"{FILE}: {where}, cell {address}: empty cell in a row with values ({label!r}, {year})"
                )
            value, code_flag = _value(grid.loc[address, "text"], f"{where}, cell {address}")
            marker = f"{_cols(column, 1)}{row}"
            flags, marker_numbers = _marks(_text(grid, marker), f"{where}, cell {marker}", footnotes)
            numbers |= set(marker_numbers)
            record[f"{prefix}_as_printed"] = grid.loc[address, "text"]
            record[prefix] = value
            record[f"{prefix.split('_')[0]}_flag"] = _join(
                flags | row_flags | ({code_flag} if code_flag else set())
            )
        record["footnotes"] = ";".join(sorted(numbers, key=int)) or None
        record["notes"] = " | ".join(footnotes[n] for n in sorted(numbers, key=int)) or None
        record["cell"] = f"A{row}"
        records.append(record)
    return records


def trade(import_frame: pd.DataFrame) -> pd.DataFrame:
    """US imports for consumption by HTS code and country (and each code's "Total", partner WLD) in the trade
    table's layout.

    Left out by rule: the "Total estimated REO equivalent content" rows (a REO content, not the
    gross weight, with no value), and the "Total, ..." subtotals and grand totals, which add up
    several HTS codes. They stay in `imports`.
    """
    rows = import_frame[import_frame["row_kind"].isin(["partner", "total"])]
    product_code = rows["product_code"].where(rows["product_code"].notna(), rows["product"])
    frame = pd.DataFrame(
        {
            "reporter": "US",
            "partner": rows["partner"],
            "partner_label": rows["partner_label"],
            "flow": "import",
            "product_code": product_code,
            "classification": "HTS 10-digit (MYB 2022 table " + rows["table"] + ")",
            "period": rows["year"].astype(str),
            "year": rows["year"],
            "month": pd.array([None] * len(rows), dtype="Int64"),
            "value_usd": rows["value_usd"],
            "quantity_kg": rows["quantity_kg"],
            "quantity_flag": None,
            "source": SOURCE,
        }
    )
    return conform(frame, "trade", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts."""
    cells = extract(inputs.external_dir / FILE)
    return SourceOutput(tables={"production": production(clean(cells)), "trade": trade(imports(cells))})


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
