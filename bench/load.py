"""Load benchmark: the portal's pages under wrk, as logged-in users, against two references.

    .venv/bin/python bench/load.py [--database postgres://postgres@127.0.0.1:5432/district]
                                   [--port 18765] [--seconds 10] [--connections 8] [--only NAME,…]
                                   [--redis redis://127.0.0.1:6379/3] [--no-page-cache]
                                   [--settle 5] [--warm SECONDS] [--json FILE]

On a generated district (``manage.py generate_data --branches 200 --people-per-branch 60
--seed 1``) it starts gunicorn with ``bench/serve.sh`` on 127.0.0.1 (``BENCH=1`` routes the
trivial reference view ``/bench/ping/``), logs in as the first branch's secretary, the committee
user and a superuser (created as ``bench-admin`` if missing), checks that every page answers 200,
then runs wrk on each page for ``--seconds`` with ``--connections`` connections and prints
requests per second, p50 and p95 latency and the throughput as a ratio to three references:
``/bench/ping/`` (the ceiling of the stack), the signed-in floor (``/password/change/done/``, a
page of only the base template: the most a signed-in page can answer) and the Django admin
changelist of the page's model.
It stops gunicorn at the end, also on error or Ctrl-C. Nothing leaves the machine.

``--redis`` serves with ``REDIS_URL`` (cache and sessions shared by the workers, as in
docs/deployment.md); without it each worker has its own memory cache. ``--no-page-cache`` turns
the fragment cache off (``PAGE_CACHE_SECONDS=0``): every request then builds its page from the
records, which is what a request after a change costs.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")
PASSWORD = "district-demo-2026"  # generate_data's default password
ADMIN = ("bench-admin", "bench-admin-2026")

# wrk reports its latency percentiles (in microseconds) and the error counts as one JSON line.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %f, "p50": %d, "p95": %d, "p99": %d, "max": %d, '
    .. '"non2xx": %d, "connect": %d, "read": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, errors.status, errors.connect, errors.read,
    errors.timeout))
end
"""


@dataclass
class Page:
    name: str
    path: str
    user: str  # secretary, committee, admin or anonymous
    admin_ref: str = "activity"  # which admin changelist is "the same model"


def district_facts(database: str) -> dict:
    """The first branch's pks and an activity filter value, read with the ORM."""
    code = """
import json
from members.models import RoleAssignment
from members.models import Campaign, Carrier
role = RoleAssignment.objects.select_related("branch").get(user__username="b0001-secretary")
branch = role.branch
campaign = Campaign.objects.for_branch(branch).order_by("-start").first()
carrier = Carrier.objects.filter(campaign=campaign).order_by("order").first()
print("FACTS", json.dumps({"branch": branch.pk, "campaign": campaign.pk, "carrier": carrier.pk}))
"""
    out = _manage(database, "shell", "-c", code)
    return json.loads(out.split("FACTS", 1)[1])


def ensure_admin(database: str) -> None:
    username, password = ADMIN
    code = f"""
from django.contrib.auth import get_user_model
User = get_user_model()
if not User.objects.filter(username={username!r}).exists():
    User.objects.create_superuser({username!r}, "", {password!r})
"""
    _manage(database, "shell", "-c", code)


def _manage(database: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database}
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


# The admin changelist of each model a page is compared with ("the same model").
REFERENCES = {
    "activity": "/admin/activities/activity/",
    "person": "/admin/members/person/",
    "meeting": "/admin/activities/meeting/",
    "measure": "/admin/activities/measure/",
    "pledge": "/admin/pledges/pledge/",
    "honor": "/admin/honors/honor/",
    "mechanism": "/admin/mechanisms/mechanism/",
    "monthlydue": "/admin/dues/monthlydue/",
    "round": "/admin/evaluation/round/",
}


def _reference(model: str) -> Page:
    name = "admin activity changelist (reference)" if model == "activity" else None
    if model == "person":
        name = "admin person changelist (reference)"
    return Page(name or f"admin {model} changelist (reference)", REFERENCES[model], "admin", model)


def pages(facts: dict) -> list[Page]:
    b, c, k = facts["branch"], facts["campaign"], facts["carrier"]
    return [
        Page("ping (reference)", "/bench/ping/", "anonymous"),
        # A page of only the base template (session, account, roles, navigation): the most any
        # signed-in page can answer.
        Page("signed-in floor (reference)", "/password/change/done/", "secretary"),
        *(_reference(model) for model in REFERENCES),
        Page("dashboard", f"/activities/dashboard/?branch={b}", "secretary"),
        Page(
            "dashboard, year 2011",
            f"/activities/dashboard/?branch={b}&period=year-2011",
            "secretary",
        ),
        Page("campaign list", f"/members/campaigns/?branch={b}", "secretary"),
        Page("campaign page", f"/members/campaigns/{c}/", "secretary"),
        Page("roster", f"/members/?branch={b}", "secretary", "person"),
        Page("activity list", f"/activities/?branch={b}", "secretary"),
        Page(
            "activity list, filtered",
            f"/activities/?branch={b}&carrier={k}&date_from=2011-01-01&date_to=2011-12-31&q=%E6%B4%BB%E5%8A%A8",
            "secretary",
        ),
        Page("meeting list", f"/activities/meetings/?branch={b}", "secretary", "meeting"),
        Page("measure list", f"/activities/measures/?branch={b}", "secretary", "measure"),
        Page("pledge list", f"/pledges/branch/?branch={b}", "secretary", "pledge"),
        Page("honor list", f"/honors/?branch={b}", "secretary", "honor"),
        Page("mechanism list", f"/mechanisms/?branch={b}", "secretary", "mechanism"),
        Page("obligations calendar", f"/obligations/?branch={b}", "secretary", "meeting"),
        Page("heat map (2026)", "/obligations/committee/?year=2026", "committee", "meeting"),
        Page("dues ledger", f"/dues/ledger/?branch={b}", "secretary", "monthlydue"),
        Page("evaluation rounds", f"/evaluation/?branch={b}", "secretary", "round"),
        Page("recruitment pipeline", f"/recruitment/?branch={b}", "secretary", "person"),
        Page("pledge public page", f"/pledges/public/{b}/{c}/", "anonymous", "pledge"),
        Page("committee table", "/committee/?year=2011", "committee"),
        Page("report preview", f"/reports/{b}/summary/", "secretary"),
        Page("report .docx", f"/reports/{b}/summary.docx", "secretary"),
        Page("report .xlsx", f"/reports/{b}/summary.xlsx", "secretary"),
        Page("committee export .xlsx", "/committee/export.xlsx?year=2011", "committee"),
    ]


def login(base: str, username: str, password: str) -> str:
    """Log in through the login form; the ``Cookie`` header a browser then sends.

    The session cookie and the CSRF cookie, as a browser keeps them after the login: without
    the CSRF cookie every page would make a new CSRF secret and set it as a cookie, which no
    browser past its first page asks for.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=data, headers={"Referer": f"{base}/login/"}
    )
    opener.open(request, timeout=30).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if not cookies.get("sessionid"):
        raise SystemExit(f"login as {username} failed (no session cookie); stopping")
    return "; ".join(
        f"{name}={cookies[name]}" for name in ("sessionid", "csrftoken") if name in cookies
    )


def check(base: str, page: Page, cookie: str | None) -> tuple[int, int]:
    """Status and size of one GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    headers = {"Cookie": cookie} if cookie else {}
    try:
        response = opener.open(
            urllib.request.Request(base + page.path, headers=headers), timeout=60
        )
        return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


def run_wrk(
    url: str, cookie: str | None, seconds: float, connections: int, threads: int = 2
) -> dict:
    """wrk on ``url`` with the ``Cookie`` header ``cookie``: its summary, and ``rps``
    (bench/cluster.py runs it too)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s"]
    command += ["--timeout", "10s", "-s", script.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    try:
        out = subprocess.run(
            [*command, url],
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 30,
        ).stdout
    finally:
        os.unlink(script.name)
    result = json.loads(out.split("WRKJSON", 1)[1].strip().splitlines()[0])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/district"),
    )
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", default="", help="comma-separated page names (references run)")
    parser.add_argument(
        "--settle",
        type=float,
        default=5.0,
        help="seconds to wait after each page, so that requests still running (the admin "
        "changelists take seconds each) do not fall into the next page's measurement",
    )
    parser.add_argument(
        "--warm",
        type=float,
        default=0.0,
        help="seconds of wrk on each page before it is measured (not counted), so that every "
        "worker has built the page once: without Redis each worker has its own cache",
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--redis",
        default="",
        help="serve with REDIS_URL set to this (shared cache and cached sessions), e.g. "
        "redis://127.0.0.1:6379/3; the database it names is flushed first",
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="serve with PAGE_CACHE_SECONDS=0: every request builds its page from the records",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    facts = district_facts(args.database)
    ensure_admin(args.database)
    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "BENCH": "1"}
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
        subprocess.run(
            [PYTHON, "-c", f"import redis; redis.Redis.from_url({args.redis!r}).flushdb()"],
            check=True,
        )
    if args.no_page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    pid = int(
        subprocess.run(
            [str(ROOT / "bench/serve.sh"), args.database, str(args.port)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    results: dict[str, dict] = {}
    try:
        cookies = {
            "anonymous": None,
            "secretary": login(base, "b0001-secretary", PASSWORD),
            "committee": login(base, "committee", PASSWORD),
            "admin": login(base, *ADMIN),
        }
        wanted = {name.strip() for name in args.only.split(",") if name.strip()}
        chosen = [p for p in pages(facts) if "reference" not in p.name]
        chosen = [p for p in chosen if not wanted or p.name in wanted]
        needed = {"activity", "person"} | {p.admin_ref for p in chosen}
        references = [p for p in pages(facts) if "reference" in p.name]
        references = [p for p in references if p.user != "admin" or p.admin_ref in needed]
        todo = references + chosen
        for page in todo:
            status, size = check(base, page, cookies[page.user])
            if status != 200:
                raise SystemExit(f"{page.name}: {page.path} answered {status}, not 200; stopping")
            if args.warm > 0:
                run_wrk(base + page.path, cookies[page.user], args.warm, args.connections)
            result = run_wrk(base + page.path, cookies[page.user], args.seconds, args.connections)
            result.update(status=status, bytes=size, path=page.path, user=page.user)
            results[page.name] = result
            time.sleep(args.settle)
            print(
                f"{page.name:40} {result['rps']:8.1f} req/s  p50 {result['p50'] / 1000:7.1f} ms"
                f"  p95 {result['p95'] / 1000:7.1f} ms  ({result['requests']} requests,"
                f" {result['non2xx']} non-2xx, {size} bytes)",
                file=sys.stderr,
                flush=True,
            )
    finally:
        os.kill(pid, signal.SIGTERM)
        for _ in range(60):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.5)

    ping = results["ping (reference)"]["rps"]
    floor = results["signed-in floor (reference)"]["rps"]
    refs = {
        page.admin_ref: results[page.name]["rps"]
        for page in pages(facts)
        if "reference" in page.name and page.user == "admin" and page.name in results
    }
    cache = f"Redis {args.redis}" if args.redis else "per-process memory cache"
    cache += ", fragment cache off" if args.no_page_cache else ""
    print(
        f"\n{args.connections} connections, {args.seconds} s per page, {base}, {args.database},"
        f" {cache}\n"
    )
    header = (
        "| page | user | req/s | p50 ms | p95 ms | × ping | × signed-in floor "
        "| × admin changelist (model) |"
    )
    print(header)
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    by_name = {page.name: page for page in pages(facts)}
    for name, result in results.items():
        ref_model = by_name[name].admin_ref if by_name[name].admin_ref in refs else "activity"
        if by_name[name].user != "admin" and "reference" in name:
            ref_model = "activity"
        print(
            f"| {name} | {result['user']} | {result['rps']:.1f} | {result['p50'] / 1000:.1f} "
            f"| {result['p95'] / 1000:.1f} | {result['rps'] / ping:.3f} "
            f"| {result['rps'] / floor:.3f} "
            f"| {result['rps'] / refs[ref_model]:.2f} ({ref_model}) |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
