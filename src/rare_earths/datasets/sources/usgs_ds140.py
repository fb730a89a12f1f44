"""USGS Data Series 140, historical statistics for rare earths (workbook `ds140-rare-earths-2020.xlsx`).

Sheet "Rare earths": a title block (rows 1-4; row 3 says "All quantities in metric tons (t)
rare-earth oxide equivalent unless otherwise noted"), a header row (Year, Production, Imports,
Exports, Apparent consumption, Unit value ($/t), Unit value (98$/t), World production), one row
per year 1900-2020, and footer rows (the code legend "NA Not available. W Withheld to avoid
disclosing company proprietary data.", the compilers, and "See embedded notes document").

Quirks handled:
- `NA` is flagged `not_available` and `W` `withheld`, with no number; any other text is a
  `DatasetError` naming the cell.
- Six apparent-consumption cells (2001-2006, E107:E112) are formulas `=(C-D)`: the value cached in
  the workbook is used and the formula is kept in `note`; a formula without a cached value is a
  `DatasetError` (the workbook was saved by a program that does not compute formulas).
- The definitions of the columns are not in the sheet but in a Word document embedded in the
  workbook (`xl/embeddings/*.docx`); `extract` reads it and `clean` puts each statistic's
  definition in `definition`.

What the series measure, as the embedded notes say:
- "Production" is US production: "the amount of contained rare-earth oxides (REO) equivalent
  content in bastnäsite and monazite mineral concentrates produced in the United States" (not
  available 1911-14, 1918-24, 1926-47 and 1949; withheld 1956 and 1962). It is printed as 0 for
  2001-2011 and 2016-2017.
- "World production": "World production data were for REO equivalent content of ores produced."
  That is all the notes say about it: they do not mention China's production quota, so nothing in
  this file confirms or rules out that the low 2010-2013 world totals (101,000-107,000 t) follow
  the quota; they are kept as printed, with this basis.
- "Unit value" is the value of 1 t of REO apparent consumption in the US (weighted average of
  imports and exports), not a market price; for 2011 apparent consumption is NA because the
  calculation was negative.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.utils import get_column_letter

from rare_earths.datasets.sources import (
    USGS_CODES,
    DatasetError,
    Source,
    SourceInput,
    SourceOutput,
    conform,
    usgs_code,
)

FILE = "usgs_ds140/usgs_ds140_rare_earths_2020.xlsx"
SOURCE = "usgs_ds140"
EDITION = "DS140 2020"
SHEET = "Rare earths"
NOTES = "[embedded notes document]"
UNITS_BANNER = "metric tons (t) rare-earth oxide equivalent"
# Printed header -> (statistic, unit); a header not listed here is a DatasetError.
STATISTICS = {
    "Production": ("production", "t REO"),
    "Imports": ("imports", "t REO"),
    "Exports": ("exports", "t REO"),
    "Apparent consumption": ("apparent_consumption", "t REO"),
    "Unit value ($/t)": ("unit_value", "USD/t REO"),
    "Unit value (98$/t)": ("unit_value_1998_usd", "USD(1998)/t REO"),
    "World production": ("world_production", "t REO"),
}
_YEAR = re.compile(r"^\d{4}$")
PRODUCTION_SERIES = {
    "world_production": (
        "WLD",
        "World",
        "world mine production: REO equivalent content of ores produced (DS140 notes)",
    ),
    "production": (
        "US",
        "United States",
        "US mine production: REO equivalent content of bastnäsite and monazite concentrates produced in "
        "the US (DS140 'Production')",
    ),
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CELL_COLUMNS = ["sheet", "row", "column", "cell", "text", "plain", "superscript", "indent", "formula"]

__all__ = ["CONTRACT", "DatasetError", "clean", "extract", "production", "read", "workbook_cells"]


def workbook_cells(path: Path) -> pd.DataFrame:
    """Every non-empty cell of every sheet, as text: one row per cell.

    Columns: sheet, row, column (letter), cell ("B6"), text (the cell as stored; rich text joined),
    plain (the text outside superscript runs), superscript (the superscript runs, e.g. footnote
    markers "e", "3"), indent (alignment indent), formula (the formula of a formula cell, whose
    `text` is the value cached in the workbook; "" when none was cached).
    """
    with (
        warnings.catch_warnings()
    ):  # a print area naming a whole-column range (MYB 2022, sheet T7) is not data
        warnings.filterwarnings("ignore", message="Print area cannot be set", category=UserWarning)
        values = openpyxl.load_workbook(path, data_only=True, rich_text=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    rows = []
    for sheet in values.worksheets:
        formula_sheet = formulas[sheet.title]
        for row in sheet.iter_rows():
            for cell in row:
                formula = formula_sheet[cell.coordinate].value
                formula = formula if isinstance(formula, str) and formula.startswith("=") else None
                if cell.value is None and formula is None:
                    continue
                plain, superscript = _split_superscript(cell)
                rows.append(
                    {
                        "sheet": sheet.title,
                        "row": cell.row,
                        "column": get_column_letter(cell.column),
                        "cell": cell.coordinate,
                        "text": _text(cell.value),
                        "plain": plain,
                        "superscript": superscript,
                        "indent": float(cell.alignment.indent or 0),
                        "formula": formula,
                    }
                )
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def _text(value) -> str:
    return "" if value is None else str(value)


def _split_superscript(cell) -> tuple[str, str]:
    """(text outside superscript, superscript text) of a cell; a whole-cell superscript font counts as
    superscript."""
    value = cell.value
    if isinstance(value, CellRichText):
        plain, sup = [], []
        for part in value:
            if isinstance(part, TextBlock) and part.font is not None and part.font.vertAlign == "superscript":
                sup.append(part.text)
            else:
                plain.append(str(part))
        return "".join(plain), "".join(sup)
    text = _text(value)
    if cell.font is not None and cell.font.vertAlign == "superscript":
        return "", text
    return text, ""


def embedded_notes(path: Path) -> pd.DataFrame:
    """Paragraphs of the Word document(s) embedded in the workbook, in the cells layout (sheet = NOTES).

    `column` holds the paragraph style (e.g. "Heading1", "BodyText"), `row` the paragraph number, `cell` the
    part's name.
    """
    rows = []
    with zipfile.ZipFile(path) as book:
        for name in sorted(
            n for n in book.namelist() if n.startswith("xl/embeddings/") and n.endswith(".docx")
        ):
            with zipfile.ZipFile(io.BytesIO(book.read(name))) as document:
                root = ElementTree.fromstring(document.read("word/document.xml"))
            for paragraph in root.iter(f"{_W}p"):
                text = "".join(node.text or "" for node in paragraph.iter(f"{_W}t")).strip()
                if not text:
                    continue
                style = paragraph.find(f"{_W}pPr/{_W}pStyle")
                style_name = style.get(f"{_W}val", "") if style is not None else ""
                rows.append(
                    {"sheet": NOTES, "row": len(rows) + 1, "column": style_name, "cell": name, "text": text}
                )
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def extract(path: Path) -> pd.DataFrame:
    """The workbook as it is: every non-empty cell as text (see `workbook_cells`), then the embedded notes'
    paragraphs."""
    return pd.concat([workbook_cells(path), embedded_notes(path)], ignore_index=True)


def clean(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per year and statistic: year, statistic, statistic_label, unit, value_as_printed, value,
    value_flag, note, definition, cell."""
    sheet = cells[cells["sheet"] == SHEET]
    if sheet.empty:
        raise DatasetError(f"{FILE}: no sheet {SHEET!r}")
    if not sheet["text"].str.contains(UNITS_BANNER, regex=False).any():
        raise DatasetError(f"{FILE}: sheet {SHEET!r} does not say its quantities are in {UNITS_BANNER!r}")
    header = sheet[(sheet["column"] == "A") & (sheet["text"].str.strip() == "Year")]
    if header.empty:
        raise DatasetError(f"{FILE}: sheet {SHEET!r}: no header row with 'Year' in column A")
    header_row = int(header["row"].iloc[0])
    columns = {}
    for _, cell in sheet[(sheet["row"] == header_row) & (sheet["column"] != "A")].iterrows():
        label = cell["text"].strip()
        if label not in STATISTICS:
            raise DatasetError(
                f"{FILE}: sheet {SHEET!r}, cell {cell['cell']}: unknown column header {label!r}"
            )
        columns[cell["column"]] = label
    definitions = _definitions(cells)
    body = sheet[sheet["row"] > header_row]
    year_cells = body[(body["column"] == "A") & body["text"].str.strip().str.match(_YEAR)]
    data_rows = set(year_cells["row"])
    last = max(data_rows) if data_rows else header_row
    gaps = sorted(set(body.loc[body["row"] <= last, "row"]) - data_rows)
    if gaps:
        raise DatasetError(
            f"{FILE}: sheet {SHEET!r}, row {gaps[0]}: a row inside the yearly table without a year in "
            "column A"
        )
    grid = body[body["row"].isin(data_rows)].set_index("cell")
    stray = grid[~grid["column"].isin(["A", *columns])]
    if not stray.empty:
        raise DatasetError(
            f"{FILE}: sheet {SHEET!r}, cell {stray.index[0]}: value {stray['text'].iloc[0]!r} outside the "
            "table's columns"
        )
    rows = []
    for _, year_cell in year_cells.iterrows():
        for column, label in columns.items():
            address = f"{column}{year_cell['row']}"
            if address not in grid.index:
                raise DatasetError(f"{FILE}: sheet {SHEET!r}, cell {address}: empty cell in the yearly table")
            cell = grid.loc[address]
            value, flag = _parse(cell, address)
            statistic, unit = STATISTICS[label]
            rows.append(
                {
                    "year": int(year_cell["text"]),
                    "statistic": statistic,
                    "statistic_label": label,
                    "unit": unit,
                    "value_as_printed": cell["text"],
                    "value": value,
                    "value_flag": flag,
                    "note": f"calculated in the workbook: {_formula(cell)}" if _formula(cell) else None,
                    "definition": definitions[label.casefold()],
                    "cell": address,
                }
            )
    return pd.DataFrame(rows)


def _parse(cell: pd.Series, address: str) -> tuple[float | None, str | None]:
    text = cell["text"].strip()
    if _formula(cell) and not text:
        raise DatasetError(
            f"{FILE}: sheet {SHEET!r}, cell {address}: formula {_formula(cell)} has no cached value"
        )
    if (coded := usgs_code(text)) is not None:
        return coded
    try:
        return float(text), None
    except ValueError:
        raise DatasetError(
            f"{FILE}: sheet {SHEET!r}, cell {address}: {text!r} is neither a number nor a code "
            f"({', '.join(USGS_CODES)})"
        ) from None


def _formula(cell: pd.Series) -> str | None:
    return cell["formula"] if isinstance(cell["formula"], str) and cell["formula"] else None


def _definitions(cells: pd.DataFrame) -> dict[str, str]:
    """Each statistic's definition from the embedded notes (the body paragraphs under its heading), by
    casefolded header."""
    notes = cells[cells["sheet"] == NOTES].sort_values("row")
    sections: dict[str, list[str]] = {}
    heading = None
    for _, paragraph in notes.iterrows():
        if paragraph["column"].startswith("Heading"):
            heading = paragraph["text"].casefold()
            sections[heading] = []
        elif heading is not None:
            sections[heading].append(paragraph["text"])
    missing = [label for label in STATISTICS if label.casefold() not in sections]
    if missing:
        raise DatasetError(f"{FILE}: the embedded notes document has no section for {', '.join(missing)}")
    return {key: " ".join(texts) for key, texts in sections.items()}


def production(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """World production (WLD) and US production, t REO, in the production table's layout."""
    parts = []
    for statistic, (iso, label, basis) in PRODUCTION_SERIES.items():
        rows = clean_frame[clean_frame["statistic"] == statistic]
        part = pd.DataFrame(
            {"year": rows["year"], "production_t_reo": rows["value"], "value_flag": rows["value_flag"]}
        )
        parts.append(
            part.assign(country_iso=iso, country_label=label, source=SOURCE, edition=EDITION, basis=basis)
        )
    return conform(pd.concat(parts, ignore_index=True), "production", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts."""
    return SourceOutput(tables={"production": production(clean(extract(inputs.external_dir / FILE)))})


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
