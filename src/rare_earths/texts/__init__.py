"""Clean source texts (copied web-page text and saved HTML) into documents, claims and problems.

`clean_folder(src)` reads every .txt, .md and .html file under a folder (sorted, so ids and the
order of the outputs never depend on the file system), and `write_outputs` saves the three tables
as parquet, each written to a temporary file and renamed into place only when all three are ready.
Nothing is dropped silently: every file that is skipped, refused or repaired, and every file
of another type, gets a row in `problems` with the reason.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from rare_earths.common import registry
from rare_earths.common.errors import RareEarthsError
from rare_earths.texts import articles, claims, lines, listing, reading

# The notebook's parameters and their defaults (its parameters cell holds the same literals; a test checks).
DEFAULTS: dict = {
    "texts_dir": "../data/raw/texts",
    "processed_dir": "../data/processed",
    "max_bytes": 5_000_000,
}


DOCUMENT_SCHEMA = registry.polars_schema("documents")
CLAIM_SCHEMA = registry.polars_schema("claims")
PROBLEM_SCHEMA = registry.polars_schema("problems")


class TextsError(RareEarthsError):
    """The source folder or the output folder cannot be used at all."""


@dataclass
class Cleaned:
    """The three output tables."""

    documents: pl.DataFrame
    claims: pl.DataFrame
    problems: pl.DataFrame


def clean_folder(
    src: Path, max_bytes: int = reading.DEFAULT_MAX_BYTES, workers: int | None = None
) -> Cleaned:
    """Clean every source file under `src` over `workers` processes (default: every core); trouble is a
    problem row."""
    # Rows become frames in batches (_Batches), so memory grows with the compact tables, not with Python rows;
    # folders under _IN_PROCESS_BELOW files are cleaned in this process.
    src = Path(src)
    if max_bytes is None or max_bytes <= 0:
        raise TextsError(f"--max-bytes must be a positive number of bytes, not {max_bytes}")
    if not src.is_dir():
        raise TextsError(f"{src}: not a folder of source texts")
    problems: list[dict] = []
    files = listing.source_files(src, problems)
    tables = _Batches()
    seen: dict[str, str] = {}
    for name, result in zip((name for _, name in files), _results(files, max_bytes, workers), strict=True):
        problems.extend(result["problems"])
        document = result["document"]
        if document is None:
            continue
        if document["doc_id"] in seen:
            problems.append(
                {
                    "file": name,
                    "action": "skipped",
                    "reason": f"duplicate of {seen[document['doc_id']]} (same doc_id {document['doc_id']})",
                }
            )
            continue
        seen[document["doc_id"]] = name
        tables.add(document, result["claims"])
    problems.sort(key=lambda row: row["file"])
    return Cleaned(
        documents=tables.documents(), claims=tables.claims(), problems=_frame(problems, PROBLEM_SCHEMA)
    )


_IN_PROCESS_BELOW = (
    200  # files; a smaller folder is cleaned in this process (starting workers costs about a second)
)
_BATCH = 500  # documents per batch of rows turned into frames


def _results(files: list[tuple[Path, str]], max_bytes: int, workers: int | None):
    """Each file's result, in the order of `files`; in worker processes when there are many files and
    cores."""
    workers = workers or os.cpu_count() or 1
    jobs = [(str(path), name, max_bytes) for path, name in files]
    if workers == 1 or len(jobs) < _IN_PROCESS_BELOW:
        yield from (_clean_job(job) for job in jobs)
        return
    # fork: workers start at once and need no importable __main__; they never call polars (rows are plain
    # dicts), so its thread pool, which makes fork unsafe for polars work, is not touched in them.
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_clean_job, jobs, chunksize=32)


def _clean_job(job: tuple[str, str, int]) -> dict:
    """Clean one file into plain rows (picklable); an unexpected error becomes a problem row."""
    path, name, max_bytes = job
    problems: list[dict] = []
    try:
        article = _clean_file(Path(path), name, max_bytes, problems)
    except Exception as error:  # one bad file must not stop the run; the row says what happened
        problems.append(
            {
                "file": name,
                "action": "failed",
                "reason": f"unexpected error while cleaning: {type(error).__name__}: {error}",
            }
        )
        article = None
    if article is None:
        return {"document": None, "claims": [], "problems": problems}
    document = _document_row(article, problems)
    rows = [claim.values() for claim in claims.extract(article.doc_id, article.body, article.language)]
    return {"document": document, "claims": rows, "problems": problems}


class _Batches:
    """Document and claim rows, turned into frames every `_BATCH` documents."""

    def __init__(self) -> None:
        """No rows yet."""
        self.document_rows: list[dict] = []
        self.claim_rows: list[tuple] = []  # in CLAIM_SCHEMA order
        self.document_frames: list[pl.DataFrame] = []
        self.claim_frames: list[pl.DataFrame] = []

    def add(self, document: dict, claim_rows: list[tuple]) -> None:
        """Keep one document and its claims; flush when the batch is full."""
        self.document_rows.append(document)
        self.claim_rows.extend(claim_rows)
        if len(self.document_rows) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Turn the rows held so far into frames."""
        if self.document_rows:
            self.document_frames.append(_frame(self.document_rows, DOCUMENT_SCHEMA))
            self.claim_frames.append(_claims_frame(self.claim_rows))
        self.document_rows, self.claim_rows = [], []

    def documents(self) -> pl.DataFrame:
        """Every document kept."""
        self.flush()
        return pl.concat(self.document_frames) if self.document_frames else _frame([], DOCUMENT_SCHEMA)

    def claims(self) -> pl.DataFrame:
        """Every claim of the documents kept."""
        self.flush()
        return pl.concat(self.claim_frames) if self.claim_frames else _claims_frame([])


def _frame(rows: list[dict] | list[tuple], schema: dict) -> pl.DataFrame:
    """Rows as a frame with the declared schema (also when there are none)."""
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _clean_file(path: Path, name: str, max_bytes: int, problems: list[dict]) -> articles.Article | None:
    """Decode and clean one file, recording each repair; None when the file yields no article."""
    if path.suffix.lower() not in reading.SUPPORTED_SUFFIXES:
        problems.append(
            {
                "file": name,
                "action": "skipped",
                "reason": (
                    f"unsupported file type {path.suffix or '(none)'}: only .txt, .md and .html are read"
                ),
            }
        )
        return None
    decoded = reading.read_source(path, max_bytes)
    problems.extend({"file": name, "action": action, "reason": reason} for action, reason in decoded.actions)
    if decoded.text is None:
        return None
    is_html = path.suffix.lower() in {".html", ".htm"}
    article = articles.from_html(name, decoded.text) if is_html else articles.from_text(name, decoded.text)
    article.encoding = decoded.encoding or ""
    problems.extend({"file": name, "action": "repaired", "reason": note} for note in article.notes)
    if not article.body.strip():
        problems.append(
            {
                "file": name,
                "action": "skipped",
                "reason": f"no article text: all {len(article.lines)} non-empty line(s) are page furniture",
            }
        )
        return None
    return article


def _document_row(article: articles.Article, problems: list[dict]) -> dict:
    """One documents row; a date that does not parse is a recorded problem, not a crash."""
    published = None
    if article.published:
        try:
            published = dt.date.fromisoformat(article.published)
        except ValueError:
            problems.append(
                {
                    "file": article.file,
                    "action": "repaired",
                    "reason": f"publication date {article.published!r} is not a date; left empty",
                }
            )
    kept = sum(1 for line in article.lines if line.label in lines.KEEP)
    return {
        "doc_id": article.doc_id,
        "file": article.file,
        "title": article.title,
        "published": published,
        "outlet": article.outlet,
        "original_outlet": article.original_outlet,
        "source_url": article.source_url,
        "byline": article.byline,
        "tags": article.tags,
        "body": article.body,
        "word_count": article.word_count,
        "encoding": article.encoding or None,
        "language": article.language,
        "lines_kept": kept,
        "lines_dropped": len(article.dropped),
    }


def _claims_frame(rows: list[tuple]) -> pl.DataFrame:
    """Claims with typed dates."""
    frame = _frame(rows, {**CLAIM_SCHEMA, "date_start": pl.String, "date_end": pl.String})
    return frame.with_columns(pl.col("date_start").str.to_date(), pl.col("date_end").str.to_date())


def write_outputs(cleaned: Cleaned, out: Path) -> dict[str, Path]:
    """Write the three tables through the registry: checked, then Parquet and CSV written atomically."""
    frames = {"documents": cleaned.documents, "claims": cleaned.claims, "problems": cleaned.problems}
    return registry.write({name: frame.to_pandas() for name, frame in frames.items()}, Path(out))
