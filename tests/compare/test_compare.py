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
    assert share.loc[2024, "share_pct"] == 70.0 and share.loc[2024, "value_usd_total"] == 100.0
    assert 2023 not in share.index, "a year with no imports has no share"


def _figures(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(compare.FIGURE_COLUMNS))


def test_best_import_figure_prefers_scope_full_year_official_and_exact():
    figures = _figures(
        [
            ("JP", 2010, 90.0, "news-a", "para 6; lower bound 'more than 90%'", "Argus Media data"),
            ("JP", 2010, 81.6, "summary-b", "para 3", "Japan MoF trade statistics"),
            ("JP", 2012, 49.3, "xinhua-c", "para 2; MONTHLY figure for June 2012 only", ""),
            (
                "JP",
                2012,
                70.0,
                "analysis-d",
                "para 3; DIFFERENT SCOPE: incl. permanent magnets",
                "UN Comtrade",
            ),
            ("JP", 2014, 60.0, "news-e", "para 1", ""),
            ("JP", 2014, 59.6, "summary-b", "para 5", "Japan MoF trade statistics"),
        ]
    )
    best = compare.import_shares(figures).set_index("year")
    assert (
        best.loc[2010, "share_pct"] == 81.6
        and best.loc[2010, "figures"] == 2
        and best.loc[2010, "highest"] == 90.0
    )
    assert 2012 not in best.index, "only a month and another scope: no best figure"
    assert best.loc[2014, "source_id"] == "summary-b", "official before unattributed"


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


def test_price_series_per_kilogram_with_the_2011_peaks():
    prices = pd.DataFrame(
        {
            "element": ["Nd", "Nd", "Ce"],
            "date": pd.to_datetime(["2020-01-02", "2024-07-01", "2020-01-02"]),
            "value": [400_000.0, 60.0, 1.0],
            "unit": ["CNY/t", "USD/kg", "USD/kg"],
            "currency": ["CNY", "USD", "USD"],
            "source": ["prices_yiyawu", "usgs_mcs2026", "prices_komis"],
        }
    )
    indicators = pd.DataFrame(
        {
            "indicator": ["price_peak_2011_dysprosium_oxide", "price_2011_neodymium_oxide"],
            "year": [2011, 2011],
            "value": [2377.0, 260.0],
            "unit": ["USD_per_kg", "USD_per_kg"],
            "source_id": ["blog-x", "news-y"],
        }
    )
    series = compare.price_series(prices, indicators, ("Nd", "Dy"))
    assert sorted(series["value_per_kg"]) == [60.0, 400.0, 2377.0]
    assert series.loc[series["element"] == "Dy", "series"].item().startswith("2011 peak")
    with pytest.raises(RareEarthsError, match="per-kilogram factor"):
        compare.price_series(prices.assign(unit="EUR/lb"), indicators, ("Nd",))


def test_control_events_must_name_measures_of_the_record():
    events = pd.DataFrame(
        {"event_id": ["M-CN-2025-01", "M-CN-2025-02"], "date": pd.to_datetime(["2025-04-04", "2025-10-09"])}
    )
    assert list(compare.control_events(events, ["M-CN-2025-01"])["event_id"]) == ["M-CN-2025-01"]
    with pytest.raises(RareEarthsError, match=r"\['CN-2025-02'\] are not measure_ids"):
        compare.control_events(events, ["CN-2025-02"])


def test_the_best_figure_follows_the_coded_basis_not_the_wording():
    rows = [
        (
            "JP",
            2023,
            44.0,
            "analysis",
            "raw materials alone",
            "",
            "",
            "value",
            "raw_materials_only",
            "industry_or_analyst_estimate",
            "data_year",
        ),
        (
            "JP",
            2023,
            68.0,
            "analysis",
            "incl. magnets",
            "",
            "",
            "value",
            "including_magnets",
            "industry_or_analyst_estimate",
            "data_year",
        ),
        (
            "JP",
            2022,
            66.7,
            "argus",
            "page of 3 Jan 2023",
            "",
            "",
            "weight",
            "all_rare_earths",
            "official_via_secondary",
            "publication_year",
        ),
        (
            "JP",
            2020,
            60.0,
            "news",
            "para 2",
            "",
            "",
            "unknown",
            "all_rare_earths",
            "unattributed",
            "data_year",
        ),
        (
            "JP",
            2020,
            58.0,
            "customs",
            "para 1",
            "",
            "",
            "weight",
            "all_rare_earths",
            "official_statistics",
            "data_year",
        ),
        (
            "JP",
            2024,
            79.6,
            "metal",
            "Jan-Jun",
            "",
            "2024-H1",
            "weight",
            "all_rare_earths",
            "official_via_secondary",
            "data_year",
        ),
    ]
    figures = pd.DataFrame(rows, columns=[*compare.FIGURE_COLUMNS, *compare.BASIS_COLUMNS])
    best = compare.import_shares(figures).set_index("year")
    assert list(best.index) == [2020], (
        "other scopes, publication years and part-year figures are never a year's figure"
    )
    assert best.loc[2020, "share_pct"] == 58.0 and "official_statistics" in best.loc[2020, "rank_note"]
    ranked = compare.rank_import_figures(figures)
    assert ranked[ranked["year"] == 2023]["same_scope"].tolist() == [False, False]
