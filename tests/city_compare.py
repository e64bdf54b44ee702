"""Compare a city.json with an expected one the way CONTRACT section 6 defines agreement
(as ../shared/tools/compare-city does): schema, as_of, period_start; the wards' (code,
rank) in order; each ward's cases / intake / tasks (counts exactly, *_rate and
avg_working_days within 1e-9) and its data_errors / data_warnings; the set of codes not
briefed, each with a reason; the totals. Names, reasons' wording and extra keys are free."""

from __future__ import annotations

from typing import Any


def _same_number(expected: Any, actual: Any, rate: bool) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(actual, bool) or not isinstance(actual, (int, float)):
        return False
    if rate:
        return abs(expected - actual) <= 1e-9 * max(1.0, abs(expected))
    return isinstance(actual, int) and actual == expected


def _block(where: str, expected: dict, actual: dict | None, diffs: list[str]) -> None:
    for key, value in expected.items():
        if key not in (actual or {}):
            diffs.append(f"{where}.{key}: missing (expected {value!r})")
        elif not _same_number(value, actual[key],
                              key.endswith("_rate") or key == "avg_working_days"):
            diffs.append(f"{where}.{key}: expected {value!r}, got {actual[key]!r}")


def city_differences(expected: dict, actual: dict) -> list[str]:
    """One line per difference; empty when the two agree."""
    diffs: list[str] = []
    for key in ("schema", "as_of", "period_start"):
        if expected[key] != actual.get(key):
            diffs.append(f"{key}: expected {expected[key]!r}, got {actual.get(key)!r}")
    order_e = [(w["code"], w["rank"]) for w in expected["wards"]]
    order_a = [(w.get("code"), w.get("rank")) for w in actual.get("wards") or []]
    if order_e != order_a:
        diffs.append(f"wards (code, rank): expected {order_e}, got {order_a}")
    by_code = {w.get("code"): w for w in actual.get("wards") or []}
    for ward in expected["wards"]:
        got = by_code.get(ward["code"])
        if got is None:
            continue
        for block in ("cases", "intake", "tasks"):
            _block(f"wards[{ward['code']}].{block}", ward[block], got.get(block), diffs)
        for key in ("data_errors", "data_warnings"):
            if ward[key] != got.get(key):
                diffs.append(f"wards[{ward['code']}].{key}: expected {ward[key]}, "
                             f"got {got.get(key)!r}")
    codes_e = sorted(w["code"] for w in expected["not_briefed"])
    codes_a = sorted(w.get("code") for w in actual.get("not_briefed") or [])
    if codes_e != codes_a:
        diffs.append(f"not_briefed: expected {codes_e}, got {codes_a}")
    diffs += [f"not_briefed[{w.get('code')}]: no reason"
              for w in actual.get("not_briefed") or [] if not (w.get("reason") or "").strip()]
    totals_e, totals_a = expected["totals"], actual.get("totals") or {}
    for key in ("wards_briefed", "wards_not_briefed"):
        if totals_e[key] != totals_a.get(key):
            diffs.append(f"totals.{key}: expected {totals_e[key]}, got {totals_a.get(key)!r}")
    for block in ("cases", "intake", "tasks"):
        _block(f"totals.{block}", totals_e[block], totals_a.get(block), diffs)
    return diffs
