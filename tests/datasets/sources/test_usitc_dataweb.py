"""USITC DataWeb imports workbook: a small workbook built here with the real layout and quirks, and the real
file where present."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from rare_earths.common import paths, registry
from rare_earths.datasets.sources import DatasetError, usitc_dataweb

REAL = paths.EXTERNAL / usitc_dataweb.FILE
TITLE = "Imports For Consumption|Annual + Year-To-Date Data from Jan - Apr"
MAGNETS = (
    "ELECTROMAGNETS; PERMANENT MAGNETS AND ARTICLES TO BE PERMANENT AFTER MAGNETIZATION; ELECTROMAGNETIC "
    "OR PERMANENT MAGNET CHUCKS, BRAKES ETC.; PARTS"
)
COMPOUNDS = (
    "RARE-EARTH METAL COMPOUNDS, INORGANIC OR ORGANIC, OF YTTRIUM OR SCANDIUM OR OF MIXTURES OF THESE METALS"
)
METALS = (
    "ALKALI OR ALKALINE-EARTH METALS; RARE-EARTH METALS, SCANDIUM AND YTTRIUM, WHETHER OR NOT INTERMIXED "
    "OR INTERALLOYED; MERCURY"
)
BAUXITE = "ALUMINUM ORES AND CONCENTRATES"
# partner, heading, description, unit, values (2024, 2025, 2026 annual; 2025, 2026 Jan-Apr), quantities (same
# periods)
ROWS = [
    ("China", "2846", COMPOUNDS, "kilograms", (1000, 1500, 0, 400, 600), (100, 120, 0, 30, 50)),
    ("China", "8505", MAGNETS, "kilograms", (200, 300, 0, 90, 80), (20, 25, 0, 8, 6)),
    ("China", "8505", MAGNETS, "number", (50, 70, 0, 20, 10), (500, 700, 0, 200, 90)),
    ("China", "8505", MAGNETS, "no units collected", (5, 0, 0, 0, 0), (0, 0, 0, 0, 0)),
    (
        "Democratic Republic of the Congo",
        "2606",
        BAUXITE,
        "metric tons",
        (900, 800, 0, 300, 200),
        (9, 8, 0, 3, 2),
    ),
    ("Myanmar (Burma)", "2846", COMPOUNDS, "kilograms", (0, 40, 0, 0, 60), (0, 4, 0, 0, 5)),
    ("South Korea", "2805", METALS, "kilograms", (10, 20, 0, 5, 0), (1, 2, 0, 1, 0)),
]
SUPPRESSED = {
    ("South Korea", "2805", 2025): 3
}  # a non-zero "<year>_Suppressed" cell of the annual quantity sheet


def write_workbook(path, rows=ROWS):
    """The DataWeb layout: title, 'Data Row Count', header, one row per partner x heading x unit; values end
    with 'Total: '."""
    book = openpyxl.Workbook()
    query = book.active
    query.title = "Query Parameters"
    for pair in [
        ("Download Date", dt.datetime(2026, 7, 10, 16, 57, 38)),
        ("Step 1: Trade Flow and Classification System", None),
        ("Trade Flow", "Imports For Consumption"),
        ("Commodity Aggregation Level", "4"),
    ]:
        query.append(pair)
    layouts = [
        ("Customs Value", False, True),
        ("Customs Value YTD", True, True),
        ("First Unit of Quantity", False, False),
        ("First Unit of Quantity YTD", True, False),
    ]
    for name, ytd, is_value in layouts:
        years = (2025, 2026) if ytd else (2024, 2025, 2026)
        labels = [f"{year}_Year_to_date" if ytd else str(year) for year in years]
        sheet = book.create_sheet(name)
        sheet.append([TITLE])
        sheet.append(["Data Row Count", float(len(rows))])
        header = ["Data Type", "Country", "HTS Number", "Description", "Quantity Description", *labels]
        sheet.append(header if is_value else [*header, *(f"{label}_Suppressed" for label in labels)])
        for partner, heading, description, unit, values, quantities in rows:
            numbers = (
                (values if is_value else quantities)[3:] if ytd else (values if is_value else quantities)[:3]
            )
            cells = [
                "Customs Value" if is_value else "First Unit of Quantity",
                partner,
                heading,
                description,
                f"Value for: {unit}" if is_value else unit,
                *map(float, numbers),
            ]
            if not is_value:
                cells += [
                    0.0 if ytd else float(SUPPRESSED.get((partner, heading, year), 0)) for year in years
                ]
            sheet.append(cells)
        if is_value:
            sums = [sum((row[4][3:] if ytd else row[4][:3])[i] for row in rows) for i in range(len(years))]
            sheet.append(["Total: ", "", "", "", "", *(f"{total:,}" for total in sums)])
    second = book.create_sheet("Second Unit of Quantity")
    second.append([TITLE])
    second.append(["Data Row Count", 0.0])
    second.append(
        ["Data Type", "Country", "HTS Number", "Description", "Quantity Description", "2024", "2025", "2026"]
    )
    book.save(path)
    return path


def edit(path, sheet, cell, value):
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


@pytest.fixture
def workbook(tmp_path):
    return write_workbook(tmp_path / "usitc_dataweb_quirks.xlsx")


@pytest.fixture
def cleaned(workbook):
    return usitc_dataweb.clean(usitc_dataweb.extract(workbook))


def test_extract_keeps_each_sheet_as_printed(workbook):
    sheets = usitc_dataweb.extract(workbook)
    assert set(sheets) >= {
        "Query Parameters",
        "Customs Value",
        "Customs Value YTD",
        "First Unit of Quantity",
        "Second Unit of Quantity",
    }
    value = sheets["Customs Value"]
    assert value.attrs["title"] == TITLE and value.attrs["data_row_count"] == "7"
    assert list(value.columns) == [
        "sheet_row",
        "data_type",
        "country",
        "hts_number",
        "description",
        "quantity_description",
        "2024",
        "2025",
        "2026",
    ]
    assert (
        value.loc[0, "sheet_row"] == 4
        and value.loc[0, "hts_number"] == "2846"
        and value.loc[0, "2025"] == "1500"
    )
    assert list(value.iloc[-1][["data_type", "2024"]]) == [
        "Total: ",
        "2,165",
    ]  # the Total row, text with a separator
    assert "2025_year_to_date_suppressed" in sheets["First Unit of Quantity YTD"].columns


def test_clean_keeps_the_unit_split_and_drops_the_incomplete_annual_year(cleaned):
    assert (
        len(cleaned) == 7 * 2 + 7 * 2
    )  # 2024 and 2025 annual (2026 annual is all zeros), Jan-Apr 2025 and 2026
    assert set(cleaned["period"]) == {"2024", "2025", "2025-01..04", "2026-01..04"}
    magnets = cleaned[
        (cleaned["partner_label"] == "China")
        & (cleaned["product_code"] == "8505")
        & (cleaned["period"] == "2025")
    ]
    assert sorted(zip(magnets["quantity_unit"], magnets["value_usd"], magnets["quantity"], strict=True)) == [
        ("kilograms", 300.0, 25.0),
        ("no units collected", 0.0, 0.0),
        ("number", 70.0, 700.0),
    ]
    partners = dict(zip(cleaned["partner_label"], cleaned["partner"], strict=False))
    assert partners == {
        "China": "CN",
        "Democratic Republic of the Congo": "CD",
        "Myanmar (Burma)": "MM",
        "South Korea": "KR",
    }
    korea = cleaned[(cleaned["partner_label"] == "South Korea") & (cleaned["period"] == "2025")].iloc[0]
    assert korea["quantity_suppressed"] == 3 and korea["value_sheet_row"] == 10


def test_trade_layout_sums_unit_rows_and_flags_units(cleaned):
    trade = usitc_dataweb.trade(cleaned)
    assert tuple(trade.columns) == tuple(registry.field_names("trade"))
    assert set(trade["product_code"]) == {"2805", "2846", "8505"}  # 2606 left out: not a rare-earth heading
    assert not trade.duplicated(["reporter", "partner_label", "flow", "product_code", "period"]).any()
    assert (
        set(trade["reporter"]) == {"US"}
        and set(trade["flow"]) == {"import"}
        and set(trade["classification"]) == {"HTS4"}
    )
    assert trade["month"].isna().all() and str(trade["month"].dtype) == "Int64"
    rows = trade.set_index(["partner_label", "product_code", "period"])
    magnets = rows.loc[("China", "8505", "2025")]
    assert magnets["value_usd"] == 370 and pd.isna(magnets["quantity_kg"])
    assert magnets["quantity_flag"] == "unit_kilograms+no_units_collected+number"
    compounds = rows.loc[("China", "2846", "2026-01..04")]
    assert (compounds["value_usd"], compounds["quantity_kg"], compounds["year"]) == (
        600,
        50,
        2026,
    ) and pd.isna(compounds["quantity_flag"])
    assert rows.loc[("South Korea", "2805", "2025"), "quantity_flag"] == "partly_suppressed"
    everything = usitc_dataweb.trade(cleaned, headings=None).set_index(
        ["partner_label", "product_code", "period"]
    )
    assert (
        everything.loc[("Democratic Republic of the Congo", "2606", "2024"), "quantity_flag"]
        == "unit_metric_tons"
    )


def test_china_share_is_of_the_queried_partners(cleaned):
    shares = usitc_dataweb.china_share(usitc_dataweb.trade(cleaned)).set_index("period")
    assert (
        shares.loc["2025", "china_value_usd"] == 1500 + 300 + 70
        and shares.loc["2025", "partners_value_usd"] == 1870 + 40 + 20
    )
    assert shares.loc["2025", "china_share"] == pytest.approx(1870 / 1930)
    assert bool(shares.loc["2026-01..04", "ytd"]) and not bool(shares.loc["2024", "ytd"])


ALL_SHEETS = ("Customs Value", "Customs Value YTD", "First Unit of Quantity", "First Unit of Quantity YTD")


@pytest.mark.parametrize(
    ("sheets", "cell", "value", "message"),
    [
        (
            ["Customs Value"],
            "F4",
            1001.0,
            r"sheet 'Customs Value' cell F11: the rows sum to 2,166 but the Total row says '2,165'",
        ),
        (["Customs Value YTD"], "F5", "n/a", r"sheet 'Customs Value YTD' cell F5: 'n/a' is not a number"),
        (ALL_SHEETS, "B8", "Atlantis", r"sheet 'Customs Value' row 8: partner 'Atlantis' has no ISO code"),
        (
            ["Customs Value"],
            "B2",
            9.0,
            r"sheet 'Customs Value' cell B2: 'Data Row Count' '9' but the sheet has 7 data rows",
        ),
        (
            ["First Unit of Quantity"],
            "H5",
            4.0,
            r"sheet 'First Unit of Quantity' row 5: annual 2026 is not a complete year but has 4.0",
        ),
        (
            ["First Unit of Quantity"],
            "E6",
            "pieces",
            r"sheet 'Customs Value' row 6: China 8505 \(number\) has no counterpart in the quantity sheet",
        ),
        (
            ["First Unit of Quantity"],
            "E6",
            "kilograms",
            r"sheet 'First Unit of Quantity' row 6: a second row for China 8505",
        ),
        (
            ["Customs Value"],
            "A1",
            "Imports For Consumption|Monthly",
            r"sheet 'Customs Value' cell A1: title 'Imports For Consumption\|Monthly'",
        ),
    ],
)
def test_bad_input_names_the_sheet_and_cell(workbook, sheets, cell, value, message):
    for sheet in sheets:
        edit(workbook, sheet, cell, value)
    with pytest.raises(DatasetError, match=message):
        usitc_dataweb.clean(usitc_dataweb.extract(workbook))


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_values_as_printed_and_the_third_party_china_share():
    sheets = usitc_dataweb.extract(REAL)
    manifest = json.loads((paths.EXTERNAL / usitc_dataweb.MANIFEST_FILE).read_text(encoding="utf-8"))
    inventory = next(source for source in manifest["sources"] if source["file"].endswith(REAL.name))[
        "source_row_inventory"
    ]
    assert {
        name: int(sheets[name].attrs["data_row_count"]) for name in inventory
    } == inventory  # 398 / 401 / 138 as in the manifest
    assert sheets["Customs Value"].iloc[-1]["2025"] == "8,193,069,675"  # the Total row

    cleaned = usitc_dataweb.clean(sheets)
    assert cleaned["partner_label"].nunique() == 18 and cleaned["product_code"].nunique() == 25
    assert "2026" not in set(cleaned["period"]) and "2026-01..04" in set(cleaned["period"])
    china_magnets = cleaned[
        (cleaned["partner_label"] == "China")
        & (cleaned["product_code"] == "8505")
        & (cleaned["period"] == "2025")
    ]
    assert dict(zip(china_magnets["quantity_unit"], china_magnets["value_usd"], strict=True)) == {
        "number": 344128552.0,
        "no units collected": 0.0,
        "kilograms": 74061130.0,
    }  # Customs Value rows 116-118

    trade = usitc_dataweb.trade(cleaned)
    rows = trade.set_index(["partner", "product_code", "period"])
    assert (
        rows.loc[("CN", "2846", "2010"), "value_usd"] == 113981222
        and rows.loc[("CN", "2846", "2010"), "quantity_kg"] == 13620100
    )
    assert rows.loc[("CN", "2805", "2026-01..04"), "value_usd"] == 17777764
    assert rows.loc[("CN", "8505", "2025"), "value_usd"] == 344128552 + 74061130

    published = pd.read_csv(paths.EXTERNAL / usitc_dataweb.CHINA_SHARE_FILE, dtype=str, keep_default_na=False)
    published = published[(published["mineral"] == "rare_earths") & (published["data_status"] == "reported")]
    assert set(published["hts_codes"]) == {"2805|2846|8505"}
    ours = usitc_dataweb.china_share(trade).set_index(["year", "ytd"])
    annual = published[published["ytd_flag"] == "false"]
    assert (
        len(annual) == 33
    )  # 1993-2025; the annual 2026 row is "missing_or_zero_denominator", and we have no annual 2026
    decimals = max(
        len(share.split(".")[1]) for share in published["china_share"]
    )  # printed to 10 decimals, trailing zeros dropped
    assert decimals == 10
    for record in published.to_dict("records"):
        mine = ours.loc[(int(record["year"]), record["ytd_flag"] == "true")]
        assert mine["china_value_usd"] == float(record["china_value_usd"]), record
        assert mine["partners_value_usd"] == float(record["selected_partner_value_usd"]), record
        assert abs(mine["china_share"] - float(record["china_share"])) <= 0.5 * 10**-decimals + 1e-15, record
    shares = ours["china_share"]
    assert (
        round(shares[(2010, False)], 2) == 0.52
        and round(shares[(2011, False)], 2) == 0.61
        and round(shares[(2025, False)], 2) == 0.60
    )
