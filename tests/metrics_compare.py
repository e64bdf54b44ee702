"""Compare a computed metrics dict with an expected metrics.json, the way the contract
defines agreement: every key of the expected file (but source.fingerprint and ward),
counts exactly, *_rate and avg_working_days within 1e-9, overdue/late case lists exactly and in order,
data issues as the set of (sheet, row, severity) without severity info."""

from __future__ import annotations

from typing import Any

from wardbrief.read.names import tab_key

SKIP = {"source.fingerprint", "ward", "data_issues", "cases.overdue_cases", "cases.late_cases"}
LIST_FIELDS = {
    "overdue_cases": ("case_id", "department", "due", "working_days_late"),
    "late_cases": ("case_id", "department", "due", "responded", "working_days_late"),
}


def _flatten(obj: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            path = f"{prefix}.{k}" if prefix else k
            if path not in SKIP:
                _flatten(v, path, out)
    else:
        out[prefix] = obj


def issue_set(doc: dict) -> set[tuple]:
    return {(tab_key(i["sheet"]), i["row"], i["severity"])
            for i in doc.get("data_issues", []) if i["severity"] != "info"}


def differences(expected: dict, actual: dict) -> list[str]:
    diffs: list[str] = []
    flat_e: dict[str, Any] = {}
    flat_a: dict[str, Any] = {}
    _flatten(expected, "", flat_e)
    _flatten(actual, "", flat_a)
    for path, e in sorted(flat_e.items()):
        if path not in flat_a:
            diffs.append(f"{path}: missing")
            continue
        a = flat_a[path]
        if (path.endswith(("_rate", "avg_working_days")) and e is not None
                and a is not None):
            ok = isinstance(a, float | int) and abs(e - a) <= 1e-9
        elif isinstance(e, int) and not isinstance(e, bool):
            ok = type(a) is int and a == e
        else:
            ok = a == e
        if not ok:
            diffs.append(f"{path}: expected {e!r}, got {a!r}")
    for name, keys in LIST_FIELDS.items():
        el = [tuple(x.get(k) for k in keys) for x in expected["cases"][name]]
        al = [tuple(x.get(k) for k in keys) for x in actual["cases"][name]]
        if el != al:
            diffs.append(f"cases.{name}: expected {el}, got {al}")
    ie, ia = issue_set(expected), issue_set(actual)
    diffs += [f"data_issues: missing {i}" for i in sorted(ie - ia, key=repr)]
    diffs += [f"data_issues: unexpected {i}" for i in sorted(ia - ie, key=repr)]
    return diffs
