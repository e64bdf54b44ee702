"""docs/WORKBOOK.md documents every declaration (as datasette's test_docs.py does for its
settings): tabs, columns and their accepted spellings, CauHinh settings, exported columns,
exit codes, environment variables and data-issue messages."""

from __future__ import annotations

import argparse
import re

import pytest
from builders import REPO
from wardbrief import config, exit_codes
from wardbrief.commands import workbook_doc
from wardbrief.figures import exports
from wardbrief.read import schema
from wardbrief.read.messages import ISSUE_MESSAGES

DOC = REPO / "docs" / "WORKBOOK.md"
TEXT = DOC.read_text(encoding="utf-8")


def test_every_generated_block_is_up_to_date():
    assert sorted(workbook_doc.block_names(TEXT)) == sorted(workbook_doc.BLOCKS)
    assert workbook_doc.refreshed(TEXT) == TEXT, "run `wardbrief docs` and commit docs/WORKBOOK.md"


@pytest.mark.parametrize("tab", schema.TABS, ids=lambda t: t.name)
def test_every_tab_and_every_accepted_header_is_documented(tab):
    assert f"#### {tab.name} (" in TEXT
    for column in tab.columns:
        for header in column.headers:
            assert header in TEXT, f"{tab.name}: header {header!r} not in docs/WORKBOOK.md"


@pytest.mark.parametrize("setting", schema.SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_with_its_default(setting):
    assert f"| {setting.label} | {workbook_doc._code(setting.default)} |" in TEXT  # blank: empty


def test_every_exported_column_is_documented():
    for name, columns in exports.TABLES.items():
        assert f"**{name}**" in TEXT
        for column in columns:
            assert f"| `{column.key}` | {column.header} | `{column.format}` |" in TEXT


def test_every_exit_code_is_documented():
    for code, vi, en in exit_codes.EXIT_CODES:
        assert f"| `{code}` | {vi} | {en} |" in TEXT


def _env_vars_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (REPO / "lib" / "wardbrief").rglob("*.py"):
        names |= set(re.findall(r"\b(WARDBRIEF_[A-Z_]+|GOOGLE_APPLICATION_CREDENTIALS)\b",
                                path.read_text(encoding="utf-8")))
    return names


def test_every_environment_variable_the_code_reads_is_declared_and_documented():
    declared = {name for name, *_ in config.ENV_VARS}
    used = _env_vars_read_by_the_code()
    assert "WARDBRIEF_SHEETS_TIMEOUT" in used  # the scan really reads the code
    assert used <= declared, f"declare in config.ENV_VARS: {sorted(used - declared)}"
    for name in declared:
        assert f"| `{name}` |" in TEXT


def test_every_data_issue_message_is_documented():
    for name in ISSUE_MESSAGES:
        assert f"| `{name}` |" in TEXT


def test_the_check_command_finds_a_stale_document(tmp_path):
    stale = tmp_path / "WORKBOOK.md"
    stale.write_text(TEXT.replace("| Tên phường |", "| Ten phuong |"), encoding="utf-8")
    assert workbook_doc.run(argparse.Namespace(check=True), doc=stale) == 1
    assert workbook_doc.run(argparse.Namespace(check=True), doc=DOC) == 0


def test_readme_points_to_the_workbook_document_not_to_a_missing_contract():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/WORKBOOK.md" in readme
    assert "CONTRACT.md" not in readme
