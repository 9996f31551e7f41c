"""A large roster workbook is read in streaming (read-only) mode: memory stays small and the
preview is the same (issue 12, item 18)."""

import datetime
import random
import tracemalloc

import pytest

from members.importing import MAX_FILE_BYTES, MAX_ROWS, read_roster
from tests.test_roster_import import GOOD_ROWS, HEADERS, workbook_bytes

pytestmark = pytest.mark.django_db

ROWS = MAX_ROWS // 2  # half the largest import keeps the test quick; the figures are in
# docs/performance.md for the full 2 000 rows (1.3 MB)
EXTRA = [f"备注{i}" for i in range(50)]  # unknown columns: ignored, but they are in the file


def big_workbook() -> bytes:
    noise = random.Random(12)
    rows = []
    for n in range(ROWS):
        row = list(GOOD_ROWS[0])
        row[0] = f"教师{n:04d}"
        row[3] = f"138{n:08d}"
        rows.append(row + [f"{noise.getrandbits(48):x}" for _ in EXTRA])
    return workbook_bytes(rows, headers=HEADERS + EXTRA)


def test_a_large_workbook_is_read_with_little_memory(branch):
    content = big_workbook()
    assert 600_000 < len(content) <= MAX_FILE_BYTES
    tracemalloc.start()
    try:
        preview = read_roster(content, branch=branch)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(preview.rows) == ROWS and preview.can_import
    assert preview.rows[5].values["birth_date"] == datetime.date(1970, 1, 2)
    # Loaded whole, this workbook takes about 26 MB of Python objects; streamed, under 2 MB.
    assert peak < 10 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MB"
