"""Shared by every layer of the suite.

tests/unit        shaping and rules, fast, no notebook executed
tests/sanity      every notebook, template and setup file is well-formed and renders
tests/regression  whole reports and sources executed on the samples

Run one layer alone: `pytest tests/unit` or `pytest -m unit` (likewise sanity, regression).
`make test` spreads the modules over every core (pytest-xdist, `-n auto --dist loadfile`:
a module's tests stay on one worker, so a module-scoped fixture is built once); a test
therefore shares nothing with another module's but what it builds itself.
The helpers beside this file (builders, metrics_compare, sheets_standin) are importable
from every layer.

Hypothesis profiles (tests/unit/test_properties.py), chosen by HYPOTHESIS_PROFILE:
`ci` (the default, `make test`: 1,000 examples per property test, 2,000 in all),
`dev` (100 each, no shrinking, while working), `fuzz` (`make fuzz`: 10,000 each, 20,000 in all).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

LAYERS = ("unit", "sanity", "regression")

_PROFILE = {"deadline": None, "suppress_health_check": list(HealthCheck), "print_blob": True}
settings.register_profile("ci", max_examples=1_000, **_PROFILE)
settings.register_profile("dev", max_examples=100, phases=[Phase.explicit, Phase.reuse,
                                                             Phase.generate], **_PROFILE)
settings.register_profile("fuzz", max_examples=10_000, **_PROFILE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    for layer in LAYERS:
        config.addinivalue_line("markers", f"{layer}: tests/{layer} (see tests/conftest.py)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        layer = Path(str(item.fspath)).relative_to(TESTS).parts[0]
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture(scope="session")
def demo_workbook(tmp_path_factory: pytest.TempPathFactory):
    """`demo_workbook(cases)`: the path of `wardbrief demo-data --cases N` (the bundled
    sample's generator, seed 2026), made once per size for the whole session."""
    from wardbrief.commands import cli

    folder = tmp_path_factory.mktemp("demo_workbooks")
    made: dict[int, Path] = {}

    def make(cases: int) -> Path:
        if cases not in made:
            target = folder / f"demo-{cases}.xlsx"
            assert cli.main(["demo-data", "--cases", str(cases), "--out", str(target)]) == 0
            made[cases] = target
        return made[cases]

    return make
