"""Any rows under any tab title keep the invariants: shard 2 of properties.ROWS_SHARDS
(the property, its checks and its share of the examples are in tests/properties.py)."""

import pytest
from properties import any_rows_test

pytestmark = pytest.mark.filterwarnings("ignore")

test_any_rows_under_any_tab_title = any_rows_test()
