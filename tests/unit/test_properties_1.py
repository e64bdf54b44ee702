"""Hostile workbooks keep the invariants: shard 1 of properties.WORKBOOK_SHARDS (the
property, its checks and its share of the examples are in tests/properties.py)."""

import pytest
from properties import hostile_workbooks_test

pytestmark = pytest.mark.filterwarnings("ignore")

test_hostile_workbooks_keep_the_invariants = hostile_workbooks_test()


def test_every_shard_is_collected():
    """Each property runs its examples in all only when each of its shards is there."""
    from pathlib import Path

    from properties import ROWS_SHARDS, WORKBOOK_SHARDS

    here = Path(__file__).parent
    assert sorted(p.name for p in here.glob("test_properties_[0-9]*.py")) == [
        f"test_properties_{i}.py" for i in range(1, WORKBOOK_SHARDS + 1)]
    assert sorted(p.name for p in here.glob("test_properties_rows_[0-9]*.py")) == [
        f"test_properties_rows_{i}.py" for i in range(1, ROWS_SHARDS + 1)]
