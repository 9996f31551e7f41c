"""The 民主评议 pages, its exports and a member's year in review, timed in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/district \\
        .venv/bin/python bench/evaluation_pages.py [--runs 7]

On a district made by ``generate_data``: the first branch gets a round for this year (once;
every member but the secretary votes through the service, then it is closed), and the
``b0001-secretary`` account asks for each page. Prints the median and fastest time and the
query count of each; the fragment cache plays no part in these pages.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time

from inprocess import signed_in_client  # sets Django up, so it comes first

# isort: split
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import Grade, Round

USERNAME = "b0001-secretary"


def the_round(user) -> Round:
    branch = user.role_assignments.get(role="secretary").branch
    today = timezone.localdate()
    found = Round.objects.filter(branch=branch, year=today.year).first()
    if found:
        return found
    evaluation_round = services.round_open(
        branch=branch, year=today.year, opens_on=today, closes_on=today + datetime.timedelta(9)
    )
    people = [p.person for p in evaluation_round.participants.select_related("person")]
    for voter in people:
        if voter.user_id != user.pk:
            grades = {p.pk: Grade.QUALIFIED for p in people if p.pk != voter.pk}
            services.ballot_cast(
                evaluation_round=evaluation_round, voter=voter, grades=grades, today=today
            )
    return services.round_close(evaluation_round=evaluation_round, on=today)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    user = get_user_model().objects.get(username=USERNAME)
    evaluation_round = the_round(user)
    client = signed_in_client(USERNAME)
    client.get("/")
    pk, person = evaluation_round.pk, user.person.pk
    year = timezone.localdate().year
    paths = [
        reverse("evaluation:round-detail", args=[pk]),
        reverse("evaluation:round-decide", args=[pk]),
        reverse("evaluation:round-export", args=[pk, "docx"]),
        reverse("evaluation:round-export", args=[pk, "xlsx"]),
        reverse("evaluation:distribution") + f"?year={year}",
        reverse("members:person-year-review", args=[person]) + "?year=2011",
        reverse("members:year-review-docx", args=[person]) + "?year=2011",
    ]
    print(f"round of {evaluation_round.branch}: {evaluation_round.participants.count()} evaluated")
    for path in paths:
        runs = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (path, response.status_code)
            runs.append((elapsed, len(queries)))
        times = [t for t, _ in runs]
        print(
            f"{path:<48} median {statistics.median(times):7.1f} ms  "
            f"fastest {min(times):7.1f} ms  {runs[-1][1]} queries"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
