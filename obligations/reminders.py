"""What is owed, told to people: the home page's to-dos and the weekly digest by mail.

Both read ``judging.compliance_for``. The digest is built for everyone at once: the addressees
and their roles (2 queries), what their branches owe (a fixed number), the coming meetings (1),
the 党小组 and posts of members (2), deadlines from ``members.deadlines`` (one per provider), the
log of what was sent (1), and the other apps' to-dos (pledges to sign or revise, to review,
群众意见 to answer) from ``members.todos``' bulk providers (pledges: five queries for everyone).
Then one SMTP connection sends every message, and the log is written in bulk.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from members import todos
from members.access import COMMITTEE, SECRETARY, branch_list_for, user_roles
from members.deadlines import deadlines_for
from members.models import Branch, BranchPost, PartyGroupMembership
from members.orglife import MeetingKind, meetings

from .judging import DUE, KIND_LABELS, OVERDUE, add_months, compliance_each, compliance_for
from .models import DigestPreference, DigestSent

AHEAD = datetime.timedelta(days=30)
TODO_LABELS = (
    "本月待完成的组织生活",
    "逾期未完成的组织生活",
    "近期计划召开的会议",
    "组织生活逾期的党支部",
)


def this_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From January 1 to the end of this month: what is owed and overdue so far."""
    return today.replace(month=1, day=1), add_months(today, 1) - datetime.timedelta(days=1)


def open_this_month(obligations, today: datetime.date):
    month = today.replace(day=1)
    return [o for o in obligations if o.status in (DUE, OVERDUE) and o.period.end >= month]


def overdue_before(obligations, today: datetime.date):
    month = today.replace(day=1)
    return [o for o in obligations if o.status == OVERDUE and o.period.end < month]


# To-dos ----------------------------------------------------------------------------------------


def obligation_todos(user, today: datetime.date):
    start, end = this_year(today)
    calendar = reverse("obligations:calendar")
    secretary_of = branch_list_for(user, SECRETARY) or []
    if secretary_of:
        found = compliance_for(secretary_of, start, end, today=today)
        for branch in secretary_of:
            rows = found[branch.pk]
            url = f"{calendar}?branch={branch.pk}"
            yield todos.Todo(
                TODO_LABELS[0],
                len(open_this_month(rows, today)),
                url,
                todos.ACTION,
                branch.short_name,
            )
            yield todos.Todo(
                TODO_LABELS[1],
                len(overdue_before(rows, today)),
                url,
                todos.OVERDUE,
                branch.short_name,
            )
            for owed in open_this_month(rows, today) + overdue_before(rows, today):
                if owed.unmet_people:  # 谈心谈话: who is still missing, by name
                    yield todos.Todo(
                        f"{owed.period.label}尚未{KIND_LABELS[owed.kind]}的党员",
                        owed.missing,
                        url,
                        todos.OVERDUE if owed.status == OVERDUE else todos.ACTION,
                        f"{branch.short_name}：{owed.shortfall}（{'、'.join(owed.unmet_people)}）",
                    )
    person = getattr(user, "person", None)
    if person is not None:
        coming = [
            fact for fact in meetings([person.branch_id], today, today + AHEAD) if not fact.held
        ]
        yield todos.Todo(
            TODO_LABELS[2], len(coming), reverse("obligations:my-meetings"), todos.INFO
        )
    if user.is_superuser:
        return
    overseen = [
        b
        for b in branch_list_for(user, COMMITTEE) or []
        if b.pk not in {x.pk for x in secretary_of}
    ]
    if COMMITTEE in user_roles(user) and overseen:
        judged = compliance_each(overseen, start, end, today=today)  # a branch at a time
        late = sum(1 for _branch, rows in judged if overdue_before(rows, today))
        yield todos.Todo(
            TODO_LABELS[3], late, reverse("obligations:heatmap") + "?sort=overdue", todos.OVERDUE
        )


# The weekly digest -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    key: str
    due: datetime.date
    text: str
    url: str = ""


@dataclass
class Digest:
    user: object
    sections: list[tuple[str, list[Line]]]

    @property
    def lines(self) -> list[Line]:
        return [line for _title, lines in self.sections for line in lines]


def _obligation_line(obligation, branch, calendar: str) -> Line:
    period = obligation.period
    text = (
        f"{branch.short_name}：{obligation.label}，{period.label}{obligation.progress}"
        f"（{obligation.status_label}，截止 {period.end:%Y-%m-%d}）"
    )
    if obligation.unmet_people:
        text += f"；{obligation.shortfall}：{'、'.join(obligation.unmet_people)}"
    url = f"{calendar}?branch={branch.pk}&month={period.end:%Y-%m}"
    return Line(f"ob:{obligation.key}", period.end, text, url)


def recipients():
    """Active accounts with an address that did not opt out, with their roles and person."""
    opted_out = DigestPreference.objects.filter(opted_out=True).values("user")
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(Q(email="") | Q(email__isnull=True))
        .exclude(pk__in=opted_out)
        .select_related("person")
        .prefetch_related("role_assignments")
        .order_by("pk")
    )


def build_digests(today: datetime.date) -> list[Digest]:
    users = recipients()
    roles = {u.pk: list(u.role_assignments.all()) for u in users}
    secretary_branches = {
        u.pk: {a.branch_id for a in roles[u.pk] if a.role == SECRETARY and a.branch_id}
        for u in users
    }
    committees = {
        u.pk: {a.committee_id for a in roles[u.pk] if a.role == COMMITTEE and a.committee_id}
        for u in users
    }
    people = {u.pk: getattr(u, "person", None) for u in users}
    wanted_committees = set().union(*committees.values()) if committees else set()
    wanted_branches = set().union(*secretary_branches.values()) if secretary_branches else set()
    branches = {
        b.pk: b
        for b in Branch.objects.filter(
            Q(pk__in=wanted_branches) | Q(committee__in=wanted_committees)
        )
    }
    start, end = this_year(today)
    owed = compliance_for(branches.values(), start, end, today=today)

    person_ids = [p.pk for p in people.values() if p is not None]
    member_branches = {p.branch_id for p in people.values() if p is not None}
    coming = defaultdict(list)
    for fact in meetings(member_branches, today, today + AHEAD):
        if not fact.held:
            coming[fact.branch_id].append(fact)
    groups = defaultdict(set)
    for person_id, group_id in (
        PartyGroupMembership.objects.on(today)
        .filter(person__in=person_ids)
        .values_list("person", "group")
    ):
        groups[person_id].add(group_id)
    on_committee = set(
        BranchPost.objects.on(today).filter(person__in=person_ids).values_list("person", flat=True)
    )
    due_items = deadlines_for(person_ids, today, today + AHEAD)
    sent = set(
        DigestSent.objects.filter(user__in=[u.pk for u in users], due__gte=start).values_list(
            "user", "key", "due"
        )
    )

    # The other apps' to-dos (pledges to sign or revise, to review, 群众意见 to answer), for
    # everyone at once through members.todos' bulk providers.
    other_todos = todos.bulk_todos_for(users, today)
    my_meetings = reverse("obligations:my-meetings")
    calendar = reverse("obligations:calendar")
    digests = []
    for user in users:
        sections = []
        for branch_id in sorted(secretary_branches[user.pk]):
            branch = branches[branch_id]
            rows = owed.get(branch_id, [])
            unmet = open_this_month(rows, today) + overdue_before(rows, today)
            sections.append(
                ("本支部尚未完成的组织生活", [_obligation_line(o, branch, calendar) for o in unmet])
            )
        lines = [
            Line(f"todo:{t.label}:{t.detail}:{t.count}", today, f"{t.label}：{t.count}", t.url)
            for t in other_todos.get(user.pk, [])
        ]
        sections.append(("待处理事项", lines))
        if committees[user.pk]:
            late = []
            for branch in sorted(branches.values(), key=lambda b: (b.short_name, b.pk)):
                if branch.committee_id not in committees[user.pk]:
                    continue
                overdue = overdue_before(owed.get(branch.pk, []), today)
                if overdue:
                    last = max(o.period.end for o in overdue)
                    text = f"{branch.short_name}：逾期未完成 {len(overdue)} 项"
                    url = f"{calendar}?branch={branch.pk}"
                    late.append(Line(f"late:{branch.pk}:{len(overdue)}", last, text, url))
            sections.append(("组织生活逾期的党支部", late))
        person = people[user.pk]
        if person is not None:
            mine = [
                f
                for f in coming.get(person.branch_id, [])
                if (f.kind != MeetingKind.GROUP or f.party_group_id in groups[person.pk])
                and (f.kind != MeetingKind.COMMITTEE or person.pk in on_committee)
            ]
            sections.append(
                (
                    "近期会议",
                    [
                        Line(
                            f"meeting:{f.pk}",
                            f.day,
                            f"{f.day:%m月%d日} {f.kind_label}：{f.topic}",
                            my_meetings,
                        )
                        for f in mine
                    ],
                )
            )
            sections.append(
                (
                    "30 天内到期的承诺事项",
                    [
                        Line(d.key, d.day, f"{d.day:%m月%d日} {d.label}", d.url)
                        for d in due_items.get(person.pk, [])
                    ],
                )
            )
        fresh = [
            (title, [line for line in lines if (user.pk, line.key, line.due) not in sent])
            for title, lines in sections
        ]
        fresh = [(title, lines) for title, lines in fresh if lines]
        if fresh:
            digests.append(Digest(user, fresh))
    return digests


def send_digests(*, today: datetime.date, dry_run: bool = False) -> tuple[int, int]:
    """Builds and mails every digest over one connection; logs each line sent. Returns the
    number of messages and of lines."""
    digests = build_digests(today)
    if dry_run:
        return len(digests), sum(len(d.lines) for d in digests)
    messages = [
        EmailMessage(
            subject=f"组织生活每周提醒（{today:%Y年%-m月%-d日}）",
            body=render_to_string(
                "obligations/digest.txt",
                {
                    "user": digest.user,
                    "sections": digest.sections,
                    "site": settings.SITE_URL,
                    "settings_url": settings.SITE_URL + reverse("obligations:digest-settings"),
                },
            ),
            to=[digest.user.email],
        )
        for digest in digests
    ]
    connection = get_connection()
    sent = connection.send_messages(messages) or 0
    with transaction.atomic():
        DigestSent.objects.bulk_create(
            [
                DigestSent(user=digest.user, key=line.key[:120], due=line.due)
                for digest in digests
                for line in digest.lines
            ],
            ignore_conflicts=True,
            batch_size=2000,
        )
    return sent, sum(len(d.lines) for d in digests)
