"""Read one source file into text, or say why it cannot be used.

Bytes become text in a fixed order: refuse what is too large, empty or binary; decode UTF-8 (with
or without a byte-order mark); otherwise let charset-normalizer pick the encoding; repair mojibake
and normalise Unicode with ftfy. Every repair is reported, so nothing changes silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import ftfy

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")
DEFAULT_MAX_BYTES = 5_000_000
_TEXT_CONTROLS = {9, 10, 12, 13}
# Mojibake shows Latin-1 or Latin Extended letters (Ã, â€, Â), control or replacement characters, HTML entities,
# width or ligature forms; text without any of them only needs NFC, and ftfy (slow) is skipped.
_MAY_NEED_FTFY = re.compile("[\u0080-\u024f\r&\x1b\ufb00-\ufb06\uff01-\uff5e\ufffd]")


@dataclass
class Decoded:
    """A file's text (None when it was skipped) and what was done to get it."""

    text: str | None
    encoding: str | None = None
    actions: list[tuple[str, str]] = field(
        default_factory=list
    )  # (action, reason): repaired / skipped / refused

    def note(self, action: str, reason: str) -> None:
        self.actions.append((action, reason))


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode a source file, refusing oversized, empty and binary files before reading them whole."""
    size = path.stat().st_size
    if size > max_bytes:
        return _stopped("refused", f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)")
    if size == 0:
        return _stopped("skipped", "empty file (0 bytes)")
    raw = path.read_bytes()
    if _looks_binary(raw):
        return _stopped("skipped", "binary content (NUL or control bytes), not text")
    decoded = _decode(raw)
    if decoded.text is not None:
        _repair(decoded)
    return decoded


def _stopped(action: str, reason: str) -> Decoded:
    """A file that yields no text, with the one reason why."""
    decoded = Decoded(text=None)
    decoded.note(action, reason)
    return decoded


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes, or more than 5% control bytes in the first 8 KiB, mean the file is not text."""
    head = raw[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > 0.05 * len(head)


def _decode(raw: bytes) -> Decoded:
    """UTF-8 first; else the encoding charset-normalizer finds; else UTF-8 with replacement characters."""
    try:
        return Decoded(text=raw.decode("utf-8-sig"), encoding="utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None and best.encoding not in {"utf_8", "utf-8"} and _plausible(str(best)):
        decoded = Decoded(text=str(best), encoding=best.encoding)
        decoded.note(
            "repaired",
            f"not UTF-8 (first invalid byte at offset {first_bad}); decoded as {best.encoding} (charset-normalizer)",
        )
        return decoded
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    decoded = Decoded(text=text, encoding="utf-8")
    decoded.note(
        "repaired",
        f"{bad} undecodable byte sequence(s), the first at byte offset {first_bad}, replaced with U+FFFD",
    )
    return decoded


def _plausible(text: str) -> bool:
    """A guessed decoding is used only when it yields no C1 control characters."""
    return not any(0x80 <= ord(char) < 0xA0 for char in text)


def _repair(decoded: Decoded) -> None:
    """Fix mojibake and normalise to NFC with ftfy (curly quotes kept: they mark quotations); note any change."""
    text = decoded.text or ""
    fixed = (
        ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
        if _MAY_NEED_FTFY.search(text)
        else unicodedata.normalize("NFC", text)
    )
    if fixed != text:
        decoded.note(
            "repaired",
            f"mojibake or Unicode normalisation fixed by ftfy (length {len(text):,} -> {len(fixed):,} characters)",
        )
    decoded.text = fixed
