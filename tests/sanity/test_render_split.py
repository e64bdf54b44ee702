"""render.write_pdf paints a long document on two cores."""

from __future__ import annotations

import os
import subprocess

from wardbrief.publish import render


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


# --- one layout, one PDF painted on two cores (render.write_pdf) ------------------------

LONG = """<html lang="vi"><head><title>Phụ lục thử</title><style>
@page {{ size: A4; margin: 20mm; @bottom-center {{ content: "Trang " counter(page) "/" counter(pages); }} }}
p.case {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin: 0; }}
</style></head><body><main><p>Dòng dài được rút gọn (…).</p>{sections}</main></body></html>"""


def long_html(sections: int = 3, lines: int = 90) -> str:
    rest = "cống thoát nước tại tổ dân phố bị tắc, mưa xuống nước tràn vào nhà dân " * 3
    body = "".join(
        f"<h2>{s + 1}. Đơn vị {s + 1}</h2>" + "".join(
            f'<p class="case">PA-{s}-{i:04d} quá hạn {i} ngày: {rest}hết dòng {i}</p>'
            for i in range(lines))
        for s in range(sections))
    return LONG.format(sections=body)


def pages_text(pdf) -> list[str]:
    return text_of(pdf).split("\f")


def outline(pdf) -> list[tuple[str, int, float]]:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return [(item.title, reader.get_destination_page_number(item), round(float(item["/Top"]), 1))
            for item in reader.outline]


def pdf_info(pdf) -> tuple[str, str]:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    return reader.metadata.get("/Title"), reader.trailer["/Root"].get("/Lang")


def _joins(monkeypatch) -> list[int]:
    calls: list[int] = []
    join = render._join

    def counted(document, first, second, target):
        calls.append(len(document.pages))
        join(document, first, second, target)

    monkeypatch.setattr(render, "_join", counted)
    return calls


def test_a_long_pdf_painted_on_two_cores_is_the_one_painted_whole(tmp_path, monkeypatch):
    """The same pages, text (each line cut short ends in "…", as when painted whole),
    outline, title and language; no half left behind."""
    monkeypatch.setattr(render, "SPLIT_PAGES", 4)
    joins = _joins(monkeypatch)
    document = render.html_to_document(long_html(), tmp_path)
    assert len(document.pages) >= 6
    render.write_pdf(document, tmp_path / "split.pdf")
    assert joins == [len(document.pages)]
    document.write_pdf(tmp_path / "whole.pdf")
    split, whole = pages_text(tmp_path / "split.pdf"), pages_text(tmp_path / "whole.pdf")
    assert split == whole
    last = split[len(document.pages) - 2]
    assert "Trang " in last and last.count("…") > 40 and "hết dòng" not in last
    assert outline(tmp_path / "split.pdf") == outline(tmp_path / "whole.pdf")
    assert [title for title, _, _ in outline(tmp_path / "split.pdf")] == [
        "1. Đơn vị 1", "2. Đơn vị 2", "3. Đơn vị 3"]
    assert pdf_info(tmp_path / "split.pdf") == pdf_info(tmp_path / "whole.pdf") == (
        "Phụ lục thử", "vi")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["split.pdf", "whole.pdf"]


def test_a_long_pdf_is_painted_whole_when_the_other_process_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "SPLIT_PAGES", 4)
    joins = _joins(monkeypatch)
    here = os.getpid()
    paint = render._paint

    def fails_in_the_child(document, pages, target):
        if os.getpid() != here:
            raise OSError(28, "No space left on device")
        paint(document, pages, target)

    monkeypatch.setattr(render, "_paint", fails_in_the_child)
    document = render.html_to_document(long_html(sections=2), tmp_path)
    render.write_pdf(document, tmp_path / "a.pdf")
    document.write_pdf(tmp_path / "whole.pdf")
    assert joins == []
    assert pages_text(tmp_path / "a.pdf") == pages_text(tmp_path / "whole.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "whole.pdf"]


def test_short_pdfs_and_processes_that_cannot_fork_paint_whole(tmp_path, monkeypatch):
    joins = _joins(monkeypatch)
    document = render.html_to_document(long_html(sections=2), tmp_path)
    assert len(document.pages) < render.SPLIT_PAGES
    render.write_pdf(document, tmp_path / "short.pdf")
    monkeypatch.setattr(render, "SPLIT_PAGES", 2)
    monkeypatch.delattr(os, "fork")
    render.write_pdf(document, tmp_path / "nofork.pdf")
    assert joins == []
    assert pages_text(tmp_path / "short.pdf") == pages_text(tmp_path / "nofork.pdf")


def test_a_long_pdf_is_painted_whole_when_its_halves_cannot_be_joined(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "SPLIT_PAGES", 4)

    def broken(_document, _first, _second, target):
        target.write_bytes(b"%PDF-half")
        raise ValueError("pypdf could not read a half")

    monkeypatch.setattr(render, "_join", broken)
    document = render.html_to_document(long_html(sections=2), tmp_path)
    render.write_pdf(document, tmp_path / "a.pdf")
    document.write_pdf(tmp_path / "whole.pdf")
    assert pages_text(tmp_path / "a.pdf") == pages_text(tmp_path / "whole.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "whole.pdf"]
