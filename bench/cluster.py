"""Two app servers as one: the HTTP side of ``bench/cluster.sh`` (which starts and stops them).

    .venv/bin/python bench/cluster.py setup      --database URL --out FACTS.json
    .venv/bin/python bench/cluster.py checks     --facts FACTS.json --out CHECKS.json
    .venv/bin/python bench/cluster.py throughput --facts FACTS.json --phase cached --out T.json
    .venv/bin/python bench/cluster.py summary    CHECKS.json T.json … [--min-ratio 1.6]

``cluster.sh`` serves the portal with two gunicorn servers, A (127.0.0.1:18301, core 0) and B
(127.0.0.1:18302, core 1), behind one nginx that listens on three ports: 18300 spreads requests
over both (round robin), 18303 goes to A only and 18304 to B only. Everything goes through nginx,
as in production (``X-Forwarded-For``, ``X-Accel-Redirect`` for uploads).

``setup`` prepares what the checks need in the database (a published pledge page for the 意见箱,
an approved pledge to sign, an account to lock out) and clears the limits' earlier counts.
``checks``: a write through A is seen through B at once (no stale fragment); the login, signing
and 意见箱 limits hold when the tries alternate between A and B; a photo uploaded through A is
served through B. ``throughput``: wrk through nginx on a few pages, one server (18303) against
two (18300), alternating, ``--rounds`` times each. ``summary`` prints the tables and exits 1 if a
check failed or two servers did not reach ``--min-ratio`` × one on a page that counts.
"""

from __future__ import annotations

import argparse
import contextlib
import html.parser
import http.cookiejar
import io
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from load import run_wrk  # bench/load.py: wrk and its summary, shared

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")
PASSWORD = "district-demo-2026"  # generate_data's default password
PROBE = ("cluster-probe", "cluster-probe-2026")  # an account only the login check uses
HOST = "127.0.0.1"
BOTH, ONLY_A, ONLY_B = 18300, 18303, 18304


def base(port: int) -> str:
    return f"http://{HOST}:{port}"


# --- setup: the records the checks need ------------------------------------------------------

SETUP = """
import datetime, json
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from demo.synthetic import committee_username
from members.models import Attempt, Branch, Campaign, RoleAssignment
from pledges import throttle
from pledges.models import Pledge, PledgePublication

User = get_user_model()
today = timezone.localdate()
secretary = RoleAssignment.objects.select_related("branch").get(
    user__username="b0001-secretary", role=RoleAssignment.Role.SECRETARY
)
branch = secretary.branch

# The 意见箱: the branch's latest campaign, published from yesterday for a month.
campaign = Campaign.objects.for_branch(branch).order_by("-start").first()
PledgePublication.objects.update_or_create(
    campaign=campaign,
    defaults={"start": today - datetime.timedelta(days=1), "end": today + datetime.timedelta(days=30)},
)

# Signing: the member account's latest pledge, made an approved one waiting for the signature.
member = User.objects.select_related("person").get(username="b0001-member")
pledge = Pledge.objects.filter(person=member.person).order_by("-version", "-pk").first()
Pledge.objects.filter(pk=pledge.pk).update(
    status=Pledge.Status.APPROVED, signed_at=None, signed_by=None, signature_name="", signed_hash=""
)

# The login lock: an account of its own, so no real account gets locked.
probe, _ = User.objects.get_or_create(username=%(probe)r)
probe.set_password(%(probe_password)r)
probe.save()

# Earlier runs' counts.
axes_reset(username=probe.username)
Attempt.objects.filter(scope__in=["sign", "objection"]).delete()

print("FACTS", json.dumps({
    "branch": branch.pk,
    "campaign": campaign.pk,
    "pledge": pledge.pk,
    "signer_name": member.person.name,
    "committee": committee_username(""),
    "year": today.year,
    "limits": {
        "login": settings.AXES_FAILURE_LIMIT,
        "signing": throttle.SIGN_FAILURE_LIMIT,
        "comments": throttle.OBJECTION_LIMIT,
    },
}, ensure_ascii=False))
"""


def setup(args) -> int:
    code = SETUP % {"probe": PROBE[0], "probe_password": PROBE[1]}
    env = {**os.environ, "DATABASE_URL": args.database}
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    facts = json.loads(out.split("FACTS", 1)[1])
    facts["database"] = args.database
    Path(args.out).write_text(json.dumps(facts, ensure_ascii=False, indent=1))
    print(f"setup: {facts}", file=sys.stderr)
    return 0


# --- a small browser: one cookie jar for every port (cookies do not depend on the port) ------


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, port: int, path: str, data: bytes | None = None, headers=None) -> Response:
        request = urllib.request.Request(base(port) + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def cookie_header(self) -> str:
        """The session and CSRF cookies, as a browser sends them after its first page
        (bench/load.py)."""
        return "; ".join(
            f"{name}={self.cookie(name)}"
            for name in ("sessionid", "csrftoken")
            if self.cookie(name)
        )

    def get(self, port: int, path: str) -> Response:
        return self.request(port, path)

    def post(self, port: int, path: str, fields: list[tuple[str, str]], files=None) -> Response:
        referer = {"Referer": base(port) + path}
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request(port, path, body, referer)
        boundary = uuid.uuid4().hex
        parts = io.BytesIO()
        for name, value in fields:
            parts.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content, content_type) in files.items():
            parts.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            )
            parts.write(content + b"\r\n")
        parts.write(f"--{boundary}--\r\n".encode())
        headers = {**referer, "Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request(port, path, parts.getvalue(), headers)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def login(self, port: int, username: str, password: str) -> Response:
        form = form_fields(self.get(port, "/login/").text, "password")
        fields = [(k, v) for k, v in form if k not in {"username", "password"}]
        return self.post(port, "/login/", [*fields, ("username", username), ("password", password)])


class _FormParser(html.parser.HTMLParser):
    """The fields a browser would send for each form of a page, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.names: list[set[str]] = []
        self._select: tuple[str, list[str], list[str]] | None = None  # name, values, selected
        self._option: str | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._template += 1
        if tag == "form":
            self.forms.append([])
            self.names.append(set())
            return
        if not self.forms or self._template:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self.names[-1].add(name)
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.forms[-1].append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.names[-1].add(name)
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[1].append(value)
            if "selected" in a:
                self._select[2].append(value)
        elif tag == "textarea" and name:
            self.names[-1].add(name)
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "select" and self._select is not None:
            name, values, selected = self._select
            chosen = selected or values[:1]
            self.forms[-1].extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.forms[-1].append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def form_fields(page: str, having: str) -> list[tuple[str, str]]:
    """The fields of the page's form that has a field named ``having``."""
    parser = _FormParser()
    parser.feed(page)
    for fields, names in zip(parser.forms, parser.names, strict=True):
        if having in names:
            return fields
    raise AssertionError(f"no form with a field {having!r} on the page")


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    return [(k, values.get(k, v)) for k, v in fields]


# --- checks ----------------------------------------------------------------------------------


class Checks:
    def __init__(self, facts: dict):
        self.facts = facts
        self.results: list[dict] = []

    def record(self, name: str, ok: bool, detail: str) -> bool:
        self.results.append({"check": name, "ok": bool(ok), "detail": detail})
        print(f"  [{'ok' if ok else 'FAILED'}] {name}: {detail}", file=sys.stderr, flush=True)
        return ok

    def run(self) -> list[dict]:
        for check in (self.spread, self.write_seen, self.login, self.signing, self.comments):
            try:
                check()
            except Exception as error:  # one broken check must not hide the others
                self.record(check.__name__, False, f"{type(error).__name__}: {error}")
        try:
            self.upload()
        except Exception as error:
            self.record("upload", False, f"{type(error).__name__}: {error}")
        return self.results

    def spread(self):
        """nginx sends the requests of port 18300 to both servers in turn."""
        seen: dict[str, int] = {}
        browser = Browser()
        for _ in range(20):
            upstream = browser.get(BOTH, "/bench/ping/").headers.get("X-Upstream", "?")
            seen[upstream] = seen.get(upstream, 0) + 1
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(seen.items()))
        ok = len(seen) == 2 and min(seen.values()) >= 8
        self.record("18300 spreads over A and B", ok, f"20 requests → {detail}")

    def write_seen(self):
        """An activity's title changed through A is on the activity list read through B at once."""
        b = self.facts["branch"]
        browser = Browser()
        response = browser.login(ONLY_A, "b0001-secretary", PASSWORD)
        assert response.status == 302, f"login through A answered {response.status}"
        listing = f"/activities/?branch={b}"
        first = browser.get(ONLY_B, listing)  # through B: the list fragment is now cached
        assert first.status == 200, f"activity list through B answered {first.status}"
        browser.get(ONLY_A, listing)
        pk = re.search(r'href="/activities/(\d+)/"', first.text).group(1)
        edit = f"/activities/{pk}/edit/"
        fields = form_fields(browser.get(ONLY_A, edit).text, "title")
        old = dict(fields)["title"]
        new = f"双服务器检查 {uuid.uuid4().hex[:8]}"
        saved = browser.post(ONLY_A, edit, replace(fields, title=new), files={})
        assert saved.status == 302, f"saving through A answered {saved.status}: {errors(saved)}"
        started = time.perf_counter()
        after = browser.get(ONLY_B, listing)
        took = (time.perf_counter() - started) * 1000
        ok = after.status == 200 and new in after.text
        self.record(
            "a write through A is seen through B at once",
            ok,
            f"activity {pk} renamed “{old}” → “{new}” through A; the list through B "
            f"{'shows' if new in after.text else 'does NOT show'} it on the next request "
            f"({after.status}, {took:.0f} ms)",
        )
        self.facts["activity"] = int(pk)
        self.facts["secretary_cookie"] = browser.cookie("sessionid")

    def login(self):
        """Wrong passwords alternate between A and B; the lock comes after the limit."""
        limit = self.facts["limits"]["login"]
        browser = Browser()
        answers = []
        for i in range(limit + 3):
            port = (ONLY_A, ONLY_B)[i % 2]
            answers.append(browser.login(port, PROBE[0], f"wrong-{i}").status)
        failures = answers.index(429) + 1 if 429 in answers else None
        right = [browser.login(port, *PROBE).status for port in (ONLY_A, ONLY_B)]
        ok = failures == limit and all(s == 429 for s in answers[limit:]) and right == [429, 429]
        self.record(
            "login limit (django-axes) across A and B",
            ok,
            f"wrong passwords alternating A/B answered {answers}: locked at failure {failures} "
            f"(limit {limit}); the right password then refused through A and B: {right}",
        )
        self.facts["observed_login"] = failures

    def signing(self):
        """Wrong signing passwords alternate between A and B; only ``limit`` are checked."""
        limit = self.facts["limits"]["signing"]
        browser = Browser()
        assert browser.login(ONLY_B, "b0001-member", PASSWORD).status == 302
        path = f"/pledges/{self.facts['pledge']}/sign/"
        checked = refused = 0
        for i in range(3 * limit):
            port = (ONLY_A, ONLY_B)[i % 2]
            fields = form_fields(browser.get(port, path).text, "password")
            fields = replace(fields, signature_name=self.facts["signer_name"], password=f"x{i}")
            fields.append(("confirm", "on"))
            text = browser.post(port, path, fields).text
            checked += "密码不正确" in text
            refused += "密码错误次数过多" in text
        fields = form_fields(browser.get(ONLY_A, path).text, "password")
        fields = replace(fields, signature_name=self.facts["signer_name"], password=PASSWORD)
        right = browser.post(ONLY_A, path, [*fields, ("confirm", "on")])
        still_refused = right.status == 200 and "密码错误次数过多" in right.text
        ok = checked == limit and refused == 2 * limit and still_refused
        self.record(
            "signing password limit across A and B",
            ok,
            f"{3 * limit} wrong passwords alternating A/B: {checked} checked, {refused} refused "
            f"as locked (limit {limit}); the right password then "
            f"{'refused' if still_refused else 'NOT refused'}",
        )
        self.facts["observed_signing"] = checked

    def comments(self):
        """Comments in the 意见箱 alternate between A and B; ``limit`` are taken."""
        limit = self.facts["limits"]["comments"]
        b, c = self.facts["branch"], self.facts["campaign"]
        browser = Browser()
        page = f"/pledges/public/{b}/{c}/"
        tag = uuid.uuid4().hex[:8]
        answers = []
        for i in range(5 * limit):
            port = (ONLY_A, ONLY_B)[i % 2]
            fields = form_fields(browser.get(port, page).text, "text")
            fields = replace(fields, text=f"双服务器检查意见 {tag} {i}")
            answers.append(browser.post(port, page + "objection/", fields).status)
        taken = answers.count(302)
        stored = sql(
            self.facts, f"select count(*) from pledges_pledgeobjection where text like '%{tag}%'"
        )
        ok = taken == limit and int(stored) == limit and set(answers[limit:]) == {429}
        self.record(
            "意见箱 limit across A and B",
            ok,
            f"{len(answers)} comments alternating A/B answered {answers}: {taken} taken, "
            f"{stored} stored (limit {limit})",
        )
        self.facts["observed_comments"] = taken

    def upload(self):
        """A photo added to the activity through A is served through B (and through A)."""
        from PIL import Image

        browser = Browser()
        browser.jar.set_cookie(_cookie("sessionid", self.facts["secretary_cookie"]))
        pk = self.facts["activity"]
        edit = f"/activities/{pk}/edit/"
        picture = io.BytesIO()
        Image.new("RGB", (321, 123), (200, 30, 30)).save(picture, "PNG")
        fields = form_fields(browser.get(ONLY_A, edit).text, "title")
        saved = browser.post(
            ONLY_A, edit, fields, files={"photos": ("cluster.png", picture.getvalue(), "image/png")}
        )
        assert saved.status == 302, f"the upload through A answered {saved.status}: {errors(saved)}"
        detail = browser.get(ONLY_B, f"/activities/{pk}/").text
        photos = re.findall(r"/activities/photos/(\d+)/image/", detail)
        assert photos, "the activity page through B links no photo"
        newest = f"/activities/photos/{max(map(int, photos))}/image/"
        through_b = browser.get(ONLY_B, newest)
        through_a = browser.get(ONLY_A, newest)
        size = None
        if through_b.status == 200:
            size = Image.open(io.BytesIO(through_b.body)).size
        anonymous = Browser().get(ONLY_B, newest).status
        ok = (
            through_b.status == 200
            and size == (321, 123)
            and through_b.body == through_a.body
            and anonymous in (302, 403)
            and not through_b.headers.get("X-Accel-Redirect")
        )
        pixels = f"{size[0]}×{size[1]} px" if size else "not an image"
        self.record(
            "an upload through A is served through B",
            ok,
            f"photo {newest} (321×123 PNG uploaded through A) through B: {through_b.status}, "
            f"{len(through_b.body)} bytes, {pixels}, the same bytes through A: "
            f"{through_b.body == through_a.body}; sent by nginx (X-Accel-Redirect) after the "
            f"portal's access check; anonymous through B: {anonymous}",
        )


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, HOST, False, False, "/", True, False, None, False, None,
        None, {},
    )  # fmt: skip


def errors(response: Response) -> str:
    found = re.findall(r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)<',
                       response.text, re.S)  # fmt: skip
    return "; ".join(e.strip() for e in found if e.strip())[:300] or response.text[:200]


def sql(facts: dict, query: str) -> str:
    url = urllib.parse.urlparse(facts["database"])
    return subprocess.run(
        ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres",
         "-d", url.path.lstrip("/"), "-Atc", query],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def checks(args) -> int:
    facts = json.loads(Path(args.facts).read_text())
    print("checks through nginx (A = :18303 → :18301, B = :18304 → :18302):", file=sys.stderr)
    results = Checks(facts).run()
    Path(args.out).write_text(json.dumps({"checks": results, "facts": facts}, ensure_ascii=False))
    return 0 if all(r["ok"] for r in results) else 1


# --- throughput ------------------------------------------------------------------------------


TICK = os.sysconf("SC_CLK_TCK")


def _ticks(pid: int) -> int:
    """User + system CPU ticks of one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class CpuMeter:
    """CPU time of each part of the stack during a run: the two servers' gunicorn workers,
    PostgreSQL's backends of the district database, nginx, and wrk (this process's children)."""

    def __init__(self, work: Path, database: str, nice: int | None = None):
        self.nice = nice
        self.masters = [int(p) for p in (work / "servers.pids").read_text().split()]
        nginx = int((work / "nginx.pid").read_text())
        self.nginx = [nginx, *_children(nginx)]
        self.database = database

    def groups(self) -> dict[str, list[int]]:
        backends = sql(
            {"database": self.database},
            "select pid from pg_stat_activity where datname = current_database()"
            " and pid <> pg_backend_pid()",
        ).split()
        backends = [int(p) for p in backends]
        if self.nice is not None:  # the database's backends at the stack's priority
            for pid in backends:
                with contextlib.suppress(ProcessLookupError):
                    os.setpriority(os.PRIO_PROCESS, pid, self.nice)
        return {
            "app": [w for m in self.masters for w in [m, *_children(m)]],
            "postgres": backends,
            "nginx": self.nginx,
        }

    def measure(self, run) -> tuple[dict, dict]:
        """``run()``'s result and the CPU seconds each part spent meanwhile."""
        before_groups = self.groups()
        before = {name: {pid: _ticks(pid) for pid in pids} for name, pids in before_groups.items()}
        children = os.times()
        result = run()
        after_children = os.times()
        after_groups = self.groups()
        spent = {}
        for name, pids in after_groups.items():
            ticks = sum(_ticks(pid) - before[name].get(pid, 0) for pid in pids)
            spent[name] = ticks / TICK
        spent["wrk"] = (after_children.children_user - children.children_user) + (
            after_children.children_system - children.children_system
        )
        return result, spent


def throughput(args) -> int:
    facts = json.loads(Path(args.facts).read_text())
    b = facts["branch"]
    browser, committee = Browser(), Browser()
    assert browser.login(BOTH, "b0001-secretary", PASSWORD).status == 302, "login failed"
    # The committee's heat map: its time is the app's own (200 branches judged in Python), so
    # it shows how two servers scale where the shared PostgreSQL, nginx and wrk cost little.
    assert committee.login(BOTH, facts["committee"], PASSWORD).status == 302, "login failed"
    cookie, committee_cookie = browser.cookie_header(), committee.cookie_header()
    pages = [
        ("ping", "/bench/ping/", None),
        ("activity list", f"/activities/?branch={b}", cookie),
        ("dashboard", f"/activities/dashboard/?branch={b}", cookie),
        ("heat map", f"/obligations/committee/?year={facts['year']}", committee_cookie),
    ]
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        pages = [page for page in pages if page[0] in wanted]
    meter = CpuMeter(Path(args.work), facts["database"], args.nice)
    rows = []
    for name, path, page_cookie in pages:
        headers = {"Cookie": page_cookie} if page_cookie else {}
        for port in (ONLY_A, ONLY_B, BOTH, BOTH):  # every worker warm, the fragment cached
            for _ in range(2 * args.workers):
                status = browser.request(port, path, headers=headers).status
                if status != 200:
                    raise SystemExit(f"{name}: {path} answered {status} on :{port}; stopping")
        runs = {"one": [], "two": []}
        for _ in range(args.rounds):
            for label, port in (("one", ONLY_A), ("two", BOTH)):
                load = os.getloadavg()[0]
                result, cpu = meter.measure(
                    lambda port=port, path=path, page_cookie=page_cookie: run_wrk(
                        base(port) + path, page_cookie, args.seconds, args.connections, threads=1
                    )
                )
                result["load"] = load
                result["cpu_ms"] = {
                    k: 1000 * v / max(result["requests"], 1) for k, v in cpu.items()
                }
                runs[label].append(result)
                print(
                    f"  {args.phase:8} {name:14} {label} server{'s' if label == 'two' else ' '}"
                    f" {result['rps']:8.1f} req/s  p50 {result['p50'] / 1000:6.1f} ms"
                    f"  p95 {result['p95'] / 1000:6.1f} ms  non-2xx {result['non2xx']}"
                    f"  load {load:.2f}  CPU ms/request "
                    + " ".join(f"{k} {v:.2f}" for k, v in result["cpu_ms"].items()),
                    file=sys.stderr,
                    flush=True,
                )
                time.sleep(args.settle)
        rows.append({"page": name, "phase": args.phase, "path": path, **runs})
    Path(args.out).write_text(json.dumps({"phase": args.phase, "rows": rows,
                                          "settings": vars(args)}, ensure_ascii=False))  # fmt: skip
    return 0


# --- summary ---------------------------------------------------------------------------------


def summary(args) -> int:
    failed = []
    checks_table, rows, settings = [], [], {}
    for name in args.files:
        data = json.loads(Path(name).read_text())
        if "checks" in data:
            checks_table = data["checks"]
        else:
            rows += data["rows"]
            settings = data["settings"]
    print("\n## Checks (alternating between A and B, through nginx)\n")
    print("| check | result | what was seen |\n|---|---|---|")
    for check in checks_table:
        print(f"| {check['check']} | {'ok' if check['ok'] else 'FAILED'} | {check['detail']} |")
        if not check["ok"]:
            failed.append(check["check"])
    if rows:
        print(
            f"\n## Throughput through nginx: one server (A) against two (A + B), wrk 1 thread, "
            f"{settings['connections']} connections, {settings['seconds']} s a run, "
            f"{settings['rounds']} runs each, alternating (mean of the runs)\n"
        )
        print("| page | fragment cache | one server req/s | two servers req/s | × | "
              "p95 ms one / two | load avg during |")  # fmt: skip
        print("|---|---|---:|---:|---:|---:|---|")
        for row in rows:
            one = statistics.mean(r["rps"] for r in row["one"])
            two = statistics.mean(r["rps"] for r in row["two"])
            p95 = [statistics.mean(r["p95"] for r in row[k]) / 1000 for k in ("one", "two")]
            loads = [r["load"] for k in ("one", "two") for r in row[k]]
            ratio = two / one if one else 0.0
            counts = row["phase"] == "cached"  # the uncached pages wait on PostgreSQL (same cores)
            mark = "" if not counts or ratio >= args.min_ratio else " (below target)"
            print(
                f"| {row['page']} | {'on' if row['phase'] == 'cached' else 'off'} | {one:.1f} | "
                f"{two:.1f} | {ratio:.2f}{mark} | {p95[0]:.1f} / {p95[1]:.1f} | "
                f"{min(loads):.1f}–{max(loads):.1f} |"
            )
            errors = sum(r["non2xx"] + r["connect"] + r["read"] + r["timeout"]
                         for k in ("one", "two") for r in row[k])  # fmt: skip
            if errors:
                failed.append(f"{row['page']} ({row['phase']}): {errors} errors under load")
            if counts and ratio < args.min_ratio:
                failed.append(f"{row['page']}: two servers {ratio:.2f} × one < {args.min_ratio}")
        print(
            "\nCPU time per request, in ms, of each part of the stack (gunicorn workers of both "
            "servers / PostgreSQL's backends of the database / nginx / wrk), one server → two:\n"
        )
        print(
            "| page | fragment cache | app | PostgreSQL | nginx | wrk "
            "| × if the stack had both cores to itself |"
        )
        print("|---|---|---:|---:|---:|---:|---:|")
        for row in rows:
            cells, spent = [], {}
            for part in ("app", "postgres", "nginx", "wrk"):
                spent[part] = [
                    statistics.mean(r["cpu_ms"][part] for r in row[k]) for k in ("one", "two")
                ]
                cells.append(f"{spent[part][0]:.2f} → {spent[part][1]:.2f}")
            # One server is held to one core by its own CPU time, and the whole stack to two;
            # two servers share both cores with PostgreSQL, nginx and wrk.
            one = min(1 / spent["app"][0], 2 / sum(times[0] for times in spent.values()))
            ceiling = 2 / sum(times[1] for times in spent.values()) / one
            cache = "on" if row["phase"] == "cached" else "off"
            print(f"| {row['page']} | {cache} | " + " | ".join(cells) + f" | {ceiling:.2f} |")
    print()
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    print("all checks passed" + (f"; two servers ≥ {args.min_ratio} × one" if rows else ""))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--database", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("checks")
    p.add_argument("--facts", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("throughput")
    p.add_argument("--facts", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--phase", choices=["cached", "uncached"], required=True)
    p.add_argument("--work", required=True, help="cluster.sh's folder (servers.pids, nginx.pid)")
    p.add_argument("--nice", type=int, default=None, help="renice the database's backends to this")
    p.add_argument("--seconds", type=int, default=8)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--connections", type=int, default=12)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--settle", type=float, default=2.0)
    p.add_argument("--only", default="")
    p = sub.add_parser("summary")
    p.add_argument("files", nargs="+")
    p.add_argument("--min-ratio", type=float, default=1.6)
    args = parser.parse_args()
    # cluster.sh stops the driver with SIGTERM: exit through Python, so that a running wrk is
    # killed with it (subprocess.run kills its child on the way out).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return {"setup": setup, "checks": checks, "throughput": throughput, "summary": summary}[
        args.command
    ](args)


if __name__ == "__main__":
    sys.exit(main())
