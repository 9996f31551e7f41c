"""A small school built with factories, shaped like the source document, for the report tests.

Its figures: 5 members on the report date (2012-09-30) after one transfer out; 4 pledges signed in
2010; 先进典型 市级 1 / 区级 2 / 校级 1; key teachers 3 of 4 members (75%); cadres 2 of 3
(66.7%); mechanisms 1/2/1/1/1 with two new ones; rating 较好 in 2012-04.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from activities.models import Measure
from honors.models import Level
from mechanisms.models import Category
from members.models import BranchPost, LeadingGroupRole, Membership
from reports.models import NarrativeText
from tests import factories as f

D = datetime.date
REPORT_DAY = D(2012, 9, 30)


@dataclass
class School:
    branch: object
    campaign: object
    carriers: dict
    people: dict


def signed_at(day: datetime.date):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))


def build_school(branch=None) -> School:
    branch = branch or f.BranchFactory(
        name="中共上海市测试第二中学支部委员会",
        short_name="测试二中党支部",
        contact_phone="64360000",
        committee__short_name="徐汇区教育党工委",
    )
    people = {}

    def member(name, **kwargs):
        people[name] = f.MemberFactory(branch=branch, name=name, **kwargs)
        return people[name]

    for name in ("何书记", "王书记", "赵老师", "孟老师"):
        member(name, is_key_teacher=name != "孟老师", is_senior_cadre=name in ("何书记", "王书记"))
    member("钱老师", is_key_teacher=False)
    people["郭老师"] = f.PersonFactory(branch=branch, name="郭老师", political_status="full")
    f.MembershipFactory(
        person=people["郭老师"],
        start=D(2000, 1, 1),
        end=D(2011, 2, 28),
        left_how=Membership.Left.TRANSFERRED_OUT,
    )
    people["郭老师"].staff_until = D(2011, 2, 28)
    people["郭老师"].save()
    # Non-members on staff: one key teacher, one cadre.
    people["群众甲"] = f.PersonFactory(branch=branch, name="群众甲", is_key_teacher=True)
    people["群众乙"] = f.PersonFactory(branch=branch, name="群众乙", is_senior_cadre=True)

    f.BranchPostFactory(
        person=people["何书记"],
        role=BranchPost.Role.SECRETARY,
        start=D(2008, 1, 1),
        end=D(2010, 8, 31),
    )
    f.BranchPostFactory(
        person=people["王书记"], role=BranchPost.Role.SECRETARY, start=D(2010, 9, 1)
    )
    f.BranchRatingFactory(
        branch=branch, rated_on=D(2012, 4, 15), occasion="教育系统基层党组织分类定级工作"
    )

    campaign = f.CampaignFactory(
        branch=branch,
        name="创先争优活动",
        theme="促和谐，讲党性，树先锋",
        goals="推动科学发展，促进社会和谐",
        start=D(2010, 6, 1),
        end=REPORT_DAY,
    )
    carriers = {
        name: f.CarrierFactory(campaign=campaign, order=order, name=name, aim=aim)
        for order, (name, aim) in enumerate(
            [
                ("公开承诺", "树立党员形象"),
                ("健康促进", "关爱学生成长"),
                ("志愿服务", "进社区展形象"),
            ],
            1,
        )
    }

    def role(person, kind, start, end=None, order=0, predecessor=None):
        return LeadingGroupRole.objects.create(
            campaign=campaign,
            person=people[person],
            role=kind,
            start=start,
            end=end,
            order=order,
            predecessor=predecessor,
        )

    leader = LeadingGroupRole.Role.LEADER
    first = role("何书记", leader, D(2010, 6, 1), D(2010, 8, 31))
    role("王书记", leader, D(2010, 9, 1), predecessor=first)
    guo = role("郭老师", LeadingGroupRole.Role.MEMBER, D(2010, 6, 1), D(2011, 2, 28), order=1)
    role("赵老师", LeadingGroupRole.Role.MEMBER, D(2011, 3, 1), order=1, predecessor=guo)
    role("孟老师", LeadingGroupRole.Role.MEMBER, D(2010, 6, 1), order=2)

    for name in ("王书记", "赵老师", "孟老师", "郭老师"):
        f.SignedPledgeFactory(
            campaign=campaign, person=people[name], signed_at=signed_at(D(2010, 8, 20))
        )
    f.PledgeFactory(campaign=campaign, person=people["钱老师"])  # a draft: not counted

    for order in range(1, 4):
        f.MeasureFactory(
            carrier=carriers["健康促进"],
            order=order,
            title=f"健康举措{order}",
            status=Measure.Status.DONE,
            long_term=order == 1,
        )
    volunteering = f.ActivityFactory(
        carrier=carriers["志愿服务"],
        title="轨道交通南站志愿者顶岗",
        start_date=D(2010, 7, 15),
        end_date=D(2010, 8, 15),
        place="上海南站",
    )
    for name in ("王书记", "赵老师"):
        f.ActivityParticipantFactory(activity=volunteering, person=people[name], hours=20)

    for level, count in ((Level.CITY, 1), (Level.DISTRICT, 2), (Level.SCHOOL, 1)):
        for _ in range(count):
            f.TypicalHonorFactory(
                branch=branch, person=people["赵老师"], level=level, awarded_on=D(2011, 6, 1)
            )
    f.HonorFactory(
        branch=branch, title="市安全文明校园", level=Level.CITY, awarded_on=D(2010, 12, 1)
    )
    f.HonorFactory(
        branch=branch, title="徐汇区先进职工之家", level=Level.DISTRICT, awarded_on=D(2011, 5, 1)
    )
    f.HonorFactory(branch=branch, title="活动以前的荣誉", awarded_on=D(2009, 5, 1))

    counts = {
        Category.IDEOLOGY: 1,
        Category.ORGANISATION: 2,
        Category.DEMOCRACY: 1,
        Category.CONDUCT: 1,
        Category.INTEGRITY: 1,
    }
    for category, count in counts.items():
        for n in range(count):
            f.MechanismFactory(
                branch=branch, category=category, name=f"{category.label}制度{n + 1}"
            )
    f.MechanismFactory(
        branch=branch,
        category=Category.IDEOLOGY,
        name="党员素质教育机制",
        is_new=True,
        campaign=campaign,
        established_on=D(2011, 1, 1),
    )
    f.MechanismFactory(
        branch=branch,
        category=Category.DEMOCRACY,
        name="党务公开制度",
        is_new=True,
        campaign=campaign,
        established_on=D(2011, 2, 1),
    )
    f.MechanismFactory(
        branch=branch,
        category=Category.CONDUCT,
        name="已废止的制度",
        established_on=D(2009, 1, 1),
        repealed_on=D(2011, 1, 1),
    )

    f.FeaturedWorkFactory(branch=branch, order=1, text="党小组建在年级组。")
    f.FeaturedWorkFactory(branch=branch, order=2, text="以“增效减负”为载体。")
    for n in range(2):
        f.ResearchTopicFactory(
            branch=branch, title=f"作业课题{n}", declared_year=2011, theme="作业"
        )
    f.ResearchTopicFactory(branch=branch, title="其他课题", declared_year=2011, theme="德育")
    f.ResearchTopicFactory(branch=branch, title="早年课题", declared_year=2008, theme="作业")

    NarrativeText.objects.create(
        campaign=campaign,
        section=NarrativeText.Section.OPENING,
        text="【起始年月】至今，【党组织简称】获得【集体荣誉】等荣誉称号。",
    )
    NarrativeText.objects.create(
        campaign=campaign,
        section=NarrativeText.Section.CARRIER,
        carrier=carriers["公开承诺"],
        text="我支部【承诺签订人数】名党员都签订了承诺书。\n"
        "选树先进典型市级【先进典型·市级】名，区级【先进典型·区级】名，校级【先进典型·校级】名。",
    )
    NarrativeText.objects.create(
        campaign=campaign,
        section=NarrativeText.Section.CARRIER,
        carrier=carriers["健康促进"],
        text="提出的【健康促进举措数】项措施已完成【健康促进举措完成数】项。",
    )
    return School(branch=branch, campaign=campaign, carriers=carriers, people=people)
