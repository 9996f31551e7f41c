"""The committee's heat map (200 branches × 12 months) and the weekly digest for every person.

    .venv/bin/python manage.py generate_data --branches 200 --people-per-branch 60 --seed 1
    .venv/bin/python manage.py generate_meetings          # the district's meetings of this year
    DATABASE_URL=... .venv/bin/python bench/obligations.py [--year 2026] [--rounds 7]

First, once per database: an account with an address for every person (so 12 000 addressees
for 200 × 60). Then, in process:
- the heat map page ``/obligations/committee/?year=…`` as the ``committee`` account (no cache:
  the page is computed on every request), median and fastest of ``--rounds``, and its queries;
- the heat map's figures alone (``obligations.heatmap.heat_map``);
- a secretary's calendar and the rules page;
- ``send_digests`` for everyone, to a real SMTP server on loopback (aiosmtpd, a sink in its own
  process), the
  sent log emptied first so every reminder is new: messages, lines, seconds, queries.
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import sys
import time

from inprocess import signed_in_client  # sets Django up, so it comes first

# isort: split
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Meeting
from members.models import Committee, Person, RoleAssignment
from obligations.heatmap import heat_map
from obligations.models import DigestSent
from obligations.reminders import send_digests


class Sink:
    def __init__(self, received):
        self.received = received

    async def handle_DATA(self, server, session, envelope):
        with self.received.get_lock():
            self.received.value += 1
        return "250 OK"


def serve_smtp(port: int, received, stop) -> None:
    """The SMTP server in its own process, as a mail relay would be (not sharing our GIL)."""
    controller = Controller(Sink(received), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


def prepare(year: int, today) -> Committee:
    committee = Committee.objects.get(
        pk=RoleAssignment.objects.get(user__username="committee").committee_id
    )
    if not Meeting.objects.filter(branch__committee=committee, held_on__year=year).exists():
        raise SystemExit(f"no meetings of {year}: run manage.py generate_meetings --year {year}")
    people = Person.objects.filter(branch__committee=committee, user__isnull=True)
    if people.exists():
        User = get_user_model()
        password = make_password(None)
        with transaction.atomic():
            missing = list(people.only("pk"))
            users = [
                User(username=f"p{p.pk}", email=f"p{p.pk}@example.org", password=password)
                for p in missing
            ]
            User.objects.bulk_create(users, batch_size=2000)
            by_name = dict(
                User.objects.filter(username__in=[u.username for u in users]).values_list(
                    "username", "pk"
                )
            )
            for p in missing:
                p.user_id = by_name[f"p{p.pk}"]
            Person.objects.bulk_update(missing, ["user"], batch_size=2000)
        print(f"prepared: {len(missing)} accounts with an address")
    get_user_model().objects.filter(email="").update(email="someone@example.org")
    return committee


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    today = timezone.localdate()
    year = args.year or today.year
    committee = prepare(year, today)
    branches = list(committee.branches.order_by("pk"))

    client = signed_in_client("committee")
    client.get("/")
    path = f"/obligations/committee/?year={year}"
    times, cpu, queries = [], [], 0
    for _ in range(args.rounds):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
        queries = len(captured)
    print(
        f"{path} ({len(branches)} branches): median {statistics.median(times):.1f} ms,"
        f" fastest {min(times):.1f} ms, {queries} queries"
        f" (this process's CPU time: median {statistics.median(cpu):.1f} ms)"
    )
    figures, cpu = [], []
    for _ in range(args.rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        heat_map(branches, year, today=today)
        figures.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"heat map figures alone: median {statistics.median(figures):.1f} ms"
        f" (this process's CPU time: median {statistics.median(cpu):.1f} ms)"
    )

    secretary = Client()  # the test environment is set up already (signed_in_client above)
    secretary.force_login(get_user_model().objects.get(username="b0001-secretary"))
    secretary.get("/")
    for page in ("/obligations/", "/obligations/rules/"):
        times = []
        for _ in range(args.rounds):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                assert secretary.get(page).status_code == 200
                times.append((time.perf_counter() - started) * 1000)
        print(
            f"{page} (secretary): median {statistics.median(times):.1f} ms, {len(captured)} queries"
        )

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    received, stop = multiprocessing.Value("i", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=serve_smtp, args=(port, received, stop))
    server.start()
    for _ in range(100):  # until it listens
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    DigestSent.objects.all().delete()
    try:
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            sent, lines = send_digests(today=today)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - started_cpu
    finally:
        stop.set()
        server.join()
    print(
        f"send_digests: {sent} messages ({received.value} received by SMTP), {lines} lines,"
        f" {seconds:.1f} s ({cpu_seconds:.1f} s CPU in this process), {len(captured)} queries"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
