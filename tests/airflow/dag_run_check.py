"""The Airflow DAG `wardbrief_city` run with `airflow dags test` on three wards writes the
same city.json as `wardbrief city`. Run by `make test-airflow` (after `make airflow` has
built .venv-airflow), not by `make test`: named so that pytest collects it only when
given it by name.

Airflow runs with SQLite in a temporary AIRFLOW_HOME, DAGS_FOLDER = dags/, and calls the
`wardbrief` of this environment (WARDBRIEF_COMMAND)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from builders import FIXTURES, REPO
from city_compare import city_differences

AIRFLOW = REPO / ".venv-airflow" / "bin" / "airflow"
WARDBRIEF = Path(sys.executable).parent / "wardbrief"
CONF = {"as_of": "2026-11-27", "period_start": "2026-11-01"}


def _registry(folder: Path) -> Path:
    sheets = FIXTURES / "city" / "sheets"
    path = folder / "wards.csv"
    path.write_text("code,name,source\n"
                    f"w03,Phường Đồ Sơn,{sheets / 'w03.xlsx'}\n"
                    f"w01,Xã Tiên Lãng,{sheets / 'w01.xlsx'}\n"
                    f"w04,Xã An Lão,{sheets / 'w04.xlsx'}\n", encoding="utf-8")
    return path


def _airflow(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([str(AIRFLOW), *args], env=env, capture_output=True, text=True,
                          check=False, encoding="utf-8")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def test_the_dag_writes_the_same_city_json_as_the_command(tmp_path):
    assert AIRFLOW.is_file(), "make airflow builds .venv-airflow"
    registry = _registry(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "WARDBRIEF_"))}
    env.update({
        "AIRFLOW_HOME": str(tmp_path / "airflow-home"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "WARDBRIEF_COMMAND": str(WARDBRIEF),
        "WARDBRIEF_CONFIG": str(tmp_path / "absent.toml"),
    })
    _airflow("db", "migrate", env=env)
    _airflow("pools", "set", "sheets_reads", "2", "Google Sheets reads", env=env)
    out_airflow = tmp_path / "airflow-out"
    conf = {**CONF, "registry": str(registry), "out": str(out_airflow)}
    run = _airflow("dags", "test", "wardbrief_city", "-c", json.dumps(conf), env=env)
    log = run.stdout + run.stderr
    # w04's sheet is refused (exit 1): failed once, not retried; the roll-up ran anyway
    assert "w04: not briefed (exit 1)" in log
    assert log.count("AirflowFailException: w04") == 1

    out_command = tmp_path / "command-out"
    done = subprocess.run([str(WARDBRIEF), "city", "--registry", str(registry), "--as-of",
                           CONF["as_of"], "--period-start", CONF["period_start"], "--out",
                           str(out_command), "--jobs", "2"], env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 6, done.stderr

    by_dag = json.loads((out_airflow / "city.json").read_text(encoding="utf-8"))
    by_command = json.loads((out_command / "city.json").read_text(encoding="utf-8"))
    assert city_differences(by_command, by_dag) == []
    assert by_dag == by_command  # every key, the extras too
    assert [w["code"] for w in by_dag["wards"]] == ["w01", "w03"]
    assert [w["code"] for w in by_dag["not_briefed"]] == ["w04"]
    assert (out_airflow / "2026-11-27" / "city_briefing" / "report.pdf").is_file()
