"""Every Vietnamese word a reader sees, read from the words beside the templates.

`templates/wardbrief/words/` holds them: `glossary.toml`, the terms every report uses
for the same thing (report titles, figures, periods, task states, channels: GLOSSARY.md),
and one file per report with its own sentences (`weekly_briefing.toml`,
`formal_report.toml` for the monthly and longer reports, `department_reminders.toml`,
`data_quality.toml`), the e-mails' (`mail.toml`) and the tracking tabs' (`tracking.toml`).
A ward that words things differently changes them there; the code only refers to them
by their key (`labels.MONTHLY_CLOSING`) and fills in the `{names}`.

TOML arrays are read as tuples. A key is in one file only. Only what is built from the
one declaration of the exported columns and their words (`figures.exports`) is written
here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

from wardbrief.figures import exports
from wardbrief.paths import TEMPLATE_NAME, TEMPLATES_DIR

WORDS_DIR = TEMPLATES_DIR / TEMPLATE_NAME / "words"
WORD_FILES = ("glossary", "weekly_briefing", "formal_report", "department_reminders",
              "data_quality", "mail", "tracking")


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


def read_words() -> dict[str, dict[str, Any]]:
    """Each words file's keys and values, by file name."""
    out = {}
    for name in WORD_FILES:
        with open(WORDS_DIR / f"{name}.toml", "rb") as handle:
            out[name] = {k: _frozen(v) for k, v in tomllib.load(handle).items()}
    return out


def _all_words() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name, words in read_words().items():
        twice = sorted(set(words) & set(merged))
        if twice:
            raise ValueError(f"words/{name}.toml: {', '.join(twice)} already in another file")
        merged.update(words)
    return merged


globals().update(_all_words())

# --- built from the exported columns and their words (figures.exports: one declaration)

ACCOUNTABILITY_COLUMNS: dict[str, str] = exports.headers(
    exports.ACCOUNTABILITY_COLUMNS, "case_id", "department_name", "head", "due", "responded",
    "working_days_late", "summary")
ACCOUNTABILITY_COUNT_COLUMNS: dict[str, str] = {
    "name": exports.header(exports.ACCOUNTABILITY_COLUMNS, "department_name"),
    "head": exports.header(exports.ACCOUNTABILITY_COLUMNS, "head"),
    "unanswered": "Chưa trả lời, quá hạn",
    "late": "Trả lời trễ hạn",
    "longest": "Quá hạn lâu nhất (ngày làm việc)",
}
DEPARTMENT_COLUMNS: dict[str, str] = {
    exports.RANK_COLUMN.key: exports.RANK_COLUMN.header,
    **exports.headers(exports.DEPARTMENT_COLUMNS, "name", "received", "resolved",
                      "resolved_on_time", "resolved_late", "open", "open_overdue",
                      "on_time_rate", "compliance_rate", "avg_working_days"),
}
TASK_BUCKETS: dict[str, str] = {
    **exports.TASK_BUCKET_WORDS,
    "blocked": "Vướng mắc, tạm dừng",
    "due_soon": "Sắp đến hạn",
}
TASK_COLUMNS: dict[str, str] = {
    **exports.headers(exports.TASK_COLUMNS, "task_id", "content", "lead", "due", "progress",
                      "bucket"),
    exports.TASK_NOTE_COLUMN.key: exports.TASK_NOTE_COLUMN.header,
}
SEVERITY_SHORT: dict[str, str] = exports.SEVERITY_WORDS
ISSUE_COLUMNS: dict[str, str] = {
    "sheet": exports.header(exports.ISSUE_COLUMNS, "sheet_title"),
    **exports.headers(exports.ISSUE_COLUMNS, "row", "cell"),
    "column": exports.header(exports.ISSUE_COLUMNS, "header"),
    **exports.headers(exports.ISSUE_COLUMNS, "message", "link")}
TRACKING_STATES: dict[str, str] = exports.STATE_WORDS


def demo_mark(metrics: Mapping[str, Any]) -> str | None:
    """DEMO_MARK for metrics made from the synthetic sample (`demo`; `source.demo` in a
    metrics.json written before `demo` was), else None."""
    demo = metrics.get("demo") or (metrics.get("source") or {}).get("demo")
    return DEMO_MARK if demo else None  # type: ignore[name-defined]  # noqa: F821 (a word)
