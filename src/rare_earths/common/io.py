"""Atomic writes: a file is written beside its target under a temporary name, then renamed into place.

A reader never sees half a file, and a failure (or a kill) part-way leaves the earlier file as it
was. Every writer in the project goes through `atomic_write`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(target: Path, write: Callable[[Path], object], *, mode: int | None = None) -> Path:
    """Call `write(temporary)` for a temporary path beside `target`, then rename it onto `target`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, mode if mode is not None else _default_mode())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def atomic_write_all(writers: dict[Path, Callable[[Path], object]]) -> list[Path]:
    """Write every file to a temporary beside it first; rename them all only when every write succeeded."""
    staged: dict[Path, Path] = {}
    try:
        for target, write in writers.items():
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            os.close(handle)
            staged[target] = Path(name)
            write(staged[target])
            os.chmod(staged[target], _default_mode())
        for target, temporary in staged.items():
            os.replace(temporary, target)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
    return list(staged)


def atomic_write_bytes(target: Path, data: bytes) -> Path:
    """Write bytes atomically."""
    return atomic_write(target, lambda path: path.write_bytes(data))


def atomic_write_text(target: Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return atomic_write(target, lambda path: path.write_text(text, encoding="utf-8"))


def _default_mode() -> int:
    """The mode a new file gets under the current umask (mkstemp itself creates files 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
