"""Campaign posts: those with P ≤ date ≤ A, counted by normalized channel; the targets
(ChiTieu, a number of posts a calendar month) over a period's own days."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from wardbrief.read.schema import CHANNELS


def post_counts(posts: pd.DataFrame, start: dt.date, end: dt.date) -> dict:
    inside = posts["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    counts = posts.loc[inside, "channel"].value_counts()
    by_channel = {ch: int(counts.get(ch, 0)) for ch in CHANNELS}
    return {"total": int(inside.sum()), "by_channel": by_channel}


def months_covered(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The calendar months a period touches, each with the days of it inside the period
    and its length: an NĐ 09 month (15th to 14th) is 17 days of one and 14 of the next."""
    months = []
    day = start
    while day <= end:
        length = calendar.monthrange(day.year, day.month)[1]
        last = min(end, day.replace(day=length))
        months.append({"month": day.strftime("%Y-%m"), "days": (last - day).days + 1,
                       "of": length})
        day = last + dt.timedelta(days=1)
    return months


def period_targets(targets: Mapping[str, Any], start: dt.date, end: dt.date) -> dict[str, Any]:
    """The monthly targets over the period's days: each month's target times the share of
    its days inside the period, added up and rounded half up (8 a month over 15/10-14/11:
    8 x 17/31 + 8 x 14/30 = 8,1 -> 8). A period is judged on this, not on the target of
    the month it ends in counted against half a month of posts."""
    months = months_covered(start, end)
    share = sum((Fraction(m["days"], m["of"]) for m in months), Fraction(0))
    return {"months": months,
            "targets": {ch: int((Decimal(int(targets.get(ch) or 0)) * share.numerator
                                 / share.denominator).quantize(Decimal(1), ROUND_HALF_UP))
                        for ch in CHANNELS if int(targets.get(ch) or 0)}}
