"""The committee table and workbook with their caches cold, after one branch changed, and warm.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/district \\
        .venv/bin/python bench/committee_table.py ['/committee/?year=2011'] [--rounds 7]

In process (Django's test client, the ``committee`` account of ``generate_data``), each round:
the cache emptied (every branch's row worked out: what the first request after a restart or a
cache expiry costs); one branch's data version moved on (a change in one branch: only its row
is worked out again); the same page once more (served from the cache). Prints the median and
fastest time and the query count of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from inprocess import signed_in_client  # sets Django up, so it comes first

# isort: split
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import freshness
from members.models import Branch


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["/committee/?year=2011"])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    client = signed_in_client("committee")
    client.get("/")  # the session's first renewal
    one = Branch.objects.order_by("pk").values_list("pk", flat=True).first()

    for path in args.paths:

        def timed(path: str = path) -> tuple[float, int]:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                if response.streaming:
                    b"".join(response.streaming_content)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            return elapsed, len(queries)

        results: dict[str, list[tuple[float, int]]] = {"cold": [], "one branch changed": []}
        results["unchanged"] = []
        for _ in range(args.rounds):
            cache.clear()
            results["cold"].append(timed())
            freshness._bump({one})
            results["one branch changed"].append(timed())
            results["unchanged"].append(timed())
        for name, runs in results.items():
            times = [ms for ms, _ in runs]
            print(
                f"{path} {name}: median {statistics.median(times):.1f} ms,"
                f" fastest {min(times):.1f} ms, {runs[-1][1]} queries"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
