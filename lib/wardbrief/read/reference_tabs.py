"""The tabs the others refer to (contract section 2): DonVi (departments and the lookup of
their codes, names and aliases), LinhVuc, CauHinh (`Settings`), NgayNghi, ChiTieu, and the
channel rules of TruyenThong and of the intake."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from wardbrief.read import schema
from wardbrief.read.cells import (
    cell_text,
    distinct,
    one_cell_text,
    spread,
)
from wardbrief.read.dates import parse_dates
from wardbrief.read.messages import (
    DUE_SOON_DAYS,
    LIMIT_DAYS,
    MONTHLY_TARGET,
    TARGET_PERCENT,
)
from wardbrief.read.names import key
from wardbrief.read.tables import (
    IssueLog,
    Table,
    keys_of,
    month_first_notice,
    number_cell,
    whole_number,
)


def setting_default(name: str) -> str | int | float:
    return next(s.default for s in schema.SETTINGS if s.name == name)


@dataclass
class Settings:
    """The ward's `CauHinh` values; names, defaults and rules in schema.SETTINGS."""

    ward_name: str = str(setting_default("ward_name"))
    default_limit: int = int(setting_default("default_limit"))
    due_soon_days: int = int(setting_default("due_soon_days"))
    on_time_target: float = float(setting_default("on_time_target"))  # percent
    # CauHinh `Dữ liệu mẫu` (written by the synthetic workbook generator): the figures are
    # invented and every output carries the mark DỮ LIỆU MẪU.
    demo: bool = False
    cutoff_day: int = int(setting_default("cutoff_day"))  # NĐ 09/2019 Điều 12; 0 = calendar
    signer_name: str = str(setting_default("signer_name"))  # blank: a line is left for it
    signer_title: str = str(setting_default("signer_title"))
    doc_symbol: str = str(setting_default("doc_symbol"))  # after the number left blank


CUTOFF_MAX = 28  # every month has a 28th


def parse_cutoff_day(value: object) -> int | None:
    """`14`, `14.0`, `0`, `cuối tháng` (any case, with or without diacritics) -> the
    cut-off day of the reporting periods (0 = calendar months); None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, (int, float)):
        if key(str(value)) in ("cuoi thang", "ngay cuoi thang"):
            return 0
        try:
            value = float(str(value).strip().replace(",", "."))
        except ValueError:
            return None
    number = float(value)
    if not number.is_integer() or not 0 <= number <= CUTOFF_MAX:
        return None
    return int(number)






# --------------------------------------------------------------------------------------
# Departments and name resolution
# --------------------------------------------------------------------------------------
def read_departments(table: Table, log: IssueLog) -> tuple[pd.DataFrame, dict[str, str]]:
    d = table.data
    code = cell_text(d["code__raw"])
    code_key = keys_of(code)
    blank_code = code.isna()
    dup = code_key.duplicated(keep="first") & ~blank_code
    log.rows(table, blank_code, "code", "error", "code_blank")
    log.rows(table, dup, "code", "error", "code_duplicate")
    ok = ~blank_code & ~dup
    departments = pd.DataFrame({
        "code": code[ok],
        "name": cell_text(d["name__raw"])[ok],
        "head": cell_text(d["head__raw"])[ok],
        "aliases": cell_text(d["aliases__raw"])[ok],
        "email": cell_text(d["email__raw"])[ok],
    }).set_index("code")
    lookup: dict[str, str] = {}
    # Codes first, then names, then aliases: an earlier kind of name wins a clash.
    for kind in ("code", "name", "aliases"):
        for code_value, row in departments.iterrows():  # a handful of departments
            if kind == "code":
                names = [code_value]
            elif kind == "name":
                names = [row["name"]]
            else:
                aliases = row["aliases"]
                names = aliases.split(";") if isinstance(aliases, str) else []
            for name in names:
                k = key(name)
                if k:
                    lookup.setdefault(k, code_value)
    departments["name"] = departments["name"].astype(object).fillna(
        departments.index.to_series())
    return departments[["name", "head", "email"]], lookup


def resolve_departments(text: pd.Series, keys: pd.Series | None, lookup: dict[str, str]
             ) -> tuple[pd.Series, pd.Series]:
    """(department code or UNASSIGNED, unresolvable mask) for a column of references
    (`keys`: their keys_of, when known already)."""
    resolved = (keys_of(text) if keys is None else keys).map(lookup).astype(object)
    unresolvable = text.notna() & resolved.isna()
    return resolved.fillna(schema.UNASSIGNED).astype(object), unresolvable


# --------------------------------------------------------------------------------------
# Optional settings tabs
# --------------------------------------------------------------------------------------
def read_categories(table: Table, log: IssueLog, default_limit: int) -> pd.DataFrame:
    d = table.data
    name = cell_text(d["name__raw"])
    log.rows(table, name.isna(), "name", "warning", "category_blank")
    limit = d["limit__raw"].map(lambda cell: whole_number(cell, LIMIT_DAYS))
    bad_limit = name.notna() & limit.isna()
    log.rows(table, bad_limit, "limit", "warning", "limit_invalid", default=default_limit)
    cats = pd.DataFrame({"name": name, "key": keys_of(name), "limit": limit})[name.notna()]
    return cats.drop_duplicates("key", keep="first").reset_index(drop=True)


# The bounds of each rule (read.messages): a value outside is not used, the default stays.
RULE_BOUNDS: dict[str, tuple[int, int]] = {
    "positive_int": LIMIT_DAYS, "whole_number": DUE_SOON_DAYS, "percent": TARGET_PERCENT}


def _setting_value(rule: str, cell: object) -> str | int | float | None:
    """`Giá trị` read by its rule (schema.Setting.rule), or None when it cannot be."""
    if rule == "text":
        text = one_cell_text(cell)
        return text[:160] if text else None  # a ward name, not a 50 MB cell
    if rule == "flag":  # anything but blank, `Không`, `no`, `0` means yes
        return key(one_cell_text(cell) or "") not in schema.NOT_DEMO
    if rule in ("positive_int", "whole_number"):
        return whole_number(cell, RULE_BOUNDS[rule])
    if rule == "percent":
        number = number_cell(str(one_cell_text(cell) or "")[:40].rstrip("%").strip())
        if number is None or not TARGET_PERCENT[0] <= number <= TARGET_PERCENT[1]:
            return None
        return number * 100 if 0 < number <= 1 else number
    if rule == "cutoff_day":
        return parse_cutoff_day(cell)
    raise ValueError(f"unknown setting rule {rule!r}")


def read_settings(table: Table, log: IssueLog) -> Settings:
    settings = Settings()
    d = table.data
    params = keys_of(cell_text(d["param__raw"]))
    for pos in range(len(d)):  # a handful of rows
        setting = schema.SETTING_KEYS.get(params.iloc[pos])
        if setting is None:
            continue
        cell = d["value__raw"].iloc[pos]
        value = _setting_value(setting.rule, cell)
        if value is not None:
            setattr(settings, setting.name, value)
        elif setting.issue:
            default = getattr(settings, setting.name)
            log.add(table, "CauHinh", int(d["sheet_row"].iloc[pos]), "value", setting.severity,
                    log.text(setting.issue, one_cell_text(cell),
                             default=f"{default:g}" if isinstance(default, float) else default))
    return settings


def read_days_off(table: Table, log: IssueLog) -> tuple[list[dt.date], list[dt.date]]:
    d = table.data
    month_first_notice(table, log, "date")
    dates = parse_dates(d["date__raw"], log.dates)
    kind = keys_of(cell_text(d["kind__raw"]))
    bad_date = dates.values.isna()
    log.rows(table, dates.blank, "date", "warning", "day_blank")
    log.rows(table, dates.unreadable, "date", "warning", "day_unreadable")
    bad_kind = ~bad_date & ~kind.isin([schema.DAY_OFF, schema.MAKE_UP_DAY])
    log.rows(table, bad_kind, "kind", "warning", "day_kind_invalid")
    as_dates = dates.values.dt.date
    off = sorted(set(as_dates[~bad_date & kind.eq(schema.DAY_OFF)]))
    make_up = sorted(set(as_dates[~bad_date & kind.eq(schema.MAKE_UP_DAY)]))
    return off, make_up


def _first_rule(channel_keys: pd.Series, rules: tuple[tuple[str, tuple[str, ...]], ...],
                otherwise: str) -> pd.Series:
    """The name of the first rule one of whose substrings the key contains, else `otherwise`."""
    codes, keys = distinct(channel_keys.fillna(""))  # decided once per distinct key
    out = pd.Series(otherwise, index=keys.index, dtype=object)
    decided = pd.Series(False, index=keys.index)
    text = keys.astype(str)
    for name, needles in rules:
        hit = ~decided & text.str.contains("|".join(needles), regex=True)
        out[hit] = name
        decided |= hit
    return spread(codes, out, otherwise, channel_keys.index).astype(object)


def normalize_channel(channel_keys: pd.Series) -> pd.Series:
    """Campaign channel -> radio / portal / social / other (by key substrings, in order)."""
    return _first_rule(channel_keys, schema.CHANNEL_RULES, "other")


def intake_channel(channel_keys: pd.Series) -> pd.Series:
    """Intake channel of a case (CONTRACT section 3): smart_app / system_1022 / in_person
    by key substrings, in that order; other for any other non-blank `Kênh`, unknown for
    a blank one."""
    out = _first_rule(channel_keys, schema.INTAKE_RULES, "other")
    return out.where(channel_keys.fillna("").ne(""), "unknown")


def read_targets(table: Table, log: IssueLog) -> dict[str, int]:
    d = table.data
    channel = normalize_channel(keys_of(cell_text(d["channel__raw"])))
    target = d["target__raw"].map(number_cell).astype(float)
    bad = ~target.between(*MONTHLY_TARGET)  # NaN too
    log.rows(table, bad, "target", "info", "monthly_target_invalid")
    sums = target[~bad].groupby(channel[~bad]).sum()
    return {ch: int(sums.get(ch, 0)) for ch in schema.CHANNELS if ch in sums.index}
