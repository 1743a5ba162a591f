"""What a refused file says, the same for every import: each bad row as ``12行目 列: 理由``.

Every file a domain takes in (住所辞書, 課税資料, …) is all or nothing (docs/reference/contract.md
§3.2): one bad row refuses the file, and the operator is told every bad row at once, by line and
column, in Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One reason a row (or the header, line 1) is refused; ``column`` may be empty."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.line}行目 {self.column}: {self.reason}"
            if self.column
            else f"{self.line}行目: {self.reason}"
        )


class FileRejected(Exception):
    """The file was refused as a whole; ``issues`` names every bad row and column."""

    def __init__(self, issues: list[Issue]):
        super().__init__(f"{len(issues)} 件の誤りがあるため取り込みませんでした")
        self.issues = issues
