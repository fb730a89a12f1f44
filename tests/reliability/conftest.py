"""What the reliability cases share: the command line run in this process, a folder of team-written articles
already cleaned (the earlier good outputs), and byte snapshots of folders to compare before and after."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from rare_earths.build.cli import main
from rare_earths.common import paths

ARTICLES = Path(__file__).parents[1] / "fixtures" / "texts"
GOOD = (
    "01_news_site.txt",
    "17_wire_dateline.txt",
)  # two plain articles: the outputs the cases must not disturb


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too), by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    """`rare-earths ARGUMENTS` in this process: exit code, standard output, standard error."""
    capsys.readouterr()
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def cli(capsys):
    """`cli("texts", ...)`: the command line in this process, as (exit code, stdout, stderr)."""
    return lambda *arguments: run(capsys, *arguments)


@pytest.fixture
def files_in():
    """`files_in(folder)`: every file under it with its bytes, to compare before and after."""
    return snapshot


@pytest.fixture(scope="session")
def cleaned_once(tmp_path_factory) -> tuple[Path, Path]:
    """The good articles and the outputs `rare-earths texts` made of them, once per session (read only)."""
    root = tmp_path_factory.mktemp("texts-good")
    src, out = root / "src", root / "out"
    src.mkdir()
    for name in GOOD:
        shutil.copy(ARTICLES / name, src / name)
    assert main(["texts", str(src), "--out", str(out)]) == 0
    return src, out


class TextsRun:
    """A private copy of the good articles and their outputs, for one case to add to and run again."""

    def __init__(self, src: Path, out: Path, capsys):
        self.src, self.out, self.capsys = src, out, capsys
        self.before = snapshot(out)

    def again(self) -> tuple[int, str, str]:
        """Run `rare-earths texts` on the copy, writing over the earlier outputs."""
        return run(self.capsys, "texts", str(self.src), "--out", str(self.out))

    def problems(self) -> list[dict]:
        """The problems table as written."""
        return pl.read_parquet(self.out / "problems.parquet").to_dicts()

    def documents(self) -> pl.DataFrame:
        return pl.read_parquet(self.out / "documents.parquet")

    def good_outputs_unchanged(self) -> None:
        """The documents and claims of the good articles are byte-identical to the earlier run's."""
        after = snapshot(self.out)
        for name in ("documents.parquet", "documents.csv", "claims.parquet", "claims.csv"):
            assert after[name] == self.before[name], f"{name} changed"

    def good_rows_unchanged(self) -> None:
        """When the new file adds a document: every earlier document and claim row is there, unchanged."""
        for table in ("documents", "claims"):
            earlier = pl.read_parquet(self.before_folder / f"{table}.parquet")
            now = pl.read_parquet(self.out / f"{table}.parquet")
            kept = now.filter(pl.col("doc_id").is_in(earlier["doc_id"].to_list()))
            assert kept.equals(earlier), f"{table}: the earlier rows changed"


@pytest.fixture
def texts_run(cleaned_once, tmp_path, capsys) -> TextsRun:
    """A copy of the cleaned folder and its outputs in this case's own folder."""
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(cleaned_once[0], src)
    shutil.copytree(cleaned_once[1], out)
    run_ = TextsRun(src, out, capsys)
    run_.before_folder = cleaned_once[1]
    return run_


@pytest.fixture
def curated(tmp_path, cleaned_once):
    """A copy of the curated tables, and an output folder holding earlier good outputs."""
    copy, out = tmp_path / "curated", tmp_path / "out"
    shutil.copytree(paths.CURATED, copy)
    shutil.copytree(cleaned_once[1], out)
    return copy, out
