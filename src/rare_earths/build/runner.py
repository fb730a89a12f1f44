"""`rare-earths build`: run the notebooks with papermill and render their reports, incrementally.

doit tracks what changed. Each notebook is three tasks, `notebook:NAME` (papermill),
`html:NAME` and `pdf:NAME`, plus one `index` task. `notebook:NAME` depends on the notebook, the
package source, the inputs the stage declares, its parameter values, and the executed copy of
the notebook before it, so a change reruns that notebook and every one after it, and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rare_earths import __version__
from rare_earths.build.render import TEMPLATES
from rare_earths.build.stages import STAGES, Stage, code_files, declared_inputs
from rare_earths.common import paths
from rare_earths.common.errors import RareEarthsError
from rare_earths.common.io import atomic_write_text
from rare_earths.common.manifests import sha256_of

FORMATS = ("html", "pdf")


@dataclass
class StageResult:
    """What happened to one notebook's tasks in this build."""

    name: str
    status: dict[str, str] = field(default_factory=dict)  # task kind -> ran / skipped / failed
    seconds: float = 0.0
    task_seconds: dict[str, float] = field(default_factory=dict)  # task kind -> seconds (notebook, html, pdf)

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
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    templates: list[str] = field(default_factory=list)
    inputs: dict[str, tuple[list[Path], list[Path]]] = field(
        default_factory=dict
    )  # stage -> (present, missing), read once per build


def _execute(stage: Stage, parameters: dict[str, Any], reports: Path):
    """Run one notebook with papermill into a temporary copy; keep the last good copy on failure."""
    import papermill
    from doit.exceptions import TaskFailed

    reports.mkdir(parents=True, exist_ok=True)
    running = reports / f".{stage.name}.running.ipynb"
    print(
        f"▶ {stage.name}: executing with {json.dumps(parameters) if parameters else 'default parameters'}",
        flush=True,
    )
    try:
        papermill.execute_notebook(
            stage.notebook,
            running,
            parameters=parameters,
            cwd=str(paths.NOTEBOOKS),
            progress_bar=True,
            log_output=False,
            report_mode=False,
        )
    except Exception as error:  # papermill raises its own types and kernel errors alike
        failed = reports / f"{stage.name}.failed.ipynb"
        if running.exists():
            os.replace(running, failed)
        return TaskFailed(
            f"{stage.name} failed; the executed copy with the error is {failed}; the last good report was "
            f"kept.\n{error}"
        )
    os.replace(running, stage.executed(reports))
    (reports / f"{stage.name}.failed.ipynb").unlink(missing_ok=True)  # the failure it recorded is over
    return True


def _html(stage: Stage, reports: Path) -> bool:
    """Render the executed notebook to self-contained HTML."""
    from rare_earths.build.render import notebook_to_html

    stamp = build_stamp(stage.executed(reports)) if stage.hide_code else None
    notebook_to_html(
        stage.executed(reports), reports / f"{stage.name}.html", hide_code=stage.hide_code, stamp=stamp
    )
    return True


def build_stamp(executed: Path) -> str:
    """What a reader of the study report needs to know about its build: when the notebook ran, the package
    version, the commit and the parameters it ran with (papermill's record in the executed notebook)."""
    import nbformat

    record = nbformat.read(executed, as_version=4).metadata.get("papermill", {})
    ran = str(record.get("end_time") or "")[:16].replace("T", " ")
    given = record.get("parameters") or {}
    parameters = ", ".join(f"{k}={v!r}" for k, v in given.items()) or "the notebook's defaults"
    return (
        f"Built {ran or 'at an unknown time'} UTC with rare-earths {__version__}, commit {_git_commit()}; "
        f"parameters: {parameters}."
    )


def _pdf(stage: Stage, reports: Path) -> bool:
    """Print the HTML report to PDF."""
    from rare_earths.build.render import html_to_pdf

    page = reports / f"{stage.name}.html"
    html_to_pdf(page, reports / f"{stage.name}.pdf")
    atomic_write_text(_printed_from(reports / f"{stage.name}.pdf"), sha256_of(page))
    return True


def _printed_from(pdf: Path) -> Path:
    """Where the sha256 of the HTML a PDF was printed from is kept."""
    return paths.BUILD_STATE.parent / "printed" / f"{pdf.name}.sha256"


def _tasks(plan: BuildPlan):
    """doit task dictionaries for the planned stages; the order comes from the files they share."""
    from doit.tools import config_changed

    targets = {path for stage in plan.stages for path in stage.writes}
    for stage in plan.stages:
        present, missing = plan.inputs[stage.name]
        _check_reads(stage, plan, targets)
        state = {
            "parameters": plan.parameters.get(stage.name, {}),
            "missing": sorted(map(_relative, missing)),
        }
        code = [_relative(p) for p in code_files(stage)]
        yield {
            "name": f"notebook:{stage.name}",
            "actions": [(_execute, [stage, plan.parameters.get(stage.name, {}), plan.reports])],
            "file_dep": [_relative(stage.notebook), *code, *map(_relative, present), *stage.reads],
            "targets": [_relative(stage.executed(plan.reports)), *stage.writes],
            "uptodate": [config_changed(json.dumps(state, sort_keys=True, default=str))],
            "verbosity": 2,
        }
        yield from _render_tasks(stage, plan, plan.templates)


def _check_reads(stage: Stage, plan: BuildPlan, targets: set[str]) -> None:
    """A stage can run only when every file it reads exists or another planned stage writes it."""
    absent = [
        path for path in stage.reads if path not in targets and not (paths.PROJECT_ROOT / path).is_file()
    ]
    if absent:
        writers = sorted({s.name for s in STAGES for path in absent if path in s.writes})
        raise BuildError(
            f"{stage.name} reads {', '.join(absent)}, which {', '.join(writers) or 'no stage'} writes "
            "and which has not been built yet: build it first (or drop --only)",
            rule="missing-input",
        )


RENDER_CODE = Path(__file__).with_name("render.py")
FONTS_CODE = Path(__file__).with_name("fonts.py")
CHARTS_CODE = Path(__file__).with_name("vector_charts.py")
# The printing tools and the shipped fonts are packages of the lock (weasyprint, vl-convert, pikepdf,
# matplotlib's DejaVu, Noto CJK): a new lock prints the PDFs again. (Notebooks are not re-run for a new
# lock; `rare-earths build --force` does that.)
LOCK = paths.PROJECT_ROOT / "requirements.lock"


def _printing_code() -> list[Path]:
    """What a PDF is printed with, besides its HTML: the printer's code and, when present, the lock."""
    return [RENDER_CODE, CHARTS_CODE, FONTS_CODE, *([LOCK] if LOCK.is_file() else [])]


def _render_tasks(stage: Stage, plan: BuildPlan, templates: list[str]):
    """The HTML and PDF tasks of one stage (PDF is printed from the HTML)."""
    executed, page = _relative(stage.executed(plan.reports)), _relative(plan.reports / f"{stage.name}.html")
    yield {
        "name": f"html:{stage.name}",
        "actions": [(_html, [stage, plan.reports])],
        "file_dep": [executed, *templates, _relative(RENDER_CODE)],  # the renderer's own changes re-render
        "targets": [page],
        "verbosity": 2,
    }
    if "pdf" in plan.formats:
        pdf = _relative(plan.reports / f"{stage.name}.pdf")
        yield {
            "name": f"pdf:{stage.name}",
            "actions": [(_pdf, [stage, plan.reports])],
            "file_dep": [page, *map(_relative, _printing_code())],  # printer, charts, fonts, their versions
            "targets": [pdf],
            "verbosity": 2,
        }


def _index_task(plan: BuildPlan) -> dict:
    """The reports index: rewritten when any report or declared input changes."""
    planned = [plan.reports / f"{stage.name}.{fmt}" for stage in plan.stages for fmt in plan.formats]
    existing = [
        plan.reports / f"{stage.name}.{fmt}"
        for stage in STAGES
        for fmt in FORMATS
        if (plan.reports / f"{stage.name}.{fmt}").exists()
    ]
    reports = {_relative(p) for p in planned + existing}
    registry_table = _relative(_registry_table())
    written = {path for stage in plan.stages for path in stage.writes}
    if _registry_table().is_file() or registry_table in written:
        # the data appendix is rewritten when the registry changes; declared from the first build on (when
        # a planned notebook writes it), so the next build does not see a new input and rewrite the index
        reports.add(registry_table)
    inputs = sorted({_relative(p) for present, _ in plan.inputs.values() for p in present})
    from doit.tools import config_changed

    return {
        "actions": [(write_reports_index, [plan])],
        "file_dep": sorted(reports) + inputs,
        "targets": [_relative(plan.reports / name) for name in ("index.html", "sources.html", "sources.csv")],
        "uptodate": [config_changed(_git_commit())],  # the page states the commit: a new one rewrites it
        "verbosity": 2,
    }


def write_reports_index(plan: BuildPlan) -> bool:
    """Collect links, parameters, missing inputs and input checksums into reports/index.html."""
    from rare_earths.build.render import ReportEntry, write_index

    entries, used = [], {}
    for stage in STAGES:
        present, missing = plan.inputs[stage.name]
        formats = tuple(fmt for fmt in FORMATS if (plan.reports / f"{stage.name}.{fmt}").exists())
        entries.append(
            ReportEntry(
                stage.name,
                formats,
                plan.parameters.get(stage.name, {}),
                tuple(_relative(p) for p in missing),
                stale_formats(stage, plan.reports, formats),
            )
        )
        used.update({_relative(p): p for p in present})
    inputs = [(name, path.stat().st_size, sha256_of(path)) for name, path in sorted(used.items())]
    _appendix(plan.reports)
    built_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    write_index(
        plan.reports / "index.html",
        entries,
        inputs,
        built_at=built_at,
        version=__version__,
        commit=_git_commit(),
    )
    return True


def _appendix(reports: Path) -> None:
    """The data appendix (the whole citation registry as HTML and CSV) beside the reports, when the
    registry table has been written."""
    if _registry_table().is_file():
        from rare_earths.build.render import write_appendix
        from rare_earths.common import registry

        write_appendix(registry.read("sources", paths.PROCESSED), reports)


def _registry_table() -> Path:
    """The citation registry as notebook 02 writes it (read at call time: tests move paths.PROCESSED)."""
    return paths.PROCESSED / "sources.parquet"


def stale_formats(stage: Stage, reports: Path, formats: tuple[str, ...]) -> tuple[str, ...]:
    """The reports that do not show the notebook's last run: a PDF printed from another HTML than the one
    there now (left from a build with other parameters after `--formats html`, say), or any report when the
    notebook has no executed copy. The HTML is rendered whenever the notebook runs, so only a PDF can lag.
    Content, not modification times, decides: an unchanged HTML keeps its PDF current."""
    if not stage.executed(reports).exists():
        return formats
    pdf, page = reports / f"{stage.name}.pdf", reports / f"{stage.name}.html"
    if "pdf" not in formats or not page.exists():
        return ()
    record = _printed_from(pdf)
    current = record.is_file() and record.read_text().strip() == sha256_of(page)
    return () if current else ("pdf",)


def _relative(path: Path) -> str:
    """A path as the build state and readers see it: relative to the project root when inside it."""
    try:
        return Path(path).resolve().relative_to(paths.PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def _git_commit() -> str:
    """The checked-out commit, marked dirty when the work tree has changes; 'unknown' outside git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=paths.PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=paths.PROJECT_ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
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
                elapsed = max(0.0, time.monotonic() - self.started.pop(task.name, time.monotonic()))
                result.task_seconds[kind] = elapsed
                result.seconds += elapsed

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


def _namespace(plan: BuildPlan) -> dict:
    """The doit task namespace of a plan, with its state file and reporter."""
    paths.BUILD_STATE.parent.mkdir(parents=True, exist_ok=True)
    plan.inputs = {stage.name: declared_inputs(stage) for stage in STAGES}
    plan.templates = [_relative(p) for p in sorted(TEMPLATES.rglob("*")) if p.is_file()]
    return {
        "task_build": lambda: _tasks(plan),
        "task_reports": lambda: _index_task(plan),
        "DOIT_CONFIG": {
            "dep_file": _relative(paths.BUILD_STATE),
            "backend": "json",
            "reporter": _reporter(plan),
            "check_file_uptodate": "md5",
        },
    }


def _selected(plan: BuildPlan) -> list[str]:
    """The task names a plan asks doit to run."""
    return [f"build:{kind}:{s.name}" for s in plan.stages for kind in ("notebook", *plan.formats)]


BENCHMARK = paths.PROJECT_ROOT / "benchmarks" / "results.json"


def estimated_seconds() -> dict[str, float]:
    """Each notebook's execution seconds: the committed benchmark's (what a fresh clone knows), replaced by
    the last build's record for the notebooks that build ran."""
    estimates: dict[str, float] = {}
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        for name, entry in json.loads(BENCHMARK.read_text())["reports"]["stages"].items():
            estimates[name] = float(entry["execute_s"])
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        for name, entry in json.loads(times_file().read_text())["stages"].items():
            if entry["status"].get("notebook") == "ran" and entry["seconds"].get("notebook"):
                estimates[name] = float(entry["seconds"]["notebook"])
    return estimates


def critical_path_order(stages: list[Stage], seconds: dict[str, float]) -> list[Stage]:
    """The stages by the longest chain of notebook runs that starts at each (its own seconds plus the longest
    chain of the stages that read what it writes), longest first; unknown stages count one second. With two
    jobs, starting the stage that heads the longest chain first (notebook 02, not 00) shortens the build."""
    chain: dict[str, float] = {}

    def length(stage: Stage) -> float:
        if stage.name not in chain:
            readers = [other for other in STAGES if set(stage.writes) & set(other.reads)]
            chain[stage.name] = seconds.get(stage.name, 1.0) + max(map(length, readers), default=0.0)
        return chain[stage.name]

    return sorted(stages, key=lambda stage: -length(stage))


def _dispatch_order(plan: BuildPlan) -> list[str]:
    """The planned tasks in the order doit should start them: every notebook along the critical path first,
    then the HTML and PDF tasks (which nothing else waits for) in the same order."""
    ordered = critical_path_order(plan.stages, estimated_seconds())
    renders = [f"build:{kind}:{s.name}" for s in ordered for kind in plan.formats]
    return [f"build:notebook:{s.name}" for s in ordered] + renders


def run(plan: BuildPlan) -> int:
    """Run the planned tasks with doit, independent stages in parallel; non-zero when any task failed."""
    from doit.cmd_base import ModuleTaskLoader
    from doit.doit_cmd import DoitMain

    with _at_root():
        namespace = _namespace(plan)
        jobs = (
            ["-n", str(plan.jobs)] if plan.jobs > 1 else []
        )  # processes: papermill changes the working folder
        arguments = [
            "run",
            *jobs,
            *(["--always-execute"] if plan.force else []),
            *_dispatch_order(plan),
            "reports",
        ]
        return DoitMain(ModuleTaskLoader(namespace)).run(arguments)


def times_file() -> Path:
    """Where the last build's timings are kept: beside the build state (.cache/build-times.json)."""
    return paths.BUILD_STATE.with_name("build-times.json")


def write_times(plan: BuildPlan, seconds: float) -> dict:
    """Record the last build's wall time and each task's seconds (what `make bench` reports)."""
    from rare_earths.common.io import atomic_write_bytes

    record = {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "jobs": plan.jobs,
        "formats": list(plan.formats),
        "stages": {
            name: {
                "status": result.status,
                "seconds": {kind: round(value, 3) for kind, value in result.task_seconds.items()},
            }
            for name, result in sorted(plan.results.items())
        },
    }
    atomic_write_bytes(times_file(), (json.dumps(record, indent=2) + "\n").encode("utf-8"))
    return record


def status(plan: BuildPlan) -> list[tuple[str, str, list[str]]]:
    """Per planned task: (task, 'run' or 'up-to-date', the reasons), without running anything."""
    from doit.cmd_base import DoitCmdBase, ModuleTaskLoader
    from doit.doit_cmd import DoitMain

    found: list[tuple[str, str, list[str]]] = []

    class Status(DoitCmdBase):
        name = "status"
        doc_purpose = "what would run and why"
        doc_usage = ""
        doc_description = None
        cmd_options = ()

        def _execute(self, pos_args=None):
            tasks = {task.name: task for task in self.task_list}
            for name in [*_selected(plan), "reports"]:
                result = self.dep_manager.get_status(tasks[name], tasks, get_log=True)
                found.append((name.removeprefix("build:"), result.status, _reasons(result.reasons)))
            return 0

    class Main(DoitMain):
        def get_cmds(self):
            commands = super().get_cmds()
            commands["status"] = Status
            return commands

    with _at_root():
        Main(ModuleTaskLoader(_namespace(plan))).run(["status"])
    return _propagate(found, plan)


REASON_WORDS = {
    "uptodate_false": "parameters or missing inputs changed",
    "has_no_dependencies": "no dependencies",
    "missing_target": "output missing",
    "changed_file_dep": "changed",
    "missing_file_dep": "input missing",
    "removed_file_dep": "input no longer read",
    "added_file_dep": "new input",
    "checker_changed": "check method changed",
}


def _reasons(reasons: dict) -> list[str]:
    """doit's reasons as short phrases: what changed, with at most three file names."""
    phrases = []
    for key, value in reasons.items():
        if not value:
            continue
        files = [str(item) for item in value] if isinstance(value, list | set | tuple) else []
        shown = ", ".join(sorted(files)[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        phrases.append(
            REASON_WORDS.get(key, key.replace("_", " "))
            + (f": {shown}" if shown and key != "uptodate_false" else "")
        )
    return phrases


def _propagate(found: list[tuple[str, str, list[str]]], plan: BuildPlan) -> list[tuple[str, str, list[str]]]:
    """A stage that reads what a stage due to run writes may run after it (if the content changes)."""
    due = {
        name.split(":", 1)[1]
        for name, state, _ in found
        if name.startswith("notebook:") and state != "up-to-date"
    }
    writes = {stage.name: set(stage.writes) for stage in plan.stages}
    result = []
    for name, state, reasons in found:
        stage = name.split(":", 1)[1] if ":" in name else None
        upstream = [
            s for s in sorted(due) if stage and s != stage and writes.get(s, set()) & set(_reads(plan, stage))
        ]
        if state == "up-to-date" and upstream:
            state, reasons = "after", [f"reads tables that {', '.join(upstream)} will rewrite"]
        result.append((name, state, reasons))
    return result


def _reads(plan: BuildPlan, name: str) -> tuple[str, ...]:
    """The files a planned stage reads."""
    return next((stage.reads for stage in plan.stages if stage.name == name), ())


@contextlib.contextmanager
def _at_root():
    """Run doit from the project root, so the build state holds repository-relative paths."""
    previous = os.getcwd()
    os.chdir(paths.PROJECT_ROOT)
    try:
        yield
    finally:
        os.chdir(previous)
