"""The notebooks of the study, in execution order, with the inputs each one declares.

A stage reruns when its notebook, its parameters, the package source or a declared input
changes, and then every stage after it reruns too (the build chains each stage to the one before).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rare_earths.common import paths
from rare_earths.common.errors import RareEarthsError


@dataclass(frozen=True)
class Stage:
    """One notebook and what it reads."""

    name: str
    manifests: tuple[str, ...] = ()  # manifest names whose every file the notebook reads
    inputs: tuple[str, ...] = ()  # further glob patterns, relative to the project root
    hide_code: bool = False

    @property
    def notebook(self) -> Path:
        return paths.NOTEBOOKS / f"{self.name}.ipynb"

    def executed(self, reports: Path = paths.REPORTS) -> Path:
        return reports / f"{self.name}.ipynb"


STAGES: tuple[Stage, ...] = (
    Stage(
        "00-data-inventory",
        manifests=("external", "texts"),
        inputs=("data/raw/manifests/*.yml", "data/raw/curated/**/*"),
    ),
    Stage("01-clean-source-texts", manifests=("texts",)),
    Stage("02-clean-datasets", manifests=("external",), inputs=("data/raw/curated/**/*",)),
    # 03-05 read only what the stages before them wrote to data/processed/ (the chain reruns them).
    Stage("03-build-timeline"),
    Stage("04-compare-diversification"),
    Stage("05-study-report", hide_code=True),
)


def stage_named(name: str) -> Stage:
    """Look a stage up by its notebook name (with or without .ipynb)."""
    wanted = name.removesuffix(".ipynb")
    for stage in STAGES:
        if stage.name == wanted or stage.name.split("-", 1)[0] == wanted:
            return stage
    known = ", ".join(stage.name for stage in STAGES)
    raise RareEarthsError(f"no notebook named {name!r}; the notebooks are: {known}")


def manifest_path(name: str) -> Path:
    """The manifest file of a manifest name."""
    return paths.MANIFESTS / f"{name}.yml"


def declared_inputs(stage: Stage) -> tuple[list[Path], list[Path]]:
    """The stage's input files as (present, missing): manifest files count as missing until fetched."""
    from rare_earths.common.manifests import load_manifest

    root = paths.PROJECT_ROOT
    present: list[Path] = []
    missing: list[Path] = []
    for name in stage.manifests:
        manifest = load_manifest(manifest_path(name))
        for entry in manifest.entries:
            local = manifest.local_path(entry)
            (present if local.is_file() else missing).append(local)
    for pattern in stage.inputs:
        present.extend(sorted(p for p in root.glob(pattern) if p.is_file()))
    return present, missing


def source_files() -> list[Path]:
    """The package's own files: a change to any of them reruns every notebook."""
    return sorted(p for p in paths.SOURCE.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".json", ".css"} and "__pycache__" not in p.parts)
