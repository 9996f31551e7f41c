"""党费 at district scale: the secretary's ledger of a 60-member branch for a year, the
committee's totals for every branch, and the writes that keep the dues (a branch's yearly base,
a month's recording for the whole branch).

    export DATABASE_URL=sqlite:////tmp/dues_district.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_data --branches 200 --people-per-branch 60 --seed 1 --with-dues
    .venv/bin/python bench/dues_bench.py [--rounds 7]

The synthetic branches have about 30 members each (the rest of their 60 people are not in the
party); so the script adds, once, a branch of 60 members (``dues-wide``) to the committee,
setting its yearly base and recording its months through the same services as the pages do,
and times those writes. Then, in process (Django's test client, cache cleared before every
request), it times the pages and prints the median, the fastest and the query count.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from decimal import Decimal

from inprocess import signed_in_client  # sets Django up, so it comes first

# isort: split
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dues.models import Category, MonthlyDue, Way
from dues.months import add_months, month_of
from dues.services import BaseEntry, MonthEntry, base_year_set, month_payments_record
from members.models import Branch, Committee, Membership, Person, RoleAssignment

WIDE = "dues-wide"


def wide_branch(committee: Committee) -> tuple[Branch, dict[str, float]]:
    """The 60-member branch, made once; the time of its writes the first time."""
    branch = Branch.objects.filter(name=f"中共{WIDE}支部委员会").first()
    if branch is not None:
        return branch, {}
    today = timezone.localdate()
    january = datetime.date(today.year, 1, 1)
    with transaction.atomic():
        branch = Branch.objects.create(
            committee=committee, name=f"中共{WIDE}支部委员会", short_name=WIDE
        )
        people = Person.objects.bulk_create(
            Person(branch=branch, name=f"党员{n:02d}", political_status="full") for n in range(60)
        )
        Membership.objects.bulk_create(
            Membership(person=p, start=datetime.date(2000, 1, 1)) for p in people
        )
        user = get_user_model().objects.create(username=f"{WIDE}-secretary")
        RoleAssignment.objects.create(user=user, role="secretary", branch=branch)
    timings = {}
    started = time.perf_counter()
    base_year_set(
        branch=branch,
        year=today.year,
        entries=[
            BaseEntry(person=p, category=Category.SALARIED, income=Decimal(3000 + 97 * n))
            for n, p in enumerate(people)
        ],
    )
    timings["yearly base, 60 members (base_year_set)"] = (time.perf_counter() - started) * 1000
    month = january
    while month < month_of(today):
        rows = {r.person_id: r for r in MonthlyDue.objects.filter(branch=branch, month=month)}
        entries = [
            MonthEntry(
                person=p, amount=rows[p.pk].due, way=Way.CASH, receipt_no=f"{month:%Y%m}-{n}"
            )
            for n, p in enumerate(people)
            if n % 10 != 3 or month < add_months(month_of(today), -7)  # some stop paying
        ]
        started = time.perf_counter()
        month_payments_record(branch=branch, month=month, paid_on=month, entries=entries)
        timings.setdefault("a month's recording, 60 members (month_payments_record)", []).append(
            (time.perf_counter() - started) * 1000
        )
        month = add_months(month, 1)
    return branch, timings


def timed(client, path: str) -> tuple[float, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(queries)


def report(label: str, runs: list[tuple[float, int]]) -> None:
    times = [ms for ms, _ in runs]
    print(
        f"{label}: median {statistics.median(times):.1f} ms, fastest {min(times):.1f} ms,"
        f" {runs[-1][1]} queries"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    committee = Committee.objects.order_by("pk").first()
    branch, writes = wide_branch(committee)
    for label, value in writes.items():
        if isinstance(value, list):
            print(f"{label}: median {statistics.median(value):.1f} ms over {len(value)} months")
        else:
            print(f"{label}: {value:.1f} ms")
    year = timezone.localdate().year
    members = MonthlyDue.objects.filter(branch=branch, month__year=year).values("person").distinct()
    branches = Branch.objects.filter(committee=committee).count()
    print(f"branch {branch.short_name}: {members.count()} members; committee: {branches} branches")
    print(f"kept member-months in the database: {MonthlyDue.objects.count()}")

    secretary = signed_in_client(f"{WIDE}-secretary")
    secretary.get("/")
    pages = [
        ("ledger, 60 members × 12 months", secretary, f"/dues/ledger/?year={year}"),
        ("登记表 export, 60 members", secretary, f"/dues/ledger/export/?year={year}"),
        ("arrears list", secretary, "/dues/arrears/"),
        ("month's recording form", secretary, "/dues/record/"),
    ]
    committee_client = Client()  # the test environment is set up once, by signed_in_client
    committee_client.force_login(get_user_model().objects.get(username="committee"))
    committee_client.get("/")
    pages.append(
        (
            f"committee totals, {branches} branches",
            committee_client,
            f"/dues/committee/?year={year}",
        )
    )
    for label, client, path in pages:
        timed(client, path)  # warm the code paths
        report(label, [timed(client, path) for _ in range(args.rounds)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
