"""The words a reader sees for the project's codes: instruments, stages, columns of the report tables.

Codes stay in the data (they are what the codebook defines and the tests check); reports and charts
show these words instead. A code without words is shown as it is, so a new code is visible rather
than hidden, and a test lists every code of the schemas against this table.
"""

from __future__ import annotations

import html
import re

import pandas as pd

INSTRUMENTS = {
    "concessional_finance": "concessional finance (loans, grants)",
    "overseas_equity_offtake": "overseas equity and offtake",
    "stockpiling": "stockpiling",
    "price_floor_offtake_guarantee": "price floor or offtake guarantee",
    "demand_reduction_substitution": "demand reduction and substitution",
    "recycling": "recycling",
    "domestic_mining": "domestic mining",
    "domestic_separation_refining": "domestic separation and refining",
    "magnet_making": "magnet making",
    "trade_litigation": "trade litigation (WTO)",
    "alliances_agreements": "alliances and agreements",
    "law_strategy_targets": "laws, strategies and targets",
    "export_restriction": "export restriction",
    "none": "none",
}
STAGES = {
    "mining": "mining",
    "separation_refining": "separation and refining",
    "metals_alloys": "metals and alloys",
    "magnets": "magnets",
    "recycling": "recycling",
    "demand_substitution": "demand and substitution",
    "stockpile": "stockpile",
    "trade": "trade",
    "whole_chain": "whole value chain",
}
JURISDICTIONS = {"JP": "Japan", "US": "United States", "EU": "European Union", "CN": "China"}
COLUMNS = {
    "window_months": "window (months)",
    "instrument": "instrument",
    "first": "first to adopt",
    "share_holding": "share of variants agreeing",
    "usd_2024_millions": "US$ million (2024 prices)",
    "share_of_gdp_bp": "share of GDP (basis points)",
    "target_id": "target",
    "measures": "measures",
    "jurisdiction": "jurisdiction",
    "episode": "episode",
    "note": "note",
    "target": "target",
    "deadline": "deadline",
    "latest": "latest value",
    "verdict": "verdict",
}


def words(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a reader sees it: instrument, stage and jurisdiction codes and column names in words."""
    shown = frame.copy()
    for column, table in (("instrument", INSTRUMENTS), ("stage", STAGES), ("jurisdiction", JURISDICTIONS)):
        if column in shown:
            shown[column] = shown[column].map(lambda code, table=table: table.get(code, code))
    return shown.rename(columns=COLUMNS)


COMPUTED_US_SOURCE = "usitc_dataweb"  # the US series the study computes (compare.COMPUTED_US_SOURCE)


def citation_labels(sources: pd.DataFrame, datasets: pd.DataFrame) -> dict[str, str]:
    """Author-date labels for every source id and dataset: the publisher (without its parenthesised
    note) and the year, with a letter where two sources would read the same ("Reuters 2010a")."""
    raw = {
        r.source_id: f"{str(r.publisher).split(' (')[0].strip()} {str(r.published)[:4]}"
        for r in sources.itertuples()
    }
    raw |= {
        r.source: f"{str(r.publisher).split(' (')[0].split(',')[0].strip()} (dataset)"
        for r in datasets.itertuples()
    }
    raw[COMPUTED_US_SOURCE] = "USITC DataWeb (computed here)"
    seen: dict[str, list[str]] = {}
    for key in sorted(raw):
        seen.setdefault(raw[key], []).append(key)
    return {
        key: label if len(keys) == 1 else f"{label}{'abcdefghijklmnopqrstuvwxyz'[i % 26]}"
        for label, keys in seen.items()
        for i, key in enumerate(keys)
    }


def url_host(url: str) -> str:
    """The host part of a URL ("https://www.afr.com/x" -> "www.afr.com")."""
    return re.sub(r"^https?://", "", url).split("/")[0]


def url_link(url: str, text: str | None = None, css_class: str | None = None) -> str:
    """A URL as an HTML link whose text is the given text or else its host (the full address is the link's
    target); escaped."""
    attrs = f" class='{html.escape(css_class, quote=True)}'" if css_class else ""
    shown = url_host(url) if text is None else text
    return f"<a{attrs} href='{html.escape(url, quote=True)}'>{html.escape(shown)}</a>"


CURRENCY_SIGNS = {"USD": "US$", "JPY": "¥", "EUR": "€", "AUD": "A$", "GBP": "£", "CNY": "CN¥", "CAD": "C$"}


def money(amount: float | None, currency: str | None) -> str:
    """An amount as a reader writes it (US$225 million, ¥87.2 billion, €3 billion); empty when none."""
    if amount is None or pd.isna(amount) or not currency:
        return ""
    sign = CURRENCY_SIGNS.get(currency, f"{currency} ")
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(amount) >= size:
            return f"{sign}{amount / size:,.2f}".rstrip("0").rstrip(".") + f" {word}"
    return f"{sign}{amount:,.0f}"


def first_few(items: list[str], shown: int) -> str:
    """The first `shown` items joined with "; ", and how many more there are ("a; b; c; and 4 more")."""
    text = "; ".join(items[:shown])
    return text + (f"; and {len(items) - shown} more" if len(items) > shown else "")
