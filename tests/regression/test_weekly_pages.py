"""Pages a reader respects (issue 22): the weekly briefing holds on at most 4 pages at any
size of workbook and whichever Liberation Serif fontconfig prefers, no page holds only a
heading, no words are printed over others, the total row is printed once."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

from builders import REPO
from wardbrief.commands import cli

AS_OF = "2026-11-27"
SAMPLE = REPO / "data" / "donghai-demo.xlsx"
MAX_PAGES = 4


def weekly(source: Path, out: Path) -> Path:
    assert cli.main(["run", "weekly_briefing", "--source", str(source), "--as-of", AS_OF,
                     "--out", str(out)]) == 0
    return out / AS_OF / "weekly_briefing" / "report.pdf"


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    found = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                       r'yMax="([\d.]+)">(.*?)</word>')
    return [[(float(a), float(b), float(c), float(d), html.unescape(t))
             for a, b, c, d, t in found.findall(page)] for page in out.split("<page ")[1:]]


def overlapping_words(pdf: Path) -> list[tuple[int, str, str]]:
    """(page, word, word) for every two words whose boxes cross (by more than half a point
    each way: text printed over text)."""
    found = []
    for number, page in enumerate(words(pdf), start=1):
        page.sort(key=lambda w: w[1])
        for i, a in enumerate(page):
            for b in page[i + 1:]:
                if b[1] >= a[3]:
                    break
                if min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5:
                    found.append((number, a[4], b[4]))
    return found


def assert_pages_read_well(pdf: Path) -> None:
    texts = pages(pdf)
    assert len(texts) <= MAX_PAGES, f"{len(texts)} pages"
    for number, text in enumerate(texts, start=1):
        lines = [line for line in text.splitlines() if line.strip()
                 and line.strip() != "DỮ LIỆU MẪU" and not line.strip().startswith("Trang ")]
        assert len(lines) > 6, f"page {number} holds only: {lines}"
    assert sum(text.count("Tổng cộng") for text in texts) == 3  # II, IV and V, once each
    assert overlapping_words(pdf) == []


def test_the_weekly_briefing_of_the_sample_reads_on_four_pages(tmp_path):
    assert_pages_read_well(weekly(SAMPLE, tmp_path))


def test_the_weekly_briefing_of_5000_cases_reads_on_four_pages(tmp_path, demo_workbook):
    assert_pages_read_well(weekly(demo_workbook(5_000), tmp_path))


def test_the_weekly_briefing_of_100000_cases_reads_on_four_pages(tmp_path, demo_workbook):
    """From CSV files: the same cells as the workbook, without writing and reading 100,000
    rows of .xlsx (the pages are what is tested here; the readers agree in test_demo)."""
    assert_pages_read_well(weekly(demo_workbook(100_000, csv=True), tmp_path))


def test_the_weekly_layout_is_the_same_whichever_liberation_fontconfig_prefers(tmp_path):
    """A machine with Liberation 1.x (no ư, ơ, ờ: DejaVu Serif fills in, wider) as well as
    2.x: fontconfig may pick either; the page's CSS reads 2.x from its files."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>/usr/share/fonts/truetype/liberation2/*</glob></rejectfont></selectfont>
  <cachedir>{tmp_path / "fc-cache"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    picked = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif"], env=env,
                            capture_output=True, text=True, check=True).stdout
    assert picked and "liberation2" not in picked  # this machine's choice is not 2.x
    out = tmp_path / "other-fonts"
    subprocess.run([sys.executable, "-m", "wardbrief.commands.cli", "run", "weekly_briefing",
                    "--source", str(SAMPLE), "--as-of", AS_OF, "--out", str(out)], env=env,
                   check=True, capture_output=True)
    elsewhere = out / AS_OF / "weekly_briefing" / "report.pdf"
    here = weekly(SAMPLE, tmp_path / "here")
    assert pages(elsewhere) == pages(here)
    assert len(pages(elsewhere)) <= MAX_PAGES


def test_the_monthly_report_prints_no_word_over_another_and_no_near_empty_page(tmp_path):
    assert cli.main(["run", "monthly_report", "--source", str(SAMPLE), "--as-of", AS_OF,
                     "--out", str(tmp_path)]) == 0
    [pdf] = tmp_path.glob("*/monthly_report-*/report.pdf")
    texts = pages(pdf)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        lines = [line for line in text.splitlines() if line.strip()
                 and line.strip() != "DỮ LIỆU MẪU" and not line.strip().startswith("Trang ")]
        assert len(lines) > 6, f"page {number} holds only: {lines}"
    assert overlapping_words(pdf) == []
