"""Executed notebook -> HTML -> PDF, through the suite's nbconvert exporters
(`render.exporters`); what the builders of a report call.

The renderer never computes a figure: it shows the outputs the notebook made. One
exporter of each kind per process, used for every page (their templates are compiled
once, not again for each page).
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from weasyprint.document import Document

from wardbrief.publish.render.exporters import (
    BriefingHTMLExporter,
    BriefingPDFExporter,
    LaidOutPage,
    LocalOnlyFetcher,
)

__all__ = ["BriefingHTMLExporter", "BriefingPDFExporter", "LaidOutPage", "LocalOnlyFetcher",
           "html_to_document", "html_to_page", "html_to_pdf", "notebook_to_html",
           "page_with_main"]


@functools.cache
def pdf_exporter() -> BriefingPDFExporter:
    """This process's PDF exporter (and, through it, its HTML exporter)."""
    return BriefingPDFExporter()


def notebook_to_html(notebook: str | Path | NotebookNode, report_name: str | None = None) -> str:
    """The HTML page of an executed notebook.

    `report_name` (e.g. "monthly_report") is written to the notebook's
    `wardbrief.report` metadata unless the notebook sets it already; the template then
    inlines `templates/wardbrief/reports/<report_name>.css` after the base style.
    """
    if isinstance(notebook, NotebookNode):
        nb = copy.deepcopy(notebook)
        name = report_name or "briefing"
    else:
        nb = nbformat.read(str(notebook), as_version=4)
        name = Path(notebook).stem
    meta = nb.metadata.setdefault("wardbrief", {})
    if report_name:
        meta.setdefault("report", report_name)
    body, _ = pdf_exporter().html_exporter().from_notebook_node(
        nb, resources={"metadata": {"name": name}})
    return body


def html_to_document(html: str, base_url: str | Path | None = None) -> Document:
    """`html` laid out as A4 pages; relative links resolve against `base_url` (default:
    the current folder)."""
    return pdf_exporter().layout(html, base_url if base_url is not None else ".")


def html_to_page(html: str, base_url: str | Path | None = None) -> LaidOutPage:
    """html_to_document, each document named on the page kept as laid out alone."""
    return pdf_exporter().layout_page(html, base_url if base_url is not None else ".")


def html_to_pdf(html: str, pdf_path: str | Path, base_url: str | Path | None = None) -> Path:
    """Write `html` as an A4 PDF at `pdf_path`; relative links resolve against `base_url`."""
    html_to_document(html, base_url).write_pdf(pdf_path)
    return Path(pdf_path)


def page_with_main(page: str, fragment: str) -> str:
    """`page` (a rendered briefing) with the content of its `<main>` replaced by
    `fragment`: same head, same CSS, same stale-data banner."""
    start = page.index("<main>") + len("<main>")
    end = page.rindex("</main>")
    return page[:start] + "\n" + fragment + "\n" + page[end:]
