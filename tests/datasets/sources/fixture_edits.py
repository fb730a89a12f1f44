"""Copies of team-written fixtures with one deliberate fault, for the tests of error messages."""

from __future__ import annotations

from pathlib import Path


def edited_copy(source: Path, target: Path, old: str, new: str) -> Path:
    """Write `source` to `target` with the first `old` replaced by `new` (which must be there, so the edit
    cannot silently miss)."""
    text = source.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {source.name}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target
