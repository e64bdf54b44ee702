"""The suite's nbconvert exporters: an executed notebook -> the briefing's HTML page
(`BriefingHTMLExporter`: our template, code hidden) -> its A4 PDF (`BriefingPDFExporter`:
that page laid out by WeasyPrint).

Both are registered through the `nbconvert.exporters` entry point (pyproject.toml), so
`jupyter nbconvert --to wardbrief_pdf outputs/<as-of>/<report>/report.ipynb` and
JupyterLab's "Download as" give what `wardbrief run` publishes.

Nothing is fetched from the network: the template inlines its CSS and loads no script,
and the PDF's URL fetcher (LocalOnlyFetcher) refuses anything but `data:` URLs and files
of the briefing, of the templates and the system's fonts: citizen text in a notebook
cannot make the renderer fetch a URL.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from nbconvert.exporters import Exporter, HTMLExporter
from nbformat import NotebookNode
from traitlets import default
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from wardbrief.paths import TEMPLATE_NAME, TEMPLATES_DIR
from wardbrief.publish.render.documents import named_documents_of_page


class BriefingHTMLExporter(HTMLExporter):
    """nbconvert's HTMLExporter on the `wardbrief` template: no code, no prompts, no
    scripts, `<html lang="vi">`. The notebook's metadata `wardbrief` (report, title,
    banner, marks) is what the template reads."""

    export_from_notebook = "Wardbrief HTML"

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    @default("language_code")
    def _language_code_default(self) -> str:
        return "vi"


# The fonts static/base.css pins by file (Liberation Serif 2.x): read from here too.
SYSTEM_FONTS = Path("/usr/share/fonts")


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves `data:` URLs and files under `roots`, nothing else."""

    def __init__(self, *roots: str | Path) -> None:
        super().__init__(allowed_protocols={"data", "file"})
        self.roots = [Path(root).resolve() for root in (roots or (TEMPLATES_DIR,))]

    def fetch(self, url: str, headers: Any = None) -> Any:  # WeasyPrint calls fetch(url, headers)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"refused {url}: not a file of the briefing")
        elif scheme != "data":
            raise ValueError(f"refused {url}: briefings load nothing from the network")
        return super().fetch(url, headers)


class BriefingPDFExporter(Exporter):
    """The briefing's PDF: BriefingHTMLExporter's page laid out as A4 pages by WeasyPrint
    (the page's own CSS says how). Relative links resolve against the notebook's folder
    (nbconvert's `resources['metadata']['path']`), else the current folder."""

    export_from_notebook = "Wardbrief PDF"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    def html_exporter(self) -> BriefingHTMLExporter:
        exporter = getattr(self, "_html_exporter", None)
        if exporter is None:  # its templates compiled once, for every page
            exporter = self._html_exporter = BriefingHTMLExporter(parent=self)
        return exporter

    def from_notebook_node(self, nb: NotebookNode, resources: dict[str, Any] | None = None,
                           **kw: Any) -> tuple[bytes, dict[str, Any]]:
        html, resources = self.html_exporter().from_notebook_node(nb, resources, **kw)
        base = (resources.get("metadata") or {}).get("path") or "."
        pdf = self.layout(html, base).write_pdf()
        resources["output_extension"] = self.file_extension
        return pdf, resources

    @staticmethod
    def layout(html: str, base_url: str | Path) -> Document:
        """`html` laid out as pages; relative links resolve against `base_url`, and only
        files under it, the templates or the system's fonts can be loaded. A page of
        several documents (`render.documents`) is each of them laid out alone, their
        pages joined: each numbers its own pages."""
        return BriefingPDFExporter.layout_page(html, base_url).whole

    @staticmethod
    def layout_page(html: str, base_url: str | Path) -> LaidOutPage:
        """layout(), keeping the layout of each named document of the page."""
        base = Path(base_url).resolve()
        fetcher = LocalOnlyFetcher(TEMPLATES_DIR, base, SYSTEM_FONTS)
        fonts = font_configuration()
        laid_out = [(name, HTML(string=page, base_url=f"{base}/", url_fetcher=fetcher).render(
            font_config=fonts)) for name, page in named_documents_of_page(html)]
        named = {name: document for name, document in laid_out if name is not None}
        if len(laid_out) == 1:
            return LaidOutPage(laid_out[0][1], named)
        first = laid_out[0][1]
        return LaidOutPage(first.copy([page for _, document in laid_out
                                       for page in document.pages]), named)


@dataclass
class LaidOutPage:
    """A page laid out: all its pages (`whole`), and each document named on it as it was
    laid out alone (`named`: its own PDF is `named[name].write_pdf()`)."""

    whole: Document
    named: dict[str, Document] = field(default_factory=dict)


@functools.cache
def font_configuration() -> FontConfiguration:
    """This process's fonts for every page it lays out (WeasyPrint's FontConfiguration,
    meant to be given to each render): the system's fonts are gathered, and the
    fonts of the template's `@font-face` rules loaded, once per process instead of once
    per document. Pages are laid out one at a time in a process."""
    return FontConfiguration()
