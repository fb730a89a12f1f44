"""Item 3 of issue 18 for the curated tables, through `rare-earths datasets` on a copy of data/raw/curated:
a missing or an extra column is named, a byte that is not UTF-8 is given with its offset and line, an
unclosed quote and an empty file with the file and rule; each exits 2 with no traceback and leaves the
earlier outputs byte-identical. (The parameter refusals are in test_refused_before_running.py, the manifest
ones in test_verified_inputs.py.)"""

from __future__ import annotations

from rare_earths.common import paths


def _refused(cli, files_in, curated) -> str:
    copy, out = curated
    before = files_in(out)
    code, _out, err = cli("datasets", "--curated", str(copy), "--out", str(out))
    assert code == 2 and "Traceback" not in err, err
    assert files_in(out) == before, "a refused run leaves the earlier outputs byte-identical"
    return err


def _rewrite(curated, table: str, change) -> str:
    path = curated[0] / f"{table}.csv"
    path.write_bytes(change(path.read_bytes()))
    return str(path)


def test_a_missing_column_is_named(cli, files_in, curated):
    path = _rewrite(
        curated,
        "episodes",
        lambda raw: (
            raw.replace(b"episode,label,start", b"episode,start")
            .replace(b"S1,2010 shock,", b"S1,")
            .replace(b"S2,2025 controls,", b"S2,")
        ),
    )
    err = _refused(cli, files_in, curated)
    assert f"{path}:1: column label: [missing-column] declared in the schema, absent from the header" in err
    assert "1 problem(s) in the curated tables" in err, "one cause, one problem (not one per shifted label)"


def test_an_extra_column_is_named(cli, files_in, curated):
    path = _rewrite(
        curated,
        "episodes",
        lambda raw: raw.replace(b",description\n", b",description,remark\n", 1).replace(b'."\n', b'.",x\n'),
    )
    err = _refused(cli, files_in, curated)
    assert f"{path}:1: column remark: [extra-column] in the header, not declared in the schema" in err


def test_a_byte_that_is_not_utf8_is_given_with_its_offset_and_line(cli, files_in, curated):
    raw = (paths.CURATED / "episodes.csv").read_bytes()
    offset = raw.index(b"2025 controls") + len("2025 contr")
    path = _rewrite(curated, "episodes", lambda raw: raw.replace(b"2025 controls", b"2025 contr\xf4ls"))
    line = raw[:offset].count(b"\n") + 1
    err = _refused(cli, files_in, curated)
    assert f"{path}:{line}: [encoding] byte 0xf4 at offset {offset} is not UTF-8" in err, err


def test_an_unclosed_quote_is_refused_with_the_file_and_rule(cli, files_in, curated):
    path = _rewrite(curated, "gdp", lambda raw: raw.rstrip(b"\n") + b'\nJP,2030,"1.0\n')
    err = _refused(cli, files_in, curated)
    line = (paths.CURATED / "gdp.csv").read_text(encoding="utf-8").rstrip("\n").count("\n") + 2
    assert f"{path}:{line}: [unparsable] not a well-formed CSV" in err, err


def test_an_empty_curated_file_is_refused_with_the_file_and_rule(cli, files_in, curated):
    path = _rewrite(curated, "targets", lambda raw: b"")
    err = _refused(cli, files_in, curated)
    assert f"{path}: [empty-file] the file is empty (not even a header)" in err, err
