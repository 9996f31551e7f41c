"""The demo's current year: 2026 of the same branch, some meetings held, some missing."""

import datetime
import io

import pytest
from django.core.management import call_command

import obligations
from activities.models import Meeting, TalkPair
from members.models import Branch
from obligations.reminders import build_digests

D = datetime.date
TODAY = D(2026, 12, 6)


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    call_command("load_demo", stdout=io.StringIO())
    return Branch.objects.get(short_name="田林二中党支部")


def test_the_demo_year_has_meetings_held_missing_and_planned(demo):
    rows = obligations.compliance(demo, D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    status = {(o.kind, o.group_name, o.period.start): o.status for o in rows}
    assert status[("committee", "", D(2026, 4, 1))] == "met"
    assert status[("committee", "", D(2026, 5, 1))] == "overdue"
    assert status[("theme_day", "", D(2026, 2, 1))] == "overdue"
    assert status[("group", "初二年级党小组", D(2026, 4, 1))] == "overdue"
    assert status[("group", "初一年级党小组", D(2026, 4, 1))] == "met"
    assert status[("general", "", D(2026, 10, 1))] == "due"  # planned for December 18
    talk = [o for o in rows if o.kind == "talk"][0]
    assert (talk.status, talk.due, talk.held) == ("due", 19, 17)
    assert talk.unmet_people == ["孟儒渊", "黄志刚"]
    assert Meeting.objects.filter(branch=demo, status="planned").exists()
    assert TalkPair.objects.filter(meeting__branch=demo).count() == 16
    assert build_digests(TODAY)  # the demo accounts have addresses: a digest has something


def test_loading_the_demo_again_changes_no_row(demo):
    before = (Meeting.objects.count(), TalkPair.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (Meeting.objects.count(), TalkPair.objects.count()) == before
    assert "新建" in out.getvalue()
