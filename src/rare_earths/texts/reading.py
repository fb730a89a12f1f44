"""Read one source file into text, or say why it cannot be used.

Bytes become text in a fixed order: refuse what is too large, empty, unreadable or binary; decode
by a byte-order mark (UTF-8, UTF-16, UTF-32); else UTF-8, where a few invalid bytes in otherwise
valid UTF-8 are replaced and counted rather than a reason to re-decode the whole file; else the
candidate encoding (cp1252, Shift_JIS, EUC-JP, GB18030) charset-normalizer finds coherent enough;
else UTF-8 with replacement characters. Mojibake is repaired and Unicode normalised with ftfy.
Every step that changes the text is reported, saying exactly what was done.
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
_CONTROL_BYTES = bytes(
    byte for byte in range(32) if byte not in _TEXT_CONTROLS
)  # control bytes text never has
# Encodings tried, in this order of preference, when a file is not UTF-8 and has no byte-order mark.
CANDIDATE_ENCODINGS = ("cp1252", "shift_jis", "euc_jp", "gb18030")
_MAX_CHAOS = 0.2  # charset-normalizer's mess ratio above which a guess is not trusted
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Mojibake shows Latin-1 or Latin Extended letters (Ã, â€, Â), control or replacement characters, HTML
# entities, width or ligature forms; text without any of them only needs NFC, and ftfy (slow) is skipped.
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
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _stopped(
                "refused", f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-bytes)"
            )
        if size == 0:
            return _stopped("skipped", "empty file (0 bytes)")
        raw = path.read_bytes()
    except OSError as error:
        return _stopped("skipped", f"file cannot be read: {error.strerror or error}")
    bom = _bom_encoding(raw)
    if bom is None and _looks_binary(raw):
        return _stopped("skipped", "binary content (NUL or control bytes), not text")
    decoded = _decode_bom(raw, bom) if bom else _decode(raw)
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
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte
    return controls > 0.05 * len(head)


def _bom_encoding(raw: bytes) -> str | None:
    """The encoding a byte-order mark declares (UTF-32 is checked first: its little-endian mark starts like
    UTF-16's)."""
    return next((encoding for mark, encoding in _BOMS if raw.startswith(mark)), None)


def _decode_bom(raw: bytes, encoding: str) -> Decoded:
    """Text whose byte-order mark names its encoding; undecodable sequences are replaced and counted."""
    text = raw.decode(encoding, errors="replace")
    decoded = Decoded(text=text, encoding=encoding.removesuffix("-sig"))
    if encoding != "utf-8-sig":
        decoded.note("repaired", f"decoded as {decoded.encoding} (byte-order mark)")
    _count_replacements(decoded, raw, encoding)
    return decoded


def _decode(raw: bytes) -> Decoded:
    """UTF-8; a few invalid bytes in text with valid multi-byte UTF-8 are replaced; else a candidate encoding,
    if one fits."""
    try:
        return Decoded(text=raw.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    utf8_evidence = any(ord(char) > 0x7F and char != "\ufffd" for char in text)  # valid multi-byte sequences
    if utf8_evidence and bad <= max(3, len(raw) // 10_000):
        decoded = Decoded(text=text, encoding="utf-8")
        decoded.note(
            "repaired",
            f"UTF-8 with {bad} invalid byte sequence(s), the first at byte offset {first_bad}, "
            "replaced with U+FFFD",
        )
        return decoded
    return _decode_candidate(raw, first_bad) or _replaced(text, bad, first_bad)


def _decode_candidate(raw: bytes, first_bad: int) -> Decoded | None:
    """The declared candidate encoding charset-normalizer finds most coherent, if it is confident enough."""
    best = charset_normalizer.from_bytes(raw, cp_isolation=list(CANDIDATE_ENCODINGS)).best()
    if best is None or best.chaos > _MAX_CHAOS or not _plausible(str(best)):
        return None
    decoded = Decoded(text=str(best), encoding=best.encoding)
    decoded.note(
        "repaired",
        f"not UTF-8 (first invalid byte at offset {first_bad}); decoded as {best.encoding} "
        f"(charset-normalizer, chaos {best.chaos:.2f} of at most {_MAX_CHAOS}, "
        f"among {', '.join(CANDIDATE_ENCODINGS)})",
    )
    return decoded


def _replaced(text: str, bad: int, first_bad: int) -> Decoded:
    """UTF-8 with replacement characters, when no candidate encoding fits."""
    decoded = Decoded(text=text, encoding="utf-8")
    decoded.note(
        "repaired",
        f"{bad} undecodable byte sequence(s), the first at byte offset {first_bad}, replaced with U+FFFD "
        f"(no candidate encoding among {', '.join(CANDIDATE_ENCODINGS)} fitted)",
    )
    return decoded


def _count_replacements(decoded: Decoded, raw: bytes, encoding: str) -> None:
    """Note how many sequences could not be decoded, if any."""
    bad = (decoded.text or "").count("\ufffd") - raw.decode(encoding, errors="ignore").count("\ufffd")
    if bad:
        decoded.note(
            "repaired", f"{bad} undecodable byte sequence(s) in {decoded.encoding} replaced with U+FFFD"
        )


def _plausible(text: str) -> bool:
    """A guessed decoding is used only when it yields no C1 control characters."""
    return not any(0x80 <= ord(char) < 0xA0 for char in text)


def _repair(decoded: Decoded) -> None:
    """Fix mojibake and normalise to NFC with ftfy (curly quotes kept: they mark quotations); note any
    change."""
    text = decoded.text or ""
    fixed = (
        ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
        if _MAY_NEED_FTFY.search(text)
        else unicodedata.normalize("NFC", text)
    )
    if fixed != text:
        decoded.note(
            "repaired",
            "mojibake or Unicode normalisation fixed by ftfy "
            f"(length {len(text):,} -> {len(fixed):,} characters)",
        )
    decoded.text = fixed
