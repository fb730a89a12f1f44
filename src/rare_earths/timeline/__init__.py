"""The comparative timeline: curated events in lanes, linked to the articles, aligned on each shock.

`build` puts every curated event in a lane (member-state measures go to the EU lane) and links it
to the articles whose date or year claims name it. `align` measures each lane's events in months
from its own shock. `lever_adoption` finds, for each lever and lane, the first event on or after
that lane's shock and how much later (or sooner) than Japan it came, counted from each shock.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from rare_earths.common.errors import RareEarthsError
from rare_earths.common.geography import EU_MEMBERS
from rare_earths.common.periods import period

# The shock each lane is measured from (notebook 03's defaults): China's halt of shipments to
# Japan on 21 September 2010, and its April 2025 export controls for the US and the EU.
# The notebook's parameters and their defaults (its parameters cell holds the same literals; a test checks).
DEFAULTS: dict = {
    "processed_dir": "../data/processed",
    "shocks": {"JP": "2010-09-21", "US": "2025-04-04", "EU": "2025-04-04"},
    "jurisdictions": ["JP", "US", "EU"],
    "window_years": 5,
    "timeline_years": [2008, 2026],
}


REFERENCE = "JP"
DAYS_PER_MONTH = 365.25 / 12
# Levers a consumer government can pull; the supplier's own lever and context events are left out.
RESPONSE_LEVERS = (
    "overseas_equity_offtake",
    "concessional_finance",
    "stockpiling",
    "demand_reduction_substitution",
    "recycling",
    "domestic_mining",
    "domestic_separation_refining",
    "magnet_making",
    "price_floor_offtake_guarantee",
    "trade_litigation",
    "alliances_agreements",
    "law_strategy_targets",
)
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


def lane(jurisdiction: str) -> str:
    """The timeline lane of a jurisdiction: an EU member state's measure counts for the EU."""
    return "EU" if jurisdiction in EU_MEMBERS else jurisdiction


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


def parse_shocks(shocks: dict[str, str]) -> dict[str, pd.Timestamp]:
    """Shock dates as timestamps; an unreadable date is an error naming the lane."""
    parsed = {}
    for jurisdiction, value in shocks.items():
        try:
            parsed[jurisdiction] = pd.Timestamp(dt.date.fromisoformat(str(value)))
        except ValueError as error:
            raise RareEarthsError(
                f"shocks[{jurisdiction!r}] = {value!r} is not an ISO date (YYYY-MM-DD)"
            ) from error
    return parsed


def align(
    timeline: pd.DataFrame, shocks: dict[str, str], jurisdictions: list[str], window_years: float
) -> pd.DataFrame:
    """Events of the chosen lanes measured in months from their lane's shock, within ±window_years."""
    missing = [j for j in jurisdictions if j not in shocks]
    if missing:
        raise RareEarthsError(
            f"no shock date for {missing}: add them to `shocks` (given for {sorted(shocks)})"
        )
    dates = parse_shocks(shocks)
    frame = timeline[timeline["lane"].isin(jurisdictions)].copy()
    frame["shock_date"] = frame["lane"].map(dates)
    frame["months_from_shock"] = ((frame["date"] - frame["shock_date"]).dt.days / DAYS_PER_MONTH).round(1)
    inside = frame["months_from_shock"].abs() <= window_years * 12
    return frame[inside].sort_values(["lane", "date", "event_id"]).reset_index(drop=True)


def lever_adoption(
    timeline: pd.DataFrame, shocks: dict[str, str], jurisdictions: list[str], levers=RESPONSE_LEVERS
) -> pd.DataFrame:
    """Per lever and lane: the first event on or after the lane's shock, and its lag behind Japan's first use.

    `lag_years` is (months from the lane's shock to its first use − months from Japan's shock to
    Japan's first use) / 12: positive means slower than Japan was, negative faster. `status` is
    `reference` for Japan, `used`, `not yet` (no use since the shock), or `Japan did not use`.
    """
    dates = parse_shocks(shocks)
    lanes = [REFERENCE, *[j for j in jurisdictions if j != REFERENCE]]
    rows = []
    for lever in levers:
        uses = timeline[timeline["lever"] == lever]
        by_lane = {j: uses[uses["lane"] == j] for j in lanes}
        firsts = {j: _first_after(by_lane[j], dates[j]) for j in lanes}
        reference = firsts[REFERENCE]
        reference_months = None if reference is None else _months(reference["date"], dates[REFERENCE])
        for j in lanes:
            rows.append(_adoption_row(lever, j, dates[j], firsts[j], reference_months, by_lane[j]))
    return pd.DataFrame(rows)


def _first_after(uses: pd.DataFrame, shock: pd.Timestamp) -> pd.Series | None:
    """The earliest event on or after the shock (ties broken by event_id), or None."""
    after = uses[uses["date"] >= shock].sort_values(["date", "event_id"])
    return None if after.empty else after.iloc[0]


def _months(date: pd.Timestamp, shock: pd.Timestamp) -> float:
    """Months (of 365.25 / 12 days) from the shock to the date."""
    return (date - shock).days / DAYS_PER_MONTH


def _adoption_row(
    lever: str,
    jurisdiction: str,
    shock: pd.Timestamp,
    first,
    reference_months: float | None,
    uses: pd.DataFrame,
) -> dict:
    """One row of the lever table."""
    months = None if first is None else _months(first["date"], shock)
    if jurisdiction == REFERENCE:
        status, lag = ("reference" if first is not None else "not yet"), None
    elif first is None:
        status, lag = "not yet", None
    elif reference_months is None:
        status, lag = "Japan did not use", None
    else:
        status, lag = "used", round((months - reference_months) / 12, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return {
        "lever": lever,
        "jurisdiction": jurisdiction,
        "shock_date": shock,
        "first_event_id": None if first is None else first["event_id"],
        "first_date": None if first is None else first["date"],
        "date_precision": None if first is None else first["date_precision"],
        "months_after_shock": None if months is None else round(months, 1),
        "uses_before_shock": int((uses["date"] < shock).sum()),
        "uses_since_shock": int((uses["date"] >= shock).sum()),
        "lag_years": lag,
        "status": status,
        "lag_label": f"{lag:+.1f}" if lag is not None else status,
    }
