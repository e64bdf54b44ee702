"""The set-up files: the Makefile's report target, .ci/run, environment.yml."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from builders import REPO

FAKE_WARDBRIEF = """#!/usr/bin/env bash
# stands in for .venv/bin/wardbrief: records its arguments, `check` exits $CHECK_EXIT
echo "$*" >> "$CALLS"
if [ "$1" = check ]; then exit "${CHECK_EXIT:-0}"; fi
exit 0
"""


def run_make(tmp_path: Path, target: str, check_exit: int, *variables: str):
    fake = tmp_path / "wardbrief"
    fake.write_text(FAKE_WARDBRIEF)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    stamp = tmp_path / "installed"  # an up-to-date stamp: nothing is installed
    stamp.touch()
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "CHECK_EXIT": str(check_exit), "CALLS": str(calls)}
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), target, f"WARDBRIEF={fake}",
         f"STAMP={stamp}", "DEB_PACKAGES=", *variables],
        check=False, capture_output=True, text=True, env=env, timeout=60)
    lines = calls.read_text().splitlines() if calls.exists() else []
    return result, lines


@pytest.mark.parametrize("check_exit", [0, 1])
def test_report_is_built_when_the_check_passes_or_finds_data_errors(tmp_path, check_exit):
    result, calls = run_make(tmp_path, "report", check_exit, "SOURCE=some/sheet.xlsx",
                             "AS_OF=2026-11-27", "PERIOD_START=2026-11-01")
    assert result.returncode == 0, result.stderr
    assert calls[0] == "check --source some/sheet.xlsx"
    assert len(calls) == 2 and "--source some/sheet.xlsx" in calls[1]
    assert "--as-of 2026-11-27 --period-start 2026-11-01" in calls[1]
    assert "outputs/2026-11-27/" in result.stdout
    assert ("data errors" in result.stdout) == (check_exit == 1)


def test_report_stops_when_the_source_cannot_be_read(tmp_path):
    result, calls = run_make(tmp_path, "report", 2, "SOURCE=missing.xlsx")
    assert result.returncode != 0
    assert calls == ["check --source missing.xlsx"]


def test_default_source_and_period(tmp_path):
    result, calls = run_make(tmp_path, "metrics", 0)
    assert result.returncode == 0, result.stderr
    assert calls == [("metrics --source data/donghai-demo.xlsx --as-of 2026-11-27 "
                     "-o outputs/2026-11-27/metrics.json")]
    assert (REPO / "data" / "donghai-demo.xlsx").is_file()


def test_check_target_passes_the_exit_code_on(tmp_path):
    result, calls = run_make(tmp_path, "check", 1, "SOURCE=x.xlsx")
    assert result.returncode != 0
    assert calls == ["check --source x.xlsx"]


def test_ci_script_runs_make_test_from_the_repository_root():
    script = REPO / ".ci" / "run"
    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert re.search(r"^make test$", text, re.MULTILINE)


def _requirement_name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ]", spec.strip(), maxsplit=1)[0].lower()


def test_environment_yml_has_the_dependencies_of_pyproject():
    import yaml  # papermill's dependency

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = [s for specs in project["optional-dependencies"].values() for s in specs]
    wanted = {_requirement_name(s): s.replace(" ", "") for s in project["dependencies"] + extras}
    text = (REPO / "environment.yml").read_text()
    assert yaml.safe_load(text)["name"] == "wardbrief"  # a file conda can read (no merge marks)
    conda: dict[str, str] = {}
    pip: list[str] = []
    in_pip = False
    for line in text.splitlines():
        item = re.match(r"^(\s*)- (.+?)\s*(#.*)?$", line)
        if not item:
            continue
        indent, spec = len(item.group(1)), item.group(2)
        if spec == "pip:":
            in_pip = True
        elif in_pip and indent > 2:
            pip.append(spec)
        else:
            in_pip = False
            conda[_requirement_name(spec)] = spec.replace(" ", "")
    assert conda["python"] == "python=3.11"
    assert "-e ." in pip
    for name, spec in wanted.items():
        assert conda.get(name) == spec or any(_requirement_name(p) == name for p in pip), name
