"""The magnet flows, the MCS 2022/2023 world tables and the MCS salient prices, on team-written files with
the real layouts and quirks."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from rare_earths.common.errors import DatasetError
from rare_earths.datasets.sources import SourceInput, baci_magnets, usgs_mcs_salient, usgs_mcs_vintages


@pytest.fixture
def magnet_folder(tmp_path):
    folder = tmp_path / baci_magnets.FOLDER
    folder.mkdir()
    (folder / baci_magnets.CODES).write_text(
        "country_code,country_name,country_iso2,country_iso3\n"
        "156,China,CN,CHN\n392,Japan,JP,JPN\n276,Germany,DE,DEU\n251,France,FR,FRA\n"
        '516,Namibia,,NAM\n490,"Other Asia, nes",,S19\n842,USA,US,USA\n',
        encoding="utf-8",
    )
    for year in baci_magnets.FLOW_YEARS:
        flows = [
            {"from": "CN", "to": "JP", "value": 30},
            {"from": "CS", "to": "DE", "value": 5},  # a retired code keeps its label only
            {"from": "CN", "to": "KR", "value": 99},  # an importer outside the study
        ]
        content = {
            "year": year,
            "source": "BACI HS17",
            "names": {"CN": "China", "CS": "Serbia and Montenegro"},
        }
        content["materials"] = {"magnets": flows, "gallium": [{"from": "CN", "to": "JP", "value": 1}]}
        (folder / f"flows_{year}.json").write_text(json.dumps(content), encoding="utf-8")
    for year in baci_magnets.FULL_YEARS:
        (folder / f"baci_{year}.csv").write_text(
            "i,j,cmd,value\nCHN,JPN,850511,30.0\nNAM,DEU,850511,2.0\nS19,USA,850511,4.0\nCHN,JPN,280429,7.0\n",
            encoding="utf-8",
        )
        rows = (
            "reporter,partner,cmd,flow,value,netwgt\n392,0,850511,M,100,10\n392,156,850511,M,30,3\n"
            "276,156,850511,M,10,1\n276,156,850511,M,15,2\n276,0,850511,M,25,3\n392,156,850511,X,5,1\n"
        )
        with gzip.open(folder / f"comtrade_{year}.csv.gz", "wt", encoding="utf-8") as handle:
            handle.write(rows)
    return tmp_path


def test_magnet_flows_keep_the_study_importers_and_label_areas_without_codes(magnet_folder):
    output = baci_magnets.read(SourceInput(magnet_folder))
    trade = output.tables["trade"]
    assert set(trade["reporter"]) == {"JP", "DE", "US"}, "Korea is outside the study"
    assert set(trade["product_code"]) == {"850511"} and set(trade["flow"]) == {"import"}
    retired = trade[(trade["source"] == "baci_magnets") & (trade["reporter"] == "DE")]
    assert retired["partner"].isna().all() and set(retired["partner_label"]) == {"Serbia and Montenegro"}
    full = trade[(trade["source"] == "baci_magnets_full") & (trade["year"] == 2024)].set_index(
        "partner_label"
    )
    assert full.loc["Namibia", "partner"] == "NA", "ISO2 from pycountry where the table leaves it empty"
    assert pd.isna(full.loc["Other Asia, nes", "partner"])
    declared = trade[
        (trade["source"] == "comtrade_magnets") & (trade["reporter"] == "DE") & (trade["year"] == 2024)
    ]
    assert declared.set_index("partner_label").loc["China", "value_usd"] == 25.0, (
        "a reporter's unlabelled breakdown rows are summed per partner"
    )
    selection = output.checks["selection"]
    assert selection.loc[selection["source"] == "baci_magnets", "rows"].iloc[0] == 3


def test_a_flows_file_for_another_year_is_refused(magnet_folder):
    path = magnet_folder / baci_magnets.FOLDER / "flows_2010.json"
    content = json.loads(path.read_text())
    path.write_text(json.dumps({**content, "year": 2011}))
    with pytest.raises(DatasetError, match=r"flows_2010\.json: says year 2011"):
        baci_magnets.read(SourceInput(magnet_folder))


def test_mcs_2022_world_table_flags_estimates_and_keeps_the_world_total(tmp_path):
    vintage = usgs_mcs_vintages.VINTAGES[0]
    path = tmp_path / "world.csv"
    kind = f'"{vintage.type} "'
    path.write_text(
        "\ufeffSource,Country,Type,Prod_t_2020,Prod_t_Est_2021\n"
        f"MCS2022,China,{kind},140000,168000\nMCS2022,Other countries,{kind},100,300\n"
        f'MCS2022,World total (rounded),{kind},"240,000",280000\n',
        encoding="utf-8",
    )
    rows = usgs_mcs_vintages.production(path, vintage).set_index(["country_label", "year"])
    assert rows.loc[("China", 2021), "value_flag"] == "estimated" and pd.isna(
        rows.loc[("China", 2020), "value_flag"]
    )
    assert rows.loc[("World total (rounded)", 2020), "country_iso"] == "WLD"
    assert rows.loc[("World total (rounded)", 2020), "production_t_reo"] == 240000.0
    assert pd.isna(rows.loc[("Other countries", 2021), "country_iso"])
    assert set(rows["edition"]) == {"MCS 2022"}


def test_a_row_of_another_type_is_refused_with_its_line(tmp_path):
    vintage = usgs_mcs_vintages.VINTAGES[1]
    path = tmp_path / "world.csv"
    path.write_text(
        f'Source,Country,Type,Prod_t_2021\nMCS2023,China,"{vintage.type}",1\nMCS2023,Brazil,reserves,2\n',
        encoding="utf-8",
    )
    with pytest.raises(DatasetError, match="line 3: Type 'reserves'"):
        usgs_mcs_vintages.production(path, vintage)


def test_salient_prices_keep_each_edition_and_leave_mischmetal_out(tmp_path):
    path = tmp_path / "salient.csv"
    path.write_text(
        "\ufeffDataSource,Commodity,Year,Price_CeO2_dkg,Price_Mischmetal_dkg,Price_Nd2O3_dkg,Price_TbO2_dkg\n"
        'MCS2024,Rare Earths,2021,2,6,98,"1,346"\nMCS2024,Rare Earths,2022,1,7,NA,2051\n',
        encoding="utf-8",
    )
    frame, unused = usgs_mcs_salient.prices(path, 2024, "salient.csv")
    values = frame.set_index(["element", frame["date"].dt.year])["value"]
    assert values[("Tb", 2021)] == 1346.0 and values[("Nd", 2021)] == 98.0
    assert ("Nd", 2022) not in values.index, "NA has no number to plot"
    assert set(frame["source"]) == {"usgs_mcs2024_salient"} and "Price_Mischmetal_dkg" in unused
    path.write_text("DataSource,Year,Price_CeO2_dkg\nMCS2024,2021,cheap\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="line 2, column Price_CeO2_dkg"):
        usgs_mcs_salient.prices(path, 2024, "salient.csv")
