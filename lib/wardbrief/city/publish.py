"""The city's outputs: `OUT/city.json`, then the city briefing (its own notebook,
`notebooks/city_briefing.ipynb`) built and published by the engine like any report, at
`OUT/<as-of>/city_briefing/` (report.html, report.pdf, report.docx, city.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wardbrief.city.rollup import WardFigures, city_json, write_json
from wardbrief.city.settings import CitySettings
from wardbrief.paths import NOTEBOOKS_DIR

CITY_JSON = "city.json"
REPORT_NAME = "city_briefing"
PARAMETERS = ("city_path", "as_of", "period_start")  # the notebook's, never a secret


def city_docx(built: Any) -> list[Path]:
    """The Word file of the city briefing: the document its pages show, in the notebook's
    order, the office's Markdown cells included."""
    from wardbrief.city.document import city_document
    from wardbrief.document import word
    from wardbrief.document.notebook import document_of_notebook

    doc = document_of_notebook(built.notebook, city_document(built.metrics))
    return [word.write(doc, built.staging / "report.docx")]


def city_report() -> Any:
    from wardbrief.run.registry import Report

    return Report(REPORT_NAME, NOTEBOOKS_DIR / f"{REPORT_NAME}.ipynb", city_docx,
                  formal=True)


def _write_city(city: dict[str, Any], folder: Path) -> Path:
    return write_json(city, folder / CITY_JSON)


def roll_up(figures: list[WardFigures], as_of: str, period_start: str,
            settings: CitySettings) -> dict[str, Any]:
    return city_json(as_of, period_start, figures, city={
        "issuer": settings.issuer, "place": settings.place,
        "on_time_target": settings.on_time_target, "signer_title": settings.signer_title,
        "signer_name": settings.signer_name, "doc_symbol": settings.doc_symbol})


def publish_city(city: dict[str, Any], out: Path) -> Path:
    """city.json at `OUT/city.json`, then the briefing; returns the briefing's folder.
    Raises run.build.ReportFailed when the briefing cannot be built (city.json stands)."""
    from wardbrief.run.engine import WarmKernel
    from wardbrief.run.reports import build_and_publish

    write_json(city, out / CITY_JSON)
    parameters = dict(zip(PARAMETERS, (CITY_JSON, city["as_of"], city["period_start"]),
                          strict=True))
    try:
        return build_and_publish(city_report(), city, parameters, out, _write_city)
    finally:
        WarmKernel.discard_current()
