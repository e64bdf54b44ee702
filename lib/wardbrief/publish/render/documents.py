"""The documents of a page: a page may show several documents one after the other (the
department reminders: one per unit, `<article class="wb-document">`), and each is laid
out as a document of its own, so that each numbers its own pages ("Trang 1/1" on a
one-page reminder), as its own PDF does. WeasyPrint numbers the pages of one layout
(`counter(pages)` is the layout's total, and no section can have a total of its own),
so the page is laid out once per document, the others taken out, and the laid-out pages
are joined (`Document.copy`, which keeps each page as it was laid out). A document named
on the page (`data-document="KTHTDT"`) keeps its own layout under that name: a unit's
own PDF is written from the pages the report laid out for it, not laid out again.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

DOCUMENT_CLASS = "wb-document"
NAME_ATTRIBUTE = "data-document"


class _DocumentSpans(HTMLParser):
    """The character spans of the outermost `<article class="wb-document">` elements, and
    the name each carries (NAME_ATTRIBUTE; None: unnamed)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.spans: list[tuple[int, int]] = []
        self.names: list[str | None] = []
        # getpos() counts lines by "\n" alone (not str.splitlines's other breaks)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self._depth = 0  # articles open in the current document (0: outside one)
        self._start = 0
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        """Where the tag being handled starts in the page."""
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "article":
            return
        if self._depth:
            self._depth += 1
        elif DOCUMENT_CLASS in (dict(attrs).get("class") or "").split():
            self._depth, self._start = 1, self._offset()
            self.names.append(dict(attrs).get(NAME_ATTRIBUTE) or None)

    def handle_endtag(self, tag: str) -> None:
        if tag != "article" or not self._depth:
            return
        self._depth -= 1
        if not self._depth:
            self.spans.append((self._start, self.html.index(">", self._offset()) + 1))


def documents_of_page(html: str) -> list[str]:
    """The page once per document it shows, the other documents taken out (what is not
    in a document, head and banners, is in each); the page itself when it shows fewer
    than two."""
    return [page for _name, page in named_documents_of_page(html)]


def named_documents_of_page(html: str) -> list[tuple[str | None, str]]:
    """documents_of_page, each page with the name of the document it keeps (None:
    unnamed, or the page itself)."""
    if DOCUMENT_CLASS not in html:
        return [(None, html)]
    found = _DocumentSpans(html)
    spans = found.spans
    if len(spans) < 2:
        return [(found.names[0] if found.names else None, html)]
    pages = []
    for kept, name in zip(spans, found.names, strict=True):
        parts, position = [], 0
        for start, end in spans:
            if (start, end) != kept:
                parts.append(html[position:start])
                position = end
        parts.append(html[position:])
        pages.append((name, "".join(parts)))
    return pages
