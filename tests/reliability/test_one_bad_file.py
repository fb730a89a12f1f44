"""Item 6 of issue 18: one bad entry in a source folder is a problem row naming it and the reason, the run
goes on (exit 0) and the good articles' documents and claims come out byte-identical; an empty source folder
does not replace earlier outputs."""

from __future__ import annotations

import os
import pathlib

import pytest


def _problem(texts_run, file: str) -> dict:
    rows = [row for row in texts_run.problems() if row["file"] == file]
    assert len(rows) == 1, texts_run.problems()
    return rows[0]


def _goes_on(texts_run, file: str, action: str, reason: str) -> None:
    """Exit 0, the entry's one problem row, the row printed, and the good outputs untouched."""
    code, out, err = texts_run.again()
    assert code == 0, err
    row = _problem(texts_run, file)
    assert (row["action"], reason in row["reason"]) == (action, True), row
    assert f"{action}: {file}: " in err, err
    assert "2 documents" in out
    texts_run.good_outputs_unchanged()


def test_a_file_name_that_is_not_utf8(texts_run):
    (texts_run.src / os.fsdecode(b"bad-\xff-name.txt")).write_text("Rare earths\n\nA line of text.\n")
    _goes_on(texts_run, "bad-\ufffd-name.txt", "skipped", "file name is not valid UTF-8")


def test_a_file_that_cannot_be_read(texts_run, monkeypatch):
    # As root every file is readable, so the operating system's refusal is stood in for, at the same call.
    (texts_run.src / "locked.txt").write_text("Rare earths\n\nA line of text.\n")
    read_bytes = pathlib.Path.read_bytes

    def refusing(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refusing)
    _goes_on(texts_run, "locked.txt", "skipped", "file cannot be read: Permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission(texts_run):
    locked = texts_run.src / "locked.txt"
    locked.write_text("Rare earths\n\nA line of text.\n")
    locked.chmod(0)
    _goes_on(texts_run, "locked.txt", "skipped", "file cannot be read: Permission denied")


def test_binary_content_in_an_article_file(texts_run):
    (texts_run.src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _goes_on(texts_run, "image.txt", "skipped", "binary content (NUL or control bytes), not text")


def test_a_fifo_is_never_opened(texts_run):
    os.mkfifo(texts_run.src / "pipe.txt")  # opening it would block the run
    _goes_on(texts_run, "pipe.txt", "skipped", "not a regular file (FIFO)")


def test_a_symlink_leaving_the_source_folder(texts_run, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("Rare earths\n\nA secret line outside the folder.\n")
    (texts_run.src / "escape.txt").symlink_to(outside)
    _goes_on(texts_run, "escape.txt", "refused", "symlink leaves the source folder")
    assert not any("secret" in body for body in texts_run.documents()["body"].to_list())


def test_a_dangling_symlink(texts_run):
    (texts_run.src / "gone.txt").symlink_to(texts_run.src / "never-written.txt")
    _goes_on(texts_run, "gone.txt", "skipped", "dangling symlink")


def test_a_hidden_file_is_named_not_dropped(texts_run):
    (texts_run.src / ".draft.txt").write_text("Rare earths\n\nA draft.\n")
    _goes_on(texts_run, ".draft.txt", "skipped", "hidden file")


@pytest.mark.parametrize("left", [(), ("image.txt",)], ids=["empty", "only-a-bad-file"])
def test_a_source_folder_without_articles_does_not_replace_earlier_outputs(texts_run, cli, files_in, left):
    for article in texts_run.src.iterdir():
        article.unlink()
    for name in left:
        (texts_run.src / name).write_bytes(b"\x00\x01 not text")
    code, _out, err = cli("texts", str(texts_run.src), "--out", str(texts_run.out))
    message = " ".join(err.split())  # rich wraps long lines
    assert code == 2, err
    assert (
        f"{texts_run.src}: [no-articles] no article could be read ({len(left)} problem(s) above)" in message
    )
    assert f"the outputs in {texts_run.out} are as they were" in message
    assert files_in(texts_run.out) == texts_run.before, "every earlier output is byte-identical"
