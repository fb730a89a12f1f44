"""UN Comtrade China monthly exports (processed table): team-written files with the real quirks, and the real
files where present."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fixture_edits import edited_copy

from rare_earths.common import paths, registry
from rare_earths.datasets.sources import comtrade_china_exports

FIXTURES = Path(__file__).parents[2] / "fixtures" / "datasets"
QUIRKS = FIXTURES / "comtrade_china_exports_monthly_stats.csv"
HS_MAP = FIXTURES / "comtrade_china_exports_hs_map.csv"
REAL = paths.EXTERNAL / "comtrade" / "china_exports_monthly" / "country_monthly_stats.csv"
REAL_HS_MAP = REAL.parent / "hs_map.csv"
RARE_EARTH_CODES = "28053000+28469010+85051110"


@pytest.fixture(scope="module")
def quirks():
    return comtrade_china_exports.clean(comtrade_china_exports.extract(QUIRKS))


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    return edited_copy(QUIRKS, tmp_path / "stats.csv", old, new)


def test_extract_keeps_text_and_snake_case_columns():
    frame = comtrade_china_exports.extract(QUIRKS)
    assert list(frame.columns) == ["period_dt", "val", "qty", "uv", "hhi", "broad_group", "partner_name"]
    assert frame.loc[5, "uv"] == "inf" and frame.loc[5, "qty"] == "0.0"


def test_clean_keeps_every_group_with_periods_and_iso_partners(quirks):
    assert len(quirks) == 8
    assert set(quirks["broad_group"]) == {"Rare Earths", "Graphite", "Polysilicon", "Gallium/Germanium"}
    japan = quirks[(quirks["broad_group"] == "Rare Earths") & (quirks["partner_name"] == "Japan")]
    assert japan[["period", "year", "month"]].astype(str).values.tolist() == [
        ["2017-01", "2017", "1"],
        ["2017-02", "2017", "2"],
        ["2018-01", "2018", "1"],
    ]
    assert dict(zip(quirks["partner_name"], quirks["partner"], strict=True)) == {
        "Hong Kong": "HK",
        "South Korea": "KR",
        "Japan": "JP",
        "Germany": "DE",
        "USA": "US",
    }
    assert str(quirks["month"].dtype) == "Int64"


def test_clean_flags_the_inferred_unit_the_2017_quantities_and_zero_quantities(quirks):
    by = quirks.set_index(["broad_group", "partner_name", "period"])
    assert by.loc[("Rare Earths", "Japan", "2018-01"), "quantity_flag"] == "unit_inferred_kg"
    assert by.loc[("Rare Earths", "Japan", "2018-01"), "quantity_kg"] == 1200000.0
    assert by.loc[("Rare Earths", "Japan", "2017-01"), "quantity_flag"] == "incomplete;unit_inferred_kg"
    assert by.loc[("Rare Earths", "Japan", "2017-01"), "quantity_kg"] == 160000.25  # kept, flagged
    assert by.loc[("Graphite", "South Korea", "2017-01"), "quantity_flag"] == "incomplete;unit_inferred_kg"
    zero = by.loc[("Polysilicon", "Japan", "2017-01")]
    assert (
        pd.isna(zero["quantity_kg"])
        and zero["qty_as_published"] == 0.0
        and zero["quantity_flag"] == "incomplete;not_reported"
    )
    assert pd.isna(zero["unit_value_usd_per_kg"]) and zero["value_usd"] == 1700000.0


def test_annual_quantities_shows_the_2017_gap(quirks):
    annual = comtrade_china_exports.annual_quantities(quirks).set_index(
        ["broad_group", "partner_name", "year"]
    )
    japan_2017 = annual.loc[("Rare Earths", "Japan", 2017)]
    assert (
        japan_2017["months"] == 2
        and japan_2017["quantity_kg"] == 310000.375
        and japan_2017["incomplete_quantities"]
    )
    assert annual.loc[("Polysilicon", "Japan", 2017), "months_without_quantity"] == 1
    assert not annual.loc[("Rare Earths", "Japan", 2018), "incomplete_quantities"]


def test_group_codes_from_hs_map():
    codes = comtrade_china_exports.group_codes(comtrade_china_exports.extract_hs_map(HS_MAP))
    assert codes == {
        "Gallium/Germanium": "81129210+28256000",
        "Graphite": "25041010",
        "Polysilicon": "28046100",
        "Rare Earths": RARE_EARTH_CODES,
    }


def test_trade_has_the_rare_earths_group_only(quirks):
    trade = comtrade_china_exports.trade(quirks, comtrade_china_exports.extract_hs_map(HS_MAP))
    assert tuple(trade.columns) == tuple(registry.field_names("trade"))
    assert len(trade) == 5 and set(trade["product_code"]) == {RARE_EARTH_CODES}
    assert set(trade["classification"]) == {"China 8-digit group (hs_map.csv)"}
    assert (
        set(trade["flow"]) == {"export"}
        and set(trade["reporter"]) == {"CN"}
        and set(trade["source"]) == {"comtrade_china_exports"}
    )
    assert trade["value_usd"].sum() == 151000000.0
    assert not trade.duplicated(["reporter", "partner_label", "flow", "product_code", "period"]).any()


def test_an_unknown_partner_names_the_line(tmp_path):
    path = _mutated(tmp_path, "Rare Earths,USA", "Rare Earths,Atlantis")
    with pytest.raises(
        comtrade_china_exports.DatasetError,
        match=r"stats\.csv: line 6: partner_name 'Atlantis' has no ISO code",
    ):
        comtrade_china_exports.clean(comtrade_china_exports.extract(path))


def test_a_bad_period_or_number_or_shifted_unit_value_names_the_line(tmp_path):
    path = _mutated(tmp_path, "2018-01-01,24000000.0", "2018-01-15,24000000.0")
    with pytest.raises(
        comtrade_china_exports.DatasetError,
        match=r"line 5: period_dt '2018-01-15' is not the first day of a month",
    ):
        comtrade_china_exports.clean(comtrade_china_exports.extract(path))
    path = _mutated(tmp_path, "24000000.0,1200000.0", "24000000.0,n/a")
    with pytest.raises(comtrade_china_exports.DatasetError, match=r"line 5: qty 'n/a' is not a number"):
        comtrade_china_exports.clean(comtrade_china_exports.extract(path))
    path = _mutated(tmp_path, "1200000.0,20.0", "1200000.0,21.0")
    with pytest.raises(comtrade_china_exports.DatasetError, match=r"line 5: uv 21\.0 is not val/qty"):
        comtrade_china_exports.clean(comtrade_china_exports.extract(path))


def test_a_repeated_month_or_unknown_group_is_refused(tmp_path):
    path = _mutated(tmp_path, "2017-02-01,18000000.0", "2017-01-01,18000000.0")
    with pytest.raises(comtrade_china_exports.DatasetError, match=r"more than once \(lines 3, 4\)"):
        comtrade_china_exports.clean(comtrade_china_exports.extract(path))
    path = _mutated(tmp_path, "Graphite,South Korea", "Lithium,South Korea")
    with pytest.raises(comtrade_china_exports.DatasetError, match=r"line 2: broad_group 'Lithium'"):
        comtrade_china_exports.clean(comtrade_china_exports.extract(path))


def test_a_bad_hs_map_line_is_named(tmp_path):
    path = tmp_path / "hs_map.csv"
    path.write_text(HS_MAP.read_text(encoding="utf-8").replace("28469010,", "2846.90,"), encoding="utf-8")
    with pytest.raises(
        comtrade_china_exports.DatasetError,
        match=r"hs_map\.csv: line 7: code '2846\.90' is not an 8-digit code",
    ):
        comtrade_china_exports.group_codes(comtrade_china_exports.extract_hs_map(path))


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_values_as_published():
    clean = comtrade_china_exports.clean(comtrade_china_exports.extract(REAL))
    assert len(clean) == 2885  # PROVENANCE says 2,884
    assert (clean["period"].min(), clean["period"].max()) == ("2017-01", "2024-12")
    by = clean.set_index(["broad_group", "partner_name", "period"])
    assert by.loc[("Rare Earths", "Japan", "2017-01"), ["value_usd", "quantity_kg"]].tolist() == [
        20845129.0,
        172254.064,
    ]
    assert by.loc[("Rare Earths", "Japan", "2018-01"), ["value_usd", "quantity_kg"]].tolist() == [
        24797553.0,
        1339509.0,
    ]
    assert by.loc[("Rare Earths", "Japan", "2024-12"), ["value_usd", "quantity_kg"]].tolist() == [
        32140400.0,
        1364216.0,
    ]
    assert by.loc[("Rare Earths", "USA", "2018-03"), "value_usd"] == 22283218.0
    assert by.loc[("Rare Earths", "USA", "2024-12"), "quantity_kg"] == 2407081.503
    assert by.loc[("Graphite", "South Korea", "2017-01"), "value_usd"] == 9328564.0
    assert by.loc[("Polysilicon", "Japan", "2017-01"), "qty_as_published"] == 0.0
    flags = clean["quantity_flag"].value_counts().to_dict()
    assert flags == {
        "unit_inferred_kg": 2541,
        "incomplete;unit_inferred_kg": 256,
        "incomplete;not_reported": 88,
    }
    assert set(clean.loc[clean["quantity_flag"].str.contains("not_reported"), "year"]) == {2017}
    annual = comtrade_china_exports.annual_quantities(clean).set_index(
        ["broad_group", "partner_name", "year"]
    )["quantity_kg"]
    assert (
        round(annual[("Rare Earths", "Japan", 2017)]) == 2187049
        and round(annual[("Rare Earths", "Japan", 2018)]) == 20318551
    )
    rare = annual.loc["Rare Earths"].unstack("year")
    assert (
        rare[2018] / rare[2017] > 1.5
    ).all()  # every partner's 2017 quantity is well below its 2018 quantity
    trade = comtrade_china_exports.trade(clean, comtrade_china_exports.extract_hs_map(REAL_HS_MAP))
    assert len(trade) == 768 and set(trade["product_code"]) == {RARE_EARTH_CODES}
    assert set(trade["partner"]) == {"JP", "US", "DE", "IT", "KR", "VN", "TH", "TW"}
