"""What every report's section builders share: the contract's defaults, how many items
a briefing lists, and small helpers that word a list or a place (`join_vn`,
`place_name`, `head_title`), used by `briefing.Briefing` and the builders of each report
(`weekly`, `data_quality`, `report`, `reminder`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wardbrief.briefings import labels
from wardbrief.read.names import key
from wardbrief.read.schema import TABS, setting_default

# The contract's defaults, for a metrics dict without `ward` or `settings`.
DEFAULT_WARD = str(setting_default("ward_name"))
DEFAULT_TARGET = float(setting_default("on_time_target")) / 100  # metrics: a fraction
SHEET_ORDER = tuple(tab.name for tab in TABS)  # the workbook's tab order
SEVERITY_ORDER = ("error", "warning", "info")
TOP_CASES = 15  # the most overdue cases listed in a briefing; all of them go to the annex
TOP_TASKS = 5  # the most urgent tasks listed in the weekly briefing; all in tasks.csv
SHORT_TEXT = 56  # characters of a summary or task in the briefing's short lists
NAMED_DEPARTMENTS = 3  # departments named in a sentence before "và N đơn vị khác"
ANNEX_FILE = "phu_luc.pdf"
ACCOUNTABILITY_CSV = "accountability.csv"
OFFICE_CODE = "VP"  # Văn phòng HĐND và UBND: receives the cases without a department
# How a change against the previous period reads: +1 higher is better, -1 lower is better.
DIRECTION = {"resolved": 1, "resolved_on_time": 1, "resolved_late": -1, "open_overdue": -1,
             "on_time_rate": 1, "compliance_rate": 1}

Row = dict[str, Any]



def join_vn(parts: Sequence[str]) -> str:
    """`a, b và c`."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def place_name(ward: str) -> str:
    """`Đông Hải` from `Phường Đông Hải` (the place of the date line)."""
    words = ward.split()
    for prefix in (["phuong"], ["xa"], ["thi", "tran"]):
        if [key(w) for w in words[: len(prefix)]] == prefix and len(words) > len(prefix):
            return " ".join(words[len(prefix):])
    return ward


def head_title(name: str) -> str:
    """How the head of a unit is addressed: `Trưởng phòng Kinh tế, …` for `Phòng Kinh tế,
    …`, `Chánh Văn phòng …`, `Giám đốc Trung tâm …`, `Trưởng Công an phường`; else
    `Thủ trưởng <name>`."""
    name_key = key(name)
    for prefix, template in labels.HEAD_TITLES:
        if name_key.startswith(prefix + " ") or name_key == prefix:
            rest = name.split(None, len(prefix.split()))[-1] if " " in name else ""
            return template.format(name=name, rest=rest)
    return labels.HEAD_TITLE_DEFAULT.format(name=name)


def number_or_none(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def with_satisfaction_rate(totals: Mapping[str, Any], satisfaction: Mapping[str, Any] | None
                            ) -> dict[str, Any]:
    """The case totals plus the engine's satisfaction rate (metrics `satisfaction`)."""
    if not totals:
        return {}
    return {**totals, "satisfaction_rate": (satisfaction or {}).get("rate")}


def signer_role(settings: Mapping[str, Any]) -> tuple[str, str]:
    """`TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH` for the Chairman; `KT. CHỦ TỊCH / PHÓ CHỦ TỊCH` for a
    Vice-Chairman signing for the Chairman (CauHinh `Chức vụ người ký`; NĐ 30/2020)."""
    title = str(settings.get("signer_title") or labels.CHAIRMAN).strip().upper()
    if title.startswith("PHÓ " + labels.CHAIRMAN):
        return labels.SIGN_FOR_CHAIRMAN, title
    return labels.SIGN_FOR_COMMITTEE, title


def doc_symbol(settings: Mapping[str, Any]) -> str:
    """The report's symbol after its number (CauHinh `Ký hiệu`), `/BC-UBND` by default."""
    symbol = str(settings.get("doc_symbol") or labels.DOC_SYMBOL_REPORT).strip()
    return symbol if symbol.startswith("/") else "/" + symbol
