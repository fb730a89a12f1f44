"""Assertions without a number: each rule on hand-written sentences, hand-built events and indicators."""

from __future__ import annotations

import pandas as pd
import pytest

from rare_earths.compare import assertions

EVENTS = pd.DataFrame(
    {
        "event_id": [
            "M-CN-2010-01",
            "M-CN-2025-01",
            "M-JP-2010-06",
            "M-JP-2012-06",
            "M-US-2012-01",
            "M-US-2025-01",
        ],
        "date": pd.to_datetime(
            ["2010-09-21", "2025-04-04", "2010-11-24", "2012-11-16", "2012-03-13", "2025-07-10"]
        ),
        "jurisdiction": ["CN", "CN", "JP", "JP", "US", "US"],
        "kind": ["measure"] * 6,
        "lever": [
            "export_restriction",
            "export_restriction",
            "overseas_equity_offtake",
            "alliances_agreements",
            "trade_litigation",
            "concessional_finance",
        ],
        "title": [
            "De facto halt of rare-earth shipments to Japan",
            "Export licensing for seven rare earths",
            "Loan to Lynas for supply to Japan",
            "Japan-India memorandum",
            "WTO dispute",
            "Equity in a US miner",
        ],
        "description": ["", "", "Australian producer", "", "", ""],
        "actors": ["MOFCOM", "MOFCOM", "JOGMEC", "METI", "USTR", "DoD"],
        "landmark": [True, True, True, False, True, True],
        "end_date": pd.to_datetime(["2010-11-19", None, None, None, None, None]),
        "source_id": ["s-halt", "s-2025", "s-loan", "s-india", "s-wto", "s-dod"],
    }
)
EVENTS = pd.concat(  # a second Australian deal, so Australia leads India two to one
    [
        EVENTS,
        pd.DataFrame(
            [
                {
                    "event_id": "M-JP-2014-02",
                    "date": pd.Timestamp("2014-09-24"),
                    "jurisdiction": "JP",
                    "kind": "measure",
                    "lever": "overseas_equity_offtake",
                    "title": "Lynas loan amended for priority supply",
                    "description": "",
                    "actors": "JARE",
                    "landmark": False,
                    "end_date": pd.NaT,
                    "source_id": "s-amend",
                }
            ]
        ),
    ],
    ignore_index=True,
)
INDICATORS = pd.DataFrame(
    {"indicator": ["china_share_of_refining"], "year": [2025], "value": [91.0], "source_id": ["s-ref"]}
)
PRODUCTION = pd.DataFrame({"year": [2024], "share_pct": [70.3], "source": ["usgs"], "edition": ["MCS 2026"]})
BEST = pd.DataFrame(
    {
        "jurisdiction": ["JP", "JP", "JP"],
        "year": [2010, 2014, 2024],
        "share_pct": [81.6, 59.6, 71.9],
        "source_id": ["mof-a", "mof-b", "mof-c"],
    }
)
EVIDENCE = assertions.Evidence(EVENTS, INDICATORS, PRODUCTION, BEST, {"S1": "2010-07-08", "S2": "2025-04-04"})
NAMES = {"Japan": "JP", "Tokyo": "JP", "China": "CN", "Beijing": "CN", "Australia": "AU", "India": "IN"}
NAMES |= {"United States": "US", "Europe": "EU"}


def _claims(*sentences: str, quote_by: str | None = None) -> pd.DataFrame:
    """The claims notebook 01 would extract: each country name and year in each sentence."""
    rows = []
    for number, sentence in enumerate(sentences):
        offset = number * 1000
        for name, code in NAMES.items():
            at = sentence.find(name)
            if at >= 0:
                rows.append(("d", "country", name, code, sentence, offset + at, None, None))
        for word in sentence.replace(",", " ").split():
            if word.isdigit() and len(word) == 4:
                rows.append(("d", "year", word, word, sentence, offset + sentence.find(word), None, None))
        if quote_by:
            rows.append(("d", "quote", sentence, None, sentence, offset, quote_by, "an official"))
    return pd.DataFrame(
        rows, columns=["doc_id", "kind", "text", "normalised", "sentence", "start", "speaker", "speaker_role"]
    )


DOCUMENTS = pd.DataFrame({"doc_id": ["d"], "published": ["2025-12-08"]})


def _check(*sentences: str, **kwargs) -> pd.DataFrame:
    return assertions.check(_claims(*sentences, **kwargs), DOCUMENTS, EVIDENCE)


def _one(sentence: str, topic: str) -> pd.Series:
    rows = _check(sentence)
    assert topic in set(rows["topic"]), rows[["topic", "verdict", "note"]]
    return rows.set_index("topic").loc[topic]


def test_a_halt_of_exports_is_found_in_the_record_with_the_de_facto_caveat():
    row = _one(
        "In 2010 Beijing halted rare-earth exports to Japan after a dispute over islands.", "supplier_halt"
    )
    assert row["verdict"] == "supported with a caveat" and row["evidence_ids"] == "M-CN-2010-01"
    assert (
        row["assertion"] == "China halted rare-earth exports to Japan, 2010" and "announced no" in row["note"]
    )
    wrong_year = _one("In 2014 Beijing halted rare-earth exports to Japan for some weeks.", "supplier_halt")
    assert wrong_year["verdict"] == "contradicted" and "no halt" in wrong_year["note"]


def test_recent_export_controls_are_read_in_the_articles_year():
    row = _one(
        "The recent export controls by Beijing on rare earths alarmed buyers everywhere.", "supplier_controls"
    )
    assert row["verdict"] == "supported" and row["evidence_ids"] == "M-CN-2025-01"


def test_investment_in_a_partner_and_above_all_others():
    row = _one(
        "Tokyo invested heavily in alternative supply chains, particularly in Australia.", "invested_abroad"
    )
    assert row["verdict"] == "supported" and row["evidence_ids"] == "M-JP-2010-06;M-JP-2014-02"
    assert row["assertion"].endswith("above all others") and "India 1" in row["note"]
    india = _one("Tokyo invested heavily in new supply chains, particularly in India.", "invested_abroad")
    assert india["verdict"] == "contradicted" and "not the partner most named" in india["note"]


def test_dominance_reads_both_shares_against_a_majority():
    row = _one("China dominates global rare-earth production and processing today.", "dominance")
    assert row["verdict"] == "supported" and "70.3%" in row["note"] and "91%" in row["note"]
    assert row["evidence_source_id"] == "s-ref"


def test_still_dependent_and_reduced_dependence_on_the_default_basis():
    still = _one("Japan still found itself vulnerable during the controls of 2025.", "still_dependent")
    assert still["verdict"] == "supported with a caveat" and "71.9% in 2024" in still["note"]
    reduced = _one(
        "The crisis spurred changes in Japan, significantly reducing dependence on China.",
        "reduced_dependence",
    )
    assert reduced["verdict"] == "supported with a caveat"
    assert "a fall of 9.7 points" in reduced["note"] and "lowest 59.6% in 2014" in reduced["note"]
    assert reduced["evidence_ids"] == "import_shares JP 2010;import_shares JP 2024"


def test_only_now_compares_the_pace_before_and_after_the_2025_episode():
    rows = _check(
        "The urgency of the situation is just now dawning on the United States and Europe.",
        quote_by="A. Official",
    )
    row = rows.set_index("topic").loc["only_now"]
    # one US measure in ~14.7 years between the episodes, one in the months after April 2025
    assert row["verdict"] == "supported with a caveat" and "WTO dispute (2012)" in row["note"]
    assert row["speaker"] == "A. Official, an official" and row["evidence_ids"] == "M-US-2012-01"


def test_forecasts_and_unread_sentences_are_not_checkable_and_no_sentence_is_stored():
    sentences = (
        "The United States may strengthen cooperation with Australia in the coming years.",
        "Japan fostered a partnership with an Australian company that would minimise reliance on China.",
        "Japan's strict environmental rules make processing costly for everyone.",
    )
    rows = _check(*sentences)
    first, second, third = (rows[rows["sentence_start"] // 1000 == n] for n in range(3))
    assert list(first["topic"]) == ["forecast"] and first["verdict"].iloc[0] == "not checkable"
    assert list(second["topic"]) == ["invested_abroad"], "a modal word in a relative clause is no forecast"
    assert list(third["topic"]) == ["other"] and third["note"].iloc[0].startswith("no rule reads")
    assert not any(sentence in " ".join(map(str, rows.to_numpy().ravel())) for sentence in sentences)


def test_a_sentence_whose_only_content_is_a_figure_is_left_to_the_claim_checks():
    claims = _claims("Japan is now said to be thirty percent less reliant on the old supplier than before.")
    claims.loc[len(claims)] = ("d", "percentage", "30%", None, claims["sentence"].iloc[0], 5, None, None)
    claims.loc[claims["kind"] == "percentage", "kind"] = "percentage"
    assert assertions.check(claims, DOCUMENTS, EVIDENCE).empty


@pytest.mark.parametrize("column", assertions.COLUMNS)
def test_every_column_is_declared(column):
    from rare_earths.common import registry

    assert column in registry.field_names("assertion_checks")


def test_leverage_over_exports_is_an_export_restriction_in_the_sentences_year():
    row = _one(
        "In 2010 China's strategic leverage over rare-earth mineral exports hit Japan hard.",
        "supplier_controls",
    )
    assert row["verdict"] == "supported" and row["evidence_ids"] == "M-CN-2010-01"
    assert row["assertion"] == "China restricts rare-earth exports in 2010"


def test_a_denial_turns_the_assertion_round():
    flat = _one(
        "China does not restrict rare-earth exports in 2025, its ministry said today.", "supplier_controls"
    )
    assert flat["assertion"] == "denied: China restricts rare-earth exports in 2025"
    assert flat["verdict"] == "contradicted" and flat["note"].startswith("the sentence denies this")
    halt = _one(
        "China does not have a trade embargo on rare-earth exports to Japan, a spokesman said.",
        "supplier_halt",
    )
    assert halt["verdict"] == "supported with a caveat", (
        "China announced no embargo; the record codes a de facto halt"
    )
    assert halt["assertion"].startswith("denied: ")
    far = _one(
        "No one expected that later, in the autumn of 2010, Beijing halted rare-earth exports to Japan.",
        "supplier_halt",
    )
    assert not far["assertion"].startswith("denied"), "a negation far before the trigger word does not count"


def test_a_restriction_dated_the_year_before_is_in_force_in_the_year():
    row = _one(
        "The WTO ruled against China's export restrictions in 2026 after a long dispute.", "supplier_controls"
    )
    assert row["verdict"] == "supported" and row["evidence_ids"] == "M-CN-2025-01"
    assert "(dated that year or the year before)" in row["note"]
