"""`run all` with `--jobs 2`: this process and a worker (wardbrief.processes.Tasks) build
the reports: the same outputs, progress told in the reports' order, a failing report
(or a worker that dies) does not stop the others."""

from __future__ import annotations

import copy
import json
import os
import re
import time
from pathlib import Path

from builders import TESTS
from wardbrief.run import registry, reports, store

NOTEBOOKS = TESTS / "notebooks"
EXPECTED = json.loads((TESTS / "fixtures" / "messy.expected.json").read_text(encoding="utf-8"))
MESSY = TESTS / "fixtures" / "messy.xlsx"


def write_json(metrics: dict, out_dir: Path) -> list[Path]:
    path = out_dir / "metrics.json"
    path.write_text(json.dumps(metrics, ensure_ascii=False), encoding="utf-8")
    return [path]


def die_in_a_worker(metrics: dict, out_dir: Path) -> list[Path]:
    """write_metrics of a report built by a worker that dies (out of memory, say). This
    process builds nothing until the worker has taken a report and died (else, on a busy
    machine, it could build them all before the worker starts)."""
    died = Path(metrics["died"])
    if os.getpid() != metrics["run_by"]:
        died.touch()
        os._exit(3)
    deadline = time.monotonic() + 600  # against a hang only: the worker takes a report
    while not died.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return write_json(metrics, out_dir)


def test_two_workers_publish_the_good_and_report_the_broken(tmp_path, capsys):
    built = [registry.Report("weekly_briefing", NOTEBOOKS / "good.ipynb"),
             registry.Report("data_quality", NOTEBOOKS / "broken.ipynb"),
             registry.Report("monthly_report", NOTEBOOKS / "good.ipynb")]
    with store.run_lock(tmp_path):
        result = reports.run_reports(built, lambda _r: copy.deepcopy(EXPECTED), str(MESSY),
                                     False, tmp_path, write_metrics=write_json, jobs=2)
    out, err = capsys.readouterr()
    assert sorted(result.published) == ["monthly_report", "weekly_briefing"]
    assert list(result.failed) == ["data_quality"]
    for name, folder in result.published.items():
        assert folder == tmp_path / EXPECTED["as_of"] / name
        assert (folder / "report.pdf").read_bytes()[:5] == b"%PDF-"
    progress = re.findall(r"^\[(\d)/3\] (\w+) … (done in|FAILED after)", out, re.MULTILINE)
    assert progress == [("1", "weekly_briefing", "done in"), ("2", "data_quality", "FAILED after"),
                        ("3", "monthly_report", "done in")]
    assert err.startswith("data_quality: cell In [4] ") and "(executed notebook: " in err
    kept = result.failed["data_quality"].kept
    assert kept is not None and kept.is_file() and kept.parent == tmp_path / "_failed"
    assert not list(tmp_path.glob(".staging-*"))
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "weekly_briefing/report.html" in index and "data_quality/report.html" not in index


def test_a_worker_that_dies_fails_only_the_report_it_held(tmp_path, capsys):
    """This process builds beside its worker; a worker killed in the middle of a build
    leaves that report failed, and the reports left are built here."""
    built = [registry.Report(name, NOTEBOOKS / "good.ipynb")
             for name in ("weekly_briefing", "monthly_report", "quarterly_report")]
    with store.run_lock(tmp_path):
        result = reports.run_reports(built, lambda _r: {**copy.deepcopy(EXPECTED),
                                                       "run_by": os.getpid(),
                                                       "died": str(tmp_path / "died")},
                                     str(MESSY), False, tmp_path, write_metrics=die_in_a_worker,
                                     jobs=2)
    err = capsys.readouterr().err
    assert len(result.failed) == 1 and len(result.published) == 2
    [name] = result.failed
    assert f"{name}: tiến trình làm việc đã dừng (mã 3)" in err
    assert not list(tmp_path.glob(".staging-*"))


def test_the_metrics_are_computed_here_as_the_reports_are_handed_out(tmp_path, capsys):
    """Each report's metrics are computed in this process, in the build order (the
    longest report first), its pieces handed out as soon as they are; a report whose
    metrics fail is told as such, the others published."""
    here = os.getpid()
    asked: list[str] = []
    built = [registry.Report(name, NOTEBOOKS / "good.ipynb")
             for name in ("weekly_briefing", "department_reminders", "monthly_report",
                          "year_report")]

    def metrics_for(report: registry.Report) -> dict:
        asked.append(report.name)
        if report.name == "year_report":
            raise ValueError("kỳ hỏng")
        return {**copy.deepcopy(EXPECTED), "computed_by": os.getpid()}

    with store.run_lock(tmp_path):
        result = reports.run_reports(built, metrics_for, str(MESSY), False, tmp_path,
                                     write_metrics=write_json, jobs=2)
    out, err = capsys.readouterr()
    assert asked == ["department_reminders", "weekly_briefing", "monthly_report", "year_report"]
    assert "[4/4] year_report … FAILED after" in out
    assert sorted(result.published) == ["department_reminders", "monthly_report",
                                        "weekly_briefing"]
    assert "year_report: metrics: ValueError: kỳ hỏng" in err
    by = {name: json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["computed_by"]
          for name, folder in result.published.items()}
    assert set(by.values()) == {here}
