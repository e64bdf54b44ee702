"""Campaign posts: those with P ≤ date ≤ A, counted by normalized channel."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from wardbrief.read.schema import CHANNELS


def post_counts(posts: pd.DataFrame, start: dt.date, end: dt.date) -> dict:
    inside = posts["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    counts = posts.loc[inside, "channel"].value_counts()
    by_channel = {ch: int(counts.get(ch, 0)) for ch in CHANNELS}
    return {"total": int(inside.sum()), "by_channel": by_channel}
