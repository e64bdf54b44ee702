"""Where the checkout keeps what the package reads at run time (editable install)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
TEMPLATES_DIR = REPO_ROOT / "templates"
TEMPLATE_NAME = "wardbrief"
# The bundled sample workbook (`make report`), relative to the checkout.
DEFAULT_SOURCE = "data/donghai-demo.xlsx"


def resolve_default_source(source: str) -> str:
    """The default sample is found from any working directory."""
    if source == DEFAULT_SOURCE and not Path(source).exists():
        return str(REPO_ROOT / DEFAULT_SOURCE)
    return source
