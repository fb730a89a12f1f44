"""The registered tables without pandas: their names, the stage that writes each, their schemas.

The build reads these to plan which notebook reruns (a no-change `make report` never imports pandas);
`registry` re-exports them and does the reading and writing.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from rare_earths.common.errors import Issue, ValidationError

SCHEMAS = Path(__file__).parent / "schemas"
# Every table, by the stage that writes it (the notebooks' names).
PRODUCERS: dict[str, str] = {
    **dict.fromkeys(("documents", "claims", "problems"), "01-clean-source-texts"),
    **dict.fromkeys(
        (
            "production",
            "trade",
            "prices",
            "event_candidates",
            "reconciliation",
            "datasets",
            "sources",
            "measures",
            "milestones",
            "events",
            "indicators",
            "episodes",
            "default_bases",
            "fx_rates",
            "us_deflator",
            "gdp",
            "targets",
            "coding_check",
            "coding_agreement",
            "tracker_review",
            "events_migration",
        ),
        "02-clean-datasets",
    ),
    **dict.fromkeys(
        (
            "timeline",
            "timeline_aligned",
            "adoption",
            "adoption_curves",
            "adoption_robustness",
            "article_links",
        ),
        "03-build-timeline",
    ),
    **dict.fromkeys(
        (
            "import_figures",
            "import_shares",
            "dependence_gaps",
            "magnet_shares",
            "magnet_cut_check",
            "production_shares",
            "china_share_of_production",
            "concentration",
            "price_series",
            "price_premium",
            "achievements",
            "public_money",
            "public_money_by_stage",
            "money_robustness",
            "lynas_ledger",
            "targets_scorecard",
            "claim_checks",
            "assertion_checks",
        ),
        "04-compare-diversification",
    ),
}


class TableError(ValidationError):
    """Frames that break their declared schemas."""

    what = "tables"


@functools.cache
def schema(name: str) -> dict:
    """The declared Table Schema of a registered table."""
    if name not in PRODUCERS:
        raise TableError(
            [Issue(name, None, None, "unregistered-table", "no schema is declared for this table")]
        )
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def field_names(name: str) -> list[str]:
    """The table's columns, in order."""
    return [field["name"] for field in schema(name)["fields"]]


def tables_of(stage: str) -> tuple[str, ...]:
    """The tables a stage writes."""
    return tuple(name for name, producer in PRODUCERS.items() if producer == stage)
