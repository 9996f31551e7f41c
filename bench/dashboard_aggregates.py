"""What a per-branch, per-month summary table could take off the dashboard: its aggregates timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/district \
        .venv/bin/python bench/dashboard_aggregates.py [--branch 1] [--runs 30]

On a generated district, the aggregates the dashboard computes from the records of one branch's
campaign (activities by carrier, by carrier and month, their count, the meetings held, the
attendance rate overall and by kind) are run ``--runs`` times each through the same QuerySet
methods the figures use; it prints the median and least wall time (SQL and Python) and the
median CPU time of this process. Their sum bounds what reading the figures from a summary table
instead would save (the summary itself still costs a query or two).
"""

from __future__ import annotations

import argparse
import statistics
import time

import inprocess  # noqa: F401  (sets Django up)

# isort: split
from activities.models import Activity, Meeting
from members.models import Branch, Campaign


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branch", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    branch = Branch.objects.get(pk=args.branch)
    campaign = Campaign.objects.for_branch(branch).order_by("-start").first()
    start, end = campaign.span()

    def activities():
        return Activity.objects.for_branch(branch).between(start, end)

    def meetings():
        return Meeting.objects.for_branch(branch).between(start, end)

    aggregates = {
        "activities by carrier": lambda: (
            activities().filter(carrier__campaign=campaign).count_by_carrier()
        ),
        "activities by carrier and month": lambda: (
            activities().filter(carrier__campaign=campaign).count_by_carrier_and_month()
        ),
        "activities": lambda: activities().count(),
        "meetings": lambda: meetings().count(),
        "attendance rate": lambda: meetings().attendance_rate(),
        "attendance rate by kind": lambda: meetings().attendance_rate_by_kind(),
    }
    total_least = total_cpu = 0.0
    print(f"{'aggregate':34} {'median ms':>9} {'least ms':>9} {'CPU ms':>7}")
    for name, run in aggregates.items():
        run()
        walls, cpus = [], []
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        total_least += min(walls)
        total_cpu += statistics.median(cpus)
        print(
            f"{name:34} {statistics.median(walls):9.2f} {min(walls):9.2f}"
            f" {statistics.median(cpus):7.2f}"
        )
    print(f"{'all six':34} {'':9} {total_least:9.2f} {total_cpu:7.2f}")


if __name__ == "__main__":
    main()
