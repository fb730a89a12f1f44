"""Summaries of the policy record for notebook 02: by lane and axis, money, reliability, crosswalk, changes.

Every function takes the processed tables (a mapping of name to frame) and returns a small frame for
display; none of them changes the record.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from rare_earths.common.geography import lane

LANES = ("JP", "US", "EU", "CN", "other")


def lane_of(jurisdiction: str) -> str:
    """The study's lanes: Japan, the US, the EU (institutions and member states), China, everyone else."""
    own = lane(jurisdiction)
    return own if own in LANES else "other"


def _lanes_in_order(table: pd.DataFrame) -> pd.DataFrame:
    """A lane crosstab with its columns in the study's order, totals last."""
    return table.reindex(columns=[c for c in (*LANES, "all") if c in table.columns])


def _measures(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    measures = tables["measures"]
    return measures.assign(lane=measures["jurisdiction"].map(lane_of))


def by_lane(tables: Mapping[str, pd.DataFrame], column: str, *, measures_only: bool = False) -> pd.DataFrame:
    """Rows of the record per value of `column` (rows) and lane (columns), with totals."""
    frame = _measures(tables)
    if measures_only:
        frame = frame[frame["kind"] == "measure"]
    table = pd.crosstab(frame[column], frame["lane"], margins=True, margins_name="all")
    return _lanes_in_order(table)


def milestone_steps(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Milestones per step and lane, and how many carry alternative dates."""
    lanes = _measures(tables).set_index("measure_id")["lane"]
    milestones = tables["milestones"].assign(lane=lambda f: f["measure_id"].map(lanes))
    table = pd.crosstab(milestones["step"], milestones["lane"], margins=True, margins_name="all")
    table = _lanes_in_order(table)
    table["with_alternative_dates"] = (
        milestones.assign(alt=milestones["alt_dates"] != "").groupby("step")["alt"].sum().reindex(table.index)
    )
    table.loc["all", "with_alternative_dates"] = int((milestones["alt_dates"] != "").sum())
    return table.astype(int)


def money(tables: Mapping[str, pd.DataFrame], top: int = 15) -> pd.DataFrame:
    """The largest amounts in 2024 US dollars (millions), with what they cover; amounts inside an envelope are
    marked. Amounts of different kinds (a loan, an envelope, a pipeline) are listed, never added up."""
    events = tables["events"]
    funded = events[events["amount"].notna()].sort_values(
        "amount_usd_2024", ascending=False, na_position="last"
    )
    frame = pd.DataFrame(
        {
            "measure": funded["event_id"],
            "kind": funded["kind"],
            "title": funded["title"],
            "amount (millions)": [
                f"{amount / 1e6:,.1f} {currency}"
                for amount, currency in zip(funded["amount"], funded["currency"], strict=True)
            ],
            "USD 2024 (millions)": funded["amount_usd_2024"].map(
                lambda v: "—" if pd.isna(v) else f"{v / 1e6:,.0f}"
            ),
            "what it covers": funded["amount_scope"],
            "inside": funded["amount_part_of"].fillna(""),
        }
    )
    return frame.head(top).reset_index(drop=True)


def money_coverage(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per lane: state measures with an amount, how many could be converted to 2024 dollars, and the largest.
    No total: the amounts are of different kinds (loans, grants, envelopes, pipelines)."""
    events = tables["events"].assign(lane=lambda f: f["jurisdiction"].map(lane_of))
    funded = events[(events["kind"] == "measure") & events["amount"].notna()]
    table = pd.DataFrame(
        {
            "measures_with_amount": funded.groupby("lane").size(),
            "converted_to_usd_2024": funded.groupby("lane")["amount_usd_2024"].count(),
            "largest_usd_2024_millions": (funded.groupby("lane")["amount_usd_2024"].max() / 1e6).round(0),
        }
    )
    return table.reindex([lane for lane in LANES if lane in table.index])


def crosswalk(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Tracker entries reviewed per tracker and decision, and how many measures carry a tracker id."""
    review = tables["tracker_review"].assign(tracker=lambda f: f["candidate_id"].str.split("-").str[0])
    table = pd.crosstab(review["tracker"], review["decision"], margins=True, margins_name="all")
    return table


def changes(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """What became of the former event record, per lane of the former row and outcome."""
    migration = tables["events_migration"]
    lane = migration["event_id"].str[:2].map(lane_of)
    table = pd.crosstab(migration["outcome"], lane, margins=True, margins_name="all")
    return _lanes_in_order(table)


def before_after(tables: Mapping[str, pd.DataFrame], legacy_rows: int) -> pd.DataFrame:
    """Counts of the former record and the new one."""
    measures = tables["measures"]
    migration = tables["events_migration"]
    new = measures["replaces"].fillna("").eq("")
    return pd.DataFrame(
        [
            ("rows of the former event record", legacy_rows),
            ("measures, incidents and context rows now", len(measures)),
            ("  of which measures (state decisions)", int((measures["kind"] == "measure").sum())),
            ("  of which incidents", int((measures["kind"] == "incident").sum())),
            ("  of which context", int((measures["kind"] == "context").sum())),
            ("  of which new (no former row)", int(new.sum())),
            ("milestones", len(tables["milestones"])),
            ("former rows merged into another measure", int((migration["outcome"] == "merged").sum())),
            ("former rows moved to the indicators", int((migration["outcome"] == "to_indicators").sum())),
            ("former rows dropped", int((migration["outcome"] == "dropped").sum())),
        ],
        columns=["count", "rows"],
    )


def automatic_links(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The automatic linker (`event_links`) against the reviewed crosswalk, per tracker: how often it linked a
    reviewed entry, and to the same measure."""
    candidates = tables["event_candidates"].set_index("candidate_id")["curated_event_id"]
    review = tables["tracker_review"]
    curated = review[review["decision"] == "curated"].set_index("candidate_id")["measure_id"]
    automatic = candidates.reindex(curated.index)
    frame = pd.DataFrame(
        {
            "tracker": curated.index.str.split("-").str[0],
            "linked": automatic.notna().to_numpy(),
            "same_measure": (automatic == curated).to_numpy(),
        }
    )
    table = frame.groupby("tracker").agg(
        reviewed_curated=("linked", "size"),
        linked_automatically=("linked", "sum"),
        same_measure=("same_measure", "sum"),
    )
    unreviewed = candidates.dropna().index.difference(review["candidate_id"])
    table.loc["linked automatically, not reviewed", :] = [len(unreviewed), len(unreviewed), 0]
    return table.astype(int)
