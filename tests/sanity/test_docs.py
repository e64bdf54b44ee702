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


# --- README and the pages of docs/ ------------------------------------------------------------

PAGES = ("RUNNING.md", "WORKBOOK.md", "GOOGLE_SHEETS.md", "MAIL.md", "REPORTS.md")
README = REPO / "README.md"
DOCUMENTS = (README, *sorted((REPO / "docs").glob("*.md")), REPO / "bench" / "RESULTS.md")
COMMANDS = ("check", "metrics", "run", "city", "render", "send", "demo-data", "sheet", "docs")
PLACEHOLDERS = ("[", "<", "…", "|")


def _anchor(heading: str) -> str:
    """GitHub's id of a Markdown heading: lower case, punctuation dropped, spaces -> '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _code_lines(text: str) -> list[str]:
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside:
            lines.append(line)
    return lines


def test_the_readme_is_short_and_leads_to_every_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    assert "make report" in text and "make test" in text
    for page in PAGES:
        assert (REPO / "docs" / page).is_file(), page
        assert f"(docs/{page})" in text, f"README does not link docs/{page}"


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file_and_a_heading(doc):
    text = doc.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        assert file.exists(), f"{doc.name}: {target}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), re.MULTILINE)
            assert anchor in {_anchor(h) for h in headings}, f"{doc.name}: {target}"


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.name)
def test_every_wardbrief_command_written_in_full_parses(doc):
    """Each `wardbrief …` line of a code block without placeholders is accepted by the
    program's own parser (options and report names as they are today)."""
    from wardbrief.commands import cli

    checked = 0
    for line in _code_lines(doc.read_text(encoding="utf-8")):
        found = re.search(rf"(?:^|[\s/=])wardbrief\s+((?:{'|'.join(COMMANDS)})\b.*)", line)
        if not found:
            continue
        argv = re.split(r"\s(?:>>|&&|2>&1|#)", found.group(1))[0].split()
        if any(mark in word for word in argv for mark in PLACEHOLDERS):
            continue
        try:
            cli.build_parser().parse_args(argv)
        except SystemExit as exc:
            pytest.fail(f"{doc.name}: `wardbrief {' '.join(argv)}` is refused ({exc.code})")
        checked += 1
    if doc.name in {"README.md", "RUNNING.md", "MAIL.md", "GOOGLE_SHEETS.md"}:
        assert checked, f"{doc.name}: no command found (is the pattern still right?)"


def test_every_make_target_in_the_readme_and_the_pages_exists():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = {t for line in re.findall(r"^([\w .-]+):(?!=)", makefile, re.MULTILINE)
               for t in line.split()}
    for doc in (README, *(REPO / "docs" / page for page in PAGES)):
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"`make ([a-z][\w-]*)", text) + [
                m for line in _code_lines(text) for m in re.findall(r"^make ([a-z][\w-]*)", line)]:
            assert target in targets, f"{doc.name}: make {target}"
