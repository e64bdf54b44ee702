"""DataIssue: one problem in the workbook, pointing at the cell a member of staff must fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
OPTIONAL_FIELDS = ("link", "sheet_title", "header", "cell", "blocking")


@dataclass(frozen=True)
class DataIssue:
    sheet: str  # the contract's tab name (PhanAnh, DonVi, ...)
    row: int | None  # row number as the spreadsheet shows it; None for a whole-tab issue
    column: str | None  # the contract's header, in Vietnamese
    severity: Severity
    message: str  # for the member of staff who fixes it
    link: str | None = None  # URL of the cell, for a Google Sheet source
    # As the sheet has them: the tab's title, the column's header text, the cell (`H30`).
    sheet_title: str | None = None
    header: str | None = None
    cell: str | None = None
    # True for an error that keeps the whole workbook from giving true figures (a column
    # a tab cannot be read without); see Workbook.blocking_issues.
    blocking: bool | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        for name in OPTIONAL_FIELDS:
            if data[name] is None:
                del data[name]
        return data

    def sort_key(self) -> tuple:
        return (SEVERITY_ORDER[self.severity], self.sheet, self.row or 0, self.column or "")

    @property
    def where(self) -> str:
        """The place as staff find it: the tab's own title, then the cell or the row."""
        tab = self.sheet_title or self.sheet
        if self.cell:
            return f"{tab}!{self.cell}"
        if self.row is not None:
            return f"{tab}, dòng {self.row}"
        return tab
