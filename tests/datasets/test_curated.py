"""The curated tables: the real ones validate, cover the lanes, and hold the corrected facts; broken copies
fail with file, row and rule (the record's own rules are in test_record_rules.py)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from rare_earths.common import paths
from rare_earths.datasets import curated


@pytest.fixture(scope="module")
def tables():
    return curated.load()


@pytest.fixture(scope="module")
def record(tables):
    """Each measure with its milestones' dates by step (lists, in date order)."""
    milestones = tables["milestones"].sort_values("date")
    steps = milestones.groupby(["measure_id", "step"])["date"].agg(list).unstack()
    return tables["measures"].set_index("measure_id").join(steps)


def _one(record, **contains):
    """The single measure whose columns contain each pattern (case-insensitive regex)."""
    mask = pd.Series(True, index=record.index)
    for column, pattern in contains.items():
        mask &= record[column].str.contains(pattern, case=False, regex=True)
    found = record[mask]
    assert len(found) == 1, f"{contains}: {list(found.index)}"
    return found.iloc[0]


def test_the_committed_tables_validate(tables):
    assert curated.validate() == []


def test_every_milestone_and_indicator_is_cited(tables):
    known = set(tables["sources"]["source_id"])
    for name in ("milestones", "indicators", "fx_rates", "us_deflator"):
        frame = tables[name]
        assert (frame["locator"].str.strip() != "").all(), name
        assert set(frame["source_id"]) <= known, name
    assert tables["sources"]["url"].str.match(r"https?://").all()
    assert (tables["sources"]["published"] != "").all()


def test_the_record_covers_every_lane_from_2008(tables):
    measures = tables["measures"]
    state = measures[measures["kind"] == "measure"]
    counts = state["jurisdiction"].value_counts()
    member_states = state["actor_type"].eq("member_state").sum()
    assert (
        counts["JP"] >= 30
        and counts["US"] >= 50
        and counts["EU"] + member_states >= 50
        and counts["CN"] >= 20
    )
    dates = tables["milestones"]["date"]
    assert dates.min().year <= 2009 and dates.max().year >= 2026
    assert len(tables["milestones"]) > len(measures), "measures have several dated steps"


def test_statistics_are_not_measures(tables):
    """Shares, tonnages and prices live in the indicators; every measure names a lever."""
    measures = tables["measures"]
    assert (measures.loc[measures["kind"] == "measure", "instrument"] != "none").all()
    migration = tables["events_migration"].set_index("event_id")
    for event_id in ("JP-2010-02", "JP-2010-06", "JP-2018-01", "JP-2024-01", "CN-2011-06"):
        assert migration.loc[event_id, "outcome"] == "to_indicators", event_id
    quota = tables["indicators"].query("indicator == 'china_rare_earth_export_quota'")
    assert {2009, 2010, 2011, 2012, 2013, 2014} <= set(quota["year"])


# --- ten corrected facts ----------------------------------------------------------------------------------


def test_the_fy2010_budget_is_one_measure_dated_in_october_2010(record):
    budget = _one(record, title="FY2010 supplementary budget")
    assert budget["jurisdiction"] == "JP" and budget["instrument"] == "concessional_finance"
    assert budget["adopted"][0] == pd.Timestamp("2010-10-01")
    assert "87.2" in budget["amount_note"]
    subsidies = _one(record, title="capital-investment subsidies")
    assert subsidies["amount_part_of"] == budget.name, (
        "the 42bn subsidies sit inside the budget, never summed"
    )


def test_the_fy2011_amount_is_the_rare_earth_share_only(record):
    fy2011 = _one(record, title="FY2011 budget: rare-earth lines")
    assert fy2011["amount"] == 21_300_000_000 and fy2011["currency"] == "JPY"
    assert "19.7" in fy2011["amount_scope"] and "53.3" in fy2011["amount_note"]


def test_the_seabed_mud_study_area_and_findings_are_context(record):
    paper = _one(record, title="Scientific Reports paper")
    assert paper["kind"] == "context" and paper["instrument"] == "none"
    assert "2,500" in paper["description"]


def test_the_lynas_financing_is_the_state_loan_not_the_company_deal(record):
    loan = _one(record, title="US\\$225m loan to Lynas")
    assert loan["amount"] == 225_000_000 and loan["instrument"] == "overseas_equity_offtake"
    assert "25m" in loan["amount_scope"] + loan["amount_note"]


def test_the_critical_raw_materials_act_is_one_measure_with_its_steps(record):
    act = _one(record, title="Critical Raw Materials Act \\(Regulation")
    assert act["announced"][0] == pd.Timestamp("2023-03-16")
    assert act["operational"][0] == pd.Timestamp("2024-05-23")


def test_each_wto_complainant_has_one_dispute_measure(record):
    for jurisdiction, number in (("US", "DS431"), ("EU", "DS432"), ("JP", "DS433")):
        dispute = _one(record, title=number)
        assert dispute["jurisdiction"] == jurisdiction and dispute["instrument"] == "trade_litigation"
        assert pd.Timestamp("2014-08-07") in dispute["operational"]


def test_the_2010_halt_is_one_measure_with_its_disputed_end(tables, record):
    halt = _one(record, title="halt of rare-earth shipments to Japan")
    assert halt["operational"][0] == pd.Timestamp("2010-09-21") and halt["actor_type"] == "supplier_state"
    ended = tables["milestones"].query("measure_id == @halt.name and step == 'ended'").iloc[0]
    assert ended["date"] == pd.Timestamp("2010-11-19")
    assert set(ended["alt_dates"].split(";")) >= {"2010-10-28", "2010-11-20"}
    assert len(ended["alt_source_ids"].split(";")) == len(ended["alt_dates"].split(";"))


def test_company_moves_are_context_not_levers(record):
    for title in ("Molycorp IPO", "Molycorp bankruptcy"):
        move = _one(record, title=title)
        assert move["kind"] == "context" and move["actor_type"] == "private_company"


def test_japans_baseline_measures_predate_the_2010_shock(record):
    for title in ("Rare Metal Securing Strategy", "rare-metal stockpile system"):
        assert _one(record, title=title)["in_force_before"] == "S1", title


def test_the_us_2010_response_includes_does_two_strategies(record):
    first = _one(record, title="Critical Materials Strategy \\(first")
    second = _one(record, title="Critical Materials Strategy \\(second")
    assert first["adopted"][0] == pd.Timestamp("2010-12-01")
    assert second["adopted"][0] == pd.Timestamp("2011-12-22")


def test_episodes_are_dated_by_the_record(tables):
    episodes = tables["episodes"].set_index("episode")
    assert episodes.loc["S1", "start"] == pd.Timestamp("2010-07-08")
    assert episodes.loc["S2", "start"] == pd.Timestamp("2025-04-04")


# --- broken copies -----------------------------------------------------------------------------------


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(paths.CURATED, tmp_path / "curated")
    return tmp_path / "curated"


def _edit(folder, table, row, column, value):
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(folder / f"{table}.csv", index=False)


@pytest.mark.parametrize(
    ("table", "column", "value", "rule", "text"),
    [
        ("milestones", "date", "2010-13-45", "type-error", "date"),
        ("measures", "amount", "lots", "type-error", "number"),
        ("measures", "jurisdiction", "XX", "unknown-country", "'XX' is not an ISO 3166-1 alpha-2 code"),
        ("measures", "stage", "space", "constraint-error", "enum"),
        ("measures", "instrument", "luck", "constraint-error", "enum"),
        (
            "milestones",
            "source_id",
            "nowhere-2020-abcd",
            "unresolved-citation",
            "'nowhere-2020-abcd' is not in sources.csv",
        ),
        ("milestones", "alt_source_ids", "nowhere-2020-abcd", "unresolved-citation", "nowhere-2020-abcd"),
        ("measures", "deal_source_id", "nowhere-2020-abcd", "unresolved-citation", "nowhere-2020-abcd"),
        ("measures", "deal_amount", "250000000", "deal-incomplete", "go together"),
        ("milestones", "locator", "", "constraint-error", "required"),
        ("indicators", "geography", "QQ", "unknown-country", "'QQ' is not an ISO"),
        ("indicators", "year", "twenty", "type-error", "integer"),
        ("sources", "kind", "blog", "constraint-error", "enum"),
    ],
)
def test_a_broken_row_names_file_row_and_rule(copy, table, column, value, rule, text):
    _edit(copy, table, 4, column, value)
    issues = curated.validate(copy)
    assert any(
        i.file.endswith(f"{table}.csv")
        and i.row == 6
        and i.field == column
        and i.rule == rule
        and text in i.message
        for i in issues
    ), issues
    with pytest.raises(curated.CuratedError, match=rf"{table}\.csv:6: column {column}: \[{rule}\]"):
        curated.load(copy)


def test_a_duplicate_key_fails(copy):
    frame = pd.read_csv(copy / "measures.csv", dtype=str, keep_default_na=False)
    frame.loc[5, "measure_id"] = frame.loc[4, "measure_id"]
    frame.to_csv(copy / "measures.csv", index=False)
    issues = curated.validate(copy)
    assert any(i.row == 7 and i.rule == "primary-key" for i in issues), issues


def test_a_coarse_date_must_be_the_first_day_of_its_period(copy):
    _edit(copy, "milestones", 4, "date_precision", "year")
    _edit(copy, "milestones", 4, "date", "2010-06-15")
    assert any(i.rule == "date-precision" and i.row == 6 for i in curated.validate(copy))
