"""Coding reliability: how far an independent second coder agrees with the record, axis by axis.

`coding_check.csv` holds, for a random sample of measures, the first coder's codes (before any
discussion), a second coder's codes (reached from the source text and CODEBOOK.md alone) and the
resolved codes now in `measures.csv`. `agreement` gives, per axis, the share of measures coded
alike and Cohen's kappa (scikit-learn's `cohen_kappa_score`), which discounts the agreement two
coders would reach by chance given how often each uses each code. An axis below `THRESHOLD`
needs a clearer codebook entry and a recode.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from rare_earths.datasets.record_rules import AXES

THRESHOLD = 0.7


def agreement(coding: pd.DataFrame) -> pd.DataFrame:
    """Per axis: measures coded twice, how many alike, the share alike, Cohen's kappa, recodes."""
    rows = []
    for axis in AXES:
        part = coding[coding["axis"] == axis]
        if part.empty:
            continue
        alike = part["first_code"] == part["second_code"]
        same = len(set(part["first_code"]) | set(part["second_code"])) == 1
        kappa = 1.0 if same else float(cohen_kappa_score(part["first_code"], part["second_code"]))
        rows.append(
            {
                "axis": axis,
                "measures": len(part),
                "agreed": int(alike.sum()),
                "percent_agreement": round(100 * float(alike.mean()), 1),
                "kappa": round(kappa, 3),
                "meets_threshold": kappa >= THRESHOLD,
                "recoded_after_review": int((part["resolved_code"] != part["first_code"]).sum()),
            }
        )
    return pd.DataFrame(rows)


def disagreements(coding: pd.DataFrame) -> pd.DataFrame:
    """The codes the two coders did not share, with the resolution."""
    return coding[coding["first_code"] != coding["second_code"]].reset_index(drop=True)
