"""One extracted item (a figure, date, quotation or name) and an index of the spans items already take."""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable
from dataclasses import dataclass

from rare_earths.common import registry

CLAIM_COLUMNS = tuple(registry.field_names("claims"))  # the claims table, in the registry's order


@dataclass
class Claim:
    """One extracted item, with offsets into the body."""

    doc_id: str
    kind: str
    text: str
    start: int
    end: int
    sentence: str = ""
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    normalised: str | None = None
    subject: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    period: str | None = None
    date_start: str | None = None
    date_end: str | None = None

    def row(self) -> dict:
        return {column: getattr(self, column) for column in CLAIM_COLUMNS}

    def values(self) -> tuple:
        """The row as a tuple in CLAIM_COLUMNS order (smaller and faster to send between processes)."""
        return _VALUES(self)


_VALUES = operator.attrgetter(*CLAIM_COLUMNS)


class Spans:
    """Sorted character spans of items, to ask in log time whether a new span overlaps one of them."""

    def __init__(self, claims: Iterable[Claim] = (), kinds: set[str] | None = None) -> None:
        """The spans of the given items (of the given kinds only, when kinds are named)."""
        items = sorted((c.start, c.end) for c in claims if kinds is None or c.kind in kinds)
        self.starts = [a for a, _ in items]
        self.ends = [b for _, b in items]
        self.longest = max((b - a for a, b in items), default=0)

    def add(self, start: int, end: int) -> None:
        """Remember one more span."""
        index = bisect.bisect_right(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)
        self.longest = max(self.longest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a remembered span (only spans starting within `longest` before it
        can)."""
        index = bisect.bisect_left(self.starts, end) - 1
        while index >= 0 and self.starts[index] >= start - self.longest:
            if self.ends[index] > start:
                return True
            index -= 1
        return False
