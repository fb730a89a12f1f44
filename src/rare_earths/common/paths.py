"""Every path the project uses, in one place.

This module imports nothing else from the package, so any module (and any notebook's
parameters cell default) can rely on it without import cycles.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("RARE_EARTHS_ROOT") or Path(__file__).resolve().parents[3])

NOTEBOOKS = PROJECT_ROOT / "notebooks"
DATA = PROJECT_ROOT / "data"
RAW = DATA / "raw"
MANIFESTS = RAW / "manifests"
EXTERNAL = RAW / "external"
CURATED = RAW / "curated"
TEXTS = RAW / "texts"
PROCESSED = DATA / "processed"
REPORTS = PROJECT_ROOT / "reports"
SOURCE = PROJECT_ROOT / "src" / "rare_earths"
BUILD_STATE = PROJECT_ROOT / ".cache" / "doit-build.json"
EXTERNAL_MANIFEST = MANIFESTS / "external.yml"

# The DejaVu font files the charts and the PDFs use: matplotlib's copy (package, folder inside it), shipped by
# the lock, so no host font decides how a chart's labels are measured or printed (common/renderers.py,
# build/fonts.py).
DEJAVU_FONTS = ("matplotlib", "mpl-data/fonts/ttf")


def installed_folder(package: str, inside: str = "") -> Path | None:
    """A folder inside an installed package (found without importing it), or None when it is not installed."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / inside
