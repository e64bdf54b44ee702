"""Property-based tests (hypothesis): hostile workbooks never crash the reader or the
figures, and the figures keep their invariants.

A workbook is built in memory as a source yields it (RawWorkbook): every contract tab
present or not, under its name or an alias (twice, sometimes), with its headers in any
order (some missing, repeated, in NFD, upper case), blank rows above the header and
between rows, and cells of every kind in every column: blank, text (Vietnamese, NFD,
mixed scripts, zero-width characters, phone numbers and names, huge), numbers (NaN, inf,
huge, negative), booleans, dates and datetimes of any year, dates as text and serials
far outside 1900-2100; ids repeat; rows reach far to the right.

Asserted on every example: no exception; for every counted tab total = valid + rejected
and valid = the rows kept; every issue points at a tab and row that exist and at a column
of that tab; totals = sum of departments (cases and tasks, this period and the one
before); on time + late = resolved; metrics.json is strict JSON (no NaN, no Infinity)
and reads back equal; no issue message quotes a planted phone number or is longer than
the cap allows.

The two properties are tested here (hostile_workbooks_test, any_rows_test) and collected
in shards, tests/unit/test_properties_*.py: each shard module runs the property on its
share of the profile's examples (max_examples / shards, each shard drawing its own), so
that pytest-xdist spreads one property over every core (it keeps a module's tests on one
worker). The examples in all, per property, are the profile's (tests/conftest.py): `ci`
(`make test`) 1,000, `dev` (HYPOTHESIS_PROFILE=dev, quick) 100, `fuzz` (`make fuzz`)
10,000.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from wardbrief.figures.cases import COUNT_KEYS
from wardbrief.figures.metrics import compute_metrics
from wardbrief.figures.metrics_files import csv_tables, metrics_json
from wardbrief.figures.tasks import TASK_KEYS
from wardbrief.read import schema
from wardbrief.read.cells import is_blank_value
from wardbrief.read.contract import read_workbook
from wardbrief.read.messages import VALUE_LIMIT
from wardbrief.read.names import tab_key
from wardbrief.read.sources.base import RawWorkbook

PLANTED_PHONE = "0987 333 444"
PLANTED_NAME = "Bùi Thế Dũng"
CODES = ["VP", "KTĐT", "KTƯT", "CA", "vp ", "Văn phòng"]
WORDS = ["Phường", "Đông Hải", "ngập", "rác", "đèn", "Hài lòng", "Chưa hài lòng",
         "Đã trả lời", "Đang xử lý", "Trả lại", "Vướng mắc", "Facebook", "Zalo",
         "Loa truyền thanh", "Cổng TTĐT", "Nghỉ", "Làm bù", "Môi trường", "Đất đai",
         "Thời hạn mặc định", "Sắp đến hạn", "Chỉ tiêu đúng hạn", "Tên phường", *CODES,
         PLANTED_NAME, f"Đã gọi {PLANTED_NAME} {PLANTED_PHONE}", "a@b.vn", "=1+1",
         "<script>x</script>", "Ωμέγα", "漢字", "العربية", "🙂", "\u200b", "\ufeff",
         "((((((((((((((((((((1", "nan", "inf", "1e400", "-0", "60%", "0,6", "   "]
ALPHABET = st.sampled_from(list("aăâbdđeêioôơuưyAĐƯ0123456789 /.-:()+@_\u0301\u0323\u200b"))

years = st.integers(min_value=1, max_value=9999)


def date_text() -> st.SearchStrategy[str]:
    parts = st.tuples(st.integers(0, 40), st.integers(0, 14),
                      st.sampled_from([2026, 2025, 26, 2620, 1620, 1899, 2100, 2101, 9999]),
                      st.sampled_from(["/", "-", ".", " "]), st.sampled_from(["", " 08:30", " 25:61"]))
    return st.one_of(
        parts.map(lambda p: f"{p[0]:02d}{p[3]}{p[1]:02d}{p[3]}{p[2]}{p[4]}"),
        parts.map(lambda p: f"{p[2]}-{p[1]:02d}-{p[0]:02d}{p[4]}"),
    )


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


texts = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(nfd),
    st.sampled_from(WORDS).map(str.upper),
    st.text(ALPHABET, max_size=12),
    st.text(max_size=6),
    st.builds(lambda w, n: w * n, st.sampled_from(["x", "(", "0 ", "Đ", "a@"]),
              st.integers(200, 3000)),
)
numbers = st.one_of(
    st.integers(-10, 400), st.integers(-(10**15), 10**15), st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=3_000_000),  # serials, in range and far out
    st.sampled_from([46353, 46353.75, 73415, 73416, 132322, 2958466]),
)
dates = st.one_of(
    st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 3, 1)),
    st.dates(),  # any year 1..9999
    st.datetimes(min_value=dt.datetime(1, 1, 1)),
)
cells = st.one_of(
    st.none(), st.just(""), texts, numbers, st.booleans(), dates, date_text(),
)
# Columns are usually of their own kind (so that rows get through validation), else any.
recent_dates = st.one_of(
    st.dates(min_value=dt.date(2026, 9, 1), max_value=dt.date(2026, 12, 31)),
    st.dates(min_value=dt.date(2026, 9, 1), max_value=dt.date(2026, 12, 31)).map(
        lambda d: d.strftime("%d/%m/%Y")),
)
FIELD_CELLS = {
    "date": st.one_of(recent_dates, cells),
    "id": st.one_of(st.sampled_from(["PA1", "PA2", "PA3", "pa1", "PA1 ", "NV1", "NV2"]),
                    st.text(ALPHABET, min_size=1, max_size=4), cells),
    "code": st.one_of(st.sampled_from(CODES), cells),
    "text": cells,
}


def kind_of(field: str) -> str:
    if field in ("received", "assigned", "due_explicit", "extended_to", "responded", "due",
                 "completed", "date"):
        return "date"
    if field in ("case_id", "task_id"):
        return "id"
    if field in ("code", "department", "lead", "support", "name"):
        return "code"
    return "text"


@st.composite
def tab_rows(draw: st.DrawFn, tab: schema.Tab) -> list[list[object]]:
    columns = list(tab.columns)
    picked = draw(st.lists(st.sampled_from(columns), min_size=0, max_size=len(columns) + 2))
    if draw(st.booleans()):
        picked = columns  # the full header, in order, half of the time
    headers = []
    for col in picked:
        header = draw(st.sampled_from(col.headers))
        header = draw(st.sampled_from([header, nfd(header), header.upper(), f" {header} "]))
        headers.append(header)
    if draw(st.integers(0, 9)) == 0:
        headers.insert(draw(st.integers(0, len(headers))), draw(cells))  # an odd header cell
    rows: list[list[object]] = [[] for _ in range(draw(st.integers(0, 2)))]  # blank rows above
    rows.append(headers)
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 7)) == 0:
            rows.append([None] * draw(st.integers(0, 3)))  # a blank row between
            continue
        row = [draw(FIELD_CELLS[kind_of(col.field)]) if draw(st.integers(0, 5))
               else draw(cells) for col in picked]
        if draw(st.integers(0, 12)) == 0:
            row += [None] * draw(st.integers(0, 60)) + [draw(cells)]  # a far cell
        rows.append(row)
    if draw(st.integers(0, 15)) == 0:
        rows = [[draw(cells) for _ in range(draw(st.integers(0, 3)))]]  # no header at all
    return rows


@st.composite
def workbooks(draw: st.DrawFn) -> RawWorkbook:
    tabs: dict[str, list[list[object]]] = {}
    for tab in schema.TABS:
        presence = draw(st.integers(0, 9))
        if presence == 0 or (not tab.required and presence == 1):
            continue  # missing
        titles = [tab.name, *tab.aliases, tab.name.upper(), f" {tab.name} "]
        tabs[draw(st.sampled_from(titles))] = draw(tab_rows(tab))
        if draw(st.integers(0, 12)) == 0:
            tabs[nfd(draw(st.sampled_from(titles))) + " "] = draw(tab_rows(tab))  # a second
    if draw(st.integers(0, 8)) == 0:
        tabs["Ghi chú"] = [[draw(cells)]]
    order = draw(st.permutations(list(tabs)))
    return RawWorkbook(kind="xlsx", location="hypothesis", tabs={t: tabs[t] for t in order})


as_of_dates = st.dates(min_value=dt.date(2026, 9, 1), max_value=dt.date(2027, 1, 31))


def _contract_title(raw: RawWorkbook, sheet: str) -> str | None:
    tab = next(t for t in schema.TABS if t.name == sheet)
    return next((title for title in raw.tabs if tab_key(title) in tab.title_keys()), None)


def check_reader(raw: RawWorkbook):
    wb = read_workbook(raw)
    for name, frame in (("PhanAnh", wb.cases), ("NhiemVu", wb.tasks), ("TruyenThong", wb.posts)):
        counts = wb.rows[name]
        assert counts["total"] == counts["valid"] + counts["rejected"]
        assert counts["valid"] == len(frame) and counts["rejected"] >= 0
    for issue in wb.issues:
        assert issue.severity in ("error", "warning", "info")
        tab = next(t for t in schema.TABS if t.name == issue.sheet)
        assert issue.column is None or issue.column in {c.label for c in tab.columns}
        if issue.row is not None:
            title = _contract_title(raw, issue.sheet)
            assert title is not None, issue
            rows = raw.tabs[title]
            assert 1 <= issue.row <= len(rows), issue
            assert not all(is_blank_value(c) for c in rows[issue.row - 1]), issue
        assert PLANTED_PHONE not in issue.message and "0987333444" not in issue.message
        # the template (at most ~160 characters) and one quoted cell of VALUE_LIMIT
        assert len(issue.message) <= 200 + 2 * VALUE_LIMIT, issue.message[:300]
    return wb


def check_figures(wb, as_of: dt.date, back: int) -> dict:
    period_start = as_of - dt.timedelta(days=back)
    m = compute_metrics(wb, as_of, period_start)
    text = metrics_json(m)  # allow_nan=False: raises on NaN / Infinity
    assert json.loads(text) == m
    for cases in (m["cases"], m["previous_period"]["cases"]):
        totals, by_department = cases["totals"], cases["by_department"]
        for figure in (*COUNT_KEYS, "rated", "satisfied"):
            assert totals[figure] == sum(d[figure] for d in by_department.values()), figure
        for figures in (totals, *by_department.values()):
            assert figures["resolved_on_time"] + figures["resolved_late"] == figures["resolved"]
            assert figures["open_overdue"] + figures["open_due_soon"] <= figures["open"]
    tasks = m["tasks"]
    for figure in TASK_KEYS:
        assert tasks["totals"][figure] == sum(d[figure] for d in tasks["by_department"].values())
    assert len(tasks["items"]) == tasks["totals"]["total"]
    for rows in csv_tables(m).values():
        assert all(len(r) == len(rows[0]) for r in rows)
    return m


# Shards per property: each costs about the same (the rows' property checks the figures
# on one example in five, so each of its examples costs about half).
WORKBOOK_SHARDS = 4
ROWS_SHARDS = 2


def _share(shards: int) -> settings:
    """The settings of one shard: the loaded profile's examples divided among `shards`."""
    return settings(max_examples=-(-settings.default.max_examples // shards))


def hostile_workbooks_test():
    """Hostile workbooks: the reader's invariants, and the figures' whenever the required
    tabs are there (a test function for one shard module)."""

    @_share(WORKBOOK_SHARDS)
    @given(raw=workbooks(), as_of=as_of_dates, back=st.integers(0, 40))
    def test_hostile_workbooks_keep_the_invariants(raw, as_of, back):
        wb = check_reader(raw)
        if wb.missing_required:
            return  # the commands stop here with exit 2 (DonVi or PhanAnh missing)
        check_figures(wb, as_of, back)

    return test_hostile_workbooks_keep_the_invariants


def any_rows_test():
    """Raw rows without any structure, under every tab name at once: the reader's
    invariants on every example, the figures' on one in five (they cost twice the read)
    (a test function for one shard module)."""

    @_share(ROWS_SHARDS)
    @given(rows=st.lists(st.lists(cells, max_size=16), max_size=8), figures=st.integers(0, 4))
    def test_any_rows_under_any_tab_title(rows, figures):
        raw = RawWorkbook(kind="csv", location="hypothesis",
                          tabs={tab.name: [list(r) for r in rows] for tab in schema.TABS})
        wb = check_reader(raw)
        if not wb.missing_required and figures == 0:
            check_figures(wb, dt.date(2026, 11, 27), 6)

    return test_any_rows_under_any_tab_title
