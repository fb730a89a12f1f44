"""The `rare-earths` command: build the reports, clean the source texts, fetch and verify the external
data."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rare_earths import __version__
from rare_earths.common import paths
from rare_earths.common.errors import RareEarthsError

# jsonschema (read by the manifests, the registry and nbformat) registers its "iri" format check
# only when rfc3987-syntax is importable, and that package (pulled in by jupyter-events) builds 38
# lark grammars on import: about 2 s of every command's start. No command checks that format, so
# the command never imports it (jsonschema skips the check on ImportError).
sys.modules.setdefault("rfc3987_syntax", None)

console = Console(stderr=False, highlight=False)
errors = Console(stderr=True, highlight=False)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and dispatch; returns the process exit code."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "handler"):
        parser.print_help()
        return 2
    try:
        return arguments.handler(arguments)
    except RareEarthsError as error:
        errors.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        return 2


def _os_error(error: OSError) -> RareEarthsError:
    """A file-system failure as a located refusal (the file it names, the operating system's reason)."""
    return RareEarthsError(
        error.strerror or str(error), file=error.filename and str(error.filename), rule="os-error"
    )


def _parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(prog="rare-earths", description=__doc__)
    parser.add_argument("--version", action="version", version=f"rare-earths {__version__}")
    commands = parser.add_subparsers(metavar="COMMAND")

    build = commands.add_parser(
        "build", help="run the notebooks with papermill and render HTML and PDF reports"
    )
    build.add_argument(
        "--only", nargs="+", metavar="NAME", help="build only these notebooks (e.g. 00-data-inventory or 00)"
    )
    build.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a notebook parameter (YAML/JSON value)",
    )
    build.add_argument(
        "--force", action="store_true", help="rerun every selected notebook even if nothing changed"
    )
    build.add_argument(
        "--formats", default="html,pdf", help="comma-separated report formats: html, pdf (default both)"
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="stages run at once (default: the number of cores)",
    )
    build.add_argument("--dry-run", action="store_true", help="print what would run and why, and run nothing")
    build.add_argument(
        "--allow-missing",
        action="store_true",
        help="build without absent input files (a file that does not match its manifest never passes)",
    )
    build.add_argument(
        "--allow-outside",
        action="store_true",
        help="accept folder parameters (processed_dir, ...) that point outside the repository",
    )
    build.set_defaults(handler=_build)

    status = commands.add_parser("status", help="show which notebooks a build would rerun, and why")
    status.add_argument("--only", nargs="+", metavar="NAME", help="only these notebooks")
    status.add_argument(
        "-p", "--parameter", action="append", default=[], metavar="NAME=VALUE", help="as for build"
    )
    status.add_argument("--formats", default="html,pdf", help="as for build")
    status.set_defaults(handler=_status, jobs=None, force=False, allow_outside=False)

    texts = commands.add_parser(
        "texts", help="clean source texts into documents, claims and problems (parquet)"
    )
    texts.add_argument("src", type=Path, metavar="SRC_DIR", help="folder of .txt, .md and .html articles")
    texts.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="OUT_DIR",
        help="where documents/claims/problems.parquet go",
    )
    texts.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=None,
        metavar="N",
        help="refuse files larger than N bytes (default 5,000,000)",
    )
    texts.set_defaults(handler=_texts)

    datasets = commands.add_parser(
        "datasets", help="clean the external datasets and curated tables into validated processed tables"
    )
    datasets.add_argument(
        "--out",
        type=Path,
        default=paths.PROCESSED,
        metavar="OUT_DIR",
        help="output folder (default data/processed)",
    )
    datasets.add_argument(
        "--external",
        type=Path,
        default=paths.EXTERNAL,
        metavar="DIR",
        help="external data folder (default data/raw/external)",
    )
    datasets.add_argument(
        "--curated",
        type=Path,
        default=paths.CURATED,
        metavar="DIR",
        help="curated tables folder (default data/raw/curated)",
    )
    datasets.add_argument(
        "--years",
        type=int,
        nargs=2,
        default=None,
        metavar=("FIRST", "LAST"),
        help="keep statistics for these years (default 1990 2026)",
    )
    datasets.add_argument(
        "--edition-policy",
        choices=("first", "latest"),
        default="latest",
        help="which USGS edition a country-year uses (default latest)",
    )
    datasets.set_defaults(handler=_datasets)

    data = commands.add_parser(
        "data", help="fetch or verify the external data listed in the manifests"
    ).add_subparsers(metavar="ACTION")
    for action, handler, text in (
        ("fetch", _fetch, "copy or download every listed file, checking its sha256"),
        ("verify", _verify, "re-check the files on disk"),
    ):
        sub = data.add_parser(action, help=text)
        sub.add_argument(
            "--manifest",
            action="append",
            metavar="FILE",
            help="manifest file(s) (default: every data/raw/manifests/*.yml)",
        )
        sub.add_argument(
            "--allow-missing",
            action="store_true",
            help="exit 0 when files are only missing (checksum mismatches still fail)",
        )
        if action == "fetch":
            sub.add_argument(
                "--mirror",
                type=Path,
                help="mirror folder (default: $RARE_EARTHS_DATA_MIRROR, else ../shared/data)",
            )
            sub.add_argument("--no-download", action="store_true", help="never download from the origin")
        sub.set_defaults(handler=handler)
    return parser


def _positive_int(text: str) -> int:
    """An option that counts something: a whole number of at least 1 (0 and negatives are refused, never
    read as 'the default' or 'refuse everything')."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: give a whole number of at least 1")
    return value


def _plan(arguments: argparse.Namespace):
    """The build plan the command line asks for, checked before anything runs."""
    import os

    from rare_earths.build import validation
    from rare_earths.build.parameters import resolve
    from rare_earths.build.runner import BuildPlan
    from rare_earths.build.stages import STAGES, stage_named
    from rare_earths.common import paths

    stages = [stage_named(name) for name in arguments.only] if arguments.only else list(STAGES)
    formats = _formats(arguments.formats)
    notebooks = {stage.name: stage.notebook for stage in stages}
    parameters = resolve(notebooks, arguments.parameter)
    validation.check(parameters, notebooks, paths.PROJECT_ROOT, allow_outside=arguments.allow_outside)
    jobs = arguments.jobs or os.cpu_count() or 1
    if jobs < 1:
        raise RareEarthsError(
            f"--jobs {arguments.jobs}: give a whole number of at least 1", rule="bad-option"
        )
    stages = sorted(stages, key=STAGES.index)
    return BuildPlan(stages=stages, parameters=parameters, formats=formats, force=arguments.force, jobs=jobs)


def _status(arguments: argparse.Namespace) -> int:
    """`rare-earths status` (and `build --dry-run`): each task, whether it would run, and why."""
    from rare_earths.build.runner import status

    plan = _plan(arguments)
    table = Table(title="what a build would do")
    for column in ("task", "would", "why"):
        table.add_column(column)
    for task, state, reasons in status(plan):
        if not task.startswith("notebook:") and state != "run":
            continue
        would = {"up-to-date": "skip", "run": "run", "after": "run if its input changes"}.get(state, state)
        table.add_row(task, would, "; ".join(reasons) if state != "up-to-date" else "")
    console.print(table)
    return 0


def _build(arguments: argparse.Namespace) -> int:
    """Check the request, run it, and print the summary table."""
    from rare_earths.build.lock import build_lock, clean_floor
    from rare_earths.build.runner import run, write_times
    from rare_earths.common import paths

    if arguments.dry_run:
        return _status(arguments)
    plan = _plan(arguments)
    _verify_inputs(plan, arguments.allow_missing)
    with build_lock(paths.PROJECT_ROOT):
        removed = clean_floor(paths.REPORTS, paths.PROCESSED)
        if removed:
            console.print(
                f"removed {len(removed)} leftover(s) of an interrupted build: {[p.name for p in removed]}"
            )
        started = time.monotonic()
        code = run(plan)
        seconds = time.monotonic() - started
        _print_summary(plan, seconds)
        write_times(plan, seconds)
    return code


def _verify_inputs(plan, allow_missing: bool) -> None:
    """Before any notebook runs: every file the selected stages read must match its manifest (fast: size and
    modification time recorded at the last full hash). A mismatch is refused, naming the file and the
    manifest line; an absent file is refused unless --allow-missing."""
    from rare_earths.common.manifests import load_manifest, verify_fast

    names = sorted({name for stage in plan.stages for name in stage.manifests})
    outcomes = [
        outcome for name in names for outcome in verify_fast(load_manifest(paths.MANIFESTS / f"{name}.yml"))
    ]
    bad = [o for o in outcomes if o.status == "mismatch" or (o.status == "missing" and not allow_missing)]
    if bad:
        shown = "\n".join(f"  {o.status}: {o.detail}" for o in bad[:20])
        more = f"\n  ... and {len(bad) - 20} more" if len(bad) > 20 else ""
        hint = "" if all(o.status == "mismatch" for o in bad) else " (or build with --allow-missing)"
        raise RareEarthsError(
            f"{len(bad)} input file(s) do not match their manifests; nothing was run. Run `rare-earths data "
            f"fetch` to restore them{hint}:\n{shown}{more}",
            rule="input-mismatch",
        )


def _texts(arguments: argparse.Namespace) -> int:
    """`rare-earths texts SRC_DIR --out OUT_DIR`: per-file trouble goes to problems.parquet; an unusable
    folder exits 2."""
    from rare_earths.texts import clean_folder, reading, write_outputs

    started = time.monotonic()
    try:
        limit = reading.DEFAULT_MAX_BYTES if arguments.max_bytes is None else arguments.max_bytes
        cleaned = clean_folder(arguments.src, max_bytes=limit)
    except OSError as error:
        raise _os_error(error) from error
    for row in cleaned.problems.iter_rows(named=True):
        errors.print(f"{row['action']}: {row['file']}: {row['reason']}", markup=False, soft_wrap=True)
    if cleaned.documents.height == 0:
        raise RareEarthsError(
            f"no article could be read ({cleaned.problems.height} problem(s) above); nothing was written, "
            f"the outputs in {arguments.out} are as they were",
            file=str(arguments.src),
            rule="no-articles",
        )
    try:
        written = write_outputs(cleaned, arguments.out)
    except OSError as error:
        raise _os_error(error) from error
    seconds = time.monotonic() - started
    console.print(
        f"texts: {cleaned.documents.height} documents, {cleaned.claims.height} claims, "
        f"{cleaned.problems.height} problems in {seconds:.2f} s"
    )
    for name, path in written.items():
        console.print(f"  {name}: {path}", markup=False, soft_wrap=True)
    return 0


def _datasets(arguments: argparse.Namespace) -> int:
    """`rare-earths datasets`: bad input or a table that fails its schema exits 2 and leaves earlier outputs
    as they were."""
    from rare_earths.datasets.processed import DEFAULT_YEARS, collect, write

    started = time.monotonic()
    try:
        built = collect(
            external_dir=arguments.external,
            curated_dir=arguments.curated,
            years=tuple(arguments.years or DEFAULT_YEARS),
            edition_policy=arguments.edition_policy,
        )
        written = write(built, arguments.out)
    except OSError as error:
        raise _os_error(error) from error
    for row in built.skipped.itertuples():
        errors.print(f"skipped {row.module}: missing {row.missing_files}", markup=False, soft_wrap=True)
    for row in built.outside_window.itertuples():
        console.print(
            f"{row.table}: {row.rows_outside} rows outside {built.years[0]}-{built.years[1]} "
            f"({row.years_outside}) left out",
            markup=False,
        )
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in built.tables.items())
    console.print(
        f"datasets: {counts} rows in {time.monotonic() - started:.1f} s; {len(written)} files in "
        f"{arguments.out}",
        markup=False,
        soft_wrap=True,
    )
    return 0


def _formats(text: str) -> tuple[str, ...]:
    """Validate --formats; a PDF is printed from the HTML, so PDF implies HTML."""
    from rare_earths.build.runner import FORMATS

    wanted = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise RareEarthsError(f"--formats {text!r}: choose from {', '.join(FORMATS)}")
    return tuple(fmt for fmt in FORMATS if fmt in wanted or fmt == "html")


def _print_summary(plan, seconds: float) -> None:
    """One row per notebook: ran, skipped (up to date), failed or not run, and its seconds."""
    table = Table(title=f"rare-earths build: {seconds:.1f} s")
    for column in ("notebook", "status", "tasks", "seconds"):
        table.add_column(column, justify="right" if column == "seconds" else "left")
    counts: dict[str, int] = {}
    for stage in plan.stages:
        result = plan.results.get(stage.name)
        status = result.summary if result else "not run"
        counts[status] = counts.get(status, 0) + 1
        tasks = ", ".join(f"{kind} {state}" for kind, state in result.status.items()) if result else ""
        table.add_row(stage.name, status, tasks, f"{result.seconds:.1f}" if result else "")
    console.print(table)
    console.print(
        ", ".join(f"{counts.get(state, 0)} {state}" for state in ("ran", "skipped", "failed", "not run"))
    )


def _manifests(arguments: argparse.Namespace):
    """The manifests named on the command line, or all of them."""
    from rare_earths.common.manifests import load_manifest

    files = arguments.manifest or sorted(str(p) for p in paths.MANIFESTS.glob("*.yml"))
    return [load_manifest(Path(f)) for f in files]


def _fetch(arguments: argparse.Namespace) -> int:
    """`rare-earths data fetch`."""
    from rare_earths.build.fetch import fetch

    return _data(
        arguments,
        "fetch",
        lambda manifest: fetch(manifest, mirror=arguments.mirror, download=not arguments.no_download),
    )


def _verify(arguments: argparse.Namespace) -> int:
    """`rare-earths data verify`."""
    from rare_earths.common.manifests import verify

    return _data(arguments, "verify", verify)


def _data(arguments: argparse.Namespace, action: str, check) -> int:
    """Apply fetch or verify to every manifest; a manifest that cannot be read exits 2."""
    outcomes = [outcome for manifest in _manifests(arguments) for outcome in check(manifest)]
    return _report(outcomes, arguments.allow_missing, action)


def _report(outcomes, allow_missing: bool, action: str) -> int:
    """Print every problem and the counts; exit 1 on mismatches, and on missing files unless allowed."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        if outcome.status in {"mismatch", "missing", "unavailable", "unlisted"}:
            errors.print(f"{outcome.status}: {outcome.detail}", markup=False)
    console.print(f"data {action}: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    if counts.get("mismatch"):
        return 1
    if counts.get("missing") or counts.get("unavailable"):
        if allow_missing:
            errors.print(
                "some files are missing: reports that need them will say so, and tests that need them are "
                "skipped",
                markup=False,
            )
            return 0
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
