"""The inventory reader on small team-written files, and on the real files where present."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from rare_earths.common import paths
from rare_earths.common.errors import RareEarthsError
from rare_earths.common.manifests import load_manifest
from rare_earths.inventory import by_dataset, load_inventory, profile_file, year_of, yearly_coverage


@pytest.mark.parametrize(
    ("cell", "year"),
    [
        (2010, 2010),
        (2010.0, 2010),
        ("2024.01.02", 2024),
        ("1975-01-01 00:00:00", 1975),
        ("May 19, 2026", 2026),
        ("Prod_t_est_2022", 2022),
        ("NA", None),
        (12345, None),
        (True, None),
        (None, None),
        (float("nan"), None),
        ("20100", None),
    ],
)
def test_year_of(cell, year):
    assert year_of(cell) == year


def test_csv_in_windows_1252_with_a_list_of_countries(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes('Country,Year,Value\nCôte d\'Ivoire,2021,"1,000"\nChina,2022,>95\n,,\n'.encode("cp1252"))
    coverage = profile_file(
        path, {"format": "csv", "encoding": "cp1252", "year": "Year", "country": "Country"}
    )
    assert (coverage.rows, sorted(coverage.years), sorted(coverage.countries)) == (
        2,
        [2021, 2022],
        ["China", "Côte d'Ivoire"],
    )


def test_wide_csv_with_a_byte_order_mark_and_padding_columns(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("\ufeffCountry,Prod_t_est_2022,Prod_t_est_2023,,\nChina,1,2,,\n,,,,\n".encode())
    coverage = profile_file(
        path,
        {
            "format": "csv",
            "encoding": "utf-8-sig",
            "year_columns": r"Prod_t_est_(\d{4})",
            "country": "Country",
        },
    )
    assert (coverage.rows, sorted(coverage.years), sorted(coverage.countries)) == (1, [2022, 2023], ["China"])


def test_json_records_path_and_lists_written_as_text(tmp_path):
    path = tmp_path / "j.json"
    path.write_text(
        json.dumps(
            {
                "metals": [
                    {"history": [{"date": "2024.01.02"}, {"date": "2025.03.01"}]},
                    {"history": [{"date": "2026.04.10"}]},
                ]
            }
        )
    )
    coverage = profile_file(
        path, {"format": "json", "records": "metals[].history", "year": "date", "countries": ["China"]}
    )
    assert (coverage.rows, sorted(coverage.years), sorted(coverage.countries)) == (
        3,
        [2024, 2025, 2026],
        ["China"],
    )
    path.write_text(
        json.dumps(
            {
                "items": [
                    {"when": "2011-01-01", "who": "['United States', 'Japan']"},
                    {"when": "2012", "who": ["Japan"]},
                ]
            }
        )
    )
    coverage = profile_file(path, {"format": "json", "records": "items", "year": "when", "country": "who"})
    assert sorted(coverage.countries) == ["Japan", "United States"] and sorted(coverage.years) == [2011, 2012]


def test_xlsx_sheet_with_a_header_row_and_footnote_rows_dropped(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "T8"
    for row in (
        ["TABLE 8"],
        [],
        ["Country", None, 2021, None, 2022],
        ["Australiae", None, 24000, None, 18000],
        ["China3", None, 168000, None, 210000],
        ["1Footnote text."],
    ):
        sheet.append(row)
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    profile = {
        "format": "xlsx",
        "sheet": "T8",
        "header_row": 3,
        "year_columns": r"^(\d{4})$",
        "country": "Country",
        "drop_rows": {"column": "Country", "matching": r"^\d"},
    }
    coverage = profile_file(path, profile)
    assert (coverage.rows, sorted(coverage.years), sorted(coverage.countries)) == (
        2,
        [2021, 2022],
        ["Australiae", "China3"],
    )


def test_documents_have_no_rows(tmp_path):
    (tmp_path / "d.xml").write_text("<a/>")
    assert profile_file(tmp_path / "d.xml", {"format": "document"}).rows is None


def test_unknown_format_is_an_error(tmp_path):
    (tmp_path / "d.bin").write_bytes(b"\0")
    with pytest.raises(RareEarthsError, match="unknown profile format 'parquet'"):
        profile_file(tmp_path / "d.bin", {"format": "parquet"})


def test_yearly_coverage_counts_files_per_series_and_year():
    coverage = pd.DataFrame(
        {"file": ["a/1.json", "a/2.json", "b.csv"], "series": ["a", "a", "b.csv"], "year": [2001, 2001, 2005]}
    )
    frame = yearly_coverage(coverage)
    assert frame.to_dict("records") == [
        {"series": "a", "year": 2001, "files": 2, "year_end": 2002},
        {"series": "b.csv", "year": 2005, "files": 1, "year_end": 2006},
    ]


def test_missing_files_are_listed_not_dropped(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "manifests").mkdir(parents=True)
    (raw / "curated").mkdir()
    (raw / "curated" / "events.csv").write_text(
        "event_id,date,jurisdiction\nE1,2010-09-21,JP\nE2,2025-04-04,CN\n"
    )
    real = load_manifest(paths.EXTERNAL_MANIFEST).source.read_text()
    (raw / "manifests" / "external.yml").write_text(real)
    table, coverage = load_inventory(raw)
    external = table[table.section == "external"]
    assert len(external) == len(load_manifest(paths.EXTERNAL_MANIFEST).entries) and set(external.status) == {
        "missing"
    }
    curated = table[table.section == "curated"].iloc[0]
    assert (curated.rows, curated.first_year, curated.last_year, curated.countries) == (2, 2010, 2025, 2)
    assert by_dataset(table).set_index("dataset").loc["bgs_wms", "not_usable"] == 1
    assert set(coverage.series) == {"curated/events.csv"}


@pytest.mark.needs_external
def test_real_files_as_they_stand():
    table, _ = load_inventory(paths.RAW)
    rows = table.set_index("file")
    assert (rows.status == "present").all()
    assert rows.loc["bgs_wms/BGS_REs_production.csv", ["rows", "first_year", "last_year"]].tolist() == [
        639,
        1975,
        2023,
    ]
    assert rows.loc[
        "usgs_mcs/usgs_mcs2026_commodities_data.csv", ["rows", "first_year", "last_year"]
    ].tolist() == [8886, 2021, 2025]
    assert rows.loc[
        "prices/china_reo_prices_daily_2013-2024_yiyawu.csv", ["rows", "first_year", "last_year"]
    ].tolist() == [2876, 2013, 2024]
    assert (
        rows.loc["events/iea_policies.json", "rows"] == 110
        and rows.loc["usgs_mcs/mcs2024-raree_world-1.csv", "rows"] == 16
    )
    assert rows.loc[
        "usgs_ds140/usgs_ds140_rare_earths_2020.xlsx", ["first_year", "last_year", "years_covered"]
    ].tolist() == [1900, 2020, 121]
