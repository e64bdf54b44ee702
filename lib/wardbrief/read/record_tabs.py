"""The tabs of records (contract section 2): PhanAnh (cases), NhiemVu (tasks) and
TruyenThong (posts), each validated column-wise: a row is valid or rejected with one
error, the first reason winning; warnings keep it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wardbrief.read import schema
from wardbrief.read.cells import (
    TextColumn,
    cell_text,
    distinct,
    id_text,
    spread,
)
from wardbrief.read.dates import parse_dates
from wardbrief.read.reference_tabs import (
    Settings,
    intake_channel,
    normalize_channel,
    resolve_departments,
)
from wardbrief.read.tables import (
    IssueLog,
    Table,
    keys_of,
    month_first_notice,
    readable,
)

CASE_DATES = ("received", "assigned", "due_explicit", "extended_to", "responded")
TASK_DATES = ("assigned", "due", "completed")




# --------------------------------------------------------------------------------------
# PhanAnh
# --------------------------------------------------------------------------------------
def _unreadable_date_warnings(table: Table, log: IssueLog, fields: tuple[str, ...],
                              valid: pd.Series) -> dict[str, pd.Series]:
    parsed: dict[str, pd.Series] = {}
    for name in fields:
        month_first_notice(table, log, name)
        dates = parse_dates(table.data[f"{name}__raw"], log.dates)
        log.rows(table, dates.unreadable & valid, name, "warning", "date_unreadable")
        parsed[name] = dates.values
    return parsed


def _first_error(table: Table, log: IssueLog, reasons: list[tuple[pd.Series, str, str]],
                 per_row: dict[str, pd.Series] | None = None) -> pd.Series:
    """Reject each row for its first reason; returns the mask of valid rows. `per_row`
    values are there for the messages that name them (see IssueLog.rows)."""
    rejected = pd.Series(False, index=table.data.index)
    for mask, field_name, message in reasons:
        hit = mask & ~rejected
        log.rows(table, hit, field_name, "error", message, per_row=per_row)
        rejected |= hit
    return ~rejected


def _valid_rows(frame: pd.DataFrame, valid: pd.Series) -> pd.DataFrame:
    """The valid rows, numbered from 0 (all of them without a copy when none is rejected)."""
    keep = valid.to_numpy(dtype=bool)
    return (frame if keep.all() else frame[keep]).reset_index(drop=True)


def first_rows(groups: np.ndarray, sheet_rows: pd.Series) -> pd.Series:
    """For each row, the spreadsheet row of the first row of its id group (cells.id_text;
    blank ids, group -1: 0)."""
    rows = sheet_rows.to_numpy().astype(int)
    present, first_at = np.unique(groups, return_index=True)  # each group's first row
    first = np.zeros(int(present.max(initial=-1)) + 2, dtype=int)  # the last, for -1, stays 0
    keep = present >= 0
    first[present[keep]] = rows[first_at[keep]]
    return pd.Series(first[groups], index=sheet_rows.index, copy=False)


def _status_kind(status_key: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(returned, answered, unknown) masks for status keys (decided per distinct key)."""
    codes, keys = distinct(status_key)
    text = keys.fillna("").astype(str)
    pattern = "|".join(schema.RETURNED_SUBSTRINGS)
    returned = text.str.contains(pattern, regex=True) | text.isin(schema.RETURNED_EXACT)
    answered = text.isin(schema.ANSWERED_STATUSES)
    unknown = ~returned & ~answered & ~text.isin(schema.OPEN_STATUSES)
    index = status_key.index
    return (spread(codes, returned, False, index).astype(bool),
            spread(codes, answered, False, index).astype(bool),
            spread(codes, unknown, False, index).astype(bool))


def _id_rules(groups: np.ndarray, field: str, sheet_rows: pd.Series
              ) -> tuple[list[tuple[pd.Series, str, str]], pd.Series]:
    """The contract's two id errors, in order: blank, then seen on an earlier row (the
    first one stands), from each row's id group (cells.id_text). Messages
    `<field>_blank` / `<field>_duplicate`; with them, each row's first_rows (the row its
    id was first seen on, for the duplicate's message)."""
    index = sheet_rows.index
    blank = pd.Series(groups < 0, index=index, copy=False)
    repeated = pd.Series(groups, index=index, copy=False).duplicated(keep="first") & ~blank
    if repeated.any():
        first = first_rows(groups, sheet_rows)
    else:  # every id once: each row is its own first
        first = pd.Series(np.where(blank.to_numpy(), 0, sheet_rows.to_numpy().astype(int)),
                          index=index, copy=False)
    return [(blank, field, f"{field}_blank"), (repeated, field, f"{field}_duplicate")], first


def read_cases(table: Table, log: IssueLog, lookup: dict[str, str],
                categories: pd.DataFrame, settings: Settings, reporter: TextColumn
                ) -> tuple[pd.DataFrame, list[str]]:
    """The valid cases, and the reporters they name (in row order, for masking);
    `reporter` is the table's `Người phản ánh` column, read already.

    Each text column is decided once per distinct cell (cells.TextColumn) and spread over
    the rows once: a million cases hold a few hundred distinct categories, areas,
    departments, statuses, ratings and channels."""
    if not readable(table, log):
        table = table.without_rows()
        reporter = TextColumn(table.data["reporter__raw"])
    d = table.data
    case_id, case_id_groups = id_text(d["case_id__raw"])
    month_first_notice(table, log, "received")
    received = parse_dates(d["received__raw"], log.dates)
    id_rules, first_row = _id_rules(case_id_groups, "case_id", d["sheet_row"])
    valid = _first_error(table, log, [
        *id_rules,
        (received.blank, "received", "received_blank"),
        (received.unreadable, "received", "received_unreadable"),
    ], per_row={"first_row": first_row})
    dates = _unreadable_date_warnings(
        table, log, ("assigned", "due_explicit", "extended_to", "responded"), valid)

    category = TextColumn(d["category__raw"])
    limits = dict(zip(categories["key"], categories["limit"]))
    unknown_category = category.text.notna() & ~category.keys.isin(list(limits))
    log.rows(table, valid & category.rows(unknown_category, False), "category", "warning",
             "category_unknown")
    default_limit = float(settings.default_limit)
    limit = category.keys.map(limits).astype(float).fillna(default_limit)
    canonical = dict(zip(categories["key"], categories["name"]))
    category_name = category.keys.map(canonical).astype(object).fillna(
        category.first_spellings())

    area = TextColumn(d["area__raw"])
    department = TextColumn(d["department__raw"])
    code, unresolvable = resolve_departments(department.text, department.keys, lookup)
    log.rows(table, valid & department.rows(unresolvable, False), "department", "warning",
             "department_unknown")

    responded = dates["responded"]
    early = valid & (responded < received.values)
    log.rows(table, early, "responded", "warning", "responded_before_received",
             shown=responded[early].dt.strftime("%d/%m/%Y"))  # the flagged rows' dates only
    status = TextColumn(d["status__raw"])
    returned, answered, unknown = _status_kind(status.keys)
    log.rows(table, valid & status.rows(answered, False) & responded.isna(), "status",
             "warning", "answered_without_date")
    log.rows(table, valid & status.rows(unknown, False), "status", "warning",
             "status_unknown")
    rating = TextColumn(d["rating__raw"])
    odd_rating = rating.text.notna() & ~rating.keys.isin([schema.RATING_SATISFIED,
                                                           schema.RATING_NOT_SATISFIED])
    log.rows(table, valid & rating.rows(odd_rating, False), "rating", "info",
             "rating_unknown")

    channel = TextColumn(d["channel__raw"])
    cases = pd.DataFrame({
        "case_id": case_id,
        "sheet_row": d["sheet_row"],
        "received": received.values,
        "channel": channel.row_text(),
        "intake": channel.rows(intake_channel(channel.keys), "unknown"),
        "category": category.row_text(),
        # the LinhVuc spelling, else the first one seen
        "category_name": category.rows(category_name, np.nan),
        "summary": cell_text(d["summary__raw"]),
        "reporter": reporter.row_text(),
        "phone": cell_text(d["phone__raw"]),
        "area": area.rows(area.first_spellings(), np.nan),  # one spelling per key
        "department": department.rows(code, schema.UNASSIGNED),
        "assigned": dates["assigned"],
        "due_explicit": dates["due_explicit"],
        "extended_to": dates["extended_to"],
        "responded": responded,
        "status": status.row_text(),
        "rating": rating.row_text(),
        "satisfied": rating.rows(rating.keys.eq(schema.RATING_SATISFIED), False),
        "returned": status.rows(returned, False),
        "limit_days": category.rows(limit, default_limit).astype(int),
    }, copy=False)  # the columns as made, not copied again into one block per type
    keep = valid.to_numpy(dtype=bool)
    return _valid_rows(cases, valid), reporter.texts_in_row_order(keep)


# --------------------------------------------------------------------------------------
# NhiemVu and TruyenThong
# --------------------------------------------------------------------------------------
def parse_progress(column: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Progress in percent: 60, '60%', 0.6 all mean 60.

    Returns (percent, unreadable, out of range): a number outside 0-100 is readable
    (no contract warning) but implausible, and is not used."""
    text = cell_text(column)
    has_percent = text.fillna("").str.endswith("%")
    numbers = text.fillna("").str.rstrip("%").str.strip().str.replace(",", ".", regex=False)
    value = pd.to_numeric(numbers, errors="coerce")
    fraction = ~has_percent & value.between(0, 1, inclusive="both") & (value < 1)
    value = value.where(~fraction, value * 100)
    unreadable = text.notna() & value.isna()
    out_of_range = value.notna() & ((value < 0) | (value > 100))
    return value.where(~out_of_range), unreadable, out_of_range


def read_tasks(table: Table, log: IssueLog, lookup: dict[str, str]) -> pd.DataFrame:
    if not readable(table, log):
        table = table.without_rows()
    d = table.data
    task_id, task_id_groups = id_text(d["task_id__raw"])
    content = cell_text(d["content__raw"])
    id_rules, first_row = _id_rules(task_id_groups, "task_id", d["sheet_row"])
    valid = _first_error(table, log, [
        *id_rules,
        (content.isna(), "content", "content_blank"),
    ], per_row={"first_row": first_row})
    dates = _unreadable_date_warnings(table, log, ("assigned", "due", "completed"), valid)
    progress, bad_progress, odd_progress = parse_progress(d["progress__raw"])
    log.rows(table, valid & bad_progress, "progress", "warning", "progress_unreadable")
    log.rows(table, valid & odd_progress, "progress", "info", "progress_out_of_range")
    lead, lead_bad = resolve_departments(cell_text(d["lead__raw"]), None, lookup)
    log.rows(table, valid & lead_bad, "lead", "warning", "department_unknown")
    support_text = cell_text(d["support__raw"])
    parts = support_text.str.split(";").explode().str.strip()
    parts = parts[parts.notna() & parts.ne("")]
    part_code, part_bad = resolve_departments(parts, None, lookup)
    bad_rows = part_bad.groupby(level=0).any().reindex(d.index, fill_value=False)
    log.rows(table, valid & bad_rows, "support", "warning", "support_unknown")
    support = part_code[~part_bad].groupby(level=0).agg(list).reindex(d.index)
    status = cell_text(d["status__raw"])
    status_key = keys_of(status).fillna("")
    blocked = status_key.str.contains("|".join(schema.BLOCKED_SUBSTRINGS), regex=True)
    tasks = pd.DataFrame({
        "task_id": task_id,
        "sheet_row": d["sheet_row"],
        "content": content,
        "group": cell_text(d["group__raw"]),
        "basis": cell_text(d["basis__raw"]),
        "lead": lead,
        "support": support.map(lambda v: v if isinstance(v, list) else []),
        "assigned": dates["assigned"],
        "due": dates["due"],
        "progress": progress,
        "completed": dates["completed"],
        "status": status,
        "blocked": blocked.astype(bool),
    })
    return _valid_rows(tasks, valid)


def read_posts(table: Table, log: IssueLog, lookup: dict[str, str]) -> pd.DataFrame:
    if not readable(table, log):
        table = table.without_rows()
    d = table.data
    month_first_notice(table, log, "date")
    date = parse_dates(d["date__raw"], log.dates)
    valid = _first_error(table, log, [
        (date.blank, "date", "post_date_blank"),
        (date.unreadable, "date", "post_date_unreadable"),
    ])
    department, bad = resolve_departments(cell_text(d["department__raw"]), None, lookup)
    log.rows(table, valid & bad, "department", "warning", "department_unknown")
    channel_text = cell_text(d["channel__raw"])
    posts = pd.DataFrame({
        "sheet_row": d["sheet_row"],
        "date": date.values,
        "channel": normalize_channel(keys_of(channel_text)),
        "channel_text": channel_text,
        "department": department,
        "title": cell_text(d["title__raw"]),
        "link": cell_text(d["link__raw"]),
    })
    return _valid_rows(posts, valid)
