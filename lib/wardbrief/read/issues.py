"""DataIssue: one problem in the workbook, pointing at the cell a member of staff must fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class DataIssue:
    sheet: str  # the contract's tab name (PhanAnh, DonVi, ...)
    row: int | None  # row number as the spreadsheet shows it; None for a whole-tab issue
    column: str | None  # the contract's header, in Vietnamese
    severity: Severity
    message: str  # for the member of staff who fixes it
    link: str | None = None  # URL of the cell, for a Google Sheet source

    def as_dict(self) -> dict:
        data = asdict(self)
        if data["link"] is None:
            del data["link"]
        return data

    def sort_key(self) -> tuple:
        return (SEVERITY_ORDER[self.severity], self.sheet, self.row or 0, self.column or "")
