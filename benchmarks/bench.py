"""`make bench`: the newcomer's path timed end to end, written to benchmarks/results.json (not a test).

In one run, on a fresh copy of the repository (the files git tracks or would track, as they are in
the work tree, with `../shared` linked beside it):

1. cold environment: `make setup` with an empty uv cache (every wheel downloaded, the lock
   installed, the package and kernel registered);
2. first report: `make report` (data fetch by checksum, every notebook executed and rendered), with
   each stage's execute, HTML and PDF seconds from the build's own record (.cache/build-times.json);
3. no-change rebuild: `make report` again, nothing changed;
4. the study report's PDF printed alone after the build (best of three, wall and processor seconds:
   the build's own PDF seconds run beside a notebook and swing with the machine's load);
5. text cleaner throughput: `benchmarks/texts_throughput.py` on generated articles.

It prints the figures beside the issue's targets and writes them, with the machine's core count
and the time of the run, to `benchmarks/results.json`. README.md quotes the latest run.

    python benchmarks/bench.py [--articles 1000] [--keep] [--out benchmarks/results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"fresh_clone_to_reports_s": 90.0, "no_change_report_s": 2.0, "study_report_pdf_s": 4.0}


def copy_repository(target: Path) -> Path:
    """The tracked and trackable files of the work tree (what a clone of a commit of it would hold)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    repository = target / "repository"
    for name in filter(None, (item.decode() for item in listed)):
        source = ROOT / name
        if source.is_file():
            (repository / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repository / name)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (target / "shared").symlink_to(shared)
    return repository


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> float:
    """Wall seconds of one command; its output goes to a log file; a failure stops the benchmark."""
    started = time.perf_counter()
    with open(log or os.devnull, "a") as output:
        result = subprocess.run(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed after {seconds:.1f} s; see {log}")
    return seconds


def environment(repository: Path, scratch: Path, log: Path) -> dict:
    """`make setup` in the copy with an empty uv cache: the cold environment."""
    cache = scratch / "uv-cache"
    env = dict(os.environ, UV_CACHE_DIR=str(cache))
    seconds = timed(["make", "setup"], repository, env, log)
    installer = (repository / ".venv" / ".installer").read_text().strip()
    return {"make_setup_cold_cache_s": round(seconds, 1), "installer": installer, "uv_cache": "empty"}


def reports(repository: Path, log: Path) -> dict:
    """`make report` twice: the first build, then the rebuild with nothing changed."""
    first = timed(["make", "report"], repository, log=log)
    record = json.loads((repository / ".cache" / "build-times.json").read_text())
    stages = {
        name: {
            "execute_s": round(times["seconds"].get("notebook", 0.0), 1),
            "html_s": round(times["seconds"].get("html", 0.0), 1),
            "pdf_s": round(times["seconds"].get("pdf", 0.0), 1),
        }
        for name, times in record["stages"].items()
    }
    again = timed(["make", "report"], repository, log=log)
    second = json.loads((repository / ".cache" / "build-times.json").read_text())
    ran = [name for name, times in second["stages"].items() if "ran" in times["status"].values()]
    return {
        "first_make_report_s": round(first, 1),
        "build_s": round(record["seconds"], 1),
        "jobs": record["jobs"],
        "stages": stages,
        "no_change_make_report_s": round(again, 2),
        "no_change_build_s": round(second["seconds"], 2),
        "no_change_stages_run": ran,
    }


_PRINT = """
import json, resource, sys, time
from pathlib import Path
from rare_earths.build.render import html_to_pdf
def children():  # the chart conversion runs in a child process (build/vector_charts.py): its time counts
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
page, target, runs = Path(sys.argv[1]), Path(sys.argv[2]), []
for _ in range(int(sys.argv[3])):
    wall, cpu = time.perf_counter(), time.process_time() + children()
    html_to_pdf(page, target)
    runs.append((time.perf_counter() - wall, time.process_time() + children() - cpu))
print(json.dumps(runs))
"""


def study_report_pdf(repository: Path, repeats: int = 3) -> dict:
    """The study report's PDF printed alone, after the build, `repeats` times in one process: wall and
    processor seconds (the chart conversion's child process included). The build's own PDF seconds run
    beside a notebook and swing with the machine's load; the processor seconds show what printing costs."""
    reports = repository / "reports"
    output = subprocess.run(
        [
            repository / ".venv" / "bin" / "python",
            "-c",
            _PRINT,
            reports / "05-study-report.html",
            repository / ".cache" / "bench-05.pdf",
            str(repeats),
        ],
        cwd=repository,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    runs = json.loads(output.strip().splitlines()[-1])
    return {
        "runs": repeats,
        "best_wall_s": round(min(wall for wall, _ in runs), 2),
        "best_cpu_s": round(min(cpu for _, cpu in runs), 2),
        "first_wall_s": round(runs[0][0], 2),
    }


def texts_throughput(repository: Path, articles: int) -> dict:
    """The text cleaner on generated articles, in the copy's environment (benchmarks/texts_throughput.py)."""
    output = subprocess.run(
        [
            repository / ".venv" / "bin" / "python",
            ROOT / "benchmarks" / "texts_throughput.py",
            "--one",
            str(articles),
            "0",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    measured = json.loads(output.strip().splitlines()[-1])
    return {
        "articles": measured["articles"],
        "megabytes": round(measured["megabytes"], 2),
        "seconds": round(measured["seconds"], 2),
        "articles_per_s": round(measured["articles"] / measured["seconds"], 1),
        "megabytes_per_s": round(measured["megabytes"] / measured["seconds"], 3),
        "peak_mb": round(measured["peak_mb"]),
        "workers": os.cpu_count(),
    }


def summary(results: dict) -> list[str]:
    """The figures beside the issue's targets, one line each."""
    environment, built = results["environment"], results["reports"]
    fresh = environment["make_setup_cold_cache_s"] + built["first_make_report_s"]
    pdf = built["stages"].get("05-study-report", {}).get("pdf_s", float("nan"))
    results["targets"] = {
        "fresh_clone_to_reports_s": {
            "measured": round(fresh, 1),
            "target": TARGETS["fresh_clone_to_reports_s"],
        },
        "no_change_report_s": {
            "measured": built["no_change_make_report_s"],
            "target": TARGETS["no_change_report_s"],
        },
        "study_report_pdf_s": {"measured": pdf, "target": TARGETS["study_report_pdf_s"]},
    }
    lines = [
        f"{results['machine']['cores']} cores, {results['timestamp']}, load average (1, 5, 15 min) "
        f"{results['load_average_at_start']} at the start, {results['load_average_at_end']} at the end"
    ]
    lines += [
        f"{name}: {value['measured']} s (target ≤ {value['target']:g} s)"
        for name, value in results["targets"].items()
    ]
    lines.append(f"cold environment (make setup, empty uv cache): {environment['make_setup_cold_cache_s']} s")
    lines.append(
        f"first make report: {built['first_make_report_s']} s "
        f"(build {built['build_s']} s, {built['jobs']} jobs)"
    )
    for name, times in built["stages"].items():
        lines.append(
            f"  {name}: execute {times['execute_s']} s, HTML {times['html_s']} s, PDF {times['pdf_s']} s"
        )
    alone = results["study_report_pdf_alone"]
    lines.append(
        f"study report PDF printed alone after the build, best of {alone['runs']}: "
        f"{alone['best_wall_s']} s wall, {alone['best_cpu_s']} s processor "
        f"(first run {alone['first_wall_s']} s)"
    )
    texts = results["texts"]
    lines.append(
        f"text cleaner: {texts['articles']} articles in {texts['seconds']} s, "
        f"{texts['articles_per_s']} articles/s"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="generated articles for the text cleaner")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the copy (its path is printed)")
    arguments = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="rare-earths-bench-"))
    log = scratch / "bench.log"
    try:
        repository = copy_repository(scratch)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        results = {
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": commit.stdout.strip() + ("-dirty" if dirty.strip() else ""),
            "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
            "machine": {
                "cores": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
        }
        print(f"benchmarking a fresh copy in {repository} (log: {log})", flush=True)
        results["environment"] = environment(repository, scratch, log)
        results["reports"] = reports(repository, log)
        results["study_report_pdf_alone"] = study_report_pdf(repository)
        results["texts"] = texts_throughput(repository, arguments.articles)
        results["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
        lines = summary(results)
        arguments.out.write_text(json.dumps(results, indent=2) + "\n")
        print("\n".join(lines))
        print(f"written to {arguments.out}")
    finally:
        if arguments.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
