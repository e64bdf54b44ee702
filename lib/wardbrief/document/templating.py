"""The one Jinja environment of wardbrief: every section of every report, the e-mail's
HTML and `outputs/index.html` are rendered by it.

Autoescape is on (citizen text is untrusted: the engine escapes every value), undefined
names fail (StrictUndefined), text is composed (NFC) as it is printed. Templates live in
`templates/wardbrief/sections/` (a section of a report, the e-mail) and
`templates/wardbrief/` (the published outputs' index); the filters write numbers and
dates the Vietnamese way (`briefings.fmt`).
"""

from __future__ import annotations

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


@cache
def environment() -> jinja2.Environment:
    # the filters are the briefings' formatting rules (imported here, once: the
    # briefings import the model of this package)
    from wardbrief.briefings import fmt, sections

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(SECTIONS_DIR), str(TEMPLATES_DIR / TEMPLATE_NAME)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=nfc,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date=fmt.date_vn, month=fmt.month_vn, rate=fmt.percent_vn, int=fmt.int_vn,
        count=fmt.count_formal, number=fmt.number_vn, change=fmt.change_vn,
        change_words=fmt.change_words, range=fmt.day_month_range, cell=sections.text_cell,
        show=sections.show, date_line=fmt.date_line, data_uri=sections.svg_data_uri,
    )
    return env


def render(template: str, **data: Any) -> str:
    return environment().get_template(template).render(**data)


def render_section(section: Section) -> str:
    return render(SECTION_TEMPLATE, section=section)


def render_document(document: Document) -> str:
    """Every section of `document`, one after the other (a page's body)."""
    return "\n".join(render_section(s) for s in document.sections)
