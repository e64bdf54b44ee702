"""Sources: the raw cells of a workbook or a CSV folder, a stable fingerprint, and errors
that say why a source cannot be read."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from builders import FIXTURES
from wardbrief.figures.metrics import compute_metrics
from wardbrief.read.contract import read_workbook
from wardbrief.read.sources import SourceError, open_source


def test_fingerprint_is_stable_across_reads_and_changes_with_a_cell(tmp_path):
    first = open_source(FIXTURES / "clean.xlsx")
    again = open_source(FIXTURES / "clean.xlsx")
    assert first.fingerprint == again.fingerprint
    assert first.fingerprint.startswith("sha256:") and len(first.fingerprint) == 7 + 64
    copy = tmp_path / "changed.xlsx"
    book = openpyxl.load_workbook(FIXTURES / "clean.xlsx")
    book["PhanAnh"]["B2"] = dt.datetime(2026, 8, 4)
    book.save(copy)
    assert open_source(copy).fingerprint != first.fingerprint


def test_xlsx_keeps_dates_as_dates_and_error_cells_as_text():
    raw = open_source(FIXTURES / "messy.xlsx")
    rows = raw.tabs["PhanAnh"]
    assert rows[0] == [None] * len(rows[0]) or rows[0][0] is None  # the blank row above
    assert isinstance(rows[36][2], dt.datetime)  # spreadsheet row 37, a date cell
    assert "#VALUE!" in rows[36]  # an error cell is kept, not emptied


def test_csv_folder_gives_the_same_figures_as_the_workbook(tmp_path):
    raw = open_source(FIXTURES / "clean.xlsx")
    folder = tmp_path / "csv"
    folder.mkdir()
    for title, rows in raw.tabs.items():
        with (folder / f"{title}.csv").open("w", encoding="utf-8-sig", newline="") as handle:


            writer = csv.writer(handle)
            for row in rows:
                writer.writerow(["" if c is None else
                                 c.strftime("%d/%m/%Y") if isinstance(c, dt.date) else
                                 (int(c) if isinstance(c, float) and c.is_integer() else c)
                                 for c in row])
    as_of, start = dt.date(2026, 11, 27), dt.date(2026, 11, 1)
    from_csv = compute_metrics(read_workbook(open_source(folder)), as_of, start)
    from_xlsx = compute_metrics(read_workbook(raw), as_of, start)
    assert from_csv["source"]["kind"] == "csv"
    for name in ("rows", "cases", "tasks", "communications", "data_issues"):
        assert from_csv[name] == from_xlsx[name], name
    assert open_source(folder).fingerprint == open_source(folder).fingerprint


def test_csv_rows_wider_than_the_header_are_kept(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "DonVi.csv").write_text("Mã đơn vị,Tên đơn vị\nVP,Văn phòng,extra\n",
                                      encoding="utf-8")
    (folder / "PhanAnh.csv").write_text("Mã phản ánh,Ngày tiếp nhận\n", encoding="utf-8")
    raw = open_source(folder)
    assert raw.tabs["DonVi"].shape == (2, 3)


@pytest.mark.parametrize("name, content, message", [
    ("missing.xlsx", None, "not found"),
    ("notes.xlsx", b"plain text, not a zip", r"^Không đọc được tệp .*cannot be read as an Excel"),
    ("notes.ods", b"plain text, not a zip", r"^Không đọc được tệp .*OpenDocument"),
    ("notes.xls", b"plain text, not an OLE2 file", r"^Không đọc được tệp .*Excel 97-2003"),
    ("notes.txt", b"hello", r"^Không đọc được nguồn .*not a supported source"),
])
def test_unreadable_sources_raise_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        open_source(path)


def test_empty_folder_is_not_a_source(tmp_path):
    with pytest.raises(SourceError, match=r"không có tệp .csv nào.* holds no .csv files"):
        open_source(tmp_path)


def _check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", "check", "--source", str(path)],
                          check=False, capture_output=True, text=True, encoding="utf-8")


def test_check_exit_2_names_the_missing_required_tab(tmp_path):
    path = tmp_path / "no_phananh.xlsx"
    book = openpyxl.load_workbook(FIXTURES / "clean.xlsx")
    del book["PhanAnh"]
    book.save(path)
    result = _check(path)
    assert result.returncode == 2
    assert "PhanAnh" in result.stderr and "Traceback" not in result.stderr


def test_check_exit_2_for_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    shutil.copy(FIXTURES / "SAMPLES.md", path)
    result = _check(path)
    assert result.returncode == 2 and "cannot be read as an Excel" in result.stderr


def test_error_cells_are_kept_wherever_they_stand(tmp_path):
    path = tmp_path / "errors.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phản ánh"
    sheet.append(["Mã phản ánh", "Ngày tiếp nhận"])
    sheet.append(["PA-1", dt.date(2026, 11, 2)])
    sheet["B3"] = "#DIV/0!"
    sheet["AB7"] = "#REF!"  # beyond every other cell of the tab
    assert sheet["B3"].data_type == "e"
    book.save(path)
    rows = open_source(path).tabs["Phản ánh"]
    assert rows[2][1] == "#DIV/0!"
    assert rows[6][27] == "#REF!"
    assert rows[1][1] == dt.date(2026, 11, 2)
