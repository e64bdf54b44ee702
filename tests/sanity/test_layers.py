"""The package's folders are the pipeline, and an import never points back up it:
read -> demo -> figures -> document -> briefings -> publish -> run -> city -> commands
(docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast

import pytest
from builders import REPO

ORDER = ("read", "demo", "figures", "document", "briefings", "publish", "run", "city",
         "commands")
PACKAGE = REPO / "lib" / "wardbrief"


def _imported(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


@pytest.mark.parametrize("step", ORDER[:-1])
def test_no_import_points_back_up_the_pipeline(step):
    later = ORDER[ORDER.index(step) + 1:]
    files = sorted((PACKAGE / step).rglob("*.py"))
    assert files  # the step exists
    wrong = [f"{path.relative_to(PACKAGE)} imports {name}" for path in files
             for name in _imported(path)
             if name.split(".")[:2] in [["wardbrief", s] for s in later]]
    assert wrong == []


PACKAGE_DATA = ("data", "notebooks", "templates")  # links to the top-level folders


def test_ls_shows_the_pipeline():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.is_symlink()
                     and p.name != "__pycache__")
    assert folders == sorted(ORDER)
    links = sorted(p.name for p in PACKAGE.iterdir() if p.is_symlink())
    assert links == sorted(PACKAGE_DATA)
    assert all((PACKAGE / name).resolve() == REPO / name for name in PACKAGE_DATA)


def test_the_command_line_parser_loads_no_pandas():
    """`wardbrief` starts at once: the parser (every command's module) loads neither
    pandas nor the renderer."""
    import subprocess
    import sys

    code = ("import sys; from wardbrief.commands import cli; cli.build_parser(); "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'weasyprint', 'nbconvert') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
