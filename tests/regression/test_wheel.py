"""The package as it is installed (`pip install .`, not editable): its wheel holds the
notebooks, the templates and the bundled sample, and builds a report from a folder
outside the checkout with no --source."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from builders import REPO

SOURCES = ("pyproject.toml", "README.md", "lib", "notebooks", "templates", "data")


def test_the_wheel_builds_a_report_from_any_folder(tmp_path: Path) -> None:
    # the wheel is built from a copy (links kept as links), so the checkout gets no build/
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tree / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, tree / name)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(tree), "-w", str(wheels),
                    "--no-deps", "--no-build-isolation", "-q"], check=True, timeout=300,
                   capture_output=True)
    [wheel] = wheels.glob("wardbrief-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    notebooks = {p.name for p in (REPO / "notebooks").glob("*.ipynb")}
    assert {f"wardbrief/notebooks/{n}" for n in notebooks} <= names and notebooks
    templates = {p.relative_to(REPO).as_posix() for p in (REPO / "templates").rglob("*")
                 if p.is_file()}
    assert {f"wardbrief/{t}" for t in templates} <= names
    assert "wardbrief/data/donghai-demo.xlsx" in names

    # installed on top of the test environment (its dependencies), nothing of the checkout
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target",
                    str(target), str(wheel), "-q"], check=True, timeout=300,
                   capture_output=True)
    elsewhere = tmp_path / "office"
    elsewhere.mkdir()
    env = {name: value for name, value in os.environ.items()  # no configured spreadsheet
           if not name.startswith("WARDBRIEF_")}
    env.update(PYTHONPATH=str(target), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([str(target / "bin" / "wardbrief"), "run", "weekly_briefing",
                           "--as-of", "2026-11-27"], cwd=elsewhere, env=env, check=False,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "bảng tính MẪU data/donghai-demo.xlsx" in done.stderr  # no --source: the sample
    folder = elsewhere / "outputs" / "2026-11-27" / "weekly_briefing"
    assert (folder / "report.pdf").stat().st_size > 10_000
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["as_of"] == "2026-11-27" and metrics["source"]["demo"] is True
    executed = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
    input_path = Path(executed["metadata"]["papermill"]["input_path"])
    assert input_path == target / "wardbrief" / "notebooks" / "weekly_briefing.ipynb"
