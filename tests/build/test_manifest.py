"""Manifest loading, fetching and verifying, including the bad cases and their messages."""

from __future__ import annotations

import functools
import hashlib
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from rare_earths.build.fetch import fetch
from rare_earths.common import paths
from rare_earths.common.manifests import ManifestError, load_manifest, verify

SHARED_DATA = paths.PROJECT_ROOT.parent / "shared" / "data"
CONTENT = b"year,value\n2010,1\n"


def _entry(path="stats/table.csv", content=CONTENT, **overrides):
    entry = {
        "path": path,
        "dataset": "stats",
        "title": "A table",
        "publisher": "Team",
        "licence": "CC0",
        "origin": {"repository": "owner/repo", "commit": "a" * 40, "path": "table.csv"},
        "size_bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    entry.update(overrides)
    return entry


@pytest.fixture
def project(tmp_path):
    """A project folder with data/raw, a manifest, and a mirror holding the listed file."""
    raw = tmp_path / "project" / "data" / "raw"
    (raw / "manifests").mkdir(parents=True)
    mirror = tmp_path / "mirror"
    (mirror / "stats").mkdir(parents=True)
    (mirror / "stats" / "table.csv").write_bytes(CONTENT)
    return raw, mirror


def _write(raw: Path, entries, target="data/raw/external") -> Path:
    path = raw / "manifests" / "external.yml"
    path.write_text(yaml.safe_dump({"target": target, "files": entries}, sort_keys=False))
    return path


def test_fetch_copies_from_the_mirror_and_verify_accepts(project):
    raw, mirror = project
    manifest = load_manifest(_write(raw, [_entry()]), raw_root=raw)
    assert [(o.path, o.status) for o in fetch(manifest, mirror=mirror, download=False)] == [
        ("stats/table.csv", "copied")
    ]
    assert (raw / "external" / "stats" / "table.csv").read_bytes() == CONTENT
    assert [(o.path, o.status) for o in verify(manifest)] == [("stats/table.csv", "ok")]
    assert [o.status for o in fetch(manifest, mirror=mirror, download=False)] == ["ok"]


def test_wrong_checksum_is_an_error_naming_the_file_and_keeps_the_good_copy(project):
    raw, mirror = project
    good = load_manifest(_write(raw, [_entry()]), raw_root=raw)
    fetch(good, mirror=mirror, download=False)
    (mirror / "stats" / "table.csv").write_bytes(CONTENT.replace(b"1\n", b"2\n"))
    (raw / "external" / "stats" / "table.csv").unlink()
    (raw / "external" / "stats" / "table.csv").write_bytes(b"year,value\n2010,0\n")  # same size, other bytes
    outcome = fetch(good, mirror=mirror, download=False)[0]
    assert outcome.status == "mismatch"
    assert (
        "stats/table.csv: sha256 " in outcome.detail
        and f"manifest says {good.entries[0].sha256}" in outcome.detail
    )
    assert "external.yml:" in outcome.detail
    assert (raw / "external" / "stats" / "table.csv").read_bytes() == b"year,value\n2010,0\n", (
        "the file in place must stay untouched"
    )
    assert not list((raw / "external" / "stats").glob("*.part")), "no temporary file may be left behind"
    assert verify(good)[0].status == "mismatch"


def test_wrong_size_is_reported_before_hashing(project):
    raw, mirror = project
    manifest = load_manifest(_write(raw, [_entry(size_bytes=999)]), raw_root=raw)
    outcome = fetch(manifest, mirror=mirror, download=False)[0]
    assert outcome.status == "mismatch" and "size 18 bytes, manifest says 999" in outcome.detail


def test_missing_file_is_an_error_naming_the_file(project):
    raw, mirror = project
    manifest = load_manifest(_write(raw, [_entry(path="stats/absent.csv")]), raw_root=raw)
    outcome = fetch(manifest, mirror=mirror, download=False)[0]
    assert outcome.status == "unavailable" and outcome.failed
    assert outcome.detail.startswith("stats/absent.csv: no mirror has it and downloads disabled")
    missing = verify(manifest)[0]
    assert missing.status == "missing" and "absent.csv: missing (listed at" in missing.detail


@pytest.mark.parametrize(
    "bad_path", ["../../outside.csv", "../manifests/external.yml/../../../x.csv", "/etc/passwd"]
)
def test_path_outside_data_raw_is_refused(project, bad_path):
    raw, _ = project
    with pytest.raises(ManifestError, match=r"external\.yml:\d+: path .* (is outside|is absolute)"):
        load_manifest(_write(raw, [_entry(path=bad_path)]), raw_root=raw)


def test_target_outside_data_raw_is_refused(project):
    raw, _ = project
    with pytest.raises(
        ManifestError,
        match=r"external\.yml:1: target .* is outside .*manifests may only write under data/raw",
    ):
        load_manifest(_write(raw, [_entry()], target="src"), raw_root=raw)


def test_schema_errors_name_the_line_and_the_field(project):
    raw, _ = project
    path = _write(raw, [_entry(), _entry(path="stats/b.csv", sha256="not-a-checksum")])
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "not-a-checksum" in text)
    with pytest.raises(ManifestError) as error:
        load_manifest(path, raw_root=raw)
    assert str(error.value).startswith(f"{path}:{line}: files[1].sha256: 'not-a-checksum' does not match")


def test_an_edited_manifest_is_read_again(project):
    """load_manifest keeps what it parsed for the same text only: an edit is seen at once."""
    raw, _ = project
    path = _write(raw, [_entry(title="First title")])
    assert load_manifest(path, raw_root=raw).entries[0].title == "First title"
    assert load_manifest(path, raw_root=raw) is load_manifest(path, raw_root=raw), "parsed once"
    _write(raw, [_entry(title="Other title")])  # same length, same file
    assert load_manifest(path, raw_root=raw).entries[0].title == "Other title"
    _write(raw, [_entry(sha256="not-a-checksum")])
    with pytest.raises(ManifestError, match="not-a-checksum"):
        load_manifest(path, raw_root=raw)


def test_duplicate_paths_are_refused(project):
    raw, _ = project
    with pytest.raises(ManifestError, match=r"path stats/table\.csv is listed twice"):
        load_manifest(_write(raw, [_entry(), _entry()]), raw_root=raw)


def test_unlisted_files_are_reported_by_verify(project):
    raw, mirror = project
    manifest = load_manifest(_write(raw, [_entry()]), raw_root=raw)
    fetch(manifest, mirror=mirror, download=False)
    (raw / "external" / "stray.csv").write_text("x\n")
    assert ("stray.csv", "unlisted") in [(o.path, o.status) for o in verify(manifest)]


def test_download_from_the_origin_when_no_mirror_has_the_file(project, tmp_path):
    raw, mirror = project
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mirror))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/stats/table.csv"
        origin = {"repository": "owner/repo", "commit": "b" * 40, "path": "table.csv", "url": url}
        manifest = load_manifest(
            _write(
                raw,
                [
                    _entry(origin=origin),
                    _entry(path="stats/gone.csv", origin={**origin, "url": url + ".gone"}),
                ],
            ),
            raw_root=raw,
        )
        outcomes = fetch(manifest, mirror=tmp_path / "no-mirror", download=True)
    finally:
        server.shutdown()
    assert [(o.path, o.status) for o in outcomes] == [
        ("stats/table.csv", "downloaded"),
        ("stats/gone.csv", "unavailable"),
    ]
    assert "answered HTTP 404" in outcomes[1].detail
    assert (raw / "external" / "stats" / "table.csv").read_bytes() == CONTENT


def test_cli_fetch_exits_non_zero_on_a_mismatch(project):
    raw, mirror = project
    path = _write(raw, [_entry(sha256="0" * 64)])
    result = subprocess.run(
        ["rare-earths", "data", "fetch", "--manifest", str(path), "--mirror", str(mirror), "--no-download"],
        capture_output=True,
        text=True,
        env={"RARE_EARTHS_ROOT": str(raw.parents[1]), "PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode == 1
    assert "mismatch: stats/table.csv: sha256" in result.stderr


def test_the_real_manifest_is_valid_and_points_inside_data_raw():
    manifest = load_manifest(paths.EXTERNAL_MANIFEST)
    assert manifest.target == paths.EXTERNAL.resolve()
    assert len(manifest.entries) >= 61
    assert all(entry.profile.get("format") for entry in manifest.entries), (
        "every file needs an inventory profile"
    )


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"the mirror {SHARED_DATA} is absent")
def test_the_real_manifest_lists_every_mirror_file_with_its_checksum_and_git_blob():
    manifest = load_manifest(paths.EXTERNAL_MANIFEST)
    listed = {entry.path: entry for entry in manifest.entries}
    on_disk = {
        p.relative_to(SHARED_DATA).as_posix()
        for p in SHARED_DATA.rglob("*")
        if p.is_file() and p.name != "PROVENANCE.md"
    }
    assert on_disk == set(listed)
    for name, entry in listed.items():
        assert hashlib.sha256((SHARED_DATA / name).read_bytes()).hexdigest() == entry.sha256, name
        if "git_blob" in entry.origin:
            blob = subprocess.run(
                ["git", "hash-object", str(SHARED_DATA / name)], capture_output=True, text=True, check=True
            ).stdout.strip()
            assert blob == entry.origin["git_blob"], name
        else:
            assert entry.reconstructed, (
                f"{name}: only files PROVENANCE.md marks RECONSTRUCTED may lack a git blob"
            )


def test_collected_texts_have_no_download_and_say_so(project):
    raw, _ = project
    origin = {"collected": "web page text copied by the team", "page": "Example site"}
    manifest = load_manifest(
        _write(raw, [_entry(path="article.txt", origin=origin)], target="data/raw/texts"), raw_root=raw
    )
    assert manifest.entries[0].origin_url is None
    [outcome] = fetch(manifest, mirror=None, download=True)
    assert (
        outcome.status == "unavailable"
        and "has no public copy to download (web page text copied by the team)" in outcome.detail
    )


def test_an_origin_must_be_either_a_repository_or_a_collection(project):
    raw, _ = project
    with pytest.raises(
        ManifestError,
        match=r"external.yml:\d+: files\[0\]\.origin: .* is not valid under any of the given schemas",
    ):
        load_manifest(
            _write(raw, [_entry(origin={"page": "no collection note and no repository"})]), raw_root=raw
        )


CORPUS = paths.PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus mirror {CORPUS} is absent")
def test_the_texts_manifest_lists_every_corpus_file_with_its_checksum():
    manifest = load_manifest(paths.MANIFESTS / "texts.yml")
    assert manifest.target == paths.TEXTS.resolve()
    listed = {entry.path: entry.sha256 for entry in manifest.entries}
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.iterdir() if p.is_file()}
    assert on_disk == listed


def test_fast_verification_trusts_size_and_mtime_only_after_a_full_hash(project, tmp_path):
    import os

    from rare_earths.common.manifests import verify_fast

    raw, mirror = project
    manifest = load_manifest(_write(raw, [_entry()]), raw_root=raw)
    fetch(manifest, mirror=mirror, download=False)
    cache = tmp_path / "verified.json"
    assert [o.status for o in verify_fast(manifest, cache)] == ["ok"] and cache.is_file()
    target = manifest.local_path(manifest.entries[0])
    stat = target.stat()
    target.write_bytes(CONTENT.replace(b"1\n", b"9\n"))  # same size, one byte changed
    assert [o.status for o in verify_fast(manifest, cache)] == ["mismatch"], "a new mtime means a new hash"
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the old mtime back: the cache was dropped
    outcome = verify_fast(manifest, cache)[0]
    assert (
        outcome.status == "mismatch"
        and "manifest says" in outcome.detail
        and "external.yml:" in outcome.detail
    )
    target.write_bytes(CONTENT)
    assert [o.status for o in verify_fast(manifest, cache)] == ["ok"]
    target.unlink()
    assert [o.status for o in verify_fast(manifest, cache)] == ["missing"]


def test_build_refuses_a_tampered_input_before_running_anything(project, tmp_path, monkeypatch):
    from types import SimpleNamespace

    from rare_earths.build import cli
    from rare_earths.common import manifests
    from rare_earths.common.errors import RareEarthsError

    raw, mirror = project
    manifest_file = _write(raw, [_entry()])
    manifest = load_manifest(manifest_file, raw_root=raw)
    fetch(manifest, mirror=mirror, download=False)
    manifest.local_path(manifest.entries[0]).write_bytes(CONTENT.replace(b"1\n", b"9\n"))
    monkeypatch.setattr(cli.paths, "MANIFESTS", raw / "manifests")
    monkeypatch.setattr(manifests, "VERIFIED", tmp_path / "verified.json")
    plan = SimpleNamespace(stages=[SimpleNamespace(manifests=("external",))])
    real_load = manifests.load_manifest
    monkeypatch.setattr(manifests, "load_manifest", lambda path, **kw: real_load(path, raw_root=raw))
    with pytest.raises(
        RareEarthsError, match=r"\[input-mismatch\].*nothing was run[\s\S]*mismatch: stats/table.csv"
    ):
        cli._verify_inputs(plan, allow_missing=True)
    manifest.local_path(manifest.entries[0]).unlink()
    with pytest.raises(RareEarthsError, match="--allow-missing"):
        cli._verify_inputs(plan, allow_missing=False)
    cli._verify_inputs(plan, allow_missing=True)
