"""The weekly digest: mailed over SMTP to a real server on loopback (aiosmtpd), read back."""

import datetime
import email
import io
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse

from obligations.models import DigestPreference, DigestSent
from tests.factories import (
    MeetingFactory,
    PledgeFactory,
    PledgeItemFactory,
    SignedPledgeFactory,
)

D = datetime.date
TODAY = D(2026, 3, 16)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _send() -> str:
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    return out.getvalue()


def test_digests_go_by_smtp_once_per_due_date_and_respect_opt_out_and_missing_addresses(
    smtp, secretary, member, other_member, committee_user, branch
):
    for user, address in (
        (secretary, "sec@example.org"),
        (member, "m@example.org"),
        (committee_user, "c@example.org"),
    ):
        user.email = address
        user.save()
    other_member.email = ""  # no address: nothing is sent
    other_member.save()
    MeetingFactory(
        branch=branch,
        kind="theme_day",
        held_on=D(2026, 3, 27),
        status="planned",
        topic="三月主题党日",
    )
    pledge = SignedPledgeFactory(person=member.person, campaign__branch=branch)
    PledgeItemFactory(pledge=pledge, title="组织一次家长会", deadline=D(2026, 4, 2))
    # the other member's pledge waits for the secretary's review
    PledgeFactory(person=other_member.person, campaign=pledge.campaign, status="submitted")

    assert "已发送 3 封" in _send()
    received = {tuple(to)[0]: message for to, message in smtp.messages}
    assert set(received) == {"sec@example.org", "m@example.org", "c@example.org"}
    secretary_mail = _body(received["sec@example.org"])
    assert "本支部尚未完成的组织生活" in secretary_mail
    assert "主题党日，2026年3月应开展 1 次，已开展 0 次" in secretary_mail
    assert "逾期未完成" in secretary_mail
    assert "待审核的承诺书" in secretary_mail  # the pledges app's to-do, in bulk
    member_mail = _body(received["m@example.org"])
    assert "三月主题党日" in member_mail and "承诺事项：组织一次家长会" in member_mail
    assert "/obligations/digest/" in member_mail
    assert "逾期未完成" in _body(received["c@example.org"])
    assert "组织生活每周提醒" in str(received["m@example.org"]["Subject"])

    # Run again: nothing new for the same due dates, nothing is sent twice.
    smtp.messages.clear()
    assert "已发送 0 封" in _send()
    assert smtp.messages == []

    # A new meeting is a new reminder; a member who opted out gets nothing.
    MeetingFactory(
        branch=branch, kind="general", held_on=D(2026, 3, 30), status="planned", topic="党员大会"
    )
    DigestPreference.objects.create(user=member, opted_out=True)
    _send()
    assert "m@example.org" not in {tuple(to)[0] for to, _m in smtp.messages}
    assert DigestSent.objects.filter(user=member).count() == 2


def test_a_person_opts_out_in_the_browser(client, member):
    client.force_login(member)
    client.post(reverse("obligations:digest-settings"), {"opted_out": "1"})
    assert DigestPreference.objects.get(user=member).opted_out
    client.post(reverse("obligations:digest-settings"), {"opted_out": "0"})
    assert not DigestPreference.objects.get(user=member).opted_out


def test_the_bulk_todos_match_the_home_pages(secretary, member, branch):
    from members import todos

    pledge = SignedPledgeFactory(person=member.person, campaign__branch=branch)
    PledgeItemFactory(pledge=pledge, deadline=D(2026, 1, 2))  # overdue
    PledgeFactory(campaign=pledge.campaign, status="submitted")
    bulk = todos.bulk_todos_for([secretary, member], TODAY)
    for user in (secretary, member):
        single = {
            (t.label.split("（")[0], t.count)
            for t in todos.todos_for(user, TODAY)
            if t.url.startswith("/pledges/")  # the apps with a bulk provider: pledges
        }
        assert {(t.label.split("（")[0], t.count) for t in bulk.get(user.pk, [])} == single
    assert ("待审核的承诺书", 1) in {(t.label.split("（")[0], t.count) for t in bulk[secretary.pk]}
