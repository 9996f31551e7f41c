"""The secretary's pipeline and a dossier on a phone-sized screen (Playwright, Debian's Chromium;
the browser fixture of tests/test_browser_pledges.py). A transactional test empties the tables
after it, the Party's time rules of the data migration included: they are seeded again here."""

import datetime
import importlib

from django.urls import reverse
from django.utils import timezone

from members.models import RoleAssignment
from recruitment.models import TimeRule
from tests import recruitment_data as data
from tests.factories import MemberFactory, UserFactory
from tests.test_browser_pledges import _async_unsafe_allowed, browser, log_in  # noqa: F401


def test_pipeline_and_dossier_fit_a_phone(browser, live_server, transactional_db):  # noqa: F811
    from django.apps import apps

    importlib.import_module("recruitment.migrations.0002_seed_time_rules").seed(apps, None)
    assert TimeRule.objects.filter(committee=None).exists()
    user = UserFactory()
    person = MemberFactory(name="书记乙", user=user)
    branch = person.branch
    RoleAssignment.objects.create(user=user, role="secretary", branch=branch)
    late = data.applicant(
        branch, applied=timezone.localdate() - datetime.timedelta(days=40), name="迟谈话的申请人"
    )
    development = data.voted(branch, name="发展对象丁")

    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, user.username, reverse("recruitment:pipeline"))

    assert page.locator("#pipeline tr.table-danger", has_text=late.person.name).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(live_server.url + reverse("recruitment:dossier", args=[development.pk]))
    assert "发展对象丁的介绍人1" in page.locator("#introducers").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
