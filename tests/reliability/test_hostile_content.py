"""Item 4 of issue 18: hostile or empty content is refused where it enters, or neutralised where it leaves.
Curated tables (`rare-earths datasets` on a copy of data/raw/curated): a header-only table, an over-long cell
and formula-like cells are refused naming file, line, column and rule, exit 2, earlier outputs untouched.
Articles (`rare-earths texts`): an oversized file is refused as a problem row; text that a spreadsheet would
run as a formula is neutralised in the CSV copies and kept as written in Parquet."""

from __future__ import annotations

import polars as pl


def _refused(cli, files_in, curated, expected: list[str]) -> str:
    copy, out = curated
    before = files_in(out)
    code, _out, err = cli("datasets", "--curated", str(copy), "--out", str(out))
    assert code == 2, err
    assert "problem(s) in the curated tables" in err and "Traceback" not in err
    for text in expected:
        assert text in err, err
    assert files_in(out) == before, "a refused run leaves the earlier outputs byte-identical"
    return err


def _edit(curated, table: str, old: str, new: str) -> str:
    path = curated[0] / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def test_a_header_only_curated_table_is_refused(cli, files_in, curated):
    path = curated[0] / "episodes.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    _refused(cli, files_in, curated, [f"{path}: [no-rows] the table has a header but no rows"])


def test_an_over_long_cell_is_refused_with_its_line_and_column(cli, files_in, curated):
    path = _edit(curated, "episodes", "and the 2011 price peak.", "and the 2011 price peak. " + "x" * 2_100)
    _refused(cli, files_in, curated, [f"{path}:2: column description: [too-long] 2,"])


def test_formula_like_curated_cells_are_refused_each_located(cli, files_in, curated):
    """The OWASP leading characters: =, @, + and a minus that does not start a number."""
    path = _edit(curated, "episodes", "S1,2010 shock,", 'S1,"=HYPERLINK(""http://example.invalid"",""x"")",')
    _edit(curated, "episodes", "S2,2025 controls,", "S2,@SUM(1+1),")
    bases = _edit(curated, "default_bases", ',"Japanese customs', ',"+Japanese customs')
    _edit(curated, "default_bases", ',"US imports', ',"-US imports')
    _refused(
        cli,
        files_in,
        curated,
        [
            f"{path}:2: column label: [formula-like] '=HYPERLINK(",
            f"{path}:3: column label: [formula-like] '@SUM(1+1)' would run as a spreadsheet formula",
            f"{bases}:2: column label: [formula-like] '+Japanese customs",
            f"{bases}:3: column label: [formula-like] '-US imports",
        ],
    )


def test_an_article_over_the_size_limit_is_refused_and_the_rest_goes_on(texts_run, cli):
    (texts_run.src / "huge.txt").write_text("Rare earths\n\n" + "Tonnes of ore. " * 800)
    code, _out, err = cli("texts", str(texts_run.src), "--out", str(texts_run.out), "--max-bytes", "10000")
    assert code == 0, err
    [row] = [r for r in texts_run.problems() if r["file"] == "huge.txt"]
    assert row["action"] == "refused" and row["reason"].startswith("file is 12,013 bytes, over the 10,000")
    texts_run.good_outputs_unchanged()


def test_formula_like_article_text_is_neutralised_in_csv_and_kept_in_parquet(texts_run):
    (texts_run.src / "formula.txt").write_text(
        '=HYPERLINK("http://example.invalid","Japan stockpile grows")\n\nBy @Rare Earths Desk\n\n'
        "@SUM(1+1) Japan stockpiled 1,500 tonnes of rare earths in 2011, the agency said in its report.\n"
    )
    code, _out, err = texts_run.again()
    assert code == 0, err
    document = texts_run.documents().filter(pl.col("file") == "formula.txt").row(0, named=True)
    assert document["title"].startswith("=HYPERLINK(") and document["byline"] == "@Rare Earths Desk"
    written = pl.read_csv(texts_run.out / "documents.csv").filter(pl.col("file") == "formula.txt")
    assert written["title"].item().startswith("'=HYPERLINK(") and written["body"].item().startswith(
        "'=HYPERLINK("
    )
    assert written["byline"].item() == "'@Rare Earths Desk"
    texts_run.good_rows_unchanged()
