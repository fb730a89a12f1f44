"""The comparative timeline: the policy record in lanes, linked to the articles, aligned on each episode.

`build` puts every measure in a lane (member-state measures go to the EU lane) and links it to the
articles whose date or year claims name it. `align` measures every lane in months from each shock
episode's start (the same start for everyone). Time to adoption, with equal windows and censoring,
is in `rare_earths.timeline.adoption`.
"""

from __future__ import annotations

import re

import pandas as pd

from rare_earths.common.errors import RareEarthsError
from rare_earths.common.geography import lane
from rare_earths.common.periods import period
from rare_earths.timeline import adoption

# The notebook's parameters and their defaults (its parameters cell holds the same literals; a test checks).
# The episodes are the curated record's (data/raw/curated/episodes.csv; a test checks): S1, China's
# 2010 squeeze from the July quota cut; S2, its export controls from 4 April 2025.
DEFAULTS: dict = {
    "processed_dir": "../data/processed",
    "episodes": {"S1": "2010-07-08", "S2": "2025-04-04"},
    "jurisdictions": ["JP", "US", "EU"],
    "windows": [12, 36, 60],
    "milestone_steps": ["adopted", "funded"],
    "include_member_states": True,
    "include_state_companies": False,
    "dating": "main",
    "window_years": 5,
    "timeline_years": [2008, 2026],
}
RENAMED = {
    "shocks": "episodes"
}  # parameters that were renamed: a value for the old name is refused, naming the new


DAYS_PER_MONTH = 365.25 / 12
# Words an article uses for each lever: a date claim links to an event only when its sentence also uses
# one of them (and names the event's jurisdiction). Incidents and context (lever `none`) use the last set.
LEVER_WORDS = {
    "export_restriction": (
        "embargo",
        "halt",
        "cutoff",
        "cut off",
        "ban",
        "stopp",
        "suspen",
        "block",
        "export control",
        "export restriction",
        "restriction",
        "quota",
        "licen",
        "curb",
    ),
    "trade_litigation": ("wto", "dispute", "tariff", "complaint", "case", "probe", "investigation"),
    "concessional_finance": (
        "loan",
        "grant",
        "subsid",
        "fund",
        "financ",
        "budget",
        "invest",
        "stake",
        "equity",
    ),
    "overseas_equity_offtake": (
        "invest",
        "stake",
        "equity",
        "offtake",
        "loan",
        "financ",
        "deal",
        "partner",
        "alliance",
    ),
    "alliances_agreements": ("agreement", "partner", "alliance", "framework", "deal", "summit"),
    "stockpiling": ("stockpil", "reserve"),
    "law_strategy_targets": (
        "strategy",
        "plan",
        "target",
        "law",
        "act ",
        "regulation",
        "bill",
        "tariff",
        "list",
    ),
    "price_floor_offtake_guarantee": ("price floor", "floor", "offtake", "guarantee"),
    "recycling": ("recycl",),
    "demand_reduction_substitution": ("substitut", "research", "reduc"),
    "domestic_mining": ("mine", "mining", "seabed", "mud", "deposit"),
    "domestic_separation_refining": ("plant", "refin", "process", "separat"),
    "magnet_making": ("magnet", "plant"),
    "none": ("production", "plant", "began", "started", "collision", "trawler", "deposit", "price"),
}


def event_end(events: pd.DataFrame) -> pd.Series:
    """The last day an event's date can mean, given its precision (a month-precision date covers the
    month)."""
    try:
        ends = [
            period(date, precision)[1]
            for date, precision in zip(events["date"], events["date_precision"], strict=True)
        ]
    except RareEarthsError as error:
        raise RareEarthsError(f"events: unknown date_precision: {error}") from error
    return pd.Series(ends, index=events.index)


def article_links(events: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Date and year claims matched to the events they name: overlapping dates, the event's jurisdiction named
    in the claim's sentence, and a word of the event's lever there too (organisations named there narrow
    the match).

    One row per (claim, event); `claims` has the layout of claims.parquet (kinds country, date, year in use).
    """
    columns = ["doc_id", "claim_start", "claim_kind", "claim_date", "event_id", "matched_word"]
    dated = claims[claims["kind"].isin(["date", "year"]) & claims["date_start"].notna()]
    if dated.empty or events.empty:
        return pd.DataFrame(columns=columns)
    countries = (
        claims[claims["kind"] == "country"].groupby(["doc_id", "sentence"])["normalised"].agg(frozenset)
    )
    organisations = (
        claims[claims["kind"] == "organisation"].groupby(["doc_id", "sentence"])["normalised"].agg(frozenset)
    )
    frame = events.assign(end=event_end(events), lane=events["jurisdiction"].map(lane))
    rows = []
    for claim in dated.itertuples():
        named = countries.get((claim.doc_id, claim.sentence), frozenset())
        start, stop = pd.Timestamp(claim.date_start), pd.Timestamp(claim.date_end)
        overlapping = frame[(frame["date"] <= stop) & (frame["end"] >= start)]
        overlapping = overlapping[overlapping["jurisdiction"].isin(named) | overlapping["lane"].isin(named)]
        matched = [
            (event, word)
            for event in overlapping.itertuples()
            if (word := _lever_word(event.lever, claim.sentence))
        ]
        matched = _prefer_named_organisations(
            matched, organisations.get((claim.doc_id, claim.sentence), frozenset())
        )
        rows.extend(
            (claim.doc_id, claim.start, claim.kind, claim.normalised, event.event_id, word)
            for event, word in matched
        )
    return (
        pd.DataFrame(rows, columns=columns)
        .sort_values(["doc_id", "claim_start", "event_id"])
        .reset_index(drop=True)
    )


def _prefer_named_organisations(matched: list, organisations: frozenset[str]) -> list:
    """When the sentence names an organisation, keep only the events that involve it (if any do)."""
    keys = {name.split()[0].lower() for name in organisations if name}
    involving = [
        (event, word)
        for event, word in matched
        if any(key in f"{event.actors} {event.description}".lower() for key in keys)
    ]
    return involving or matched


def _lever_word(lever: str, sentence: str) -> str | None:
    """The first word of the lever's vocabulary that the sentence uses, if any."""
    lowered = sentence.lower()
    return next(
        (word for word in LEVER_WORDS.get(lever, ()) if re.search(rf"\b{re.escape(word)}", lowered)),
        None,
    )


def build(events: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Every curated event with its lane, the last day its date can mean and the articles that mention it."""
    by_event = links.groupby("event_id").agg(
        linked_documents=("doc_id", lambda s: ";".join(sorted(set(s)))), linked_claims=("claim_start", "size")
    )
    frame = events.assign(
        lane=events["jurisdiction"].map(lane), date_end=event_end(events), year=events["date"].dt.year
    )
    frame = frame.join(by_event, on="event_id")
    frame["linked_documents"] = frame["linked_documents"].fillna("")
    frame["linked_claims"] = frame["linked_claims"].fillna(0).astype(int)
    return frame.sort_values(["date", "event_id"]).reset_index(drop=True)


def align(
    timeline: pd.DataFrame, episodes: dict[str, str], jurisdictions: list[str], window_years: float
) -> pd.DataFrame:
    """Measures of the chosen lanes in months from each episode's start (the same start for every lane),
    within ±window_years; one row per episode and measure."""
    starts = adoption.parse_episodes(episodes)
    parts = []
    for episode, start in starts.items():
        frame = timeline[timeline["lane"].isin(jurisdictions)].copy()
        frame["shock_date"] = start
        frame["months_from_shock"] = ((frame["date"] - start).dt.days / DAYS_PER_MONTH).round(1)
        frame["episode"] = episode
        parts.append(frame[frame["months_from_shock"].abs() <= window_years * 12])
    aligned = pd.concat(parts, ignore_index=True)
    return aligned.sort_values(["episode", "lane", "date", "event_id"]).reset_index(drop=True)
