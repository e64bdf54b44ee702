"""`wardbrief city` end to end: the five-ward city of the samples equals its expected
city.json, and cities generated here (two wards with the same cases, a sheet refused, a
workbook missing) roll up as CONTRACT section 6 says; the city briefing's first page
names the first and the last ward and every ward not briefed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
from builders import FIXTURES
from city_compare import city_differences
from wardbrief import demo
from wardbrief.exit_codes import EXIT_WARDS_NOT_BRIEFED

CITY = FIXTURES / "city"


def city(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDBRIEF_")}
    env["WARDBRIEF_CONFIG"] = str(tmp / "absent.toml")
    return subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", "city", *args],
                          check=False, capture_output=True, text=True, encoding="utf-8",
                          env=env)


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def test_the_five_ward_city_equals_its_expected_roll_up(tmp_path):
    out = tmp_path / "out"
    done = city("--registry", str(CITY / "wards.csv"), "--as-of", "2026-11-27",
                "--period-start", "2026-11-01", "--out", str(out), "--jobs", "2", tmp=tmp_path)
    assert done.returncode == EXIT_WARDS_NOT_BRIEFED, done.stderr
    actual = json.loads((out / "city.json").read_text(encoding="utf-8"))
    expected = json.loads((CITY / "city.expected.json").read_text(encoding="utf-8"))
    assert city_differences(expected, actual) == []
    # a progress line per ward, the reasons of the two not briefed
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("[")]
    assert sorted(ln.split()[1] for ln in lines) == ["w01", "w02", "w03", "w04", "w05"]
    reasons = {w["code"]: w["reason"] for w in actual["not_briefed"]}
    assert "không có cột 'Ngày tiếp nhận'" in reasons["w04"]
    assert reasons["w05"] == "không tìm thấy bảng tính sheets/w05-missing.xlsx"
    # each ward published as its own; the city's briefing in three formats
    # (a week given by its dates: the folder names them)
    assert (out / "wards" / "w01" / "2026-11-27" / "weekly_briefing-2026-11-01..2026-11-27" /
            "metrics.json").is_file()
    assert (out / "wards" / "w01" / "index.html").is_file()
    folder = out / "2026-11-27" / "city_briefing"
    assert {p.name for p in folder.iterdir()} >= {"report.pdf", "report.html", "report.docx",
                                                 "city.json"}
    page1 = pdf_pages(folder / "report.pdf")[0]
    assert "ỦY BAN NHÂN DÂN" in page1 and "THÀNH PHỐ HẢI PHÒNG" in page1
    assert "Dẫn đầu: Xã Kiến Thụy và Xã Tiên Lãng" in page1 or \
        "Dẫn đầu: Xã Tiên Lãng và Xã Kiến Thụy" in page1
    assert "Thấp nhất: Phường Đồ Sơn" in page1
    assert "Xã An Lão (w04)" in page1 and "Phường Kiến An (w05)" in page1
    # figures only: no citizen's name or phone from the sheets in the city's outputs
    text = (folder / "report.html").read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(CITY / "sheets" / "w01.xlsx", read_only=True)
    rows = list(sheet["PhanAnh"].iter_rows(min_row=2, max_row=40, values_only=True))
    header = [c for c in next(sheet["PhanAnh"].iter_rows(max_row=1, values_only=True))]
    for column in ("Người phản ánh", "Số điện thoại"):
        where = header.index(column)
        assert not any(r[where] and str(r[where]) in text for r in rows)


def _generated(folder: Path, seed: int, cases: int = 120) -> Path:
    path = folder / f"seed{seed}.xlsx"
    demo.write_xlsx(demo.generate(seed=seed, cases=cases), path)
    return path


def test_a_generated_city_with_a_tie_a_refused_sheet_and_a_missing_workbook(tmp_path):
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    one = _generated(sheets, 11)
    shutil.copy(one, sheets / "twin.xlsx")
    _generated(sheets, 12)
    refused = _generated(sheets, 13)
    book = openpyxl.load_workbook(refused)
    for cell in book["PhanAnh"][1]:
        if cell.value == "Mã phản ánh":
            cell.value = "Số hồ sơ"
    book.save(refused)
    registry = tmp_path / "wards.csv"
    registry.write_text("code,name,source\n"
                        "b,Phường Bình,sheets/twin.xlsx\n"
                        "a,Phường An,sheets/seed11.xlsx\n"
                        "c,Xã Cát,sheets/seed12.xlsx\n"
                        "r,Xã Rạng,sheets/seed13.xlsx\n"
                        "m,Đặc khu Mới,sheets/none.xlsx\n", encoding="utf-8")
    out = tmp_path / "out"
    done = city("--registry", str(registry), "--as-of", "2026-11-27", "--out", str(out),
                "--jobs", "2", tmp=tmp_path)
    assert done.returncode == EXIT_WARDS_NOT_BRIEFED, done.stderr
    result = json.loads((out / "city.json").read_text(encoding="utf-8"))
    assert result["period_start"] == "2026-11-21"  # the contract's default week
    assert {w["code"] for w in result["not_briefed"]} == {"r", "m"}
    wards = {w["code"]: w for w in result["wards"]}
    assert wards["a"]["cases"] == wards["b"]["cases"] and wards["a"]["rank"] == wards["b"]["rank"]
    # the ranks follow the rule over what each ward's own metrics.json says
    mine = {}
    for code in ("a", "b", "c"):
        metrics = json.loads((out / "wards" / code / "2026-11-27" / "weekly_briefing" /
                              "metrics.json").read_text(encoding="utf-8"))
        assert metrics["cases"]["totals"] == wards[code]["cases"]
        mine[code] = metrics["cases"]["totals"]
    key = {c: (-(t["compliance_rate"] if t["compliance_rate"] is not None else -1),
               t["open_overdue"]) for c, t in mine.items()}
    expected_ranks = {c: 1 + sum(key[o] < key[c] for o in key) for c in key}
    assert {c: w["rank"] for c, w in wards.items()} == expected_ranks
    assert [w["code"] for w in result["wards"]] == sorted(
        wards, key=lambda c: (wards[c]["rank"], c))
    # totals are sums of the briefed wards
    for k in ("received", "resolved", "resolved_on_time", "open_overdue"):
        assert result["totals"]["cases"][k] == sum(mine[c][k] for c in mine)
    # the refused ward's office still gets its data-quality list
    assert (out / "wards" / "r" / "2026-11-27" / "data_quality" / "report.pdf").is_file()


def test_one_ward_at_a_time_then_the_roll_up(tmp_path):
    """What the Airflow tasks run: `--only CODE` exits with the ward's own code (2 for a
    workbook missing, to be tried again; 1 for a sheet refused, not) and keeps its
    outcome; `--rollup-only` rolls up what the wards left, a ward that left nothing
    listed as not briefed."""
    out = tmp_path / "out"
    common = ["--registry", str(CITY / "wards.csv"), "--as-of", "2026-11-27",
              "--period-start", "2026-11-01", "--out", str(out)]
    missing = city(*common, "--only", "w05", tmp=tmp_path)
    assert missing.returncode == 2 and "w05 Phường Kiến An: KHÔNG LẬP BÁO CÁO" in missing.stdout
    refused = city(*common, "--only", "w04", tmp=tmp_path)
    assert refused.returncode == 1
    kept = json.loads((out / "wards" / "w04" / "city-2026-11-27.json").read_text("utf-8"))
    assert kept["briefed"] is False and "Ngày tiếp nhận" in kept["reason"]
    assert city(*common, "--only", "w99", tmp=tmp_path).returncode == 2

    rolled = city(*common, "--rollup-only", tmp=tmp_path)
    assert rolled.returncode == EXIT_WARDS_NOT_BRIEFED
    result = json.loads((out / "city.json").read_text(encoding="utf-8"))
    assert result["wards"] == [] and result["totals"]["wards_not_briefed"] == 5
    reasons = {w["code"]: w["reason"] for w in result["not_briefed"]}
    assert reasons["w01"] == "phường chưa chạy hoặc không để lại kết quả cho kỳ này"
    assert reasons["w05"] == "không tìm thấy bảng tính sheets/w05-missing.xlsx"
    assert city("--registry", str(CITY / "wards.csv"), "--list",
                tmp=tmp_path).stdout.split() == ["w02", "w01", "w03", "w04", "w05"]
