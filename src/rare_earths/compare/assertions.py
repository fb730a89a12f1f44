"""The articles' assertions without a number, read and checked against the record and the indicators.

Notebook 01 extracts figures; this module reads what the articles *say happened* or *say is so*:

- an **event**: a supplier halted or restricted exports ("Beijing halted rare-earth exports to
  Japan");
- an **action**: a government or company invested, lent or partnered ("Tokyo invested heavily ...
  particularly in Australia");
- a **comparison**: dependence fell or the US and EU are only now acting;
- a **state** of the world: China dominates production or refining; a country is still vulnerable;
- a **forecast** or recommendation, which no record can check.

Every sentence of an article that names a country or organisation is one candidate (sentences come
from notebook 01's claims, so the same splitter and gazetteer are used). The rules in `RULES` are
tried on each, and every rule whose words match gives one assertion; a sentence that matches none
is kept as `not checkable`, so the table shows how much of an article the checks cover. A sentence
within a quotation is an opinion of its speaker, and says so.

The table never holds an article's sentence: the `assertion` column is written from the rule and
the named countries ("China halted rare-earth exports to Japan, 2010"), and `sentence_start` locates
the sentence in the cleaned text. Verdicts are those of `claim_checks.VERDICTS`; each row names its
evidence rows (`evidence_ids`: measure ids or indicator rows) and their sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from rare_earths.common.labels import JURISDICTIONS, first_few
from rare_earths.compare.claim_checks import QUANTITATIVE_KINDS

MIN_WORDS = 6  # a shorter sentence with a country in it is a heading or a caption, not an assertion
MAJORITY_PCT = 50.0  # "dominates" and "dependent" are read as more than half
LANDMARKS_SHOWN = 4
URGENCY_RATIO = 2.0  # "only now" holds when measures per year after the episode are at least twice before
TARGET_WORDS = {"JP": r"Japan", "US": r"\bUS\b|United States", "EU": r"Europe|\bEU\b"}
PARTNER_WORDS = {"AU": r"Australia|Lynas", "IN": r"India", "VN": r"Vietnam", "KZ": r"Kazakhstan"}
NAMES = {
    **JURISDICTIONS,
    "AU": "Australia",
    "CA": "Canada",
    "IN": "India",
    "VN": "Vietnam",
    "KZ": "Kazakhstan",
}
NOW_WORDS = r"\b(recent|current|currently|now|renewed|ongoing)\b"  # the article's own year
FINANCE_LEVERS = (
    "overseas_equity_offtake",
    "concessional_finance",
    "alliances_agreements",
    "price_floor_offtake_guarantee",
)
COLUMNS = (
    "doc_id",
    "sentence_start",
    "kind",
    "topic",
    "assertion",
    "speaker",
    "verdict",
    "evidence_ids",
    "evidence_source_id",
    "note",
)


@dataclass(frozen=True)
class Evidence:
    """What the rules read besides the articles."""

    events: pd.DataFrame  # the record (events)
    indicators: pd.DataFrame  # curated indicators
    production: pd.DataFrame  # china_share_of_production
    import_best: pd.DataFrame  # compare.import_shares (default basis)
    episodes: dict[str, str]  # episode -> start date


@dataclass(frozen=True)
class Sentence:
    """One candidate sentence: where it is, what it names, who says it."""

    doc_id: str
    start: int
    text: str
    countries: tuple[str, ...]
    organisations: tuple[str, ...]
    years: tuple[int, ...]
    speaker: str | None
    published: int | None  # the article's publication year, read for "recent", "now"
    has_figure: bool  # it holds a percentage, amount, quantity or duration (checked by claim_checks)


def sentences(claims: pd.DataFrame, documents: pd.DataFrame) -> list[Sentence]:
    """The article sentences that name a country or organisation and are long enough to assert something."""
    published = {
        d: (None if pd.isna(p) else pd.Timestamp(p).year)
        for d, p in zip(documents["doc_id"], documents["published"], strict=True)
    }
    out = []
    named = claims[claims["kind"].isin(["country", "organisation"])]
    for (doc_id, text), rows in claims[claims["sentence"].isin(named["sentence"])].groupby(
        ["doc_id", "sentence"], sort=False
    ):
        if len(str(text).split()) < MIN_WORDS:
            continue
        kinds = rows.groupby("kind")["normalised"].apply(lambda s: tuple(dict.fromkeys(s.dropna())))
        years = tuple(
            sorted(
                {
                    int(str(v)[:4])
                    for v in rows.loc[rows["kind"].isin(["year", "date"]), "normalised"].dropna()
                }
            )
        )
        quotes = rows[rows["kind"] == "quote"]
        speaker = None
        if not quotes.empty and pd.notna(quotes["speaker"].iloc[0]):
            role = quotes["speaker_role"].iloc[0]
            speaker = quotes["speaker"].iloc[0] + (f", {role}" if pd.notna(role) else "")
        out.append(
            Sentence(
                doc_id=doc_id,
                start=int(rows["start"].min()),
                text=str(text),
                countries=kinds.get("country", ()),
                organisations=kinds.get("organisation", ()),
                years=years,
                speaker=speaker,
                published=published.get(doc_id),
                has_figure=bool(rows["kind"].isin(QUANTITATIVE_KINDS).any()),
            )
        )
    return sorted(out, key=lambda s: (s.doc_id, s.start))


def check(claims: pd.DataFrame, documents: pd.DataFrame, evidence: Evidence) -> pd.DataFrame:
    """One row per assertion: every rule that reads a sentence, or one `not checkable` row when none does."""
    rows = []
    for sentence in sentences(claims, documents):
        if _forecast(sentence.text):
            results = [forecast(sentence, evidence)]
        else:
            results = []
            for words, rule in RULES:
                found = re.search(words, sentence.text, re.I)
                result = rule(sentence, evidence) if found else None
                if result is not None:
                    results.append(_denied(result) if _negated(sentence.text, found.start()) else result)
        if not results and sentence.has_figure:
            continue  # its figure is the claim, checked by claim_checks
        if not results:
            results = [_row("other", "state", _summary(sentence), "not checkable", note=NO_RULE)]
        for result in results:
            rows.append(
                {"doc_id": sentence.doc_id, "sentence_start": sentence.start, "speaker": sentence.speaker}
                | result
            )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    # an article that asserts the same thing twice is checked once (sentences no rule reads all stay)
    repeated = frame.duplicated(["doc_id", "topic", "assertion"]) & frame["topic"].ne("other")
    return frame[~repeated].reset_index(drop=True)


NEGATION = re.compile(r"\b(not|no|never|denie[sd]|deny|without)\b|n['’]t\b", re.I)
NEGATION_REACH = 6  # words before the rule's trigger word in which a negation turns the assertion round
FLIPPED = {"supported": "contradicted", "contradicted": "supported"}


def _negated(text: str, at: int) -> bool:
    """Whether a negation stands within `NEGATION_REACH` words before position `at` ("does not have a trade
    embargo", "denied halting exports")."""
    before = text[:at].split()[-NEGATION_REACH:]
    return bool(NEGATION.search(" ".join(before)))


def _denied(result: dict) -> dict:
    """The row for a sentence that denies what the rule reads: the assertion says so, a clear verdict turns
    round, and a verdict with a caveat stays one (both readings hold in part)."""
    return result | {
        "assertion": f"denied: {result['assertion']}",
        "verdict": FLIPPED.get(result["verdict"], result["verdict"]),
        "note": f"the sentence denies this; {result['note']}",
    }


NO_RULE = (
    "no rule reads this assertion (environment, costs, motives and other matters the record does not hold)"
)


def _summary(sentence: Sentence) -> str:
    names = ", ".join(_name(c) for c in sentence.countries) or ", ".join(sentence.organisations)
    return f"an assertion naming {names}"


def _name(code: str) -> str:
    return ("the " if code in ("US", "EU") else "") + NAMES.get(code, code)


def _row(topic, kind, assertion, verdict, ids=(), sources=(), note="") -> dict:
    return {
        "topic": topic,
        "kind": kind,
        "assertion": assertion,
        "verdict": verdict,
        "evidence_ids": ";".join(dict.fromkeys(ids)),
        "evidence_source_id": ";".join(dict.fromkeys(s for s in sources if s)),
        "note": note,
    }


def _targets(sentence: Sentence) -> list[str]:
    return [c for c in sentence.countries if c in TARGET_WORDS]


def supplier_halt(sentence: Sentence, ev: Evidence) -> dict | None:
    """China halted or embargoed exports to a named country: a curated halt of shipments whose title names
    that country, in the sentence's year when it gives one."""
    if "CN" not in sentence.countries or not _targets(sentence):
        return None
    target = _targets(sentence)[0]
    halts = ev.events[
        (ev.events["jurisdiction"] == "CN")
        & (ev.events["lever"] == "export_restriction")
        & ev.events["title"].str.contains(r"halt|embargo|suspension", case=False)
        & ev.events["title"].str.contains(TARGET_WORDS[target], case=True)
    ]
    if sentence.years:
        halts = halts[halts["date"].dt.year.isin(sentence.years)]
    when = f", {sentence.years[0]}" if sentence.years else ""
    assertion = f"China halted rare-earth exports to {_name(target)}{when}"
    if halts.empty:
        return _row(
            "supplier_halt",
            "event",
            assertion,
            "contradicted",
            note=f"the record holds no halt of shipments to {_name(target)}{when}",
        )
    halt = halts.sort_values("date").iloc[0]
    unofficial = bool(re.search(r"de facto|reported", halt["title"], re.I))
    verdict = "supported with a caveat" if unofficial else "supported"
    end = halt["end_date"].date() if pd.notna(halt["end_date"]) else "open"
    note = f"{halt['title']}, {halt['date'].date()} to {end}"
    if unofficial:
        note += "; the record codes it as de facto or reported: China announced no embargo"
    return _row("supplier_halt", "event", assertion, verdict, [halt["event_id"]], [halt["source_id"]], note)


def supplier_controls(sentence: Sentence, ev: Evidence) -> dict | None:
    """China restricted exports (controls, leverage) in the sentence's year, or at all."""
    if "CN" not in sentence.countries or re.search(r"halt|embargo", sentence.text, re.I):
        return None
    rows = ev.events[(ev.events["jurisdiction"] == "CN") & (ev.events["lever"] == "export_restriction")]
    years = sentence.years
    if not years and sentence.published and re.search(NOW_WORDS, sentence.text, re.I):
        years = (sentence.published,)
    if years:  # a restriction dated the year before (a quota for the next year) is in force in the year
        rows = rows[rows["date"].dt.year.isin({y - d for y in years for d in (0, 1)})]
    when = f" in {', '.join(map(str, years))}" if years else ""
    assertion = f"China restricts rare-earth exports{when}"
    if rows.empty:
        return _row(
            "supplier_controls",
            "event",
            assertion,
            "contradicted",
            note=f"the record holds no Chinese export restriction{when}",
        )
    rows = rows.sort_values("date")
    first = rows.iloc[0]
    dated = " (dated that year or the year before)" if years else ""
    note = f"{len(rows)} Chinese export restrictions in the record{when}{dated}, the first {first['title']}"
    note += f" ({first['date'].date()})"
    return _row(
        "supplier_controls", "event", assertion, "supported", rows["event_id"], rows["source_id"], note
    )


def invested_abroad(sentence: Sentence, ev: Evidence) -> dict | None:
    """A jurisdiction invested in, lent to or partnered with a named partner: its finance, equity and
    agreement measures that name the partner; "particularly" also needs the partner to lead the others."""
    actors = [c for c in sentence.countries if c in ("JP", "US", "EU")]
    partners = [p for p in PARTNER_WORDS if p in sentence.countries] + [
        "AU" for o in sentence.organisations if o.lower().startswith("lynas")
    ]
    if not actors or not partners:
        return None
    actor, partner = actors[0], partners[0]
    own = ev.events[
        (ev.events["jurisdiction"] == actor)
        & ev.events["lever"].isin(FINANCE_LEVERS)
        & (ev.events["kind"] == "measure")
    ]
    text = own["title"] + " " + own["description"] + " " + own["actors"]
    counts = {p: int(text.str.contains(w, case=False).sum()) for p, w in PARTNER_WORDS.items()}
    with_partner = own[text.str.contains(PARTNER_WORDS[partner], case=False)].sort_values("date")
    assertion = f"{_name(actor)} invested in or partnered with {_name(partner)}"
    if with_partner.empty:
        return _row(
            "invested_abroad",
            "action",
            assertion,
            "contradicted",
            note=f"no {_name(actor)} finance or agreement measure names {_name(partner)}",
        )
    others = ", ".join(f"{NAMES[p]} {n}" for p, n in counts.items() if n and p != partner) or "none"
    note = (
        f"{len(with_partner)} {_name(actor)} finance, equity or agreement measures name {_name(partner)} "
        f"(first {with_partner.iloc[0]['date'].year}); other partners named: {others}"
    )
    verdict = "supported"
    if re.search(r"particularly|especially|mainly|above all", sentence.text, re.I):
        assertion += ", above all others"
        if counts[partner] < max(counts.values()):
            verdict = "contradicted"
            note += f"; {_name(partner)} is not the partner most named"
    return _row(
        "invested_abroad",
        "action",
        assertion,
        verdict,
        with_partner["event_id"],
        with_partner["source_id"],
        note,
    )


def dominance(sentence: Sentence, ev: Evidence) -> dict | None:
    """China dominates production and/or processing: China's latest share of mine production (each
    publication's latest) and of refining, each above half."""
    if "CN" not in sentence.countries:
        return None
    parts, ids, sources, shares = [], [], [], []
    if re.search(r"produc|min(e|ing)", sentence.text, re.I):
        latest = ev.production.sort_values(["year", "source"]).iloc[-1]
        shares.append(latest["share_pct"])
        parts.append(f"mine production {latest['share_pct']:.1f}% ({latest['year']}, {latest['edition']})")
        ids.append(f"china_share_of_production {latest['year']} {latest['source']}")
    if re.search(r"process|refin|separat", sentence.text, re.I):
        refining = ev.indicators[ev.indicators["indicator"] == "china_share_of_refining"]
        latest = refining.sort_values(["year", "source_id"]).iloc[-1]
        shares.append(latest["value"])
        parts.append(f"refining {latest['value']:g}% ({latest['year']})")
        ids.append(f"china_share_of_refining {latest['year']}")
        sources.append(latest["source_id"])
    if not parts:
        return None
    verdict = "supported" if min(shares) > MAJORITY_PCT else "contradicted"
    note = f"China's latest shares: {'; '.join(parts)}; 'dominates' is read as more than {MAJORITY_PCT:g}%"
    return _row(
        "dominance",
        "state",
        "China dominates rare-earth "
        + (
            "production and processing"
            if len(parts) == 2
            else "production"
            if "mine" in parts[0]
            else "processing"
        ),
        verdict,
        ids,
        sources,
        note,
    )


def still_dependent(sentence: Sentence, ev: Evidence) -> dict | None:
    """A jurisdiction is still vulnerable or dependent: its latest default-basis import share from China."""
    actors = [c for c in sentence.countries if c in ("JP", "US", "EU")]
    if not actors:
        return None
    actor = actors[0]
    series = ev.import_best[ev.import_best["jurisdiction"] == actor].sort_values("year")
    assertion = f"{_name(actor)} is still dependent on China"
    if series.empty:
        return _row(
            "still_dependent",
            "state",
            assertion,
            "not checkable",
            note=f"no default-basis import share for {_name(actor)}",
        )
    latest = series.iloc[-1]
    verdict = "supported with a caveat" if latest["share_pct"] > MAJORITY_PCT else "contradicted"
    note = (
        f"China's share of {_name(actor)}'s rare-earth imports, default basis: {latest['share_pct']:g}% "
        f"in {latest['year']}; vulnerability is read as dependence: the record does not measure disruption"
    )
    return _row(
        "still_dependent",
        "state",
        assertion,
        verdict,
        [f"import_shares {actor} {latest['year']}"],
        [latest["source_id"]],
        note,
    )


def reduced_dependence(sentence: Sentence, ev: Evidence) -> dict | None:
    """A jurisdiction reduced its dependence or diversified: its default-basis share at the first episode
    against the latest; the fall is named in points, and the lowest share since."""
    actors = [c for c in sentence.countries if c in ("JP", "US", "EU")]
    if not actors or sentence.has_figure:  # a figure of the fall goes to the quantitative check
        return None
    actor = actors[0]
    series = ev.import_best[ev.import_best["jurisdiction"] == actor].set_index("year").sort_index()
    start = pd.Timestamp(ev.episodes["S1"]).year
    assertion = f"{_name(actor)} reduced its dependence on China"
    if series.empty or start not in series.index:
        return _row(
            "reduced_dependence",
            "comparison",
            assertion,
            "not checkable",
            note=f"no default-basis import share for {_name(actor)} in {start}",
        )
    before, latest_year = series.loc[start, "share_pct"], int(series.index.max())
    now = series.loc[latest_year, "share_pct"]
    lowest_year = int(series.loc[start:, "share_pct"].idxmin())
    fell = before - now  # in points
    verdict = "supported" if fell > 0 else "contradicted"
    if fell > 0 and now > MAJORITY_PCT:
        verdict = "supported with a caveat"
    note = (
        f"{before:g}% in {start} to {now:g}% in {latest_year} (a fall of {fell:.1f} points; lowest "
        f"{series.loc[lowest_year, 'share_pct']:g}% in {lowest_year}); China still supplies more than half"
        if now > MAJORITY_PCT
        else f"{before:g}% in {start} to {now:g}% in {latest_year}"
    )
    ids = [f"import_shares {actor} {y}" for y in (start, latest_year)]
    return _row(
        "reduced_dependence",
        "comparison",
        assertion,
        verdict,
        ids,
        [series.loc[start, "source_id"], series.loc[latest_year, "source_id"]],
        note,
    )


def only_now(sentence: Sentence, ev: Evidence) -> dict | None:
    """The US and Europe are only now acting: their measures per year after the 2025 episode against the
    years between the two episodes; holds when the rate at least doubled, with the earlier measures named."""
    actors = [c for c in sentence.countries if c in ("US", "EU")]
    if not actors:
        return None
    s1, s2 = pd.Timestamp(ev.episodes["S1"]), pd.Timestamp(ev.episodes["S2"])
    end = ev.events["date"].max()
    measures = ev.events[(ev.events["kind"] == "measure") & ev.events["jurisdiction"].isin(actors)]
    between = measures[(measures["date"] >= s1) & (measures["date"] < s2)]
    after = measures[measures["date"] >= s2]
    years_between = (s2 - s1).days / 365.25
    years_after = max((end - s2).days / 365.25, 1 / 12)
    rate_before, rate_after = len(between) / years_between, len(after) / years_after
    landmarks = between[between["landmark"]].sort_values("date")
    names = " and ".join(_name(a) for a in actors)
    shown = first_few([f"{r.title} ({r.date.year})" for r in landmarks.itertuples()], LANDMARKS_SHOWN)
    verdict = "supported with a caveat" if rate_after >= URGENCY_RATIO * rate_before else "contradicted"
    note = (
        f"{names}: {len(between)} measures between the episodes ({rate_before:.1f} a year), "
        f"{len(after)} since April 2025 ({rate_after:.1f} a year); earlier landmarks: " + (shown or "none")
    )
    return _row(
        "only_now",
        "comparison",
        f"{names} {'are' if len(actors) > 1 else 'is'} only now acting",
        verdict,
        landmarks["event_id"],
        landmarks["source_id"],
        note,
    )


def forecast(sentence: Sentence, ev: Evidence) -> dict | None:
    """A forecast, recommendation or condition: not checkable, and said so."""
    return _row(
        "forecast",
        "forecast",
        _summary(sentence).replace("an assertion", "a forecast"),
        "not checkable",
        note="a forecast, recommendation or condition: no record can check it",
    )


FORECAST_WORDS = r"\b(will|may|could|should|would|expected to|if)\b"
RELATIVE = re.compile(r"\b(that|which|who)\s+(\w+\s+){0,2}$", re.I)


def _forecast(text: str) -> bool:
    """Whether the sentence forecasts, recommends or sets a condition: a modal word outside a relative clause
    ("a supply chain that would minimise reliance" is the aim of a fact, not a forecast)."""
    return any(not RELATIVE.search(text[: m.start()]) for m in re.finditer(FORECAST_WORDS, text, re.I))


# (regular expression on the sentence, rule); every matching rule gives an assertion. A sentence with a
# forecast word goes to `forecast` alone.
RULES = (
    (r"halt|embargo|cut ?off|strong-arm", supplier_halt),
    (r"export (restriction|control)s?|restrict|leverage over [\w\s-]*exports", supplier_controls),
    (r"invest|partner|collaborat|alliance|lend|loan|stake", invested_abroad),
    (r"dominat|accounts? for most|controls? (most|the bulk)", dominance),
    (r"vulnerab|elusive|still (wasn.t|was not|isn.t|not) enough|still depend|still relian", still_dependent),
    (r"reduc\w* (its |their )?(dependen|relian)|less (reliant|dependent)", reduced_dependence),
    (r"just now|only now|now scrambling|dawning", only_now),
)
