"""`rare-earths data fetch`: bring every file a manifest lists into place, from a mirror or its origin."""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from rare_earths.common.io import atomic_write
from rare_earths.common.manifests import Entry, Manifest, Outcome, check_file


def fetch(manifest: Manifest, *, mirror: Path | None = None, download: bool = True) -> list[Outcome]:
    """Bring every listed file into place, from the mirror or the origin, accepting only exact copies."""
    mirror = mirror if mirror is not None else manifest.mirror()
    network = _Network(enabled=download)
    outcomes = []
    for entry in manifest.entries:
        if check_file(manifest, entry) is None:
            outcomes.append(Outcome(entry.path, "ok"))
        elif mirror is not None and (mirror / entry.path).is_file():
            outcomes.append(_install(manifest, entry, mirror / entry.path, "copied"))
        else:
            outcomes.append(network.download(manifest, entry))
    return outcomes


class _Mismatch(Exception):
    """A copied file that does not match its manifest entry: the install is abandoned."""


def _install(manifest: Manifest, entry: Entry, source: Path, status: str) -> Outcome:
    """Copy to a temporary file beside the target, check it, then move it into place."""

    def copy_and_check(temporary: Path) -> None:
        shutil.copyfile(source, temporary)
        if (problem := check_file(manifest, entry, temporary)) is not None:
            raise _Mismatch(problem)

    try:
        atomic_write(manifest.local_path(entry), copy_and_check)
    except _Mismatch as mismatch:
        detail = f"{mismatch}; source {source}; the file in place was left untouched"
        return Outcome(entry.path, "mismatch", detail)
    return Outcome(entry.path, status, str(source))


class _Network:
    """Downloads from origins, giving up on the network after the first connection failure."""

    def __init__(self, enabled: bool) -> None:
        self.reason = None if enabled else "downloads disabled"

    def download(self, manifest: Manifest, entry: Entry) -> Outcome:
        """Fetch one file from its origin URL into a temporary file, then install it."""
        if entry.origin_url is None:
            return Outcome(
                entry.path,
                "unavailable",
                f"{entry.path}: no mirror has it and it has no public copy to download "
                f"({entry.origin['collected']})",
            )
        if self.reason is not None:
            return Outcome(
                entry.path,
                "unavailable",
                f"{entry.path}: no mirror has it and {self.reason} ({entry.origin_url})",
            )
        with tempfile.TemporaryDirectory() as folder:
            temporary = Path(folder) / "download"
            try:
                with (
                    urllib.request.urlopen(entry.origin_url, timeout=30) as response,
                    open(temporary, "wb") as out,
                ):
                    shutil.copyfileobj(response, out)
            except urllib.error.HTTPError as error:
                return Outcome(
                    entry.path, "unavailable", f"{entry.path}: {entry.origin_url} answered HTTP {error.code}"
                )
            except (urllib.error.URLError, OSError) as error:
                self.reason = f"the network is unreachable ({getattr(error, 'reason', error)})"
                return Outcome(entry.path, "unavailable", f"{entry.path}: no mirror has it and {self.reason}")
            return _install(manifest, entry, temporary, "downloaded")
