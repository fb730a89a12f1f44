"""`rare-earths build`: run the notebooks with papermill and render their reports, incrementally.

doit tracks what changed. Each notebook is three tasks, `notebook:NAME` (papermill),
`html:NAME` and `pdf:NAME`, plus one `index` task. `notebook:NAME` depends on the notebook, the
package source, the inputs the stage declares, its parameter values, and the executed copy of
the notebook before it, so a change reruns that notebook and every one after it, and nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rare_earths import __version__
from rare_earths.build.stages import STAGES, Stage, declared_inputs, source_files
from rare_earths.common import paths
from rare_earths.common.errors import RareEarthsError

FORMATS = ("html", "pdf")


@dataclass
class StageResult:
    """What happened to one notebook's tasks in this build."""

    name: str
    status: dict[str, str] = field(default_factory=dict)  # task kind -> ran / skipped / failed
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        states = set(self.status.values())
        for state in ("failed", "ran", "skipped"):
            if state in states:
                return state
        return "not run"


class BuildError(RareEarthsError):
    """A build that cannot start: an upstream notebook was never built."""


@dataclass
class BuildPlan:
    """Everything one build needs to know, fixed before any task runs."""

    stages: list[Stage]
    parameters: dict[str, dict[str, Any]]
    formats: tuple[str, ...]
    force: bool = False
    reports: Path = paths.REPORTS
    results: dict[str, StageResult] = field(default_factory=dict)
    inputs: dict[str, tuple[list[Path], list[Path]]] = field(default_factory=dict)  # stage -> (present, missing), read once per build


def _execute(stage: Stage, parameters: dict[str, Any], reports: Path):
    """Run one notebook with papermill into a temporary copy; keep the last good copy on failure."""
    import papermill
    from doit.exceptions import TaskFailed

    reports.mkdir(parents=True, exist_ok=True)
    running = reports / f".{stage.name}.running.ipynb"
    print(f"▶ {stage.name}: executing with {json.dumps(parameters) if parameters else 'default parameters'}", flush=True)
    try:
        papermill.execute_notebook(
            stage.notebook, running, parameters=parameters, cwd=str(paths.NOTEBOOKS), progress_bar=True, log_output=False, report_mode=False
        )
    except Exception as error:  # papermill raises its own types and kernel errors alike
        failed = reports / f"{stage.name}.failed.ipynb"
        if running.exists():
            os.replace(running, failed)
        return TaskFailed(f"{stage.name} failed; the executed copy with the error is {failed}; the last good report was kept.\n{error}")
    os.replace(running, stage.executed(reports))
    return True


def _html(stage: Stage, reports: Path) -> bool:
    """Render the executed notebook to self-contained HTML."""
    from rare_earths.build.render import notebook_to_html

    notebook_to_html(stage.executed(reports), reports / f"{stage.name}.html", hide_code=stage.hide_code)
    return True


def _pdf(stage: Stage, reports: Path) -> bool:
    """Print the HTML report to PDF."""
    from rare_earths.build.render import html_to_pdf

    html_to_pdf(reports / f"{stage.name}.html", reports / f"{stage.name}.pdf")
    return True


def _tasks(plan: BuildPlan):
    """doit task dictionaries for the planned stages, chained in order."""
    from doit.tools import config_changed

    source = [str(p) for p in source_files()]
    templates = [str(p) for p in (paths.SOURCE / "templates").rglob("*") if p.is_file()]
    previous: Stage | None = None
    for stage in STAGES:
        if stage in plan.stages:
            present, missing = plan.inputs[stage.name]
            upstream = [] if previous is None else [str(previous.executed(plan.reports))]
            if previous is not None and previous not in plan.stages and not previous.executed(plan.reports).exists():
                raise BuildError(f"{stage.name} reads what {previous.name} writes, which has not been built yet: build it first (or drop --only)")
            state = {"parameters": plan.parameters.get(stage.name, {}), "missing": sorted(map(str, missing))}
            yield {
                "name": f"notebook:{stage.name}",
                "actions": [(_execute, [stage, plan.parameters.get(stage.name, {}), plan.reports])],
                "file_dep": [str(stage.notebook), *source, *map(str, present), *upstream],
                "targets": [str(stage.executed(plan.reports))],
                "uptodate": [config_changed(json.dumps(state, sort_keys=True, default=str))],
                "verbosity": 2,
            }
            yield from _render_tasks(stage, plan, templates)
        previous = stage


def _render_tasks(stage: Stage, plan: BuildPlan, templates: list[str]):
    """The HTML and PDF tasks of one stage (PDF is printed from the HTML)."""
    executed, page = stage.executed(plan.reports), plan.reports / f"{stage.name}.html"
    yield {
        "name": f"html:{stage.name}",
        "actions": [(_html, [stage, plan.reports])],
        "file_dep": [str(executed), *templates],
        "targets": [str(page)],
        "verbosity": 2,
    }
    if "pdf" in plan.formats:
        pdf = plan.reports / f"{stage.name}.pdf"
        yield {"name": f"pdf:{stage.name}", "actions": [(_pdf, [stage, plan.reports])], "file_dep": [str(page)], "targets": [str(pdf)], "verbosity": 2}


def _index_task(plan: BuildPlan) -> dict:
    """The reports index: rewritten when any report or declared input changes."""
    planned = [plan.reports / f"{stage.name}.{fmt}" for stage in plan.stages for fmt in plan.formats]
    existing = [plan.reports / f"{stage.name}.{fmt}" for stage in STAGES for fmt in FORMATS if (plan.reports / f"{stage.name}.{fmt}").exists()]
    reports = {str(p) for p in planned + existing}
    inputs = sorted({str(p) for present, _ in plan.inputs.values() for p in present})
    return {
        "actions": [(write_reports_index, [plan])],
        "file_dep": sorted(reports) + inputs,
        "targets": [str(plan.reports / "index.html")],
        "verbosity": 2,
    }


def write_reports_index(plan: BuildPlan) -> bool:
    """Collect links, parameters, missing inputs and input checksums into reports/index.html."""
    from rare_earths.build.render import ReportEntry, write_index
    from rare_earths.common.manifests import sha256_of

    entries, used = [], {}
    for stage in STAGES:
        present, missing = plan.inputs[stage.name]
        formats = tuple(fmt for fmt in FORMATS if (plan.reports / f"{stage.name}.{fmt}").exists())
        entries.append(ReportEntry(stage.name, formats, plan.parameters.get(stage.name, {}), tuple(_relative(p) for p in missing)))
        used.update({_relative(p): p for p in present})
    inputs = [(name, path.stat().st_size, sha256_of(path)) for name, path in sorted(used.items())]
    built_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    write_index(plan.reports / "index.html", entries, inputs, built_at=built_at, version=__version__, commit=_git_commit())
    return True


def _relative(path: Path) -> str:
    """A path as shown to readers: relative to the project root."""
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _git_commit() -> str:
    """The checked-out commit, marked dirty when the work tree has changes; 'unknown' outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True).stdout.strip()
        return commit + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _reporter(plan: BuildPlan):
    """A doit reporter that records each task's outcome and time for the summary table."""
    from doit.reporter import ConsoleReporter

    class SummaryReporter(ConsoleReporter):
        def __init__(self, outstream, options):
            super().__init__(outstream, options)
            self.started: dict[str, float] = {}

        def _record(self, task, status: str) -> None:
            kind, _, name = task.name.removeprefix("build:").partition(":")
            if name and task.name.startswith("build:"):
                result = plan.results.setdefault(name, StageResult(name))
                result.status[kind] = status
                result.seconds += max(0.0, time.monotonic() - self.started.pop(task.name, time.monotonic()))

        def execute_task(self, task):
            self.started[task.name] = time.monotonic()
            if task.name.startswith(("build:html:", "build:pdf:")) or task.name == "reports":
                self.write(f"  {task.name.removeprefix('build:')}\n")

        def add_success(self, task):
            self._record(task, "ran")
            if task.name.startswith("build:notebook:"):
                name = task.name.removeprefix("build:notebook:")
                self.write(f"✔ {name}: executed in {plan.results[name].seconds:.1f} s\n")

        def add_failure(self, task, fail):
            self._record(task, "failed")
            super().add_failure(task, fail)

        def skip_uptodate(self, task):
            self._record(task, "skipped")

    return SummaryReporter


def run(plan: BuildPlan) -> int:
    """Run the planned tasks with doit; return its exit code (non-zero when any task failed)."""
    from doit.cmd_base import ModuleTaskLoader
    from doit.doit_cmd import DoitMain

    paths.BUILD_STATE.parent.mkdir(parents=True, exist_ok=True)
    plan.inputs = {stage.name: declared_inputs(stage) for stage in STAGES}
    namespace = {
        "task_build": lambda: _tasks(plan),
        "task_reports": lambda: _index_task(plan),
        "DOIT_CONFIG": {"dep_file": str(paths.BUILD_STATE), "backend": "json", "reporter": _reporter(plan), "check_file_uptodate": "md5"},
    }
    selected = [f"build:{kind}:{s.name}" for s in plan.stages for kind in ("notebook", *plan.formats)]
    arguments = ["run", *(["--always-execute"] if plan.force else []), *selected, "reports"]
    return DoitMain(ModuleTaskLoader(namespace)).run(arguments)
