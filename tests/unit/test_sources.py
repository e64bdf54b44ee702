"""Sources: the raw cells of a workbook or a CSV folder, a stable fingerprint, and errors
that say why a source cannot be read."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
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


def test_a_csv_folders_fingerprint_is_its_files_bytes_made_when_asked(tmp_path):
    """sha256 of each tab's title and its file's sha256, in the files' order; made when
    first asked for, by whatever makes it (a worker: commands.metrics_tasks)."""
    import hashlib
    import json

    from wardbrief.commands.metrics_tasks import FINGERPRINT, work

    folder = write_folder(tmp_path / "csv", {
        "DonVi.csv": DONVI, "Book - PhanAnh.csv": "Mã phản ánh,Nội dung\nPA-1,\"a\"\"b\"\n"})
    raw = open_source(folder)
    assert not raw.fingerprint_made()
    def stamp(name: str) -> tuple[int, int]:
        status = (folder / name).stat()
        return status.st_size, status.st_mtime_ns

    assert raw.files == (  # the files' order, each with its size and mtime as read
        ("PhanAnh", str(folder / "Book - PhanAnh.csv"), stamp("Book - PhanAnh.csv")),
        ("DonVi", str(folder / "DonVi.csv"), stamp("DonVi.csv")))
    digest = hashlib.sha256()
    for title, name in (("PhanAnh", "Book - PhanAnh.csv"), ("DonVi", "DonVi.csv")):
        digest.update(json.dumps(["tab", title], ensure_ascii=False).encode())
        digest.update(hashlib.sha256((folder / name).read_bytes()).digest())
    assert work((FINGERPRINT, raw.files)) == "sha256:" + digest.hexdigest()
    raw.fingerprint_maker = lambda: "sha256:made-elsewhere"
    assert raw.fingerprint == "sha256:made-elsewhere" and raw.fingerprint_made()
    assert open_source(folder).fingerprint == "sha256:" + digest.hexdigest()


def test_a_csv_file_saved_again_after_it_was_read_gets_no_fingerprint(tmp_path):
    """The print is made after the read (when first asked for): a file saved again
    meanwhile would give the print of bytes the figures were not made from. Refused in
    Vietnamese first, naming the file; by the worker of `wardbrief metrics` too."""
    import os

    import pytest
    from wardbrief.commands.metrics_tasks import FINGERPRINT, work
    from wardbrief.read.file_prints import FileChanged

    folder = write_folder(tmp_path / "csv", {
        "DonVi.csv": DONVI, "PhanAnh.csv": "Mã phản ánh,Nội dung\nPA-1,a\n"})
    raw = open_source(folder)
    saved = folder / "PhanAnh.csv"
    saved.write_text("Mã phản ánh,Nội dung\nPA-1,b\n", encoding="utf-8")  # same size
    status = saved.stat()
    os.utime(saved, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    with pytest.raises(SourceError) as refused:
        raw.fingerprint  # noqa: B018 - the property makes it
    message = str(refused.value)
    assert message.startswith("Tệp PhanAnh.csv đã thay đổi") and " / PhanAnh.csv changed" in message
    with pytest.raises(FileChanged):
        work((FINGERPRINT, raw.files))
    assert open_source(folder).fingerprint.startswith("sha256:")  # read again: printed


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


def test_check_exit_1_names_the_missing_required_tab_first(tmp_path):
    path = tmp_path / "no_phananh.xlsx"
    book = openpyxl.load_workbook(FIXTURES / "clean.xlsx")
    del book["PhanAnh"]
    book.save(path)
    result = _check(path)
    assert result.returncode == 1  # read, but not briefable
    first = result.stdout.splitlines()[0]
    assert first.startswith("KHÔNG LẬP BÁO CÁO: Thiếu trang tính bắt buộc PhanAnh")
    assert "NOT BRIEFED: the workbook has no tab 'PhanAnh'" in first
    assert "Traceback" not in result.stderr


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


# --- CSV as programs write it -------------------------------------------------------------

from wardbrief.read.sources import csvfolder
from wardbrief.read.sources import scan as xlsx_scan


def write_folder(folder: Path, files: dict[str, bytes | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


DONVI = "Mã đơn vị,Tên đơn vị,Thủ trưởng\nVP,Văn phòng,Nguyễn Văn A\n"


@pytest.mark.parametrize("line, sep", [
    ("Mã phản ánh;Ngày tiếp nhận;Kênh", ";"),
    ("Mã phản ánh\tNgày tiếp nhận\tKênh", "\t"),
    ("Mã phản ánh,Ngày tiếp nhận,Kênh", ","),
    ('"Kênh; nguồn",Mã phản ánh,Ngày tiếp nhận', ","),  # a ; inside quotes is text
    ('"Tên, đầy đủ";Mã phản ánh;"Ngày"', ";"),
    ("Mã phản ánh", ","),
])
def test_the_separator_is_read_from_the_header_line(line, sep):
    assert csvfolder.detect_separator(line) == sep


def test_semicolon_csv_with_bom_crlf_and_line_breaks_in_cells(tmp_path):
    phananh = ("\ufeffMã phản ánh;Ngày tiếp nhận;Nội dung\r\n"
               'PA-1;02/11/2026;"Đèn hỏng;\nđường tối"\r\n'
               "PA-2;03/11/2026;Rác\r\n")
    folder = write_folder(tmp_path / "csv", {"DonVi.csv": DONVI, "PhanAnh.csv": phananh})
    raw = open_source(folder)
    frame = raw.tabs["PhanAnh"]
    assert frame.shape == (3, 3)
    assert str(frame.iloc[0, 0]) == "Mã phản ánh"  # the BOM is not part of the header
    assert str(frame.iloc[1, 2]) == "Đèn hỏng;\nđường tối"
    workbook = read_workbook(raw)
    assert list(workbook.cases["case_id"]) == ["PA-1", "PA-2"]
    assert workbook.cases["received"].tolist()[0] == dt.date(2026, 11, 2) or \
        str(workbook.cases["received"].tolist()[0])[:10] == "2026-11-02"


@pytest.mark.parametrize("before", ["\n", "\r\n\r\n", ";;;\n", ";\n\n", "  \n"])
def test_the_header_is_the_first_non_blank_line(tmp_path, before):
    phananh = before + "Mã phản ánh;Ngày tiếp nhận\nPA-1;02/11/2026\nPA-2;03/11/2026\n"
    folder = write_folder(tmp_path / "csv", {"DonVi.csv": DONVI, "PhanAnh.csv": phananh})
    workbook = read_workbook(open_source(folder))
    assert len(workbook.cases) == 2
    blank_lines = before.count("\n")
    # row numbers stay those of the file: the first case is on line blank_lines + 2
    assert workbook.rows["PhanAnh"]["total"] == 2
    frame = open_source(folder).tabs["PhanAnh"]
    assert str(frame.iloc[blank_lines, 0]) == "Mã phản ánh"


@pytest.mark.parametrize("stems, titles", [
    (["Theo dõi phản ánh - PhanAnh", "Theo dõi phản ánh - DonVi",
      "Theo dõi phản ánh - HuongDan"], ["PhanAnh", "DonVi", "HuongDan"]),
    (["messy-PhanAnh", "messy-Nhiệm vụ", "messy-Truyền thông"],
     ["PhanAnh", "Nhiệm vụ", "Truyền thông"]),
    (["Book - Nhiệm vụ", "Book - DonVi", "Book - Nhiệm vụ 2026"],
     ["Nhiệm vụ", "DonVi", "Nhiệm vụ 2026"]),
    (["Phường Đông Hải - Theo dõi - PhanAnh", "theo-doi-DonVi"], ["PhanAnh", "DonVi"]),
    (["Nhiệm vụ", "PhanAnh", "Ghi chú - cũ"], ["Nhiệm vụ", "PhanAnh", "Ghi chú - cũ"]),
])
def test_tab_titles_from_download_file_names(stems, titles):
    assert [csvfolder.tab_titles(stems)[s] for s in stems] == titles


def test_a_missing_required_tab_lists_the_files_and_the_naming_rule(tmp_path):
    folder = write_folder(tmp_path / "csv", {"DonVi.csv": DONVI, "Phan_Anh_2026.csv": "x\n"})
    with pytest.raises(SourceError) as caught:
        open_source(folder)
    message = str(caught.value)
    assert "thiếu trang bắt buộc PhanAnh" in message and "lacks the required tab" in message
    assert "'Phan_Anh_2026.csv'" in message and "'DonVi.csv'" in message
    assert "<Tên bảng tính> - PhanAnh.csv" in message and "<book>-PhanAnh.csv" in message


def test_a_csv_beyond_the_row_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfolder, "MAX_ROWS", 10)
    rows = "".join(f"PA-{i},02/11/2026\n" for i in range(20))
    folder = write_folder(tmp_path / "csv", {"DonVi.csv": DONVI,
                                             "PhanAnh.csv": "Mã phản ánh,Ngày tiếp nhận\n" + rows})
    with pytest.raises(SourceError, match=r"quá lớn.*hơn 10 dòng.*too large"):
        open_source(folder)


def test_a_csv_folder_is_refused_on_its_filled_cells_not_its_blank_ones(tmp_path, monkeypatch):
    """The folder's limit counts non-empty cells (a file's size bounds them: they are
    counted only when the sizes could be past the limit, those of earlier files too)."""
    blanks = "".join(f"PA-{i},02/11/2026,,,  ,\n" for i in range(10))  # 2 filled cells of 6
    posts = "".join(f"0{i}/11/2026,Facebook\n" for i in range(1, 5))
    folder = write_folder(tmp_path / "csv", {
        "DonVi.csv": DONVI, "PhanAnh.csv": "Mã phản ánh,Ngày tiếp nhận,,,,\n" + blanks,
        "TruyenThong.csv": "Ngày đăng,Kênh\n" + posts})
    filled = 6 + (2 + 2 * 10) + 10  # DonVi, PhanAnh (66 cells), TruyenThong
    for limit in (80, filled):  # 6 + 66 + 10 cells would be past 80
        monkeypatch.setattr(csvfolder, "MAX_CELLS", limit)
        assert len(open_source(folder).tabs["PhanAnh"]) == 11
    monkeypatch.setattr(csvfolder, "MAX_CELLS", filled - 1)
    with pytest.raises(SourceError, match=r"quá lớn.*hơn 37 ô có dữ liệu.*too large"):
        open_source(folder)


def test_a_csv_path_points_at_its_folder(tmp_path):
    file = tmp_path / "PhanAnh.csv"
    file.write_text("Mã phản ánh\n", encoding="utf-8")
    with pytest.raises(SourceError, match=f"thư mục chứa chúng: {re.escape(str(tmp_path))}"):
        open_source(file)


# --- the xlsx XML, as Excel and the OpenXML SDK write it ----------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def handmade_xlsx(path: Path, sheet_data: str, prefix: str = "") -> Path:
    """A minimal workbook whose one sheet's <sheetData> is `sheet_data` (inline strings)."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}workbook {ns} xmlns:r="{RELS}">'
            f'<{p}sheets><{p}sheet name="Phản ánh" sheetId="1" r:id="rId1"/></{p}sheets>'
            f'</{p}workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELS}'
            '/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}><{p}dimension ref="A1:XFD1048576"/>'
            f'<{p}sheetData>{sheet_data.replace("<", "<" + p).replace("<" + p + "/", "</" + p)}'
            f'</{p}sheetData></{p}worksheet>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def istr(text: str) -> str:
    return f'<is><t>{text}</t></is>'


# an error cell whose shared formula is self-closing, right before a formula cell with a value:
# the old text scan gave A3 the value of B3
SHARED = (f'<row r="1"><c r="A1" t="inlineStr">{istr("Mã phản ánh")}</c>'
          f'<c r="B1" t="inlineStr">{istr("Số")}</c></row>'
          '<row r="2"><c r="A2" t="e"><f t="shared" ref="A2:A3" si="0">1/0</f><v>#DIV/0!</v></c>'
          '<c r="B2"><f>1+1</f><v>2</v></c></row>'
          '<row r="3"><c r="A3" t="e"><f t="shared" si="0"/><v>#DIV/0!</v></c>'
          '<c r="B3"><f t="shared" ref="B3:B4" si="1">B2+1</f><v>3</v></c></row>'
          '<row r="4"><c r="A4" t="inlineStr"><f t="shared" si="0"/><is><t>PA-4</t></is></c>'
          '<c r="B4"><f t="shared" si="1"/><v>4</v></c></row>')
# rows and cells without r=, as the OpenXML SDK writes them
NO_REFS = ('<row><c t="inlineStr">' + istr("Mã phản ánh") + '</c><c t="inlineStr">'
           + istr("Số") + '</c></row>'
           '<row><c t="e"><v>#N/A</v></c><c><v>7</v></c></row>'
           '<row r="5"><c r="C5" t="e"><v>#REF!</v></c><c t="e"><v>#NAME?</v></c></row>'
           '<row><c/><c t="inlineStr">' + istr("x") + '</c></row>')


@pytest.mark.parametrize("prefix", ["", "x"])
def test_shared_formula_error_cells_keep_their_own_text(tmp_path, prefix):
    rows = open_source(handmade_xlsx(tmp_path / "shared.xlsx", SHARED, prefix)).tabs["Phản ánh"]
    assert rows == [["Mã phản ánh", "Số"], ["#DIV/0!", 2.0], ["#DIV/0!", 3.0], ["PA-4", 4.0]]


@pytest.mark.parametrize("prefix", ["", "x"])
def test_rows_and_cells_without_references_stand_in_order(tmp_path, prefix):
    rows = open_source(handmade_xlsx(tmp_path / "norefs.xlsx", NO_REFS, prefix)).tabs["Phản ánh"]
    assert rows == [["Mã phản ánh", "Số"], ["#N/A", 7.0], [], [],
                    [None, None, "#REF!", "#NAME?"], [None, "x"]]


def test_a_stray_cell_in_column_xfd_costs_one_row(tmp_path):
    path = tmp_path / "stray.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PhanAnh"
    sheet.append(["Mã phản ánh", "Ngày tiếp nhận"])
    for i in range(400):  # 400 rows x 16384 columns would be a grid of 6.5 M cells
        sheet.append([f"PA-{i}", dt.date(2026, 11, 2)])
    sheet["XFD3"] = "x"
    sheet["C5"] = "#N/A"
    book.save(path)
    rows = open_source(path).tabs["PhanAnh"]
    assert len(rows) == 401
    assert [len(r) for r in rows[:5]] == [2, 2, 16384, 2, 3]
    assert rows[2][-1] == "x" and rows[4][2] == "#N/A"
    assert rows[1] == ["PA-0", dt.date(2026, 11, 2)]


def test_a_cell_beyond_the_row_limit_is_refused_naming_it(tmp_path):
    path = tmp_path / "far.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "PhanAnh"
    book.active["A1"] = "Mã phản ánh"
    book.active["B1048576"] = "x"
    book.save(path)
    with pytest.raises(SourceError, match=r"^.*quá lớn.*ô B1048576.*too large.*B1048576"):
        open_source(path)


def test_too_many_cells_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_scan, "MAX_CELLS", 100)
    with pytest.raises(SourceError, match=r"hơn 100 ô có dữ liệu.*more than 100 non-empty"):
        open_source(FIXTURES / "clean.xlsx")


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path, monkeypatch):
    """A sheet XML that unpacks past the limit is refused before anything is unpacked."""
    path = tmp_path / "bomb.xlsx"
    big = "".join(f'<row r="{r}"><c r="A{r}"><v>0</v></c></row>' for r in range(1, 20_001))
    handmade_xlsx(path, big)
    monkeypatch.setattr(xlsx_scan, "MAX_XML_BYTES", 100_000)
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open",
                        lambda self, name, *a, **k: opened.append(str(name)) or
                        real_open(self, name, *a, **k))
    with pytest.raises(SourceError, match=r"giải nén ra .* GB.*unpacks to"):
        open_source(path)
    assert not any("worksheets" in name for name in opened)


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_scan, "MAX_FILE_BYTES", 1000)
    with pytest.raises(SourceError, match=r"quá lớn.*too large"):
        open_source(FIXTURES / "clean.xlsx")


def test_a_csv_with_another_separator_says_so_at_its_header(tmp_path):
    phananh = "\nMã phản ánh|Ngày tiếp nhận\nPA-1|02/11/2026\n"
    folder = write_folder(tmp_path / "csv", {"DonVi.csv": DONVI, "PhanAnh.csv": phananh})
    workbook = read_workbook(open_source(folder))
    notes = [i for i in workbook.issues if "chỉ có một cột" in i.message]
    assert [(i.sheet, i.row, i.severity) for i in notes] == [("PhanAnh", 2, "warning")]
    assert "'Mã phản ánh|Ngày tiếp nhận'" in notes[0].message and "',', ';' or tab" in \
        notes[0].message


def test_an_xls_that_is_really_xlsx_or_a_web_page(tmp_path):
    renamed = tmp_path / "renamed.xls"
    shutil.copy(FIXTURES / "clean.xlsx", renamed)
    assert open_source(renamed).tabs == open_source(FIXTURES / "clean.xlsx").tabs
    page = tmp_path / "export.xls"
    page.write_text("<html><body><table><tr><td>Mã phản ánh</td></tr></table></body></html>",
                    encoding="utf-8")
    with pytest.raises(SourceError, match=r"^Tệp .* là một trang web .*\.xlsx\. / .* web page"):
        open_source(page)


# --- the quick scan of the sheet XML: the element scan's figures, or none ------------------------

def _both_scans(path: Path) -> list[tuple[xlsx_scan.TabScan | None, xlsx_scan.TabScan]]:
    out = []
    with zipfile.ZipFile(path) as archive:
        members, _ = xlsx_scan.xlsx_sheet_members(archive)
        for title, member in members.items():
            with archive.open(member) as stream:
                quick = xlsx_scan.quick_scan_xlsx_sheet(stream)
            with archive.open(member) as stream:
                out.append((quick, xlsx_scan.scan_xlsx_sheet(stream, title, xlsx_scan.Budget("x"))))
    return out


def _figures(scan: xlsx_scan.TabScan) -> tuple:
    return scan.errors, scan.cells, scan.last_row, scan.last_column


@pytest.mark.parametrize("name", ["clean.xlsx", "messy.xlsx"])
def test_the_quick_scan_gives_the_element_scans_figures(name):
    scans = _both_scans(FIXTURES / name)
    assert all(quick is not None for quick, _ in scans)  # as openpyxl writes them
    assert [_figures(q) for q, _ in scans] == [_figures(e) for _, e in scans]
    assert any(e.errors for _, e in scans) == (name == "messy.xlsx")


def test_the_quick_scan_reads_error_cells_with_their_formulas(tmp_path):
    (quick, element), = _both_scans(handmade_xlsx(tmp_path / "shared.xlsx", SHARED))
    assert quick is not None and _figures(quick) == _figures(element)
    assert quick.errors == {(2, 1): "#DIV/0!", (3, 1): "#DIV/0!"}


@pytest.mark.parametrize("sheet_data", [
    NO_REFS,  # cells and rows without r=
    SHARED.replace('<c r="A3" t="e">', "<c t='e' r='A3'>"),  # single quotes, r= not first
    SHARED.replace("</row>", '<!-- <c r="XFD1048576"><v>1</v></c> --></row>', 1),
    SHARED.replace('<row r="2">', '<row r="2"><y:c xmlns:y="urn:y" r="XFD9"><v>1</v></y:c>'),
    SHARED.replace('r="B2"', 'r="B 2"'),
    SHARED.replace('<c r="A3" t="e">', '<c r="A3" t = "e">'),  # spaces around =
])
def test_the_quick_scan_leaves_what_it_cannot_vouch_for_to_the_element_scan(tmp_path,
                                                                            sheet_data):
    (quick, _), = _both_scans(handmade_xlsx(tmp_path / "odd.xlsx", sheet_data))
    assert quick is None


def test_an_empty_row_far_below_the_data_neither_refuses_nor_grids_the_tab(tmp_path):
    data = SHARED + '<row r="1048576" ht="20" customHeight="1"/>'
    path = handmade_xlsx(tmp_path / "tall.xlsx", data)
    (quick, element), = _both_scans(path)
    assert quick is not None and quick.last_row == 1_048_576 and element.last_row == 4
    assert open_source(path).tabs["Phản ánh"][3] == ["PA-4", 4.0]


def test_a_bad_byte_far_down_a_csv_is_named_by_its_line(tmp_path):
    """pandas reads the bytes itself (BOM dropped, each cell decoded strictly); the line
    of the first byte that is not UTF-8 still comes from the streaming check."""
    lines = ["Mã phản ánh,Ngày tiếp nhận"] + [f"PA-{i},02/11/2026" for i in range(6000)]
    data = ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
    at = data.index(b"PA-5500,")
    folder = write_folder(tmp_path / "csv", {
        "DonVi.csv": DONVI, "PhanAnh.csv": data[:at] + b"PA-\xe0 5500," + data[at + 8:]})
    with pytest.raises(SourceError, match=r"PhanAnh\.csv không phải văn bản UTF-8 \(ký tự lạ ở dòng 5502\)"):
        open_source(folder)
    (folder / "PhanAnh.csv").write_bytes(data)
    rows = open_source(folder).tabs["PhanAnh"]
    assert rows.iloc[0, 0] == "Mã phản ánh" and rows.shape == (6001, 2)


def test_a_workbooks_fingerprint_is_made_where_it_is_first_read():
    """The print of the cells is made in this process (no other process starts in a
    source, which may run in a notebook kernel) when first read, then kept."""
    from wardbrief.read.sources import base

    raw = open_source(FIXTURES / "messy.xlsx")
    made = base.RawWorkbook("xlsx", str(FIXTURES / "messy.xlsx"), raw.tabs)
    assert made.__dict__["_fingerprint"] == ""  # not made yet
    assert made.fingerprint == base.fingerprint_tabs(raw.tabs) == raw.fingerprint
    assert made.fingerprint.startswith("sha256:")
    assert made.source_info()["fingerprint"] == raw.fingerprint
    assert base.RawWorkbook("xlsx", "given", {}, fingerprint="sha256:given").fingerprint == (
        "sha256:given")


# --- a large CSV file parsed by Arrow reads as pandas reads it ----------------------------

_ARROW_CASES = {
    "bom, CRLF, quotes, line breaks": ((
        "\ufeffMã phản ánh,Ngày tiếp nhận,Nội dung,Người phản ánh\r\n"
        'PA-1,02/11/2026,"Đèn hỏng, đường tối",Nguyễn Văn A\r\n'
        'PA-2,03/11/2026,"Rác ""tồn"" đọng\nngõ 5\r\nđã lâu",\r\n'
        "PA-3,,  ,Trần Thị B\r\n"), True),
    "semicolons, no BOM, LF": (
        "Mã phản ánh;Ngày tiếp nhận;Nội dung\nPA-1;02/11/2026;a;b\"c\nPA-2;;\n", False),
    "tabs": ("Mã phản ánh\tNội dung\nPA-1\tĐèn hỏng\nPA-2\t\n", True),
    "header only": ("Mã phản ánh,Nội dung\n", True),
    "a quote inside a cell": ('Mã,Nội dung\nPA-1,ab"c\nPA-2,"x"\n', False),  # odd quotes
    "blank lines before the header": ("\n\nMã,Nội dung\nPA-1,a\n", True),
    "a blank line inside": ("Mã,Nội dung\nPA-1,a\n\nPA-2,b\n", True),
    "a row wider than the header": ("Mã,Nội dung\nPA-1,a,thừa\nPA-2,b\n", False),
    "a row narrower": ("Mã,Nội dung,Hạn\nPA-1,a\nPA-2,b,c\n", False),
    "no line break at the end": ("Mã,Nội dung\nPA-1,a", True),
    "old Mac line breaks": ("Mã,Nội dung\rPA-1,a\rPA-2,b\r", True),
    "a quote left open": ('Mã,Nội dung\nPA-1,"a\nPA-2,b\n', False),
}


@pytest.mark.parametrize("name", list(_ARROW_CASES))
def test_arrow_reads_a_csv_file_as_pandas_does_or_leaves_it_to_pandas(tmp_path, monkeypatch,
                                                                       name):
    text, by_arrow = _ARROW_CASES[name]
    file = tmp_path / "PhanAnh.csv"
    file.write_bytes(text.encode("utf-8"))
    sep = csvfolder.detect_separator(csvfolder.header_line(csvfolder._head(file)))
    width = max(len(r) for r in csv.reader(text.lstrip("\ufeff").splitlines(), delimiter=sep))
    assert (csvfolder._read_arrow(file, sep, width) is not None) == by_arrow
    monkeypatch.setattr(csvfolder, "ARROW_BYTES", 1 << 40)
    try:
        by_pandas = csvfolder.read_csv_file(file)
    except Exception as exc:  # noqa: BLE001 - the same error is expected
        by_pandas = exc
    monkeypatch.setattr(csvfolder, "ARROW_BYTES", 0)
    try:
        read = csvfolder.read_csv_file(file)
    except Exception as exc:  # noqa: BLE001
        read = exc
    if isinstance(by_pandas, Exception):
        assert type(read) is type(by_pandas) and str(read) == str(by_pandas)
        return
    pd.testing.assert_frame_equal(read, by_pandas, check_column_type=False)
    for col in read.columns:  # the same distinct cells in the same order, the same codes
        assert list(read[col].cat.categories) == list(by_pandas[col].cat.categories)
        assert read[col].cat.codes.tolist() == by_pandas[col].cat.codes.tolist()


def test_a_bad_byte_in_a_large_csv_is_still_named_by_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfolder, "ARROW_BYTES", 0)
    folder = write_folder(tmp_path / "csv", {"DonVi.csv": DONVI})
    (folder / "PhanAnh.csv").write_bytes(
        "Mã phản ánh,Nội dung\nPA-1,Đèn\nPA-2,".encode() + b"\xff\xfe" + b"\n")
    with pytest.raises(SourceError, match=r"PhanAnh\.csv không phải văn bản UTF-8 \(ký tự lạ ở dòng 3\)"):
        open_source(folder)


def test_csv_folder_read_by_arrow_gives_the_workbooks_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfolder, "ARROW_BYTES", 0)
    test_csv_folder_gives_the_same_figures_as_the_workbook(tmp_path)


def test_arrow_keeps_a_column_of_distinct_cells_as_text_and_the_workbook_is_the_same(
        tmp_path, monkeypatch):
    """A large file's column nearly every cell of which differs (ids, phones) is kept as
    text by Arrow: the same cells as pandas reads, the same cases from them."""
    from wardbrief.read.contract import read_workbook

    rows = "".join(f"PA-{i:05d},0{i % 3}/11/2026,{'' if i % 50 == 0 else f' 09{i:08d} '},"
                   f"{'Tổ 1' if i % 2 else 'Tổ 2'}\n" for i in range(1, 400))
    folder = write_folder(tmp_path / "csv", {
        "DonVi.csv": DONVI,
        "PhanAnh.csv": "Mã phản ánh,Ngày tiếp nhận,Số điện thoại,Địa bàn\n" + rows})
    monkeypatch.setattr(csvfolder, "ARROW_BYTES", 1 << 40)
    by_pandas = open_source(folder)
    monkeypatch.setattr(csvfolder, "ARROW_BYTES", 0)
    monkeypatch.setattr(csvfolder, "TEXT_MIN_ROWS", 100)
    by_arrow = open_source(folder)
    arrow, pandas = by_arrow.tabs["PhanAnh"], by_pandas.tabs["PhanAnh"]
    assert [str(t) for t in arrow.dtypes[[0, 2]]] == ["object", "object"]
    assert isinstance(arrow[3].dtype, pd.CategoricalDtype)
    for col in arrow.columns:
        assert arrow[col].astype(object).tolist() == pandas[col].astype(object).tolist()
    from_arrow, from_pandas = read_workbook(by_arrow), read_workbook(by_pandas)
    pd.testing.assert_frame_equal(from_arrow.cases, from_pandas.cases)
    for col in ("case_id", "phone"):
        assert [type(v) for v in from_arrow.cases[col]] == [
            type(v) for v in from_pandas.cases[col]]
    assert [i.as_dict() for i in from_arrow.issues] == [i.as_dict() for i in from_pandas.issues]


@pytest.mark.parametrize("block", [128, 300, 1000, 1 << 20])
def test_arrow_reads_line_breaks_in_cells_wherever_its_blocks_are_cut(tmp_path, monkeypatch,
                                                                      block):
    """Arrow first cuts its blocks at any line break; a cut inside a quoted cell must
    never give other cells than pandas reads (here the second half of a cell cut after
    its line break even holds as many commas as the row lacks)."""
    rows = "".join(
        f'PA-{i},"dòng {i}\nvà ""tiếp"" {i}, nữa",{i % 7}\r\n' if i % 3 == 1 else
        f'PA-{i},"a {i}\nb,c",z\n' if i % 3 == 2 else f"PA-{i},một dòng,{i % 7}\n"
        for i in range(300))
    file = tmp_path / "PhanAnh.csv"
    file.write_bytes(("Mã phản ánh,Nội dung,Khác\n" + rows).encode("utf-8"))
    monkeypatch.setattr(csvfolder, "ARROW_BLOCK_BYTES", block)
    by_arrow = csvfolder._read_arrow(file, ",", 3)
    assert by_arrow is not None and len(by_arrow) == 301
    monkeypatch.setattr(csvfolder, "ARROW_BYTES", 1 << 40)
    by_pandas = csvfolder.read_csv_file(file)
    pd.testing.assert_frame_equal(by_arrow, by_pandas, check_column_type=False)
    for col in by_arrow.columns:
        assert list(by_arrow[col].cat.categories) == list(by_pandas[col].cat.categories)
        assert by_arrow[col].cat.codes.tolist() == by_pandas[col].cat.codes.tolist()
    assert by_arrow[1].iloc[3] == 'a 2\nb,c'
