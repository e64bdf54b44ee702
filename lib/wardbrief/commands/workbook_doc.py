"""`wardbrief docs`: the parts of docs/WORKBOOK.md generated from the declarations.

Each block sits between `<!-- generated: NAME -->` and `<!-- end: NAME -->`; the prose
around them is written by hand. `wardbrief docs --write` refreshes the blocks; the test
suite (tests/sanity/test_docs.py) fails when a block differs from the declarations, so a
tab, column, setting, exported column, exit code or environment variable cannot be added
without being documented.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from wardbrief import config, exit_codes
from wardbrief.figures import exports
from wardbrief.read import schema
from wardbrief.read.messages import ISSUE_MESSAGES

# the checkout's docs/WORKBOOK.md: a command for whoever edits the checkout
DOC = Path(__file__).resolve().parents[3] / "docs" / "WORKBOOK.md"
BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end: (?P=name) -->)",
                   re.DOTALL)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _code(text: object) -> str:
    return f"`{text}`" if str(text) else ""


def tabs_block() -> str:
    out = []
    for tab in schema.TABS:
        need = "bắt buộc / required" if tab.required else "tùy chọn / optional"
        titles = ", ".join(_code(t) for t in (tab.name, *tab.aliases))
        out.append(f"#### {tab.name} ({need})\n\nTên trang được chấp nhận / accepted titles: "
                   f"{titles}\n")
        out.append(_table(["Tiêu đề cột / header", "Cũng chấp nhận / also accepted", "field"],
                          [[c.label, ", ".join(c.headers[1:]), _code(c.field)]
                           for c in tab.columns]))
    return "\n".join(out)


def settings_block() -> str:
    return _table(["Tham số", "Mặc định / default", "Cách đọc / rule", "Ý nghĩa", "Meaning"],
                  [[s.label, _code(s.default), _code(s.rule), s.help_vi, s.help_en]
                   for s in schema.SETTINGS])


def exports_block() -> str:
    out = []
    for name, columns in exports.TABLES.items():
        out.append(f"**{name}**\n")
        out.append(_table(["key", "Tiêu đề / header", "format", "ghi / written"],
                          [[_code(c.key), c.header, _code(c.format), _written(c)]
                           for c in columns]))
    return "\n".join(out)


def _written(column: exports.ExportColumn) -> str:
    """What a file shows for the column's codes, or where a blank cell's value comes from."""
    if column.words:
        return "; ".join(f"{_code(str(code))} → {word}" for code, word in column.words.items())
    if column.fallback:
        return f"trống: {_code(column.fallback)} / blank: {_code(column.fallback)}"
    return ""


def exit_codes_block() -> str:
    return _table(["mã / code", "Ý nghĩa", "Meaning"],
                  [[_code(code), vi, en] for code, vi, en in exit_codes.EXIT_CODES])


def env_block() -> str:
    return _table(["biến / variable", "trong tệp cấu hình / config key", "Ý nghĩa", "Meaning"],
                  [[_code(name), _code(key), vi, en] for name, key, vi, en in config.ENV_VARS])


def issues_block() -> str:
    return _table(["mã / id", "Nội dung thông báo (mẫu)"],
                  [[_code(name), text.replace("{", "‹").replace("}", "›")]
                   for name, text in ISSUE_MESSAGES.items()])


BLOCKS: dict[str, Callable[[], str]] = {
    "tabs": tabs_block,
    "settings": settings_block,
    "exports": exports_block,
    "exit-codes": exit_codes_block,
    "environment": env_block,
    "issues": issues_block,
}


def refreshed(text: str) -> str:
    """`text` with every generated block rewritten from the declarations."""
    def body(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in BLOCKS:
            raise KeyError(f"docs/WORKBOOK.md: unknown generated block {name!r}")
        return match.group(1) + BLOCKS[name]() + match.group(4)
    return BLOCK.sub(body, text)


def block_names(text: str) -> list[str]:
    return [m["name"] for m in BLOCK.finditer(text)]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("docs", help="refresh the generated parts of docs/WORKBOOK.md")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when docs/WORKBOOK.md is out of date (write nothing)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, doc: Path = DOC) -> int:
    text = doc.read_text(encoding="utf-8")
    new = refreshed(text)
    if args.check:
        if new != text:
            print(f"{doc}: out of date; run `wardbrief docs`", file=sys.stderr)
            return 1
        return 0
    doc.write_text(new, encoding="utf-8")
    print(f"docs: {doc}")
    return 0
