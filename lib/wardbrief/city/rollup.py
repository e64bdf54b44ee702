"""city.json (CONTRACT section 6): every ward of the registry, briefed or not, rolled up.

A briefed ward contributes its `cases.totals`, `cases.intake`, `tasks.totals` and the
count of its data issues by severity; the city's counts are sums over the briefed
wards, its rates recomputed from those sums (never an average of rates), its
`avg_working_days` the mean weighted by cases resolved. A ward not briefed counts in no
figure and is listed with its reason."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wardbrief.city.ranking import ranked

SCHEMA = "wardbrief.city/1"
CASE_COUNTS = ("received", "returned", "resolved", "resolved_on_time", "resolved_late", "open",
               "open_overdue", "open_due_soon", "rated", "satisfied")
INTAKE_KEYS = ("smart_app", "system_1022", "in_person", "other", "unknown")
TASK_KEYS = ("total", "done_on_time", "done_late", "in_progress", "overdue", "due_soon",
             "blocked")


@dataclass
class WardFigures:
    """What the city keeps of one ward's run: its figures when briefed, else why not.
    Figures only: no case, no citizen, no text from the sheet."""

    code: str
    name: str
    briefed: bool
    reason: str | None = None  # Vietnamese, when not briefed
    cases: dict[str, Any] = field(default_factory=dict)
    intake: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    data_errors: int = 0
    data_warnings: int = 0
    exit_code: int = 0  # of the ward's own run
    as_of: str | None = None
    period_start: str | None = None
    folder: str | None = None  # the ward's published report, relative to the city's out
    problem: str | None = None  # the ward's report failed to build (its figures stand)
    seconds: float = 0.0
    previous: dict[str, Any] | None = None  # the period before: cases totals and intake
    target: float | None = None  # the ward's on-time target (CauHinh), a fraction

    @classmethod
    def from_metrics(cls, code: str, name: str, metrics: Mapping[str, Any],
                     **extra: Any) -> WardFigures:
        issues = metrics.get("data_issues") or []
        return cls(
            code, name, True,
            cases=dict(metrics["cases"]["totals"]),
            intake={k: int(metrics["cases"]["intake"][k]) for k in INTAKE_KEYS},
            tasks={k: int(metrics["tasks"]["totals"][k]) for k in TASK_KEYS},
            data_errors=sum(1 for i in issues if i.get("severity") == "error"),
            data_warnings=sum(1 for i in issues if i.get("severity") == "warning"),
            as_of=str(metrics["as_of"]), period_start=str(metrics["period_start"]), **extra)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WardFigures:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def case_totals(wards: Iterable[WardFigures]) -> dict[str, Any]:
    """cases.totals of the city: sums, and the rates and mean recomputed from them."""
    wards = list(wards)
    totals: dict[str, Any] = {k: sum(int(w.cases[k]) for w in wards) for k in CASE_COUNTS}
    resolved, on_time = totals["resolved"], totals["resolved_on_time"]
    totals["on_time_rate"] = _rate(on_time, resolved)
    totals["compliance_rate"] = _rate(on_time, resolved + totals["open_overdue"])
    weighted = sum(float(w.cases["avg_working_days"]) * int(w.cases["resolved"])
                   for w in wards if w.cases.get("avg_working_days") is not None)
    totals["avg_working_days"] = weighted / resolved if resolved else None
    order = ("received", "returned", "resolved", "resolved_on_time", "resolved_late", "open",
             "open_overdue", "open_due_soon", "on_time_rate", "compliance_rate", "rated",
             "satisfied", "avg_working_days")
    return {k: totals[k] for k in order}


def city_json(as_of: str, period_start: str, wards: Iterable[WardFigures],
              **extra: Any) -> dict[str, Any]:
    """city.json for the registry's wards (each once, briefed or not); `extra` adds keys
    beyond the contract (the city's name, say)."""
    wards = list(wards)
    briefed = [w for w in wards if w.briefed]
    rows = ranked([{
        "code": w.code, "name": w.name, "rank": 0,
        "cases": {k: w.cases[k] for k in w.cases}, "intake": dict(w.intake),
        "tasks": dict(w.tasks), "data_errors": w.data_errors, "data_warnings": w.data_warnings,
        "previous": {"period_start": w.previous.get("period_start"),
                     "as_of": w.previous.get("as_of"), "cases": dict(w.previous["cases"]),
                     "intake": dict(w.previous.get("intake") or {})} if w.previous else None,
        "folder": w.folder,
    } for w in briefed])
    before = [w for w in briefed if w.previous]
    not_briefed = [{"code": w.code, "name": w.name, "reason": w.reason or ""}
                   for w in wards if not w.briefed]
    return {
        "schema": SCHEMA,
        "as_of": as_of,
        "period_start": period_start,
        **extra,
        "wards": rows,
        "not_briefed": not_briefed,
        "totals": {
            "wards_briefed": len(briefed),
            "wards_not_briefed": len(not_briefed),
            "cases": case_totals(briefed),
            "intake": {k: sum(w.intake[k] for w in briefed) for k in INTAKE_KEYS},
            "tasks": {k: sum(w.tasks[k] for w in briefed) for k in TASK_KEYS},
        },
        # beyond the contract: the same figures over the period before (the wards that
        # have one), for the briefing's comparison
        "previous_period": {
            "wards": len(before),
            "cases": case_totals(WardFigures(w.code, w.name, True, cases=w.previous["cases"])
                                 for w in before),
            "intake": {k: sum(int((w.previous.get("intake") or {}).get(k, 0)) for w in before)
                       for k in INTAKE_KEYS},
        } if before else None,
    }


def write_json(data: Mapping[str, Any], path: Path) -> Path:
    """`data` at `path`, written whole or not at all (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
