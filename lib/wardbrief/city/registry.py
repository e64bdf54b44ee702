"""The ward registry: a UTF-8 CSV with a header row `code,name,source` (CONTRACT
section 6). A local `source` is relative to the registry's folder; a Google Sheet
(`gsheet:<key>` or its URL) is kept as written. Every problem names the CSV row as a
spreadsheet shows it (the header is row 1), so the city's office can go straight to it."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from wardbrief.paths import is_gsheet_spec

COLUMNS = ("code", "name", "source")
CODE = re.compile(r"^[A-Za-z0-9_-]+$")


class RegistryError(Exception):
    """The registry cannot be used; the message (Vietnamese, then English) names the
    file and row."""


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    source: str  # as written in the registry
    spec: str  # what `--source` takes: a path made absolute, or the Google Sheet
    row: int  # the CSV row (header = 1)

    @property
    def local(self) -> bool:
        return not is_gsheet_spec(self.spec)


def read_registry(path: str | Path) -> list[Ward]:
    """The wards of the registry at `path`, in its order; RegistryError when the file
    cannot be read or a row breaks a rule (blank or malformed code, a code used above,
    a blank name or source)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RegistryError(f"Không tìm thấy danh sách phường {path} / "
                            f"ward registry not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{path}: tệp không phải UTF-8 (byte {exc.start}); hãy lưu lại "
                            f"dạng CSV UTF-8 / {path} is not UTF-8: save it as CSV UTF-8") from None
    except OSError as exc:
        raise RegistryError(f"Không đọc được {path} / cannot read {path}: {exc}") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise RegistryError(f"{path}: tệp trống, cần dòng tiêu đề code,name,source / "
                            f"{path} is empty: it needs the header row code,name,source")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RegistryError(
            f"{path}, dòng 1: thiếu cột {', '.join(missing)} (cần code,name,source) / "
            f"{path} row 1: no column {', '.join(missing)} (the header must be code,name,source)")
    where = {c: header.index(c) for c in COLUMNS}
    wards: list[Ward] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in where.items()}
        ward = _ward(path, number, values, seen)
        seen[ward.code.lower()] = number
        wards.append(ward)
    if not wards:
        raise RegistryError(f"{path}: không có phường nào (chỉ có dòng tiêu đề) / "
                            f"{path} lists no ward")
    return wards


def _ward(path: Path, row: int, values: dict[str, str], seen: dict[str, int]) -> Ward:
    code, name, source = values["code"], values["name"], values["source"]
    at_vi, at_en = f"{path}, dòng {row}", f"{path} row {row}"
    if not code:
        raise RegistryError(f"{at_vi}: cột code để trống / {at_en}: code is blank")
    if not CODE.match(code):
        raise RegistryError(
            f"{at_vi}: mã '{code}' chỉ được gồm chữ không dấu, số, '-' và '_' / "
            f"{at_en}: code '{code}' may hold only letters, digits, '-' and '_'")
    if code.lower() in seen:
        raise RegistryError(
            f"{at_vi}: mã '{code}' đã dùng ở dòng {seen[code.lower()]} / "
            f"{at_en}: code '{code}' is already used on row {seen[code.lower()]}")
    if not name:
        raise RegistryError(f"{at_vi} (mã {code}): cột name để trống / "
                            f"{at_en} ({code}): name is blank")
    if not source:
        raise RegistryError(f"{at_vi} (mã {code}): cột source để trống / "
                            f"{at_en} ({code}): source is blank")
    spec = source if is_gsheet_spec(source) else str((path.parent / source).resolve())
    return Ward(code, name, source, spec, row)
