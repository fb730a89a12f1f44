"""KOMIS minor-metal prices (JSON): a hand-written file with the real structure, and the real file where
present."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from rare_earths.common import paths, registry
from rare_earths.datasets.sources import DatasetError, prices_komis, usgs_mcs2026

QUIRKS = Path(__file__).parents[2] / "fixtures" / "datasets" / "prices_komis_quirks.json"
REAL = paths.EXTERNAL / prices_komis.FILE
MCS = paths.EXTERNAL / usgs_mcs2026.FILE


@pytest.fixture(scope="module")
def quirks():
    return prices_komis.clean(prices_komis.extract(QUIRKS))


def _mutated(tmp_path: Path, change) -> Path:
    document = json.loads(QUIRKS.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "mutated.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_extract_has_one_row_per_metal_and_entry_values_as_given():
    frame = prices_komis.extract(QUIRKS)
    assert len(frame) == 4 + (4 + 3 + 2 + 2)  # one `today` per metal plus the history entries
    first = frame.iloc[1]
    assert (first["name"], first["grade"], first["unit"], first["record"], first["date"], first["value"]) == (
        "네오디뮴 (Nd)",
        "99.5%min FOB China",
        "USD/kg",
        "history",
        "2024.01.02",
        60.12,
    )
    assert (
        frame.attrs["updated"] == "2025-01-03 07:30" and frame.attrs["source"] == "KOMIS (한국자원정보서비스)"
    )


def test_clean_has_one_row_per_metal_and_date(quirks):
    assert list(quirks.columns) == [
        "element",
        "label",
        "name",
        "grade",
        "market",
        "date",
        "value",
        "unit",
        "currency",
        "origin",
    ]
    assert quirks.groupby("element", sort=False).size().to_dict() == {"Nd": 4, "Ce": 3, "Mn": 2, "Bi": 2}
    assert not quirks.duplicated(["element", "date"]).any()
    last = quirks[quirks["date"] == "2025-01-02"]
    assert set(last["origin"]) == {"history+today"} and set(
        quirks.loc[quirks["date"] < "2025-01-01", "origin"]
    ) == {"history"}


def test_clean_splits_grade_and_market_and_reads_the_unit(quirks):
    nd = quirks[quirks["element"] == "Nd"].iloc[0]
    assert (nd["label"], nd["grade"], nd["market"], nd["unit"], nd["currency"]) == (
        "네오디뮴",
        "99.5%min",
        "FOB China",
        "USD/kg",
        "USD",
    )
    assert set(quirks.loc[quirks["element"] == "Mn", "unit"]) == {"USD/mt"}


def test_today_not_in_the_history_is_added(tmp_path):
    def newer(document):
        document["metals"][1]["today"].update({"date": "2025.01.03", "value": 1.15})

    frame = prices_komis.clean(prices_komis.extract(_mutated(tmp_path, newer)))
    ce = frame[frame["element"] == "Ce"]
    assert len(ce) == 4 and ce.iloc[-1][["value", "origin"]].tolist() == [1.15, "today"]


def test_a_date_given_twice_with_two_values_names_both_entries(tmp_path):
    def clash(document):
        document["metals"][0]["history"][1]["date"] = "2024.01.02"

    with pytest.raises(
        DatasetError,
        match=(
            r"date 2024-01-02 is given with different values: .*history\[0\] = 60\.12; .*history\[1\] = "
            r"59\.87"
        ),
    ):
        prices_komis.clean(prices_komis.extract(_mutated(tmp_path, clash)))


def test_today_disagreeing_with_the_history_is_an_error(tmp_path):
    def clash(document):
        document["metals"][0]["today"]["value"] = 99.0

    with pytest.raises(
        DatasetError,
        match=(
            r"date 2025-01-02 is given with different values: mutated\.json: metals\[0\] \(네오디뮴 "
            r"\(Nd\)\), "
            r"today = 99\.0"
        ),
    ):
        prices_komis.clean(prices_komis.extract(_mutated(tmp_path, clash)))


def test_a_bad_date_or_value_names_the_metal_and_entry(tmp_path):
    def bad_date(document):
        document["metals"][1]["history"][2]["date"] = "2025-01-02"

    with pytest.raises(
        DatasetError,
        match=r"metals\[1\] \(세륨 \(Ce\)\), history\[2\]: date '2025-01-02' is not written YYYY\.MM\.DD",
    ):
        prices_komis.clean(prices_komis.extract(_mutated(tmp_path, bad_date)))

    def bad_value(document):
        document["metals"][2]["history"][0]["value"] = "1,100.5"

    with pytest.raises(
        DatasetError, match=r"metals\[2\] \(망간 \(Mn\)\), history\[0\]: value '1,100\.5' is not a number"
    ):
        prices_komis.clean(prices_komis.extract(_mutated(tmp_path, bad_value)))


def test_prices_keep_the_rare_earths_with_form_not_stated(quirks):
    table = prices_komis.prices(quirks)
    assert list(table.columns) == list(registry.field_names("prices"))
    assert table["element"].tolist() == ["Nd"] * 4 + ["Ce"] * 3  # Mn and Bi are other commodities
    assert set(table["form"]) == {"not stated"} and set(table["market"]) == {"FOB China"}
    assert (
        set(table["unit"]) == {"USD/kg"}
        and set(table["currency"]) == {"USD"}
        and set(table["source"]) == {"prices_komis"}
    )
    assert table.set_index(["element", "date"]).loc[("Ce", pd.Timestamp("2024-01-03")), "value"] == 1.02
    assert table["grade"].tolist()[-1] == "99%min"
    assert (
        table["price_basis"].iloc[0]
        == "daily price as published by KOMIS (item '네오디뮴 (Nd)', form not stated)"
    )


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_values_as_printed():
    frame = prices_komis.clean(prices_komis.extract(REAL))
    assert frame.groupby("element", sort=False).size().to_dict() == {
        "Nd": 520,
        "Ce": 519,
        "Mn": 517,
        "Bi": 516,
    }
    assert (
        set(frame["origin"]) == {"history", "history+today"}
        and (frame["origin"] == "history+today").sum() == 4
    )
    value = frame.set_index(["element", "date"])["value"]
    assert (
        value[("Nd", pd.Timestamp("2024-01-02"))] == 63.51
        and value[("Nd", pd.Timestamp("2026-04-10"))] == 120.42
    )
    assert (
        value[("Ce", pd.Timestamp("2024-01-02"))] == 0.97
        and value[("Ce", pd.Timestamp("2026-04-10"))] == 2.19
    )
    assert set(frame.loc[frame["element"] == "Bi", "unit"]) == {"USD/mt"}
    table = prices_komis.prices(frame)
    assert (
        len(table) == 520 + 519
        and table["date"].min() == pd.Timestamp("2024-01-02")
        and table["date"].max() == pd.Timestamp("2026-04-10")
    )
    assert set(zip(table["element"], table["grade"], strict=True)) == {("Nd", "99.5%min"), ("Ce", "99%min")}


@pytest.mark.needs_external
@pytest.mark.skipif(
    not (REAL.is_file() and MCS.is_file()), reason=f"{REAL} or {MCS} is absent: run `rare-earths data fetch`"
)
def test_real_2024_nd_mean_against_the_usgs_2024_nd_oxide_price():
    table = prices_komis.prices(prices_komis.clean(prices_komis.extract(REAL)))
    nd_2024 = table[(table["element"] == "Nd") & (table["date"].dt.year == 2024)]["value"]
    usgs = usgs_mcs2026.prices(usgs_mcs2026.clean(usgs_mcs2026.extract(MCS))).set_index(["element", "date"])[
        "value"
    ]
    assert len(nd_2024) == 221 and round(nd_2024.mean(), 2) == 55.75
    assert usgs[("Nd", pd.Timestamp("2024-07-01"))] == 56
