"""Profile one page with pyinstrument, in-process, on a generated district.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/district \
        .venv/bin/python bench/profile_page.py USERNAME PATH [--runs 5] [--sql] [--plain]

Logs ``USERNAME`` in (no password: ``Client.force_login``), requests PATH once to warm up, then
``--runs`` times under pyinstrument, and prints the profile, the mean time and the queries of one
request (``--sql``: their SQL and time too).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

from inprocess import signed_in_client  # sets Django up, so it comes first

# isort: split
from django.db import connection
from pyinstrument import Profiler


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="print the slowest queries")
    parser.add_argument("--top", type=int, default=10, help="how many queries --sql prints")
    parser.add_argument("--quiet", action="store_true", help="no profile, only the figures")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="no profiler at all: the median and fastest of --runs requests (pyinstrument adds "
        "20-50 %%); with PAGE_CACHE_SECONDS=0 in the environment, the uncached build",
    )
    args = parser.parse_args()
    client = signed_in_client(args.username)

    def get():
        response = client.get(args.path)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, response.status_code

    get()
    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append({"sql": sql, "time": time.perf_counter() - started})

    with connection.execute_wrapper(record):
        get()
    if args.plain:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            get()
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{args.path}: median {statistics.median(times):.1f} ms, fastest {min(times):.1f} ms"
            f" of {args.runs} requests, {len(queries)} queries"
        )
        return 0
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.runs):
            get()
    mean = (time.perf_counter() - started) / args.runs * 1000
    if not args.quiet:
        print(profiler.output_text(unicode=True, color=False, show_all=args.all))
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.path}: {mean:.1f} ms per request, {len(queries)} queries ({sql_ms:.1f} ms SQL),"
        f" peak memory of the process {peak:.0f} MB"
    )
    if args.sql:
        for query in sorted(queries, key=lambda q: -float(q["time"]))[: args.top]:
            print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
