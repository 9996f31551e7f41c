"""Load and fault: many users write at once, one gunicorn worker is killed, nothing is lost.

    .venv/bin/python bench/fault.py [--seconds 60] [--members 12] [--port 18790] [--workers 4]

What it does (everything on 127.0.0.1; see bench/fault.md and docs/reliability.md):

1. makes a fresh PostgreSQL database (``--db``, default ``branch_portal_fault``; dropped first),
   migrates it, loads the demo branch, and prepares a campaign “压力测试” whose pledges (one per
   member account ``fault-mNN``, two items each) are approved and waiting to be signed;
2. serves it with gunicorn (``bench/serve.sh``: DEBUG off, ``--workers`` workers);
3. for ``--seconds``: every member signs their pledge from two sessions at the same moment (of
   two concurrent signatures exactly one may win), then keeps reporting progress on their items;
   the secretary keeps logging activities; staff keep downloading the roster and activity
   exports. Each write carries a unique token; a write counts as *acknowledged* only when the
   portal answered with its success page;
4. halfway, SIGKILLs one gunicorn worker (the master starts another);
5. stops gunicorn and checks in the database: every acknowledged write is there, exactly once;
   no row exists that was not attempted; every pledge is signed once, by its member; the
   requests right after the kill were still served.

Exit status 0 when every check holds, 1 otherwise. The figures are printed as JSON at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "branch-demo-2012"
TOKEN = "FAULT"


# Inside Django (run as a subprocess with DATABASE_URL set) ----------------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")
    import django

    django.setup()


def prepare(members: int) -> dict:
    """The campaign, member accounts with approved pledges, the carrier; as JSON for the driver."""
    _django()
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from members.models import Branch, Campaign, Carrier, Person, RoleAssignment
    from pledges.models import Pledge, PledgeItem

    branch = Branch.objects.get(name="中共上海市田林第二中学支部委员会")
    today = timezone.localdate()
    people = list(
        Person.objects.for_branch(branch).members_on(today).filter(user__isnull=True)[:members]
    )
    hashed = make_password(PASSWORD)
    accounts = []
    with transaction.atomic():
        campaign = Campaign.objects.create(
            branch=branch, name="压力测试", start=today - datetime.timedelta(days=1)
        )
        carrier = Carrier.objects.create(
            campaign=campaign, order=1, name="压力测试载体", aim="测试"
        )
        for index, person in enumerate(people, 1):
            user = get_user_model().objects.create(username=f"fault-m{index:02d}", password=hashed)
            RoleAssignment.objects.create(user=user, role="member", branch=branch)
            person.user = user
            person.save(update_fields=["user"])
            pledge = Pledge.objects.create(
                campaign=campaign,
                person=person,
                status=Pledge.Status.APPROVED,
                summary="压力测试承诺",
                submitted_at=timezone.now(),
                reviewed_at=timezone.now(),
            )
            items = [
                PledgeItem.objects.create(pledge=pledge, order=n, title=f"事项{n}") for n in (1, 2)
            ]
            accounts.append(
                {
                    "username": user.username,
                    "name": person.name,
                    "pledge": pledge.pk,
                    "items": [item.pk for item in items],
                }
            )
    return {"branch": branch.pk, "carrier": carrier.pk, "members": accounts}


def check(acks_path: str) -> dict:
    """Compare the driver's record of writes with the database."""
    _django()
    from activities.models import Activity
    from pledges.models import Pledge, PledgeItemUpdate

    log = json.loads(Path(acks_path).read_text())
    problems = []

    def compare(kind, stored: list[str]):
        acked, attempted = set(log[kind]["acked"]), set(log[kind]["attempted"])
        counts = Counter(stored)
        missing = sorted(acked - counts.keys())
        unknown = sorted(counts.keys() - attempted)
        doubled = sorted(token for token, n in counts.items() if n > 1)
        if missing:
            problems.append(
                f"{kind}: {len(missing)} acknowledged writes missing, e.g. {missing[:3]}"
            )
        if unknown:
            problems.append(f"{kind}: {len(unknown)} rows never attempted, e.g. {unknown[:3]}")
        if doubled:
            problems.append(f"{kind}: {len(doubled)} writes stored twice, e.g. {doubled[:3]}")
        return {
            "attempted": len(attempted),
            "acknowledged": len(acked),
            "stored": len(counts),
            "stored_not_acknowledged": len(counts.keys() - acked),
        }

    figures = {
        "activities": compare(
            "activities",
            list(Activity.objects.filter(title__startswith=TOKEN).values_list("title", flat=True)),
        ),
        "progress": compare(
            "progress",
            list(
                PledgeItemUpdate.objects.filter(text__startswith=TOKEN).values_list(
                    "text", flat=True
                )
            ),
        ),
    }
    pledges = {p["pledge"]: p for p in log["members"]}
    signed = Pledge.objects.filter(pk__in=pledges).select_related("signed_by")
    signed_ok = 0
    for pledge in signed:
        member = pledges[pledge.pk]
        if pledge.status == Pledge.Status.SIGNED:
            signed_ok += 1
            if pledge.signed_by.username != member["username"]:
                problems.append(f"pledge {pledge.pk} signed by {pledge.signed_by.username}")
        elif pledge.pk in log["signatures"]["acked"]:
            problems.append(f"pledge {pledge.pk}: signature acknowledged but not stored")
    versions = Pledge.objects.filter(campaign__name="压力测试").count()
    if versions != len(pledges):
        problems.append(f"{versions} pledges in the campaign, expected {len(pledges)}")
    wins = Counter(log["signatures"]["acked"])
    if any(n > 1 for n in wins.values()):
        problems.append("a pledge was reported signed twice")
    figures["signatures"] = {
        "pledges": len(pledges),
        "signed": signed_ok,
        "acknowledged": len(wins),
        "second_attempts_refused": log["signatures"]["refused"],
    }
    figures["problems"] = problems
    return figures


# The driver ----------------------------------------------------------------------------------


class Session:
    """One browser: cookies, CSRF token, follows redirects."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str, timeout=30) -> tuple[int, bytes, str]:
        with self.opener.open(self.base + path, timeout=timeout) as response:
            return response.status, response.read(), response.geturl()

    def post(self, path: str, data: dict, timeout=30) -> tuple[int, bytes, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}, doseq=True)
        request = urllib.request.Request(
            self.base + path, data=body.encode(), headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=timeout) as response:
            return response.status, response.read(), response.geturl()

    def login(self, username: str):
        self.get("/login/")
        status, _, url = self.post("/login/", {"username": username, "password": PASSWORD})
        if url.rstrip("/").endswith("/login"):
            raise RuntimeError(f"login of {username} failed")


class Driver:
    def __init__(self, base: str, setup: dict, seconds: float):
        self.base, self.setup, self.seconds = base, setup, seconds
        self.lock = threading.Lock()
        self.log = {
            "activities": {"attempted": [], "acked": []},
            "progress": {"attempted": [], "acked": []},
            "signatures": {"acked": [], "refused": 0},
            "members": setup["members"],
        }
        self.requests = []  # (time, ok)
        self.exports = Counter()
        self.kill_at = None
        self.stop_at = None

    def record(self, ok: bool):
        with self.lock:
            self.requests.append((time.monotonic(), ok))

    def attempt(self, kind: str, token: str, call) -> None:
        with self.lock:
            self.log[kind]["attempted"].append(token)
        try:
            status, body, url = call()
            ok = status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            ok, body, url = False, b"", ""
        acked = ok and self.acknowledged(kind, body, url)
        self.record(ok)
        if acked:
            with self.lock:
                self.log[kind]["acked"].append(token)

    @staticmethod
    def acknowledged(kind: str, body: bytes, url: str) -> bool:
        text = body.decode("utf-8", "replace")
        if kind == "activities":
            return bool(re.search(r"/activities/\d+/$", url)) and "已保存" in text
        return "进展已更新" in text

    def running(self) -> bool:
        return time.monotonic() < self.stop_at

    def member(self, account: dict, barrier: threading.Barrier):
        """Sign from two sessions at once (one wins), then report progress until the end."""
        sessions = [Session(self.base), Session(self.base)]
        for session in sessions:
            session.login(account["username"])
        path = f"/pledges/{account['pledge']}/sign/"
        for session in sessions:
            session.get(path)
        results = [None, None]

        def sign(n):
            barrier.wait()
            try:
                _, body, _ = sessions[n].post(
                    path,
                    {"confirm": "on", "signature_name": account["name"], "password": PASSWORD},
                )
                results[n] = body.decode("utf-8", "replace")
            except (urllib.error.URLError, OSError):
                results[n] = ""

        threads = [threading.Thread(target=sign, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with self.lock:
            wins = sum("承诺书已签署。感谢" in r for r in results)
            self.log["signatures"]["acked"] += [account["pledge"]] * wins
            self.log["signatures"]["refused"] += len(results) - wins
        session = sessions[0]
        n = 0
        while self.running():
            n += 1
            item = random.choice(account["items"])
            token = f"{TOKEN}-{account['username']}-{n}"
            self.attempt(
                "progress",
                token,
                lambda item=item, token=token: session.post(
                    f"/pledges/items/{item}/progress/", {"text": token, "done_on": ""}
                ),
            )
            time.sleep(random.uniform(0.05, 0.3))

    def secretary(self, desk: int):
        session = Session(self.base)
        session.login("secretary")
        branch, carrier = self.setup["branch"], self.setup["carrier"]
        n = 0
        while self.running():
            n += 1
            token = f"{TOKEN}-activity-{desk}-{n}"
            self.attempt(
                "activities",
                token,
                lambda token=token: session.post(
                    f"/activities/new/?branch={branch}",
                    {
                        "branch": branch,
                        "carrier": carrier,
                        "title": token,
                        "start_date": time.strftime("%Y-%m-%d"),
                        "people-TOTAL_FORMS": "0",
                        "people-INITIAL_FORMS": "0",
                        "people-MIN_NUM_FORMS": "0",
                        "people-MAX_NUM_FORMS": "1000",
                    },
                ),
            )
            time.sleep(random.uniform(0.05, 0.2))

    def staff(self):
        session = Session(self.base)
        session.login("staff")
        branch = self.setup["branch"]
        paths = [f"/members/export/?branch={branch}", f"/activities/export.xlsx?branch={branch}"]
        while self.running():
            path = random.choice(paths)
            try:
                status, body, _ = session.get(path, timeout=60)
                ok = status == 200 and body[:2] == b"PK"
            except (urllib.error.URLError, OSError):
                ok = False
            self.record(ok)
            with self.lock:
                self.exports["ok" if ok else "failed"] += 1
            time.sleep(random.uniform(0.1, 0.5))

    def run(self, master_pid: int) -> dict:
        start = time.monotonic()
        self.stop_at = start + self.seconds
        threads = [
            threading.Thread(target=self.member, args=(account, threading.Barrier(2)), daemon=True)
            for account in self.setup["members"]
        ]
        threads += [
            threading.Thread(target=self.secretary, args=(desk,), daemon=True) for desk in (1, 2)
        ]
        threads += [threading.Thread(target=self.staff, daemon=True) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(self.seconds / 2)
        workers = worker_pids(master_pid)
        victim = random.choice(workers)
        os.kill(victim, signal.SIGKILL)
        self.kill_at = time.monotonic()
        for thread in threads:
            thread.join(timeout=self.seconds + 120)
        after = [ok for t, ok in self.requests if self.kill_at + 1 <= t <= self.kill_at + 6]
        before = [ok for t, ok in self.requests if t < self.kill_at]
        return {
            "seconds": round(time.monotonic() - start, 1),
            "users": len(self.setup["members"]) + 4,
            "requests": len(self.requests),
            "requests_per_second": round(len(self.requests) / self.seconds, 1),
            "failed_requests": sum(not ok for _, ok in self.requests),
            "failed_before_kill": sum(not ok for ok in before),
            "killed_worker": victim,
            "workers_before_kill": len(workers),
            "workers_after": len(worker_pids(master_pid)),
            "served_1_to_6_s_after_kill": f"{sum(after)}/{len(after)}",
            "exports": dict(self.exports),
        }


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--port", type=int, default=18790)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", default="branch_portal_fault")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--internal", choices=["prepare", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--acks", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.internal == "prepare":
        print(json.dumps(prepare(args.members)))
        return 0
    if args.internal == "check":
        print(json.dumps(check(args.acks)))
        return 0

    url = f"{args.pg}/{args.db}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    env.pop("HTTPS", None)
    for sql in (f'DROP DATABASE IF EXISTS "{args.db}"', f'CREATE DATABASE "{args.db}"'):
        subprocess.run(["psql", f"{args.pg}/postgres", "-qc", sql], check=True)
    print("migrating and loading the demo …", file=sys.stderr)
    manage(env, "migrate", "-v0")
    manage(env, "load_demo", stdout=subprocess.DEVNULL)
    setup = json.loads(
        subprocess.run(
            [PYTHON, __file__, "--internal", "prepare", "--members", str(args.members)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    master = int(
        subprocess.run(
            [str(ROOT / "bench" / "serve.sh"), url, str(args.port), str(args.workers)],
            env={**env, "BENCH_LOG": f"/tmp/branch-portal-fault-{args.port}.log"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    try:
        driver = Driver(f"http://127.0.0.1:{args.port}", setup, args.seconds)
        print(f"driving for {args.seconds:.0f} s …", file=sys.stderr)
        figures = driver.run(master)
    finally:
        os.kill(master, signal.SIGTERM)
        for _ in range(60):
            if subprocess.run(["kill", "-0", str(master)], capture_output=True).returncode:
                break
            time.sleep(0.5)
    acks = Path(f"/tmp/branch-portal-fault-{args.port}.json")
    acks.write_text(json.dumps(driver.log))
    checked = json.loads(
        subprocess.run(
            [PYTHON, __file__, "--internal", "check", "--acks", str(acks)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    figures.update(checked)
    if (
        not figures["served_1_to_6_s_after_kill"].split("/")[0].isdigit()
        or int(figures["served_1_to_6_s_after_kill"].split("/")[0]) == 0
    ):
        figures["problems"].append("nothing was served after the kill")
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 1 if figures["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
