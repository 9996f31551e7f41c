"""The campaign pages and the dashboard's periods, in process: median time and queries per page.

    DATABASE_URL=sqlite:////tmp/district.sqlite3 .venv/bin/python bench/campaign_pages.py

Needs a generated district (``generate_data``, account prefix as generated: ``b0001-secretary``).
Each page is asked for once to warm up, then ``--runs`` times with the fragment cache off, so that
the figures are the cost of building the page from the records.
"""

from __future__ import annotations

import argparse
import statistics
import time

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from inprocess import signed_in_client  # noqa: I001

from members.models import RoleAssignment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--account", default="b0001-secretary")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0
    assignment = RoleAssignment.objects.select_related("branch").get(user__username=args.account)
    branch = assignment.branch
    campaign = branch.campaigns.order_by("-start").first()
    client = signed_in_client(args.account)
    pages = {
        "campaign list": f"/members/campaigns/?branch={branch.pk}",
        "campaign page": f"/members/campaigns/{campaign.pk}/",
        "rating list": f"/members/ratings/?branch={branch.pk}",
        "featured works": f"/mechanisms/featured/?branch={branch.pk}",
        "dashboard (default)": f"/activities/dashboard/?branch={branch.pk}",
        "dashboard, year 2011": f"/activities/dashboard/?branch={branch.pk}&period=year-2011",
        "roster on 2011-06-30": f"/members/?branch={branch.pk}&on=2011-06-30",
        "year 2011 summary preview": f"/reports/{branch.pk}/summary/?period=year-2011",
    }
    print(f"{'page':32} {'median ms':>10} {'queries':>8}")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        print(f"{name:32} {statistics.median(times):10.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
