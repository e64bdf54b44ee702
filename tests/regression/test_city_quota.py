"""The Google Sheets quota at city scale: through a stand-in that answers 429 past 4 reads
in 30 seconds, six wards are all briefed — the shared limiter paces the reads before
Google would refuse them, and a 429 that comes anyway is backed off (truncated
exponential, up to 64 s) until the quota frees itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from builders import FIXTURES
from sheets_standin import SheetsStandIn, isolate
from wardbrief.read.sources import gsheet
from wardbrief.read.sources.gsheet import RetryPolicy, open_gsheet

KEYS = [f"1CityWard{n}Sheet_2026-quota" for n in range(1, 7)]
QUOTA = (4, 30.0)  # reads, seconds: the stand-in answers 429 past it


@pytest.fixture
def standin(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    with SheetsStandIn() as server:
        for n, key in enumerate(KEYS):
            server.add_xlsx(key, FIXTURES / ("clean.xlsx" if n % 2 else "messy.xlsx"))
        server.quota(*QUOTA)
        monkeypatch.setenv("WARDBRIEF_SHEETS_API", server.base_url)
        yield server


def test_six_wards_through_the_quota_are_all_briefed(standin, tmp_path):
    # The city paces 4 reads in 30 s, the stand-in refuses past 4 in 24 s: the limiter
    # counts a read when its turn comes, the stand-in when it arrives, and the 6 s
    # between the two windows are for what comes in between (a worker starting, its first
    # request, a busy machine). With no margin a fifth read could arrive within the
    # window of the first one and be refused.
    standin.quota(QUOTA[0], QUOTA[1] - 6)
    registry = tmp_path / "wards.csv"
    registry.write_text("code,name,source\n" + "".join(
        f"p{n},Phường Số {n},gsheet:{key}\n" for n, key in enumerate(KEYS, start=1)),
        encoding="utf-8")
    config = tmp_path / "wardbrief.toml"  # the city's pace: the stand-in's quota
    config.write_text("[city]\nsheet_reads = 4\nsheet_read_seconds = 30\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDBRIEF_")}
    env.update(WARDBRIEF_CONFIG=str(config), WARDBRIEF_SHEETS_API=standin.base_url)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", "city",
                           "--registry", str(registry), "--as-of", "2026-11-27",
                           "--period-start", "2026-11-01", "--out", str(out), "--jobs", "2"],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    city = json.loads((out / "city.json").read_text(encoding="utf-8"))
    assert city["totals"]["wards_briefed"] == 6 and city["not_briefed"] == []
    # one read per ward, paced: never more than 4 in 30 s, so Google never refused one
    reads = standin.requests_to("/v4/spreadsheets/", "GET")
    assert len(reads) == 6 and standin.refused == 0
    assert all(r.param("includeGridData") == "true" for r in reads)
    # the messy and the clean sheet give their own figures, as from the .xlsx
    wards = {w["code"]: w for w in city["wards"]}
    assert wards["p1"]["cases"] == wards["p3"]["cases"] != wards["p2"]["cases"]
    assert wards["p2"]["cases"] == wards["p4"]["cases"] == wards["p6"]["cases"]


class Clock:
    """The stand-in's clock, moved on by the client's backoff instead of real sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_a_429_is_backed_off_until_the_quota_frees_itself(standin, tmp_path):
    clock = Clock()
    standin.clock = clock
    policy = RetryPolicy(sleep=clock.sleep)
    raws = [open_gsheet(f"gsheet:{key}", snapshot_dir=tmp_path / "snapshots", retry=policy)
            for key in KEYS]  # no limiter: the fifth read is refused
    assert all(raw.tabs["DonVi"] for raw in raws)
    assert standin.refused >= 1
    # truncated exponential backoff: the n-th wait in [2**(n-1)/2, 2**(n-1)] s, at most 64
    first_refusal = clock.waits[:standin.refused]
    for n, wait in enumerate(first_refusal, start=1):
        assert min(64, 2 ** (n - 1)) / 2 <= wait <= min(64, 2 ** (n - 1))
    assert sum(clock.waits) >= QUOTA[1] - 1  # until the window had room again


def test_a_long_429_is_retried_past_the_other_failures_bound():
    policy = RetryPolicy()
    assert policy.allowed(429) == 10 and policy.allowed(503) == 5
    waits = [policy.delay(n) for n in range(1, 10)]
    assert max(waits) <= 64 and all(w >= min(64, 2 ** (n - 1)) / 2
                                    for n, w in enumerate(waits, start=1))
    assert gsheet.RetryPolicy().max_delay == 64
