"""Snapshots: every pull of a remote sheet is kept as JSON under `outputs/_snapshots/`.

A snapshot is what the report was built from (its fingerprint is the one in
metrics.json), and the fallback when the sheet cannot be reached (`allow_stale`).

File name: `<UTC timestamp>-<first 12 hex digits of the fingerprint>.json`, body:

    {"schema": "wardbrief.snapshot/1", "kind": "gsheet", "location": "<URL>",
     "spreadsheet_id": "<key>", "taken_at": "2026-11-27T01:02:03+00:00",
     "fingerprint": "sha256:…", "sheet_ids": {"PhanAnh": 0, …},
     "locale": "vi_VN", "time_zone": "Asia/Ho_Chi_Minh",
     "tabs": {"PhanAnh": [[cell, …], …], …}}

Cells are JSON values; a date is `{"$date": "2026-11-27"}`, a datetime
`{"$datetime": "2026-11-27T08:30:00"}` (a Google Sheet yields serial numbers, a
local workbook dates: both round-trip).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wardbrief.read.sources.base import Cell, RawWorkbook, Rows, fingerprint_tabs
from wardbrief.read.sources.sheet_locale import set_locale

SCHEMA = "wardbrief.snapshot/1"
log = logging.getLogger(__name__)


def encode_cell(cell: Cell) -> Any:
    if isinstance(cell, dt.datetime):
        return {"$datetime": cell.isoformat()}
    if isinstance(cell, dt.date):
        return {"$date": cell.isoformat()}
    if cell is None or isinstance(cell, (str, int, float, bool)):
        return cell
    return str(cell)


def decode_cell(value: Any) -> Cell:
    if isinstance(value, dict):
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
    return value


def snapshot_name(taken_at: dt.datetime, fingerprint: str) -> str:
    stamp = taken_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{fingerprint.removeprefix('sha256:')[:12]}.json"


def save_snapshot(
    raw: RawWorkbook,
    snapshot_dir: Path,
    *,
    spreadsheet_id: str | None = None,
    sheet_ids: dict[str, int] | None = None,
) -> Path:
    """Write `raw` as a snapshot (atomically: a reader never sees half a file)."""
    taken_at = raw.taken_at or dt.datetime.now(dt.UTC)
    body = {
        "schema": SCHEMA,
        "kind": raw.kind,
        "location": raw.location,
        "spreadsheet_id": spreadsheet_id,
        "taken_at": taken_at.isoformat(),
        "fingerprint": raw.fingerprint,
        "sheet_ids": sheet_ids or {},
        "locale": raw.locale,
        "time_zone": raw.time_zone,
        "tabs": {title: [[encode_cell(c) for c in row] for row in rows]
                 for title, rows in raw.tabs.items()},
    }
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    target = snapshot_dir / snapshot_name(taken_at, raw.fingerprint)
    fd, tmp = tempfile.mkstemp(dir=snapshot_dir, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(body, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


@dataclass
class Snapshot:
    path: Path
    raw: RawWorkbook  # stale=True: it is not the live sheet
    spreadsheet_id: str | None
    sheet_ids: dict[str, int]


def load_snapshot(path: Path) -> Snapshot:
    """Read one snapshot; ValueError when it is not one or its cells do not match its print."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a readable snapshot: {exc}") from exc
    if not isinstance(body, dict) or body.get("schema") != SCHEMA:
        raise ValueError(f"{path} is not a {SCHEMA} file")
    tabs: dict[str, Rows] = {
        title: [[decode_cell(c) for c in row] for row in rows]
        for title, rows in body["tabs"].items()
    }
    fingerprint = fingerprint_tabs(tabs)
    if fingerprint != body.get("fingerprint"):
        raise ValueError(f"{path} is damaged: its cells do not match its fingerprint")
    raw = RawWorkbook(
        kind=body["kind"],
        location=body["location"],
        tabs=tabs,
        fingerprint=fingerprint,
        taken_at=dt.datetime.fromisoformat(body["taken_at"]),
        stale=True,
    )
    set_locale(raw, body.get("locale"), body.get("time_zone"))  # the sheet's when taken
    return Snapshot(path, raw, body.get("spreadsheet_id"), dict(body.get("sheet_ids") or {}))


def iter_snapshots(snapshot_dir: Path) -> Iterator[Snapshot]:
    """Every readable snapshot in the folder (damaged ones are logged and skipped)."""
    if not snapshot_dir.is_dir():
        return
    for path in sorted(snapshot_dir.glob("*.json")):
        try:
            yield load_snapshot(path)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("skipping snapshot %s: %s", path, exc)


def latest_snapshot(
    snapshot_dir: Path, *, spreadsheet_id: str | None = None, location: str | None = None
) -> Snapshot | None:
    """The newest snapshot (by taken_at) of the spreadsheet with that id (or location)."""
    best: Snapshot | None = None
    for snap in iter_snapshots(snapshot_dir):
        if spreadsheet_id is not None and snap.spreadsheet_id != spreadsheet_id:
            continue
        if location is not None and snap.raw.location != location:
            continue
        if best is None or _taken(snap) > _taken(best):
            best = snap
    return best


def _taken(snap: Snapshot) -> dt.datetime:
    taken = snap.raw.taken_at or dt.datetime.min.replace(tzinfo=dt.UTC)
    return taken if taken.tzinfo else taken.replace(tzinfo=dt.UTC)
