"""The table registry: one schema per table, checked on every write, atomic files, a valid data package."""

import json
import os
import random

import pandas as pd
import pytest

from rare_earths.common import registry
from rare_earths.common.errors import RareEarthsError


def _levers(**changes) -> pd.DataFrame:
    """One row of the adoption table (notebook 03)."""
    row = {
        "episode": "S1",
        "start": pd.Timestamp("2010-07-08"),
        "jurisdiction": "JP",
        "instrument": "stockpiling",
        "window_months": 12,
        "state": "adopted",
        "months": 3.0,
        "measure_id": "M-JP-2010-05",
        "label": "3 mo (M-JP-2010-05)",
        "observed_months": 190.4,
        "baseline_measures": 1,
        "baseline_ids": "M-JP-1983-01",
    }
    return pd.DataFrame([{**row, **changes}])


def test_every_table_a_stage_writes_has_a_schema_file_and_a_producer():
    for name, stage in registry.PRODUCERS.items():
        assert (registry.SCHEMAS / f"{name}.json").is_file(), name
        assert stage[:2] in {"01", "02", "03", "04"}
        assert registry.field_names(name), name
    declared = {p.stem for p in registry.SCHEMAS.glob("*.json")}
    assert declared == set(registry.PRODUCERS), "a schema file without a producing stage, or the reverse"


def test_a_good_frame_is_written_as_parquet_and_csv_and_described(tmp_path):
    written = registry.write({"adoption": _levers()}, tmp_path)
    assert registry.read("adoption", tmp_path).loc[0, "measure_id"] == "M-JP-2010-05"
    assert written["adoption"] == tmp_path / "adoption.parquet"
    assert (
        (tmp_path / "adoption.csv").read_text().splitlines()[1].startswith("S1,2010-07-08,JP,stockpiling,12,")
    )
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert [resource["name"] for resource in package["resources"]] == ["adoption"]
    assert package["licenses"] and package["sources"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (_levers().drop(columns=["state"]), "adoption.csv: column state: [missing-column]"),
        (_levers().assign(colour="red"), "adoption.csv: column colour: [extra-column]"),
        (_levers(instrument=None), "adoption.csv:2: column instrument: [required]"),
        (
            _levers(baseline_measures="two"),
            "adoption.csv:2: column baseline_measures: [type] 'two' is not of type integer",
        ),
        (
            pd.concat([_levers(), _levers()]),
            "adoption.csv:3: column episode,jurisdiction,instrument,window_months: [primary-key]",
        ),
        (_levers().iloc[0:0], "adoption.csv: [no-rows]"),
    ],
)
def test_a_frame_that_breaks_its_schema_is_refused_with_file_column_and_rule(tmp_path, frame, expected):
    registry.write({"adoption": _levers()}, tmp_path)
    before = (tmp_path / "adoption.parquet").read_bytes()
    with pytest.raises(RareEarthsError) as refused:
        registry.write({"adoption": frame}, tmp_path)
    assert expected in str(refused.value)
    assert (tmp_path / "adoption.parquet").read_bytes() == before


def test_an_unregistered_table_is_refused(tmp_path):
    with pytest.raises(RareEarthsError, match=r"\[unregistered-table\]"):
        registry.write({"scratch": pd.DataFrame({"a": [1]})}, tmp_path)


def test_reading_a_table_not_yet_written_names_the_stage(tmp_path):
    with pytest.raises(RareEarthsError, match="run notebook 04-compare-diversification"):
        registry.read("claim_checks", tmp_path)


def test_the_written_package_passes_frictionless(tmp_path):
    from frictionless import Package

    registry.write({"adoption": _levers()}, tmp_path)
    report = Package("datapackage.json", basepath=str(tmp_path)).validate()
    assert report.valid, report.flatten(["type", "note"])


def test_the_built_data_package_describes_every_table_and_validates():
    from frictionless import Package

    from rare_earths.common import paths

    descriptor = paths.PROCESSED / "datapackage.json"
    if not descriptor.is_file():
        pytest.skip("data/processed/datapackage.json is not built yet: run `make report`")
    names = {resource["name"] for resource in json.loads(descriptor.read_text())["resources"]}
    built = {name for name in registry.PRODUCERS if (paths.PROCESSED / f"{name}.parquet").is_file()}
    assert names == built
    report = Package("datapackage.json", basepath=str(paths.PROCESSED)).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


def test_csv_copies_neutralise_cells_a_spreadsheet_would_run(tmp_path):
    frame = _levers(label='=HYPERLINK("http://x.example")', baseline_ids="-2+3")
    registry.write({"adoption": frame}, tmp_path)
    text = (tmp_path / "adoption.csv").read_text()
    assert "'=HYPERLINK" in text and "'-2+3" not in text, "a minus that starts a number is left alone"
    assert registry.read("adoption", tmp_path).loc[0, "label"].startswith("=HYPERLINK"), (
        "Parquet keeps the text"
    )
    assert [registry.neutralise(v) for v in ("@SUM(A1)", "+1", "-x", "plain", 3)] == [
        "'@SUM(A1)",
        "'+1",
        "'-x",
        "plain",
        3,
    ]


@pytest.mark.parametrize("dtype", ["str", "object"])
def test_text_columns_are_neutralised_cell_by_cell_alike_in_either_dtype(dtype):
    cells = ["=1+1", "+1", "@A1", "\tx", "\rx", "-x", "-", "-5", "- 5", "-.5", "a=b", "plain", "", None]
    column = pd.Series(cells, dtype=dtype)
    expected = [registry.neutralise(cell) for cell in cells]
    assert [None if pd.isna(cell) else cell for cell in registry._neutralised(column)] == expected
    if dtype == "str":  # a text column with no cell opening like a formula is passed on as it is
        untouched = pd.Series(["plain", "a-b", None], dtype=dtype)
        assert registry._neutralised(untouched) is untouched


def _csv_bytes_both_ways(frame: pd.DataFrame, tmp_path) -> tuple[bytes, bytes]:
    """The CSV pandas writes and the one the registry's polars path writes, for the same frame."""
    frame.to_csv(tmp_path / "pandas.csv", index=False)
    fast = registry._csv_frame(frame)
    assert fast is not None, "the polars path takes text, integer and float columns"
    fast.write_csv(
        tmp_path / "polars.csv", line_terminator=os.linesep, quote_style="necessary", null_value=""
    )
    return (tmp_path / "pandas.csv").read_bytes(), (tmp_path / "polars.csv").read_bytes()


def test_the_fast_csv_writer_gives_pandas_bytes(tmp_path):
    rng = random.Random(3)
    pieces = ["", " ", "a", "é", "日本", '"', ",", "\n", "\t", "\u2028", "\x0b", "\x1c", "=", "'", "#", "\\"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    texts += ["", None, "plain", " leading space", "trailing ", '"quoted"', "a,b", "line\nbreak"]
    floats = [1e16, 1e-05, 0.1, 2015.0, float("nan"), 3e12, -0.0, 123456789012345.67, 1e15, 0.0001, 1e300]
    floats += [rng.uniform(-1e9, 1e9) for _ in range(100)] + [
        float(rng.randint(0, 10**6)) for _ in range(100)
    ]
    rows = len(texts)
    frame = pd.DataFrame(
        {
            "text": pd.Series(texts, dtype="str"),
            "object_text": pd.Series(list(reversed(texts)), dtype=object),
            "value": [floats[i % len(floats)] for i in range(rows)],
            "count": range(rows),
        }
    )
    pandas_bytes, polars_bytes = _csv_bytes_both_ways(frame, tmp_path)
    assert polars_bytes == pandas_bytes


def test_the_fast_csv_writer_leaves_what_it_cannot_match_to_pandas():
    assert registry._csv_frame(pd.DataFrame({"only": ["a"]})) is None, "one column: an empty row is quoted"
    assert registry._csv_frame(pd.DataFrame({"a": ["x\ry"], "b": [1]})) is None, "pandas leaves CR unquoted"
    assert registry._csv_frame(pd.DataFrame({"a": [True], "b": [1]})) is None, "booleans go through pandas"
    assert registry._csv_frame(pd.DataFrame({"a": ["x", 3], "b": [1, 2]})) is None, "mixed objects too"


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([1.0, float("nan"), 0.0]),
        pd.Series([1, 2, 3]),
        pd.Series(pd.to_datetime(["2020-01-01", None])),
        pd.Series([True, False]),
        pd.Series([1, None], dtype="Int64"),
        pd.Series(["a", "", None], dtype="str"),
        pd.Series(["a", "", None, 3, float("nan")], dtype=object),
        pd.Series([["a"], [], None, ""], dtype=object),
        pd.Series(["x", None, ""], dtype="category"),
    ],
)
@pytest.mark.parametrize("kind", ["string", "array", "number"])
def test_a_present_cell_is_not_missing_and_not_empty_text(column, kind):
    assert registry._present(column, kind).tolist() == (column.notna() & column.astype(str).ne("")).tolist()
