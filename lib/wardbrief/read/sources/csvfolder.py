"""A folder of CSV files, one per tab, as real programs write them.

- File names: `<Tab>.csv`, a Google Sheets download `<Spreadsheet> - <Tab>.csv`, or a
  LibreOffice export `<book>-<Tab>.csv`. The tab is the part of the name whose key
  (contract section 1) is one of a contract tab's; the book's prefix found that way is
  then taken off the other files too (`Book - HuongDan.csv` is the tab `HuongDan`).
  A tab title may hold spaces and diacritics (`Nhiệm vụ.csv`, `Book - Nhiệm vụ.csv`).
- Text: UTF-8, with or without BOM (Excel's "CSV UTF-8" writes one), CRLF or LF, line
  breaks inside quoted cells. Any other encoding is refused with how to save as UTF-8.
- Separator: `,`, `;` (Excel with a `;` list separator) or tab, whichever the header line
  (the first non-blank line) holds most of, outside quotes.
- Blank lines before the header are kept as blank rows, so row numbers stay the sheet's.

Columns are read as pandas categoricals: a column's repeated values (dates,
departments, statuses) are stored once, so a million cases stay small in memory. A file
of ARROW_BYTES or more is parsed by Arrow (pyarrow) into the same frame (but for a column
nearly every cell of which differs, ids or phones, kept as text: TEXT_SHARE), or by
pandas where Arrow would not read it the same way (`_read_arrow`).

The folder's fingerprint is the sha256 of its files' bytes, tab by tab, not of the frames
read from them (read.file_prints: made where it is first asked for).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wardbrief.read import schema
from wardbrief.read.cells import blank_text
from wardbrief.read.file_prints import READ_BYTES, PrintedFile, file_blocks, stamp
from wardbrief.read.issues import DataIssue
from wardbrief.read.names import tab_key
from wardbrief.read.sources.base import (
    CSV_MAX_CELLS,
    CSV_MAX_FILE_BYTES,
    CSV_MAX_GRID_CELLS,
    CSV_MAX_ROWS,
    RawWorkbook,
    Rows,
    SourceError,
    too_large,
)

# the limits of a CSV folder (read.sources.base), under the names this module checks
MAX_FILE_BYTES, MAX_CELLS, MAX_ROWS, MAX_GRID_CELLS = (
    CSV_MAX_FILE_BYTES, CSV_MAX_CELLS, CSV_MAX_ROWS, CSV_MAX_GRID_CELLS)

SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "dấu phẩy / comma", ";": "dấu chấm phẩy / semicolon",
                   "\t": "dấu tab / tab"}
NAMING_RULE = (
    "Mỗi trang tính là một tệp .csv, đặt tên theo trang: DonVi.csv, PhanAnh.csv, … "
    "(hoặc như Google Trang tính tải về: '<Tên bảng tính> - PhanAnh.csv', hoặc như "
    "LibreOffice xuất: '<tên tệp>-PhanAnh.csv'). / One .csv file per tab, named after "
    "the tab: DonVi.csv, PhanAnh.csv, … (or as Google Sheets downloads them, "
    "'<Spreadsheet> - PhanAnh.csv', or as LibreOffice exports them, '<book>-PhanAnh.csv')."
)
_HEAD_BYTES = 1 << 16  # read to find the header line and its separator


def _contract_tab(title: str) -> schema.Tab | None:
    tk = tab_key(title)
    return next((t for t in schema.TABS if tk in t.title_keys()), None)


def _name_splits(stem: str) -> list[tuple[str, str]]:
    """(book prefix, tab) for every '-' in the name, longest tab first."""
    return [(stem[:i + 1], stem[i + 1:].strip()) for i, ch in enumerate(stem) if ch == "-"]


def tab_titles(stems: list[str]) -> dict[str, str]:
    """File stem -> tab title: the stem itself when it names a contract tab, else the part
    after the book prefix (`<Spreadsheet> - ` or `<book>-`) when that part does; a file
    that names none loses the prefix found on the others."""
    titles: dict[str, str] = {}
    prefixes: set[str] = set()
    for stem in stems:
        if _contract_tab(stem) is not None:
            titles[stem] = stem
            continue
        for prefix, tab in _name_splits(stem):
            if tab and _contract_tab(tab) is not None:
                titles[stem] = tab
                prefixes.add(prefix)
                break
    for stem in stems:
        if stem in titles:
            continue
        prefix = max((p for p in prefixes if stem.startswith(p) and stem[len(p):].strip()),
                     key=len, default="")
        titles[stem] = stem[len(prefix):].strip() if prefix else stem
    return titles


def read_csv_folder(path: Path) -> RawWorkbook:
    """Each CSV file of the folder is one tab (see the module's docstring)."""
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        raise SourceError(
            f"Thư mục {path} không có tệp .csv nào. {NAMING_RULE.split(' / ')[0]} / "
            f"{path} holds no .csv files. {NAMING_RULE.split(' / ')[1]}"
        )
    titles = tab_titles([f.stem for f in files])
    tabs: dict[str, Rows | pd.DataFrame] = {}
    notes: list[DataIssue] = []
    cells = 0  # the filled cells of the files counted so far
    uncounted: list[pd.DataFrame] = []
    printed: list[PrintedFile] = []  # (tab title, file, stamp): the fingerprint's bytes
    for file in files:
        title = titles[file.stem]
        if title in tabs:  # `PhanAnh.csv` and `Book - PhanAnh.csv`: the second keeps its name
            title = file.stem
        read_as = stamp(file)  # before its bytes are read
        frame = read_csv_file(file)
        printed.append((title, str(file), read_as))
        notes += _one_column_note(file, title, frame)
        # a frame's filled cells are at most its size: counted only when the sizes could
        # be past the limit
        uncounted.append(frame)
        if cells + sum(f.size for f in uncounted) > MAX_CELLS:
            cells += sum(map(_filled_cells, uncounted))
            uncounted.clear()
        if cells > MAX_CELLS:
            raise too_large(str(path), f"hơn {MAX_CELLS:,} ô có dữ liệu".replace(",", "."),
                            f"more than {MAX_CELLS:,} non-empty cells")
        tabs[title] = frame
    missing = [t.name for t in schema.TABS
               if t.required and not any(_contract_tab(title) is t for title in tabs)]
    if missing:
        found = ", ".join(f"'{f.name}'" for f in files)
        names = ", ".join(missing)
        raise SourceError(
            f"Thư mục {path} thiếu trang bắt buộc {names}. Các tệp tìm thấy: {found}. "
            f"{NAMING_RULE.split(' / ')[0]} / {path} lacks the required tab(s) {names}. "
            f"Files found: {found}. {NAMING_RULE.split(' / ')[1]}"
        )
    return RawWorkbook(kind="csv", location=str(path), tabs=tabs, source_issues=notes,
                       files=tuple(printed))


def _one_column_note(file: Path, title: str, frame: pd.DataFrame) -> list[DataIssue]:
    """A contract tab read as one column: its separator is none of `,` `;` tab."""
    tab = _contract_tab(title)
    if tab is None or frame.shape[1] != 1 or len(tab.columns) < 2:
        return []
    filled = np.flatnonzero(frame[0].astype(str).str.strip().to_numpy() != "")
    if not len(filled):
        return []
    row = int(filled[0]) + 1
    header = str(frame.iloc[row - 1, 0])[:80]
    return [DataIssue(
        sheet=tab.name, row=row, column=None, severity="warning",
        message=(f"Tệp {file.name} chỉ có một cột: dòng tiêu đề '{header}' không được tách "
                 "bằng dấu phẩy (,), dấu chấm phẩy (;) hay dấu tab. Hãy lưu lại dạng CSV "
                 f"UTF-8. / {file.name} reads as one column: its header line '{header}' is "
                 "not separated by ',', ';' or tab. Save it again as CSV UTF-8."))]


def _not_utf8(file: Path, line: int) -> SourceError:
    return SourceError(
        f"Tệp {file} không phải văn bản UTF-8 (ký tự lạ ở dòng {line}), nên tiếng Việt sẽ "
        "bị đọc sai. Hãy mở tệp và lưu lại dạng CSV UTF-8: trong Excel chọn Tệp -> Lưu "
        "thành -> 'CSV UTF-8 (Comma delimited) (*.csv)'; trong LibreOffice chọn Bộ ký tự "
        "'Unicode (UTF-8)'; Google Trang tính luôn tải về UTF-8. / "
        f"{file} is not UTF-8 text (unexpected bytes on line {line}). Save it as CSV "
        "UTF-8: in Excel, File -> Save As -> 'CSV UTF-8 (Comma delimited) (*.csv)'; in "
        "LibreOffice, character set 'Unicode (UTF-8)'."
    )


def _check_utf8(file: Path) -> None:
    """Decode the whole file as UTF-8, streaming; SourceError at the first bad byte."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    line = 1
    with file.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise _not_utf8(file, line + chunk.count(b"\n", 0, exc.start)) from exc
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise _not_utf8(file, line) from exc


def header_line(text: str) -> str:
    """The first line holding anything but separators and spaces (quotes respected)."""
    start = 0
    while start < len(text):
        end = _record_end(text, start)
        line = text[start:end]
        if line.strip(" \r\n,;\t\"'"):
            return line
        start = end + 1
    return ""


def _record_end(text: str, start: int) -> int:
    quoted = False
    for i in range(start, len(text)):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            return i
    return len(text)


def detect_separator(line: str) -> str:
    """`,`, `;` or tab: the one the line holds most of outside quotes (`,` on a tie)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=lambda s: (counts[s], s == ","))
    return best if counts[best] else ","


def _head(file: Path) -> str:
    """The file's first _HEAD_BYTES, cut after its last complete line (all of a short file)."""
    with file.open("rb") as handle:
        data = handle.read(_HEAD_BYTES)
        if handle.read(1):
            data = data[:data.rfind(b"\n") + 1] or data
    return data.decode("utf-8-sig", errors="replace")


_QUOTE = ord('"')


def _checked_size(file: Path) -> int:
    """The file's size; SourceError when it is over MAX_FILE_BYTES (not read then)."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise too_large(str(file), f"{size / 1e6:.0f} MB, giới hạn {mb} MB",
                        f"{size / 1e6:.0f} MB, the limit is {mb} MB")
    return size


def count_quotes(file: Path) -> int:
    """The file's double quotes (odd: a quote left open)."""
    quotes = 0
    is_quote = np.empty(READ_BYTES, dtype=bool)  # one answer array for every block
    for block in file_blocks(file):
        found = is_quote[:len(block)]
        np.equal(np.frombuffer(block, dtype=np.uint8), _QUOTE, out=found)
        quotes += int(np.count_nonzero(found))
    return quotes


def read_csv_file(file: Path) -> pd.DataFrame:
    """Every cell as text; each column then kept as a categorical."""
    size = _checked_size(file)
    head = _head(file)
    header = header_line(head)
    if not header:
        _check_utf8(file)
        return pd.DataFrame()
    sep = detect_separator(header)
    # pandas takes the width from the first line (a wider first line would turn its extra
    # cells into an index): the widest line of the file's head, the whole file when a
    # later line is wider still
    width = max((len(row) for row in csv.reader(io.StringIO(head), delimiter=sep)), default=0)
    frame = _read_arrow(file, sep, width) if size >= ARROW_BYTES else None
    if frame is not None:
        _check_size(file, frame)
        return frame
    try:
        try:
            frame = _read(file, sep, width)
        except pd.errors.ParserError:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                width = max((len(row) for row in csv.reader(handle, delimiter=sep)), default=0)
            frame = _read(file, sep, width)
    except UnicodeDecodeError as exc:
        # pandas decodes the whole file strictly; the streaming check names the line
        _check_utf8(file)
        raise _not_utf8(file, 1) from exc
    _check_size(file, frame)
    for col in frame.columns:
        codes, uniques = pd.factorize(frame[col].to_numpy(), use_na_sentinel=True)
        frame[col] = _categorical(codes, uniques)
    return frame


def _check_size(file: Path, frame: pd.DataFrame) -> None:
    if len(frame) > MAX_ROWS:
        _check_utf8(file)  # the rows past the limit were not read: as UTF-8 first
        raise too_large(str(file), f"hơn {MAX_ROWS:,} dòng".replace(",", "."),
                        f"more than {MAX_ROWS:,} rows")
    if frame.size > MAX_GRID_CELLS:
        raise too_large(str(file), f"{len(frame):,} dòng x {frame.shape[1]} cột".replace(
            ",", "."), f"{len(frame):,} rows x {frame.shape[1]} columns")


ARROW_BYTES = 16 << 20
"""From this size on a CSV file is parsed by Arrow (pyarrow.csv: the file cut in blocks
parsed on every core, each column's distinct cells found in C), faster than pandas' own
parser on a large file (bench/RESULTS.md)."""


ARROW_BLOCK_BYTES = 8 << 20
"""The blocks Arrow cuts a file into, one per core at a time. It cuts them first at any
line break (the quick way); a block cut inside a quoted cell that holds a line break
leaves its parser out of step with the blocks, which Arrow refuses, and the file is then
parsed again with the blocks cut outside quotes (`newlines_in_values`, slower)."""


def _read_arrow(file: Path, sep: str, width: int) -> pd.DataFrame | None:
    """The frame `_read` and its factorize give (every line a row of `width` text cells,
    the header line too; each column a categorical of its distinct cells in the order
    they first come), parsed by Arrow; None where Arrow is not installed or the file is
    not one it reads the same way: a line of another width than `width` (a blank line,
    a ragged row: pandas fills those), text that is not UTF-8, an odd number of quotes
    (Arrow takes a quote left open at the end of the file for a cell running to the
    end; pandas refuses the file). The caller then reads it with pandas, which says what
    is wrong where."""
    try:
        import pyarrow as pa
        from pyarrow import csv as pacsv
    except ImportError:
        return None
    if count_quotes(file) % 2:
        return None
    names = [f"c{i}" for i in range(width)]
    # each cell read straight into its column's dictionary (the distinct cells, in the
    # order each block first holds them; the blocks' dictionaries joined in file order
    # give the order of the whole file): no string array of every row in between
    as_dictionary = pa.dictionary(pa.int32(), pa.string())

    def parse(newlines_in_values: bool) -> Any:
        return pacsv.read_csv(
            file,
            read_options=pacsv.ReadOptions(column_names=names, block_size=ARROW_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                             escape_char=False,
                                             newlines_in_values=newlines_in_values,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, as_dictionary), strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[]))

    try:
        try:
            table = parse(newlines_in_values=False)
        except (pa.ArrowException, ValueError):  # a block cut inside a quoted cell
            table = parse(newlines_in_values=True)
        if table.num_columns != width:
            return None
        rows = table.num_rows
        # a column of nearly as many distinct cells as rows (ids, phones) is kept as its
        # text: its blocks' dictionaries are not joined into one (Arrow hashes each cell
        # again for that, alone on one core), nor would a categorical save anything
        as_text = {name for name in names if rows >= TEXT_MIN_ROWS and sum(
            len(chunk.dictionary) for chunk in table.column(name).chunks) >= TEXT_SHARE * rows}
        unified = table.select([n for n in names if n not in as_text]).unify_dictionaries()
        columns = {i: _text_column(table.column(name)) if name in as_text
                   else _dictionary_categorical(unified.column(name))
                   for i, name in enumerate(names)}
    except (pa.ArrowException, OSError, ValueError):
        return None
    del table, unified
    pa.default_memory_pool().release_unused()  # the parser's blocks, back to the system
    return pd.DataFrame(columns, index=pd.RangeIndex(rows), copy=False)


TEXT_MIN_ROWS = 10_000
TEXT_SHARE = 0.9
"""A column of a file Arrow parses is kept as text (object cells, not a categorical) when
it has TEXT_MIN_ROWS rows or more and its blocks' dictionaries together hold at least
TEXT_SHARE of its rows (the blocks' distinct cells: a column whose cells nearly all
differ)."""


def _text_column(column: Any) -> pd.Series:
    """The column's cells as text (object), decoded from each block's dictionary."""
    import pyarrow as pa

    text = pa.chunked_array([chunk.dictionary.take(chunk.indices) for chunk in column.chunks],
                            type=pa.string())
    return pd.Series(text.to_numpy(), dtype=object, copy=False)


def _dictionary_categorical(column: Any) -> pd.Categorical:
    array = column.combine_chunks()
    codes = array.indices.to_numpy(zero_copy_only=False)
    return _categorical(codes, array.dictionary.to_numpy(zero_copy_only=False))


def _categorical(codes: np.ndarray, uniques: np.ndarray) -> pd.Categorical:
    """The column as a categorical of factorize's codes and distinct cells (object
    categories: the cells as read, not copied again into a string array)."""
    categories = pd.Index(uniques, dtype=object)
    try:  # factorize's cells are distinct and never NaN: pandas need not hash them again
        dtype = pd.CategoricalDtype._from_fastpath(categories, ordered=False)
    except (AttributeError, TypeError):  # a pandas without it: the checked way
        return pd.Categorical.from_codes(codes, categories=categories)
    return pd.Categorical.from_codes(codes, dtype=dtype)


def _read(file: Path, sep: str, width: int) -> pd.DataFrame:
    # "utf-8", not "utf-8-sig": the C parser then reads the bytes itself (it drops a BOM
    # at the start and decodes each cell strictly) instead of a decoded and re-encoded copy
    return pd.read_csv(file, header=None, names=range(width), sep=sep, dtype=object,
                       keep_default_na=False, na_filter=False, encoding="utf-8",
                       skip_blank_lines=False, quotechar='"', engine="c",
                       nrows=MAX_ROWS + 1)


def _filled_cells(frame: pd.DataFrame) -> int:
    total = 0
    for col in frame.columns:
        if not isinstance(frame[col].dtype, pd.CategoricalDtype):  # text (_text_column)
            total += int((~blank_text(frame[col].to_numpy(dtype=object))).sum())
            continue
        cats = frame[col].cat
        # every category is text (read with dtype=object)
        filled = ~blank_text(cats.categories.to_numpy(dtype=object))
        codes = cats.codes.to_numpy()
        if len(filled):
            total += int(filled[codes[codes >= 0]].sum())
    return total
