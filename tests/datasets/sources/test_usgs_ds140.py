"""USGS Data Series 140 rare-earths workbook: a small workbook built here with the real layout and quirks
(NA/W codes, a formula cell with its cached value, the embedded Word notes), and the real file where
present."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from rare_earths.common import paths
from rare_earths.datasets.sources import usgs_ds140

REAL = paths.EXTERNAL / usgs_ds140.FILE
THIRD_PARTY = paths.EXTERNAL / "usgs_ds140" / "usgs_rare_earths_historical.csv"

HEADER = (
    "Year",
    "Production",
    "Imports",
    "Exports",
    "Apparent consumption",
    "Unit value ($/t)",
    "Unit value (98$/t)",
    "World production",
)
# Rows as they appear in the real sheet (1911, 1956, 2001, 2010, 2011); 2001's apparent consumption is a
# formula there too.
ROWS = [
    (1911, "NA", "NA", "NA", 22, "NA", "NA", 2490),
    (1956, "W", 27.8, 19.5, 2720, 5070, 30400, 5230),
    (2001, 0, 19200, 9100, "=(C8-D8)", 5790, 5330, 94500),
    (2010, 0, 12900, 7880, 5050, 20000, 14500, 101000),
    (2011, 0, 7790, 10300, "NA", 58100, 42100, 104000),
]
NOTES = [
    ("Title", "Rare Earths Worksheet Notes"),
    ("Heading1", "Production"),
    (
        "BodyText",
        "Production data were for the amount of contained rare-earth oxides (REO) equivalent content in "
        "bastnäsite and monazite.",
    ),
    ("Heading1", "Imports"),
    ("BodyText", "Import data were estimated."),
    ("Heading1", "Exports"),
    ("BodyText", "Export data were estimated."),
    ("Heading1", "Apparent Consumption"),
    ("BodyText", "Apparent consumption was estimated"),
    ("BodyText", "using the formula:"),
    ("Heading1", "Unit Value ($/t)"),
    ("BodyText", "Unit value is the value in dollars of 1 metric ton (t) of REO apparent consumption."),
    ("Heading1", "Unit Value (98$/t)"),
    ("BodyText", "Constant 1998 U.S. dollars."),
    ("Heading1", "World Production"),
    ("BodyText", "World production data were for REO equivalent content of ores produced."),
]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(paragraphs) -> bytes:
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t '
        f'xml:space="preserve">{text}</w:t></w:r></w:p>'
        for style, text in paragraphs
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as document:
        document.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document '
            f'xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        )
    return buffer.getvalue()


def build(
    path: Path, rows=ROWS, cached: str | None = "10100", notes=NOTES, extra: dict[str, object] | None = None
) -> Path:
    """The DS140 layout: title block, header in row 5, yearly rows, legend; the formula's cached value and the
    notes docx patched in."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rare earths"
    sheet["A1"] = "RARE EARTHS STATISTICS1"
    sheet["A2"] = "U.S. GEOLOGICAL SURVEY"
    sheet["A3"] = "[All quantities in metric tons (t) rare-earth oxide equivalent unless otherwise noted]"
    sheet["A4"] = "Last modification: September 27, 2023"
    for column, label in enumerate(HEADER, start=1):
        sheet.cell(5, column, label)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(6 + offset, column, value)
    sheet.cell(6 + len(rows), 1, "NA Not available. W Withheld to avoid disclosing company proprietary data.")
    sheet.cell(
        8 + len(rows),
        1,
        "Data are calculated, estimated, or reported.  See embedded notes document for more information.",
    )
    for address, value in (extra or {}).items():
        sheet[address] = value
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and cached is not None:
                data = data.replace(b"<f>(C8-D8)</f><v></v>", f"<f>(C8-D8)</f><v>{cached}</v>".encode())
            target.writestr(item, data)
        if notes is not None:
            target.writestr("xl/embeddings/Microsoft_Word_Document.docx", _docx(notes))
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return build(tmp_path_factory.mktemp("ds140") / "ds140.xlsx")


@pytest.fixture(scope="module")
def cleaned(workbook):
    return usgs_ds140.clean(usgs_ds140.extract(workbook))


def test_extract_keeps_every_cell_as_text_with_formulas_and_the_embedded_notes(workbook):
    cells = usgs_ds140.extract(workbook)
    formula = cells[cells["cell"] == "E8"].iloc[0]
    assert (formula["text"], formula["formula"]) == ("10100", "=(C8-D8)")
    assert cells[cells["cell"] == "B7"]["text"].tolist() == ["W"]
    notes = cells[cells["sheet"] == usgs_ds140.NOTES]
    assert notes["column"].tolist()[:3] == ["Title", "Heading1", "BodyText"] and len(notes) == len(NOTES)


def test_clean_is_one_row_per_year_and_statistic_with_codes_flagged(cleaned):
    assert len(cleaned) == 5 * 7
    by = cleaned.set_index(["year", "statistic"])
    assert by.loc[(1956, "production"), "value_flag"] == "withheld" and pd.isna(
        by.loc[(1956, "production"), "value"]
    )
    assert by.loc[(1911, "imports"), "value_flag"] == "not_available"
    assert by.loc[(1911, "apparent_consumption"), "value"] == 22 and pd.isna(
        by.loc[(1911, "apparent_consumption"), "value_flag"]
    )
    assert by.loc[(1956, "imports"), "value"] == 27.8
    assert by.loc[(2010, "world_production"), ("value", "unit", "cell")].tolist() == [101000.0, "t REO", "H9"]
    assert (
        by.loc[(2010, "unit_value"), "unit"] == "USD/t REO"
        and by.loc[(2010, "unit_value_1998_usd"), "unit"] == "USD(1998)/t REO"
    )
    assert cleaned["value_flag"].value_counts().to_dict() == {"not_available": 6, "withheld": 1}


def test_clean_keeps_the_formula_and_the_definitions_from_the_notes(cleaned):
    by = cleaned.set_index(["year", "statistic"])
    assert by.loc[(2001, "apparent_consumption"), ("value", "note")].tolist() == [
        10100.0,
        "calculated in the workbook: =(C8-D8)",
    ]
    assert cleaned["note"].notna().sum() == 1
    assert (
        by.loc[(2010, "world_production"), "definition"]
        == "World production data were for REO equivalent content of ores produced."
    )
    assert (
        by.loc[(2010, "apparent_consumption"), "definition"]
        == "Apparent consumption was estimated using the formula:"
    )


def test_production_layout_world_and_us(cleaned):
    production = usgs_ds140.production(cleaned)
    assert len(production) == 10 and set(production["edition"]) == {"DS140 2020"}
    world = production[production["country_iso"] == "WLD"].set_index("year")
    assert world.loc[2011, "production_t_reo"] == 104000 and world.loc[2011, "country_label"] == "World"
    us = production[production["country_iso"] == "US"].set_index("year")
    assert us.loc[1956, "value_flag"] == "withheld" and us.loc[2010, "production_t_reo"] == 0
    assert "bastnäsite and monazite concentrates" in us.loc[2010, "basis"]
    assert not production.duplicated(["source", "edition", "country_label", "year"]).any()


def test_an_unknown_code_names_the_cell(tmp_path):
    rows = [*ROWS[:3], (2010, 0, "n/a", 7880, 5050, 20000, 14500, 101000), ROWS[4]]
    with pytest.raises(usgs_ds140.DatasetError, match=r"cell C9: 'n/a' is neither a number nor a code"):
        usgs_ds140.clean(usgs_ds140.extract(build(tmp_path / "bad.xlsx", rows=rows)))


def test_a_formula_without_a_cached_value_is_an_error(tmp_path):
    with pytest.raises(usgs_ds140.DatasetError, match=r"cell E8: formula =\(C8-D8\) has no cached value"):
        usgs_ds140.clean(usgs_ds140.extract(build(tmp_path / "bad.xlsx", cached=None)))


def test_a_value_outside_the_table_and_a_missing_notes_section_are_errors(tmp_path):
    with pytest.raises(usgs_ds140.DatasetError, match=r"cell J7: value '1' outside the table's columns"):
        usgs_ds140.clean(usgs_ds140.extract(build(tmp_path / "stray.xlsx", extra={"J7": 1})))
    with pytest.raises(usgs_ds140.DatasetError, match=r"no section for World production"):
        usgs_ds140.clean(usgs_ds140.extract(build(tmp_path / "notes.xlsx", notes=NOTES[:-2])))


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_values_as_printed():
    frame = usgs_ds140.clean(usgs_ds140.extract(REAL))
    assert len(frame) == 121 * 7 and (frame["year"].min(), frame["year"].max()) == (1900, 2020)
    by = frame.set_index(["year", "statistic"])["value"]
    assert [by[(year, "world_production")] for year in (2010, 2011, 2012, 2013)] == [
        101000,
        104000,
        106000,
        107000,
    ]
    assert by[(2019, "world_production")] == 219000 and by[(2020, "world_production")] == 243000
    assert (
        by[(2012, "production")] == 3000
        and by[(2020, "production")] == 39000
        and by[(1900, "production")] == 227
    )
    assert frame[frame["value_flag"] == "withheld"][["year", "statistic"]].values.tolist() == [
        [1956, "production"],
        [1962, "production"],
    ]
    assert frame["value_flag"].value_counts().to_dict() == {"not_available": 150, "withheld": 2}
    formulas = frame[frame["note"].notna()]
    assert formulas["cell"].tolist() == ["E107", "E108", "E109", "E110", "E111", "E112"]
    assert formulas["value"].tolist() == [10100, 5990, 9390, 5500, 6060, 9350]
    world = frame[frame["statistic"] == "world_production"]["definition"].iloc[0]
    assert (
        world == "World production data were for REO equivalent content of ores produced."
    )  # nothing about a quota


@pytest.mark.needs_external
@pytest.mark.skipif(
    not (REAL.is_file() and THIRD_PARTY.is_file()),
    reason="the DS140 workbook or the third party's long CSV is absent",
)
def test_real_file_equals_the_third_party_long_table():
    """Every one of the 847 cells, world production included, against usgs_rare_earths_historical.csv (value,
    status and cell)."""
    ours = usgs_ds140.clean(usgs_ds140.extract(REAL))
    theirs = pd.read_csv(THIRD_PARTY, dtype=str, keep_default_na=False)
    metric = {"unit_value_current_usd": "unit_value", "unit_value_constant_1998_usd": "unit_value_1998_usd"}
    theirs["statistic"] = (
        theirs["metric"].replace(metric).where(theirs["geography_code"] != "WLD", "world_production")
    )
    theirs["year"] = theirs["year"].astype(int)
    merged = ours.merge(theirs, on=["year", "statistic"], how="outer", indicator=True, validate="one_to_one")
    assert (merged["_merge"] == "both").all() and len(merged) == 847
    their_value = pd.to_numeric(merged["value_y"].replace("", None))
    mismatched = merged[
        ~((merged["value_x"] == their_value) | (merged["value_x"].isna() & their_value.isna()))
    ]
    assert mismatched.empty, mismatched[["year", "statistic", "value_x", "value_y"]].to_string()
    status = merged["value_status"].map(
        {"available": "", "not_available": "not_available", "withheld": "withheld"}
    )
    assert (status == merged["value_flag"].fillna("")).all()
    assert (merged["source_cell"] == merged["cell"]).all()
    world = merged[merged["statistic"] == "world_production"]
    assert len(world) == 121 and world["value_x"].notna().all()
