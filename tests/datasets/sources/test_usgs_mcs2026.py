"""USGS MCS 2026 commodities CSV: a team-written file with the real quirks, and the real file where
present."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rare_earths.common import paths
from rare_earths.datasets.sources import SourceInput, usgs_mcs2026

QUIRKS = Path(__file__).parents[2] / "fixtures" / "datasets" / "usgs_mcs2026_quirks.csv"
REAL = paths.EXTERNAL / "usgs_mcs" / "usgs_mcs2026_commodities_data.csv"


@pytest.fixture(scope="module")
def quirks():
    return usgs_mcs2026.clean(usgs_mcs2026.extract(QUIRKS))


def test_extract_reads_windows_1252_and_snake_cases_the_columns():
    frame = usgs_mcs2026.extract(QUIRKS)
    assert list(frame.columns[:4]) == ["mcs_chapter", "section", "commodity", "country"]
    assert frame.loc[0, "section"] == "Salient Statistics—United States"  # byte 0x97 in cp1252
    assert frame.loc[4, "year"] == "2021–24"  # byte 0x96


def test_clean_keeps_only_rare_earths_and_flags_every_code(quirks):
    assert "COBALT" not in set(quirks["mcs_chapter"])
    rows = list(
        zip(
            quirks["value_as_printed"],
            quirks["value_number"].fillna(-1),
            quirks["value_flag"].fillna(""),
            strict=True,
        )
    )
    assert rows == [
        ("45,500", 45500.0, ""),
        ("E", -1, "net_exporter"),
        (">95", 95.0, "more_than"),
        ("W", -1, "withheld"),
        ("71", 71.0, ""),
        ("27,000", 27000.0, ""),
        ("—", 0.0, "zero"),
        ("390,000", 390000.0, ""),
        ("NA", -1, "not_available"),
    ]


def test_clean_codes_countries_and_year_windows(quirks):
    assert list(quirks["country_iso"].fillna("")) == ["US", "US", "US", "US", "CN", "MM", "CA", "WLD", ""]
    china = quirks[quirks["section"] == "Import Sources"].iloc[0]
    assert (china["year_start"], china["year_end"]) == (2021, 2024)


@pytest.mark.parametrize(
    ("text", "expected"), [("2024", (2024, 2024)), ("2021–24", (2021, 2024)), ("1999-2002", (1999, 2002))]
)
def test_year_windows(text, expected):
    assert usgs_mcs2026.parse_year_window(text) == expected


def test_an_unknown_country_label_names_the_line(tmp_path):
    text = QUIRKS.read_bytes().replace(b"Burma", b"Atlantis")
    (tmp_path / "bad.csv").write_bytes(text)
    with pytest.raises(usgs_mcs2026.DatasetError, match=r"line 7 \('Atlantis'\)"):
        usgs_mcs2026.clean(usgs_mcs2026.extract(tmp_path / "bad.csv"))


def test_production_table_layout(quirks):
    production = usgs_mcs2026.production(quirks)
    assert list(production["country_iso"].fillna("")) == ["MM", "CA", "WLD", ""]
    assert set(production["edition"]) == {"MCS 2026"} and set(production["year"]) == {2024}


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_values_as_printed():
    frame = usgs_mcs2026.clean(usgs_mcs2026.extract(REAL))
    assert len(frame) == 215  # rows of the RARE EARTHS and RARE EARTHS (Heavy) chapters
    production = usgs_mcs2026.production(frame).set_index(["country_iso", "year"])["production_t_reo"]
    assert (
        production[("US", 2024)] == 45500
        and production[("CN", 2024)] == 270000
        and production[("AU", 2024)] == 29000
    )
    imports = frame[(frame["section"] == "Import Sources") & (frame["commodity"] == "Rare Earths")].set_index(
        "country"
    )["value_number"]
    assert (
        imports["China"] == 71
        and imports["Malaysia"] == 13
        and imports["Japan"] == 5
        and imports["Estonia"] == 5
    )
    us_2021 = frame[
        (frame["statistics_detail"] == "Production: Mineral concentrates") & (frame["year_start"] == 2021)
    ]
    assert us_2021["value_number"].tolist() == [42400.0]
    assert frame["value_flag"].value_counts().to_dict() == {
        "zero": 8,
        "not_available": 6,
        "net_exporter": 5,
        "more_than": 4,
    }


PRICES = Path(__file__).parents[2] / "fixtures" / "datasets" / "prices_usgs_mcs2026.csv"


@pytest.fixture(scope="module")
def price_rows():
    return usgs_mcs2026.prices(usgs_mcs2026.clean(usgs_mcs2026.extract(PRICES)))


def test_prices_layout_one_row_per_oxide_and_year(price_rows):
    assert list(price_rows.columns) == [
        "element",
        "form",
        "grade",
        "market",
        "date",
        "value",
        "unit",
        "currency",
        "price_basis",
        "source",
    ]
    rows = list(
        zip(
            price_rows["element"],
            price_rows["date"].dt.strftime("%Y-%m-%d"),
            price_rows["value"],
            strict=True,
        )
    )
    assert rows == [
        ("La", "2024-07-01", 0.85),
        ("Nd", "2024-07-01", 60.0),
        ("NdPr", "2024-07-01", 58.0),
        ("Nd", "2025-07-01", 70.0),
        ("Tb", "2021-07-01", 1250.0),
        ("Er", "2024-07-01", 40.0),
    ]  # the production row, the mischmetal row and the withheld (W) europium price are left out
    assert (
        set(price_rows["form"]) == {"oxide"}
        and set(price_rows["unit"]) == {"USD/kg"}
        and set(price_rows["currency"]) == {"USD"}
    )
    assert set(price_rows["source"]) == {"usgs_mcs2026"}


def test_prices_grade_market_and_estimates_as_printed(price_rows):
    by = price_rows.set_index(["element", "date"])
    nd_2025 = by.loc[("Nd", pd.Timestamp("2025-07-01"))]
    assert (nd_2025["grade"], nd_2025["price_basis"]) == ("99.5% minimum", "annual average, estimated")
    assert nd_2025["market"] == "FOB (Argus Media group, Argus Non-Ferrous Markets)"
    assert by.loc[("Nd", pd.Timestamp("2024-07-01")), "price_basis"] == "annual average"
    er = by.loc[("Er", pd.Timestamp("2024-07-01"))]
    assert (er["grade"], er["market"]) == (
        "99.5%, minimum",
        "FOB (Argus Media group, Argus Non-Ferrous Markets and Asian Metal Ltd)",
    )
    assert by.loc[("NdPr", pd.Timestamp("2024-07-01")), "grade"] == "99% minimum"


def test_prices_of_the_quirks_fixture_leave_out_the_withheld_price(quirks):
    assert usgs_mcs2026.prices(quirks).empty  # its only price row is "W"


def test_an_unknown_price_material_or_market_names_the_row(tmp_path):
    text = PRICES.read_bytes()
    (tmp_path / "bad.csv").write_bytes(text.replace(b"Lanthanum oxide", b"Unobtainium oxide"))
    with pytest.raises(
        usgs_mcs2026.DatasetError,
        match=r"Unobtainium oxide, 99.5% minimum' \(2024\): 'Unobtainium' is not a rare-earth",
    ):
        usgs_mcs2026.prices(usgs_mcs2026.clean(usgs_mcs2026.extract(tmp_path / "bad.csv")))
    (tmp_path / "bad.csv").write_bytes(
        text.replace(b'2024,40,"Free on board.', b'2024,40,"Delivered Rotterdam.')
    )
    with pytest.raises(
        usgs_mcs2026.DatasetError, match=r"Erbium oxide, 99.5%, minimum' \(2024\): notes 'Delivered Rotterdam"
    ):
        usgs_mcs2026.prices(usgs_mcs2026.clean(usgs_mcs2026.extract(tmp_path / "bad.csv")))


def test_tables_has_production_and_prices(tmp_path):
    (tmp_path / "usgs_mcs").mkdir()
    (tmp_path / usgs_mcs2026.FILE).write_bytes(PRICES.read_bytes())
    tables = usgs_mcs2026.read(SourceInput(tmp_path)).tables
    assert (
        list(tables) == ["production", "prices"] and len(tables["prices"]) == 6 and tables["production"].empty
    )


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_prices_as_printed():
    table = usgs_mcs2026.prices(usgs_mcs2026.clean(usgs_mcs2026.extract(REAL)))
    assert len(table) == 14 * 5  # 14 oxides x 2021-2025; the 5 mischmetal rows are left out
    assert sorted(set(table["element"])) == sorted(
        ["La", "Ce", "Pr", "Nd", "NdPr", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Yb", "Lu"]
    )
    value = table.set_index(["element", "date"])["value"]
    assert (
        value[("Nd", pd.Timestamp("2021-07-01"))] == 98 and value[("Nd", pd.Timestamp("2022-07-01"))] == 134
    )
    assert (
        value[("Nd", pd.Timestamp("2024-07-01"))] == 56 and value[("NdPr", pd.Timestamp("2024-07-01"))] == 55
    )
    assert (
        value[("La", pd.Timestamp("2022-07-01"))] == 1.39
        and value[("Ce", pd.Timestamp("2022-07-01"))] == 1.45
    )
    assert (
        value[("Tb", pd.Timestamp("2021-07-01"))] == 1340 and value[("Dy", pd.Timestamp("2024-07-01"))] == 257
    )
    estimated = table[table["price_basis"] == "annual average, estimated"]
    assert len(estimated) == 14 and set(estimated["date"].dt.year) == {2025}
    assert set(table["market"]) == {
        "FOB (Argus Media group, Argus Non-Ferrous Markets)",
        "FOB (Argus Media group, Argus Non-Ferrous Markets and Asian Metal Ltd)",
    }
