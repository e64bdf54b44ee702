"""Executed notebook -> HTML (nbconvert, our template, code hidden) -> PDF (WeasyPrint).

The renderer never computes a figure: it shows the outputs the notebook made.
Nothing is fetched from the network: the template inlines its CSS and loads no
script, and the PDF's URL fetcher refuses anything but `data:` URLs and files under
the repository.
"""

from __future__ import annotations

import copy
import ctypes.util
import functools
import os
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
from nbconvert import HTMLExporter
from nbformat import NotebookNode

from wardbrief.forking import frozen_heap
from wardbrief.paths import REPO_ROOT, TEMPLATE_NAME, TEMPLATES_DIR


def _load_weasyprint() -> None:
    """Import WeasyPrint without a dozen processes. It opens Pango, HarfBuzz and
    fontconfig by trying each platform's name in turn, and cffi asks
    `ctypes.util.find_library` about every name that does not open: on Linux each
    question runs ldconfig, gcc and ld (0.2 s at every start). The Linux names
    (`libpango-1.0.so.0`, ...) open without it, so the question is not asked while it
    loads; where they do not, it is loaded again the usual way (and says why)."""
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda _name: None
    try:
        import weasyprint
    except OSError:
        ctypes.util.find_library = find_library
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


_load_weasyprint()
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher


@functools.cache
def html_exporter() -> HTMLExporter:
    """nbconvert's HTMLExporter on templates/wardbrief: no code, no prompts, no scripts.
    One per process, used for every page (not to be changed by its callers): its
    templates are compiled once, not again for each page (0.04 s a page)."""
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
    )
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.language_code = "vi"
    return exporter


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
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": name}})
    return body


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves `data:` URLs and files under `roots`, nothing else."""

    def __init__(self, *roots: str | Path) -> None:
        super().__init__(allowed_protocols={"data", "file"})
        self.roots = [Path(root).resolve() for root in (roots or (REPO_ROOT,))]

    def fetch(self, url, headers=None):  # WeasyPrint calls fetch(url, headers)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"refused {url}: not a file of the briefing")
        elif scheme != "data":
            raise ValueError(f"refused {url}: briefings load nothing from the network")
        return super().fetch(url, headers)


def html_to_document(html: str, base_url: str | Path | None = None) -> Document:
    """`html` laid out as A4 pages (WeasyPrint); relative links resolve against `base_url`."""
    base = Path(base_url) if base_url is not None else REPO_ROOT
    return HTML(
        string=html,
        base_url=str(base.resolve()) + "/",
        url_fetcher=LocalOnlyFetcher(REPO_ROOT, base),
    ).render()


def html_to_pdf(html: str, pdf_path: str | Path, base_url: str | Path | None = None) -> Path:
    """Write `html` as an A4 PDF at `pdf_path`; relative links resolve against `base_url`."""
    return write_pdf(html_to_document(html, base_url), pdf_path)


SPLIT_PAGES = 24
"""From this many pages on, `write_pdf` paints a document on two cores."""


def write_pdf(document: Document, pdf_path: str | Path) -> Path:
    """`document` as a PDF at `pdf_path`.

    A long one (SPLIT_PAGES pages or more, without links: the annex of 100,000 cases has
    64 pages and takes 0.9 s to paint) is painted half here and half, meanwhile, by a
    forked process; the halves are then joined (pypdf) under the whole document's
    outline, title and language. Its pages, their text and their order are those of
    the document painted whole. It is painted whole here where processes cannot be
    forked, where this process runs other threads (a fork copies none of them, and a
    lock one of them held would never be let go in the child), without pypdf, or when
    the other process or the join fails."""
    pdf_path = Path(pdf_path)
    pages = document.pages
    if (len(pages) < SPLIT_PAGES or not hasattr(os, "fork") or threading.active_count() > 1
            or any(page.links for page in pages) or not _can_join()):
        document.write_pdf(pdf_path)
        return pdf_path
    half = len(pages) // 2
    first = pdf_path.with_name(f".{pdf_path.name}.1")
    second = pdf_path.with_name(f".{pdf_path.name}.2")
    try:
        with frozen_heap():
            pid = os.fork()
        if pid == 0:  # the child: the second half, after the first page (see _paint)
            code = 1
            try:
                _paint(document, [pages[0], *pages[half:]], second)
                code = 0
            finally:
                os._exit(code)
        try:
            _paint(document, pages[:half], first)
        finally:
            _, status = os.waitpid(pid, 0)
        if status != 0 or not _joined(document, first, second, pdf_path):
            document.write_pdf(pdf_path)
    finally:
        first.unlink(missing_ok=True)
        second.unlink(missing_ok=True)
    return pdf_path


def _paint(document: Document, pages: list, pdf_path: Path) -> None:
    """`pages` of `document` painted as a PDF. The second half is painted after the
    document's first page (left out when the halves are joined): a PDF's text maps each
    glyph to the text it stood for where it was first painted, and a line cut short
    with "…" (text-overflow: ellipsis) would make the glyph "…" stand for the rest of
    that line everywhere (the annex's first page has a true "…" first)."""
    document.copy(pages).write_pdf(pdf_path)


def _can_join() -> bool:
    try:
        import pypdf  # noqa: F401
    except ImportError:
        return False
    return True


def _joined(document: Document, first: Path, second: Path, pdf_path: Path) -> bool:
    try:
        _join(document, first, second, pdf_path)
    except Exception:  # noqa: BLE001 - the caller paints the document whole instead
        pdf_path.unlink(missing_ok=True)
        return False
    return True


def _join(document: Document, first: Path, second: Path, pdf_path: Path) -> None:
    """The halves `_paint` wrote, as one PDF at `pdf_path`, with `document`'s outline,
    metadata and language."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit, NameObject

    head = PdfReader(first)
    writer = PdfWriter()
    writer.append(head, import_outline=False)
    tail = PdfReader(second)
    writer.append(tail, pages=(1, len(tail.pages)), import_outline=False)
    writer.add_metadata(dict(head.metadata or {}))
    language = head.trailer["/Root"].get("/Lang")
    if language is not None:
        writer.root_object[NameObject("/Lang")] = language

    def outline(bookmarks: list, parent: object = None) -> None:
        for title, (page, x, y), children, state in bookmarks:
            item = writer.add_outline_item(title=title, page_number=page, parent=parent,
                                           fit=Fit.xyz(x, y, 0),
                                           is_open=state != "closed")
            outline(children, item)

    outline(document.make_bookmark_tree(0.75, transform_pages=True))
    with pdf_path.open("wb") as handle:
        writer.write(handle)


def page_with_main(page: str, fragment: str) -> str:
    """`page` (a rendered briefing) with the content of its `<main>` replaced by
    `fragment`: same head, same CSS, same stale-data banner."""
    start = page.index("<main>") + len("<main>")
    end = page.rindex("</main>")
    return page[:start] + "\n" + fragment + "\n" + page[end:]
