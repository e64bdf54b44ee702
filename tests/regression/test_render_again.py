"""`wardbrief render`: an edited executed notebook rendered again and published as a new
version of the same report, as often as the office edits it, under the run lock.
(The real weekly briefing rendered again: test_runner.test_weekly_briefing_end_to_end.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from builders import TESTS
from wardbrief.commands import cli
from wardbrief.run import registry, reports, store

GOOD = TESTS / "notebooks" / "good.ipynb"
MESSY = TESTS / "fixtures" / "messy.xlsx"
AS_OF = "2026-11-27"


def write_json(metrics: dict, out_dir: Path) -> list[Path]:
    path = out_dir / "metrics.json"
    path.write_text(json.dumps(metrics, ensure_ascii=False), encoding="utf-8")
    return [path]


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """The fixture notebook published as data_quality (HTML and PDF, nothing more)."""
    out = tmp_path / "outputs"
    metrics = json.loads((TESTS / "fixtures" / "messy.expected.json").read_text(encoding="utf-8"))
    with store.run_lock(out), open(os.devnull, "w", encoding="utf-8") as quiet:
        result = reports.run_reports([registry.Report("data_quality", GOOD)], lambda _r: metrics,
                                    str(MESSY), False, out, write_metrics=write_json,
                                    stdout=quiet)
    assert result.exit_code == 0, result.failed
    return out / AS_OF / "data_quality"


def edit_heading(link: Path, text: str) -> None:
    """What the analyst does in JupyterLab: the notebook's first Markdown cell rewritten."""
    nb = nbformat.read(str(link / "report.ipynb"), as_version=4)
    nb.cells[0].source = f"# {text}"
    nbformat.write(nb, str(link / "report.ipynb"))


def test_twelve_renders_in_a_row(published: Path, capsys: pytest.CaptureFixture) -> None:
    out, day = published.parent.parent, published.parent
    metrics_before = (published / "metrics.json").read_bytes()
    # a file render does not make (the Word file of a report without an extra step) stays
    (published / "report.docx").write_bytes(b"PK word")
    for n in range(1, 13):
        edit_heading(published, f"Ghi chú lần {n}")
        # named by its link, by the version folder it resolves to, or by its name
        named = [str(published), str(published.resolve()), "data_quality"][n % 3]
        assert cli.main(["render", named, "--out", str(out)]) == 0, capsys.readouterr().err
        stdout = capsys.readouterr().out
        assert stdout.startswith("Đã lập lại data_quality ngày 27/11/2026 từ report.ipynb, "
                                 "không tính lại số liệu. / Rendered data_quality")
        assert f"  {published / 'report.pdf'}" in stdout.splitlines()
        assert f"Ghi chú lần {n}" in pdf_text(published / "report.pdf")
        entries = sorted(p.name for p in day.iterdir())
        assert len(entries) == min(n + 1, 1 + store.KEPT_VERSIONS) + 1  # versions + link
        assert entries[-1] == "data_quality", entries
        assert all(re.fullmatch(r"\.data_quality\.v\d{19}", e) for e in entries[:-1]), entries
    assert len(list(day.iterdir())) <= 12
    assert max(len(str(p)) for p in out.rglob("*")) < len(str(out)) + 80  # bounded paths
    assert (published / "metrics.json").read_bytes() == metrics_before  # nothing recomputed
    assert (published / "report.docx").read_bytes() == b"PK word"
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]
    older = store.versions(day, "data_quality")[:-1]
    assert [pdf_text(v / "report.pdf").split("Ghi chú lần ")[1][:2] for v in older] == ["10", "11"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-11-27/data_quality/report.pdf"' in index


def test_render_while_a_run_holds_the_lock_exits_3(published: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    out = published.parent.parent
    before = sorted(p.name for p in published.parent.iterdir())
    edit_heading(published, "Sửa khi đang chạy")
    with store.run_lock(out):
        code = cli.main(["render", str(published)])
    assert code == 3
    err = capsys.readouterr().err
    assert err == (f"wardbrief render: đang có một lần chạy khác (pid {os.getpid()}); chờ lần "
                   f"đó xong rồi chạy lại. / another run is in progress (pid {os.getpid()})\n")
    assert sorted(p.name for p in published.parent.iterdir()) == before
    assert "Sửa khi đang chạy" not in pdf_text(published / "report.pdf")


def test_render_of_what_is_not_published_says_to_run_first(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["render", "weekly_briefing", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("wardbrief render: Không thấy báo cáo weekly_briefing nào trong ")
    assert "run `wardbrief run` first" in err
