"""One build at a time per tree, and a clean floor before it starts.

`build_lock` takes an exclusive `flock` on `.cache/build.lock` (the holder's pid written inside); a
second build in the same tree is refused at once, naming the holder. The kernel drops the lock when
the holder exits, even by SIGKILL, so a killed build never leaves a stale lock. `clean_floor`
removes what a killed build can leave behind (a notebook still marked running, a half-written
`.part` file, a `.processed-*` staging folder); it runs only while the lock is held, so it never
touches another build's files.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rare_earths.common.errors import RareEarthsError

LOCK = Path(".cache") / "build.lock"


@contextmanager
def build_lock(root: Path) -> Iterator[Path]:
    """Hold the tree's build lock for the duration, or refuse naming the build that holds it."""
    path = Path(root) / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "unknown"
            raise RareEarthsError(
                f"another build (pid {holder}) is running in this tree; {path} is held until it ends. "
                "Wait for it, or stop it and build again.",
                rule="build-locked",
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(handle)  # closing releases the lock


def clean_floor(reports: Path, processed: Path) -> list[Path]:
    """Remove the leftovers of an interrupted build; the paths removed."""
    leftovers = [
        *Path(reports).glob(".*.running.ipynb"),
        *Path(reports).glob(".*.part"),
        *Path(processed).glob(".*.part"),
        *Path(processed).glob(".processed-*"),
    ]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return leftovers
