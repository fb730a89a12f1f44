"""Time to adoption, money and targets on hand-built measures: baseline apart, censoring at the data's end,
equal windows, the milestone choice, constant dollars, target verdicts and the robustness share."""

from __future__ import annotations

import pandas as pd
import pytest

from rare_earths.common.errors import RareEarthsError
from rare_earths.compare import money, targets
from rare_earths.timeline import adoption

EPISODES = adoption.parse_episodes({"S1": "2010-07-08", "S2": "2025-04-04"})


def _measures(rows) -> pd.DataFrame:
    columns = [
        "measure_id",
        "jurisdiction",
        "kind",
        "instrument",
        "stage",
        "actor_type",
        "amount",
        "currency",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(
        title=frame["measure_id"],
        description="",
        amount_kind=frame["amount"].map(lambda a: "" if pd.isna(a) else "grant"),
        amount_rare_earth_only=frame["amount"].map(lambda a: "" if pd.isna(a) else "true"),
        amount_part_of="",
    )


def _milestones(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["measure_id", "step", "date", "alt_dates"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


MEASURES = _measures(
    [
        ("M-JP-1983-01", "JP", "measure", "stockpiling", "stockpile", "national_government", None, ""),
        ("M-JP-2010-01", "JP", "measure", "stockpiling", "stockpile", "state_agency", 100e9, "JPY"),
        ("M-JP-2010-02", "JP", "measure", "recycling", "recycling", "national_government", None, ""),
        ("M-US-2010-01", "US", "measure", "stockpiling", "stockpile", "state_agency", 50e6, "USD"),
        ("M-FR-2011-01", "FR", "measure", "stockpiling", "stockpile", "member_state", None, ""),
        ("M-US-2025-01", "US", "measure", "recycling", "recycling", "national_government", None, ""),
        ("M-US-2012-01", "US", "context", "none", "mining", "private_company", 1e9, "USD"),
        ("M-SE-2011-01", "SE", "measure", "recycling", "recycling", "state_company", None, ""),
    ]
)
MILESTONES = _milestones(
    [
        ("M-JP-1983-01", "adopted", "1983-01-01", ""),
        ("M-JP-2010-01", "announced", "2010-09-01", ""),
        ("M-JP-2010-01", "adopted", "2010-10-08", "2010-11-26"),
        ("M-JP-2010-02", "announced", "2010-12-01", ""),
        ("M-US-2010-01", "funded", "2013-07-08", "2011-07-08"),
        ("M-FR-2011-01", "operational", "2011-07-08", ""),
        ("M-US-2025-01", "adopted", "2025-06-04", ""),
        ("M-US-2012-01", "occurred", "2012-01-01", ""),
        ("M-SE-2011-01", "adopted", "2011-01-08", ""),
        ("M-US-2025-01", "ended", "2026-01-04", ""),
    ]
)


def _table(variant=None, windows=(12, 36)):
    dated = adoption.dated_measures(MEASURES, MILESTONES, variant or adoption.Variant())
    return adoption.adoption(dated, EPISODES, windows, adoption.data_end(MILESTONES)).set_index(
        ["episode", "jurisdiction", "instrument", "window_months"]
    )


def test_the_baseline_is_counted_apart_and_never_as_a_response():
    table = _table()
    cell = table.loc[("S1", "JP", "stockpiling", 12)]
    assert cell["baseline_measures"] == 1 and cell["baseline_ids"] == "M-JP-1983-01"
    assert cell["measure_id"] == "M-JP-2010-01" and cell["months"] == 3.0  # adopted 8 Oct 2010


def test_equal_windows_and_censoring_at_the_end_of_the_data():
    table = _table()
    us = table.loc[("S1", "US", "stockpiling", 12)]
    assert us["state"] == "none" and us["label"] == "none within 12 months"
    assert table.loc[("S1", "US", "stockpiling", 36), "label"] == "36 mo (M-US-2010-01)"
    s2 = table.loc[("S2", "JP", "recycling", 36)]
    assert s2["state"] == "censored" and s2["label"] == "censored at 9.0 months", "the data end 4 Jan 2026"
    assert table.loc[("S2", "US", "recycling", 12), "label"] == "2 mo (M-US-2025-01)"
    assert table.loc[("S2", "US", "recycling", 36), "state"] == "adopted", "adopted inside a censored window"


def test_the_milestone_choice_and_member_states_and_state_companies():
    assert _table().loc[("S1", "JP", "recycling", 12), "state"] == "none", "announced only: not adopted"
    announced = _table(adoption.Variant(steps=("announced",)))
    assert announced.loc[("S1", "JP", "recycling", 12), "label"] == "4.8 mo (M-JP-2010-02)"
    assert announced.loc[("S1", "JP", "stockpiling", 12), "months"] == 1.8, "announced 1 Sep 2010"
    eu = _table().loc[("S1", "EU", "stockpiling", 12)]
    assert eu["label"] == "12 mo (M-FR-2011-01)", "operational only: adopted no later than that"
    assert (
        _table(adoption.Variant(member_states=False)).loc[("S1", "EU", "stockpiling", 36), "state"] == "none"
    )
    assert _table().loc[("S1", "EU", "recycling", 12), "state"] == "none", (
        "state companies are out by default"
    )
    with_companies = _table(adoption.Variant(state_companies=True))
    assert with_companies.loc[("S1", "EU", "recycling", 12), "measure_id"] == "M-SE-2011-01"


def test_alternative_datings():
    earliest = _table(adoption.Variant(dating="earliest"))
    assert earliest.loc[("S1", "US", "stockpiling", 12), "label"] == "12 mo (M-US-2010-01)"
    latest = _table(adoption.Variant(dating="latest"))
    assert latest.loc[("S1", "JP", "stockpiling", 12), "months"] == 4.6, "26 Nov 2010"


def test_curves_count_instruments_adopted_up_to_the_end_of_the_data():
    dated = adoption.dated_measures(MEASURES, MILESTONES)
    curves = adoption.curves(dated, EPISODES, adoption.data_end(MILESTONES)).set_index(
        ["episode", "jurisdiction", "month"]
    )
    assert curves.loc[("S1", "JP", 3), "instruments_adopted"] == 0, "adopted 3.02 months in"
    assert curves.loc[("S1", "JP", 4), "instruments_adopted"] == 1
    assert curves.loc[("S1", "JP", 4), "share_adopted"] == round(1 / 12, 3)
    assert curves.xs(("S2", "US"), level=["episode", "jurisdiction"]).index.max() == 9, (
        "stops at the data's end"
    )


def test_robustness_gives_the_share_of_variants_in_which_a_conclusion_holds():
    robust = adoption.robustness(MEASURES, MILESTONES, EPISODES, (12,)).set_index(
        ["episode", "window_months", "instrument"]
    )
    stock = robust.loc[("S1", 12, "stockpiling")]
    assert stock["first"] == "JP" and stock["variants"] == len(adoption.variants())
    # Only the funded-only variant leaves Japan without a dated stockpile measure within 12 months.
    assert stock["holds_in"] == stock["variants"] - 1 and "funded" in stock["differs_under"]
    assert stock["share_holding"] == round((stock["variants"] - 1) / stock["variants"], 2)


def test_bad_episodes_and_windows_are_refused():
    with pytest.raises(RareEarthsError, match=r"episodes\['S1'\] = '2010-13-01' is not an ISO date"):
        adoption.parse_episodes({"S1": "2010-13-01"})
    with pytest.raises(RareEarthsError, match="positive whole months"):
        adoption.check_windows([12, -3])
    with pytest.raises(RareEarthsError, match="whole months"):
        adoption.check_windows(["a"])


FX = pd.DataFrame({"currency": ["JPY", "JPY"], "year": [2010, 2011], "usd_per_unit": [0.0114, 0.0125]})
DEFLATOR = pd.DataFrame({"year": [2010, 2013, 2024], "index": [90.0, 95.0, 120.0]})
GDP = pd.DataFrame({"geography": ["JP", "US"], "year": [2010, 2013], "gdp_usd": [5.7e12, 16.8e12]})


def test_public_money_in_constant_dollars_and_share_of_gdp():
    dated = adoption.dated_measures(MEASURES, MILESTONES)
    spent = money.committed(dated, FX, DEFLATOR, GDP).set_index("measure_id")
    assert set(spent.index) == {"M-JP-2010-01", "M-US-2010-01"}, "context rows are never public money"
    assert spent.loc["M-JP-2010-01", "usd_2024"] == round(100e9 * 0.0114 * 120 / 90)
    assert spent.loc["M-US-2010-01", "usd_2024"] == round(50e6 * 120 / 95)
    assert spent.loc["M-JP-2010-01", "share_of_gdp"] == pytest.approx(100e9 * 0.0114 / 5.7e12)
    table = money.by_window(spent.reset_index(), EPISODES, (12, 36), adoption.data_end(MILESTONES)).set_index(
        ["episode", "window_months", "jurisdiction"]
    )
    assert table.loc[("S1", 12, "JP"), "usd_2024_millions"] == round(100e9 * 0.0114 * 120 / 90 / 1e6, 1)
    assert table.loc[("S1", 12, "US"), "measures"] == 0 and table.loc[("S1", 36, "US"), "measures"] == 1
    assert "censored" in table.loc[("S2", 36, "US"), "note"]


def test_an_amount_inside_an_envelope_is_never_added():
    measures = MEASURES.copy()
    measures.loc[measures["measure_id"] == "M-US-2010-01", "amount_part_of"] = "M-JP-2010-01"
    dated = adoption.dated_measures(measures, MILESTONES)
    assert "M-US-2010-01" not in set(money.committed(dated, FX, DEFLATOR, GDP)["measure_id"])


TARGETS = pd.DataFrame(
    {
        "target_id": ["T-1", "T-2", "T-3", "T-4", "T-5"],
        "measure_id": ["M"] * 5,
        "jurisdiction": ["JP"] * 5,
        "metric": ["share"] * 5,
        "comparator": ["<=", "<=", "<=", ">=", "<="],
        "target_value": [50.0, 80.0, 50.0, 10.0, 50.0],
        "unit": ["pct"] * 5,
        "deadline": ["2020", "2020", "2030", "2030", "2025"],
        "indicator": ["share", "share", "share", "", "share"],
        "geography": ["JP"] * 5,
        "partner": ["CN"] * 5,
    }
)
INDICATORS = pd.DataFrame(
    {
        "indicator": ["share"] * 4,
        "geography": ["JP"] * 4,
        "partner": ["CN"] * 4,
        "year": [2020, 2020, 2024, 2024],
        "period": [""] * 4,
        "value": [58.0, 60.0, 70.0, 45.0],
        "source_id": ["a", "b", "c", "d"],
    }
)


def test_target_verdicts_come_from_the_indicators():
    card = targets.scorecard(TARGETS, INDICATORS, as_of=2026).set_index("target_id")
    assert (
        card.loc["T-1", "verdict"] == "missed" and card.loc["T-1", "measured"] == "58 (2020, a); 60 (2020, b)"
    )
    assert card.loc["T-2", "verdict"] == "met"
    assert card.loc["T-1", "target"].startswith(("at most ", "at least ")), "comparators in words"
    assert targets.quantity(50, "pct") == "50%" and targets.quantity(10000, "t") == "10,000 t"
    assert card.loc["T-3", "verdict"] == "sources disagree", "2024: 70 and 45 against 50"
    assert card.loc["T-4", "verdict"] == "not measurable yet" and "no indicator" in card.loc["T-4", "basis"]
    assert (
        card.loc["T-5", "verdict"] == "not measurable yet" and "no value for 2025" in card.loc["T-5", "basis"]
    )
    earlier = targets.scorecard(TARGETS, INDICATORS[INDICATORS["source_id"] != "d"], as_of=2026).set_index(
        "target_id"
    )
    published = INDICATORS.assign(
        figure_year_basis=["data_year", "data_year", "data_year", "publication_year"]
    )
    assert targets.scorecard(TARGETS, published, as_of=2026).set_index("target_id").loc["T-3", "verdict"] == (
        "not on track"
    ), "a publication year never stands in for a data year"
    assert earlier.loc["T-3", "verdict"] == "not on track"


def test_capacity_is_listed_only_where_the_text_states_it():
    measures = MEASURES.assign(
        description=["", "a 10,000 t/yr magnet plant", "", "2,000 t a year of oxide", "", "", "", ""]
    )
    listed = money.capacity(measures).set_index("measure_id")["tonnes_per_year"].to_dict()
    assert listed == {"M-JP-2010-01": 10000.0, "M-US-2010-01": 2000.0}
