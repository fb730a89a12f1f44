"""Processed tables: the edition policy, the reconciliation, schema validation with named rows, atomic
writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rare_earths.build.cli import main
from rare_earths.common import paths, registry
from rare_earths.common.errors import RareEarthsError
from rare_earths.datasets import processed, reconcile


def _production(rows):
    columns = registry.field_names("production")
    return pd.DataFrame([(*row, "mine production, REO") for row in rows], columns=columns)


# Hand-built: the US in 2022 has three USGS figures and a BGS one; Brazil 2010 only BGS; Canada 2020 withheld
# in MYB.
PRODUCTION = _production(
    [
        ("US", "United States", 2022, 43000.0, "estimated", "usgs_mcs2024", "MCS 2024"),
        ("US", "United States", 2022, 42000.0, None, "usgs_myb2022", "MYB 2022"),
        ("US", "United States", 2022, 25000.0, "estimated", "bgs_wms", "BGS WMS"),
        ("US", "United States", 2020, 39000.0, None, "usgs_ds140", "DS140 2020"),
        ("US", "United States", 2020, 38000.0, None, "usgs_myb2022", "MYB 2022"),
        ("BR", "Brazil", 2010, 550.0, None, "bgs_wms", "BGS WMS"),
        ("CA", "Canada", 2020, None, "withheld", "usgs_myb2022", "MYB 2022"),
        ("CA", "Canada", 2020, 100.0, None, "bgs_wms", "BGS WMS"),
        (None, "Other countries", 2022, 900.0, None, "usgs_mcs2024", "MCS 2024"),
        ("ZA", "South Africa", 2020, 0.0, "zero", "usgs_myb2022", "MYB 2022"),
        ("ZA", "South Africa", 2020, 10.0, None, "bgs_wms", "BGS WMS"),
    ]
)


def _used(policy):
    chosen = reconcile.select(PRODUCTION, policy)
    return {(row.country_iso, row.year): (row.source, row.production_t_reo) for row in chosen.itertuples()}


def test_latest_policy_takes_the_most_recently_published_usgs_figure():
    used = _used("latest")
    assert used[("US", 2022)] == ("usgs_myb2022", 42000.0)
    assert used[("US", 2020)] == ("usgs_myb2022", 38000.0)


def test_first_policy_takes_the_earliest_published_usgs_figure():
    used = _used("first")
    assert used[("US", 2022)] == ("usgs_mcs2024", 43000.0)
    assert used[("US", 2020)] == ("usgs_ds140", 39000.0)


def test_bgs_only_where_no_usgs_number_and_residuals_never_chosen():
    used = _used("latest")
    assert used[("BR", 2010)] == ("bgs_wms", 550.0)
    assert used[("CA", 2020)] == ("bgs_wms", 100.0)  # MYB withheld the figure
    assert all(key[0] is not None for key in used)


def test_unknown_usgs_edition_and_unknown_policy_are_refused():
    stray = pd.concat(
        [PRODUCTION, _production([("US", "United States", 2023, 1.0, None, "usgs_mcs2025", "MCS 2025")])],
        ignore_index=True,
    )
    with pytest.raises(RareEarthsError, match=r"usgs_mcs2025 'MCS 2025'"):
        reconcile.select(stray)
    with pytest.raises(RareEarthsError, match="edition policy 'newest'"):
        reconcile.select(PRODUCTION, "newest")


def test_reconciliation_flags_differences_over_the_tolerance():
    table = reconcile.reconcile(PRODUCTION, "latest", tolerance_pct=5.0).set_index(
        ["country_iso", "year", "source"]
    )
    assert table.loc[("US", 2022, "usgs_mcs2024"), "difference_pct"] == pytest.approx(100 / 42)
    assert not table.loc[("US", 2022, "usgs_mcs2024"), "over_tolerance"]
    assert table.loc[("US", 2022, "bgs_wms"), "over_tolerance"]
    assert (
        table.loc[("US", 2022, "usgs_myb2022"), "used"]
        and table.loc[("US", 2022, "bgs_wms"), "used_source"] == "usgs_myb2022 (MYB 2022)"
    )
    assert table.loc[("ZA", 2020, "bgs_wms"), "over_tolerance"]  # 10 t against a printed zero
    assert ("BR", 2010) not in {key[:2] for key in table.index}  # one series only: nothing to reconcile
    assert set(table["edition_policy"]) == {"latest"}


def test_policy_changes_the_reconciliation():
    latest = reconcile.reconcile(PRODUCTION, "latest").set_index(["country_iso", "year", "source"])["used"]
    first = reconcile.reconcile(PRODUCTION, "first").set_index(["country_iso", "year", "source"])["used"]
    assert latest[("US", 2022, "usgs_myb2022")] and first[("US", 2022, "usgs_mcs2024")]


def _datasets():
    return pd.DataFrame(
        [
            {
                "source": s,
                "title": "t",
                "publisher": "p",
                "doi": None,
                "licence": "l",
                "origin": "o",
                "files": "f",
                "present": True,
            }
            for s in ("usgs_mcs2024", "usgs_myb2022", "usgs_ds140", "bgs_wms")
        ]
    )


def test_write_validates_and_writes_csv_parquet_and_a_valid_package(tmp_path):
    built = processed.Built(tables={"datasets": _datasets(), "production": PRODUCTION})
    written = processed.write(built, tmp_path)
    assert {"datapackage.json", "production.csv", "production.parquet", "datasets.csv"} <= set(written)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert sorted(r["name"] for r in package["resources"]) == ["datasets", "production"]
    assert processed.validate_package(tmp_path) == []
    assert pd.read_parquet(tmp_path / "production.parquet").shape == PRODUCTION.shape


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda f: f.assign(country_iso=f["country_iso"].where(f.index != 4, "XX")),
            r"production\.csv:6: column country_iso: \[unknown-country\]",
        ),
        (
            lambda f: f.assign(year=f["year"].astype(object).where(f.index != 2, "2022a")),
            r"production\.csv:4: column year: \[type-error\]",
        ),
        (lambda f: pd.concat([f, f.iloc[[0]]], ignore_index=True), r"production\.csv:13: \[primary-key\]"),
        (
            lambda f: f.assign(source=f["source"].where(f.index != 0, "usgs_unknown")),
            r"production\.csv:2: column source: \[constraint-error\]",
        ),
        (
            lambda f: f.assign(production_t_reo=f["production_t_reo"].where(f.index != 1, -5.0)),
            r"production\.csv:3: column production_t_reo: \[constraint-error\]",
        ),
    ],
    ids=["unknown-country", "wrong-type", "duplicate-key", "unknown-source", "negative-tonnage"],
)
def test_a_bad_row_fails_naming_file_row_and_rule_and_leaves_earlier_outputs(tmp_path, change, expected):
    processed.write(processed.Built(tables={"datasets": _datasets(), "production": PRODUCTION}), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = processed.Built(tables={"datasets": _datasets(), "production": change(PRODUCTION)})
    with pytest.raises(processed.ProcessedError, match=expected):
        processed.write(bad, tmp_path)
    assert {
        p.name: p.read_bytes() for p in tmp_path.iterdir()
    } == before  # no staging folder left, nothing replaced


@pytest.mark.needs_external
def test_the_command_builds_a_valid_package_from_the_real_files(tmp_path, capsys):
    assert main(["datasets", "--out", str(tmp_path), "--edition-policy", "first"]) == 0
    assert processed.validate_package(tmp_path) == []
    command = [str(Path(sys.executable).parent / "frictionless"), "validate", "datapackage.json"]
    assert (
        subprocess.run(command, cwd=tmp_path, capture_output=True, check=False).returncode == 0
    )  # the command-line check too
    production = pd.read_parquet(tmp_path / "production.parquet")
    assert set(production["source"]) == {
        "usgs_mcs2026",
        "usgs_mcs2024",
        "usgs_mcs2023",
        "usgs_mcs2022",
        "usgs_myb2022",
        "usgs_ds140",
        "bgs_wms",
    }
    assert (
        production["year"].min() >= 1990
    )  # the default window; earlier DS140 and BGS years are counted, not kept
    assert "production: 191 rows outside 1990-2026 (1900-1989) left out" in capsys.readouterr().out
    recon = pd.read_parquet(tmp_path / "reconciliation.parquet")
    assert set(recon["edition_policy"]) == {"first"}
    used = recon[recon["used"]].set_index(["country_iso", "year"])["source"]
    assert used[("US", 2022)] == "usgs_mcs2023" and used[("WLD", 2019)] == "usgs_ds140", (
        "the first policy takes the oldest edition that prints the year"
    )


def test_bad_curated_input_exits_2_and_names_the_row_leaving_outputs(tmp_path, capsys):
    curated_copy = tmp_path / "curated"
    shutil.copytree(paths.CURATED, curated_copy)
    measures = curated_copy / "measures.csv"
    lines = measures.read_text(encoding="utf-8").splitlines(keepends=True)
    code = lines[4].split(",")[1]
    lines[4] = lines[4].replace(f",{code},", ",XQ,", 1)  # CSV line 5: a jurisdiction that is no country
    measures.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "production.csv").write_text("earlier good output\n")
    assert (
        main(
            [
                "datasets",
                "--curated",
                str(curated_copy),
                "--external",
                str(tmp_path / "none"),
                "--out",
                str(out),
            ]
        )
        == 2
    )
    assert "measures.csv:5" in capsys.readouterr().err
    assert (out / "production.csv").read_text() == "earlier good output\n"


def test_missing_external_files_are_listed_not_fatal(tmp_path):
    built = processed.collect(external_dir=tmp_path, years=(2000, 2026))
    assert list(built.skipped["module"]) == list(processed.MODULES)
    assert all(built.tables[name].empty for name in processed.STATISTICS)
    assert len(built.tables["events"]) > 0 and not built.tables["datasets"]["present"].any()


def test_coverage_and_rows_per_year_count_each_source():
    prices = pd.DataFrame(
        {
            "element": ["Nd", "Nd", "Ce"],
            "date": pd.to_datetime(["2013-01-04", "2014-02-03", "2014-02-03"]),
            "source": "prices_x",
        }
    )
    empty = {name: processed._empty(name) for name in ("trade", "event_candidates")}
    tables = {"production": PRODUCTION, "prices": prices, **empty}
    summary = processed.coverage(tables).set_index(["table", "source"])
    assert summary.loc[("production", "bgs_wms"), ["rows", "first_year", "last_year", "keys"]].tolist() == [
        4,
        2010,
        2022,
        4,
    ]
    assert summary.loc[("prices", "prices_x"), ["rows", "first_year", "last_year", "keys"]].tolist() == [
        3,
        2013,
        2014,
        2,
    ]
    per_year = processed.rows_per_year(tables).set_index(["table", "source", "year"])["rows"]
    assert per_year[("prices", "prices_x", 2014)] == 2 and per_year[("production", "usgs_myb2022", 2020)] == 3
