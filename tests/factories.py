"""factory_boy factories for every model; defaults build one consistent branch."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityParticipant,
    ActivityPhoto,
    Attendance,
    Measure,
    Meeting,
    ResearchTopic,
    TalkPair,
)
from dues.models import DuesBase, DuesRule, MonthlyDue, Payment, PaymentMonth, Rate
from honors.models import Honor, Level
from mechanisms.models import Category, FeaturedWork, Mechanism
from members.models import (
    Attempt,
    Branch,
    BranchPost,
    BranchRating,
    Campaign,
    Carrier,
    Committee,
    LeadingGroupRole,
    Membership,
    PartyGroup,
    PartyGroupMembership,
    Person,
    PoliticalStatus,
    RoleAssignment,
    StatusStage,
)
from obligations.models import CalendarFeed, DigestPreference, DigestSent
from obligations.models import Rule as ObligationRule
from pledges.models import (
    Pledge,
    PledgeItem,
    PledgeItemPhoto,
    PledgeItemUpdate,
    PledgeObjection,
    PledgePoint,
    PledgePublication,
)
from reports.models import NarrativeText, ReportOptions

PASSWORD = "Portal-test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"第{n}区教育党工委")
    short_name = factory.Sequence(lambda n: f"第{n}区教育党工委")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"中共上海市第{n}中学支部委员会")
    short_name = factory.Sequence(lambda n: f"第{n}中学党支部")
    unit_name = factory.Sequence(lambda n: f"上海市第{n}中学")
    contact_phone = "64000000"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"教师{n}")
    gender = Person.Gender.FEMALE
    birth_date = datetime.date(1975, 5, 1)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    post = "语文教师"
    political_status = PoliticalStatus.MASSES
    staff_since = datetime.date(2000, 9, 1)


class MemberFactory(PersonFactory):
    """A person with a full membership since 2000."""

    class Meta:
        skip_postgeneration_save = True

    political_status = PoliticalStatus.FULL
    membership = factory.RelatedFactory(
        "tests.factories.MembershipFactory", factory_related_name="person"
    )


class StatusStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusStage

    person = factory.SubFactory(PersonFactory)
    status = PoliticalStatus.FULL
    start = datetime.date(2000, 1, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory, political_status=PoliticalStatus.FULL)
    start = datetime.date(2000, 1, 1)
    joined_how = Membership.Joined.TRANSFERRED_IN


class PartyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyGroup

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"第{n}党小组")


class PartyGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyGroupMembership

    group = factory.SubFactory(PartyGroupFactory)
    person = factory.SubFactory(PersonFactory, branch=factory.SelfAttribute("..group.branch"))
    start = datetime.date(2010, 1, 1)


class BranchPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BranchPost

    person = factory.SubFactory(MemberFactory)
    role = BranchPost.Role.SECRETARY
    start = datetime.date(2010, 1, 1)


class BranchRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BranchRating

    branch = factory.SubFactory(BranchFactory)
    rated_on = datetime.date(2012, 4, 1)
    rating = BranchRating.Rating.FAIRLY_GOOD
    rated_by = "区教育党工委"


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = RoleAssignment.Role.SECRETARY
    branch = factory.SubFactory(BranchFactory)
    committee = None


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"创先争优活动{n}")
    theme = "促和谐，讲党性，树先锋"
    goals = "推动科学发展，促进社会和谐，服务人民群众，加强基层组织"
    start = datetime.date(2010, 6, 1)
    end = datetime.date(2012, 9, 30)


class LeadingGroupRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadingGroupRole

    campaign = factory.SubFactory(CampaignFactory)
    person = factory.SubFactory(PersonFactory, branch=factory.SelfAttribute("..campaign.branch"))
    role = LeadingGroupRole.Role.MEMBER
    start = datetime.date(2010, 6, 1)


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carrier

    campaign = factory.SubFactory(CampaignFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"载体{n}")
    aim = "树立党员形象"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    carrier = factory.SubFactory(CarrierFactory)
    branch = factory.SelfAttribute("carrier.campaign.branch")
    title = factory.Sequence(lambda n: f"活动{n}")
    start_date = datetime.date(2011, 3, 1)
    place = "学校礼堂"


class ActivityParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityParticipant

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory, branch=factory.SelfAttribute("..activity.branch"))
    hours = 2


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    carrier = factory.SubFactory(CarrierFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"举措{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    branch = factory.SubFactory(BranchFactory)
    kind = Meeting.Kind.GENERAL
    held_on = datetime.date(2010, 7, 1)
    topic = factory.Sequence(lambda n: f"会议主题{n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory, branch=factory.SelfAttribute("..meeting.branch"))
    status = Attendance.Status.PRESENT


class ResearchTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchTopic

    branch = factory.SubFactory(BranchFactory)
    title = factory.Sequence(lambda n: f"课题{n}")
    level = ResearchTopic.Level.SCHOOL
    declared_year = 2011
    theme = "作业"


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    campaign = factory.SubFactory(CampaignFactory)
    person = factory.SubFactory(MemberFactory, branch=factory.SelfAttribute("..campaign.branch"))
    summary = "立足岗位，争当优秀共产党员。"


class SignedPledgeFactory(PledgeFactory):
    status = Pledge.Status.SIGNED
    signed_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.datetime(2010, 8, 15, 10, 0))
    )
    signed_hash = "0" * 64
    signature_name = factory.SelfAttribute("person.name")


class PledgePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgePoint

    pledge = factory.SubFactory(PledgeFactory)
    point = "study"
    text = "认真学习，提高业务水平。"


class PledgeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeItem

    pledge = factory.SubFactory(PledgeFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"承诺事项{n}")
    deadline = datetime.date(2011, 6, 30)


class HonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honor

    branch = factory.SubFactory(BranchFactory)
    recipient = Honor.Recipient.SCHOOL
    title = factory.Sequence(lambda n: f"先进集体{n}")
    level = Level.DISTRICT
    awarded_by = "区教育局"
    awarded_on = datetime.date(2011, 6, 1)


class TypicalHonorFactory(HonorFactory):
    recipient = Honor.Recipient.PERSON
    person = factory.SubFactory(PersonFactory, branch=factory.SelfAttribute("..branch"))
    title = "优秀共产党员"
    is_typical = True


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mechanism

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"制度{n}")
    category = Category.ORGANISATION
    established_on = datetime.date(2011, 3, 1)


class FeaturedWorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeaturedWork

    branch = factory.SubFactory(BranchFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"特色工作{n}")


class ActivityPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityPhoto

    activity = factory.SubFactory(ActivityFactory)
    image = factory.django.ImageField(filename="photo.jpg", width=8, height=8, format="JPEG")
    caption = factory.Sequence(lambda n: f"活动照片{n}")


class PledgeItemUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeItemUpdate

    item = factory.SubFactory(PledgeItemFactory)
    text = factory.Sequence(lambda n: f"进展情况{n}")


class PledgeItemPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeItemPhoto

    update = factory.SubFactory(PledgeItemUpdateFactory)
    image = factory.django.ImageField(filename="evidence.jpg", width=8, height=8, format="JPEG")


class PledgePublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgePublication

    campaign = factory.SubFactory(CampaignFactory)
    start = datetime.date(2010, 10, 1)
    end = datetime.date(2010, 10, 31)


class PledgeObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeObjection

    campaign = factory.SubFactory(CampaignFactory)
    pledge = factory.SubFactory(PledgeFactory, campaign=factory.SelfAttribute("..campaign"))
    name = factory.Sequence(lambda n: f"群众{n}")
    text = factory.Sequence(lambda n: f"意见内容{n}")


class NarrativeTextFactory(factory.django.DjangoModelFactory):
    """The narrative of one carrier's part of the summary."""

    class Meta:
        model = NarrativeText

    carrier = factory.SubFactory(CarrierFactory)
    campaign = factory.SelfAttribute("carrier.campaign")
    section = NarrativeText.Section.CARRIER
    text = factory.Sequence(lambda n: f"第{n}段工作叙述。")


# dues ---------------------------------------------------------------------------------------


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    category = "student"
    fixed_amount = Decimal("0.30")
    valid_from = datetime.date(2031, 1, 1)
    source = "测试用标准"


class DuesRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesRule

    limit = "warning"
    months = 4
    valid_from = datetime.date(2031, 1, 1)
    source = "测试用规则"


class DuesBaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesBase

    person = factory.SubFactory(MemberFactory)
    category = "salaried"
    income = Decimal("4000.00")
    valid_from = datetime.date(2025, 1, 1)


class MonthlyDueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyDue

    person = factory.SubFactory(MemberFactory)
    branch = factory.SelfAttribute("person.branch")
    month = datetime.date(2025, 1, 1)
    due = Decimal("40.00")
    paid = Decimal("40.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    person = factory.SubFactory(MemberFactory)
    branch = factory.SelfAttribute("person.branch")
    amount = Decimal("40.00")
    paid_on = datetime.date(2025, 1, 10)
    way = "cash"
    receipt_no = factory.Sequence(lambda n: f"R{n:05d}")


class PaymentMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentMonth

    payment = factory.SubFactory(PaymentFactory)
    month = datetime.date(2025, 1, 1)
    amount = Decimal("40.00")


class ReportOptionsFactory(factory.django.DjangoModelFactory):
    """The options of one year's summary."""

    class Meta:
        model = ReportOptions

    campaign = factory.SubFactory(CampaignFactory)
    year = factory.Sequence(lambda n: 1900 + n)
    kind = ReportOptions.Kind.SUMMARY
    title = factory.Sequence(lambda n: f"年度工作总结{n}")


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attempt

    scope = "sign"
    who = factory.Sequence(lambda n: str(n))


class TalkPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalkPair

    meeting = factory.SubFactory(MeetingFactory, kind=Meeting.Kind.TALK)
    talker = factory.SubFactory(MemberFactory, branch=factory.SelfAttribute("..meeting.branch"))
    partner = factory.SubFactory(MemberFactory, branch=factory.SelfAttribute("..meeting.branch"))


class ObligationRuleFactory(factory.django.DjangoModelFactory):
    """A committee's rule; each row from its own year, so that none overlaps another."""

    class Meta:
        model = ObligationRule

    committee = factory.SubFactory(CommitteeFactory)
    kind = Meeting.Kind.LECTURE
    scope = ObligationRule.Scope.BRANCH
    frequency = ObligationRule.Frequency.YEAR
    count = 2
    valid_from = factory.Sequence(lambda n: datetime.date(2030 + n, 1, 1))
    valid_to = factory.LazyAttribute(lambda o: o.valid_from.replace(month=12, day=31))
    source = "区教育党工委关于党课的规定"


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    person = factory.SubFactory(MemberFactory)
    branch = factory.SelfAttribute("person.branch")


class DigestPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestPreference

    user = factory.SubFactory(UserFactory)
    opted_out = True


class DigestSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSent

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"meeting:{n}")
    due = datetime.date(2026, 3, 1)
