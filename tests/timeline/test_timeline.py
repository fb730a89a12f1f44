"""Timeline: lanes, article links, shock alignment and lever adoption on small hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from rare_earths import timeline
from rare_earths.common.errors import RareEarthsError


def _events(rows) -> pd.DataFrame:
    columns = [
        "event_id",
        "date",
        "date_precision",
        "jurisdiction",
        "stage",
        "lever",
        "description",
        "actors",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(date=pd.to_datetime(frame["date"]))


EVENTS = _events(
    [
        (
            "CN-2010-01",
            "2010-09-21",
            "day",
            "CN",
            "embargo",
            "export_restriction",
            "Shipments to Japan stopped.",
            "China customs",
        ),
        (
            "CN-2010-02",
            "2010-11-19",
            "day",
            "CN",
            "embargo",
            "export_restriction",
            "Shipments resumed.",
            "China customs",
        ),
        (
            "JP-2010-01",
            "2010-11-24",
            "day",
            "JP",
            "alliance",
            "overseas_equity_offtake",
            "Sojitz and Lynas alliance.",
            "Sojitz;Lynas",
        ),
        (
            "JP-2010-02",
            "2010-12-01",
            "month",
            "JP",
            "alliance",
            "alliances_agreements",
            "Partner for Vietnamese rare earths.",
            "Naoto Kan",
        ),
        ("JP-2011-01", "2011-09-21", "day", "JP", "stockpile", "stockpiling", "Stockpile.", "JOGMEC"),
        (
            "US-2020-01",
            "2020-01-01",
            "year",
            "US",
            "stockpile",
            "stockpiling",
            "Stockpile before the shock.",
            "DLA",
        ),
        (
            "US-2025-01",
            "2025-04-04",
            "day",
            "US",
            "stockpile",
            "stockpiling",
            "Stockpile on the shock day.",
            "DLA",
        ),
        (
            "FR-2025-01",
            "2027-04-04",
            "day",
            "FR",
            "stockpile",
            "stockpiling",
            "A member state's stockpile.",
            "France",
        ),
    ]
)


def _claims(rows) -> pd.DataFrame:
    columns = ["doc_id", "kind", "start", "normalised", "sentence", "date_start", "date_end"]
    return pd.DataFrame(rows, columns=columns)


def test_member_states_go_to_the_eu_lane_and_dates_cover_their_precision():
    assert [timeline.lane(j) for j in ("FR", "DE", "EU", "JP", "NO")] == ["EU", "EU", "EU", "JP", "NO"]
    ends = timeline.event_end(EVENTS).dt.strftime("%Y-%m-%d").tolist()
    assert ends[3] == "2010-12-31" and ends[5] == "2020-12-31" and ends[0] == "2010-09-21"
    with pytest.raises(RareEarthsError, match="unknown date_precision"):
        timeline.event_end(EVENTS.assign(date_precision="week"))


def test_article_links_need_overlapping_dates_the_jurisdiction_and_a_category_word():
    sentence = "In September 2010 China imposed a halt on exports to Japan."
    claims = _claims(
        [
            ("d1", "date", 3, "2010-09", sentence, "2010-09-01", "2010-09-30"),
            ("d1", "country", 20, "CN", sentence, None, None),
            ("d1", "country", 55, "JP", sentence, None, None),
            ("d2", "year", 0, "2010", "In 2010 Japan grew.", "2010-01-01", "2010-12-31"),  # no category word
            ("d2", "country", 8, "JP", "In 2010 Japan grew.", None, None),
        ]
    )
    links = timeline.article_links(EVENTS, claims)
    assert links[["doc_id", "event_id", "matched_word"]].values.tolist() == [["d1", "CN-2010-01", "halt"]]


def test_an_organisation_named_in_the_sentence_narrows_the_links():
    sentence = "Japan's 2010 experience led to partnerships with Lynas Rare Earths Ltd."
    claims = _claims(
        [
            ("d1", "year", 8, "2010", sentence, "2010-01-01", "2010-12-31"),
            ("d1", "country", 0, "JP", sentence, None, None),
            ("d1", "organisation", 50, "Lynas Rare Earths Ltd", sentence, None, None),
        ]
    )
    assert timeline.article_links(EVENTS, claims)["event_id"].tolist() == ["JP-2010-01"]
    without_organisation = claims[claims["kind"] != "organisation"]
    assert timeline.article_links(EVENTS, without_organisation)["event_id"].tolist() == [
        "JP-2010-01",
        "JP-2010-02",
    ]


def test_build_counts_the_links_per_event():
    links = pd.DataFrame(
        {
            "doc_id": ["a", "b", "a"],
            "claim_start": [1, 2, 3],
            "event_id": ["CN-2010-01", "CN-2010-01", "JP-2010-01"],
        }
    )
    table = timeline.build(EVENTS, links).set_index("event_id")
    assert (
        table.loc["CN-2010-01", "linked_documents"] == "a;b" and table.loc["CN-2010-01", "linked_claims"] == 2
    )
    assert table.loc["US-2020-01", "linked_documents"] == "" and table.loc["FR-2025-01", "lane"] == "EU"


def test_alignment_measures_every_lane_from_each_episode_start_within_the_window():
    table = timeline.build(EVENTS, pd.DataFrame(columns=["doc_id", "claim_start", "event_id"]))
    episodes = {"S1": "2010-09-21", "S2": "2025-04-04"}
    aligned = timeline.align(table, episodes, ["JP", "US", "EU"], window_years=2).set_index(
        ["episode", "event_id"]
    )
    assert set(aligned["lane"]) == {"JP", "US", "EU"}, "China's own measures are not in the chosen lanes"
    assert aligned.loc[("S1", "JP-2011-01"), "months_from_shock"] == 12.0  # 365 days = 11.99 months, rounded
    assert aligned.loc[("S2", "US-2025-01"), "months_from_shock"] == 0.0
    assert aligned.loc[("S2", "FR-2025-01"), "months_from_shock"] == 24.0
    assert ("S2", "US-2020-01") not in aligned.index, "more than 2 years before S2"
    assert ("S1", "US-2025-01") not in aligned.index, "more than 2 years after S1"
    moved = timeline.align(table, {"S1": "2019-01-01"}, ["US"], window_years=2).set_index("event_id")
    assert moved.loc["US-2020-01", "months_from_shock"] == 12.0 and "US-2025-01" not in moved.index
    with pytest.raises(RareEarthsError, match="not an ISO date"):
        timeline.align(table, {"S1": "21/09/2010"}, ["JP"], 5)
    with pytest.raises(RareEarthsError, match="episodes must map"):
        timeline.align(table, {}, ["JP"], 5)
