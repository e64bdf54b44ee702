"""Small in-memory workbooks for the contract tests, in a few lines each.

Records are dicts keyed by short field names (see HEADERS); `table()` turns them into
rows of cells under the canonical headers of CONTRACT section 2, `book()` puts the tabs
together into a RawWorkbook as a source would yield it. Any tab may instead be given
as raw rows (a list of lists) to test header and row handling exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from wardbrief.figures.metrics import compute_metrics
from wardbrief.read.contract import Workbook, read_workbook
from wardbrief.read.sources.base import RawWorkbook

D = dt.date.fromisoformat

# field -> canonical header (CONTRACT section 2), in the contract's order
HEADERS: dict[str, dict[str, str]] = {
    "DonVi": {"code": "Mã đơn vị", "name": "Tên đơn vị", "head": "Thủ trưởng",
              "aliases": "Tên gọi khác"},
    "LinhVuc": {"name": "Lĩnh vực", "limit": "Thời hạn (ngày làm việc)"},
    "CauHinh": {"param": "Tham số", "value": "Giá trị"},
    "NgayNghi": {"date": "Ngày", "kind": "Loại", "note": "Ghi chú"},
    "PhanAnh": {
        "id": "Mã phản ánh", "received": "Ngày tiếp nhận", "channel": "Kênh",
        "category": "Lĩnh vực", "summary": "Nội dung", "reporter": "Người phản ánh",
        "phone": "Số điện thoại", "area": "Địa bàn", "department": "Đơn vị xử lý",
        "assigned": "Ngày giao", "due": "Hạn xử lý", "extended": "Gia hạn đến",
        "responded": "Ngày trả lời", "status": "Trạng thái", "rating": "Đánh giá",
    },
    "NhiemVu": {
        "id": "Mã nhiệm vụ", "content": "Nội dung", "group": "Nhóm", "basis": "Căn cứ",
        "lead": "Đơn vị chủ trì", "support": "Đơn vị phối hợp", "assigned": "Ngày giao",
        "due": "Hạn hoàn thành", "progress": "Tiến độ (%)", "completed": "Ngày hoàn thành",
        "status": "Trạng thái",
    },
    "TruyenThong": {"date": "Ngày đăng", "channel": "Kênh", "department": "Đơn vị thực hiện",
                    "title": "Tiêu đề", "link": "Đường dẫn"},
    "ChiTieu": {"channel": "Kênh", "target": "Số tin bài/tháng"},
}

DEPARTMENTS: list[dict[str, Any]] = [
    {"code": "VP", "name": "Văn phòng HĐND - UBND", "head": "Nguyễn Văn An",
     "aliases": "Văn phòng; VP UBND"},
    {"code": "VHXH", "name": "Phòng Văn hoá - Xã hội", "head": "Trần Thị Bình",
     "aliases": "Văn hóa;  VH-XH "},
    {"code": "KTHTDT", "name": "Phòng Kinh tế, Hạ tầng và Đô thị", "head": "Lê Văn Cường",
     "aliases": "Kinh tế"},
    {"code": "CA", "name": "Công an phường", "head": "Phạm Văn Dũng", "aliases": "Công an"},
]
CODES = [d["code"] for d in DEPARTMENTS]

CATEGORIES: list[dict[str, Any]] = [
    {"name": "Môi trường", "limit": 3},
    {"name": "Đất đai", "limit": 5},
    {"name": "Trật tự đô thị", "limit": 7},
]

# By default a workbook has every tab but CauHinh and NgayNghi, each with one harmless
# row, so that a test sees only the rows it is about (absent and empty tabs have tests of
# their own). The task is assigned after every as-of date used in the tests (left out of
# the figures); the post, and the case (received and answered), lie before every period.
FILLER_TASKS: list[dict[str, Any]] = [
    {"id": "NV-MAU", "content": "Dòng mẫu", "assigned": dt.date(2027, 6, 30)}]
FILLER_POSTS: list[dict[str, Any]] = [
    {"date": dt.date(2025, 1, 6), "channel": "Facebook"}]
FILLER_CASES: list[dict[str, Any]] = [
    {"id": "PA-MAU", "received": dt.date(2025, 1, 6),
     "responded": dt.date(2025, 1, 7)}]
FILLER_TARGETS: list[dict[str, Any]] = [{"channel": "Facebook", "target": 8}]

Rows = list[list[Any]]
Records = Sequence[Mapping[str, Any] | None]


def case(case_id: Any, received: Any, **fields: Any) -> dict[str, Any]:
    """A PhanAnh record (fields: channel, category, department, assigned, due, extended,
    responded, status, rating, summary, reporter, phone, area)."""
    return {"id": case_id, "received": received, **fields}


def task(task_id: Any, content: Any = "Triển khai nhiệm vụ", **fields: Any) -> dict[str, Any]:
    return {"id": task_id, "content": content, **fields}


def post(date: Any, channel: Any = "Facebook", **fields: Any) -> dict[str, Any]:
    return {"date": date, "channel": channel, **fields}


def table(tab: str, records: Records, rename: Mapping[str, str] | None = None,
          columns: Sequence[str] | None = None) -> Rows:
    """A header row + one row per record; a None record is an empty row.

    rename: field -> header text to write instead of the canonical one;
    columns: which fields, in which order (default: every field of the tab)."""
    headers = HEADERS[tab]
    fields = list(columns or headers)
    unknown = {k for r in records if r for k in r} - set(headers)
    if unknown:
        raise KeyError(f"{tab}: unknown fields {sorted(unknown)}")
    rows: Rows = [[(rename or {}).get(f, headers[f]) for f in fields]]
    for record in records:
        rows.append([] if record is None else [record.get(f) for f in fields])
    return rows


def _rows(tab: str, value: Records | Rows) -> Rows:
    if value and all(isinstance(r, list) for r in value):
        return [list(r) for r in value]  # already raw rows
    return table(tab, value)  # type: ignore[arg-type]


def book(*, cases: Records | Rows | None = FILLER_CASES,
         tasks: Records | Rows | None = FILLER_TASKS,
         posts: Records | Rows | None = FILLER_POSTS,
         departments: Records | Rows | None = DEPARTMENTS,
         categories: Records | Rows | None = CATEGORIES,
         settings: Mapping[str, Any] | Rows | None = None,
         days_off: Iterable[tuple[Any, Any]] | Rows | None = None,
         targets: Records | Rows | None = FILLER_TARGETS,
         titles: Mapping[str, str] | None = None,
         extra: Mapping[str, Rows] | None = None) -> RawWorkbook:
    """A RawWorkbook; a tab given as None is absent. titles: contract name -> tab title.

    By default: the departments and categories above, the filler rows for PhanAnh,
    NhiemVu, TruyenThong and ChiTieu, no CauHinh and no NgayNghi."""
    titles = titles or {}
    tabs: dict[str, Rows] = {}

    def put(name: str, rows: Rows) -> None:
        tabs[titles.get(name, name)] = rows

    if departments is not None:
        put("DonVi", _rows("DonVi", departments))
    if categories is not None:
        put("LinhVuc", _rows("LinhVuc", categories))
    if settings is not None:
        put("CauHinh", settings if isinstance(settings, list) else
            table("CauHinh", [{"param": k, "value": v} for k, v in settings.items()]))
    if days_off is not None:
        days = list(days_off)
        put("NgayNghi", days if days and isinstance(days[0], list) else
            table("NgayNghi", [{"date": d, "kind": k} for d, k in days]))
    if cases is not None:
        put("PhanAnh", _rows("PhanAnh", cases))
    if tasks is not None:
        put("NhiemVu", _rows("NhiemVu", tasks))
    if posts is not None:
        put("TruyenThong", _rows("TruyenThong", posts))
    if targets is not None:
        put("ChiTieu", _rows("ChiTieu", targets))
    tabs.update(extra or {})
    return RawWorkbook(kind="xlsx", location="test", tabs=tabs)


def read(**kwargs: Any) -> Workbook:
    """read_workbook(book(**kwargs))."""
    return read_workbook(book(**kwargs))


def metrics(as_of: dt.date, period_start: dt.date | None = None, **kwargs: Any) -> dict:
    """compute_metrics over book(**kwargs)."""
    return compute_metrics(read(**kwargs), as_of, period_start)


def issue_set(source: Workbook | dict, sheet: str | None = None) -> set[tuple]:
    """{(sheet, row, severity)} of the issues, `info` aside (the contract's comparison)."""
    if isinstance(source, dict):
        items = [(i["sheet"], i["row"], i["severity"]) for i in source["data_issues"]]
    else:
        items = [(i.sheet, i.row, i.severity) for i in source.issues]
    return {i for i in items if i[2] != "info" and (sheet is None or i[0] == sheet)}


def issues_at(wb: Workbook, sheet: str, row: int | None) -> list:
    """Every non-info issue of one row, as DataIssue objects."""
    return [i for i in wb.issues if i.sheet == sheet and i.row == row and i.severity != "info"]


# Where the tests' own files are (every layer imports these instead of its own copy).
TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent


def write_xlsx(raw: RawWorkbook, path: Path) -> Path:
    """The tabs of `raw` saved as an .xlsx file, one cell per value as given (dates stay
    date cells, text stays text), for the tests that run a whole command on a file."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in raw.tabs.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path
