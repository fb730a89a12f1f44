"""The record's own rules, each on a faulty copy of the real curated tables: file, line and rule named."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from rare_earths.common import paths
from rare_earths.datasets import curated


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(paths.CURATED, tmp_path / "curated")
    return tmp_path / "curated"


def _read(folder, table):
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def _write(folder, table, frame):
    frame.to_csv(folder / f"{table}.csv", index=False)


def _issues(folder, rule):
    return [i for i in curated.validate(folder) if i.rule == rule]


def _first(frame, mask):
    assert mask.any()
    return int(frame.index[mask][0])


def test_the_copy_is_valid(copy):
    assert curated.validate(copy) == []


def test_a_milestone_before_the_measures_first_milestone(copy):
    milestones = _read(copy, "milestones")
    day = milestones["date_precision"] == "day"
    adopted = milestones[day & (milestones["step"].isin(["adopted", "operational", "ended"]))]
    announced = milestones[day & (milestones["step"] == "announced")]
    both = sorted(set(adopted["measure_id"]) & set(announced["measure_id"]))
    later = int(adopted.index[adopted["measure_id"] == both[0]][0])
    first = announced[announced["measure_id"] == both[0]]["date"].min()
    milestones.loc[later, "date"] = str(pd.Timestamp(first) - pd.Timedelta(days=400))[:10]
    _write(copy, "milestones", milestones)
    issues = _issues(copy, "milestone-order")
    assert [(i.row, i.field) for i in issues] == [(later + 2, "date")], issues
    assert "before the measure's announced" in issues[0].message


def test_an_alternative_date_without_a_source(copy):
    milestones = _read(copy, "milestones")
    row = _first(milestones, milestones["alt_dates"] == "")
    milestones.loc[row, "alt_dates"] = "2011-01-01"
    _write(copy, "milestones", milestones)
    issues = _issues(copy, "alt-date-without-source")
    assert [(i.file.endswith("milestones.csv"), i.row) for i in issues] == [(True, row + 2)]


def test_an_amount_without_a_scope(copy):
    measures = _read(copy, "measures")
    row = _first(measures, measures["amount"] != "")
    measures.loc[row, "amount_scope"] = ""
    _write(copy, "measures", measures)
    assert [i.row for i in _issues(copy, "amount-without-scope")] == [row + 2]


@pytest.mark.parametrize(
    ("jurisdiction", "actor_type"),
    [
        ("JP", "supplier_state"),
        ("US", "eu_institution"),
        ("EU", "national_government"),
        ("JP", "member_state"),
    ],
)
def test_an_actor_type_that_does_not_fit_the_jurisdiction(copy, jurisdiction, actor_type):
    measures = _read(copy, "measures")
    row = _first(
        measures,
        (measures["jurisdiction"] == jurisdiction) & (measures["instrument"] != "export_restriction"),
    )
    measures.loc[row, "actor_type"] = actor_type
    _write(copy, "measures", measures)
    issues = _issues(copy, "actor-type-jurisdiction")
    assert [i.row for i in issues] == [row + 2] and jurisdiction in issues[0].message


def test_a_measure_no_milestone_uses(copy):
    measures = _read(copy, "measures")
    extra = measures.iloc[[0]].assign(measure_id="M-JP-2099-99", replaces="", gta_ids="", iea_ids="")
    _write(copy, "measures", pd.concat([measures, extra], ignore_index=True))
    issues = _issues(copy, "measure-without-milestone")
    assert [i.row for i in issues] == [len(measures) + 2] and "M-JP-2099-99" in issues[0].message


def test_a_milestone_of_an_unknown_measure(copy):
    milestones = _read(copy, "milestones")
    milestones.loc[3, "measure_id"] = "M-JP-2099-98"
    _write(copy, "milestones", milestones)
    assert 5 in [i.row for i in _issues(copy, "unknown-measure") if i.file.endswith("milestones.csv")]


def test_a_source_without_a_date(copy):
    sources = _read(copy, "sources")
    sources.loc[2, "published"] = ""
    _write(copy, "sources", sources)
    issues = [i for i in curated.validate(copy) if i.file.endswith("sources.csv") and i.row == 4]
    assert [(i.field, i.rule) for i in issues] == [("published", "constraint-error")]


def test_a_placeholder_title(copy):
    sources = _read(copy, "sources")
    sources.loc[5, "title"] = "(title not captured; URL slug: something)"
    _write(copy, "sources", sources)
    assert [i.row for i in _issues(copy, "placeholder-title")] == [7]


def test_a_measure_without_an_instrument(copy):
    measures = _read(copy, "measures")
    row = _first(measures, measures["kind"] == "measure")
    measures.loc[row, "instrument"] = "none"
    _write(copy, "measures", measures)
    assert [i.row for i in _issues(copy, "measure-without-instrument")] == [row + 2]


def test_a_consumer_government_cannot_restrict_exports(copy):
    measures = _read(copy, "measures")
    row = _first(measures, (measures["jurisdiction"] == "EU") & (measures["kind"] == "measure"))
    measures.loc[row, "instrument"] = "export_restriction"
    _write(copy, "measures", measures)
    assert [i.row for i in _issues(copy, "supplier-instrument")] == [row + 2]


def test_a_wrong_in_force_before_flag(copy):
    measures = _read(copy, "measures")
    row = _first(measures, measures["in_force_before"] == "")
    measures.loc[row, "in_force_before"] = "S1"
    _write(copy, "measures", measures)
    assert [i.row for i in _issues(copy, "in-force-before")] == [row + 2]


def test_an_episode_that_no_milestone_dates(copy):
    episodes = _read(copy, "episodes")
    episodes.loc[0, "start"] = "2010-01-02"
    _write(copy, "episodes", episodes)
    assert [i.row for i in _issues(copy, "episode-date")] == [2]


def test_a_resolved_code_that_measures_does_not_hold(copy):
    coding = _read(copy, "coding_check")
    row = _first(coding, coding["axis"] == "stage")
    coding.loc[row, "resolved_code"] = (
        "stockpile" if coding.loc[row, "resolved_code"] != "stockpile" else "trade"
    )
    _write(copy, "coding_check", coding)
    assert [i.row for i in _issues(copy, "unresolved-code")] == [row + 2]


def test_a_curated_tracker_entry_the_measure_does_not_carry(copy):
    review = _read(copy, "tracker_review")
    row = _first(review, review["decision"] == "curated")
    measures = _read(copy, "measures")
    other = _first(measures, measures["measure_id"] != review.loc[row, "measure_id"])
    review.loc[row, "measure_id"] = measures.loc[other, "measure_id"]
    _write(copy, "tracker_review", review)
    assert row + 2 in [i.row for i in _issues(copy, "tracker-id-missing")]


def test_every_former_event_is_accounted_for(copy):
    migration = _read(copy, "events_migration")
    _write(copy, "events_migration", migration.drop(index=7))
    issues = _issues(copy, "unmigrated-event")
    assert len(issues) == 1 and migration.loc[7, "event_id"] in issues[0].message


def test_a_missing_table_is_named(copy):
    (copy / "milestones.csv").unlink()
    issues = _issues(copy, "missing-file")
    assert [i.file.endswith("milestones.csv") for i in issues] == [True]


def test_an_amount_without_its_kind(copy):
    measures = _read(copy, "measures")
    row = _first(measures, measures["amount"] != "")
    measures.loc[row, "amount_kind"] = ""
    _write(copy, "measures", measures)
    assert [i.row for i in _issues(copy, "amount-without-kind")] == [row + 2]


def test_a_target_that_names_no_measure_or_an_unknown_indicator(copy):
    targets = _read(copy, "targets")
    targets.loc[0, "measure_id"] = "M-JP-2099-97"
    row = _first(targets, targets["indicator"] != "")
    targets.loc[row, "indicator"] = "no_such_indicator"
    _write(copy, "targets", targets)
    assert [i.row for i in _issues(copy, "unknown-measure") if i.file.endswith("targets.csv")] == [2]
    assert [i.row for i in _issues(copy, "unknown-indicator")] == [row + 2]


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ('=HYPERLINK("http://x.example","click")', "formula-like"),
        ("@SUM(A1:A9)", "formula-like"),
        ("-cmd|' /C calc'!A0", "formula-like"),
        ("x" * 2_001, "too-long"),
    ],
)
def test_hostile_cells_are_refused_with_row_and_column(copy, value, rule):
    measures = _read(copy, "measures")
    measures.loc[3, "description"] = value
    _write(copy, "measures", measures)
    assert [(i.row, i.field) for i in _issues(copy, rule)] == [(5, "description")]


def test_a_header_only_table_is_refused(copy):
    measures = _read(copy, "measures")
    _write(copy, "measures", measures.iloc[0:0])
    assert [i.file.endswith("measures.csv") for i in _issues(copy, "no-rows")] == [True]


@pytest.mark.parametrize(
    ("content", "rule", "line"),
    [
        (b"measure_id,title\nM-JP-2010-01,ok\nM-JP-2010-02,caf\xe9\n", "encoding", 3),
        (b"", "empty-file", None),
        (b'measure_id,title\nM-JP-2010-01,"never closed\nM-JP-2010-02,x\n', "unparsable", 2),
    ],
)
def test_an_unreadable_table_is_named_with_its_line(copy, content, rule, line):
    (copy / "measures.csv").write_bytes(content)
    issues = [i for i in curated.validate(copy) if i.file.endswith("measures.csv") and i.rule == rule]
    assert issues and issues[0].row == line, curated.validate(copy)[:5]
    with pytest.raises(curated.CuratedError, match=rf"measures\.csv.*\[{rule}\]"):
        curated.load(copy)


@pytest.mark.parametrize("field", ["source_type", "denominator"])
def test_a_share_figure_without_its_basis(copy, field):
    indicators = _read(copy, "indicators")
    row = _first(indicators, indicators["indicator"] == "china_share_of_imports")
    indicators.loc[row, field] = ""
    _write(copy, "indicators", indicators)
    issues = _issues(copy, "share-without-basis")
    assert [(i.row, i.field) for i in issues] == [(row + 2, field)]


def test_a_basis_value_outside_the_list_is_refused(copy):
    indicators = _read(copy, "indicators")
    row = _first(indicators, indicators["indicator"] == "china_share_of_imports")
    indicators.loc[row, "denominator"] = "most_partners"
    _write(copy, "indicators", indicators)
    issues = [i for i in curated.validate(copy) if i.file.endswith("indicators.csv")]
    assert [(i.row, i.field, i.rule) for i in issues] == [(row + 2, "denominator", "constraint-error")]


def test_two_default_bases_for_one_jurisdiction_are_refused(copy):
    bases = _read(copy, "default_bases")
    japan = bases[bases["jurisdiction"] == "JP"].assign(measure="value", label="a second basis")
    _write(copy, "default_bases", pd.concat([bases, japan], ignore_index=True))
    issues = [i for i in curated.validate(copy) if i.file.endswith("default_bases.csv")]
    assert [(i.row, i.rule) for i in issues] == [(len(bases) + 2, "primary-key")]
    with pytest.raises(curated.CuratedError, match=r"default_bases\.csv:5.*primary-key"):
        curated.load(copy)
