"""Files as real programs write them (tests/fixtures/real/README.md says how each was made):
LibreOffice .ods and .xls, Google Sheets and LibreOffice CSV downloads, Excel's `;` CSV
UTF-8 (BOM, CRLF), shared formulas as Excel writes them and prefixed XML as the OpenXML
SDK writes it. Each gives the figures of the sample .xlsx it was made from."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from builders import FIXTURES
from wardbrief.figures.metrics import compute_metrics
from wardbrief.read.contract import read_workbook
from wardbrief.read.sources import RawWorkbook, SourceError, open_source

REAL = FIXTURES / "real"
AS_OF, PERIOD_START = dt.date(2026, 11, 27), dt.date(2026, 11, 1)


def figures(source: Path | RawWorkbook) -> dict:
    raw = source if isinstance(source, RawWorkbook) else open_source(source)
    return compute_metrics(read_workbook(raw), AS_OF, PERIOD_START)


def issue_keys(metrics: dict) -> set[tuple]:
    return {(i["sheet"], i["row"], i["severity"]) for i in metrics["data_issues"]}


def assert_same_figures(got: dict, want: dict, extra_issues: set[tuple] = frozenset()) -> None:
    for name, value in want.items():
        if name not in ("source", "data_issues"):
            assert got[name] == value, name
    assert issue_keys(got) == issue_keys(want) | set(extra_issues)


@pytest.fixture(scope="module")
def sample():
    return {name: figures(FIXTURES / f"{name}.xlsx") for name in ("clean", "messy")}


@pytest.mark.parametrize("sample_name, variant, kind", [
    ("clean", "clean.ods", "ods"),
    ("messy", "messy.ods", "ods"),
    ("clean", "clean.xls", "xls"),
    ("messy", "messy.xls", "xls"),
    ("clean", "clean-google-csv", "csv"),
    ("clean", "clean-lo-csv", "csv"),
    ("clean", "clean-semicolon-csv", "csv"),
])
def test_a_sample_saved_by_another_program_gives_its_figures(sample, sample_name, variant, kind):
    got = figures(REAL / variant)
    assert got["source"]["kind"] == kind
    assert_same_figures(got, sample[sample_name])


@pytest.mark.parametrize("variant, warnings", [
    ("shared-formula.xlsx", range(18, 23)),  # K18:K22 =DATEVALUE(...) filled down: #VALUE!
    ("shared-formula-recalculated.ods", range(18, 23)),  # LibreOffice's own: Err:502
    ("prefixed.xlsx", (2, 4)),  # x: prefixes, rows and cells without r=, two error cells
])
def test_error_cells_of_formulas_are_one_warning_each_and_nothing_else_moves(
        sample, variant, warnings):
    got = figures(REAL / variant)
    assert_same_figures(got, sample["clean"], {("PhanAnh", row, "warning") for row in warnings})
    quoted = {i["row"]: i["message"] for i in got["data_issues"] if i["row"] in warnings
              and i["severity"] == "warning"}
    assert all(re.search(r"'(#VALUE!|#N/A|Err:502)'", m) for m in quoted.values()), quoted


def test_error_cells_reach_the_contract_as_their_text():
    shared = open_source(REAL / "shared-formula.xlsx").tabs
    assert [shared["PhanAnh"][r - 1][10] for r in range(18, 23)] == ["#VALUE!"] * 5
    # the filled-down formulas with valid results keep their cached values
    clean = open_source(FIXTURES / "clean.xlsx").tabs
    assert [shared["PhanAnh"][r - 1][9] for r in range(23, 28)] == \
        [clean["PhanAnh"][r - 1][9] for r in range(23, 28)]
    assert [shared["NhiemVu"][r - 1][8] for r in range(6, 11)] == [100.0] * 5
    prefixed = open_source(REAL / "prefixed.xlsx").tabs
    assert prefixed["PhanAnh"][3][10] == "#VALUE!" and prefixed["PhanAnh"][1][11] == "#N/A"
    for title, rows in clean.items():  # every other cell lands where clean.xlsx has it
        got = [list(r) for r in prefixed[title]]
        if title == "PhanAnh":
            got[3][10] = got[1][11] = None
        assert [_trim(r) for r in got] == [_trim(r) for r in rows], title
    for name in ("messy.ods", "messy.xls"):
        assert open_source(REAL / name).tabs["PhanAnh"][36][11] == "#VALUE!", name
    recalculated = open_source(REAL / "shared-formula-recalculated.ods").tabs
    assert [recalculated["PhanAnh"][r - 1][10] for r in range(18, 23)] == ["Err:502"] * 5


def _trim(row: list) -> list:
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


def test_an_ods_error_cell_without_libreoffice_marks_is_still_found(tmp_path):
    """Other programs write no calcext:value-type: a formula whose text is an error."""
    source = REAL / "messy.ods"
    copy = tmp_path / "plain.ods"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(copy, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "content.xml":
                data = re.sub(rb' calcext:value-type="[a-z]+"', b"", data)
                assert b'calcext:value-type="error"' not in data
            new.writestr(item, data)
    assert open_source(copy).tabs["PhanAnh"][36][11] == "#VALUE!"


# --- CSV downloads ---------------------------------------------------------------------------

def test_csv_names_given_by_google_and_libreoffice_become_the_tab_titles():
    google = open_source(REAL / "messy-google-csv")
    assert sorted(google.tabs) == sorted(["HuongDan", "DonVi", "Lĩnh vực", "CauHinh",
                                          "NgayNghi", "PhanAnh", "Nhiệm vụ",
                                          "Truyền thông", "ChiTieu"])
    assert sorted(open_source(REAL / "messy-lo-csv").tabs) == sorted(google.tabs)


@pytest.mark.parametrize("variant", ["messy-google-csv", "messy-semicolon-csv"])
def test_messy_csv_downloads_agree_with_each_other(variant):
    want = figures(REAL / "messy-lo-csv")
    got = figures(REAL / variant)
    assert_same_figures(got, want)


def as_csv_text(cell: object) -> object:
    """A cell as LibreOffice writes it into a CSV (a CSV keeps no cell types)."""
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def test_messy_csv_is_the_messy_workbook_with_every_cell_as_text(sample):
    """messy.xlsx has dates typed as serial numbers in number cells: as text in a CSV the
    contract cannot read them, so the CSV's figures are those of the workbook's cells
    turned into text, and differ from the workbook's by exactly that."""
    raw = open_source(FIXTURES / "messy.xlsx")
    texts = {title: [[as_csv_text(c) for c in row] for row in rows]
             for title, rows in raw.tabs.items()}
    want = figures(RawWorkbook(kind="csv", location="messy as text", tabs=texts))
    got = figures(REAL / "messy-lo-csv")
    assert_same_figures(got, want)
    assert got["rows"]["PhanAnh"]["valid"] < sample["messy"]["rows"]["PhanAnh"]["valid"]


def test_a_csv_in_another_encoding_says_how_to_save_it_as_utf8(tmp_path):
    with pytest.raises(SourceError) as caught:
        open_source(REAL / "cp1258-csv")
    message = str(caught.value)
    assert "DonVi.csv" in message
    assert message.index("không phải văn bản UTF-8") < message.index("is not UTF-8")
    assert "CSV UTF-8" in message and "Traceback" not in message


def test_an_ods_with_a_formatted_million_rows_reads_its_used_range_only(tmp_path):
    """LibreOffice writes a formatted whole column as one row repeated ~a million times:
    neither the scan nor calamine may make a grid of it."""
    source = REAL / "clean.ods"
    copy = tmp_path / "formatted.ods"
    filler = (b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
              b'table:style-name="ce1" table:number-columns-repeated="1024"/></table:table-row>')
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(copy, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "content.xml":
                data = data.replace(b"</table:table>", filler + b"</table:table>")
            new.writestr(item, data)
    assert open_source(copy).tabs == open_source(source).tabs
