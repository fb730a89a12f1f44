"""Chinese domestic oxide prices (yiyawu CSV): a hand-written file with the real quirks, and the real file
where present."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fixture_edits import edited_copy

from rare_earths.common import paths, registry
from rare_earths.datasets.sources import DatasetError, prices_yiyawu, usgs_mcs2026

QUIRKS = Path(__file__).parents[2] / "fixtures" / "datasets" / "prices_yiyawu_quirks.csv"
REAL = paths.EXTERNAL / prices_yiyawu.FILE
MCS = paths.EXTERNAL / usgs_mcs2026.FILE


@pytest.fixture(scope="module")
def quirks():
    return prices_yiyawu.clean(prices_yiyawu.extract(QUIRKS))


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    return edited_copy(QUIRKS, tmp_path / "mutated.csv", old, new)


def test_extract_maps_the_chinese_headers_and_keeps_text():
    frame = prices_yiyawu.extract(QUIRKS)
    assert list(frame.columns) == [
        "date",
        "nd_oxide_min",
        "nd_oxide_max",
        "nd_oxide_avg",
        "ce_oxide_min",
        "ce_oxide_max",
        "ce_oxide_avg",
        "la_oxide_min",
        "la_oxide_max",
        "la_oxide_avg",
        "pr_oxide_min",
        "pr_oxide_max",
        "pr_oxide_avg",
        "year",
        "month",
        "day",
    ]
    assert frame.loc[4, "ce_oxide_avg"] == "6.865" and frame.loc[0, "date"] == "2013-01-07"


def test_extract_accepts_a_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + QUIRKS.read_bytes())
    assert prices_yiyawu.extract(path).columns[0] == "date"


def test_an_unknown_header_is_named(tmp_path):
    with pytest.raises(
        DatasetError, match=r"mutated\.csv: header row \(line 1\): unknown column\(s\) \['氧化钆最低价'\]"
    ):
        prices_yiyawu.extract(_mutated(tmp_path, "氧化镧最低价", "氧化钆最低价"))


def test_clean_is_long_with_values_as_published(quirks):
    assert list(quirks.columns) == [
        "date",
        "element",
        "form",
        "statistic",
        "value",
        "unit_as_published",
        "check",
        "line",
    ]
    assert len(quirks) == 5 * 4 * 3
    ce = quirks[(quirks["element"] == "Ce") & (quirks["date"] == "2013-01-08")]
    assert ce["statistic"].tolist() == ["min", "max", "avg"] and ce["value"].tolist() == [9.25, 10.25, 48.5]
    assert set(quirks.loc[quirks["element"] == "Nd", "unit_as_published"]) == {"10,000 CNY/t"}
    assert set(quirks.loc[quirks["element"] == "La", "unit_as_published"]) == {"CNY/kg"}


def test_clean_flags_quotes_that_contradict_themselves(quirks):
    flagged = quirks[quirks["check"].notna()].drop_duplicates(["date", "element"])
    assert list(zip(flagged["line"], flagged["element"], flagged["check"], strict=True)) == [
        (2, "Nd", "avg_below_min"),
        (3, "Nd", "avg_below_min"),
        (3, "Ce", "avg_above_max"),
        (4, "Pr", "avg_below_min"),
    ]
    assert quirks["check"].notna().sum() == 4 * 3  # the flag sits on the min, max and avg rows


def test_date_disagreeing_with_year_month_day_names_the_line(tmp_path):
    path = _mutated(tmp_path, "2019,6,8", "2019,6,9")
    with pytest.raises(
        DatasetError,
        match=r"mutated\.csv: line 5: 日期 \(date\) '2019-06-08' disagrees with 年/月/日 '2019'/'6'/'9'",
    ):
        prices_yiyawu.clean(prices_yiyawu.extract(path))


def test_a_price_that_is_not_a_number_names_line_and_column(tmp_path):
    path = _mutated(tmp_path, "6.6,7.13,6.865", "6.6,7.13,6.8x5")
    with pytest.raises(
        DatasetError, match=r"line 6, column 氧化铈平均价 \(ce_oxide_avg\): '6\.8x5' is not a number"
    ):
        prices_yiyawu.clean(prices_yiyawu.extract(path))


def test_a_repeated_date_names_both_lines(tmp_path):
    path = (
        _mutated(tmp_path, "2019-06-08,36.6", "2019-06-06,36.6")
        .read_text(encoding="utf-8")
        .replace("2019,6,8", "2019,6,6")
    )
    (tmp_path / "twice.csv").write_text(path, encoding="utf-8")
    with pytest.raises(DatasetError, match=r"date 2019-06-06 appears on more than one line \(4, 5\)"):
        prices_yiyawu.clean(prices_yiyawu.extract(tmp_path / "twice.csv"))


def test_prices_use_the_min_max_midpoint_in_cny_per_tonne(quirks):
    table = prices_yiyawu.prices(quirks)
    assert list(table.columns) == list(registry.field_names("prices"))
    value = table.set_index(["element", "date"])["value"]
    assert (
        value[("Nd", pd.Timestamp("2013-01-07"))] == 402_500.0
    )  # (40.0 + 40.5) / 2 x 10,000, not the avg 39.85
    assert value[("Ce", pd.Timestamp("2013-01-07"))] == 48_500.0  # (48.0 + 49.0) / 2 x 1,000
    assert value[("La", pd.Timestamp("2024-07-04"))] == 4_000.0
    assert (
        value[("Pr", pd.Timestamp("2019-06-06"))] == 417_500.0
    )  # midpoint 41.75, the avg 41.25 lies below the min
    assert (
        set(table["unit"]) == {"CNY/t"}
        and set(table["currency"]) == {"CNY"}
        and set(table["form"]) == {"oxide"}
    )
    assert set(table["market"]) == {"China domestic spot (publisher not stated)"} and set(
        table["source"]
    ) == {"prices_yiyawu"}
    assert table["grade"].isna().all()


def test_prices_leave_out_grossly_contradictory_quotes_and_say_when_the_average_disagrees(quirks):
    table = prices_yiyawu.prices(quirks)
    assert len(table) == 5 * 4 - 1
    assert table[
        (table["element"] == "Ce") & (table["date"] == "2013-01-08")
    ].empty  # avg 48.5 vs midpoint 9.75
    disagrees = table[table["price_basis"].str.endswith("(the published average disagrees)")]
    assert sorted(zip(disagrees["element"], disagrees["date"].dt.strftime("%Y-%m-%d"), strict=True)) == [
        ("Nd", "2013-01-07"),
        ("Nd", "2013-01-08"),
        ("Pr", "2019-06-06"),
    ]
    assert set(table["price_basis"]) == {
        "daily midpoint of quoted min and max",
        "daily midpoint of quoted min and max (the published average disagrees)",
    }


def test_a_gap_just_above_the_threshold_is_left_out(tmp_path):
    # La 2019-06-08: midpoint 2.4; an avg of 2.65 is 10.4% away (left out), 2.6 is 8.3% away (kept).
    for avg, kept in (("2.65", False), ("2.6", True)):
        path = _mutated(tmp_path, "2.3,2.5,2.4,42.0", f"2.3,2.5,{avg},42.0")
        table = prices_yiyawu.prices(prices_yiyawu.clean(prices_yiyawu.extract(path)))
        la = table[(table["element"] == "La") & (table["date"] == "2019-06-08")]
        assert len(la) == int(kept)


def test_an_empty_cell_is_flagged_incomplete_and_left_out_when_min_or_max_is_missing(tmp_path):
    path = _mutated(tmp_path, "2024-07-04,37.58,", "2024-07-04,,")
    frame = prices_yiyawu.clean(prices_yiyawu.extract(path))
    nd = frame[(frame["element"] == "Nd") & (frame["date"] == "2024-07-04")]
    assert nd["value"].isna().tolist() == [True, False, False] and set(nd["check"]) == {"incomplete"}
    table = prices_yiyawu.prices(frame)
    assert table[(table["element"] == "Nd") & (table["date"] == "2024-07-04")].empty and len(table) == 18


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_values_as_printed():
    raw = prices_yiyawu.extract(REAL)
    assert len(raw) == 2876 and raw["date"].iloc[0] == "2013-01-04" and raw["date"].iloc[-1] == "2024-07-05"
    frame = prices_yiyawu.clean(raw)
    first = frame[frame["date"] == "2013-01-04"].set_index(["element", "statistic"])["value"]
    assert (first[("Nd", "min")], first[("Nd", "max")], first[("Nd", "avg")]) == (34.3, 34.8, 34.15)
    assert (first[("La", "min")], first[("La", "max")], first[("La", "avg")]) == (50.5, 51.5, 51.0)
    ce = frame[(frame["date"] == "2013-02-08") & (frame["element"] == "Ce")]["value"].tolist()
    assert ce == [9.25, 10.25, 50.5]
    per_day = frame.drop_duplicates(["date", "element"])
    counts = per_day.groupby(["element", "check"]).size().to_dict()
    assert counts == {("Nd", "avg_below_min"): 526, ("Ce", "avg_above_max"): 6, ("Pr", "avg_below_min"): 2}
    ce_dates = (
        per_day.loc[(per_day["element"] == "Ce") & per_day["check"].notna(), "date"]
        .dt.strftime("%Y-%m-%d")
        .tolist()
    )
    assert ce_dates == ["2013-02-08", "2013-09-30", "2014-01-30", "2014-02-07", "2015-02-16", "2015-02-17"]
    table = prices_yiyawu.prices(frame)
    assert len(table) == 2876 * 4 - 6
    value = table.set_index(["element", "date"])["value"]
    assert (
        value[("Nd", pd.Timestamp("2013-01-04"))] == 345_500.0
        and value[("Pr", pd.Timestamp("2024-07-05"))] == 368_000.0
    )
    assert (
        value[("Ce", pd.Timestamp("2024-07-05"))] == 6_865.0
        and value[("La", pd.Timestamp("2024-07-05"))] == 4_000.0
    )


@pytest.mark.needs_external
@pytest.mark.skipif(
    not (REAL.is_file() and MCS.is_file()), reason=f"{REAL} or {MCS} is absent: run `rare-earths data fetch`"
)
def test_real_units_imply_one_exchange_rate_against_the_usgs_prices():
    """The inference in the module docstring: file mean / USGS USD/kg, under the chosen scale, is a
    CNY-per-USD rate."""
    frame = prices_yiyawu.clean(prices_yiyawu.extract(REAL))
    wide = frame.set_index(["date", "element", "statistic"])["value"].unstack("statistic")
    midpoint = ((wide["min"] + wide["max"]) / 2).rename("mid").reset_index()
    mean = midpoint.groupby([midpoint["element"], midpoint["date"].dt.year])["mid"].mean()
    usgs = usgs_mcs2026.prices(usgs_mcs2026.clean(usgs_mcs2026.extract(MCS))).set_index(["element", "date"])[
        "value"
    ]
    rate = {
        (el, year): mean[(el, year)]
        * prices_yiyawu.FILE_UNITS[el][1]
        / 1000
        / usgs[(el, pd.Timestamp(f"{year}-07-01"))]
        for el in ("Nd", "Pr", "Ce", "La")
        for year in (2021, 2022, 2023, 2024)
    }
    assert usgs[("Nd", pd.Timestamp("2022-07-01"))] == 134 and round(mean[("Nd", 2022)], 2) == 89.38
    assert {el: round(rate[(el, 2022)], 2) for el in ("Nd", "Pr", "Ce", "La")} == {
        "Nd": 6.67,
        "Pr": 6.69,
        "Ce": 5.79,
        "La": 5.69,
    }
    assert all(6.4 < rate[(el, year)] < 7.2 for el in ("Nd", "Pr") for year in (2021, 2022, 2023, 2024))
    assert all(4.0 < rate[(el, year)] < 6.3 for el in ("Ce", "La") for year in (2021, 2022, 2023, 2024))
    assert all(abs(rate[("Nd", year)] - rate[("Pr", year)]) < 0.1 for year in (2021, 2022, 2023, 2024))
