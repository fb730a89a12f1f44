"""The notebooks of the study, with what each reads and writes.

A stage declares its raw inputs (manifests and file patterns), the tables it reads and the tables
it writes (from the registry). The build reruns a stage when its notebook, the code it runs (its
own package, the shared package and the stage packages it imports), its parameter values or the
content of a file or table it reads changes, and not otherwise; stages that do not depend on each
other run at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rare_earths.build.imports import code_packages, notebook_packages, project_imports
from rare_earths.common import paths, tables
from rare_earths.common.errors import RareEarthsError

CODE_SUFFIXES = {".py", ".json"}


@dataclass(frozen=True)
class Stage:
    """One notebook: its package, raw inputs, and the table files it reads and writes."""

    name: str
    package: str | None = None  # its package under src/rare_earths (None: runs no project code)
    manifests: tuple[str, ...] = ()  # manifest names whose every file the notebook reads
    inputs: tuple[str, ...] = ()  # further glob patterns, relative to the project root
    reads: tuple[str, ...] = ()  # files written by other stages, relative to the project root
    writes: tuple[str, ...] = ()  # files this stage writes, relative to the project root
    hide_code: bool = False

    @property
    def notebook(self) -> Path:
        return paths.NOTEBOOKS / f"{self.name}.ipynb"

    def executed(self, reports: Path = paths.REPORTS) -> Path:
        return reports / f"{self.name}.ipynb"


def _tables(*names: str) -> tuple[str, ...]:
    """Registered tables as the Parquet files the notebooks read, relative to the project root."""
    folder = paths.PROCESSED.relative_to(paths.PROJECT_ROOT).as_posix()
    return tuple(f"{folder}/{name}.parquet" for name in names)


def _written(stage: str) -> tuple[str, ...]:
    """The Parquet files of the tables a stage writes."""
    return _tables(*tables.tables_of(stage))


STAGES: tuple[Stage, ...] = (
    Stage(
        "00-data-inventory",
        package="inventory",
        manifests=("external", "texts"),
        inputs=("data/raw/manifests/*.yml", "data/raw/curated/**/*"),
    ),
    Stage(
        "01-clean-source-texts",
        package="texts",
        manifests=("texts",),
        writes=_written("01-clean-source-texts"),
    ),
    Stage(
        "02-clean-datasets",
        package="datasets",
        manifests=("external",),
        inputs=("data/raw/curated/**/*",),
        writes=_written("02-clean-datasets"),
    ),
    Stage(
        "03-build-timeline",
        package="timeline",
        reads=_tables("events", "claims", "measures", "milestones", "episodes"),
        writes=_written("03-build-timeline"),
    ),
    Stage(
        "04-compare-diversification",
        package="compare",
        reads=_tables(
            "indicators",
            "trade",
            "production",
            "prices",
            "events",
            "claims",
            "documents",
            "article_links",
            "measures",
            "milestones",
            "episodes",
            "default_bases",
            "fx_rates",
            "us_deflator",
            "gdp",
            "targets",
        ),
        writes=_written("04-compare-diversification"),
    ),
    Stage(
        "05-study-report",
        package="report",
        reads=_tables(
            "timeline",
            "timeline_aligned",
            "adoption",
            "adoption_curves",
            "adoption_robustness",
            "public_money",
            "money_robustness",
            "targets_scorecard",
            "import_figures",
            "import_shares",
            "dependence_gaps",
            "magnet_shares",
            "china_share_of_production",
            "concentration",
            "production_shares",
            "price_series",
            "achievements",
            "claim_checks",
            "assertion_checks",
            "documents",
            "indicators",
            "events",
            "sources",
            "datasets",
        ),
        hide_code=True,
    ),
)


def stage_named(name: str, stages: tuple[Stage, ...] = STAGES) -> Stage:
    """Look a stage up by its notebook name (with or without .ipynb) or its number."""
    wanted = name.removesuffix(".ipynb")
    for stage in stages:
        if stage.name == wanted or stage.name.split("-", 1)[0] == wanted:
            return stage
    known = ", ".join(stage.name for stage in stages)
    raise RareEarthsError(f"no notebook named {name!r}; the notebooks are: {known}", rule="unknown-notebook")


def manifest_path(name: str) -> Path:
    """The manifest file of a manifest name."""
    return paths.MANIFESTS / f"{name}.yml"


def declared_inputs(stage: Stage) -> tuple[list[Path], list[Path]]:
    """The stage's raw input files as (present, missing): manifest files count as missing until fetched."""
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


def code_files(stage: Stage) -> list[Path]:
    """The source files of the code a stage runs: its package, what its notebook imports, and their
    imports."""
    imports = project_imports(paths.SOURCE)
    roots = ({stage.package} if stage.package else set()) | notebook_packages(stage.notebook)
    packages = set().union(*(code_packages(package, imports) for package in roots)) if roots else set()
    return sorted(
        p
        for package in packages
        for p in (paths.SOURCE / package).rglob("*")
        if p.is_file() and p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts
    )
