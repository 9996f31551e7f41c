"""The pages of issue 17's "uncached" target, in process, fragment cache off: time, CPU, queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/district \
        .venv/bin/python bench/uncached_pages.py [--runs 15] [--only roster,dashboard] [--admin]

Needs a generated district (``generate_data``; ``b0001-secretary`` and ``committee``). Each page
is asked for once to warm up, then ``--runs`` times with ``PAGE_CACHE_SECONDS = 0``; it prints the
median wall time, the median and the least CPU time of this process (which is the whole cost on SQLite and the
Python side on PostgreSQL: the better measure on a shared machine) and the query count.
``--admin`` also times the Django admin changelist of each page's model as a superuser
(``bench-admin``, created if missing), and prints the page's speed as a multiple of it.
"""

from __future__ import annotations

import argparse
import statistics
import time

from inprocess import signed_in_client  # sets Django up, so it comes first

# isort: split
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import RoleAssignment

# name: (account, path, admin changelist of the same model); {b} is the secretary's branch
PAGES = {
    # the floor every signed-in page pays: session, account, roles, navigation, base template
    "signed-in floor": ("secretary", "/password/change/done/", "members/person"),
    "dashboard": ("secretary", "/activities/dashboard/?branch={b}", "activities/activity"),
    "roster": ("secretary", "/members/?branch={b}", "members/person"),
    "activity list": ("secretary", "/activities/?branch={b}", "activities/activity"),
    "meeting list": ("secretary", "/activities/meetings/?branch={b}", "activities/meeting"),
    "measure list": ("secretary", "/activities/measures/?branch={b}", "activities/measure"),
    "pledge list": ("secretary", "/pledges/branch/?branch={b}", "pledges/pledge"),
    "honor list": ("secretary", "/honors/?branch={b}", "honors/honor"),
    "mechanism list": ("secretary", "/mechanisms/?branch={b}", "mechanisms/mechanism"),
    "party groups": ("secretary", "/members/groups/?branch={b}", "members/partygroup"),
    "obligations calendar": ("secretary", "/obligations/?branch={b}", "activities/meeting"),
    "heat map": ("committee", "/obligations/committee/?year=2026", "activities/meeting"),
    "dues ledger": ("secretary", "/dues/ledger/?branch={b}", "dues/monthlydue"),
    "evaluation rounds": ("secretary", "/evaluation/?branch={b}", "evaluation/round"),
    "recruitment pipeline": ("secretary", "/recruitment/?branch={b}", "members/person"),
}


def timed(client, url: str, runs: int) -> tuple[float, float, float, int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    walls, cpus = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), statistics.median(cpus), min(cpus), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--admin", action="store_true", help="time the admin changelists too")
    args = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0
    branch = (
        RoleAssignment.objects.select_related("branch").get(user__username="b0001-secretary").branch
    )
    clients = {
        "secretary": signed_in_client("b0001-secretary"),
        "committee": signed_in_client("committee"),
    }
    if args.admin:
        User = get_user_model()
        if not User.objects.filter(username="bench-admin").exists():
            User.objects.create_superuser("bench-admin", "", "bench-admin-2026")
        clients["admin"] = signed_in_client("bench-admin")
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    admin_ms: dict[str, float] = {}
    print(f"{'page':24} {'wall ms':>8} {'CPU ms':>8} {'min CPU':>8} {'queries':>8}  × admin (wall)")
    for name, (account, path, model) in PAGES.items():
        if wanted and name not in wanted:
            continue
        wall, cpu, least, count = timed(clients[account], path.format(b=branch.pk), args.runs)
        ratio = ""
        if args.admin:
            if model not in admin_ms:
                admin_ms[model] = timed(clients["admin"], f"/admin/{model}/", 3)[0]
            ratio = f"{admin_ms[model] / wall:6.1f} × ({model} {admin_ms[model]:.0f} ms)"
        print(f"{name:24} {wall:8.1f} {cpu:8.1f} {least:8.1f} {count:8d}  {ratio}", flush=True)


if __name__ == "__main__":
    main()
