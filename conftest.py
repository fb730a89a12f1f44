"""Skips, by name and with the reason, the checks whose inputs are missing.

nbval re-executes each notebook; one whose declared raw inputs (build.stages.STAGES) are not all present
cannot reproduce its stored outputs, so it is skipped with the list of missing files. Tests
marked `needs_external` are skipped the same way when data/raw/external is incomplete.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rare_earths.build.stages import STAGES, declared_inputs
from rare_earths.common import paths
from rare_earths.common.manifests import check_file, load_manifest


def _missing_external() -> list[str]:
    manifest = load_manifest(paths.EXTERNAL_MANIFEST)
    return [entry.path for entry in manifest.entries if check_file(manifest, entry) is not None]


def _reason(missing: list[str]) -> str:
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return f"needs inputs that are missing or fail their checksum ({shown}); run `rare-earths data fetch`"


def pytest_collection_modifyitems(config, items):
    missing_external = _missing_external()
    stage_missing = {
        stage.notebook.resolve(): [str(p.relative_to(paths.PROJECT_ROOT)) for p in declared_inputs(stage)[1]]
        for stage in STAGES
    }
    for item in items:
        notebook = Path(str(item.fspath)).resolve()
        if notebook.suffix == ".ipynb" and stage_missing.get(notebook):
            item.add_marker(pytest.mark.skip(reason=f"{notebook.name}: " + _reason(stage_missing[notebook])))
        elif item.get_closest_marker("needs_external") and missing_external:
            item.add_marker(pytest.mark.skip(reason=_reason(missing_external)))
