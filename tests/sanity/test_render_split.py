"""One layout, several PDFs: render.split_by_anchor cuts a document at element ids."""

from __future__ import annotations

import subprocess

from wardbrief.publish import render

PAGE = """<html><head><style>
@page {{ size: A4; margin: 20mm; }}
article + article {{ break-before: page; }}
</style></head><body><main>{articles}</main></body></html>"""


def article(ident: str, paragraphs: int) -> str:
    body = "".join(f"<p>{ident} đoạn {i}</p>" for i in range(paragraphs))
    return f'<article id="{ident}"><h1>{ident}</h1>{body}</article>'


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_split_by_anchor_gives_each_id_its_pages(tmp_path):
    html = PAGE.format(articles=article("A", 1) + article("B", 120) + article("C", 2))
    document = render.html_to_document(html, tmp_path)
    parts = render.split_by_anchor(document, ["A", "B", "C"])
    assert parts is not None
    counts = {name: len(part.pages) for name, part in parts.items()}
    assert counts["A"] == 1 and counts["C"] == 1 and counts["B"] >= 2
    assert sum(counts.values()) == len(document.pages)
    for name, part in parts.items():
        part.write_pdf(tmp_path / f"{name}.pdf")
    b_text = text_of(tmp_path / "B.pdf")
    assert "B đoạn 0" in b_text and "B đoạn 119" in b_text
    assert "A đoạn" not in b_text and "C đoạn" not in b_text


def test_split_by_anchor_refuses_missing_or_reordered_ids(tmp_path):
    document = render.html_to_document(PAGE.format(articles=article("A", 1) + article("B", 1)),
                                       tmp_path)
    assert render.split_by_anchor(document, ["A", "Z"]) is None
    assert render.split_by_anchor(document, ["B", "A"]) is None
