"""`generate(seed, cases, as_of)`: every tab of CONTRACT section 2, built column-wise
with numpy; the same cells for the same arguments."""

from __future__ import annotations

import datetime as dt
from string import Formatter
from typing import Any

import numpy as np

from wardbrief.demo.cells import (
    ANONYMOUS_RATE,
    ANSWERED_SHARE,
    ANSWERED_STATUSES,
    BLANK,
    BLOCKED_STATUSES,
    CALENDAR_OVERRIDES,
    CATEGORIES,
    CHANNEL_SHARE,
    CHANNELS,
    DEFAULT_AS_OF,
    DEFAULT_SEED,
    DEPARTMENTS,
    DEPT_CODES,
    DEPT_REVIEW_DUE,
    DEPT_RISK,
    DIRECTIVE,
    DIRECTIVE_LEAD_DAYS,
    EXPLICIT_DUE_RATE,
    EXTENDED_RATE,
    EXTENDED_STATUSES,
    GIVEN_F,
    GIVEN_M,
    LATE_RATE,
    MIDDLE_F,
    MIDDLE_M,
    MONTHLY_TARGETS,
    NEW_STATUS,
    NOT_SATISFIED,
    OPEN_SHARE,
    OPEN_STATUSES,
    PHONE_PREFIXES,
    PLACES,
    POST_CHANNELS,
    POST_TITLES,
    RATED_SHARE,
    RESIDENTIAL_GROUPS,
    RETURNED_RATE,
    RETURNED_SHARE,
    RETURNED_STATUSES,
    SATISFIED,
    SETTINGS,
    SNAPSHOT_LAG_DAYS,
    STREETS,
    STUCK_RATE,
    SUMMARIES,
    SUMMARY_ENDINGS,
    SURNAME_SHARE,
    SURNAMES,
    TASKS,
    UNASSIGNED_RATE,
    UNASSIGNED_RISK,
    WINDOW_DAYS,
    Column,
    DemoWorkbook,
    Tab,
    WorkDays,
    _cat,
    _choose,
    _digits,
    _fixed_text,
    _ints_as_text,
    _normalised,
    _text,
    from_serial,
    serial,
)
from wardbrief.demo.messy import (
    make_messy,
)


def generate(seed: int = DEFAULT_SEED, cases: int = 400, as_of: dt.date = DEFAULT_AS_OF,
             messy: bool = False) -> DemoWorkbook:
    """A synthetic workbook with `cases` rows in PhanAnh; the same cells for the same
    arguments."""
    if cases < 0:
        raise ValueError("cases must be >= 0")
    streams = np.random.SeedSequence(seed).spawn(4)
    rng_cases, rng_tasks, rng_posts, rng_messy = (np.random.default_rng(s) for s in streams)
    a = serial(as_of)
    snapshot = a + SNAPSHOT_LAG_DAYS
    directive = a - DIRECTIVE_LEAD_DAYS
    calendar = WorkDays(min(directive, a - WINDOW_DAYS) - 40, snapshot + 400, CALENDAR_OVERRIDES)
    workbook = DemoWorkbook(
        tabs=[
            _departments_tab(),
            _categories_tab(),
            _settings_tab(),
            _calendar_tab(),
            _cases_tab(rng_cases, cases, a, calendar),
            _tasks_tab(rng_tasks, a, calendar),
            _posts_tab(rng_posts, a, calendar),
            _targets_tab(),
        ],
        seed=seed,
        as_of=as_of,
    )
    if messy:
        make_messy(workbook, rng_messy)
    return workbook


def _departments_tab() -> Tab:
    return Tab("DonVi", [
        Column("Mã đơn vị", _text([d[0] for d in DEPARTMENTS])),
        Column("Tên đơn vị", _text([d[1] for d in DEPARTMENTS])),
        Column("Thủ trưởng", _text([d[2] for d in DEPARTMENTS])),
        Column("Tên gọi khác", _text(["; ".join(d[3]) for d in DEPARTMENTS])),
    ])


def _categories_tab() -> Tab:
    return Tab("LinhVuc", [
        Column("Lĩnh vực", _text([c[0] for c in CATEGORIES])),
        Column("Thời hạn (ngày làm việc)", _text([c[1] for c in CATEGORIES])),
    ])


def _settings_tab() -> Tab:
    return Tab("CauHinh", [
        Column("Tham số", _text([s[0] for s in SETTINGS])),
        Column("Giá trị", _text([s[1] for s in SETTINGS])),
    ])


def _calendar_tab() -> Tab:
    return Tab("NgayNghi", [
        Column("Ngày", np.array([serial(o[0]) for o in CALENDAR_OVERRIDES]), "date"),
        Column("Loại", _text([o[1] for o in CALENDAR_OVERRIDES])),
        Column("Ghi chú", _text([o[2] for o in CALENDAR_OVERRIDES])),
    ])


def _targets_tab() -> Tab:
    return Tab("ChiTieu", [
        Column("Kênh", _text([t[0] for t in MONTHLY_TARGETS])),
        Column("Số tin bài/tháng", _text([t[1] for t in MONTHLY_TARGETS])),
    ])


def _received_days(rng: np.random.Generator, n: int, as_of: int,
                   calendar: WorkDays) -> np.ndarray:
    """Sorted receipt days over the window: fewer on weekends and holidays, and a slow
    rise as the campaign brings more people to the app."""
    days = np.arange(as_of - WINDOW_DAYS, as_of + SNAPSHOT_LAG_DAYS + 1)
    weekday = (days + 5) % 7  # serial 0 (30/12/1899) was a Saturday; Monday = 0
    weight = np.where(weekday < 5, 1.0, np.where(weekday == 5, 0.35, 0.2))
    weight = np.where((weekday < 5) & ~calendar.is_working(days), 0.4, weight)
    weight = weight * np.linspace(0.8, 1.25, len(days))
    return np.sort(rng.choice(days, size=n, p=weight / weight.sum()))


def _case_ids(rng: np.random.Generator, received: np.ndarray) -> np.ndarray:
    """`PA-<year>-<number>`, numbered in order of receipt within each year; the first
    year continues a numbering that began before the window."""
    n = len(received)
    if n == 0:
        return _text([])
    lo = int(received.min())
    year_of_day = np.array([from_serial(d).year for d in range(lo, int(received.max()) + 1)])
    year = year_of_day[received - lo]
    first_year_start = int(rng.integers(300, 900))
    years, first_index = np.unique(year, return_index=True)
    start_of_year = np.zeros(n, dtype=np.int64)
    offset = np.zeros(n, dtype=np.int64)
    for y, idx in zip(years, first_index):
        mask = year == y
        start_of_year[mask] = idx
        offset[mask] = first_year_start if y == years[0] else 1
    number = np.arange(n) - start_of_year + offset
    width = max(6, len(str(int(number.max()))))
    return _fixed_text("PA-", _digits(year, 4), "-", _digits(number, width))


def _summaries(rng: np.random.Generator, category: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Citizen texts: a template of the case's category with its slots filled."""
    n = len(category)
    streets = _text(STREETS)
    street = rng.integers(0, len(streets), n)
    street2 = (street + rng.integers(1, len(streets), n)) % len(streets)
    slots = {
        "duong": streets[street],
        "duong2": streets[street2],
        "so": _ints_as_text(rng.integers(1, 400, n)),
        "ngo": _ints_as_text(2 * rng.integers(1, 200, n)),
        "to": _ints_as_text(group),
        "tang": _ints_as_text(rng.integers(3, 10, n)),
        "diadiem": _choose(rng, PLACES, n),
    }
    pick = rng.random(n)
    ending = _choose(rng, SUMMARY_ENDINGS, n)
    text = np.empty(n, dtype=object)
    for c, (name, *_rest) in enumerate(CATEGORIES):
        templates = SUMMARIES[name]
        in_cat = np.flatnonzero(category == c)
        which = np.minimum((pick[in_cat] * len(templates)).astype(int), len(templates) - 1)
        for t, template in enumerate(templates):
            rows = in_cat[which == t]
            if len(rows) == 0:
                continue
            parts: list[Any] = []
            for literal, slot, _spec, _conv in Formatter().parse(template):
                if literal:
                    parts.append(literal)
                if slot:
                    parts.append(slots[slot][rows])
            text[rows] = _cat(*parts, ending[rows])
    return text


def _reporters(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Invented names and mobile numbers; a few anonymous reports leave both blank."""
    # every possible name once, then one lookup per row
    table = _text([f"{s} {m} {g}" for s in SURNAMES
                   for middles, givens in ((MIDDLE_M, GIVEN_M), (MIDDLE_F, GIVEN_F))
                   for m in middles for g in givens])
    per_surname = len(MIDDLE_M) * len(GIVEN_M) + len(MIDDLE_F) * len(GIVEN_F)
    surname = rng.choice(len(SURNAMES), size=n, p=_normalised(SURNAME_SHARE))
    female = rng.random(n) < 0.5
    middle = rng.integers(0, len(MIDDLE_M), n)  # MIDDLE_F and GIVEN_F have the same sizes
    given = rng.integers(0, len(GIVEN_M), n)
    names = table[surname * per_surname + female * len(MIDDLE_M) * len(GIVEN_M)
                  + middle * len(GIVEN_M) + given]
    prefix = np.asarray(PHONE_PREFIXES, dtype=np.int64)[rng.integers(0, len(PHONE_PREFIXES), n)]
    phones = _fixed_text("0", _digits(prefix * 10_000_000 + rng.integers(0, 10_000_000, n), 9))
    anonymous = rng.random(n) < ANONYMOUS_RATE
    names[anonymous] = None
    phones[anonymous] = None
    return names, phones


def _cases_tab(rng: np.random.Generator, n: int, as_of: int, calendar: WorkDays) -> Tab:
    snapshot = as_of + SNAPSHOT_LAG_DAYS
    received = _received_days(rng, n, as_of, calendar)
    ids = _case_ids(rng, received)
    channel = rng.choice(len(CHANNELS), size=n, p=CHANNEL_SHARE)
    category = rng.choice(len(CATEGORIES), size=n, p=_normalised([c[2] for c in CATEGORIES]))

    # department: by category, a few left blank (the `_unassigned` bucket)
    shares = np.array([[c[3].get(code, 0.0) for code in DEPT_CODES] for c in CATEGORIES])
    cumulative = np.cumsum(shares / shares.sum(axis=1, keepdims=True), axis=1)
    dept = (rng.random(n)[:, None] >= cumulative[category]).sum(axis=1)
    dept = np.minimum(dept, len(DEPT_CODES) - 1)
    dept = np.where(rng.random(n) < UNASSIGNED_RATE, -1, dept)

    # assignment, due date, extension
    lag = rng.choice(3, size=n, p=[0.7, 0.25, 0.05])
    assigned = calendar.after(received, lag)
    limit = np.array([c[1] for c in CATEGORIES])[category]
    due = calendar.after(assigned, limit)
    returned = rng.random(n) < RETURNED_RATE
    extended = ~returned & (rng.random(n) < EXTENDED_RATE)
    extension = calendar.after(due, rng.integers(5, 16, n))
    effective_due = np.where(extended, extension, due)

    # answers: on time, late, or not yet; the sheet is read at the snapshot
    risk = np.append(np.array([DEPT_RISK[c] for c in DEPT_CODES]), UNASSIGNED_RISK)[dept]
    outcome = rng.random(n)
    stuck = outcome < STUCK_RATE * risk
    late = ~stuck & (outcome < (STUCK_RATE + LATE_RATE) * risk)
    allowed = calendar.between(assigned, effective_due)
    on_time_days = np.minimum((rng.beta(2.0, 3.0, n) * (allowed + 1)).astype(np.int64), allowed)
    late_days = allowed + rng.geometric(0.25, n)
    responded = calendar.after(assigned, np.where(late, late_days, on_time_days))
    responded = np.where(stuck | (responded > snapshot), BLANK, responded)
    returned_on = calendar.after(received, rng.integers(0, 3, n))
    returned_on = np.where((rng.random(n) < 0.6) & (returned_on <= snapshot), returned_on, BLANK)
    responded = np.where(returned, returned_on, responded)

    answered = ~returned & (responded != BLANK)
    status = np.where(
        returned, _choose(rng, RETURNED_STATUSES, n, RETURNED_SHARE),
        np.where(answered, _choose(rng, ANSWERED_STATUSES, n, ANSWERED_SHARE),
                 np.where(extended, _choose(rng, EXTENDED_STATUSES, n),
                          np.where(received >= snapshot - 1, NEW_STATUS,
                                   _choose(rng, OPEN_STATUSES, n, OPEN_SHARE)))))
    status = status.astype(object)

    rated = answered & (rng.random(n) < np.asarray(RATED_SHARE)[channel])
    pleased = rng.random(n) < np.where(responded <= effective_due, 0.88, 0.5)
    rating = np.where(rated, np.where(pleased, SATISFIED, NOT_SATISFIED), None).astype(object)

    group = rng.integers(1, RESIDENTIAL_GROUPS + 1, n)
    names, phones = _reporters(rng, n)
    codes = np.append(_text(DEPT_CODES), None)[dept]
    explicit_due = np.where(rng.random(n) < EXPLICIT_DUE_RATE, due, BLANK)
    return Tab("PhanAnh", [
        Column("Mã phản ánh", ids),
        Column("Ngày tiếp nhận", received, "date"),
        Column("Kênh", _text(CHANNELS)[channel]),
        Column("Lĩnh vực", _text([c[0] for c in CATEGORIES])[category]),
        Column("Nội dung", _summaries(rng, category, group)),
        Column("Người phản ánh", names),
        Column("Số điện thoại", phones),
        Column("Địa bàn", _cat("Tổ dân phố ", _ints_as_text(group))),
        Column("Đơn vị xử lý", codes),
        Column("Ngày giao", assigned, "date"),
        Column("Hạn xử lý", explicit_due, "date"),
        Column("Gia hạn đến", np.where(extended, extension, BLANK), "date"),
        Column("Ngày trả lời", responded, "date"),
        Column("Trạng thái", status),
        Column("Đánh giá", rating),
    ])


def _month_ends(first: int, last: int) -> list[int]:
    out = []
    day = from_serial(first)
    month = dt.date(day.year, day.month, 1)
    while True:
        nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = serial(nxt) - 1
        if end > last:
            return out
        if end >= first:
            out.append(end)
        month = nxt


def _tasks_tab(rng: np.random.Generator, as_of: int, calendar: WorkDays) -> Tab:
    """Tasks of the ward's directive (Thông báo 220/TB-VP) with outcomes drawn by seed."""
    snapshot = as_of + SNAPSHOT_LAG_DAYS
    directive = as_of - DIRECTIVE_LEAD_DAYS
    rows: list[tuple[str, str, str, str, str, int, int | None]] = []
    for group, text, basis, lead, support, due in TASKS:
        rows.append((group, text, basis, lead, support, directive,
                     None if due is None else directive + due))
    for code, name, *_ in DEPARTMENTS:
        rows.append(("Smart Hải Phòng", (f"Rà soát, trả lời dứt điểm phản ánh, kiến nghị tồn đọng, "
                     f"quá hạn trên ứng dụng Smart Hải Phòng thuộc thẩm quyền của {name}"),
                     DIRECTIVE, code, "" if code == "VP" else "VP", directive,
                     directive + DEPT_REVIEW_DUE))
    for end in _month_ends(directive, snapshot):
        month = from_serial(end)
        report_due = int(calendar.after(np.array([end]), 3)[0])
        rows.append(("Tổng đài 1022", (f"Báo cáo kết quả tiếp nhận, xử lý phản ánh, kiến nghị qua "
                     f"Hệ thống 1022 và Smart Hải Phòng tháng {month.month}/{month.year}"),
                     DIRECTIVE, "VP", "", end, report_due))

    ids, assigned, due_col, progress, done_col, status = [], [], [], [], [], []
    year = from_serial(directive).year
    for i, (_g, _t, _b, _l, _s, given, due) in enumerate(rows, start=1):
        ids.append(f"NV-{year}-{i:03d}")
        assigned.append(given)
        due_col.append(BLANK if due is None else due)
        done = BLANK
        if due is None:
            progress.append(None)
            status.append("Thường xuyên")
            done_col.append(BLANK)
            continue
        u = rng.random()
        if due <= as_of:
            kind = "on_time" if u < 0.72 else ("late" if u < 0.87 else "open")
        else:
            kind = "on_time" if u < 0.35 else "open"
        if kind == "on_time":
            done = int(rng.integers(given + min(5, due - given), due + 1))
        elif kind == "late":
            done = due + int(rng.integers(1, 31))
        if done != BLANK and done <= snapshot:
            progress.append(100)
            status.append("Hoàn thành")
            done_col.append(done)
        else:
            progress.append(int(rng.integers(1, 10)) * 10)
            status.append("Đang thực hiện" if due >= as_of else "Chậm tiến độ")
            done_col.append(BLANK)
    unfinished = [i for i, s in enumerate(status) if s in ("Đang thực hiện", "Chậm tiến độ")]
    for i in rng.choice(unfinished, size=min(2, len(unfinished)), replace=False):
        status[int(i)] = str(rng.choice(BLOCKED_STATUSES))
    return Tab("NhiemVu", [
        Column("Mã nhiệm vụ", _text(ids)),
        Column("Nội dung", _text([r[1] for r in rows])),
        Column("Nhóm", _text([r[0] for r in rows])),
        Column("Căn cứ", _text([r[2] for r in rows])),
        Column("Đơn vị chủ trì", _text([r[3] for r in rows])),
        Column("Đơn vị phối hợp", _text([r[4] or None for r in rows])),
        Column("Ngày giao", np.array(assigned), "date"),
        Column("Hạn hoàn thành", np.array(due_col), "date"),
        Column("Tiến độ (%)", _text(progress)),
        Column("Ngày hoàn thành", np.array(done_col), "date"),
        Column("Trạng thái", _text(status)),
    ])


def _posts_tab(rng: np.random.Generator, as_of: int, calendar: WorkDays) -> Tab:
    """Campaign posts from the start of the case window to the snapshot."""
    days, labels, depts, titles, links = [], [], [], [], []
    counter = 0
    for day in range(as_of - WINDOW_DAYS, as_of + SNAPSHOT_LAG_DAYS + 1):
        weekday = (day + 5) % 7
        working = bool(calendar.is_working(np.array([day]))[0])
        for kind, share, names, by_dept in POST_CHANNELS:
            chance = share if working else (share / 3 if kind == "social" else 0.0)
            if rng.random() >= chance or (weekday == 6 and kind != "social"):
                continue
            counter += 1
            label = str(rng.choice(names))
            days.append(day)
            labels.append(label)
            depts.append(str(rng.choice(list(by_dept), p=_normalised(list(by_dept.values())))))
            titles.append(str(rng.choice(POST_TITLES)))
            iso = from_serial(day).isoformat()
            if kind == "portal":
                links.append(f"https://donghai.haiphong.gov.vn/tin-tuc/{iso}-{counter}")
            elif "Facebook" in label:
                links.append(f"https://www.facebook.com/phuongdonghai/posts/{day * 1000 + counter}")
            else:
                links.append(None)
    return Tab("TruyenThong", [
        Column("Ngày đăng", np.array(days, dtype=np.int64), "date"),
        Column("Kênh", _text(labels)),
        Column("Đơn vị thực hiện", _text(depts)),
        Column("Tiêu đề", _text(titles)),
        Column("Đường dẫn", _text(links)),
    ])


# --- messy: the way staff really type ------------------------------------------------

