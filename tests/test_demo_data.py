"""The demo data set: every figure of the source document comes out of QuerySet methods on it."""

import datetime
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from activities.models import Measure, ResearchTopic
from honors.models import Honor
from mechanisms.models import FeaturedWork, Mechanism
from members.access import COMMITTEE, MEMBER, SECRETARY, STAFF, branches_for
from members.models import Branch, BranchRating, Campaign, LeadingGroupRole, Person
from pledges.models import Pledge

D = datetime.date
REPORT_DAY = D(2012, 9, 30)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PROJECT_APPS = (
    "members",
    "activities",
    "pledges",
    "honors",
    "mechanisms",
    "reports",
    "dues",
    "auth",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module and rolled back after it."""
    output = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=output)
        branch = Branch.objects.get(name="中共上海市田林第二中学支部委员会")
        yield SimpleNamespace(
            branch=branch,
            campaign=Campaign.objects.get(branch=branch, name="创先争优活动"),
            output=output.getvalue(),
        )
        transaction.set_rollback(True)


@pytest.fixture
def people(demo, db):
    return Person.objects.for_branch(demo.branch)


def leader_on(campaign, day):
    return LeadingGroupRole.objects.filter(campaign=campaign, role="leader").on(day).get().person


def test_branch_is_tianlin_no2_under_xuhui_education_committee(demo, db):
    assert demo.branch.short_name == "田林二中党支部"
    assert demo.branch.unit_name == "上海市田林第二中学"
    assert demo.branch.contact_phone == "64362741"
    assert demo.branch.committee.name == "徐汇区教育党工委"


def test_eighteen_members_on_2012_09_30(people):
    assert people.members_on(REPORT_DAY).count() == 18


def test_people_who_left_are_neither_members_nor_staff_at_the_end(people):
    for name in ("何耀华", "郭玮"):
        person = people.get(name=name)
        assert not people.members_on(REPORT_DAY).filter(pk=person.pk).exists()
        assert not people.on_staff(REPORT_DAY).filter(pk=person.pk).exists()
    assert people.members_on(D(2010, 7, 1)).filter(name__in=["何耀华", "郭玮"]).count() == 2


def test_staff_of_the_school_is_between_80_and_95_people(people):
    assert 80 <= people.on_staff(REPORT_DAY).count() <= 95


def test_nineteen_members_signed_pledges_in_july_to_september_2010(demo, db):
    pledges = Pledge.objects.for_branch(demo.branch)
    assert pledges.signed_between(D(2010, 7, 1), D(2010, 9, 30)).signers_count() == 19
    assert pledges.signed_between(D(2010, 10, 1), D(2012, 9, 30)).signers_count() == 0


def test_branch_pledge_signed_by_he_yaohua_in_july_2010(demo, db):
    pledge = Pledge.objects.for_branch(demo.branch).of_branch_itself().get()
    assert pledge.signature_name == "何耀华"
    assert timezone.localtime(pledge.signed_at).strftime("%Y-%m") == "2010-07"
    assert [p.point for p in pledge.points.all()] == [code for code, _ in pledge.standard]


def test_every_signed_pledge_hash_matches_its_text(demo, db):
    signed = Pledge.objects.for_branch(demo.branch).filter(status=Pledge.Status.SIGNED)
    assert signed.count() == 20
    for pledge in signed:
        assert pledge.signed_hash == pledge.text_hash(), pledge


def test_typical_models_during_the_campaign_by_level(demo, db):
    honors = Honor.objects.for_branch(demo.branch).typical_models()
    counts = honors.between(demo.campaign.start, demo.campaign.end).count_by_level()
    assert counts == {"national": 0, "city": 1, "district": 2, "school": 6}


def test_school_honors_of_2011_are_present(demo, db):
    honors = Honor.objects.for_branch(demo.branch).to_organisation()
    in_2011 = set(honors.filter(awarded_on__year=2011).values_list("title", "level"))
    assert ("徐汇区先进职工之家", "district") in in_2011
    assert ("徐汇区廉洁教育进课堂先进学校", "district") in in_2011
    assert honors.filter(title="全国学校体育场馆向公众开放先进单位", level="national").exists()


def test_mechanisms_by_category_and_the_three_new_ones(demo, db):
    mechanisms = Mechanism.objects.for_branch(demo.branch)
    assert list(mechanisms.count_by_category().values()) == [3, 5, 4, 3, 4]
    assert set(mechanisms.new_in(demo.campaign).values_list("name", flat=True)) == {
        "中共田林二中支部全面提高党员素质的教育机制",
        "中共田林二中支部永葆党员政治本色监督机制",
        "中共田林二中党务公开相关制度",
    }


def test_key_teachers_member_share_is_62_5_percent(people):
    share = people.on_staff(REPORT_DAY).key_teachers().member_share(REPORT_DAY)
    assert share == {"members": 10, "total": 16, "percent": Decimal("62.5")}


def test_senior_cadres_member_share_is_57_9_percent(people):
    share = people.on_staff(REPORT_DAY).senior_cadres().member_share(REPORT_DAY)
    assert share == {"members": 11, "total": 19, "percent": Decimal("57.9")}


def test_leading_group_leader_changes_in_september_2010(demo, db):
    assert leader_on(demo.campaign, D(2010, 8, 1)).name == "何耀华"
    assert leader_on(demo.campaign, D(2011, 1, 1)).name == "王卫珍"


def test_zhao_shuxian_replaces_guo_wei_in_the_leading_group(demo, db):
    role = LeadingGroupRole.objects.get(campaign=demo.campaign, person__name="赵淑贤")
    assert role.predecessor.person.name == "郭玮"
    assert role.start == role.predecessor.end + datetime.timedelta(days=1)


def test_secretary_is_wang_weizhen_at_the_end_and_he_yaohua_before(demo, db):
    assert demo.branch.secretary_on(REPORT_DAY).name == "王卫珍"
    assert demo.branch.secretary_on(D(2010, 8, 1)).name == "何耀华"


def test_nine_school_level_homework_topics_declared_in_2011(demo, db):
    topics = ResearchTopic.objects.for_branch(demo.branch)
    assert topics.declared_in(2011).at_level("school").on_theme("作业").count() == 9
    assert topics.count() > 9


def test_five_health_measures_all_completed(demo, db):
    measures = Measure.objects.filter(carrier__campaign=demo.campaign, carrier__name="健康促进")
    progress = measures.progress()
    assert progress["total"] == progress["completed"] == 5
    assert 0 < progress["long_term"] < 5


def test_six_carriers_in_the_documents_order(demo, db):
    headings = [carrier.heading for carrier in demo.campaign.carriers.all()]
    assert headings[0] == "以“公开承诺”为载体，树立党员形象谱写新篇"
    assert headings[-1] == "以“志愿服务”为载体，进社区展形象谱写新篇"
    assert [c.name for c in demo.campaign.carriers.all()] == [
        "公开承诺",
        "增效减负",
        "健康促进",
        "队伍建设",
        "文明创建",
        "志愿服务",
    ]


def test_activities_are_dated_within_the_campaign(demo, db):
    activities = demo.branch.activities.all()
    assert 30 <= activities.count() <= 50
    assert activities.between(demo.campaign.start, demo.campaign.end).count() == activities.count()
    assert set(activities.count_by_carrier()) == {c.name for c in demo.campaign.carriers.all()}


def test_latest_rating_is_fairly_good_in_april_2012(demo, db):
    rating = demo.branch.latest_rating()
    assert rating.rating == BranchRating.Rating.FAIRLY_GOOD
    assert (rating.rated_on.year, rating.rated_on.month) == (2012, 4)


def test_three_featured_works_linked_to_their_carriers(demo, db):
    works = FeaturedWork.objects.filter(branch=demo.branch)
    assert [w.carrier.name for w in works] == ["公开承诺", "增效减负", "文明创建"]
    assert works[0].text.startswith("党小组建在年级组")


def snapshot():
    """Every row of the project's tables (history tables included) and the row count of all."""
    counts = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
    }
    return counts, rows


def test_running_load_demo_again_changes_nothing(demo, db):
    counts, rows = snapshot()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    counts_after, rows_after = snapshot()
    assert counts_after == counts
    for label, before in rows.items():
        assert rows_after[label] == before, label
    assert re.search(r"合计\s+0\s+0\s+\d+", output.getvalue())


def printed_accounts(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s*(\w+)\s+密码：(\S+)", output, flags=re.MULTILINE))


def test_demo_accounts_log_in_with_the_printed_password(demo, client):
    accounts = printed_accounts(demo.output)
    assert set(accounts) == {"secretary", "member", "staff", "committee", "admin"}
    for username, password in accounts.items():
        assert client.login(username=username, password=password), username
        assert not client.login(username=username, password=password + "x"), username


def test_demo_accounts_have_their_roles(demo, db):
    users = {user.username: user for user in get_user_model().objects.all()}
    branch = demo.branch
    assert users["secretary"].person.name == "王卫珍"
    assert users["member"].person.is_member
    assert not users["staff"].person.is_member
    assert list(branches_for(users["secretary"], SECRETARY)) == [branch]
    assert list(branches_for(users["member"], MEMBER)) == [branch]
    assert list(branches_for(users["staff"], STAFF)) == [branch]
    assert list(branches_for(users["committee"], COMMITTEE)) == [branch]
    assert not branches_for(users["committee"], SECRETARY).exists()
    assert users["admin"].is_superuser


def test_the_demo_branch_has_this_years_dues_with_a_few_members_in_arrears(demo, db):
    from django.utils import timezone

    from dues.ledger import branch_arrears
    from dues.models import DuesBase, Payment

    today = timezone.localdate()
    branch = Branch.objects.get(short_name="田林二中党支部")
    january = datetime.date(today.year, 1, 1)
    members = Person.objects.for_branch(branch).members_on(january).count()
    assert members >= 18
    bases = DuesBase.objects.filter(person__branch=branch, valid_from=january)
    assert bases.count() == members
    assert Payment.objects.filter(branch=branch, paid_on__year=today.year).exists()
    if today.month > 1:
        owing = {arrear.person.name: len(arrear.months) for arrear in branch_arrears(branch, today)}
        assert 1 <= len(owing) <= 3
