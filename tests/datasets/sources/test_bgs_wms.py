"""BGS World Mineral Statistics rare-earth download: a hand-written file with the real quirks, and the real
file where present."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rare_earths.common import paths, registry
from rare_earths.datasets.sources import DatasetError, bgs_wms

QUIRKS = Path(__file__).parents[2] / "fixtures" / "datasets" / "bgs_wms_quirks.csv"
REAL = paths.EXTERNAL / bgs_wms.FILE


@pytest.fixture(scope="module")
def quirks():
    return bgs_wms.clean(bgs_wms.extract(QUIRKS))


def test_extract_keeps_the_download_layout_as_text():
    frame = bgs_wms.extract(QUIRKS)
    assert len(frame.columns) == 29 and frame.columns[0] == "line"  # 28 BGS columns and the CSV line
    assert {
        "country_iso3_code",
        "bgs_sub_commodity_trans",
        "concat_figure_notes_text",
        "yearbook_table_id",
    } <= set(frame.columns)
    assert frame.loc[0, "year"] == "2010-01-01 00:00:00"
    assert list(frame.loc[[3, 14], "quantity_in_book_style"]) == ["-----", "..."]
    assert frame.loc[14, "quantity"] == "" and frame.loc[14, "line"] == 16


def test_clean_keeps_every_row_with_year_iso_and_flags(quirks):
    assert len(quirks) == 17
    assert quirks["year"].dtype == "int64" and quirks.loc[0, "year"] == 2010
    assert list(quirks.loc[quirks["dissolved"], "country_label"]) == ["Zaire", "Soviet Union"]
    assert list(quirks["country_iso"]) == [
        "CN",
        "CN",
        "AU",
        "AU",
        "AU",
        "MY",
        "MY",
        "MY",
        "TH",
        "TH",
        "US",
        "US",
        "ZR",
        "SU",
        "CA",
        "IN",
        "BI",
    ]
    assert list(quirks["value_flag"].fillna("")) == [
        "estimated",
        "estimated",
        "estimated;zero",
        "fiscal_year;zero",
        "fiscal_year",
        "",
        "",
        "",
        "",
        "",
        "estimated",
        "",
        "",
        "estimated",
        "not_available",
        "fiscal_year",
        "zero",
    ]
    assert list(quirks["quantity"].fillna(-1))[:5] == [118900.0, 120000.0, 0.0, 0.0, 19737.0]
    assert (
        quirks.loc[14, "quantity_as_printed"] == "..."
        and quirks.loc[14, "quantity"] != quirks.loc[14, "quantity"]
    )  # NaN
    assert list(quirks["sub_commodity"].fillna("")[5:12]) == [
        "Xenotime",
        "",
        "Monazite",
        "Xenotime",
        "Monazite",
        "Monazite",
        "Bastnaesite",
    ]
    assert list(quirks["measure"][:4]) == ["REO", "REO content of concentrates", "gross concentrate", "REO"]
    assert set(quirks["edition"]) == {"BGS WMS download (data to 2022)"}  # the fixture's last year


def test_production_picks_one_row_per_country_year(quirks):
    production = bgs_wms.production(quirks)
    assert tuple(production.columns) == tuple(registry.field_names("production"))
    assert not production.duplicated(["source", "edition", "country_label", "year"]).any()
    values = production.set_index(["country_label", "year"])["production_t_reo"]
    assert (
        values[("China", 2010)] == 118900
    )  # the REO-table series, not the 60%-of-concentrates series (120000)
    assert values[("Malaysia", 2010)] == 471  # REO, never 471 + 622 Monazite + 110 Xenotime
    assert ("Thailand", 1980) not in values.index and (
        "Zaire",
        1980,
    ) not in values.index  # concentrate tonnage only
    assert ("USA", 1980) not in values.index  # two REO-content rows by mineral, not summed
    assert values[("Soviet Union", 1990)] == 8500  # a single REO-content row and no REO-table row
    codes = production.set_index(["country_label", "year"])["country_iso"]
    assert (
        pd.isna(codes[("Soviet Union", 1990)]) and codes[("China", 2010)] == "CN"
    )  # SU is not a current ISO 3166-1 code
    flags = production.set_index(["country_label", "year"])["value_flag"]
    assert flags[("Australia", 2019)] == "fiscal_year" and flags[("Australia", 2010)] == "fiscal_year;zero"
    assert flags[("India", 2015)] == "fiscal_year" and flags[("Canada", 2017)] == "not_available"
    basis = production.set_index(["country_label", "year"])["basis"]
    assert basis[("Australia", 2019)].endswith("year ending 30 June of the year shown")
    assert basis[("India", 2015)].endswith("year ending 31 March after the year shown")
    assert "60% of concentrates" in basis[("Soviet Union", 1990)]


def test_selection_records_why_rows_are_left_out(quirks):
    selection = bgs_wms.selection(quirks)
    assert selection["chosen"].sum() == 8
    reasons = dict(zip(selection["line"], selection["reason"], strict=True))
    assert reasons[3] == "not chosen: the REO table has this country-year"  # China 2010, table 119
    assert reasons[10] == reasons[11] == reasons[14] == "left out: gross concentrate tonnage only, not REO"
    assert reasons[12] == "left out: 2 REO-content rows by mineral (Bastnaesite, Monazite), not summed"


def test_non_additive_groups_list_the_multi_row_country_years(quirks):
    groups = bgs_wms.non_additive_groups(quirks)
    assert list(zip(groups["country_label"], groups["year"], groups["rows"], strict=True)) == [
        ("Australia", 2010, 2),
        ("China", 2010, 2),
        ("Malaysia", 2010, 3),
        ("Thailand", 1980, 2),
        ("USA", 1980, 2),
    ]
    malaysia = groups.set_index("country_label").loc["Malaysia"]
    assert malaysia["series"] == (
        "table 736 REO: 471 | table 119 gross concentrate (Monazite): 622 | table 119 gross "
        "concentrate (Xenotime): 110"
    )
    assert malaysia["chosen"] == "table 736 REO: 471"
    assert pd.isna(groups.set_index("country_label").loc["Thailand", "chosen"])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b",ZAR,",
            b",XZZ,",
            r"bgs_wms_bad\.csv line 14: ISO3 code 'XZZ' \('Zaire'\) is not an ISO 3166 code",
        ),
        (
            b"China,,,Estimates.|REO content",
            b"China,,,Estimates.|Nominal output",
            r"line 3: figure note 'Nominal output\. Assumed to be 60% of concentrates produced\.' has no "
            r"rule",
        ),
        (b",19737,Production", b",19 737,Production", r"line 6: quantity '19 737' is not a number"),
        (
            b"2022-01-01 00:00:00",
            b"2022-07-01 00:00:00",
            r"line 18: year '2022-07-01 00:00:00' is not a timestamp of 1 January",
        ),
        (b",IN,A", b",ID,A", r"line 17: ISO3 'IND' is IN but the file's ISO2 column says 'ID'"),
    ],
)
def test_bad_input_names_the_file_and_line(tmp_path, old, new, message):
    text = QUIRKS.read_bytes()
    assert text.count(old) == 1
    (tmp_path / "bgs_wms_bad.csv").write_bytes(text.replace(old, new))
    with pytest.raises(DatasetError, match=message):
        bgs_wms.clean(bgs_wms.extract(tmp_path / "bgs_wms_bad.csv"))


def test_two_reo_rows_for_one_country_year_are_refused(tmp_path):
    lines = QUIRKS.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "twice.csv").write_text("".join([*lines, lines[5]]), encoding="utf-8")  # Australia 2019 again
    with pytest.raises(DatasetError, match=r"lines 6, 19 are two REO-table rows for one country-year"):
        bgs_wms.production(bgs_wms.clean(bgs_wms.extract(tmp_path / "twice.csv")))


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_values_as_printed():
    frame = bgs_wms.clean(bgs_wms.extract(REAL))
    assert len(frame) == 639 and (frame["year"].min(), frame["year"].max()) == (1975, 2023)
    assert set(frame["edition"]) == {bgs_wms.EDITION}
    china = frame[(frame["country_label"] == "China") & frame["year"].isin([2010, 2011])]
    assert sorted(zip(china["year"], china["yearbook_table_id"], china["quantity"], strict=True)) == [
        (2010, "119", 120000.0),
        (2010, "736", 118900.0),
        (2011, "119", 105000.0),
        (2011, "736", 105000.0),
    ]
    malaysia = frame[(frame["country_label"] == "Malaysia") & (frame["year"] == 2010)]
    assert sorted(zip(malaysia["sub_commodity"].fillna("REO"), malaysia["quantity"], strict=True)) == [
        ("Monazite", 622.0),
        ("REO", 471.0),
        ("Xenotime", 110.0),
    ]

    production = bgs_wms.production(frame)
    assert len(production) == 282 and not production.duplicated(["country_label", "year"]).any()
    values = production.set_index(["country_iso", "year"])["production_t_reo"]
    assert (
        values[("CN", 2010)] == 118900 and values[("CN", 2011)] == 105000 and values[("CN", 2012)] == 100000
    )
    assert values[("CN", 2023)] == 255000 and values[("MM", 2023)] == 72000 and values[("AU", 2019)] == 19737
    assert values[("US", 2021)] == 25440 and values[("US", 2012)] == 1800 and values[("MY", 2010)] == 471
    flags = production.set_index(["country_iso", "year"])["value_flag"]
    assert (
        flags[("US", 2021)] == "estimated"
        and flags[("AU", 2011)] == "fiscal_year"
        and flags[("IN", 2023)] == "estimated;fiscal_year"
    )
    assert (
        production.loc[production["country_iso"] == "AU", "value_flag"].str.contains("fiscal_year").sum()
        == 15
    )  # 2009-2023

    groups = bgs_wms.non_additive_groups(frame)
    assert len(groups) == 176
    assert (
        groups.set_index(["country_label", "year"]).loc[("China", 2010), "chosen"] == "table 736 REO: 118900"
    )
