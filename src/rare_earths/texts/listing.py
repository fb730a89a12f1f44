"""The files under a source folder that can be read, and a problem row for every entry that cannot.

Nothing under the folder is passed over in silence: a hidden file or folder, a file name that is
not UTF-8, a symlink that leaves the folder or points nowhere, a symlinked folder (never followed),
a FIFO, socket or device, and a folder that cannot be listed each get a row naming the entry and the
reason. Special files are never opened (opening a FIFO would block the run).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def source_files(src: Path, problems: list[dict]) -> list[tuple[Path, str]]:
    """(path, name relative to src) of every regular file to read, sorted by name; problems for the rest."""
    root = src.resolve()
    found: list[tuple[Path, str]] = []

    def unreadable(error: OSError) -> None:
        """A folder os.walk cannot list is a problem row."""
        problems.append(
            _problem(
                src,
                Path(error.filename or src),
                "skipped",
                f"folder cannot be listed: {error.strerror or error}",
            )
        )

    for folder, subfolders, files in os.walk(src, onerror=unreadable):
        for hidden in [sub for sub in subfolders if sub.startswith(".")]:
            problems.append(
                _problem(src, Path(folder, hidden), "skipped", "hidden folder: its files are not read")
            )
        for linked in [
            sub for sub in subfolders if not sub.startswith(".") and Path(folder, sub).is_symlink()
        ]:
            problems.append(_problem(src, Path(folder, linked), "skipped", "symlinked folder: not followed"))
        subfolders[:] = sorted(
            sub for sub in subfolders if not sub.startswith(".") and not Path(folder, sub).is_symlink()
        )
        for file in files:
            path = Path(folder, file)
            reason = _why_not(path, root)
            if reason is None:
                found.append((path, _name(src, path)))
            else:
                problems.append(_problem(src, path, *reason))
    return sorted(found, key=lambda item: item[1])


def _why_not(path: Path, root: Path) -> tuple[str, str] | None:
    """Why an entry is not read (action, reason), or None for a regular file to read."""
    name = path.name
    if name.startswith("."):
        return ("skipped", "hidden file")
    if not _utf8(name):
        return ("skipped", "file name is not valid UTF-8 (shown here with replacement characters)")
    try:
        status = path.lstat()
        if stat.S_ISLNK(status.st_mode):
            return _link(path, root)
        return _special(status.st_mode)
    except OSError as error:
        return ("skipped", f"cannot be inspected: {error.strerror or error}")


def _link(path: Path, root: Path) -> tuple[str, str] | None:
    """A symlink is read only when it points at a regular file inside the source folder."""
    target = path.resolve()
    if not target.exists():
        return ("skipped", f"dangling symlink (points to {os.readlink(path)!r}, which does not exist)")
    if not target.is_relative_to(root):
        return ("refused", "symlink leaves the source folder")
    return _special(target.stat().st_mode)


def _special(mode: int) -> tuple[str, str] | None:
    """FIFOs, sockets and devices are never opened."""
    if stat.S_ISREG(mode):
        return None
    kind = (
        "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device or other special file"
    )
    return ("skipped", f"not a regular file ({kind})")


def _utf8(name: str) -> bool:
    """Whether a file name decoded from the file system is valid UTF-8 (no surrogate escapes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name(src: Path, path: Path) -> str:
    """The path relative to the source folder, printable even when the file name is not UTF-8."""
    relative = path.relative_to(src).as_posix()
    return relative if _utf8(relative) else os.fsencode(relative).decode("utf-8", errors="replace")


def _problem(src: Path, path: Path, action: str, reason: str) -> dict:
    """One problems row."""
    try:
        name = _name(src, path)
    except ValueError:
        name = str(path)
    return {"file": name, "action": action, "reason": reason}
