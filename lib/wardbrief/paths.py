"""Where the checkout keeps what the package reads at run time (editable install)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
TEMPLATES_DIR = REPO_ROOT / "templates"
TEMPLATE_NAME = "wardbrief"
# The bundled sample workbook (`make report`), relative to the checkout.
DEFAULT_SOURCE = "data/donghai-demo.xlsx"


def is_gsheet_spec(spec: str) -> bool:
    """A Google Sheet spec: `gsheet:<key>` or a docs.google.com/spreadsheets URL."""
    return spec.startswith("gsheet:") or "docs.google.com/spreadsheets" in spec


def resolve_source(source: str | Path | None) -> str:
    """The source spec with a relative path made usable: as given when it exists from the
    current folder, else relative to the repository root (so a notebook or a command run
    from anywhere finds `data/donghai-demo.xlsx`). None is the bundled sample; Google
    Sheet specs pass through."""
    text = str(source) if source else DEFAULT_SOURCE
    if is_gsheet_spec(text):
        return text
    path = Path(text).expanduser()
    if path.is_absolute() or path.exists():
        return str(path)
    candidate = REPO_ROOT / path
    return str(candidate) if candidate.exists() else str(path)
