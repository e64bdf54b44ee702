"""What each step loads at import: a briefing kernel given metrics.json needs neither
pandas nor matplotlib.
Each check runs in a fresh interpreter (this one has loaded everything already)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "matplotlib", "holidays", "nbformat", "weasyprint")


def loaded_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    code = (f"import json, sys\n{statement}\n"
            f"print(json.dumps([m for m in {list(modules)!r} if sys.modules.get(m)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_briefing_import_loads_no_engine_no_charts():
    assert loaded_after("import wardbrief.briefings.briefing", HEAVY) == []


def test_briefing_from_metrics_json_loads_no_pandas(tmp_path):
    metrics = tmp_path / "metrics.json"
    metrics.write_text(json.dumps({"as_of": "2026-11-27", "period_start": "2026-11-21",
                                   "cases": {"totals": {"received": 3}}}), encoding="utf-8")
    statement = ("from wardbrief.briefings.briefing import load_briefing\n"
                 f"b = load_briefing(metrics_path={str(metrics)!r})\n"
                 "assert b.metrics['cases']['totals']['received'] == 3")
    assert loaded_after(statement, ("pandas", "matplotlib")) == []


def test_chart_loads_matplotlib_when_drawn():
    statement = ("from wardbrief.briefings import charts\n"
                 "svg = charts.compliance_svg(['A'], [0.9], [True], 0.95)\n"
                 "assert b'<svg' in svg")
    assert loaded_after(statement, ("matplotlib",)) == ["matplotlib"]


def test_figures_exports_loads_no_pandas():
    assert loaded_after("from wardbrief.figures import exports", ("pandas",)) == []
    assert loaded_after("from wardbrief.figures import due_dates", ("pandas",)) == ["pandas"]


def test_formal_documents_and_periods_load_no_pandas():
    """The quarterly, six-month and year notebooks given metrics.json show
    wardbrief.briefings.report; the report periods are plain dates."""
    statement = "import wardbrief.briefings.report, wardbrief.figures.periods"
    assert loaded_after(statement, HEAVY) == []


def test_a_worker_building_a_report_from_metrics_loads_no_pandas(tmp_path):
    """A worker of a run gets a report's metrics from the run's process: writing its
    metrics.json and CSV twins, its reminders' and Word files need no pandas."""
    statement = (
        "from wardbrief.figures.metrics_files import write_metrics\n"
        "import wardbrief.run.build, wardbrief.run.extras, wardbrief.run.reports\n"
        f"written = write_metrics({{'departments': {{}}, 'cases': {{'by_department': {{}}, "
        f"'overdue_cases': [], 'late_cases': []}}, 'tasks': {{'items': []}}, "
        f"'data_issues': []}}, {str(tmp_path)!r})\n"
        "assert [p.name for p in written][:2] == ['metrics.json', 'departments.csv']")
    assert loaded_after(statement, ("pandas", "numpy")) == []
