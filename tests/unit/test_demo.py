"""The demo-data generator: deterministic, in the contract's shape, readable without
errors, and the bundled sample is exactly what `make demo-data` writes."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from builders import REPO
from wardbrief import demo
from wardbrief.commands import cli
from wardbrief.figures.metrics import compute_metrics
from wardbrief.read.contract import read_workbook
from wardbrief.read.sources import open_source

AS_OF = dt.date(2026, 11, 27)

# CONTRACT.md section 2: every tab and its canonical headers, in the contract's order.
CONTRACT_HEADERS = {
    "DonVi": ["Mã đơn vị", "Tên đơn vị", "Thủ trưởng", "Tên gọi khác"],
    "LinhVuc": ["Lĩnh vực", "Thời hạn (ngày làm việc)"],
    "CauHinh": ["Tham số", "Giá trị"],
    "NgayNghi": ["Ngày", "Loại", "Ghi chú"],
    "PhanAnh": ["Mã phản ánh", "Ngày tiếp nhận", "Kênh", "Lĩnh vực", "Nội dung",
                "Người phản ánh", "Số điện thoại", "Địa bàn", "Đơn vị xử lý", "Ngày giao",
                "Hạn xử lý", "Gia hạn đến", "Ngày trả lời", "Trạng thái", "Đánh giá"],
    "NhiemVu": ["Mã nhiệm vụ", "Nội dung", "Nhóm", "Căn cứ", "Đơn vị chủ trì",
                "Đơn vị phối hợp", "Ngày giao", "Hạn hoàn thành", "Tiến độ (%)",
                "Ngày hoàn thành", "Trạng thái"],
    "TruyenThong": ["Ngày đăng", "Kênh", "Đơn vị thực hiện", "Tiêu đề", "Đường dẫn"],
    "ChiTieu": ["Kênh", "Số tin bài/tháng"],
}
DEPARTMENTS = ["VP", "KTHTDT", "VHXH", "TTPVHCC", "TTDVSNC", "CA", "QS"]


def read_tabs(out: Path) -> dict[str, list[list]]:
    """The cells as written, read without the suite's own source readers: openpyxl for
    a workbook (date cells as dt.date), the csv module for a folder (text)."""
    if out.suffix == ".xlsx":
        book = openpyxl.load_workbook(out, read_only=True)
        try:
            return {sheet.title: _padded([[_as_date(c) for c in row]
                                          for row in sheet.iter_rows(values_only=True)])
                    for sheet in book.worksheets}
        finally:
            book.close()
    tabs = {}
    for path in sorted(out.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            tabs[path.stem] = [[c or None for c in row] for row in csv.reader(handle)]
    return tabs


def _padded(rows: list[list]) -> list[list]:
    """Rows padded with None to the widest (a reader may drop empty trailing cells)."""
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def _as_date(cell):
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        return cell.date()
    return cell


def write_csv(tmp_path: Path, name: str, **kwargs) -> Path:
    folder = tmp_path / name
    demo.write(demo.generate(**kwargs), folder)
    return folder


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def sample_xlsx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "demo.xlsx"
    demo.write(demo.generate(seed=7, cases=300, as_of=AS_OF), path)
    return path


# --- determinism ----------------------------------------------------------------------

def test_same_seed_gives_the_same_csv_bytes(tmp_path):
    first = folder_bytes(write_csv(tmp_path, "a", seed=11, cases=500))
    second = folder_bytes(write_csv(tmp_path, "b", seed=11, cases=500))
    assert sorted(first) == sorted(f"{tab}.csv" for tab in CONTRACT_HEADERS)
    assert first == second


def test_same_seed_gives_the_same_xlsx_cells_and_bytes(tmp_path, sample_xlsx):
    again = tmp_path / "again.xlsx"
    demo.write(demo.generate(seed=7, cases=300, as_of=AS_OF), again)
    assert read_tabs(again) == read_tabs(sample_xlsx)
    assert again.read_bytes() == sample_xlsx.read_bytes()


def test_different_seeds_give_different_cases(tmp_path):
    one = folder_bytes(write_csv(tmp_path, "one", seed=1, cases=300))
    two = folder_bytes(write_csv(tmp_path, "two", seed=2, cases=300))
    assert one["PhanAnh.csv"] != two["PhanAnh.csv"]
    assert one["NhiemVu.csv"] != two["NhiemVu.csv"]
    # the reference tabs do not depend on the seed
    assert one["DonVi.csv"] == two["DonVi.csv"]


def test_the_case_table_does_not_change_the_other_tabs(tmp_path):
    small = folder_bytes(write_csv(tmp_path, "small", seed=5, cases=10))
    large = folder_bytes(write_csv(tmp_path, "large", seed=5, cases=1000))
    for name in ("NhiemVu.csv", "TruyenThong.csv", "DonVi.csv"):
        assert small[name] == large[name]


# --- shape --------------------------------------------------------------------------

@pytest.mark.parametrize("cases", [0, 1, 250])
def test_case_count_is_the_one_asked(tmp_path, cases):
    folder = write_csv(tmp_path, "n", seed=3, cases=cases)
    lines = (folder / "PhanAnh.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == cases + 1
    assert len(read_tabs(folder)["PhanAnh"]) == cases + 1
    assert read_workbook(open_source(folder)).rows["PhanAnh"]["total"] == cases


def test_every_tab_with_the_contract_headers_in_csv(tmp_path):
    tabs = read_tabs(write_csv(tmp_path, "h", seed=4, cases=50))
    assert set(tabs) == set(CONTRACT_HEADERS)
    for tab, headers in CONTRACT_HEADERS.items():
        assert tabs[tab][0] == headers, tab


def test_every_tab_with_the_contract_headers_in_xlsx(sample_xlsx):
    tabs = read_tabs(sample_xlsx)
    assert list(tabs) == list(CONTRACT_HEADERS)
    for tab, headers in CONTRACT_HEADERS.items():
        assert tabs[tab][0] == headers, tab


def test_csv_is_utf8_with_bom_and_day_first_dates(tmp_path):
    folder = write_csv(tmp_path, "fmt", seed=8, cases=200)
    data = (folder / "PhanAnh.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_tabs(folder)["PhanAnh"]
    received = [r[1] for r in rows[1:]]
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", d) for d in received)
    assert "Tổ dân phố" in data.decode("utf-8-sig")


def test_xlsx_dates_are_date_cells(sample_xlsx):
    rows = read_tabs(sample_xlsx)["PhanAnh"]
    header = rows[0]
    for column in ("Ngày tiếp nhận", "Ngày giao"):
        i = header.index(column)
        assert all(isinstance(r[i], dt.date) for r in rows[1:]), column
    answered = [r[header.index("Ngày trả lời")] for r in rows[1:]]
    assert all(a is None or isinstance(a, dt.date) for a in answered)


def test_cases_span_four_months_to_a_week_after_as_of(sample_xlsx):
    rows = read_tabs(sample_xlsx)["PhanAnh"]
    header = rows[0]
    received = [r[header.index("Ngày tiếp nhận")] for r in rows[1:]]
    answered = [r[header.index("Ngày trả lời")] for r in rows[1:]]
    snapshot = AS_OF + dt.timedelta(days=demo.SNAPSHOT_LAG_DAYS)
    assert min(received) >= AS_OF - dt.timedelta(days=demo.WINDOW_DAYS)
    assert min(received) <= AS_OF - dt.timedelta(days=100)
    assert max(received) <= snapshot
    assert any(r > AS_OF for r in received)  # received after the as-of date
    assert any(a is not None and a > AS_OF for a in answered)  # answered after it
    assert all(a is None or a <= snapshot for a in answered)
    assert all(a is None or a >= r for r, a in zip(received, answered))


def test_realistic_vietnamese_content(sample_xlsx):
    tabs = read_tabs(sample_xlsx)
    cases = tabs["PhanAnh"]
    header = cases[0]

    def column(name):
        return [r[header.index(name)] for r in cases[1:]]

    assert set(column("Kênh")) == {"Smart Hải Phòng", "Tổng đài 1022", "Trực tiếp"}
    assert set(column("Đơn vị xử lý")) - {None} <= set(DEPARTMENTS)
    areas = set(column("Địa bàn"))
    assert all(re.fullmatch(r"Tổ dân phố \d+", a) for a in areas)
    phones = [p for p in column("Số điện thoại") if p]
    assert all(re.fullmatch(r"0\d{9}", p) for p in phones)
    ids = column("Mã phản ánh")
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"PA-2026-\d{6}", i) for i in ids)
    statuses = Counter(column("Trạng thái"))
    assert {"Trả lại", "Không thuộc thẩm quyền"} & set(statuses)
    assert set(column("Đánh giá")) == {None, "Hài lòng", "Chưa hài lòng"}
    assert [r[0] for r in tabs["DonVi"][1:]] == DEPARTMENTS
    limits = {r[0]: r[1] for r in tabs["LinhVuc"][1:]}
    assert limits["Trật tự đô thị"] == 5 and limits["Điện chiếu sáng"] == 3
    tasks = tabs["NhiemVu"]
    groups = {r[tasks[0].index("Nhóm")] for r in tasks[1:]}
    assert {"Smart Hải Phòng", "Tổng đài 1022", "Đô thị thông minh", "Truyền thông"} <= groups
    assert any("220/TB-VP" in r[tasks[0].index("Căn cứ")] for r in tasks[1:])
    assert any(str(r[tasks[0].index("Trạng thái")]).startswith("Vướng mắc") for r in tasks[1:])


# --- through the contract reader -------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_generated_workbook_reads_without_issues(tmp_path, fmt):
    out = tmp_path / ("demo.xlsx" if fmt == "xlsx" else "demo")
    demo.write(demo.generate(seed=21, cases=600, as_of=AS_OF), out)
    workbook = read_workbook(open_source(out))
    assert [i for i in workbook.issues if i.severity == "error"] == []
    assert [i for i in workbook.issues if i.severity == "warning"] == []
    assert workbook.missing_required == []
    assert workbook.rows["PhanAnh"] == {"total": 600, "valid": 600, "rejected": 0}
    assert workbook.rows["NhiemVu"]["rejected"] == 0
    assert workbook.rows["TruyenThong"]["rejected"] == 0
    assert list(workbook.departments.index) == DEPARTMENTS


def test_xlsx_and_csv_give_the_same_metrics(tmp_path):
    generated = demo.generate(seed=9, cases=400, as_of=AS_OF)
    demo.write(generated, tmp_path / "demo.xlsx")
    demo.write(generated, tmp_path / "csv")
    start = dt.date(2026, 11, 1)
    from_xlsx = compute_metrics(read_workbook(open_source(tmp_path / "demo.xlsx")), AS_OF, start)
    from_csv = compute_metrics(read_workbook(open_source(tmp_path / "csv")), AS_OF, start)
    for part in ("rows", "cases", "tasks", "communications"):
        assert from_xlsx[part] == from_csv[part], part


def test_demo_exercises_every_figure_of_the_briefing():
    """The bundled sample shows every kind of case and task a briefing talks about."""
    workbook = read_workbook(open_source(REPO / "data" / "donghai-demo.xlsx"))
    m = compute_metrics(workbook, AS_OF, dt.date(2026, 11, 1))
    cases = m["cases"]["totals"]
    for figure in ("received", "returned", "resolved_on_time", "resolved_late", "open",
                   "open_overdue", "open_due_soon", "rated", "satisfied"):
        assert cases[figure] > 0, figure
    assert cases["satisfied"] < cases["rated"]
    assert 0.8 <= cases["on_time_rate"] < 1.0
    assert cases["compliance_rate"] < cases["on_time_rate"]
    tasks = m["tasks"]["totals"]
    for figure in ("done_on_time", "done_late", "in_progress", "overdue", "blocked"):
        assert tasks[figure] > 0, figure
    posts = m["communications"]["by_channel"]
    assert posts["radio"] > 0 and posts["portal"] > 0 and posts["social"] > 0
    late = m["cases"]["overdue_cases"] + m["cases"]["late_cases"]
    assert {c["department"] for c in late} <= set(DEPARTMENTS) | {"_unassigned"}


def test_bundled_sample_is_what_make_demo_data_writes(tmp_path):
    fresh = tmp_path / "donghai-demo.xlsx"
    assert cli.main(["demo-data", "--seed", "2026", "--cases", "400", "--as-of", "2026-11-27",
                     "--out", str(fresh)]) == 0
    bundled = REPO / "data" / "donghai-demo.xlsx"
    assert read_tabs(fresh) == read_tabs(bundled)
    assert fresh.read_bytes() == bundled.read_bytes()


# --- messy ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_messy_workbook_has_exactly_the_planted_errors(tmp_path, fmt):
    out = tmp_path / ("messy.xlsx" if fmt == "xlsx" else "messy")
    demo.write(demo.generate(seed=13, cases=500, as_of=AS_OF, messy=True), out)
    tabs = read_tabs(out)
    assert "Phản ánh" in tabs and "PhanAnh" not in tabs
    assert all(c is None for c in tabs["Phản ánh"][0])  # a blank row above the header
    header_row = tabs["Phản ánh"][1]
    assert "Ngay tiep nhan" in header_row and "STT" in header_row
    workbook = read_workbook(open_source(out))
    assert workbook.rows["PhanAnh"] == {"total": 500, "valid": 498, "rejected": 2}
    errors = [i for i in workbook.issues if i.severity == "error"]
    assert len(errors) == 2 and {e.sheet for e in errors} == {"PhanAnh"}
    messages = " ".join(e.message for e in errors)
    assert "31/02/2026" in messages
    warnings = {(i.sheet, i.row) for i in workbook.issues if i.severity == "warning"}
    assert len(warnings) == 2  # the unreadable answer date, the unknown status word
    assert workbook.rows["NhiemVu"]["rejected"] == 0
    assert workbook.rows["TruyenThong"]["rejected"] == 0


def test_messy_rows_keep_their_figures(tmp_path):
    """Retyping (dates as text, names for codes, other spellings) changes no figure except
    through the two planted errors and the two planted warnings."""
    clean = demo.generate(seed=17, cases=400, as_of=AS_OF)
    messy = demo.generate(seed=17, cases=400, as_of=AS_OF, messy=True)
    demo.write(clean, tmp_path / "clean.xlsx")
    demo.write(messy, tmp_path / "messy.xlsx")
    start = dt.date(2026, 11, 1)
    m_clean = compute_metrics(read_workbook(open_source(tmp_path / "clean.xlsx")), AS_OF, start)
    m_messy = compute_metrics(read_workbook(open_source(tmp_path / "messy.xlsx")), AS_OF, start)
    assert m_messy["tasks"] == m_clean["tasks"]
    assert m_messy["communications"] == m_clean["communications"]
    by_dept_clean = m_clean["cases"]["by_department"]
    by_dept_messy = m_messy["cases"]["by_department"]
    differing = [d for d in by_dept_clean if by_dept_clean[d] != by_dept_messy[d]]
    assert len(differing) <= 4  # at most the departments of the four planted rows


# --- command ----------------------------------------------------------------------------

def test_command_writes_a_csv_folder(tmp_path, capsys):
    out = tmp_path / "folder"
    assert cli.main(["demo-data", "--seed", "1", "--cases", "1_000", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in CONTRACT_HEADERS)
    assert "1,000 cases" in capsys.readouterr().out


def test_command_refuses_a_folder_holding_other_csv_files(tmp_path, capsys):
    out = tmp_path / "folder"
    out.mkdir()
    (out / "Khac.csv").write_text("a,b\n", encoding="utf-8")
    assert cli.main(["demo-data", "--cases", "5", "--out", str(out)]) == 2
    assert "Khac.csv" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["Khac.csv"]


def test_command_refuses_clean_csv_over_messy_csv(tmp_path):
    out = tmp_path / "folder"
    assert cli.main(["demo-data", "--cases", "20", "--messy", "--out", str(out)]) == 0
    assert cli.main(["demo-data", "--cases", "20", "--out", str(out)]) == 2


def test_command_rejects_a_negative_count(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["demo-data", "--cases", "-3", "--out", str(tmp_path / "x.xlsx")])
    assert stop.value.code == 2


def test_csv_fields_read_back_as_written(tmp_path):
    """Quotes, commas, HTML, emoji, NFD text and blank rows survive the CSV writer: the
    csv module reads back every cell the workbook holds (a date as dd/mm/yyyy, and a
    date typed as a serial number in the workbook as dd/mm/yyyy too: CSV has no numbers)."""
    generated = demo.generate(seed=5, cases=800, as_of=AS_OF, messy=True)
    out = tmp_path / "messy"
    demo.write(generated, out)
    summaries = [c for r in generated.cells("Phản ánh")[2:] for c in r if isinstance(c, str)]
    assert any('"' in c for c in summaries) and any("," in c for c in summaries)
    for tab in generated.tabs:
        expected = []
        for row in generated.cells(tab.title):
            cells = []
            for c, column in zip(row, tab.columns):
                if isinstance(c, int) and column.kind == "date":
                    c = demo.from_serial(c)
                if isinstance(c, dt.date):
                    c = c.strftime("%d/%m/%Y")
                cells.append(None if c is None or c == "" else str(c))
            expected.append(cells)
        assert read_tabs(out)[tab.title] == expected, tab.title
