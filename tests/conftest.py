"""Shared by every layer of the suite.

tests/unit        shaping and rules, fast, no notebook executed
tests/sanity      every notebook, template and setup file is well-formed and renders
tests/regression  whole reports and sources executed on the samples

Run one layer alone: `pytest tests/unit` or `pytest -m unit` (likewise sanity, regression).
The helpers beside this file (builders, metrics_compare, sheets_standin) are importable
from every layer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

LAYERS = ("unit", "sanity", "regression")


def pytest_configure(config: pytest.Config) -> None:
    for layer in LAYERS:
        config.addinivalue_line("markers", f"{layer}: tests/{layer} (see tests/conftest.py)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        layer = Path(str(item.fspath)).relative_to(TESTS).parts[0]
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))
