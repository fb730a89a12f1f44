# The notebook's parameters and their defaults (its parameters cell holds the same literals; a test checks).
DEFAULTS: dict = {
    "external_dir": "../data/raw/external",
    "curated_dir": "../data/raw/curated",
    "processed_dir": "../data/processed",
    "years": [1990, 2026],
    "edition_policy": "latest",
    "tolerance_pct": 5.0,
}
