"""The curated tables: the real ones validate and meet the issue's floors; broken copies fail with file, row
and rule."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from rare_earths.common import paths
from rare_earths.datasets import curated


@pytest.fixture(scope="module")
def tables():
    return curated.load()


def test_the_committed_tables_validate(tables):
    assert curated.validate() == []


def test_every_row_is_cited_and_every_citation_resolves(tables):
    known = set(tables["sources"]["source_id"])
    for name in ("events", "indicators"):
        frame = tables[name]
        assert (frame["source_id"] != "").all() and (frame["locator"].str.strip() != "").all(), name
        assert set(frame["source_id"]) <= known, name
    assert tables["sources"]["url"].str.match(r"https?://").all()


def test_event_record_meets_the_floors(tables):
    events = tables["events"]
    assert len(events) >= 120
    counts = events["jurisdiction"].value_counts()
    assert counts["JP"] >= 25 and counts["US"] >= 25 and counts["EU"] >= 25 and counts["CN"] >= 15
    assert events["date"].min().year <= 2009 and events["date"].max().year >= 2025


@pytest.mark.parametrize(
    ("jurisdiction", "category", "year", "words"),
    [
        ("CN", "embargo", 2010, "Japan"),  # the halt of shipments to Japan (China acts)
        ("CN", "embargo", 2010, "resum|ended|ending"),  # and its end
        ("JP", "other", 2010, "trawler"),  # the September 2010 collision
        ("CN", "export_control", 2010, "quota"),  # 2010 quotas
        ("JP", None, 2010, "Sojitz"),  # Sojitz-JOGMEC financing of Lynas
        ("MY", "production_start", None, "LAMP|Kuantan|first"),  # first output of Lynas Malaysia
        ("JP", "trade_dispute", 2012, "DS433"),
        ("US", "trade_dispute", 2012, "DS431"),
        ("EU", "trade_dispute", 2012, "DS432"),
        ("CN", "export_control", 2015, "quota|dut|tariff"),  # removal of quotas and duties
        ("JP", None, None, "Minamitorishima"),
        ("US", None, 2010, "GAO"),
        ("US", None, 2015, "Molycorp"),
        ("US", None, 2017, "13817"),
        ("US", None, 2020, "13953"),
        ("US", None, 2022, "Inflation Reduction Act"),
        ("US", "equity_investment", 2025, "MP Materials"),
        ("EU", None, 2020, "Raw Materials Alliance|ERMA"),
        ("EU", None, 2024, "entry into force|entered into force|enters into force"),
        ("EU", None, 2025, "RESourceEU"),
        ("CN", "export_control", 2023, "gallium"),
        ("CN", "export_control", 2023, "technolog"),
        ("CN", "export_control", 2025, "No.? ?18"),
        ("CN", "export_control", 2025, "suspen"),
    ],
)
def test_required_events_are_present(tables, jurisdiction, category, year, words):
    events = tables["events"]
    match = events[
        (events["jurisdiction"] == jurisdiction)
        & events["description"].str.contains(words, case=False, regex=True)
    ]
    if category:
        match = match[match["category"] == category]
    if year:
        match = match[match["date"].dt.year == year]
    assert len(match) >= 1, f"no {jurisdiction} {category or ''} {year or ''} event matching {words!r}"


def test_the_eu_critical_raw_material_lists_are_all_there(tables):
    eu = tables["events"][tables["events"]["jurisdiction"] == "EU"]
    years = set(
        eu[
            eu["description"].str.contains("critical raw material", case=False)
            & eu["description"].str.contains("list", case=False)
        ]["date"].dt.year
    )
    assert {2011, 2014, 2017, 2020, 2023} <= years


def test_japan_china_import_share_has_several_years_and_sources(tables):
    share = tables["indicators"].query("indicator == 'china_share_of_imports' and geography == 'JP'")
    assert {2009, 2010, 2011, 2014, 2020, 2024} <= set(share["year"])
    assert share.groupby("year")["source_id"].nunique().max() >= 2, (
        "disagreeing sources are kept as separate rows"
    )


# --- broken copies -----------------------------------------------------------------------------------


@pytest.fixture
def copy(tmp_path):
    for table in curated.TABLES:
        shutil.copy(paths.CURATED / f"{table}.csv", tmp_path / f"{table}.csv")
    return tmp_path


def _edit(folder, table, row, column, value):
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(folder / f"{table}.csv", index=False)


@pytest.mark.parametrize(
    ("table", "column", "value", "rule", "text"),
    [
        ("events", "date", "2010-13-45", "type-error", "date"),
        ("events", "amount", "lots", "type-error", "number"),
        ("events", "jurisdiction", "XX", "unknown-country", "'XX' is not an ISO 3166-1 alpha-2 code"),
        ("events", "category", "coup", "constraint-error", "enum"),
        ("events", "lever", "luck", "constraint-error", "enum"),
        (
            "events",
            "source_id",
            "nowhere-2020-abcd",
            "unresolved-citation",
            "'nowhere-2020-abcd' is not in sources.csv",
        ),
        ("events", "locator", "", "constraint-error", "required"),
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
    frame = pd.read_csv(copy / "events.csv", dtype=str, keep_default_na=False)
    frame.loc[5, "event_id"] = frame.loc[4, "event_id"]
    frame.to_csv(copy / "events.csv", index=False)
    issues = curated.validate(copy)
    assert any(i.row == 7 and i.rule == "primary-key" for i in issues), issues


def test_a_coarse_date_must_be_the_first_day_of_its_period(copy):
    _edit(copy, "events", 4, "date_precision", "year")
    _edit(copy, "events", 4, "date", "2010-06-15")
    assert any(i.rule == "date-precision" and i.row == 6 for i in curated.validate(copy))
