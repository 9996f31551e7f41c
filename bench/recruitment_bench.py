"""发展党员 on a generated district: the pipeline, the approvals and the rules pages, timed.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/district   # or sqlite:////tmp/…
    .venv/bin/python manage.py generate_data --branches 200 --people-per-branch 60 --seed 1
    .venv/bin/python bench/recruitment_bench.py [--rounds 15] [--branch b0001]

Adds the district's development records first (``manage.py generate_developments``: a
record for every 入党申请人, 积极分子 and 发展对象, one 发展对象 in three waiting for approval; a
second run adds none). Then, in process with the fragment cache off (these pages are not cached),
each page ``--rounds`` times: the secretary's pipeline and the rules of one branch, the
committee's approvals across every branch, and a dossier with its Word export. Prints the
median and fastest time, the query count and how many records the page shows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from inprocess import signed_in_client  # sets Django up, so it comes first

# isort: split
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members.models import Committee, RoleAssignment
from recruitment.models import Development


def timed(client, path: str, rounds: int) -> tuple[float, float, int]:
    client.get(path)  # warm: the session's renewal, the templates' first compilation
    times, queries = [], 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        times.append(elapsed)
        queries = len(captured)
    return statistics.median(times), min(times), queries


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--branch", default="b0001", help="the secretary's account: <prefix><branch>-secretary"
    )
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0

    committee_user = f"{args.prefix}committee"
    committee = Committee.objects.get(
        role_assignments__user__username=committee_user, role_assignments__role="committee"
    )
    started = time.perf_counter()
    call_command("generate_developments", "--committee", committee.name)
    print(f"generate_developments: {time.perf_counter() - started:.1f} s")
    records = Development.objects.filter(person__branch__committee=committee)
    waiting = records.awaiting_approval().count()
    print(
        f"{committee.name}: {committee.branches.count()} branches, {records.count()} records, {waiting} awaiting approval"
    )

    secretary = RoleAssignment.objects.select_related("branch").get(
        user__username=f"{args.prefix}{args.branch}-secretary"
    )
    branch = secretary.branch
    mine = records.filter(person__branch=branch)
    dossier = mine.order_by("pk").first()
    pages = [
        (
            secretary.user.username,
            f"/recruitment/?branch={branch.pk}",
            f"{mine.open().count()} open records",
        ),
        (secretary.user.username, f"/recruitment/rules/?branch={branch.pk}", "rules"),
        (committee_user, "/recruitment/approvals/", f"{waiting} awaiting approval"),
        (committee_user, f"/recruitment/?branch={branch.pk}", "pipeline, as the committee"),
    ]
    if dossier is not None:
        pages += [
            (secretary.user.username, f"/recruitment/{dossier.pk}/", "one dossier"),
            (secretary.user.username, f"/recruitment/{dossier.pk}/dossier.docx", "its Word export"),
        ]
    clients = {}
    for username, path, what in pages:
        if username not in clients:
            if clients:  # the test environment is set up once, by the first client
                clients[username] = Client()
                clients[username].force_login(get_user_model().objects.get(username=username))
            else:
                clients[username] = signed_in_client(username)
        client = clients[username]
        median, fastest, queries = timed(client, path, args.rounds)
        print(
            f"{path:<40} {what:<28} median {median:7.1f} ms, fastest {fastest:7.1f} ms, {queries} queries"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
