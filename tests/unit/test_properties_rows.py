"""Property-based test (hypothesis): raw rows without any structure under every tab title
at once never crash the reader or the figures, and keep their invariants (the checks,
strategies and profiles of test_properties.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import cells, check_figures, check_reader
from wardbrief.read import schema
from wardbrief.read.sources.base import RawWorkbook

pytestmark = pytest.mark.filterwarnings("ignore")


@given(rows=st.lists(st.lists(cells, max_size=16), max_size=8), figures=st.integers(0, 4))
def test_any_rows_under_any_tab_title(rows, figures):
    """Raw rows without any structure, under every tab name at once: the reader's
    invariants on every example, the figures' on one in five (they cost twice the read)."""
    raw = RawWorkbook(kind="csv", location="hypothesis",
                      tabs={tab.name: [list(r) for r in rows] for tab in schema.TABS})
    wb = check_reader(raw)
    if not wb.missing_required and figures == 0:
        check_figures(wb, dt.date(2026, 11, 27), 6)
