"""Manifests of the raw inputs that are not committed: fetch them by checksum, verify them.

A manifest (YAML, under data/raw/manifests/) lists every file of one folder under data/raw with
its public origin, licence, size and sha256. `fetch` copies each file from a mirror folder, or
downloads it from its origin when no mirror has it, and accepts it only when size and checksum
match; `verify` re-checks what is on disk. Errors name the manifest file and line, or the data file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rare_earths.common import paths
from rare_earths.common.errors import RareEarthsError
from rare_earths.common.io import atomic_write_text

ORIGIN_URL = "https://raw.githubusercontent.com/{repository}/{commit}/{path}"

_HEX40 = {"type": "string", "pattern": "^[0-9a-f]{40}$"}
_URL = {"type": "string", "pattern": "^(https?|file)://"}
# A file published in a public git repository, downloadable at a pinned commit.
_GIT_ORIGIN = {
    "type": "object",
    "additionalProperties": False,
    "required": ["repository", "commit", "path"],
    "properties": {
        "repository": {"type": "string", "pattern": "^[^/\\s]+/[^/\\s]+$"},
        "commit": _HEX40,
        "path": {"type": "string", "minLength": 1},
        "git_blob": _HEX40,
        "url": _URL,
    },
}
# A text collected by the team from a web page (news articles): no public copy to download, only the mirror.
_COLLECTED_ORIGIN = {
    "type": "object",
    "additionalProperties": False,
    "required": ["collected"],
    "properties": {
        "collected": {"type": "string", "minLength": 1},
        "page": {"type": "string", "minLength": 1},
        "url": _URL,
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["target", "files"],
    "additionalProperties": False,
    "properties": {
        "target": {"type": "string", "minLength": 1},
        "mirror_env": {"type": "string", "pattern": "^[A-Z_][A-Z0-9_]*$"},
        "default_mirror": {"type": "string", "minLength": 1},
        "files": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "path",
                    "dataset",
                    "title",
                    "publisher",
                    "licence",
                    "origin",
                    "size_bytes",
                    "sha256",
                ],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "dataset": {"type": "string", "minLength": 1},
                    "title": {"type": "string", "minLength": 1},
                    "publisher": {"type": "string", "minLength": 1},
                    "doi": {"type": "string", "pattern": "^10\\.\\d{4,}/\\S+$"},
                    "licence": {"type": "string", "minLength": 1},
                    "reconstructed": {"type": "boolean"},
                    "size_bytes": {"type": "integer", "minimum": 0},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "profile": {"type": "object"},
                    "origin": {"oneOf": [_GIT_ORIGIN, _COLLECTED_ORIGIN]},
                },
            },
        },
    },
}


class ManifestError(RareEarthsError):
    """A manifest that cannot be used, or a data file that does not match it."""


@dataclass(frozen=True)
class Entry:
    """One file listed in a manifest."""

    path: str
    dataset: str
    title: str
    publisher: str
    licence: str
    size_bytes: int
    sha256: str
    origin: dict[str, str]
    line: int
    doi: str | None = None
    reconstructed: bool = False
    profile: dict[str, Any] = field(default_factory=dict)

    @property
    def origin_url(self) -> str | None:
        """Where the file can be downloaded when no mirror has it (None for collected texts without a
        copy)."""
        if "url" in self.origin:
            return self.origin["url"]
        if "repository" not in self.origin:
            return None
        quoted = urllib.parse.quote(self.origin["path"])
        return ORIGIN_URL.format(
            repository=self.origin["repository"], commit=self.origin["commit"], path=quoted
        )


@dataclass(frozen=True)
class Manifest:
    """A parsed, validated manifest: where its files go and where a mirror may hold them."""

    source: Path
    target: Path
    entries: tuple[Entry, ...]
    mirror_env: str | None = None
    default_mirror: Path | None = None

    def local_path(self, entry: Entry) -> Path:
        """The file's place under the target folder."""
        return self.target / entry.path

    def mirror(self) -> Path | None:
        """The mirror folder: the environment variable if set, else the default if it exists."""
        configured = os.environ.get(self.mirror_env) if self.mirror_env else None
        if configured:
            return Path(configured).resolve()
        if self.default_mirror is not None and self.default_mirror.is_dir():
            return self.default_mirror
        return None


# libyaml's loader when PyYAML has it (the wheels do): the same documents and line marks, parsed
# about ten times faster, which every `data fetch` and `build` start pays for each manifest.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_manifest(
    path: Path = paths.EXTERNAL_MANIFEST, raw_root: Path = paths.RAW, *, check_schema: bool = True
) -> Manifest:
    """Parse and validate a manifest; every error names the manifest file and line. `check_schema=False`
    skips the JSON Schema check (and jsonschema's import, over a second) for a reader that only copies
    entries' descriptions: fetch, verify and every build check the same manifest in full."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ManifestError(f"{path}: cannot read manifest: {error.strerror}") from error
    return _parsed_manifest(path, Path(raw_root), check_schema, text)


@functools.lru_cache(maxsize=32)
def _parsed_manifest(path: Path, raw_root: Path, check_schema: bool, text: str) -> Manifest:
    """load_manifest once per text of the file in a process (a build reads each stage's manifests, and one
    manifest serves several stages); a Manifest is immutable, so it can be shared."""
    try:
        document = yaml.load(text, Loader=_LOADER)
        root_node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        raise ManifestError(f"{path}: not valid YAML: {error}") from error
    if check_schema:
        _check_schema(path, document, root_node)
    project_root = raw_root.resolve().parents[1]
    target = _inside(path, 1, project_root / document["target"], raw_root, "target")
    entries = tuple(
        _entry(path, target, item, _line(root_node, ["files", index]))
        for index, item in enumerate(document["files"])
    )
    _check_unique(path, entries)
    default = document.get("default_mirror")
    return Manifest(
        source=path,
        target=target,
        entries=entries,
        mirror_env=document.get("mirror_env"),
        default_mirror=(project_root / default).resolve() if default else None,
    )


def _check_schema(path: Path, document: Any, root_node: yaml.Node | None) -> None:
    """Raise on the first schema violation, with its line in the manifest."""
    import jsonschema  # here, not at the top: its import takes over a second, and describe() needs none

    errors = sorted(
        jsonschema.Draft202012Validator(SCHEMA).iter_errors(document), key=lambda e: list(e.absolute_path)
    )
    if errors:
        error = errors[0]
        where = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
        ).lstrip(".")
        line = _line(root_node, list(error.absolute_path))
        raise ManifestError(f"{path}:{line}: {where or 'manifest'}: {error.message}")


def _line(node: yaml.Node | None, parts: list[Any]) -> int:
    """The 1-based line of the YAML node at a path of keys and indexes (the deepest one found)."""
    line = 1 if node is None else node.start_mark.line + 1
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _inside(manifest: Path, line: int, candidate: Path, root: Path, what: str) -> Path:
    """Resolve a path and refuse it unless it lies inside `root` (data/raw)."""
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ManifestError(
            f"{manifest}:{line}: {what} {candidate} is outside {root}: manifests may only write under "
            "data/raw"
        )
    return resolved


def _entry(manifest: Path, target: Path, item: dict[str, Any], line: int) -> Entry:
    """Build one entry, refusing absolute paths and paths that leave the target folder."""
    relative = item["path"]
    if Path(relative).is_absolute():
        raise ManifestError(
            f"{manifest}:{line}: path {relative} is absolute: it must be relative to {target}"
        )
    _inside(manifest, line, target / relative, target, "path")
    return Entry(line=line, **item)


def _check_unique(manifest: Path, entries: tuple[Entry, ...]) -> None:
    """Two entries for one file would make the checksum ambiguous."""
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.path in seen:
            raise ManifestError(
                f"{manifest}:{entry.line}: path {entry.path} is listed twice (first at line "
                f"{seen[entry.path]})"
            )
        seen[entry.path] = entry.line


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What fetch or verify did with one file."""

    path: str
    status: str  # ok, copied, downloaded, missing, unavailable, mismatch, unlisted
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status in {"missing", "unavailable", "mismatch"}


def check_file(manifest: Manifest, entry: Entry, candidate: Path | None = None) -> str | None:
    """Why a file does not match its entry (size or sha256), or None when it does."""
    candidate = candidate or manifest.local_path(entry)
    if not candidate.is_file():
        return f"{manifest.local_path(entry)}: missing (listed at {manifest.source}:{entry.line})"
    size = candidate.stat().st_size
    if size != entry.size_bytes:
        return (
            f"{entry.path}: size {size} bytes, manifest says {entry.size_bytes} "
            f"({manifest.source}:{entry.line})"
        )
    actual = sha256_of(candidate)
    if actual != entry.sha256:
        return f"{entry.path}: sha256 {actual}, manifest says {entry.sha256} ({manifest.source}:{entry.line})"
    return None


def verify(manifest: Manifest) -> list[Outcome]:
    """Re-check every listed file on disk, and report files the manifest does not list."""
    outcomes = []
    for entry in manifest.entries:
        problem = check_file(manifest, entry)
        status = (
            "ok"
            if problem is None
            else ("missing" if not manifest.local_path(entry).exists() else "mismatch")
        )
        outcomes.append(Outcome(entry.path, status, problem or ""))
    listed = {manifest.local_path(entry) for entry in manifest.entries}
    if manifest.target.is_dir():
        for stray in sorted(p for p in manifest.target.rglob("*") if p.is_file() and p not in listed):
            outcomes.append(
                Outcome(
                    stray.relative_to(manifest.target).as_posix(),
                    "unlisted",
                    f"{stray}: not in {manifest.source}",
                )
            )
    return outcomes


VERIFIED = (
    paths.PROJECT_ROOT / ".cache" / "verified.json"
)  # size and mtime of each file at its last full hash


def verify_fast(manifest: Manifest, cache_file: Path | None = None) -> list[Outcome]:
    """Check every listed file before a build: a file whose size and modification time are those recorded at
    its last full hash (with the manifest's sha256) is trusted; any other is hashed again, and recorded when
    it matches. A mismatch is never cached, so it is reported until the file is fixed."""
    cache_file = cache_file or VERIFIED
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    outcomes = []
    changed = False
    for entry in manifest.entries:
        path = manifest.local_path(entry)
        key = str(path)
        if not path.is_file():
            outcomes.append(Outcome(entry.path, "missing", check_file(manifest, entry) or ""))
            continue
        stat = path.stat()
        seen = [stat.st_size, stat.st_mtime_ns, entry.sha256]
        if cache.get(key) == seen:
            outcomes.append(Outcome(entry.path, "ok", ""))
            continue
        problem = check_file(manifest, entry)
        outcomes.append(Outcome(entry.path, "ok" if problem is None else "mismatch", problem or ""))
        if problem is None:
            cache[key] = seen
        else:
            cache.pop(key, None)
        changed = True
    if changed:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(cache_file, json.dumps(cache, indent=1, sort_keys=True))
    return outcomes
