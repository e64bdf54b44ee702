"""`make_messy`: some cells typed the way staff type them (headers without diacritics,
dates as text in many forms, departments by alias, odd citizen text), with exactly two
rejected PhanAnh rows."""

from __future__ import annotations

import unicodedata

import numpy as np

from wardbrief.demo.cells import (
    BLANK,
    DEPARTMENTS,
    DEPT_CODES,
    Column,
    DemoWorkbook,
    Tab,
    _cat,
    _choose,
    _ints_as_text,
    _text,
    from_serial,
)
from wardbrief.read.names import strip_marks

TEXT_DATE_FORMATS = ["%d/%m/%Y", "{d}/{m}/{yy}", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d",
                     "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"]
PHANANH_MESSY_HEADERS = {
    "Mã phản ánh": "Ma PA",
    "Ngày tiếp nhận": "Ngay tiep nhan",
    "Kênh": "Channel",
    "Đơn vị xử lý": "DON VI XU LY",
    "Ngày trả lời": "Ngày trả lời ",
    "Trạng thái": "Trang thai",
    "Đánh giá": "Rating",
}
UNKNOWN_STATUS = "Đang chờ ý kiến lãnh đạo"
MESSY_TITLES = {"PhanAnh": "Phản ánh", "TruyenThong": "Truyền thông"}
NOTES_TAB = "Ghi chú"  # an extra tab the contract ignores
ODD_TEXTS = [
    "<b>Khẩn cấp</b> <script>alert('x')</script> Rác thải tồn đọng trước cổng chợ Đông Hải.",
    "=HYPERLINK(\"http://example.com\",\"Xem ảnh hiện trường\")",
    "Đường ngập sâu sau mưa 🌧️🌊, xe máy chết máy hàng loạt 😡",
    "Cống thoát nước bị tắc. " * 120,
]


def _format_dates(values: np.ndarray, fmt: str, rng: np.random.Generator) -> np.ndarray:
    """Dates (serials) as text in `fmt`, through a lookup over the distinct days."""
    lo, hi = int(values.min()), int(values.max())
    table = []
    for d in range(lo, hi + 1):
        day = from_serial(d)
        if fmt.startswith("{"):
            table.append(fmt.format(d=day.day, m=day.month, yy=f"{day.year % 100:02d}"))
        else:
            table.append(day.strftime(fmt.split(" ")[0]))
    text = _text(table)[values - lo]
    if "%H" in fmt:
        minutes = rng.integers(7 * 60, 17 * 60 + 30, len(values))
        clock = _cat(_ints_as_text(minutes // 60, 2), ":", _ints_as_text(minutes % 60, 2))
        if "%S" in fmt:
            clock = _cat(clock, ":", _ints_as_text(rng.integers(0, 60, len(values)), 2))
        text = _cat(text, " ", clock)
    return text


def _retype_dates(col: Column, rng: np.random.Generator, share: float) -> None:
    """Some date cells typed as text in the accepted forms, a few as serial numbers."""
    n = len(col.values)
    if col.override is None:
        col.override = np.full(n, None, dtype=object)
    pick = (rng.random(n) < share) & (col.values != BLANK)
    which = rng.integers(0, len(TEXT_DATE_FORMATS) + 1, n)
    for f, fmt in enumerate(TEXT_DATE_FORMATS):
        rows = np.flatnonzero(pick & (which == f))
        if len(rows):
            col.override[rows] = _format_dates(col.values[rows], fmt, rng)
    rows = np.flatnonzero(pick & (which == len(TEXT_DATE_FORMATS)))
    col.override[rows] = _text(col.values[rows].tolist())


def _department_variants(code: str) -> list[str]:
    _code, name, _head, aliases = next(d for d in DEPARTMENTS if d[0] == code)
    return [name, strip_marks(name), name.upper(), code.lower(), *aliases]


def make_messy(workbook: DemoWorkbook, rng: np.random.Generator) -> None:
    """Type the workbook the way staff do. Everything stays readable except exactly
    two PhanAnh rows that the contract rejects (a duplicate id, an impossible date);
    a few rows get warnings (an unreadable answer date, an unknown status word)."""
    workbook.messy = True
    cases = workbook.tab("PhanAnh")
    n = cases.n_rows
    cases.title = MESSY_TITLES["PhanAnh"]
    cases.blank_rows_above_header = 1
    cases.columns.insert(0, Column("STT", _text(np.arange(1, n + 1).tolist())))

    for header in ("Ngày tiếp nhận", "Ngày giao", "Ngày trả lời"):
        _retype_dates(cases.column(header), rng, 0.15)

    dept = cases.column("Đơn vị xử lý").values
    retype = rng.random(n) < 0.15
    for code in DEPT_CODES:
        rows = np.flatnonzero(retype & (dept == code))
        dept[rows] = _choose(rng, _department_variants(code), len(rows))

    category = cases.column("Lĩnh vực").values
    category[np.flatnonzero((category == "Văn hóa - Xã hội") & (rng.random(n) < 0.5))] = (
        "Văn hoá - Xã hội")
    rows = np.flatnonzero(rng.random(n) < 0.05)
    category[rows] = _text([c.upper() for c in category[rows]])

    status = cases.column("Trạng thái").values
    rows = np.flatnonzero(rng.random(n) < 0.1)
    status[rows] = _text([(s.upper() if i % 2 else strip_marks(s).lower()) + "  "
                          for i, s in enumerate(status[rows])])

    summary = cases.column("Nội dung").values
    rows = np.flatnonzero(rng.random(n) < 0.05)
    summary[rows] = _text([unicodedata.normalize("NFD", s) for s in summary[rows]])

    # rows with something special; the first five are distinct
    if n >= 8:
        special = rng.choice(np.arange(1, n), size=min(n - 1, 4 + len(ODD_TEXTS)), replace=False)
        dup_row, bad_date_row, unreadable_answer_row, unknown_status_row = (int(i) for i in
                                                                           special[:4])
        ids = cases.column("Mã phản ánh").values
        earlier = int(rng.integers(0, dup_row))
        ids[dup_row] = ids[earlier]
        received = cases.column("Ngày tiếp nhận")
        year = from_serial(int(received.values[bad_date_row])).year
        received.override[bad_date_row] = f"31/02/{year}"
        cases.column("Ngày trả lời").override[unreadable_answer_row] = "chưa rõ"
        status[unknown_status_row] = UNKNOWN_STATUS
        for row, text in zip(special[4:], ODD_TEXTS):
            summary[int(row)] = text
        cases.blank_rows_before = sorted(int(i) for i in rng.choice(np.arange(1, n), 2,
                                                                     replace=False))
    for old, new in PHANANH_MESSY_HEADERS.items():
        cases.column(old).header = new

    tasks = workbook.tab("NhiemVu")
    tasks.column("Tiến độ (%)").header = "Tien do (%)"
    progress = tasks.column("Tien do (%)").values
    for i, value in enumerate(progress):
        if value is not None and i % 3 == 1:
            progress[i] = f"{value}%"
        elif value is not None and i % 3 == 2 and value < 100:
            progress[i] = value / 100
    lead = tasks.column("Đơn vị chủ trì").values
    for i in range(0, len(lead), 4):
        lead[i] = strip_marks(next(d[1] for d in DEPARTMENTS if d[0] == lead[i]))
    _retype_dates(tasks.column("Ngày hoàn thành"), rng, 0.3)

    posts = workbook.tab("TruyenThong")
    posts.title = MESSY_TITLES["TruyenThong"]
    _retype_dates(posts.column("Ngày đăng"), rng, 0.2)

    workbook.tabs.append(Tab(NOTES_TAB, [Column("Ghi chú", _text([
        "Bảng theo dõi phản ánh, kiến nghị của phường Đông Hải",
        "Cập nhật hằng ngày trước 16 giờ",
    ]))]))


# --- writing ---------------------------------------------------------------------------

