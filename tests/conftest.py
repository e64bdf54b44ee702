"""Shared by every layer of the suite.

tests/unit        shaping and rules, fast, no notebook executed
tests/sanity      every notebook, template and setup file is well-formed and renders
tests/regression  whole reports and sources executed on the samples

Run one layer alone: `pytest tests/unit` or `pytest -m unit` (likewise sanity, regression).
`make test` spreads the modules over every core (pytest-xdist, `-n auto --dist loadfile`:
a module's tests stay on one worker, so a module-scoped fixture is built once); a test
therefore shares nothing with another module's but what it builds itself. The modules
are handed out in the order of the collection (`--no-loadscope-reorder`), which starts
with LONGEST (below): the longest modules first, so that no core is left alone with one
of them at the end.
The helpers beside this file (builders, metrics_compare, sheets_standin) are importable
from every layer.

Hypothesis profiles (the property tests: tests/properties.py), chosen by HYPOTHESIS_PROFILE:
`ci` (the default, `make test`: 1,000 examples per property, 2,000 in all),
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


# The modules that take longest (CPU time of a whole `make test`), longest first; every
# other module follows, those of more tests first. A module missing here only starts later.
LONGEST = (
    "unit/test_properties_rows_1.py", "unit/test_properties_rows_2.py",
    "unit/test_properties_1.py", "unit/test_properties_2.py", "unit/test_properties_3.py",
    "unit/test_properties_4.py", "sanity/test_notebooks.py", "regression/test_weekly_pages.py",
    "regression/test_personal_data.py", "regression/test_runner.py",
    "regression/test_run_engine.py", "regression/test_city_run.py", "regression/test_resend.py",
    "regression/test_signals.py", "regression/test_mail_smtp.py", "unit/test_hostile.py",
    "regression/test_refusal_and_demo.py", "regression/test_real_files.py",
    "regression/test_sample_outputs.py", "regression/test_city_quota.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    modules: dict[str, int] = {}
    for item in items:
        module = Path(str(item.fspath)).relative_to(TESTS)
        if module.parts[0] in LAYERS:
            item.add_marker(getattr(pytest.mark, module.parts[0]))
        modules[module.as_posix()] = modules.get(module.as_posix(), 0) + 1
    rank = {name: (LONGEST.index(name) if name in LONGEST else len(LONGEST), -count)
            for name, count in modules.items()}
    items.sort(key=lambda item: rank[Path(str(item.fspath)).relative_to(TESTS).as_posix()])


@pytest.fixture(scope="session")
def demo_workbook(tmp_path_factory: pytest.TempPathFactory):
    """`demo_workbook(cases)`: the path of `wardbrief demo-data --cases N` (the bundled
    sample's generator, seed 2026), made once per size for the whole session;
    `demo_workbook(cases, csv=True)`: the same cells as a folder of CSV files."""
    from wardbrief.commands import cli

    folder = tmp_path_factory.mktemp("demo_workbooks")
    made: dict[tuple[int, bool], Path] = {}

    def make(cases: int, csv: bool = False) -> Path:
        if (cases, csv) not in made:
            target = folder / (f"demo-{cases}-csv" if csv else f"demo-{cases}.xlsx")
            assert cli.main(["demo-data", "--cases", str(cases), "--out", str(target)]) == 0
            made[cases, csv] = target
        return made[cases, csv]

    return make
