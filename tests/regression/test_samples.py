"""The two sample workbooks (tests/fixtures, copied from the contract's samples) must
yield exactly their expected metrics.json: the figures are the contract's."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import FIXTURES
from metrics_compare import differences, issue_set
from wardbrief.figures.metrics import compute_metrics, load

AS_OF = dt.date(2026, 11, 27)
PERIOD_START = dt.date(2026, 11, 1)
SAMPLES = ["clean", "messy"]


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request):
    wb = load(FIXTURES / f"{request.param}.xlsx")
    return request.param, wb, compute_metrics(wb, AS_OF, PERIOD_START)


def test_every_contract_figure_equals_the_expected_file(sample):
    name, _, metrics = sample
    assert differences(expected(name), metrics) == []


def test_row_totals_equal_the_expected_file(sample):
    name, wb, _ = sample
    assert wb.rows == expected(name)["rows"]


def test_comparison_notices_a_wrong_figure(sample):
    name, _, metrics = sample
    changed = json.loads(json.dumps(metrics))
    changed["cases"]["totals"]["received"] += 1
    changed["cases"]["late_cases"] = changed["cases"]["late_cases"][::-1]
    changed["data_issues"] = changed["data_issues"][1:]
    diffs = differences(expected(name), changed)
    assert any(d.startswith("cases.totals.received") for d in diffs)
    assert any(d.startswith("cases.late_cases") for d in diffs) == (
        len(metrics["cases"]["late_cases"]) > 1)
    assert any(d.startswith("data_issues: missing") for d in diffs) == bool(
        metrics["data_issues"] and metrics["data_issues"][0]["severity"] != "info")


def test_messy_headline_figures():
    wb = load(FIXTURES / "messy.xlsx")
    totals = compute_metrics(wb, AS_OF, PERIOD_START)["cases"]["totals"]
    exp = expected("messy")["cases"]["totals"]
    assert (totals["received"], totals["resolved"], totals["open_overdue"]) == (
        exp["received"], exp["resolved"], exp["open_overdue"])


def _check_cli(path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", "check", "--source", str(path),
                           *extra],
                          check=False, capture_output=True, text=True, encoding="utf-8")


def _summary_start(doc: dict) -> str:
    severities = [i["severity"] for i in doc["data_issues"]]
    return f"{severities.count('error')} lỗi, {severities.count('warning')} cảnh báo"


def test_check_reports_exactly_the_expected_issues_of_messy():
    result = _check_cli(FIXTURES / "messy.xlsx", "--json")
    assert result.returncode == 1  # the sample has rejected rows
    assert issue_set({"data_issues": json.loads(result.stdout)}) == issue_set(expected("messy"))
    assert result.stderr.startswith(_summary_start(expected("messy")))


def test_check_table_names_sheet_row_and_column():
    result = _check_cli(FIXTURES / "messy.xlsx")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["Mức", "độ", "Trang"]
    row_239 = next(line for line in lines if " 239 " in line)
    assert row_239.split()[:3] == ["LỖI", "PhanAnh", "239"]
    assert "Ngày tiếp nhận" in row_239
    assert lines[-1].startswith(_summary_start(expected("messy")))
    # every tab by its title in the sheet, as staff see it
    assert "Nhiệm vụ 31/31 dòng hợp lệ, Truyền thông 86/88 dòng hợp lệ" in lines[-1]
    assert "trang DonVi" in result.stdout  # messy.xlsx titles its departments tab DonVi
    assert "trang LinhVuc" not in result.stdout and "trang Lĩnh vực" in result.stdout


def test_check_on_clean_exits_zero():
    result = _check_cli(FIXTURES / "clean.xlsx")
    assert result.returncode == 0
    assert result.stdout.strip().startswith("0 lỗi, 0 cảnh báo, 0 ghi chú")
