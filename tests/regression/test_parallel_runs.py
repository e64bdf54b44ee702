"""`run all` builds its reports in forked workers (runner.build_workers): the same
outputs, progress told in the reports' order, a failing report does not stop the others."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from builders import TESTS
from wardbrief.publish import runner
from wardbrief.run import store

NOTEBOOKS = TESTS / "notebooks"
EXPECTED = json.loads((TESTS / "fixtures" / "messy.expected.json").read_text(encoding="utf-8"))
MESSY = TESTS / "fixtures" / "messy.xlsx"


def write_json(metrics: dict, out_dir: Path) -> list[Path]:
    path = out_dir / "metrics.json"
    path.write_text(json.dumps(metrics, ensure_ascii=False), encoding="utf-8")
    return [path]


def test_build_workers_one_per_core_at_most_the_jobs():
    assert runner.build_workers(1) == 1
    assert runner.build_workers(0) == 1
    assert 1 <= runner.build_workers(8) <= 8
    assert runner.build_workers(2) <= 2


def test_two_workers_publish_the_good_and_report_the_broken(tmp_path, capsys):
    reports = [runner.Report("weekly_briefing", NOTEBOOKS / "good.ipynb"),
               runner.Report("data_quality", NOTEBOOKS / "broken.ipynb"),
               runner.Report("monthly_report", NOTEBOOKS / "good.ipynb")]
    with store.run_lock(tmp_path):
        result = runner.run_reports(reports, lambda _r: copy.deepcopy(EXPECTED), str(MESSY),
                                    False, tmp_path, write_metrics=write_json, workers=2)
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


def test_both_processes_build_and_a_helper_that_dies_fails_only_its_report(
        tmp_path, capsys, monkeypatch):
    """This process builds beside its forked helper, taking from one queue; a helper
    killed in the middle of a build leaves that report failed, the others published."""
    import os
    import time

    parent = os.getpid()

    def fake_job(index: int) -> tuple[str, str, str | None, float]:
        if os.getpid() != parent:
            os._exit(3)  # the helper dies (out of memory, say)
        time.sleep(1.0)  # the helper has time to take a report
        return "ok", str(tmp_path), None, 1.0

    monkeypatch.setattr(runner, "_run_job", fake_job)
    monkeypatch.setattr(runner, "_forked_worker", lambda: None)  # no kernel needed
    reports = [runner.Report(name, NOTEBOOKS / "good.ipynb")
               for name in ("weekly_briefing", "monthly_report", "quarterly_report")]
    with store.run_lock(tmp_path):
        result = runner.run_reports(reports, lambda _r: copy.deepcopy(EXPECTED), str(MESSY),
                                    False, tmp_path, write_metrics=write_json, workers=2)
    err = capsys.readouterr().err
    assert len(result.failed) == 1 and len(result.published) == 2
    [name] = result.failed
    assert f"{name}: the process building it stopped" in err


def test_each_process_computes_the_metrics_of_the_reports_it_takes(tmp_path, capsys):
    """The first report's metrics (in the build order) are computed before the helper is
    forked, here; the others where they are built, so that the periods are computed on
    both cores; a report whose metrics fail is told as such, the others published."""
    import os

    here = os.getpid()
    reports = [runner.Report(name, NOTEBOOKS / "good.ipynb")
               for name in ("weekly_briefing", "department_reminders", "monthly_report",
                            "year_report")]

    def metrics_for(report: runner.Report) -> dict:
        if report.name == "year_report":
            raise ValueError("kỳ hỏng")
        return {**copy.deepcopy(EXPECTED), "computed_by": os.getpid()}

    with store.run_lock(tmp_path):
        result = runner.run_reports(reports, metrics_for, str(MESSY), False, tmp_path,
                                    write_metrics=write_json, workers=2)
    out, err = capsys.readouterr()
    assert "[4/4] year_report … FAILED after" in out
    assert sorted(result.published) == ["department_reminders", "monthly_report",
                                        "weekly_briefing"]
    assert "year_report: metrics: ValueError: kỳ hỏng" in err
    by = {name: json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["computed_by"]
          for name, folder in result.published.items()}
    assert by["department_reminders"] == here  # first in runner.BUILD_ORDER
    assert set(by.values()) - {here}  # the helper computed what it took
