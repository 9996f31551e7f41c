"""Reading the largest roster workbook (2 000 rows, 62 columns, about 1.3 MB): time and peak
Python memory of ``members.importing.read_roster`` (streaming, read-only mode).

    .venv/bin/python bench/roster_import.py

Uses the development database (any; the preview only reads a branch's names and groups).
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")

import django  # noqa: E402

django.setup()

from members.importing import MAX_ROWS, read_roster  # noqa: E402
from members.models import Branch  # noqa: E402
from tests import test_roster_import_streaming as sample  # noqa: E402


def main() -> None:
    sample.ROWS = MAX_ROWS
    content = sample.big_workbook()
    branch = Branch(pk=0)
    started = time.perf_counter()
    preview = read_roster(content, branch=branch)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    read_roster(content, branch=branch)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"workbook {len(content) / 1e6:.2f} MB, {len(preview.rows)} rows")
    print(f"read_roster {seconds:.2f} s, peak Python memory {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
