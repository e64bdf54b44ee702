"""The one Jinja environment of wardbrief: every section of every report, the e-mail's
HTML and `outputs/index.html` are rendered by it.

Autoescape is on (citizen text is untrusted: the engine escapes every value), undefined
names fail (StrictUndefined), text is composed (NFC) as it is printed. Templates live in
`templates/wardbrief/sections/` (a section of a report, the e-mail) and
`templates/wardbrief/` (the published outputs' index). The model's blocks come written
(numbers and dates as `briefings.fmt` writes them): no template formats a value, and this
package imports nothing of the steps after it.
"""

from __future__ import annotations

import base64
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from wardbrief.paths import TEMPLATE_NAME, TEMPLATES_DIR

if TYPE_CHECKING:
    from wardbrief.document.model import Document, Section

SECTIONS_DIR = TEMPLATES_DIR / TEMPLATE_NAME / "sections"
SECTION_TEMPLATE = "document.html.j2"  # a Section of the model
EMAIL_TEMPLATE = "email.html.j2"  # a Document as an e-mail's HTML part


def nfc(value: object) -> object:
    """Text in composed form (NFC): a name typed with combining accents (as some keyboards
    write it) prints and searches like any other."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def svg_data_uri(svg: bytes) -> str:
    """A chart (SVG) as a data: URL for an <img> (no markup of ours in the page)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(SECTIONS_DIR), str(TEMPLATES_DIR / TEMPLATE_NAME)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=nfc,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["data_uri"] = svg_data_uri
    return env


def render(template: str, **data: Any) -> str:
    return environment().get_template(template).render(**data)


def render_section(section: Section) -> str:
    return render(SECTION_TEMPLATE, section=section)


def render_document(document: Document) -> str:
    """Every section of `document`, one after the other (a page's body)."""
    return "\n".join(render_section(s) for s in document.sections)
