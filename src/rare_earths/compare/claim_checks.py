"""Check the articles' quantitative claims against the indicators and events of the curated record.

Each claim of kind percentage, money, quantity or duration goes through the rules in `RULES`, in
order; the first rule whose words match the claim's sentence measures it and gives a verdict:

- `supported`: the evidence agrees within the rule's tolerance;
- `supported with a caveat`: it agrees only when read differently (a fall in percentage points
  written as a percent, a share of output written as a share of capacity, money from more
  parties than the claim names);
- `consistent with some sources only`: the default basis disagrees, but the figures of one kind of
  source (industry estimates, news of unstated origin, ...) agree; the note names which agree and which
  do not;
- `contradicted`: the evidence disagrees;
- `not checkable`: no indicator or event measures it (the reason is in `note`).

Every verdict carries the evidence value, its period and its source, so it can be re-read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from rare_earths.common.periods import DAYS_PER_MONTH

VERDICTS = (
    "supported",
    "supported with a caveat",
    "consistent with some sources only",
    "contradicted",
    "not checkable",
)
# The kinds of source whose figures are compared with each other, never across kinds.
SOURCE_FAMILIES = {
    "official": "customs statistics",
    "official_via_secondary": "customs statistics",
    "government_assessment": "government assessments",
    "industry_or_analyst_estimate": "industry or analyst estimates",
    "unattributed": "news of unstated origin",
}
NARROW_SCOPES = ("element_subset", "raw_materials_only")  # not comparable with a share of all rare earths
RECENT_YEARS = 3  # "now" is a figure for a year at most this long before the article's publication
BASIS_WORDS = r"by (value|weight|volume)|in (value|volume|tonnage) terms|of (its )?imports|tonnes|by tonnage"
QUANTITATIVE_KINDS = ("percentage", "money", "quantity", "duration")
SHARE_TOLERANCE_PP = 5.0  # a stated share or change agrees within 5 points
AMOUNT_TOLERANCE = 0.02  # a stated amount agrees within 2%
MONTHS_TOLERANCE = 0.5
YEARS_TOLERANCE = 1.0
EMBARGO_WORDS = r"halt|embargo|suspension of shipments"  # a halt of shipments, by its title
COLUMNS = (
    "doc_id",
    "claim_start",
    "kind",
    "claim_text",
    "claimed_value",
    "claimed_unit",
    "qualifier",
    "claim_basis",
    "topic",
    "verdict",
    "evidence_value",
    "evidence_unit",
    "evidence_period",
    "evidence_source_id",
    "evidence_ref",
    "note",
    "rewrite_of",
)


@dataclass(frozen=True)
class Context:
    """What the rules read: the claims (for a sentence's countries and organisations), documents and the
    record."""

    claims: pd.DataFrame
    documents: pd.DataFrame
    indicators: pd.DataFrame
    events: pd.DataFrame
    import_best: pd.DataFrame  # compare.import_shares
    import_figures: pd.DataFrame  # compare.import_figures
    links: pd.DataFrame  # timeline.article_links

    def named(self, claim, kind: str) -> list[str]:
        """The countries or organisations extracted from the claim's sentence, in text order."""
        rows = self.claims[
            (self.claims["doc_id"] == claim.doc_id)
            & (self.claims["sentence"] == claim.sentence)
            & (self.claims["kind"] == kind)
        ]
        return list(dict.fromkeys(rows.sort_values("start")["normalised"].dropna()))

    def rewrite_of(self, doc_id: str) -> str | None:
        """The outlet whose piece the article rewrites or summarises, when it says so."""
        value = self.documents.loc[self.documents["doc_id"] == doc_id, "original_outlet"]
        return None if value.empty or pd.isna(value.iloc[0]) else str(value.iloc[0])

    def published(self, doc_id: str) -> pd.Timestamp | None:
        """The article's publication date, if it states one."""
        value = self.documents.loc[self.documents["doc_id"] == doc_id, "published"]
        return None if value.empty or pd.isna(value.iloc[0]) else pd.Timestamp(value.iloc[0])


def check(ctx: Context) -> pd.DataFrame:
    """One row per quantitative claim, with its verdict and evidence."""
    rows = []
    for claim in (
        ctx.claims[ctx.claims["kind"].isin(QUANTITATIVE_KINDS)].sort_values(["doc_id", "start"]).itertuples()
    ):
        base = {
            "doc_id": claim.doc_id,
            "claim_start": int(claim.start),
            "kind": claim.kind,
            "claim_text": claim.text,
            "claimed_value": claim.value,
            "claimed_unit": claim.unit,
            "qualifier": claim.qualifier,
            "claim_basis": _stated_basis(claim.sentence),
            "rewrite_of": ctx.rewrite_of(claim.doc_id),
        }
        result = next(
            (
                rule(claim, ctx)
                for words, kinds, rule in RULES
                if claim.kind in kinds and _says(claim.sentence, words)
            ),
            None,
        )
        rows.append(
            base
            | (result or _not_checkable("other", "no indicator or event in the record measures this claim"))
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _stated_basis(sentence: str) -> str:
    """The basis the claim's sentence states (by value, by weight, of imports, ...), or "not stated"."""
    found = [m.group(0) for m in re.finditer(BASIS_WORDS, sentence, re.I)]
    return "; ".join(dict.fromkeys(found)) or "not stated"


def _says(sentence: str, words: tuple[str, ...]) -> bool:
    """Whether the sentence uses every group of words (each group a regular expression)."""
    return all(re.search(group, sentence, re.I) for group in words)


def _not_checkable(topic: str, note: str) -> dict:
    """A verdict row without evidence."""
    return {"topic": topic, "verdict": "not checkable", "note": note}


def _share(claimed: float, qualifier: str | None, evidence: float) -> bool:
    """Whether a stated share agrees: above it for "over", below for "no more than", else within the
    tolerance."""
    if qualifier in ("over", "more than", "above", "at least"):
        return evidence >= claimed
    if qualifier in ("under", "less than", "below", "no more than", "at most"):
        return evidence <= claimed
    return abs(evidence - claimed) <= SHARE_TOLERANCE_PP


def refining_share(claim, ctx: Context) -> dict:
    """China's share of refining: the curated indicator in the claim's year (or the latest), IEA rows first
    when the claim cites the IEA."""
    rows = ctx.indicators[ctx.indicators["indicator"] == "china_share_of_refining"]
    if rows.empty:
        return _not_checkable("china_share_of_refining", "the record has no refining share")
    year = _claim_year(claim, ctx) or int(rows["year"].max())
    cites_iea = bool(re.search(r"\bIEA\b|International Energy Agency", claim.sentence))
    rows = rows.assign(
        distance=(rows["year"] - year).abs(), cited=rows["edition"].fillna("").str.contains("IEA") & cites_iea
    )
    best = rows.sort_values(
        ["distance", "cited", "year", "source_id"], ascending=[True, False, False, True]
    ).iloc[0]
    agrees = _share(claim.value, claim.qualifier, best["value"])
    caveats = []
    if re.search(r"capacity", claim.sentence, re.I) and "capacity" not in str(best["locator"]).lower():
        caveats.append(
            "the claim speaks of refining capacity; the evidence is a share of refining that does not say "
            "whether of capacity or of output"
        )
    if best["year"] != year:
        caveats.append(f"nearest evidence year is {best['year']}, the claim's is {year}")
    others = ", ".join(
        f"{r.value:g}% ({r.year}, {r.source_id})"
        for r in rows.sort_values(["year", "source_id"]).itertuples()
    )
    verdict = "contradicted" if not agrees else ("supported with a caveat" if caveats else "supported")
    return _evidence(
        "china_share_of_refining",
        verdict,
        best["value"],
        "pct",
        str(best["year"]),
        best["source_id"],
        best["locator"],
        "; ".join([*caveats, f"all refining figures: {others}"]),
    )


def import_reliance_change(claim, ctx: Context) -> dict:
    """A fall in reliance on China since a year, graded on the whole range of the evidence.

    The default-basis series decides first: its relative fall (or, with a caveat, its fall in points)
    agrees within the tolerance. Otherwise each kind of source is graded on its own: every pairing of its
    full-year figures for the baseline year with its figures for a recent year (at most `RECENT_YEARS`
    before publication) gives a range of falls; a kind whose range, widened by the tolerance, holds the
    claim agrees. Kinds are never mixed in one pairing, and narrower scopes (some elements, raw materials
    only) are left out."""
    jurisdiction = next((c for c in ctx.named(claim, "country") if c != "CN"), None)
    baseline = int(claim.period) if claim.period and str(claim.period).isdigit() else None
    series = (
        ctx.import_best[ctx.import_best["jurisdiction"] == jurisdiction].set_index("year")
        if jurisdiction
        else pd.DataFrame()
    )
    if baseline is None or series.empty or baseline not in series.index:
        where = f"{jurisdiction or 'the country named'} in {baseline or 'the baseline year'}"
        return _not_checkable("china_share_of_imports", f"no best import-share figure for {where}")
    latest = int(series.index.max())
    before, now = series.loc[baseline, "share_pct"], series.loc[latest, "share_pct"]
    relative, points = (before - now) / before * 100, before - now
    default = (
        f"default basis: {before:g}% in {baseline} ({series.loc[baseline, 'source_id']}) to {now:g}% in "
        f"{latest} ({series.loc[latest, 'source_id']}), a fall of {relative:.1f}% ({points:.1f} points)"
    )
    published = ctx.published(claim.doc_id)
    families = _family_ranges(
        ctx.import_figures, jurisdiction, baseline, published.year if published else latest
    )
    agreeing = [
        f for f in families if f["low"] - SHARE_TOLERANCE_PP <= claim.value <= f["high"] + SHARE_TOLERANCE_PP
    ]
    others = [f for f in families if f not in agreeing]
    if abs(claim.value - relative) <= SHARE_TOLERANCE_PP:
        verdict, why = "supported", "the relative fall on the default basis agrees"
    elif abs(claim.value - points) <= SHARE_TOLERANCE_PP:
        verdict, why = (
            "supported with a caveat",
            "the fall agrees in percentage points, not as a percent of the baseline share",
        )
    elif agreeing:
        verdict = "consistent with some sources only"
        why = "consistent with " + "; ".join(_family_text(f) for f in agreeing)
        if others:
            why += "; not with " + " or ".join(_family_text(f) for f in others)
    else:
        verdict = "contradicted"
        why = "no kind of source agrees" + (
            ": " + "; ".join(_family_text(f) for f in families) if families else ""
        )
    evidence_sources = [series.loc[baseline, "source_id"], series.loc[latest, "source_id"]]
    for family in agreeing:
        evidence_sources += family["sources"]
    return _evidence(
        "china_share_of_imports",
        verdict,
        round(relative, 1),
        "% fall (relative)",
        f"{baseline}-{latest}",
        ";".join(dict.fromkeys(evidence_sources)),
        f"{jurisdiction} china_share_of_imports",
        f"{why}; {default}",
    )


def _family_ranges(figures: pd.DataFrame, jurisdiction: str, baseline: int, as_of: int) -> list[dict]:
    """Per kind of source: the range of relative falls from its baseline-year figures to its figures for
    the most recent year within `RECENT_YEARS` of `as_of`; full-year, comparable-scope figures only."""
    own = figures[
        (figures["jurisdiction"] == jurisdiction)
        & figures["period"].fillna("").astype(str).isin(["", *figures["year"].astype(str)])
        & ~figures["scope"].isin(NARROW_SCOPES)
    ].assign(family=lambda f: f["source_type"].map(SOURCE_FAMILIES))
    out = []
    for family, rows in own.dropna(subset=["family"]).groupby("family", sort=True):
        first = rows[rows["year"] == baseline]
        recent = rows[(rows["year"] <= as_of) & (rows["year"] >= as_of - RECENT_YEARS)]
        if first.empty or recent.empty:
            continue
        recent = recent[recent["year"] == recent["year"].max()]
        falls = [(b - n) / b * 100 for b in first["share_pct"] for n in recent["share_pct"]]
        out.append(
            {
                "family": family,
                "low": min(falls),
                "high": max(falls),
                "from": sorted(first["share_pct"]),
                "to": sorted(recent["share_pct"]),
                "year": int(recent["year"].iloc[0]),
                "baseline": baseline,
                "sources": list(dict.fromkeys([*first["source_id"], *recent["source_id"]])),
            }
        )
    return out


def _family_text(family: dict) -> str:
    def shares(values):
        return "/".join(f"{v:g}%" for v in sorted(set(values)))

    falls = (
        f"{family['low']:.1f}%"
        if abs(family["high"] - family["low"]) < 0.05
        else f"{family['low']:.1f}-{family['high']:.1f}%"
    )
    return (
        f"{family['family']} ({shares(family['from'])} in {family['baseline']} to {shares(family['to'])} in "
        f"{family['year']}: a fall of {falls})"
    )


def money(claim, ctx: Context) -> dict:
    """An amount of money: curated events with the same amount and currency (within 2%) involving an
    organisation the sentence names."""
    keys = [name.split()[0].lower() for name in ctx.named(claim, "organisation")]
    events = _same_amount(ctx.events, claim, keys, "amount", "currency", ("actors", "description"))
    if events.empty:
        return _deal(claim, ctx, keys) or _not_checkable(
            "money",
            f"no event of {claim.value:,.0f} {claim.unit} involving "
            f"{', '.join(keys) or 'the organisations named'}",
        )
    finance = events["lever"].isin(["concessional_finance", "overseas_equity_offtake"])
    best = (
        events.assign(finance=finance)
        .sort_values(["finance", "date", "event_id"], ascending=[False, True, True])
        .iloc[0]
    )
    parties = [a for a in str(best["actors"]).split(";") if a and not any(k in a.lower() for k in keys)]
    note = f"matching events: {', '.join(sorted(events['event_id']))}"
    if parties:
        note = (
            f"the record also names {', '.join(parties)} as a party to this money, which the claim does not; "
            + note
        )
    verdict = "supported with a caveat" if parties else "supported"
    return _evidence(
        "money",
        verdict,
        best["amount"],
        best["currency"],
        str(best["date"].date()),
        best["source_id"],
        best["event_id"],
        note,
    )


def _same_amount(
    events: pd.DataFrame, claim, keys: list[str], amount: str, currency: str, texts
) -> pd.DataFrame:
    """The events whose `amount` column is the claim's amount in its currency (within the tolerance) and whose
    text columns name one of the organisations (`keys`)."""
    events = events[
        events[currency].eq(claim.unit)
        & ((events[amount] - claim.value).abs() <= AMOUNT_TOLERANCE * claim.value)
    ]
    named = [" ".join(map(str, row)).lower() for row in zip(*(events[t] for t in texts), strict=True)]
    return events[[any(key in text for key in keys) for text in named]]


def _deal(claim, ctx: Context, keys: list[str]) -> dict | None:
    """The claim's amount as the whole deal a measure belongs to (`deal_amount`): supported with a caveat,
    since the measure's own money is only part of it; the note says what the parts are."""
    deals = _same_amount(
        ctx.events, claim, keys, "deal_amount", "deal_currency", ("actors", "description", "deal_parts")
    )
    if deals.empty:
        return None
    deal = deals.sort_values(["date", "event_id"]).iloc[0]
    note = (
        f"the amount is a whole deal, not one party's money: {deal['deal_parts']}; the record's measure is "
        f"{deal['event_id']} ({deal['title']})"
    )
    return _evidence(
        "money",
        "supported with a caveat",
        deal["deal_amount"],
        deal["deal_currency"],
        str(deal["date"].date()),
        f"{deal['deal_source_id']};{deal['source_id']}",
        deal["event_id"],
        note,
    )


def embargo_duration(claim, ctx: Context) -> dict:
    """The length of an embargo: a halt of shipments (a supplier's export restriction whose title names a
    halt or embargo) that began in the claim's period, from its first milestone to its `ended` milestone;
    the other end dates the sources give make a range, and the claim must fall within it (± tolerance)."""
    if claim.unit != "month" or not claim.period:
        return _not_checkable("embargo_duration", "the duration has no month unit or no date in its sentence")
    start = pd.Timestamp(str(claim.period))
    events = ctx.events
    halts = events[
        (events["lever"] == "export_restriction")
        & events["title"].str.contains(EMBARGO_WORDS, case=False, regex=True)
        & events["end_date"].notna()
    ].sort_values(["date", "event_id"])
    halts = halts[
        (halts["date"] >= start)
        & (halts["date"] < start + pd.DateOffset(months=1 if len(str(claim.period)) == 7 else 12))
    ]
    if halts.empty:
        return _not_checkable(
            "embargo_duration", f"no halt of shipments with an end date began in {claim.period}"
        )
    halt = halts.iloc[0]
    begin, end = halt["date"], halt["end_date"]
    alternatives = [pd.Timestamp(d) for d in str(halt["end_alt_dates"]).split(";") if d]
    spans = sorted((d - begin).days / DAYS_PER_MONTH for d in (end, *alternatives))
    months = (end - begin).days / DAYS_PER_MONTH
    inside = spans[0] - MONTHS_TOLERANCE <= claim.value <= spans[-1] + MONTHS_TOLERANCE
    verdict = "supported" if inside else "contradicted"
    note = f"{halt['event_id']} ({halt['title']}): {begin.date()} to {end.date()}"
    if alternatives:
        note += (
            f"; other end dates in the sources ({', '.join(str(d.date()) for d in alternatives)}) "
            f"give {spans[0]:.1f}-{spans[-1]:.1f} months"
        )
    return _evidence(
        "embargo_duration",
        verdict,
        round(months, 1),
        "month",
        f"{begin.date()}/{end.date()}",
        halt["source_id"],
        halt["event_id"],
        note,
    )


def years_ago(claim, ctx: Context) -> dict:
    """ "N years ago": from the earliest event the article's date claims link to, to its publication date."""
    published = ctx.published(claim.doc_id)
    linked = ctx.links[ctx.links["doc_id"] == claim.doc_id]["event_id"]
    if published is None or linked.empty:
        return _not_checkable(
            "years_ago",
            "the article has no publication date"
            if published is None
            else "the article names no dated event",
        )
    event = ctx.events[ctx.events["event_id"].isin(linked)].sort_values(["date", "event_id"]).iloc[0]
    years = (published - event["date"]).days / 365.25
    verdict = "supported" if abs(years - claim.value) <= YEARS_TOLERANCE else "contradicted"
    note = (
        f"published {published.date()}; earliest event the article names: {event['event_id']} on "
        f"{event['date'].date()}"
    )
    return _evidence(
        "years_ago",
        verdict,
        round(years, 1),
        "year",
        f"{event['date'].date()}/{published.date()}",
        event["source_id"],
        event["event_id"],
        note,
    )


def _claim_year(claim, ctx: Context) -> int | None:
    """The year a claim is about: its period, else ("current" or none) the article's publication year."""
    if claim.period and str(claim.period)[:4].isdigit():
        return int(str(claim.period)[:4])
    published = ctx.published(claim.doc_id)
    return None if published is None else published.year


def _evidence(topic, verdict, value, unit, period, source_id, ref, note) -> dict:
    """A verdict row with its evidence."""
    assert verdict in VERDICTS, verdict
    return {
        "topic": topic,
        "verdict": verdict,
        "evidence_value": float(value),
        "evidence_unit": unit,
        "evidence_period": period,
        "evidence_source_id": source_id,
        "evidence_ref": ref,
        "note": note,
    }


# (regular expressions the sentence must all match, claim kinds, rule), tried in order.
RULES = (
    ((r"refin|separation|processing",), ("percentage",), refining_share),
    (
        (r"relian|dependen|depend", r"\bless\b|fall|fell|drop|reduc|lower|cut"),
        ("percentage",),
        import_reliance_change,
    ),
    ((r"embargo|halt|ban|cut ?off|stopp",), ("duration",), embargo_duration),
    ((r"\bago\b",), ("duration",), years_ago),
    ((r".",), ("money",), money),
)
