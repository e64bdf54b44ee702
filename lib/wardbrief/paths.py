"""Where the package keeps what it reads at run time: the report notebooks, the templates
and the bundled sample workbook, as package data (importlib.resources), so that an
installed wheel builds every report from any folder.

In a checkout they are edited in the top-level folders `notebooks/`, `templates/` and
`data/`; `lib/wardbrief/notebooks`, `templates` and `data` are links to them, which is
what an editable install reads and what a wheel copies (pyproject.toml, package-data).
The package is read from the file system (an installed wheel is), not from a zip file.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE_DIR = Path(str(files("wardbrief")))
NOTEBOOKS_DIR = PACKAGE_DIR / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
TEMPLATE_NAME = "wardbrief"
# The bundled sample workbook (`make report`, `run` without a source), as it is named
# relative to a checkout and to the package.
DEFAULT_SOURCE = "data/donghai-demo.xlsx"
SAMPLE_WORKBOOK = PACKAGE_DIR / DEFAULT_SOURCE


def is_gsheet_spec(spec: str) -> bool:
    """A Google Sheet spec: `gsheet:<key>` or a docs.google.com/spreadsheets URL."""
    return spec.startswith("gsheet:") or "docs.google.com/spreadsheets" in spec


def resolve_source(source: str | Path | None) -> str:
    """The source spec with a relative path made usable: as given when it exists from the
    current folder, else the package's file of that name (so a notebook or a command run
    from anywhere finds `data/donghai-demo.xlsx`, the bundled sample). None is the bundled
    sample; Google Sheet specs pass through."""
    text = str(source) if source else DEFAULT_SOURCE
    if is_gsheet_spec(text):
        return text
    path = Path(text).expanduser()
    if path.is_absolute() or path.exists():
        return str(path)
    candidate = PACKAGE_DIR / path
    return str(candidate) if candidate.exists() else str(path)
