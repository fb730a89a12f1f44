"""USGS Minerals Yearbook 2022 rare-earths tables: a small workbook built here with the real layout of T6, T7
and T8 (superscript footnote markers in label runs and in their own cells, "--", "XX", nested headings),
and the real file where present."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font

from rare_earths.common import paths
from rare_earths.datasets.sources import SourceInput, usgs_myb2022

REAL = paths.EXTERNAL / usgs_myb2022.FILE
THIRD_PARTY = paths.EXTERNAL / "usgs_myb" / "usgs_myb2022_world_mine_production.csv"
DATAWEB = paths.EXTERNAL / "usitc_dataweb" / "us_imports_for_consumption_1993-2026.xlsx"
SUP = InlineFont(vertAlign="superscript")


def sup(plain: str, marker: str) -> CellRichText:
    """A label with a superscript run, as in the real sheets ("Australia" + "e")."""
    return CellRichText([plain, TextBlock(SUP, marker)])


def put(sheet, address: str, value, indent: float = 0, superscript: bool = False) -> None:
    sheet[address] = value
    if indent:
        sheet[address].alignment = Alignment(indent=indent)
    if superscript:
        sheet[address].font = Font(vertAlign="superscript")


# T8 rows as in the real sheet: label (with its superscript run), then per year (value, marker or None).
T8_ROWS = [
    (sup("Australia", "e"), [(21000, None), (20000, None), (20000, None), (24000, None), (18000, None)]),
    ("Burundi", [(620, "e"), (200, "e"), (300, "e"), (180, "e"), ("--", None)]),
    (sup("China", "3"), [(120000, None), (132000, None), (140000, None), (168000, None), (210000, "e")]),
    (sup("India", "e, 4"), [(2900, None)] * 5),
    ("Russia", [(2700, None), (2700, None), (2600, None), (2500, "r"), (2600, "e")]),
    ("United States", [(14000, "e"), (28000, "e"), (39000, "e"), (42400, 6), (42500, "6")]),
    ("Total", [(190000, None), (223000, None), (250000, None), (290000, "r"), (297000, None)]),
]
T8_NOTES = [
    "1Table includes data available through April 1, 2024. All data are reported unless otherwise noted.",
    "2In addition to the countries and (or) localities listed, Indonesia, Nigeria, North Korea ... may "
    "have produced rare-earth minerals.",
    "3Official production quota. Illegal production could not be quantified.",
    "4India's Department of Atomic Energy did not disclose monazite production data.",
    "6Includes bastnaesite only. Excludes monazite from heavy mineral sands.",
]
# T6 / T7 rows: (row, label, indent, HTS code, [2021 kg, marker, 2021 value, marker, 2022 kg, marker, 2022
# value, marker]).
T6_ROWS = [
    (7, "Compounds:", 0, None, None),
    (8, "Cerium compounds:", 1, None, None),
    (9, "Cerium oxides:", 2, "2846.10.0010", None),
    (10, "China ", 3, None, [334000, None, 1990000, None, 209000, None, 1700000, None]),
    (11, "Japan ", 3, None, [523000, None, 19000000, None, 567000, None, 18500000, None]),
    (12, "Other", 3, None, [32300, None, 991000, None, 55900, None, 1580000, None]),
    (13, "Total", 4, None, [889000, None, 22000000, None, 831000, None, 21800000, None]),
    (
        14,
        "Total estimated rare-earth-oxide (REO) equivalent content",
        4,
        None,
        [889000, None, "XX", None, 831000, None, "XX", None],
    ),
    (15, "Other rare-earth compounds:", 1, None, None),
    (16, "Chlorides:", 2, None, None),
    (
        17,
        "Scandium or yttrium chloride mixtures, Russia",
        3,
        "2846.90.2082",
        [35, None, 39000, None, "--", None, "--", None],
    ),
    (
        18,
        "Total estimated REO equivalent content",
        4,
        None,
        [12.95, None, "XX", None, "--", None, "XX", None],
    ),
    (19, "Other rare-earth compounds or mixtures:", 2, None, None),
    (20, "Yttrium materials and compounds content by weight", 3, "2846.90.4000", None),
    (21, "greater than 19% but less than 85% oxide equivalent:", 3, None, None),
    (22, "China ", 4, None, [312000, None, 1290000, None, 872000, None, 5710000, None]),
    (23, "Other", 4, None, [56100, None, 2060000, None, 3240, None, 762000, None]),
    (24, "Total", 5, None, [368000, None, 3350000, None, 876000, None, 6470000, None]),
    (25, "Grand total", 0, None, [12000000, None, 133000000, None, 16500000, None, 184000000, None]),
]
T7_ROWS = [
    (7, "Ferrocerium and other pyrophoric alloys:", 0, "3606.90.3000,", None),
    (8, None, 0, "3606.90.3010,", None),
    (9, None, 0, "3606.90.3090", None),
    (10, "China ", 1, None, [159000, None, 2070000, None, 130000, None, 2030000, None]),
    (11, "Ireland", 1, None, ["--", None, "--", None, 63900, None, 580000, None]),
    (12, "Other", 1, None, [48000, "r", 356000, "r", 46900, None, 384000, None]),
    (13, "Total", 2, None, [371000, None, 5240000, None, 446000, None, 5770000, None]),
    (
        14,
        "Total estimated rare-earth-oxide (REO) equivalent content",
        2,
        None,
        [330000, None, "XX", None, 396000, None, "XX", None],
    ),
    (15, "Rare-earth metals and alloys:", 0, None, None),
    (16, "Neodymium, unalloyed:", 1, "2805.30.0020", None),
    (17, "China ", 2, None, [14300, None, 350000, None, 1320, None, 37500, None]),
    (18, "Total", 3, None, [14400, None, 371000, None, 1320, None, 40500, None]),
    (
        19,
        "Total, rare-earth metals and alloys",
        2,
        None,
        [487000, None, 17300000, None, 406000, None, 17700000, None],
    ),
    (
        20,
        "Total estimated REO equivalent content",
        2,
        None,
        [580000, None, "XX", None, 487000, None, "XX", None],
    ),
]


def _t8(book) -> None:
    sheet = book.create_sheet("T8")
    put(sheet, "A1", "TABLE 8")
    put(sheet, "A2", sup("RARE EARTHS: WORLD MINE PRODUCTION, BY COUNTRY OR LOCALITY", "1"))
    put(sheet, "A4", "(Metric tons, rare-earth oxide equivalent)")
    put(sheet, "A6", sup("Country or locality", "2"))
    for column, year in zip("CEGIK", range(2018, 2023), strict=True):
        put(sheet, f"{column}6", year)
    for row, (label, values) in enumerate(T8_ROWS, start=7):
        put(sheet, f"A{row}", label)
        for (column, marker_column), (value, marker) in zip(
            ["CD", "EF", "GH", "IJ", "KL"], values, strict=True
        ):
            put(sheet, f"{column}{row}", value)
            if marker is not None:
                put(sheet, f"{marker_column}{row}", marker, superscript=True)
    last = 7 + len(T8_ROWS)
    put(sheet, f"A{last}", CellRichText(["e", "Estimated.  ", TextBlock(SUP, "r"), "Revised.  -- Zero."]))
    for offset, note in enumerate(T8_NOTES, start=1):
        put(sheet, f"A{last + offset}", note)


def _imports(book, name: str, title: str, rows) -> None:
    sheet = book.create_sheet(name)
    put(sheet, "A1", f"TABLE {name[1:]}")
    put(sheet, "A2", sup(title, "1"))
    for column in "EI":
        put(sheet, f"{column}4", "2021" if column == "E" else "2022")
        put(sheet, f"{column}5", "Gross weight")
        put(sheet, f"{column}6", "(kilograms)")
    put(sheet, "A6", CellRichText(["Category", " and country or locality"]))
    put(sheet, "C6", sup("HTS code", "2"))
    put(sheet, "G6", "Value")
    put(sheet, "K6", "Value")
    for row, label, indent, code, values in rows:
        if label is not None:
            put(sheet, f"A{row}", label, indent=indent)
        if code is not None:
            put(sheet, f"C{row}", code)
        for column, value in zip("EFGHIJKL", values or [], strict=False):
            if value is not None:
                put(sheet, f"{column}{row}", value, superscript=column in "FHJL")
    last = rows[-1][0]
    put(sheet, f"A{last + 1}", CellRichText([TextBlock(SUP, "r"), "Revised.  XX Not applicable.  -- Zero."]))
    put(
        sheet,
        f"A{last + 2}",
        "1Table includes data available through July 14, 2023. Data are rounded to no more than three "
        "significant digits.",
    )
    put(sheet, f"A{last + 3}", "2Harmonized Tariff Schedule of the United States code.")


def build(path: Path, change=None) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Note"
    book["Note"]["A5"] = "Advance Data Release of the"
    _imports(
        book, "T6", "U.S. IMPORTS FOR CONSUMPTION OF RARE-EARTH COMPOUNDS, BY COUNTRY OR LOCALITY", T6_ROWS
    )
    _imports(
        book,
        "T7",
        "U.S. IMPORTS FOR CONSUMPTION OF RARE-EARTH METALS AND ALLOYS, BY COUNTRY OR LOCALITY",
        T7_ROWS,
    )
    _t8(book)
    if change is not None:
        change(book)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def cells(tmp_path_factory):
    return usgs_myb2022.extract(build(tmp_path_factory.mktemp("myb") / "myb.xlsx"))


@pytest.fixture(scope="module")
def t8(cells):
    return usgs_myb2022.clean(cells)


@pytest.fixture(scope="module")
def imports(cells):
    return usgs_myb2022.imports(cells)


def test_extract_keeps_superscript_runs_apart(cells):
    india = cells[(cells["sheet"] == "T8") & (cells["cell"] == "A10")].iloc[0]
    assert (india["text"], india["plain"], india["superscript"]) == ("Indiae, 4", "India", "e, 4")
    marker = cells[(cells["sheet"] == "T8") & (cells["cell"] == "J12")].iloc[0]
    assert (marker["text"], marker["plain"], marker["superscript"]) == ("6", "", "6")
    assert cells[(cells["sheet"] == "T6") & (cells["cell"] == "A10")]["indent"].tolist() == [3.0]


def test_t8_labels_flags_and_footnotes(t8):
    assert len(t8) == 7 * 5
    assert list(t8["country_iso"].unique()) == ["AU", "BI", "CN", "IN", "RU", "US", "WLD"]
    by = t8.set_index(["country_label", "year"])
    assert set(t8[t8["country_label"] == "Australia"]["value_flag"]) == {
        "estimated"
    }  # the row's marker covers every year
    assert by.loc[("Burundi", 2021), "value_flag"] == "estimated" and by.loc[
        ("Burundi", 2022), ("value", "value_flag")
    ].tolist() == [0.0, "zero"]
    assert (
        pd.isna(by.loc[("China", 2021), "value_flag"])
        and by.loc[("China", 2022), "value_flag"] == "estimated"
    )
    assert (
        by.loc[("China", 2018), "notes"]
        == "Official production quota. Illegal production could not be quantified."
    )
    assert by.loc[("India", 2020), ("value_flag", "footnotes", "label_as_printed")].tolist() == [
        "estimated",
        "4",
        "Indiae, 4",
    ]
    assert (
        by.loc[("Russia", 2021), "value_flag"] == "revised"
        and by.loc[("Russia", 2022), "value_flag"] == "estimated"
    )
    assert by.loc[("United States", 2020), "value_flag"] == "estimated" and pd.isna(
        by.loc[("United States", 2020), "footnotes"]
    )
    assert (
        by.loc[("United States", 2021), "footnotes"] == "6"
        and by.loc[("United States", 2022), "footnotes"] == "6"
    )  # int and text markers
    assert by.loc[("Total", 2021), ("value", "value_flag", "cell", "marker_cell")].tolist() == [
        290000.0,
        "revised",
        "I13",
        "J13",
    ]


def test_t8_production_layout(t8):
    production = usgs_myb2022.production(t8)
    assert (
        len(production) == 35
        and set(production["edition"]) == {"MYB 2022"}
        and production["year"].dtype.kind == "i"
    )
    assert not production.duplicated(["source", "edition", "country_label", "year"]).any()
    china = production[(production["country_iso"] == "CN") & (production["year"] == 2022)].iloc[0]
    assert china["basis"] == (
        "mine production, rare-earth oxide equivalent; Official production quota. Illegal production "
        "could not be quantified."
    )
    assert china["value_flag"] == "estimated"


def test_imports_rows_headings_and_codes(imports):
    rows = imports[imports["year"] == 2021].set_index(["table", "row"])
    assert rows.loc[("T6", 10), ("row_kind", "heading", "product", "product_code", "partner")].tolist() == [
        "partner",
        "Compounds > Cerium compounds",
        "Cerium oxides",
        "2846.10.0010",
        "CN",
    ]
    russia = rows.loc[("T6", 17)]
    assert (russia["product"], russia["product_code"], russia["partner_label"], russia["partner"]) == (
        "Scandium or yttrium chloride mixtures",
        "2846.90.2082",
        "Russia",
        "RU",
    )
    assert rows.loc[("T6", 18), ("row_kind", "product_code", "quantity_kg", "value_flag")].tolist() == [
        "reo_content",
        "2846.90.2082",
        12.95,
        "not_applicable",
    ]
    yttrium = rows.loc[("T6", 22)]
    assert yttrium["product"] == (
        "Yttrium materials and compounds content by weight greater than 19% but less than 85% oxide "
        "equivalent"
    )
    assert (
        yttrium["heading"]
        == "Compounds > Other rare-earth compounds > Other rare-earth compounds or mixtures"
    )
    assert (
        rows.loc[("T6", 25), "row_kind"] == "grand_total"
        and rows.loc[("T6", 25), ["heading", "product_code"]].isna().all()
    )
    assert rows.loc[("T7", 10), "product_code"] == "3606.90.3000, 3606.90.3010, 3606.90.3090"
    assert rows.loc[("T7", 12), ["quantity_flag", "value_flag"]].tolist() == [
        "revised",
        "revised",
    ] and pd.isna(rows.loc[("T7", 12), "partner"])
    assert rows.loc[("T7", 11), ("quantity_kg", "quantity_flag", "value_usd", "value_flag")].tolist() == [
        0.0,
        "zero",
        0.0,
        "zero",
    ]
    assert rows.loc[("T7", 19), "row_kind"] == "subtotal" and pd.isna(rows.loc[("T7", 19), "product_code"])


def test_trade_layout_keeps_partners_and_product_totals_only(imports):
    trade = usgs_myb2022.trade(imports)
    # partner and product-total rows: T6 3+1+1+2+1, T7 3+1+1+1, over two years
    assert len(trade) == 2 * (8 + 6)
    assert (
        set(trade["flow"]) == {"import"} and set(trade["reporter"]) == {"US"} and trade["month"].isna().all()
    )
    assert set(trade["classification"]) == {
        "HTS 10-digit (MYB 2022 table T6)",
        "HTS 10-digit (MYB 2022 table T7)",
    }
    assert not trade["partner_label"].str.startswith(("Total estimated", "Total,", "Grand total")).any()
    assert not trade.duplicated(
        ["source", "reporter", "partner_label", "flow", "product_code", "period"]
    ).any()
    japan = trade[(trade["partner"] == "JP") & (trade["period"] == "2021")].iloc[0]
    assert (japan["product_code"], japan["quantity_kg"], japan["value_usd"], japan["year"]) == (
        "2846.10.0010",
        523000.0,
        19000000.0,
        2021,
    )
    total = trade[
        (trade["partner_label"] == "Total")
        & (trade["product_code"] == "2805.30.0020")
        & (trade["year"] == 2022)
    ].iloc[0]
    assert (total["partner"], total["quantity_kg"], total["value_usd"]) == ("WLD", 1320.0, 40500.0)


def test_an_unknown_country_names_the_cell(tmp_path):
    def change(book):
        book["T8"]["A11"] = "Atlantis"

    with pytest.raises(
        usgs_myb2022.DatasetError, match=r"sheet T8, cell A11: country or locality 'Atlantis' has no ISO code"
    ):
        usgs_myb2022.clean(usgs_myb2022.extract(build(tmp_path / "bad.xlsx", change)))


def test_an_unknown_marker_names_its_cell(tmp_path):
    def change(book):
        put(book["T8"], "H9", "5", superscript=True)  # footnote 5 is not among the sheet's footnotes

    with pytest.raises(
        usgs_myb2022.DatasetError, match=r"sheet T8, cell H9: footnote marker '5' has no meaning"
    ):
        usgs_myb2022.clean(usgs_myb2022.extract(build(tmp_path / "bad.xlsx", change)))


def test_a_value_header_in_thousands_is_refused(tmp_path):
    def change(book):
        book["T6"]["G6"] = "Value (thousands)"

    with pytest.raises(
        usgs_myb2022.DatasetError,
        match=r"sheet T6, cell G6: expected 'Value' \(US dollars\), found 'Value \(thousands\)'",
    ):
        usgs_myb2022.imports(usgs_myb2022.extract(build(tmp_path / "bad.xlsx", change)))


@pytest.fixture(scope="module")
def real_cells():
    return usgs_myb2022.extract(REAL)


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_t8_values_as_printed(real_cells):
    t8 = usgs_myb2022.clean(real_cells)
    assert len(t8) == 65 and t8["country_label"].nunique() == 13
    by = t8.set_index(["country_iso", "year"])
    assert by.loc[("CN", 2022), ("value", "value_flag", "footnotes")].tolist() == [210000.0, "estimated", "3"]
    assert (
        by.loc[("US", 2021), ("value", "footnotes")].tolist() == [42400.0, "6"]
        and by.loc[("US", 2020), "value_flag"] == "estimated"
    )
    assert (
        by.loc[("MM", 2021), "value"] == 34700 and by.loc[("MG", 2021), "value_flag"] == "estimated;revised"
    )
    assert by.loc[("BI", 2022), ("value_as_printed", "value_flag")].tolist() == ["--", "zero"]
    assert (
        by.loc[("WLD", 2019), "value"] == 223000
        and by.loc[("WLD", 2020), "value"] == 250000
        and by.loc[("WLD", 2021), "value_flag"] == "revised"
    )
    assert by.loc[("TH", 2021), "notes"] == "Rare-earth oxide content of exports."


@pytest.mark.needs_external
@pytest.mark.skipif(
    not (REAL.is_file() and THIRD_PARTY.is_file()),
    reason="the MYB 2022 workbook or the third party's tidy T8 is absent",
)
def test_real_t8_equals_the_third_party_tidy_table(real_cells):
    """Every row of usgs_myb2022_world_mine_production.csv: cell, value, estimated / revised / zero, footnote
    numbers."""
    ours = usgs_myb2022.clean(real_cells)
    theirs = pd.read_csv(THIRD_PARTY, dtype=str, keep_default_na=False)
    merged = theirs.merge(ours, left_on="source_cell", right_on="cell", how="left", validate="one_to_one")
    assert len(merged) == 65 and merged["cell"].notna().all()
    assert (merged["source_country_label"] == merged["label_as_printed"]).all() and (
        merged["source_marker_cell"] == merged["marker_cell"]
    ).all()
    assert (merged["year_x"].astype(int) == merged["year_y"]).all()
    assert (merged["value_x"].astype(float) == merged["value_y"]).all()
    flags = merged["value_flag"].fillna("")
    assert (merged["is_estimated"].eq("True") == flags.str.contains("estimated")).all()
    assert (merged["is_revised"].eq("True") == flags.str.contains("revised")).all()
    assert (merged["availability_status"].eq("explicit_zero") == flags.str.contains("zero")).all()
    assert (merged["footnote_ids"] == merged["footnotes"].fillna("")).all()


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_t6_t7_values_as_printed(real_cells):
    imports = usgs_myb2022.imports(real_cells)
    assert imports["row_kind"].value_counts().to_dict() == {
        "partner": 106,
        "reo_content": 46,
        "total": 34,
        "subtotal": 6,
        "grand_total": 4,
    }
    rows = imports.set_index(["table", "row", "year"])
    assert rows.loc[("T6", 11, 2021), ("partner", "quantity_kg", "value_usd")].tolist() == [
        "JP",
        523000.0,
        19000000.0,
    ]
    assert rows.loc[("T6", 71, 2022), ("product_code", "quantity_kg", "value_usd")].tolist() == [
        "2846.90.8090",
        8020000.0,
        92000000.0,
    ]
    assert rows.loc[("T6", 40, 2021), ("partner", "product_code", "quantity_kg", "value_usd")].tolist() == [
        "RU",
        "2846.90.2082",
        35.0,
        39000.0,
    ]
    assert rows.loc[("T6", 74, 2021), "quantity_flag"] == "revised" and pd.isna(
        rows.loc[("T6", 74, 2021), "value_flag"]
    )
    assert rows.loc[("T7", 35, 2022), ("product_code", "quantity_kg", "value_usd")].tolist() == [
        "2805.30.0020",
        1320.0,
        37500.0,
    ]
    assert rows.loc[("T7", 11, 2021), "product_code"] == "3606.90.3000, 3606.90.3010, 3606.90.3090"
    assert rows.loc[("T6", 84, 2022), ("row_kind", "value_usd")].tolist() == ["grand_total", 184000000.0]
    trade = usgs_myb2022.read(SourceInput(paths.EXTERNAL)).tables["trade"]
    assert len(trade) == 140 and trade["product_code"].nunique() == 11 + 7


@pytest.mark.needs_external
@pytest.mark.skipif(
    not (REAL.is_file() and DATAWEB.is_file()),
    reason="the MYB 2022 workbook or the USITC DataWeb workbook is absent",
)
def test_real_t6_values_are_dollars_not_thousands(real_cells):
    """T6 China rows, summed over HTS 2846 codes, against the DataWeb customs value of HTS 2846 from China (as
    printed there)."""
    imports = usgs_myb2022.imports(real_cells)
    china = (
        imports[(imports["table"] == "T6") & (imports["partner"] == "CN")].groupby("year")["value_usd"].sum()
    )
    dataweb = pd.read_excel(DATAWEB, sheet_name="Customs Value", header=2, dtype=str)
    row = dataweb[(dataweb["Country"] == "China") & (dataweb["HTS Number"] == "2846")].iloc[0]
    assert (row["2021"], row["2022"]) == ("72349370", "118758037")
    for year in (2021, 2022):
        assert china[year] == pytest.approx(float(row[str(year)]), rel=0.01)
