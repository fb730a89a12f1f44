"""The record's own rules, beyond what a Table Schema can say (CODEBOOK.md).

Each rule returns `Issue`s naming the file, the CSV line and the rule:

- measures: `measure-without-instrument` (a measure coded `none`), `context-with-instrument`,
  `supplier-instrument` (only the supplier state restricts exports), `actor-type-jurisdiction`
  (an actor type that does not fit the jurisdiction), `amount-without-scope`,
  `amount-without-currency`, `unknown-envelope`, `landmark-without-reason`,
  `measure-without-milestone`, `in-force-before` (the flag disagrees with the first milestone and
  the episodes), `unknown-legacy-event`;
- milestones: `unknown-measure`, `milestone-order` (a step dated before an earlier step of the
  same measure, such as adoption before announcement), `occurred-for-measure`,
  `alt-date-without-source`;
- sources: `placeholder-title`, `primary-mirror`;
- episodes: `episode-date` (the start is not the date of the named milestone);
- coding_check: `unknown-measure`, `unknown-code`, `unresolved-code` (the resolved code is not
  the one in measures.csv);
- tracker_review: `unknown-measure`, `tracker-id-missing`, `out-of-scope-without-reason`, and
  `unreviewed-tracker-id` for a measure's tracker id that the review does not list;
- events_migration: `unmigrated-event`, `unknown-measure`, `measure-required`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rare_earths.common import registry
from rare_earths.common.errors import Issue
from rare_earths.common.geography import EU_MEMBERS
from rare_earths.common.periods import period

STEPS = ("announced", "adopted", "funded", "disbursed", "operational", "suspended", "ended")
AXES = ("kind", "instrument", "stage", "actor_type")
TRACKER_COLUMNS = ("gta_ids", "iea_ids", "lanthanides_ids")
# Which jurisdictions each actor type may act for (None: any).
ACTOR_JURISDICTIONS = {
    "national_government": lambda j: j not in ("EU", "CN") and j not in EU_MEMBERS,
    "state_agency": lambda j: j not in ("EU", "CN") and j not in EU_MEMBERS,
    "eu_institution": lambda j: j == "EU",
    "member_state": lambda j: j in EU_MEMBERS,
    "supplier_state": lambda j: j == "CN",
}
# What an actor type may be in the EU and China lanes.
LANE_ACTORS = {
    "EU": {"eu_institution", "private_company", "research_body", "international_body"},
    "CN": {"supplier_state", "state_company", "private_company", "research_body", "international_body"},
}
PLACEHOLDER = re.compile(
    r"title not|\[title|\(title|placeholder|untitled|tag page|^\W*$|\.\.\. \(|^n/?a$", re.IGNORECASE
)


def check(folder: Path, frames: dict[str, pd.DataFrame]) -> list[Issue]:
    """Every rule on the tables that are present."""
    measures, milestones = frames["measures"], frames["milestones"]
    file = {name: str(folder / f"{name}.csv") for name in frames}
    issues = [*_measure_rules(file["measures"], measures), *_envelopes(file["measures"], measures)]
    issues += _milestone_rules(file["milestones"], milestones, measures)
    issues += _without_milestone(file["measures"], measures, milestones)
    issues += _source_rules(file["sources"], frames["sources"])
    if "episodes" in frames:
        issues += _episode_rules(file["episodes"], frames["episodes"], milestones)
        issues += _in_force_before(file["measures"], measures, milestones, frames["episodes"])
    if "targets" in frames:
        issues += _target_rules(file["targets"], frames["targets"], measures, frames.get("indicators"))
    if "coding_check" in frames:
        issues += _coding_rules(file["coding_check"], frames["coding_check"], measures)
    if "tracker_review" in frames:
        issues += _tracker_rules(file["tracker_review"], frames["tracker_review"], measures)
    if "events_migration" in frames and "legacy" in frames:
        issues += _migration_rules(
            file["events_migration"], frames["events_migration"], measures, frames["legacy"]
        )
        issues += _replaces(file["measures"], measures, frames["legacy"])
    return issues


def _line(index) -> int:
    return int(index) + 2


def _measure_rules(file: str, measures: pd.DataFrame) -> list[Issue]:
    issues = []
    for index, row in measures.iterrows():
        line = _line(index)
        if row["kind"] == "measure" and row["instrument"] == "none":
            issues.append(
                Issue(
                    file,
                    line,
                    "instrument",
                    "measure-without-instrument",
                    "a measure must have an instrument (incidents and context take `none`)",
                )
            )
        if row["kind"] in ("incident", "context") and row["instrument"] not in ("", "none"):
            issues.append(
                Issue(
                    file,
                    line,
                    "instrument",
                    "context-with-instrument",
                    f"a {row['kind']} row is not a lever: instrument must be `none`",
                )
            )
        if row["instrument"] == "export_restriction" and row["actor_type"] != "supplier_state":
            issues.append(
                Issue(
                    file,
                    line,
                    "instrument",
                    "supplier-instrument",
                    "export_restriction is the supplier state's lever (actor_type supplier_state)",
                )
            )
        fits = ACTOR_JURISDICTIONS.get(row["actor_type"], lambda j: True)
        lane_ok = row["actor_type"] in LANE_ACTORS.get(row["jurisdiction"], {row["actor_type"]})
        if not (fits(row["jurisdiction"]) and lane_ok):
            message = f"actor type {row['actor_type']!r} does not fit jurisdiction {row['jurisdiction']!r}"
            issues.append(Issue(file, line, "actor_type", "actor-type-jurisdiction", message))
        if row["amount"] and not row["amount_scope"].strip():
            issues.append(
                Issue(
                    file,
                    line,
                    "amount_scope",
                    "amount-without-scope",
                    "an amount needs amount_scope: what it covers and what kind of money it is",
                )
            )
        if row["amount"] and not (row.get("amount_kind", "x") and row.get("amount_rare_earth_only", "x")):
            issues.append(
                Issue(
                    file,
                    line,
                    "amount_kind",
                    "amount-without-kind",
                    "an amount needs amount_kind and amount_rare_earth_only (CODEBOOK.md, money)",
                )
            )
        deal = [
            row.get(name, "") for name in ("deal_amount", "deal_currency", "deal_parts", "deal_source_id")
        ]
        if any(deal) and not all(deal):
            issues.append(
                Issue(
                    file,
                    line,
                    "deal_amount",
                    "deal-incomplete",
                    "deal_amount, deal_currency, deal_parts and deal_source_id go together",
                )
            )
        if bool(row["amount"]) != bool(row["currency"]):
            issues.append(
                Issue(file, line, "currency", "amount-without-currency", "amount and currency go together")
            )
        if row["landmark"].lower() == "true" and not row["landmark_reason"].strip():
            issues.append(
                Issue(file, line, "landmark_reason", "landmark-without-reason", "a landmark needs a reason")
            )
    return issues


def _envelopes(file: str, measures: pd.DataFrame) -> list[Issue]:
    known = set(measures["measure_id"])
    issues = []
    for index, row in measures.iterrows():
        envelope = row["amount_part_of"]
        if envelope and (envelope not in known or envelope == row["measure_id"]):
            issues.append(
                Issue(
                    file,
                    _line(index),
                    "amount_part_of",
                    "unknown-envelope",
                    f"{envelope!r} is not another measure in measures.csv",
                )
            )
    return issues


def _span(date: str, precision: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The period a date stands for, or None when the date is unreadable (frictionless reports that)."""
    try:
        start = pd.Timestamp(date)
    except ValueError:
        return None
    try:
        return period(start, precision)
    except (KeyError, ValueError):
        return start, start


def _milestone_rules(file: str, milestones: pd.DataFrame, measures: pd.DataFrame) -> list[Issue]:
    kinds = dict(zip(measures["measure_id"], measures["kind"], strict=True))
    issues = []
    for index, row in milestones.iterrows():
        line = _line(index)
        if row["measure_id"] not in kinds:
            issues.append(_unknown_measure(file, line, row["measure_id"]))
        elif row["step"] == "occurred" and kinds[row["measure_id"]] == "measure":
            issues.append(
                Issue(
                    file,
                    line,
                    "step",
                    "occurred-for-measure",
                    "a measure's steps are announced ... ended; `occurred` is for incidents and context",
                )
            )
        dates = [d for d in row["alt_dates"].split(";") if d]
        sources = [s for s in row["alt_source_ids"].split(";") if s.strip()]
        if len(dates) != len(sources):
            message = (
                f"{len(dates)} alternative date(s) but {len(sources)} source(s): "
                "every alternative date needs its source"
            )
            issues.append(Issue(file, line, "alt_source_ids", "alt-date-without-source", message))
    issues += _order(file, milestones)
    return issues


def _order(file: str, milestones: pd.DataFrame) -> list[Issue]:
    """A later step may not end before an earlier step of the same measure begins."""
    issues = []
    rank = {step: number for number, step in enumerate(STEPS)}
    for _, group in milestones[milestones["step"].isin(STEPS)].groupby("measure_id", sort=False):
        spans = {index: _span(row["date"], row["date_precision"]) for index, row in group.iterrows()}
        spans = {index: span for index, span in spans.items() if span is not None}
        for index, row in group.iterrows():
            if index not in spans:
                continue
            earlier = [
                (spans[i][0], r["step"])
                for i, r in group.iterrows()
                if i in spans and rank[r["step"]] < rank[row["step"]] and spans[i][0] > spans[index][1]
            ]
            if earlier:
                start, step = max(earlier)
                message = (
                    f"{row['step']} on {row['date']} is before the measure's {step} on {start.date()}: "
                    "steps follow announced, adopted, funded, disbursed, operational, suspended, ended"
                )
                issues.append(Issue(file, _line(index), "date", "milestone-order", message))
    return issues


def _without_milestone(file: str, measures: pd.DataFrame, milestones: pd.DataFrame) -> list[Issue]:
    used = set(milestones["measure_id"])
    return [
        Issue(
            file,
            _line(index),
            "measure_id",
            "measure-without-milestone",
            f"{row['measure_id']} has no milestone in milestones.csv",
        )
        for index, row in measures.iterrows()
        if row["measure_id"] not in used
    ]


def _source_rules(file: str, sources: pd.DataFrame) -> list[Issue]:
    issues = []
    for index, row in sources.iterrows():
        if PLACEHOLDER.search(row["title"]):
            issues.append(
                Issue(
                    file,
                    _line(index),
                    "title",
                    "placeholder-title",
                    f"{row['title']!r} is a placeholder, not the document's title",
                )
            )
        if row.get("primary", "").lower() == "true" and row.get("mirror_of", ""):
            issues.append(
                Issue(
                    file,
                    _line(index),
                    "mirror_of",
                    "primary-mirror",
                    "a mirror or reprint is not the primary document",
                )
            )
    return issues


STEP_ORDER = {step: number for number, step in enumerate((*STEPS, "occurred"))}


def in_order(milestones: pd.DataFrame) -> pd.DataFrame:
    """The milestones of each measure in time order (same day: the earlier step); rows whose date cannot be
    read are left out (frictionless reports them)."""
    dates = pd.to_datetime(milestones["date"], errors="coerce")
    ranked = milestones.assign(_rank=milestones["step"].map(STEP_ORDER), _date=dates)[dates.notna()]
    return ranked.sort_values(["measure_id", "_date", "_rank"]).drop(columns=["_rank", "_date"])


def first_milestones(milestones: pd.DataFrame) -> pd.DataFrame:
    """Each measure's earliest milestone (ties: the earlier step), indexed by measure_id."""
    return in_order(milestones).groupby("measure_id", sort=False).head(1).set_index("measure_id")


def _unknown_measure(file: str, line: int, measure_id: str) -> Issue:
    return Issue(file, line, "measure_id", "unknown-measure", f"{measure_id!r} is not in measures.csv")


def _episode_rules(file: str, episodes: pd.DataFrame, milestones: pd.DataFrame) -> list[Issue]:
    issues = []
    for index, row in episodes.iterrows():
        match = milestones[
            (milestones["measure_id"] == row["measure_id"]) & (milestones["step"] == row["step"])
        ]
        if str(row["start"])[:10] not in set(match["date"].astype(str).str[:10]):
            message = f"no {row['step']} milestone of {row['measure_id']} is dated {str(row['start'])[:10]}"
            issues.append(Issue(file, _line(index), "start", "episode-date", message))
    return issues


def _in_force_before(
    file: str, measures: pd.DataFrame, milestones: pd.DataFrame, episodes: pd.DataFrame
) -> list[Issue]:
    starts = dict(zip(episodes["episode"], pd.to_datetime(episodes["start"]), strict=True))
    if not {"S1", "S2"} <= set(starts):
        return []
    first = first_milestones(milestones)
    issues = []
    for index, row in measures.iterrows():
        if row["measure_id"] not in first.index:
            continue
        date = pd.Timestamp(first.loc[row["measure_id"], "date"])
        expected = "S1" if date < starts["S1"] else "S2" if date < starts["S2"] else ""
        if row["in_force_before"] != expected:
            message = (
                f"first milestone {date.date()} means in_force_before {expected or '(empty)'}, "
                f"not {row['in_force_before'] or '(empty)'}"
            )
            issues.append(Issue(file, _line(index), "in_force_before", "in-force-before", message))
    return issues


def _target_rules(
    file: str, targets: pd.DataFrame, measures: pd.DataFrame, indicators: pd.DataFrame | None
) -> list[Issue]:
    """A target names a measure of the record, and an indicator that indicators.csv holds (if any)."""
    known = set(measures["measure_id"])
    measured = (
        set()
        if indicators is None
        else set(zip(indicators["indicator"], indicators["geography"], strict=True))
    )
    issues = []
    for index, row in targets.iterrows():
        if row["measure_id"] not in known:
            issues.append(_unknown_measure(file, _line(index), row["measure_id"]))
        if row["indicator"] and (row["indicator"], row["geography"]) not in measured:
            message = f"no indicator {row['indicator']!r} for {row['geography']!r} in indicators.csv"
            issues.append(Issue(file, _line(index), "indicator", "unknown-indicator", message))
    return issues


def _coding_rules(file: str, coding: pd.DataFrame, measures: pd.DataFrame) -> list[Issue]:
    current = measures.set_index("measure_id")
    allowed = _allowed_codes()
    issues = []
    for index, row in coding.iterrows():
        line = _line(index)
        if row["measure_id"] not in current.index:
            issues.append(_unknown_measure(file, line, row["measure_id"]))
            continue
        for column in ("first_code", "second_code", "resolved_code"):
            if row[column] not in allowed.get(row["axis"], {row[column]}):
                issues.append(
                    Issue(file, line, column, "unknown-code", f"{row[column]!r} is not a {row['axis']} code")
                )
        if (
            row["axis"] in current.columns
            and row["resolved_code"] != current.loc[row["measure_id"], row["axis"]]
        ):
            message = (
                f"resolved {row['axis']} {row['resolved_code']!r} but measures.csv has "
                f"{current.loc[row['measure_id'], row['axis']]!r}"
            )
            issues.append(Issue(file, line, "resolved_code", "unresolved-code", message))
    return issues


def _allowed_codes() -> dict[str, set[str]]:
    fields = registry.schema("measures")["fields"]
    return {f["name"]: set(f["constraints"]["enum"]) for f in fields if f["name"] in AXES}


def _tracker_rules(file: str, review: pd.DataFrame, measures: pd.DataFrame) -> list[Issue]:
    carried = {
        row["measure_id"]: set(filter(None, ";".join(row[c] for c in TRACKER_COLUMNS).split(";")))
        for _, row in measures.iterrows()
    }
    issues = []
    for index, row in review.iterrows():
        line = _line(index)
        if row["decision"] == "curated":
            if row["measure_id"] not in carried:
                issues.append(_unknown_measure(file, line, row["measure_id"]))
            elif row["candidate_id"] not in carried[row["measure_id"]]:
                issues.append(
                    Issue(
                        file,
                        line,
                        "candidate_id",
                        "tracker-id-missing",
                        f"{row['measure_id']} does not list {row['candidate_id']} among its tracker ids",
                    )
                )
        elif not row["reason"].strip():
            issues.append(
                Issue(
                    file,
                    line,
                    "reason",
                    "out-of-scope-without-reason",
                    "an out-of-scope tracker entry needs a reason",
                )
            )
    reviewed = set(review.loc[review["decision"] == "curated", "candidate_id"])
    measure_file = str(Path(file).with_name("measures.csv"))
    for index, row in measures.iterrows():
        for candidate in sorted(carried[row["measure_id"]] - reviewed):
            issues.append(
                Issue(
                    measure_file,
                    _line(index),
                    "gta_ids",
                    "unreviewed-tracker-id",
                    f"{candidate} is not listed as curated in tracker_review.csv",
                )
            )
    return issues


def _migration_rules(
    file: str, migration: pd.DataFrame, measures: pd.DataFrame, legacy: pd.DataFrame
) -> list[Issue]:
    known = set(measures["measure_id"])
    issues = []
    for index, row in migration.iterrows():
        line = _line(index)
        if row["measure_id"] and row["measure_id"] not in known:
            issues.append(_unknown_measure(file, line, row["measure_id"]))
        if row["outcome"] in ("kept", "merged", "to_context") and not row["measure_id"]:
            issues.append(
                Issue(
                    file,
                    line,
                    "measure_id",
                    "measure-required",
                    f"outcome {row['outcome']!r} names the measure that carries the row",
                )
            )
    missing = sorted(set(legacy["event_id"]) - set(migration["event_id"]))
    if missing:
        issues.append(
            Issue(
                file,
                None,
                "event_id",
                "unmigrated-event",
                f"{len(missing)} rows of legacy/events.csv have no outcome: {', '.join(missing[:10])}",
            )
        )
    return issues


def _replaces(file: str, measures: pd.DataFrame, legacy: pd.DataFrame) -> list[Issue]:
    known = set(legacy["event_id"])
    issues = []
    for index, row in measures.iterrows():
        for event_id in filter(None, (p.strip() for p in row["replaces"].split(";"))):
            if event_id not in known:
                issues.append(
                    Issue(
                        file,
                        _line(index),
                        "replaces",
                        "unknown-legacy-event",
                        f"{event_id!r} is not in legacy/events.csv",
                    )
                )
    return issues
