"""UN Comtrade China imports of HS 2846: a team-written folder of year files with the real quirks, and the
real folder where present."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from rare_earths.common import paths, registry
from rare_earths.datasets.sources import comtrade_china_imports

QUIRKS = Path(__file__).parents[2] / "fixtures" / "datasets" / "comtrade_china_hs2846"
REAL = paths.EXTERNAL / "comtrade" / "china_reporter_hs2846"


@pytest.fixture(scope="module")
def quirks():
    return comtrade_china_imports.clean(comtrade_china_imports.extract(QUIRKS))


@pytest.fixture
def copy(tmp_path):
    folder = tmp_path / "hs2846"
    shutil.copytree(QUIRKS, folder)
    return folder


def _edit_record(path: Path, number: int, **changes) -> None:
    response = json.loads(path.read_text(encoding="utf-8"))
    response["data"][number].update(changes)
    path.write_text(json.dumps(response), encoding="utf-8")


def test_extract_reads_every_year_file_with_snake_case_columns():
    frame = comtrade_china_imports.extract(QUIRKS)
    assert len(frame) == 13
    assert sorted(set(frame["file"])) == ["1995.json", "2012.json", "2024.json"]
    assert {
        "ref_year",
        "partner_iso",
        "partner_desc",
        "primary_value",
        "net_wgt",
        "is_qty_estimated",
        "qty_unit_abbr",
    } <= set(frame.columns)
    assert frame.loc[frame["partner_desc"] == "Free Zones", "mos_code"].tolist() == ["0 "]  # kept as it is
    assert frame.groupby("file")["manifest_trade_system"].first().to_dict() == {
        "1995.json": "Special",
        "2012.json": "General",
        "2024.json": "General",
    }


def test_extract_reads_one_year_file_against_the_manifest_of_its_folder():
    frame = comtrade_china_imports.extract(QUIRKS / "2012.json")
    assert set(frame["ref_year"]) == {2012} and len(frame) == 5


def test_clean_codes_partners_and_flows(quirks):
    rows = quirks[["year", "partner_label", "partner", "flow"]].fillna("-").itertuples(index=False, name=None)
    assert list(rows) == [
        (1995, "World", "WLD", "import"),
        (1995, "Belgium-Luxembourg (...1998)", "BE", "import"),
        (1995, "Japan", "JP", "import"),
        (1995, "Other Asia, nes", "-", "import"),
        (2012, "World", "WLD", "import"),
        (2012, "China", "CN", "re-import"),
        (2012, "Czechia", "CZ", "import"),
        (2012, "USA", "US", "import"),
        (2012, "Areas, nes", "-", "import"),
        (2024, "World", "WLD", "import"),
        (2024, "Myanmar", "MM", "import"),
        (2024, "Lao People's Dem. Rep.", "LA", "import"),
        (2024, "Free Zones", "-", "import"),
    ]


def test_clean_takes_the_value_from_primary_value_and_weight_from_net_weight(quirks):
    by = quirks.set_index(["year", "partner_label"])
    assert (
        by.loc[(2024, "Myanmar"), "value_usd"] == 1500000.0
        and by.loc[(2024, "Myanmar"), "quantity_kg"] == 90000.0
    )
    assert by.loc[(2024, "Lao People's Dem. Rep."), "quantity_kg"] == 9990.5
    assert (quirks["value_usd"] == quirks["cif_value_usd"]).all()


def test_clean_flags_missing_and_estimated_weights(quirks):
    flags = quirks.set_index(["year", "partner_label"])["quantity_flag"].fillna("-")
    assert set(flags.loc[1995]) == {"not_reported"}  # unit N/A, qty printed 0, no net weight
    assert quirks.loc[quirks["year"] == 1995, "quantity_kg"].isna().all()
    assert quirks.loc[quirks["year"] == 1995, "qty_as_published"].eq(0.0).all()
    assert flags.loc[(2012, "Czechia")] == "not_reported"  # unit kg, net weight null, marked estimated
    assert flags.loc[(2012, "World")] == "estimated" and flags.loc[(2012, "USA")] == "-"
    assert flags.loc[(2024, "Lao People's Dem. Rep.")] == "estimated" and flags.loc[(2024, "Myanmar")] == "-"


def test_world_check_reports_each_year():
    clean = comtrade_china_imports.clean(comtrade_china_imports.extract(QUIRKS))
    check = comtrade_china_imports.world_check(clean).set_index("year")
    assert check["value_ok"].all() and check["difference_usd"].eq(0).all()
    assert check.loc[2012, "partners_without_kg"] == 1 and check.loc[2012, "partner_sum_kg"] == 1000.0
    assert check.loc[2012, "reimport_usd"] == 2976.0
    assert check.loc[1995, "trade_system"] == "Special"
    clean.loc[(clean["year"] == 2024) & (clean["partner_label"] == "Myanmar"), "value_usd"] += 5
    off = comtrade_china_imports.world_check(clean).set_index("year")
    assert (
        not off.loc[2024, "value_ok"] and off.loc[2024, "difference_usd"] == 5.0 and off.loc[2012, "value_ok"]
    )


def test_trade_layout(quirks):
    trade = comtrade_china_imports.trade(quirks)
    assert tuple(trade.columns) == tuple(registry.field_names("trade"))
    assert set(trade["reporter"]) == {"CN"} and set(trade["product_code"]) == {"2846"}
    assert trade.groupby("year")["classification"].first().to_dict() == {
        1995: "HS1992 4-digit",
        2012: "HS2012 4-digit",
        2024: "HS2022 4-digit",
    }
    assert (
        set(trade["period"]) == {"1995", "2012", "2024"}
        and trade["month"].isna().all()
        and str(trade["month"].dtype) == "Int64"
    )
    assert not trade.duplicated(["reporter", "partner_label", "flow", "product_code", "period"]).any()
    assert set(trade["source"]) == {"comtrade_china_imports"}


def test_malformed_json_names_the_file(copy):
    (copy / "2012.json").write_text('{"count": 1, "data": [', encoding="utf-8")
    with pytest.raises(comtrade_china_imports.DatasetError, match=r"2012\.json: malformed JSON at line 1"):
        comtrade_china_imports.extract(copy)


def test_a_missing_field_names_the_file_and_record(copy):
    response = json.loads((copy / "2024.json").read_text(encoding="utf-8"))
    del response["data"][2]["netWgt"]
    (copy / "2024.json").write_text(json.dumps(response), encoding="utf-8")
    with pytest.raises(
        comtrade_china_imports.DatasetError,
        match=r"2024\.json: record 2 \(partner \"Lao People's Dem\. Rep\.\"\) lacks field\(s\) netWgt",
    ):
        comtrade_china_imports.extract(copy)


def test_a_record_of_another_year_or_flow_is_refused(copy):
    _edit_record(copy / "2012.json", 3, refYear=2013)
    with pytest.raises(
        comtrade_china_imports.DatasetError,
        match=r"2012\.json: record 3 \(partner 'China'\): refYear is 2013, expected 2012",
    ):
        comtrade_china_imports.extract(copy)
    _edit_record(copy / "2012.json", 3, refYear=2012, flowCode="X")
    with pytest.raises(comtrade_china_imports.DatasetError, match=r"flowCode is 'X', expected 'M'"):
        comtrade_china_imports.extract(copy)


def test_the_manifest_must_describe_the_same_query_and_files(copy):
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["dataset"]["commodity_code"] = "2805"
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(
        comtrade_china_imports.DatasetError,
        match=r"manifest\.json: dataset\.commodity_code is '2805', expected '2846'",
    ):
        comtrade_china_imports.extract(copy)
    manifest["dataset"]["commodity_code"] = "2846"
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (copy / "2012.json").unlink()
    with pytest.raises(
        comtrade_china_imports.DatasetError, match=r"listed in manifest\.json are missing: 2012\.json"
    ):
        comtrade_china_imports.extract(copy)


def test_a_file_at_the_preview_ceiling_is_refused(copy):
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["retrieval"]["public_preview_max_records"] = 5
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(
        comtrade_china_imports.DatasetError, match=r"2012\.json: 5 records reach the preview API ceiling of 5"
    ):
        comtrade_china_imports.extract(copy)


def test_an_unknown_partner_code_names_the_file_and_partner(copy):
    _edit_record(copy / "2024.json", 3, partnerISO="XZZ", partnerDesc="Atlantis")
    with pytest.raises(
        comtrade_china_imports.DatasetError,
        match=r"2024\.json: record for partner 'Atlantis': partner ISO code 'XZZ'",
    ):
        comtrade_china_imports.clean(comtrade_china_imports.extract(copy))


@pytest.mark.needs_external
@pytest.mark.skipif(
    not (REAL / "manifest.json").is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`"
)
def test_real_files_values_as_published():
    raw = comtrade_china_imports.extract(REAL)
    assert len(raw) == 726 and raw.groupby("file").size().max() == 34  # far below the preview ceiling of 500
    clean = comtrade_china_imports.clean(raw)
    value = clean.set_index(["year", "partner_label"])["value_usd"]
    weight = clean.set_index(["year", "partner_label"])["quantity_kg"]
    assert value[(1993, "World")] == 1165292 and value[(1995, "China, Hong Kong SAR")] == 28209
    assert value[(2010, "World")] == 36666449 and weight[(2010, "World")] == 4006008
    assert (
        value[(2024, "World")] == 1386613152
        and value[(2024, "Myanmar")] == 817835388
        and weight[(2024, "Myanmar")] == 44365512
    )
    assert value[(2024, "Lao People's Dem. Rep.")] == 259557138 and value[(2024, "Malaysia")] == 206356238
    assert value[(2013, "China")] == 123358928  # re-imports
    assert pd.isna(weight[(2012, "Czechia")]) and value[(2012, "Czechia")] == 24
    assert clean["quantity_flag"].fillna("-").value_counts().to_dict() == {
        "-": 340,
        "estimated": 278,
        "not_reported": 108,
    }
    assert (
        set(clean.loc[clean["partner_label"] == "China", "flow"]) == {"re-import"}
        and (clean["partner_label"] == "China").sum() == 25
    )
    check = comtrade_china_imports.world_check(clean)
    assert len(check) == 32 and check["value_ok"].all()
    trade = comtrade_china_imports.trade(clean)
    assert not trade.duplicated(["reporter", "partner_label", "flow", "product_code", "period"]).any()
    assert trade.groupby("year")["classification"].first()[[1993, 2007, 2024]].tolist() == [
        "HS1992 4-digit",
        "HS2007 4-digit",
        "HS2022 4-digit",
    ]
