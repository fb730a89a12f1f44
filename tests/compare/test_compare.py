"""Dependence and concentration measures on small hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from rare_earths import compare
from rare_earths.common import registry
from rare_earths.common.errors import RareEarthsError


def test_herfindahl_hirschman_index():
    assert compare.herfindahl_hirschman(pd.Series([100.0])) == 10_000
    assert compare.herfindahl_hirschman(pd.Series([50.0, 50.0])) == 5_000
    assert compare.herfindahl_hirschman(pd.Series([70.0, 20.0, 10.0])) == 4_900 + 400 + 100


def _production(rows) -> pd.DataFrame:
    columns = registry.field_names("production")
    return pd.DataFrame([(*r[:4], None, *r[4:], "mine production") for r in rows], columns=columns)


PRODUCTION = _production(
    [
        # 2020: MYB prints a world total; BGS lists three producers with other figures
        ("CN", "China", 2020, 140.0, "usgs_myb2022", "MYB 2022"),
        ("US", "United States", 2020, 40.0, "usgs_myb2022", "MYB 2022"),
        ("WLD", "Total", 2020, 200.0, "usgs_myb2022", "MYB 2022"),
        ("CN", "China", 2020, 150.0, "bgs_wms", "BGS"),
        ("US", "United States", 2020, 25.0, "bgs_wms", "BGS"),
        ("AU", "Australia", 2020, 25.0, "bgs_wms", "BGS"),
        # 2021: MYB and a later MCS edition both cover it
        ("CN", "China", 2021, 160.0, "usgs_myb2022", "MYB 2022"),
        ("WLD", "Total", 2021, 200.0, "usgs_myb2022", "MYB 2022"),
        ("CN", "China", 2021, 180.0, "usgs_mcs2026", "MCS 2026"),
        ("AU", "Australia", 2021, 15.0, "usgs_mcs2026", "MCS 2026"),
        (None, "Other countries", 2021, 5.0, "usgs_mcs2026", "MCS 2026"),
        # 2019: only DS140 (world, no China) and a BGS sum far below it
        ("WLD", "World", 2019, 1000.0, "usgs_ds140", "DS140 2020"),
        ("CN", "China", 2019, 100.0, "bgs_wms", "BGS"),
    ]
)


def test_production_shares_use_one_publication_per_year_chosen_by_the_policy():
    latest = compare.production_shares(PRODUCTION, "latest")
    china = compare.china_share_of_production(latest).set_index("year")
    assert china.loc[2020, "share_pct"] == 70.0 and china.loc[2020, "edition"] == "MYB 2022", (
        "USGS before BGS; MYB's own world total"
    )
    assert (
        china.loc[2021, "share_pct"] == 90.0
        and china.loc[2021, "world_basis"] == "sum of every producer listed"
    ), "MCS 2026 is later than MYB"
    assert 2019 not in china.index, "a BGS sum below 90% of the printed world total is not a world total"
    first = compare.china_share_of_production(compare.production_shares(PRODUCTION, "first")).set_index(
        "year"
    )
    assert first.loc[2021, "share_pct"] == 80.0 and first.loc[2021, "edition"] == "MYB 2022"
    with pytest.raises(RareEarthsError, match="edition policy"):
        compare.production_shares(PRODUCTION, "newest")


def test_concentration_leaves_residual_rows_out_of_the_squares():
    hhi = compare.concentration(compare.production_shares(PRODUCTION, "latest")).set_index("year")
    assert hhi.loc[2020, "hhi"] == 70.0**2 + 20.0**2 and hhi.loc[2020, "producers"] == 2
    assert hhi.loc[2021, "hhi"] == round(90.0**2 + 7.5**2) and hhi.loc[2021, "unattributed_pct"] == 2.5


def _trade(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "product_code", "partner", "period", "year", "value_usd"])


def test_us_import_share_uses_full_years_of_the_proxy_headings_only():
    trade = _trade(
        [
            ("usitc_dataweb", "2846", "CN", "2024", 2024, 60.0),
            ("usitc_dataweb", "2846", "AU", "2024", 2024, 30.0),
            ("usitc_dataweb", "2805", "CN", "2024", 2024, 10.0),
            ("usitc_dataweb", "8505", "CN", "2024", 2024, 900.0),
            ("usitc_dataweb", "2846", "CN", "2024-01..04", 2024, 1000.0),
            ("comtrade_china_imports", "2846", "CN", "2024", 2024, 5.0),
            ("usitc_dataweb", "2846", "AU", "2023", 2023, 0.0),
        ]
    )
    share = compare.us_import_share(trade).set_index("year")
    assert share.loc[2024, "share_pct"] == 66.67 and share.loc[2024, "value_usd_total"] == 90.0, (
        "HTS 2846 only: 2805 also holds alkali and alkaline-earth metals"
    )
    assert 2023 not in share.index, "a year with no imports has no share"


ARE, OVS, DY = "all_rare_earths", "official_via_secondary", "data_year"
BASES = pd.DataFrame(
    [
        (
            "JP",
            "china_share_of_imports",
            "weight",
            ARE,
            "all_partners",
            "official_statistics;official_via_secondary",
            "customs by weight",
        ),
        (
            "US",
            "china_share_of_imports",
            "value",
            "compounds_only",
            "selected_partners",
            "computed",
            "HTS 2846",
        ),
    ],
    columns=["jurisdiction", "indicator", "measure", "scope", "denominator", "source_types", "label"],
)


def _figures(rows) -> pd.DataFrame:
    """Hand-built figures: (jurisdiction, year, share, source_id, measure, scope, source_type, period,
    year basis)."""
    frame = pd.DataFrame(
        [
            {
                "jurisdiction": j,
                "year": y,
                "share_pct": v,
                "source_id": sid,
                "locator": "para 1",
                "edition": "",
                "measure": m,
                "scope": sc,
                "denominator": "all_partners",
                "source_type": st,
                "period": per,
                "figure_year_basis": fy,
            }
            for j, y, v, sid, m, sc, st, per, fy in rows
        ]
    )
    return frame.assign(
        basis=[compare.basis_label(r) for r in frame.to_dict("records")],
        on_default_basis=compare.on_default_basis(frame, BASES),
    )


# Japan: a customs series by weight with a gap, and lower figures on other bases in the gap years.
MIXED = _figures(
    [
        ("JP", 2009, 85.5, "mof", "weight", ARE, OVS, "", DY),
        ("JP", 2011, 68.4, "mof", "weight", ARE, OVS, "", DY),
        ("JP", 2014, 59.6, "mof", "weight", ARE, OVS, "", DY),
        (
            "JP",
            2023,
            44.0,
            "analysis",
            "unknown",
            "raw_materials_only",
            "industry_or_analyst_estimate",
            "",
            DY,
        ),
        ("JP", 2018, 50.0, "news", "weight", "unknown", "unattributed", "", DY),
        ("JP", 2012, 49.3, "nikkei", "weight", ARE, OVS, "2012-H1", DY),
        ("JP", 2022, 52.0, "argus", "weight", ARE, OVS, "", "publication_year"),
        ("JP", 2024, 71.9, "jogmec", "weight", ARE, OVS, "", DY),
        ("JP", 2024, 60.0, "minister", "unknown", ARE, "unattributed", "", "publication_year"),
    ]
)


def test_lowest_since_never_crosses_bases():
    best = compare.import_shares(MIXED, BASES)
    assert best["year"].tolist() == [2009, 2011, 2014, 2024], (
        "another scope, measure, part year or publication year never enters the series"
    )
    result = compare.achievements(best, {"S1": "2010-07-08"}, ["JP"]).set_index("jurisdiction")
    assert (result.loc["JP", "lowest_pct"], result.loc["JP", "lowest_year"]) == (59.6, 2014), (
        "the 44%, 49.3%, 50% and 52% on other bases are lower but are not the series' lowest"
    )
    assert (result.loc["JP", "latest_pct"], result.loc["JP", "before_pct"]) == (71.9, 85.5)
    assert result.loc["JP", "basis"] == "customs by weight"
    counted = best.set_index("year")
    assert counted.loc[2024, "figures"] == 2 and counted.loc[2024, "lowest"] == 60.0


def test_series_gaps_list_every_year_without_a_default_figure():
    best = compare.import_shares(MIXED, BASES)
    gaps = compare.series_gaps(best, MIXED, ["JP", "EU"], (2009, 2014)).set_index(["jurisdiction", "year"])
    assert sorted(gaps.loc["JP"].index) == [2010, 2012, 2013]
    assert gaps.loc[("JP", 2012), "figures_on_other_bases"] == 1
    assert len(gaps.loc["EU"]) == 6, "a jurisdiction with no figure at all misses every year"


def test_a_second_default_basis_for_one_jurisdiction_is_refused():
    twice = pd.concat([BASES, BASES.iloc[[0]]], ignore_index=True)
    with pytest.raises(RareEarthsError, match="more than one default basis"):
        compare.on_default_basis(MIXED, twice)


def test_source_type_orders_figures_on_the_default_basis():
    figures = _figures(
        [
            ("JP", 2010, 82.0, "news-quoting-mof", "weight", ARE, OVS, "", DY),
            ("JP", 2010, 81.6, "mof-table", "weight", ARE, "official_statistics", "", DY),
            ("JP", 2010, 90.0, "news", "weight", ARE, "unattributed", "", DY),
        ]
    )
    best = compare.import_shares(figures, BASES).set_index("year")
    assert best.loc[2010, "source_id"] == "mof-table" and best.loc[2010, "figures"] == 3
    assert best.loc[2010, "highest"] == 90.0


def test_achievements_before_lowest_and_latest():
    best = pd.DataFrame(
        {
            "jurisdiction": ["JP"] * 4 + ["EU"],
            "year": [2009, 2010, 2014, 2024, 2024],
            "share_pct": [85.0, 82.0, 60.0, 70.0, 86.0],
            "source_id": ["a", "a", "b", "c", "d"],
        }
    )
    result = compare.achievements(best, {"S1": "2010-07-08", "S2": "2025-04-04"}, ["JP", "EU"])
    assert list(zip(result["episode"], result["jurisdiction"], strict=True)) == [
        ("S1", "JP"),
        ("S1", "EU"),
        ("S2", "JP"),
        ("S2", "EU"),
    ], "every jurisdiction is measured from every episode"
    result = result.set_index(["episode", "jurisdiction"])
    jp = result.loc[("S1", "JP")]
    assert (
        jp["before_pct"],
        jp["before_year"],
        jp["lowest_pct"],
        jp["lowest_year"],
        jp["years_to_lowest"],
    ) == (85.0, 2009, 60.0, 2014, 4)
    assert (jp["latest_pct"], jp["years_to_latest"], jp["change_pp"], jp["change_relative_pct"]) == (
        70.0,
        14,
        -15.0,
        -17.6,
    )
    eu = result.loc[("S2", "EU")]
    assert eu["before_year"] == 2024 and pd.isna(eu["lowest_pct"]) and pd.isna(eu["change_pp"]), (
        "no figure after the 2025 episode"
    )
    assert pd.isna(result.loc[("S1", "EU"), "before_pct"]), "no EU figure before 2010"


def test_price_series_per_kilogram_with_the_curated_quotes_as_points():
    prices = pd.DataFrame(
        {
            "element": ["Nd", "Nd", "Ce", "Dy"],
            "date": pd.to_datetime(["2020-01-02", "2024-07-01", "2020-01-02", "2025-07-01"]),
            "value": [400_000.0, 60.0, 1.0, 239.0],
            "unit": ["CNY/t", "USD/kg", "USD/kg", "USD/kg"],
            "currency": ["CNY", "USD", "USD", "USD"],
            "source": ["prices_yiyawu", "usgs_mcs2026", "prices_komis", "usgs_mcs2026"],
            "market": ["China", "FOB", "FOB", "FOB"],
            "form": ["oxide"] * 4,
            "price_basis": ["daily", "annual average", "daily", "annual average, estimated"],
        }
    )
    indicators = pd.DataFrame(
        {
            "indicator": [
                "price_peak_2011_cerium_oxide",
                "price_2011q2_dysprosium_oxide",
                "price_yearend_2011_neodymium_oxide",
                "price_dysprosium_oxide_europe",
                "price_dysprosium_oxide_europe",
                "price_increase_2009_2011_reo",
                "price_china_domestic_neodymium_oxide",
            ],
            "geography": ["WLD", "WLD", "WLD", "EU", "EU", "WLD", "CN"],
            "year": [2011, 2011, 2011, 2025, 2025, 2011, 2011],
            "period": ["", "", "", "2025-05", "2025-05", "", ""],
            "value": [118.0, 921.2, 190.0, 700.0, 1000.0, 1100.0, 1_050_000.0],
            "unit": ["USD_per_kg"] * 5 + ["pct", "CNY_per_t"],
            "source_id": ["a", "b", "c", "d", "d", "e", "f"],
        }
    )
    points = compare.curated_prices(indicators).set_index("source_id")
    assert len(points) == 6, "a percentage increase is not a price"
    assert (points.loc["b", "element"], str(points.loc["b", "date"].date()), points.loc["b", "timing"]) == (
        "Dy",
        "2011-05-15",
        "second quarter",
    )
    assert points.loc["c", "timing"] == "year end" and points.loc["a", "timing"] == "peak, date not given"
    assert points.loc["f", "value_per_kg"] == 1050.0 and points.loc["f", "currency"] == "CNY"
    series = compare.price_series(prices, indicators, ("Nd", "Dy"))
    assert sorted(series["value_per_kg"])[:3] == [60.0, 190.0, 239.0]
    premium = compare.price_premium(prices, indicators).set_index(["element", "month"])
    assert premium.loc[("Dy", "2025-05"), ["ratio_low", "ratio_high"]].tolist() == [2.9, 4.2]
    with pytest.raises(RareEarthsError, match="per-kilogram factor"):
        compare.price_series(prices.assign(unit="EUR/lb"), indicators, ("Nd",))


def test_control_events_must_name_measures_of_the_record():
    events = pd.DataFrame(
        {"event_id": ["M-CN-2025-01", "M-CN-2025-02"], "date": pd.to_datetime(["2025-04-04", "2025-10-09"])}
    )
    assert list(compare.control_events(events, ["M-CN-2025-01"])["event_id"]) == ["M-CN-2025-01"]
    with pytest.raises(RareEarthsError, match=r"\['CN-2025-02'\] are not measure_ids"):
        compare.control_events(events, ["CN-2025-02"])
