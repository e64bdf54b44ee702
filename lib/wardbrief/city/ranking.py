"""The wards' ranks (CONTRACT section 6): by compliance rate, highest first (a ward
without a rate after every ward with one), then by open overdue cases, fewest first.
Wards equal on both share a rank and the next rank skips (1, 2, 2, 4): the same
standard competition ranking Hồ Chí Minh City's 1022 report uses for its units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def rank_key(cases: Mapping[str, Any]) -> tuple[int, float, int]:
    """What a ward is ranked on: (no rate, −rate, open overdue); smaller is better."""
    rate = cases.get("compliance_rate")
    return (1, 0.0, int(cases["open_overdue"])) if rate is None \
        else (0, -float(rate), int(cases["open_overdue"]))


def ranked(wards: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`wards` (each with `code` and `cases`) sorted by rank, then code, each given its
    `rank`. The rates compared are the ones written to city.json, so two wards shown
    with the same figures never get different ranks."""
    order = sorted(wards, key=lambda w: (rank_key(w["cases"]), w["code"]))
    previous: tuple[int, float, int] | None = None
    rank = 0
    for position, ward in enumerate(order, start=1):
        key = rank_key(ward["cases"])
        if key != previous:
            rank, previous = position, key
        ward["rank"] = rank
    return order
