"""`wardbrief run` / `check` / `metrics` on workbooks that cannot give true figures, and on
the bundled synthetic sample (issue 9): one rule, one line, the previous briefing kept;
the mark DỮ LIỆU MẪU on every page made from the sample."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from builders import FIXTURES, REPO
from sheets_standin import SheetsStandIn, isolate
from wardbrief.commands import sheet

AS_OF = "2026-11-27"
REFUSAL_START = ("KHÔNG LẬP BÁO CÁO: Trang 'PhanAnh' không có cột 'Mã phản ánh' ở dòng tiêu đề 1, "
                 "nên không đọc được dòng nào; thêm cột hoặc đổi tên tiêu đề thành một trong: "
                 "Mã phản ánh, Ma PA, Case ID. / NOT BRIEFED: tab 'PhanAnh' has no column "
                 "'Mã phản ánh' in its header row 1")


def _cli(*args: str, cwd: Path | None = None, env: dict | None = None
         ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", *args], check=False,
                          capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                          env=env)


def _no_config(tmp: Path) -> dict:
    """An environment without a configured spreadsheet."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDBRIEF_")}
    env["WARDBRIEF_CONFIG"] = str(tmp / "absent.toml")
    return env


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clean sample with its `Mã phản ánh` header renamed, as a member of staff might."""
    path = tmp_path_factory.mktemp("renamed") / "renamed.xlsx"
    book = openpyxl.load_workbook(FIXTURES / "clean.xlsx")
    for cell in book["PhanAnh"][1]:
        if cell.value == "Mã phản ánh":
            cell.value = "Số phiếu"
    book.save(path)
    return path


def test_check_says_first_why_the_workbook_is_not_briefed(renamed: Path) -> None:
    result = _cli("check", "--source", str(renamed))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(REFUSAL_START)
    assert lines[2].split()[:3] == ["Mức", "độ", "Trang"]  # the table comes after it
    assert lines[4].split()[:4] == ["LỖI", "PhanAnh", "1", "Mã"]
    # one error, not one per row of the 300
    assert lines[5:] == ["", ("1 lỗi, 0 cảnh báo, 0 ghi chú — PhanAnh 0/300 dòng hợp lệ, NhiemVu "
                             "31/31 dòng hợp lệ, TruyenThong 89/89 dòng hợp lệ")]


def test_metrics_are_written_but_marked_not_briefable(renamed: Path) -> None:
    result = _cli("metrics", "--source", str(renamed), "--as-of", AS_OF)
    assert result.returncode == 1 and result.stderr.startswith(REFUSAL_START)
    metrics = json.loads(result.stdout)
    assert metrics["briefable"] is False
    assert metrics["rows"]["PhanAnh"] == {"total": 300, "valid": 0, "rejected": 300}


def test_run_publishes_only_the_data_quality_list_and_keeps_the_briefing(
        renamed: Path, tmp_path: Path) -> None:
    previous = tmp_path / AS_OF / "weekly_briefing"
    previous.mkdir(parents=True)
    (previous / "report.html").write_text("<p>giao ban tuần trước</p>", encoding="utf-8")
    (previous / "report.pdf").write_bytes(b"%PDF-previous")
    result = _cli("run", "all", "--source", str(renamed), "--as-of", AS_OF, "--out", str(tmp_path))
    assert result.returncode == 1
    assert 'class="demo"' not in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert result.stderr.strip().splitlines()[-1].startswith(REFUSAL_START)
    assert sorted(p.name for p in (tmp_path / AS_OF).iterdir()  # versions are hidden
                  if not p.name.startswith(".")) == ["data_quality",
                                                                    "weekly_briefing"]
    assert (previous / "report.pdf").read_bytes() == b"%PDF-previous"  # left as it was
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"{AS_OF}/weekly_briefing/report.html" in index
    assert f"{AS_OF}/data_quality/report.html" in index
    page = (tmp_path / AS_OF / "data_quality" / "report.html").read_text(encoding="utf-8")
    assert "Không lập báo cáo kỳ này" in page and "PhanAnh, dòng 1" in page


def _page_texts(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(ln.split()[-1] for ln in info.stdout.splitlines() if ln.startswith("Pages")))
    return [subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(pdf),
                            "-"], capture_output=True, text=True, check=True).stdout
            for n in range(1, pages + 1)]


def test_run_on_the_bundled_sample_marks_every_page(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    result = _cli("run", "weekly_briefing", "--as-of", AS_OF, "--out", str(out), cwd=tmp_path,
                  env=_no_config(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Chú ý: chưa chỉ định nguồn dữ liệu (--source) và chưa cấu "
                                    "hình bảng tính của phường, nên dùng bảng tính MẪU")
    assert "using the bundled SAMPLE workbook" in result.stderr
    folder = out / AS_OF / "weekly_briefing"
    assert json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["source"]["demo"]
    pages = _page_texts(folder / "report.pdf")
    assert len(pages) >= 3
    assert all("DỮ LIỆU MẪU" in text for text in pages)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert '<div class="wardbrief-demo" role="note">DỮ LIỆU MẪU</div>' in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '</strong> <span class="demo">DỮ LIỆU MẪU</span>' in index


def test_a_named_source_is_not_marked(tmp_path: Path) -> None:
    result = _cli("check", "--source", str(FIXTURES / "clean.xlsx"), env=_no_config(tmp_path))
    assert result.returncode == 0 and result.stderr == ""
    assert "DỮ LIỆU MẪU" not in result.stdout


def test_check_on_the_bundled_sample_says_so(tmp_path: Path) -> None:
    result = _cli("check", cwd=tmp_path, env=_no_config(tmp_path))
    assert result.returncode == 0
    assert "bảng tính MẪU data/donghai-demo.xlsx" in result.stderr
    assert result.stdout.startswith("DỮ LIỆU MẪU: số liệu trong văn bản này lấy từ bảng tính mẫu")
    assert (REPO / "data" / "donghai-demo.xlsx").exists()


def test_sheet_publish_refuses_a_workbook_that_cannot_give_true_figures(
        renamed: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture) -> None:
    key = "1BrandNewSheet_DongHai"
    isolate(monkeypatch, tmp_path)
    with SheetsStandIn() as server:
        server.add_spreadsheet(key, {"Trang tính1": []})
        monkeypatch.setenv("WARDBRIEF_SHEETS_API", server.base_url)
        parser = argparse.ArgumentParser(prog="wardbrief")
        sheet.register(parser.add_subparsers(dest="command"))
        args = parser.parse_args(["sheet", "publish", "--key", key, "--source", str(renamed),
                                  "--as-of", "27/11/2026"])
        assert args.func(args) == 1
        assert capsys.readouterr().err.startswith(REFUSAL_START)
        assert not server.requests_to(":batchUpdate")  # the summary tab is not touched
