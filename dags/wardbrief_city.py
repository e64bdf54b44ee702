"""The city's weekly run on Apache Airflow 3: one task per ward of the registry, then the
roll-up. Every step is the `wardbrief city` command (docs/CITY.md); this file holds no
rule of the report, only who runs what, when, and how often it is tried again.

- `wards`: the registry's codes (`wardbrief city --list`).
- `ward` (mapped, one task per code, pool `sheets_reads`): `wardbrief city --only CODE`,
  which publishes the ward's report under OUT/wards/CODE/ and keeps its outcome for the
  roll-up. Exit 2 (the sheet could not be reached) is tried again with a growing delay;
  exit 1 (the sheet refused: a required tab or column missing) is not, a person must fix
  the sheet first.
- `rollup` (whatever the wards did): `wardbrief city --rollup-only`, the same city.json
  and city briefing as `wardbrief city`.

Scheduled on Fridays at 16:00 in Hải Phòng's time; a scheduled run's as-of date is its
logical date there. Params (`airflow dags trigger -c` / `dags test -c`): registry, as_of,
period_start, report, out. The command is `wardbrief` on the PATH, or WARDBRIEF_COMMAND.
"""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta

import pendulum
from airflow.sdk import CronTriggerTimetable, Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowException, AirflowFailException

TIME_ZONE = "Asia/Ho_Chi_Minh"
POOL = "sheets_reads"  # slots: see docs/CITY.md (the Sheets quota shared by the wards)
EXIT_SOURCE = 2  # wardbrief's exit codes (lib/wardbrief/exit_codes.py)
EXIT_WARDS_NOT_BRIEFED = 6


def _command() -> list[str]:
    return os.environ.get("WARDBRIEF_COMMAND", "wardbrief").split()


def _city_arguments() -> list[str]:
    """The arguments every step shares, from the run's params and logical date."""
    context = get_current_context()
    params = context["params"]
    as_of = params.get("as_of") or context["logical_date"].in_timezone(TIME_ZONE).date().isoformat()
    arguments = ["city", "--registry", params["registry"], "--as-of", str(as_of),
                 "--report", params["report"], "--out", params["out"]]
    if params.get("period_start"):
        arguments += ["--period-start", str(params["period_start"])]
    return arguments


def _wardbrief(*arguments: str) -> subprocess.CompletedProcess:
    done = subprocess.run([*_command(), *arguments], check=False, capture_output=True,
                          text=True, encoding="utf-8")
    print(done.stdout, end="")
    print(done.stderr, end="")
    return done


@dag(
    dag_id="wardbrief_city",
    schedule=CronTriggerTimetable("0 16 * * 5", timezone=TIME_ZONE),
    start_date=pendulum.datetime(2026, 1, 2, tz=TIME_ZONE),
    catchup=False,
    max_active_runs=1,
    tags=["wardbrief"],
    params={
        "registry": Param("wards.csv", type="string", description="the ward registry (CSV)"),
        "as_of": Param(None, type=["null", "string"], format="date",
                       description="as-of date; empty: the run's logical date"),
        "period_start": Param(None, type=["null", "string"], format="date",
                              description="first day of the period; empty: as-of − 6 days"),
        "report": Param("weekly_briefing", type="string", description="each ward's report"),
        "out": Param("outputs/city", type="string", description="the city's outputs"),
    },
)
def wardbrief_city() -> None:
    @task
    def wards() -> list[str]:
        params = get_current_context()["params"]
        done = _wardbrief("city", "--registry", params["registry"], "--list")
        if done.returncode != 0:
            raise AirflowFailException(f"the registry cannot be read (exit {done.returncode})")
        return done.stdout.split()

    @task(pool=POOL, retries=4, retry_delay=timedelta(minutes=1),
          retry_exponential_backoff=True, max_retry_delay=timedelta(minutes=16))
    def ward(code: str) -> None:
        done = _wardbrief(*_city_arguments(), "--only", code)
        if done.returncode == EXIT_SOURCE:
            raise AirflowException(f"{code}: the source cannot be read now (exit 2): retried")
        if done.returncode != 0:
            raise AirflowFailException(f"{code}: not briefed (exit {done.returncode})")

    @task(trigger_rule="all_done")
    def rollup() -> None:
        done = _wardbrief(*_city_arguments(), "--rollup-only")
        if done.returncode not in (0, EXIT_WARDS_NOT_BRIEFED):
            raise AirflowFailException(f"the roll-up failed (exit {done.returncode})")

    ward.expand(code=wards()) >> rollup()


wardbrief_city()
