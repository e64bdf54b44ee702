"""`outputs/_sent.jsonl`: what was e-mailed, to whom, built from what, with which figures.

One JSON line per step of a message (wardbrief.publish.mail): its key (report, period,
part, recipient), `state`, the Message-ID, the report's fingerprint (what it was built
from: figures.fingerprints) with its `inputs` one by one, and `figures`, the summary of
the figures the reader got (`figure_summary`). A report is sent again only when its
fingerprint changed; the replacement then says what changed (`changed`): the figures
that differ from the ones sent, or, when none does, which input changed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wardbrief.publish.mail import Delivery

NOTICE = "_notice"
REMINDERS = "department_reminders"
DATA_QUALITY = "data_quality"

# The figures a summary keeps: (key in the summary, where in metrics.json).
CASE_FIGURES = ("received", "resolved", "resolved_on_time", "resolved_late", "open",
                "open_overdue", "open_due_soon", "returned", "on_time_rate", "compliance_rate")
TASK_FIGURES = ("total", "done_on_time", "done_late", "in_progress", "overdue", "due_soon",
                "blocked")


def figure_summary(metrics: Mapping[str, Any], report: str, part: str = "") -> dict[str, Any]:
    """The figures of a message, as its reader got them: the period's case, task and post
    totals for a briefing; the department's open overdue and due-soon cases and tasks for
    its reminder; the errors and warnings for the data-quality list."""
    cases = metrics.get("cases") or {}
    tasks = metrics.get("tasks") or {}
    if report == DATA_QUALITY:
        issues = metrics.get("data_issues") or []
        return {f"issues.{severity}": sum(1 for i in issues if i.get("severity") == severity)
                for severity in ("error", "warning")}
    if report == REMINDERS:
        own = (cases.get("by_department") or {}).get(part) or {}
        lead = (tasks.get("by_department") or {}).get(part) or {}
        return {**{f"cases.{k}": own.get(k) for k in ("open_overdue", "open_due_soon")},
                **{f"tasks.{k}": lead.get(k) for k in ("overdue", "due_soon")}}
    totals = cases.get("totals") or {}
    task_totals = tasks.get("totals") or {}
    return {**{f"cases.{k}": totals.get(k) for k in CASE_FIGURES},
            "satisfaction": (metrics.get("satisfaction") or {}).get("rate"),
            **{f"tasks.{k}": task_totals.get(k) for k in TASK_FIGURES},
            "communications": (metrics.get("communications") or {}).get("total")}


def changed(previous: Mapping[str, Any], figures: Mapping[str, Any],
            inputs: Mapping[str, str]) -> tuple[list[tuple[str, Any, Any]], list[str]] | None:
    """What changed since the message `previous` (a log line): the figures that differ
    from those sent (key, sent, now) and the inputs that changed (rows of the period,
    settings, the report's template); None for a line written before the log kept them.
    `briefings.letters.changes_line` words it."""
    sent = previous.get("figures")
    if not isinstance(sent, Mapping):
        return None
    before = previous.get("inputs") or {}
    return ([(k, sent.get(k), v) for k, v in figures.items() if sent.get(k) != v],
            [name for name, value in inputs.items() if before.get(name) != value])


class SentLog:
    """`outputs/_sent.jsonl`: one JSON line per step of a message, `state` one of
    `sending` (written just before the message goes to the server), `sent` (accepted),
    `failed` (refused: sent again next time) or `uncertain` (a `sending` line that a crash
    left without its outcome: never sent again, the office is told)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._sent: dict[str, dict[str, Any]] = {}  # the last accepted message of a key
        self._latest: dict[str, dict[str, Any]] = {}  # the last line of a key, any state
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line cut by a crash
                if isinstance(record, dict) and isinstance(record.get("key"), dict):
                    self._remember(record)

    @staticmethod
    def _id(key: Mapping[str, str]) -> str:
        return json.dumps(key, sort_keys=True)

    def _remember(self, record: dict[str, Any]) -> None:
        if record["key"].get("report") == NOTICE:
            return
        ident = self._id(record["key"])
        self._latest[ident] = record
        if record.get("state", "sent") in ("sent", "uncertain"):
            self._sent[ident] = record

    def last(self, key: Mapping[str, str]) -> dict[str, Any] | None:
        """The last message of `key` that reached (or may have reached) its recipient."""
        return self._sent.get(self._id(key))

    def interrupted(self, key: Mapping[str, str], fingerprint: str) -> bool:
        """A crash fell between handing this message to the server and its outcome."""
        latest = self._latest.get(self._id(key))
        return (latest is not None and latest.get("state") == "sending"
                and latest.get("fingerprint") == fingerprint)

    def record(self, delivery: Delivery, message_id: str, state: str = "sent",
               reason: str | None = None, adopted: str | None = None) -> dict[str, Any]:
        """Append the line of one step of `delivery`; `adopted`: the whole sheet's
        fingerprint of a line written before the log kept each report's (the message
        sent then, recorded with the report's fingerprint, is not sent again)."""
        entry = {"key": delivery.key(), "state": state, "fingerprint": delivery.fingerprint,
                 "subject": delivery.subject, "message_id": message_id,
                 "attachments": [p.name for p in delivery.attachments],
                 "replaces": (delivery.replaces or {}).get("message_id"),
                 "sent_at": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        if delivery.inputs:
            entry["inputs"] = dict(delivery.inputs)
        if delivery.figures:
            entry["figures"] = dict(delivery.figures)
        if reason:
            entry["reason"] = reason
        if adopted:
            entry["adopted"] = adopted
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)  # one write of one line: appended whole
            os.fsync(fd)
        finally:
            os.close(fd)
        self._remember(entry)
        return entry
