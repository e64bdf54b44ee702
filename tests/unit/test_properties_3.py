"""Hostile workbooks keep the invariants: shard 3 of properties.WORKBOOK_SHARDS (the
property, its checks and its share of the examples are in tests/properties.py)."""

import pytest
from properties import hostile_workbooks_test

pytestmark = pytest.mark.filterwarnings("ignore")

test_hostile_workbooks_keep_the_invariants = hostile_workbooks_test()
