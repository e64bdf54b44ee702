"""metrics.json and its CSV twins written to a folder: what every report's folder holds
beside the report. Only the metrics are needed (no pandas: a worker of the run that
builds a report from metrics made by another process does not load it).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from wardbrief.figures import exports


def metrics_json(metrics: dict[str, Any]) -> str:
    """Strict JSON (no NaN / Infinity: JSON.parse and every other reader accept it)."""
    return json.dumps(metrics, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_metrics(metrics: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Write metrics.json and its CSV twins (UTF-8 with BOM, for Excel)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "metrics.json"]
    written[0].write_text(metrics_json(metrics), encoding="utf-8")
    for name, rows in csv_tables(metrics).items():
        written.append(_write_csv(out / name, rows))
    return written


def csv_tables(metrics: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """The CSV twins: the tables of exports.TABLES, a header row then one row per item."""
    dept = metrics["departments"]
    items: dict[str, list[dict[str, Any]]] = {
        "departments.csv": [{"code": code, **dept.get(code, {}), **figures}
                            for code, figures in metrics["cases"]["by_department"].items()],
        "accountability.csv": [{"kind": exports.ACCOUNTABILITY_KINDS[kind], **case}
                               for kind, name in (("overdue", "overdue_cases"),
                                                  ("late", "late_cases"))
                               for case in metrics["cases"][name]],
        "tasks.csv": metrics["tasks"]["items"],
        "data_issues.csv": metrics["data_issues"],
    }
    return {name: [[c.header for c in columns]]
            + [[exports.shown(c, item) for c in columns] for item in items[name]]
            for name, columns in exports.TABLES.items()}


def _write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(["" if v is None else _csv_cell(v) for v in row])
    return path


def _csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return value
