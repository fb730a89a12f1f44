"""Text and tables of the study report (notebook 05), computed from the processed tables.

Every number in the executive summary comes from the frames passed in; nothing is typed into prose.
Third-party text (source titles) is escaped where it enters HTML.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from rare_earths import compare
from rare_earths.common import labels
from rare_earths.common.errors import RareEarthsError
from rare_earths.common.labels import citation_labels

# The notebook's parameters and their defaults (its parameters cell holds the same literals; a test checks).
DEFAULTS: dict = {
    "processed_dir": "../data/processed",
    "timeline_years": [2008, 2026],
    "production_first_year": 2000,
    "top_producers": 6,
    "price_first_year": 2008,
    "control_events": ["M-CN-2025-01", "M-CN-2025-02"],
}


def _pct(value) -> str:
    """A share in percent, rounded to a whole number, or 'no figure'."""
    return "no figure" if value is None or pd.isna(value) else f"{value:.0f}%"


def executive_summary(
    achieved: pd.DataFrame,
    world: pd.DataFrame,
    hhi: pd.DataFrame,
    refining: pd.DataFrame,
    adoption: pd.DataFrame,
    money: pd.DataFrame,
    scorecard: pd.DataFrame,
    checks: pd.DataFrame,
    assertions: pd.DataFrame | None = None,
    adoption_robustness: pd.DataFrame | None = None,
    money_robustness: pd.DataFrame | None = None,
) -> list[str]:
    """The summary's bullet points (Markdown), each built from the data."""
    names = {"JP": "Japan", "US": "The US", "EU": "The EU"}
    points = [
        _dependence_point(achieved[achieved["jurisdiction"] == j], names.get(j, j))
        for j in dict.fromkeys(achieved["jurisdiction"])
    ]
    first_start = pd.Timestamp(achieved["shock_date"].min()).year if not achieved.empty else None
    return [
        *points,
        _production_point(world, hhi, refining, first_start),
        _adoption_point(adoption),
        *(
            [_robustness_point(adoption_robustness, money_robustness)]
            if adoption_robustness is not None and money_robustness is not None
            else []
        ),
        _money_point(money),
        _targets_point(scorecard),
        _claims_point(checks, assertions),
    ]


def _dependence_point(rows: pd.DataFrame, name: str) -> str:
    """One jurisdiction's China share before each episode, at its lowest since and now."""
    parts = []
    for row in rows.itertuples():
        start = pd.Timestamp(row.shock_date).date()
        before = (
            f"{_pct(row.before_pct)} in {int(row.before_year)}"
            if pd.notna(row.before_pct)
            else "no figure before it"
        )
        lowest = (
            f"lowest since {_pct(row.lowest_pct)} ({int(row.lowest_year)})"
            if pd.notna(row.lowest_pct)
            else "no figure since"
        )
        parts.append(f"before {row.episode} ({start}): {before}; {lowest}")
    latest = rows.iloc[0]
    tail = (
        f" Latest: {_pct(latest['latest_pct'])} ({int(latest['latest_year'])}). Years with a figure: "
        f"{int(latest['years_with_data'])}."
        if pd.notna(latest["latest_pct"])
        else ""
    )
    return f"**{name}**, China's share of rare-earth imports: " + "; ".join(parts) + "." + tail


def _production_point(
    world: pd.DataFrame, hhi: pd.DataFrame, refining: pd.DataFrame, shock_year: int | None
) -> str:
    """China's share of mine production and the index at the first episode and now, each within one named
    publication (publications are never mixed in one step), and the latest refining share for its data
    year."""
    text = "**Supply**: "
    if shock_year in set(world["year"]):
        then, now = _publication_row(world, shock_year), _publication_row(world, int(world["year"].max()))
        index = hhi.set_index(["year", "edition"])["hhi"]
        text += (
            f"China's share of world mine production was {_pct(then['share_pct'])} in {shock_year} "
            f"({then['edition']}) and {_pct(now['share_pct'])} in {int(now['year'])} ({now['edition']}); "
            f"the concentration index (HHI) {index[(shock_year, then['edition'])]:,.0f} and "
            f"{index[(int(now['year']), now['edition'])]:,.0f}. Where publications overlap they differ in "
            f"level ({_overlap(world)}), so the two ends are not one series. "
        )
    dated = refining[refining["figure_year_basis"].eq("data_year") & refining["stage"].eq("Refining")]
    if not dated.empty:
        latest = dated.sort_values(["year", "value"]).iloc[-1]
        text += (
            f"China's share of world refining: {_pct(latest['value'])} in {int(latest['year'])} "
            f"({latest['edition'] or 'as reported'})."
        )
    return text


def _publication_row(world: pd.DataFrame, year: int) -> pd.Series:
    """The year's row; where several publications cover the year, the USGS one over BGS (the edition policy's
    family), else the first listed."""
    rows = world[world["year"] == year]
    usgs = rows[rows["source"].str.startswith("usgs")]
    return (usgs if len(usgs) else rows).iloc[-1]


def _overlap(world: pd.DataFrame) -> str:
    """China's share in the years two or more publications cover, as the range of each publication."""
    counts = world.groupby("year")["edition"].nunique()
    shared = world[world["year"].isin(counts[counts > 1].index)]
    if shared.empty:
        return "no overlap"
    first, last = int(shared["year"].min()), int(shared["year"].max())
    ranges = shared.groupby("edition")["share_pct"].agg(["min", "max"])
    listed = "; ".join(f"{edition} {r['min']:.0f}-{r['max']:.0f}%" for edition, r in ranges.iterrows())
    return f"{first}-{last}: {listed}"


def _adoption_point(adoption: pd.DataFrame) -> str:
    """Instruments each jurisdiction adopted within the shortest window of each episode."""
    window = int(adoption["window_months"].min())
    part = adoption[adoption["window_months"] == window]
    texts = []
    for episode, group in part.groupby("episode", sort=False):
        counts = group[group["state"] == "adopted"].groupby("jurisdiction").size()
        listed = ", ".join(
            f"{labels.JURISDICTIONS.get(j, j)} {int(counts.get(j, 0))}"
            for j in dict.fromkeys(group["jurisdiction"])
        )
        censored = group[group["state"] == "censored"]
        note = (
            f" (data end {censored['observed_months'].iloc[0]:.1f} months in)" if not censored.empty else ""
        )
        texts.append(f"{episode}: {listed}{note}")
    n = part["instrument"].nunique()
    return (
        f"**Adoption**: response instruments (of {n}) with a new measure within {window} months — "
        + "; ".join(texts)
        + "."
    )


def _robustness_point(adoption: pd.DataFrame, money: pd.DataFrame) -> str:
    """Who adopted each instrument first and who committed most money within the shortest window, with the
    share of the variants (episode dates, member states, state companies, dating, milestone) that agree."""
    texts = []
    for episode, group in adoption[adoption["window_months"] == adoption["window_months"].min()].groupby(
        "episode", sort=False
    ):
        firsts = group[group["first"] != "none"]["first"].value_counts()
        listed = ", ".join(f"{labels.JURISDICTIONS.get(j, j)} {n}" for j, n in firsts.items()) or "no one"
        steady = int((group["share_holding"] >= 1).sum())
        weakest = group.sort_values(["share_holding", "instrument"]).iloc[0]
        text = (
            f"{episode}: first to adopt {listed} (of {len(group)} instruments); {steady} of {len(group)} "
            "hold in every variant"
        )
        if weakest["share_holding"] < 1:
            text += (
                f", the least robust {labels.INSTRUMENTS.get(weakest['instrument'], weakest['instrument'])} "
                f"({int(weakest['holds_in'])} of {int(weakest['variants'])})"
            )
        cash = money[(money["episode"] == episode) & (money["window_months"] == money["window_months"].min())]
        if not cash.empty:
            row = cash.iloc[0]
            name = labels.JURISDICTIONS.get(row["most_money"], row["most_money"])
            text += f"; most new money: {name} ({int(row['holds_in'])} of {int(row['variants'])} variants)"
        texts.append(text)
    window = int(adoption["window_months"].min())
    return f"**How robust** (within {window} months): " + "; ".join(texts) + "."


def _money_point(money: pd.DataFrame) -> str:
    """Public money committed within the shortest window of each episode (rare-earth-only amounts)."""
    window = int(money["window_months"].min())
    part = money[(money["window_months"] == window) & (money["scope"] == "rare_earth_only")]
    texts = []
    for episode, group in part.groupby("episode", sort=False):
        listed = ", ".join(
            f"{labels.JURISDICTIONS.get(j, j)} US${millions / 1e3:,.2f} billion"
            for j, millions in zip(group["jurisdiction"], group["usd_2024_millions"], strict=True)
        )
        texts.append(f"{episode}: {listed}")
    return (
        f"**Money**: new public money for rare earths committed within {window} months, 2024 US dollars — "
        + "; ".join(texts)
        + "."
    )


def _targets_point(scorecard: pd.DataFrame) -> str:
    """The count of targets by verdict."""
    counts = scorecard["verdict"].value_counts()
    listed = ", ".join(f"{n} {verdict}" for verdict, n in counts.items())
    return f"**Targets**: {len(scorecard)} quantitative targets in the record: {listed}."


def _claims_point(checks: pd.DataFrame, assertions: pd.DataFrame | None = None) -> str:
    """The count of checked claims by verdict, and of the assertions without a number."""

    def listed(frame: pd.DataFrame) -> str:
        return ", ".join(f"{n} {verdict}" for verdict, n in frame["verdict"].value_counts().items())

    text = f"**Claims**: {len(checks)} quantitative claims in the articles: {listed(checks)}."
    if assertions is not None and not assertions.empty:
        text += f" {len(assertions)} assertions without a number: {listed(assertions)}."
    return text


def adoption_table(adoption: pd.DataFrame, windows: dict[str, int]) -> pd.DataFrame:
    """Per instrument, for each episode's chosen window and each jurisdiction: months to the first new measure
    (with its id), none within the window, or censored."""
    parts = [
        adoption[(adoption["episode"] == e) & (adoption["window_months"] == w)] for e, w in windows.items()
    ]
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.assign(
        column=frame["episode"]
        + " "
        + frame["jurisdiction"]
        + " ("
        + frame["window_months"].astype(str)
        + " mo)"
    )
    frame = frame.assign(
        instrument=frame["instrument"].map(lambda code: labels.INSTRUMENTS.get(code, code)),
        column=frame["column"].str.replace(" mo)", " months)"),
    )
    table = frame.pivot(index="instrument", columns="column", values="label")
    return (
        table.reindex(list(dict.fromkeys(frame["instrument"])))[list(dict.fromkeys(frame["column"]))]
        .rename_axis(index="instrument", columns=None)
        .reset_index()
    )


def achievement_table(achieved: pd.DataFrame, cite: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per episode and jurisdiction: the share before the episode, at its lowest since and latest,
    each with year and source (author-date, through `cite`), all on the jurisdiction's default basis."""
    cite = cite or {}
    rows = []
    for row in achieved.itertuples():

        def point(step: str, row=row) -> str:
            value, year, source = (
                getattr(row, f"{step}_pct"),
                getattr(row, f"{step}_year"),
                getattr(row, f"{step}_source"),
            )
            if value is None or pd.isna(value):
                return "—"
            return f"{value:.1f}% ({int(year)}; {cite.get(source, source)})"

        rows.append(
            {
                "episode": row.episode,
                "jurisdiction": labels.JURISDICTIONS.get(row.jurisdiction, row.jurisdiction),
                "episode start": str(pd.Timestamp(row.shock_date).date()),
                "before the episode": point("before"),
                "lowest since": point("lowest"),
                "latest": point("latest"),
            }
        )
    return pd.DataFrame(rows)


# The reference list's groups, from the citation registry's `kind`, in the order a reader checking a
# figure wants them: what governments and companies published, then statistics, analysis and news.
REFERENCE_GROUPS = (
    ("Laws and government documents", {"law", "government"}),
    ("Company documents", {"company"}),
    ("Statistics", {"statistics"}),
    ("Analysis", {"analysis"}),
    ("News", {"news"}),
)


def references(sources: pd.DataFrame, datasets: pd.DataFrame, used: set[str]) -> str:
    """An HTML list of what the report cites, by author-date label, in groups under their own headings:
    the registry's kinds (REFERENCE_GROUPS: official documents first, news last), then the external
    datasets; an empty group is left out. Each entry has an anchor, the title, the date and a link, and
    says when the registry marks it as the originating document ("primary"); all text escaped. An id in
    neither registry is an error."""
    missing = sorted(used - set(sources["source_id"]) - set(datasets["source"]))
    if missing:
        raise RareEarthsError(
            f"cited in the report but neither in the citation registry nor in the datasets table: {missing}"
        )
    labels_ = citation_labels(sources, datasets)
    cited = sources[sources["source_id"].isin(used)].assign(label=lambda f: f["source_id"].map(labels_))
    cited = cited.assign(primary_=cited["primary"].astype(str).str.lower().eq("true")).sort_values("label")

    def entry(r) -> str:
        return (
            f"<li id='ref-{html.escape(r.source_id)}'><strong>{html.escape(r.label)}</strong>. "
            f"{html.escape(str(r.publisher))} ({html.escape(str(r.published))}). "
            f"{_linked_title(str(r.title), str(r.url))}. Accessed "
            f"{html.escape(str(r.accessed))}{'; primary document' if r.primary_ else ''}.</li>"
        )

    def dataset(r) -> str:
        doi = f"https://doi.org/{r.doi}" if pd.notna(r.doi) and r.doi else ""
        return (
            f"<li id='ref-{html.escape(r.source)}'><strong>{html.escape(labels_[r.source])}</strong>. "
            f"{html.escape(str(r.publisher))}. {_linked_title(str(r.title), doi)}. "
            f"Copy used: {html.escape(str(r.origin))} ({html.escape(str(r.licence))}).</li>"
        )

    kinds = cited["kind"].astype(str).str.lower()
    grouped = {kind for _, members in REFERENCE_GROUPS for kind in members}
    groups = [
        *((title, cited[kinds.isin(members)]) for title, members in REFERENCE_GROUPS),
        ("Other sources", cited[~kinds.isin(grouped)]),
    ]
    items = [(title, [entry(r) for r in rows.itertuples()]) for title, rows in groups]
    used_datasets = datasets[datasets["source"].isin(used)].sort_values("source")
    items.append(("Datasets", [dataset(r) for r in used_datasets.itertuples()]))
    return "".join(
        f"<h3 class='references'>{title} ({len(entries)})</h3><ol class='references'>{''.join(entries)}</ol>"
        for title, entries in items
        if entries
    )


def _linked_title(title: str, url: str) -> str:
    """A reference's title as the link to its document (italic, by the stylesheet), followed by the host
    in brackets so that print shows where it is; an italic title when there is no address. One link per
    entry instead of a title and a separate host link: each inline element costs the PDF's layout time."""
    if not url or url == "nan":
        return f"<em>{html.escape(title)}</em>"
    return f"{labels.url_link(url, title, 'title')} ({html.escape(labels.url_host(url))})"


_SOURCE_ID = re.compile(r"\b[a-z0-9][a-z0-9-]*-(?:\d{4}|nd)-[0-9a-f]{4}\b|\b[a-z]+(?:_[a-z0-9]+)+\b")


def readable(text: str, cite: dict[str, str]) -> str:
    """Text with every cited source id and dataset name replaced by its author-date label."""
    return _SOURCE_ID.sub(lambda m: cite.get(m.group(0), m.group(0)), str(text))


def article_labels(documents: pd.DataFrame) -> dict[str, str]:
    """Each article as a reader knows it: outlet, date and headline."""
    labels_ = {}
    for r in documents.itertuples():
        when = r.published.date() if pd.notna(r.published) else "undated"
        label = f"{r.outlet or 'unknown outlet'}, {when}: {r.title}"
        original = getattr(r, "original_outlet", None)
        if isinstance(original, str) and original and original != r.outlet:
            label += f" (a rewrite of a piece in {original})"
        labels_[r.doc_id] = label
    return labels_


def evidence_words(value, unit) -> str:
    """An evidence value as a reader writes it: US$250 million, 92%, an 11.9% fall, 1.9 months, 15.2 years."""
    if value is None or pd.isna(value):
        return "—"
    unit = "" if unit is None or pd.isna(unit) else str(unit)
    if re.fullmatch(r"[A-Z]{3}", unit):
        return labels.money(value, unit)
    if unit == "pct":
        return f"{value:g}%"
    if unit.startswith("% fall"):
        number = f"{value:g}"
        article = "an" if re.match(r"8|11(\D|$)|18(\D|$)", number) else "a"  # an 11.9%, an 8%, an 18%
        return f"{article} {number}% fall" + (" (relative)" if "relative" in unit else "")
    if unit in ("month", "year"):
        return f"{value:g} {unit}{'' if value == 1 else 's'}"
    return f"{value:,.1f} {unit}".strip()


def claims_table(
    checks: pd.DataFrame, articles: dict[str, str] | None = None, cite: dict[str, str] | None = None
) -> pd.DataFrame:
    """The claim checks as the report shows them: the article, the claim's figure, the verdict and the
    evidence with its sources by author-date."""
    articles, cite = articles or {}, cite or {}
    checks = checks.assign(
        doc_id=checks["doc_id"].map(lambda d: articles.get(d, d)),
        evidence_source_id=checks["evidence_source_id"].map(
            lambda ids: "; ".join(cite.get(i, i) for i in ids.split(";")) if isinstance(ids, str) else ids
        ),
    )
    evidence = pd.Series(
        [
            evidence_words(v, u)
            for v, u in zip(checks["evidence_value"], checks["evidence_unit"], strict=True)
        ],
        index=checks.index,
    )
    frame = checks.assign(evidence=evidence)[
        ["doc_id", "claim_text", "verdict", "evidence", "evidence_period", "evidence_source_id"]
    ]
    return frame.rename(
        columns={
            "doc_id": "article",
            "claim_text": "claim",
            "evidence_period": "period",
            "evidence_source_id": "source",
        }
    )


ASSERTION_EVIDENCE_SHOWN = 3


def assertions_table(
    checks: pd.DataFrame,
    events: pd.DataFrame,
    articles: dict[str, str] | None = None,
    cite: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The assertion checks as the report shows them: the article, the assertion in the project's words,
    who says it, the verdict, the evidence (measures by title, indicators by name) and its sources."""
    articles, cite = articles or {}, cite or {}
    titles = dict(zip(events["event_id"], events["title"], strict=True))

    def evidence(ids) -> str:
        if not isinstance(ids, str) or not ids:
            return "—"
        named = [
            titles.get(i, i.replace("import_shares", "China's share of imports").replace("_", " "))
            for i in ids.split(";")
        ]
        return labels.first_few(named, ASSERTION_EVIDENCE_SHOWN)

    def sources(ids) -> str:
        if not isinstance(ids, str) or not ids:
            return "—"
        return labels.first_few(
            list(dict.fromkeys(cite.get(i, i) for i in ids.split(";"))), ASSERTION_EVIDENCE_SHOWN
        )

    return pd.DataFrame(
        {
            "article": checks["doc_id"].map(lambda d: articles.get(d, d).split(":")[0]),
            "assertion": checks["assertion"],
            "said by": checks["speaker"].fillna("the article"),
            "verdict": checks["verdict"],
            "evidence": checks["evidence_ids"].map(evidence),
            "source": checks["evidence_source_id"].map(sources),
        }
    )


def bullets(points):
    """A Markdown list of the points, with "$" escaped (Jupyter's Markdown would typeset the text between two
    of them, as in "US$225m … US$25m", as mathematics)."""
    from IPython.display import Markdown

    return Markdown("\n".join(f"- {point}".replace("$", r"\$") for point in points))


_NUMBER_LIKE = re.compile(r"^\s*(?:[-−+]?[\d,]*\.?\d+\s*%?|—|)\s*$")


def text_columns(frame: pd.DataFrame) -> list[int]:
    """The positions of the columns that hold words rather than numbers: read left-aligned, like text,
    while numbers stay right-aligned so that their digits line up."""
    return [
        number
        for number, column in enumerate(frame.columns)
        if not pd.api.types.is_numeric_dtype(frame[column])
        and not frame[column].dropna().astype(str).str.match(_NUMBER_LIKE).all()
    ]


def html_table(frame: pd.DataFrame):
    """A table for the report: no index, text escaped, missing values as a dash, text columns marked
    `class="text"` (left-aligned by the stylesheet); deterministic HTML, unlike a Styler."""
    from bs4 import BeautifulSoup
    from IPython.display import HTML

    soup = BeautifulSoup(
        frame.to_html(index=False, escape=True, na_rep="—", classes="report-table"), "html.parser"
    )
    texts = set(text_columns(frame))
    for row in soup.find_all("tr"):
        for number, cell in enumerate(row.find_all(["th", "td"], recursive=False)):
            if number in texts:
                cell["class"] = [*cell.get("class", []), "text"]
    return HTML(str(soup))


def _shown_measures(
    tables: dict[str, pd.DataFrame], lanes: list[str], timeline_years: list[int]
) -> pd.DataFrame:
    """The timeline rows the report's charts draw: the compared jurisdictions and China, in years shown."""
    timeline = tables["timeline"]
    return timeline[timeline["lane"].isin([*lanes, "CN"]) & timeline["year"].between(*timeline_years)]


def named_measures(tables: dict[str, pd.DataFrame]) -> set[str]:
    """The measures the report names, by title or by id: the landmarks (labelled in Figure 1 or counted
    there as shown on the full timeline), the first measure of each instrument (Table 1) and the measures
    behind the targets (Table 1d)."""
    timeline = tables["timeline"]
    return (
        set(timeline.loc[timeline["landmark"], "event_id"])
        | set(tables["adoption"]["measure_id"].dropna())
        | set(tables["targets_scorecard"]["measure_id"].dropna())
    )


def cited_sources(tables: dict[str, pd.DataFrame], lanes: list[str], timeline_years: list[int]) -> set[str]:
    """Every source id the report cites: the sources of the measures it names (named_measures), the sources
    of the figures it plots or tabulates (imports, refining, prices, production), the evidence of the claim
    checks, and the datasets. A measure drawn only as an unlabelled mark of the record-wide charts (Figures
    2 and 3) or summed in Table 1c is cited through the policy record: its source is in the data appendix
    (record_only_sources), not in the report's list, which holds only what a reader can find cited."""
    shown = _shown_measures(tables, lanes, timeline_years)
    used = set(shown.loc[shown["event_id"].isin(named_measures(tables)), "source_id"])
    used |= set(tables["import_figures"]["source_id"])
    used |= set(compare.refining_shares(tables["indicators"])["source_id"]) | set(
        tables["price_series"]["source_id"]
    )
    for checked in ("claim_checks", "assertion_checks"):
        used |= {
            source
            for ids in tables[checked]["evidence_source_id"].dropna()
            for source in ids.split(";")
            if source
        }
    return used | set(tables["production_shares"]["source"]) | {compare.COMPUTED_US_SOURCE}


def record_only_sources(
    tables: dict[str, pd.DataFrame], lanes: list[str], timeline_years: list[int]
) -> tuple[int, int, set[str]]:
    """The measures the charts draw, how many of them the report does not name, and the sources cited only
    by those (they are listed in the data appendix, not in the report's references)."""
    shown = _shown_measures(tables, lanes, timeline_years)
    unnamed = shown[~shown["event_id"].isin(named_measures(tables))]
    return len(shown), len(unnamed), set(unnamed["source_id"]) - cited_sources(tables, lanes, timeline_years)
