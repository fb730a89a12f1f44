"""The one error base: every refusal of bad input says where it is (file, line or row, column) and which rule.

Each layer subclasses `RareEarthsError`; the command line catches only this class and prints its
message, which begins with the location. A failure that is not a `RareEarthsError` is a bug and
keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class RareEarthsError(Exception):
    """Bad input or an unusable request, with its location; `str()` gives 'file:line: column C: [rule]
    message'."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        rule: str | None = None,
    ) -> None:
        self.message, self.file, self.line, self.column, self.rule = message, file, line, column, rule
        super().__init__(self._text())

    def _text(self) -> str:
        """The location prefix, then the message."""
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "")
        parts = [where + ":" if where else "", f"column {self.column}:" if self.column else ""]
        parts.append(f"[{self.rule}]" if self.rule else "")
        return " ".join([part for part in parts if part] + [self.message])


@dataclass(frozen=True)
class Issue:
    """One validation failure of a table: file, row (the CSV line, header = 1), column and rule."""

    file: str
    row: int | None
    field: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        column = f" column {self.field}:" if self.field else ""
        return f"{where}:{column} [{self.rule}] {self.message}"


class ValidationError(RareEarthsError):
    """Tables that do not validate; `issues` holds every problem and the message lists the first 50."""

    what = "tables"

    def __init__(self, issues: list) -> None:
        self.issues = issues
        shown = "\n".join(f"  {issue}" for issue in issues[:50])
        more = f"\n  ... and {len(issues) - 50} more" if len(issues) > 50 else ""
        first = issues[0] if issues and isinstance(issues[0], Issue) else None
        super().__init__(
            f"{len(issues)} problem(s) in the {self.what}:\n{shown}{more}",
            file=None if first is None else first.file,
        )

    def _text(self) -> str:
        """The count and the list (each line carries its own location)."""
        return self.message


class DatasetError(RareEarthsError):
    """A value in an external data file that the cleaning rules do not know, named with its file and cell."""
