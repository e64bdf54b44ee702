"""Executed notebook -> HTML (nbconvert, our template, code hidden) -> PDF (WeasyPrint).

The renderer never computes a figure: it shows the outputs the notebook made.
Nothing is fetched from the network: the template inlines its CSS and loads no
script, and the PDF's URL fetcher refuses anything but `data:` URLs and files under
the repository.
"""

from __future__ import annotations

import copy
import ctypes.util
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
from nbconvert import HTMLExporter
from nbformat import NotebookNode

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


def html_exporter() -> HTMLExporter:
    """nbconvert's HTMLExporter on templates/wardbrief: no code, no prompts, no scripts."""
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
    pdf_path = Path(pdf_path)
    html_to_document(html, base_url).write_pdf(pdf_path)
    return pdf_path


def split_by_anchor(document: Document, anchors: list[str]) -> dict[str, Document] | None:
    """The pages of `document` cut at the elements with the ids `anchors` (in page
    order): each id's pages run from the page where its element starts to the page
    before the next one's. None when an id is not found on any page or they are out of
    order (then each part must be rendered on its own)."""
    starts = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    if any(anchor not in starts for anchor in anchors):
        return None
    first_pages = [starts[anchor] for anchor in anchors]
    if first_pages != sorted(first_pages) or len(set(first_pages)) != len(first_pages):
        return None
    ends = [*first_pages[1:], len(document.pages)]
    return {anchor: document.copy(document.pages[start:end])
            for anchor, start, end in zip(anchors, first_pages, ends)}



def page_with_main(page: str, fragment: str) -> str:
    """`page` (a rendered briefing) with the content of its `<main>` replaced by
    `fragment`: same head, same CSS, same stale-data banner."""
    start = page.index("<main>") + len("<main>")
    end = page.rindex("</main>")
    return page[:start] + "\n" + fragment + "\n" + page[end:]
