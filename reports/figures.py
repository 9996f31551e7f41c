"""The figures of the reports: one registry, one function per figure of (branch, period).

A figure's name is the placeholder the narrative uses (【承诺签订人数】). The summary, the table,
the narrative editor's preview and the writers all read figures through ``Figures``; adding a
figure is one ``@figure`` entry here, built on a QuerySet method of the model's app.

Families of figures (``FAMILIES``) give one figure per carrier or per year, named after it:
健康促进举措数 is the “举措数” figure of the carrier 健康促进, 2011年作业相关校级课题数 the count of
2011.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from activities.models import Activity, Measure, Meeting, ResearchTopic
from dues.ledger import period_figures
from honors.models import Honor, Level
from mechanisms.models import Category, Mechanism
from members.models import (
    Branch,
    Campaign,
    Carrier,
    LeadingGroupRole,
    Membership,
    Person,
    PersonQuerySet,
)
from pledges.models import Pledge, SigningRate


class PeriodError(ValueError):
    """A period that cannot be reported on (no campaign in that year, …); the message is Chinese."""


def month_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月"


@dataclass(frozen=True)
class ReportPeriod:
    """What a report covers: a campaign from its start to its end, or one calendar year.

    ``end`` is the report date: members, the secretary and the rating are taken as of it.
    The narrative always comes from ``campaign`` (for a year, the campaign running in it).
    """

    start: datetime.date
    end: datetime.date
    campaign: Campaign
    year: int | None = None

    @classmethod
    def for_campaign(cls, campaign: Campaign, today: datetime.date | None = None) -> ReportPeriod:
        start, end = campaign.span(today)
        return cls(start=start, end=end, campaign=campaign)

    @classmethod
    def for_year(cls, branch, year: int, today: datetime.date | None = None) -> ReportPeriod:
        today = today or timezone.localdate()
        if not 1949 <= year <= today.year:
            raise PeriodError(f"年度须在 1949 至 {today.year} 之间。")
        start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
        campaigns = Campaign.objects.for_branch(branch)
        # the campaign running in the year, else the last one before it, else the first after it
        campaign = (
            campaigns.filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)
            .order_by("-start", "-pk")
            .first()
            or campaigns.filter(start__lte=end).order_by("-start", "-pk").first()
            or campaigns.order_by("start", "pk").first()
        )
        if campaign is None:
            raise PeriodError(f"{branch.short_name}尚未建立创先争优活动，无法生成报表。")
        first = first_record_year(branch, campaigns)
        if first and year < first:
            raise PeriodError(
                f"{branch.short_name}在{year}年没有创先争优活动，也没有任何记录"
                f"（最早的记录在{first}年），无法生成报表。"
            )
        return cls(start=start, end=end, campaign=campaign, year=year)

    @property
    def text_start(self) -> datetime.date:
        """The first day the period's work ran: a year's campaign may begin inside it."""
        start = self.campaign.start
        return start if self.start < start <= self.end else self.start

    @property
    def text_end(self) -> datetime.date:
        """The last day the period's work ran: a year's campaign may end inside it."""
        end = self.campaign.end
        return end if end and self.start <= end < self.end else self.end

    def runs_to(self, today: datetime.date) -> bool:
        """Whether the period runs up to ``today`` (only then may a text say 至今)."""
        return self.end >= today

    @property
    def label(self) -> str:
        if self.year:
            return f"{self.year}年度"
        return f"{month_text(self.start)}至{month_text(self.end)}"


def _first_days(branch) -> dict[str, Subquery]:
    """The day of the branch's first activity and of its first meeting, as two subqueries."""
    first_activity = Activity.objects.for_branch(branch).order_by("start_date")
    first_meeting = Meeting.objects.for_branch(branch).order_by("held_on")
    return {
        "first_activity": Subquery(first_activity.values("start_date")[:1]),
        "first_meeting": Subquery(first_meeting.values("held_on")[:1]),
    }


def first_record_year(branch, campaigns) -> int | None:
    """The year of the branch's first record: its first campaign, activity or meeting.

    ``campaigns``: the branch's campaigns; as ``campaigns_with_records`` reads them, they carry
    the first activity's and meeting's days already, and no query is needed."""
    campaigns = list(campaigns)
    days = [campaign.start for campaign in campaigns]
    if campaigns and hasattr(campaigns[0], "first_activity"):
        firsts = (campaigns[0].first_activity, campaigns[0].first_meeting)
    else:  # the first activity and the first meeting, in one query
        firsts = (
            Branch.objects.filter(pk=branch.pk)
            .annotate(**_first_days(branch))
            .values_list("first_activity", "first_meeting")
            .first()
        )
    days += [day for day in firsts or () if day]
    return min(days).year if days else None


def campaigns_with_records(branch):
    """The branch's campaigns, the latest first, each with ``has_records``: an activity under
    its carriers or a pledge (what ``default_campaign`` chooses by); and, the same on each, the
    days of the branch's first activity and first meeting (for ``first_record_year``)."""
    return (
        Campaign.objects.for_branch(branch)
        .alias(
            has_activity=Exists(Activity.objects.filter(carrier__campaign=OuterRef("pk"))),
            has_pledge=Exists(Pledge.objects.filter(campaign=OuterRef("pk"))),
        )
        .annotate(has_records=Q(has_activity=True) | Q(has_pledge=True), **_first_days(branch))
        .order_by("-start", "-pk")
    )


def default_campaign(branch, today: datetime.date, campaigns=None) -> Campaign | None:
    """The campaign a page opens on when none is chosen.

    The campaign running today, once something has been recorded in it (an activity under its
    carriers or a pledge); until then the latest campaign that has records, so that a campaign
    just created does not hide the work of the last one; with no records anywhere, the
    campaign running today (or the latest).

    ``campaigns``: the branch's campaigns as ``campaigns_with_records`` gives them, when the
    caller has read them already.
    """
    if campaigns is None:
        campaigns = campaigns_with_records(branch)
    campaigns = [c for c in campaigns if c.start <= today]
    if not campaigns:
        return Campaign.objects.for_branch(branch).as_of(today)
    running = [c for c in campaigns if c.is_open_on(today)]
    if running and running[0].has_records:
        return running[0]
    with_records = [c for c in campaigns if c.has_records]
    return with_records[0] if with_records else (running or campaigns)[0]


# ---------------------------------------------------------------------------------------------
# Formatting a figure's value for the text.


def fmt_default(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return month_text(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value) or "—"
    return str(value)


def fmt_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{fmt_default(value)}%"


# ---------------------------------------------------------------------------------------------
# The registry.


def is_empty(value: Any) -> bool:
    """Zero, nothing or missing: a value no sentence may state as an achievement."""
    return value is None or value == 0 or value == "" or value == [] or value == ()


@dataclass(frozen=True)
class Figure:
    """One figure. ``if_empty``: the words printed when its value is zero or missing; ``None``
    (most figures): the sentence holding it is left out (or its 〔optional part〕, see
    ``reports.narrative``)."""

    name: str
    help: str
    compute: Callable[[Figures], Any]
    fmt: Callable[[Any], str] = fmt_default
    if_empty: str | None = None


@dataclass(frozen=True)
class FigureFamily:
    """One figure per carrier (健康促进举措数) or per year (2011年作业相关校级课题数).

    ``members(figures)`` gives (name, key) for every member valid in that report; ``compute``
    takes the key (the carrier, or the year) after the figures.
    """

    label: str
    help: str
    members: Callable[[Figures], list[tuple[str, Any]]]
    compute: Callable[[Figures, Any], Any]
    fmt: Callable[[Any], str] = fmt_default
    if_empty: str | None = None


FIGURES: dict[str, Figure] = {}
FAMILIES: list[FigureFamily] = []


def register(item: Figure) -> Figure:
    if item.name in FIGURES:
        raise ValueError(f"figure {item.name} registered twice")
    FIGURES[item.name] = item
    return item


def figure(
    name: str, help: str, fmt: Callable[[Any], str] = fmt_default, if_empty: str | None = None
):
    def decorator(compute):
        register(Figure(name, help, compute, fmt, if_empty))
        return compute

    return decorator


def _carriers(suffix: str):
    return lambda f: [(f"{carrier.name}{suffix}", carrier) for carrier in f.carriers]


def _years(base: str):
    return lambda f: [(f"{year}年{base}", year) for year in f.years]


def carrier_figure(suffix: str, help: str, fmt: Callable[[Any], str] = fmt_default):
    """A figure for each carrier of the campaign, named carrier name + ``suffix``."""

    def decorator(compute):
        FAMILIES.append(FigureFamily(f"〈载体〉{suffix}", help, _carriers(suffix), compute, fmt))
        return compute

    return decorator


def year_figure(base: str, help: str, fmt: Callable[[Any], str] = fmt_default):
    """A figure for each year of the campaign and the period, named “2011年” + ``base``."""

    def decorator(compute):
        FAMILIES.append(FigureFamily(f"〈年份〉年{base}", help, _years(base), compute, fmt))
        return compute

    return decorator


# Figures that name things (the branch, the period, the theme) rather than state a result: a
# sentence left with only these once its optional parts are dropped states nothing, and goes.
DESCRIPTIVE = {
    "党组织全称",
    "党组织简称",
    "上级党组织",
    "联系电话",
    "党组织负责人",
    "起始年月",
    "截止年月",
    "报告期间",
    "报告期称谓",
    "活动名称",
    "活动主题",
    "活动目标",
}


class UnknownFigure(KeyError):
    pass


class Figures:
    """The figures of one branch over one period, each computed on first use and then kept."""

    def __init__(self, branch, period: ReportPeriod):
        self.branch = branch
        self.period = period
        self.campaign = period.campaign
        self._memo: dict[str, Any] = {}

    @property
    def day(self) -> datetime.date:
        """The report date."""
        return self.period.end

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def carriers(self) -> list[Carrier]:
        return self.memo(
            "carriers",
            lambda: list(Carrier.objects.filter(campaign=self.campaign).order_by("order")),
        )

    @property
    def years(self) -> range:
        """The years of the campaign and of the period (the narrative is the campaign's)."""
        campaign_start, campaign_end = self.campaign.span(self.period.end)
        first = min(campaign_start.year, self.period.start.year)
        return range(first, max(campaign_end.year, self.period.end.year) + 1)

    def _members(self) -> dict[str, tuple[FigureFamily, Any]]:
        return self.memo(
            "family_members",
            lambda: {
                name: (family, key) for family in FAMILIES for name, key in family.members(self)
            },
        )

    def names(self) -> list[str]:
        """Every figure name valid for this report, in the registry's order."""
        return [*FIGURES, *self._members()]

    def catalogue(self) -> list[tuple[str, str]]:
        """(name, help) of every valid figure, for the editor's list of placeholders."""
        return [(name, item.help) for name, item in FIGURES.items()] + [
            (name, family.help) for name, (family, _key) in self._members().items()
        ]

    def value(self, name: str) -> Any:
        if name in FIGURES:
            return self.memo(f"figure:{name}", lambda: FIGURES[name].compute(self))
        if name in self._members():
            family, key = self._members()[name]
            return self.memo(f"figure:{name}", lambda: family.compute(self, key))
        raise UnknownFigure(name)

    def _definition(self, name: str) -> Figure | FigureFamily:
        if name in FIGURES:
            return FIGURES[name]
        if name in self._members():
            return self._members()[name][0]
        raise UnknownFigure(name)

    def is_empty(self, name: str) -> bool:
        """Zero or missing, with no words of its own for that case: its sentence is left out."""
        return is_empty(self.value(name)) and self._definition(name).if_empty is None

    def if_empty(self, name: str) -> str:
        """What happens to a sentence when the figure is zero or missing (for the editor)."""
        wording = self._definition(name).if_empty
        return f"写作“{wording}”" if wording is not None else "该句（或〔〕内的部分）略去"

    def text(self, name: str) -> str:
        value = self.value(name)
        definition = self._definition(name)
        if is_empty(value) and definition.if_empty is not None:
            return definition.if_empty
        return definition.fmt(value)

    def carrier_text(self, carrier: Carrier, suffix: str) -> tuple[str, str]:
        """(figure name, text) of the carrier figure ``suffix`` for ``carrier``."""
        name = f"{carrier.name}{suffix}"
        return name, self.text(name)


# ---------------------------------------------------------------------------------------------
# The branch and the period.


@figure("党组织全称", "党组织的全称，如“中共上海市田林第二中学支部委员会”")
def _branch_name(f: Figures):
    return f.branch.name


@figure("党组织简称", "党组织的简称，如“田林二中党支部”")
def _branch_short_name(f: Figures):
    return f.branch.short_name


@figure("上级党组织", "上级党委的简称")
def _committee(f: Figures):
    committee = f.branch.committee
    return committee.short_name or committee.name


@figure("联系电话", "党组织的联系电话", if_empty="—")
def _phone(f: Figures):
    return f.branch.contact_phone or None


@figure("党组织负责人", "报告日的支部书记", if_empty="（空缺）")
def _secretary(f: Figures):
    person = f.branch.secretary_on(f.day)
    return person.name if person else None


@figure("起始年月", "报告期内工作的实际开始月份，如“2010年6月”（活动年中开始时为开始月份）")
def _start(f: Figures):
    return f.period.text_start


@figure("截止年月", "报告期内工作的实际结束月份，如“2012年9月”")
def _end(f: Figures):
    return f.period.text_end


@figure("报告期间", "如“2010年6月至2012年9月”；报告期延续到今天时为“2026年3月至今”")
def _span_text(f: Figures):
    start, end = month_text(f.period.text_start), month_text(f.period.text_end)
    if f.period.runs_to(timezone.localdate()):
        return f"{start}至今"
    if start == end:
        return start
    if f.period.text_start.year == f.period.text_end.year:
        return f"{start}至{f.period.text_end.month}月"
    return f"{start}至{end}"


@figure("报告期称谓", "年度报告为“2011年”，活动全程为“活动期间”")
def _period_word(f: Figures):
    return f"{f.period.year}年" if f.period.year else "活动期间"


@figure("活动名称", "创先争优活动的名称")
def _campaign_name(f: Figures):
    return f.campaign.name


@figure("活动主题", "活动的主题（活动设置中填写）")
def _theme(f: Figures):
    return f.campaign.theme or None


@figure("活动目标", "活动的目标（活动设置中填写）")
def _goals(f: Figures):
    return f.campaign.goals or None


# ---------------------------------------------------------------------------------------------
# Members and staff.


@figure("党员人数", "报告日的党员人数（预备党员和正式党员）")
def _members(f: Figures):
    return Person.objects.for_branch(f.branch).members_on(f.day).count()


@figure("发展党员数", "报告期内发展入党的人数")
def _admitted(f: Figures):
    return (
        Membership.objects.for_branch(f.branch)
        .joined_during(f.period.start, f.period.end)
        .filter(joined_how=Membership.Joined.ADMITTED)
        .count()
    )


@figure("调出党员数", "报告期内调出的党员人数")
def _transferred_out(f: Figures):
    return (
        Membership.objects.for_branch(f.branch)
        .left_during(f.period.start, f.period.end)
        .filter(left_how=Membership.Left.TRANSFERRED_OUT)
        .count()
    )


def _share(f: Figures, which: str) -> dict:
    """The member share of the key teachers (``key``) or the senior cadres (``cadre``) on
    staff on the report date; both are read in one query."""
    shares = f.memo(
        "shares",
        lambda: (
            Person.objects.for_branch(f.branch)
            .on_staff(f.day)
            .member_shares(
                f.day, key=PersonQuerySet.KEY_TEACHERS, cadre=PersonQuerySet.SENIOR_CADRES
            )
        ),
    )
    return shares[which]


@figure("骨干教师人数", "报告日在岗的骨干教师人数")
def _key_teachers(f: Figures):
    return _share(f, "key")["total"]


@figure("骨干教师党员人数", "报告日在岗的骨干教师中的党员人数")
def _key_teacher_members(f: Figures):
    return _share(f, "key")["members"]


@figure("骨干教师党员比例", "骨干教师中党员所占的百分比（保留一位小数）", fmt_percent)
def _key_teacher_share(f: Figures):
    return _share(f, "key")["percent"]


@figure("两长以上干部人数", "报告日在岗的两长以上干部人数")
def _cadres(f: Figures):
    return _share(f, "cadre")["total"]


@figure("两长以上干部党员人数", "报告日在岗的两长以上干部中的党员人数")
def _cadre_members(f: Figures):
    return _share(f, "cadre")["members"]


@figure("两长以上干部党员比例", "两长以上干部中党员所占的百分比（保留一位小数）", fmt_percent)
def _cadre_share(f: Figures):
    return _share(f, "cadre")["percent"]


# ---------------------------------------------------------------------------------------------
# The leading group, as it changed over the period.


def _leading_roles(f: Figures) -> list[LeadingGroupRole]:
    return f.memo(
        "leading_roles",
        lambda: list(
            LeadingGroupRole.objects.filter(campaign=f.campaign)
            .during(f.period.start, f.period.end)
            .select_related("person")
            .annotate(  # whether the holder was transferred out on or after the role's start
                left_after_start=Exists(
                    Membership.objects.filter(
                        person=OuterRef("person"),
                        left_how=Membership.Left.TRANSFERRED_OUT,
                        end__gte=OuterRef("start"),
                    )
                )
            )
            .order_by("order", "start", "pk")
        ),
    )


def _holders(roles: list[LeadingGroupRole]) -> str | None:
    """“何耀华（2010年9月起为王卫珍）”: the first holder, then who followed and when."""
    if not roles:
        return None
    roles = sorted(roles, key=lambda role: (role.start, role.pk))
    later = [f"{month_text(role.start)}起为{role.person.name}" for role in roles[1:]]
    return roles[0].person.name + (f"（{'，'.join(later)}）" if later else "")


def _successions(roles: list[LeadingGroupRole]) -> list[str]:
    """Members in order; one who was replaced reads “郭玮（调出后由赵淑贤接任）”."""
    by_pk = {role.pk: role for role in roles}
    successor = {role.predecessor_id: role for role in roles if role.predecessor_id in by_pk}
    names = []
    for role in roles:
        if role.predecessor_id in by_pk:
            continue  # shown after the one it replaced
        text, current = role.person.name, role
        while current.pk in successor:
            after = successor[current.pk]
            how = "调出后" if current.left_after_start else f"{month_text(after.start)}起"
            text += f"（{how}由{after.person.name}接任）"
            current = after
        names.append(text)
    return names


@figure("领导小组组长", "领导小组组长及其更替，如“何耀华（2010年9月起为王卫珍）”")
def _leaders(f: Figures):
    return _holders([r for r in _leading_roles(f) if r.role == LeadingGroupRole.Role.LEADER])


@figure("领导小组副组长", "领导小组副组长（有更替时注明接任）")
def _deputies(f: Figures):
    roles = [r for r in _leading_roles(f) if r.role == LeadingGroupRole.Role.DEPUTY]
    return _successions(roles) or None


@figure("领导小组组员", "领导小组组员，有更替时注明接任，如“郭玮（调出后由赵淑贤接任）”")
def _group_members(f: Figures):
    roles = [r for r in _leading_roles(f) if r.role == LeadingGroupRole.Role.MEMBER]
    return _successions(roles) or None


# ---------------------------------------------------------------------------------------------
# Pledges, activities, meetings, research.


@figure("承诺签订人数", "报告期内签订承诺书的党员人数")
def _signers(f: Figures):
    return (
        Pledge.objects.for_branch(f.branch)
        .signed_between(f.period.start, f.period.end)
        .signers_count()
    )


def signing_rate(f: Figures):
    """The branch's 签订率 over the period: ``Pledge.objects.signing_by_branch`` (docs/reports.md)."""

    def compute():
        rates = Pledge.objects.for_branch(f.branch).signing_by_branch(
            Person.objects.for_branch(f.branch), f.period.start, f.period.end
        )
        return rates.get(f.branch.pk) or SigningRate()

    return f.memo("signing_rate", compute)


@figure("期内党员人数", "报告期内任一天在册的党员人数（签订率的分母）")
def _members_during(f: Figures):
    return signing_rate(f).members


@figure("已签订承诺党员人数", "期内党员中，报告日前签订了期内活动承诺书的人数（签订率的分子）")
def _signed_members(f: Figures):
    return signing_rate(f).signers


@figure("承诺签订率", "已签订承诺党员人数 ÷ 期内党员人数（保留一位小数）", fmt_percent)
def _signing_percent(f: Figures):
    return signing_rate(f).percent


@figure("活动总数", "报告期内记录的活动次数")
def _activities(f: Figures):
    return Activity.objects.for_branch(f.branch).between(f.period.start, f.period.end).count()


def _meeting_totals(f: Figures) -> dict:
    """The period's meetings and their attendance rate, in one query."""
    return f.memo(
        "meeting_totals",
        lambda: (
            Meeting.objects.for_branch(f.branch)
            .between(f.period.start, f.period.end)
            .attendance_totals()
        ),
    )


@figure("组织生活次数", "报告期内召开的会议次数（三会一课等）")
def _meetings(f: Figures):
    return _meeting_totals(f)["meetings"]


@figure("组织生活出勤率", "报告期内会议的出席率", fmt_percent)
def _attendance(f: Figures):
    return _meeting_totals(f)["rate"]


def _school_topics(f: Figures):
    return ResearchTopic.objects.for_branch(f.branch).at_level(ResearchTopic.Level.SCHOOL)


@figure("校级课题数", "报告期各年度申报的校级课题数")
def _school_topic_count(f: Figures):
    return _school_topics(f).declared_during(f.period.start, f.period.end).count()


@figure("作业相关校级课题数", "报告期各年度申报的、研究主题为“作业”的校级课题数")
def _homework_topics(f: Figures):
    return _school_topics(f).declared_during(f.period.start, f.period.end).on_theme("作业").count()


@year_figure("校级课题数", "该年度申报的校级课题数")
def _school_topics_in(f: Figures, year: int):
    return _school_topics(f).declared_in(year).count()


@year_figure("作业相关校级课题数", "该年度申报的、研究主题为“作业”的校级课题数")
def _homework_topics_in(f: Figures, year: int):
    return _school_topics(f).declared_in(year).on_theme("作业").count()


# ---------------------------------------------------------------------------------------------
# Honors.


def honors_by_level(f: Figures) -> tuple[dict[str, int], dict[str, int]]:
    """The period's honors per level: all of them, and the 先进典型 among them (one query)."""
    return f.memo(
        "honors_by_level",
        lambda: (
            Honor.objects.for_branch(f.branch)
            .between(f.period.start, f.period.end)
            .count_by_level_and_typical()
        ),
    )


def _typical_by_level(f: Figures) -> dict[str, int]:
    return honors_by_level(f)[1]


for _level in Level:
    register(
        Figure(
            f"先进典型·{_level.label}",
            f"报告期内选树的{_level.label}先进典型人数",
            lambda f, level=_level.value: _typical_by_level(f)[level],
        )
    )


@figure("先进典型总数", "报告期内选树的先进典型人数（各级合计）")
def _typical_total(f: Figures):
    return sum(_typical_by_level(f).values())


@figure("集体荣誉", "报告期内学校和党支部获得的荣誉称号，由国家级到校级、按时间先后，以顿号连接")
def _organisation_honors(f: Figures):
    honors = (
        Honor.objects.for_branch(f.branch)
        .to_organisation()
        .between(f.period.start, f.period.end)
        .order_by("awarded_on", "pk")
        .values_list("title", "level")
    )
    rank = {level: index for index, level in enumerate(Level.values)}
    return [title for title, level in sorted(honors, key=lambda honor: rank[honor[1]])]


# ---------------------------------------------------------------------------------------------
# Mechanisms, featured work and the rating.


def _mechanisms_by_category(f: Figures) -> dict[str, int]:
    return f.memo(
        "mechanisms_by_category",
        lambda: Mechanism.objects.for_branch(f.branch).in_force_on(f.day).count_by_category(),
    )


for _category in Category:
    register(
        Figure(
            f"制度数·{_category.label}",
            f"报告日有效的{_category.label}相关制度数",
            lambda f, category=_category.value: _mechanisms_by_category(f)[category],
        )
    )


@figure("制度总数", "报告日有效的制度数（五类合计）")
def _mechanism_total(f: Figures):
    return sum(_mechanisms_by_category(f).values())


@figure("新建制度名称", "本次活动中新建的制度名称，以顿号连接")
def _new_mechanisms(f: Figures):
    return list(
        Mechanism.objects.for_branch(f.branch)
        .new_in(f.campaign)
        .order_by("established_on", "pk")
        .values_list("name", flat=True)
    )


@figure("新建制度数", "本次活动中新建的制度数")
def _new_mechanism_count(f: Figures):
    return len(f.value("新建制度名称"))


@figure("党建特色工作", "党建特色工作，按序号排列")
def _featured_work(f: Figures):
    return list(f.branch.featured_works.order_by("order").values_list("text", flat=True))


def _rating(f: Figures):
    return f.memo("rating", lambda: f.branch.latest_rating(on=f.day))


@figure("分类定级", "报告日前最近一次分类定级的等次，如“较好”", if_empty="尚未定级")
def _rating_value(f: Figures):
    rating = _rating(f)
    return rating.get_rating_display() if rating else None


@figure("分类定级时间", "最近一次分类定级的年月，如“2012年4月”")
def _rating_date(f: Figures):
    rating = _rating(f)
    return rating.rated_on if rating else None


@figure("分类定级工作", "最近一次分类定级所在的工作，如“教育系统基层党组织分类定级工作”")
def _rating_occasion(f: Figures):
    rating = _rating(f)
    if rating is None:
        return None
    return rating.occasion or "基层党组织分类定级工作"


# ---------------------------------------------------------------------------------------------
# Per carrier.


def _activities_by_carrier(f: Figures) -> dict[str, int]:
    return f.memo(
        "activities_by_carrier",
        lambda: (
            Activity.objects.for_branch(f.branch)
            .between(f.period.start, f.period.end)
            .filter(carrier__campaign=f.campaign)
            .count_by_carrier()
        ),
    )


def _measures_by_carrier(f: Figures) -> dict[int, dict]:
    return f.memo(
        "measures_by_carrier",
        lambda: Measure.objects.filter(carrier__campaign=f.campaign).progress_by_carrier(on=f.day),
    )


@carrier_figure("活动数", "报告期内该载体下记录的活动次数")
def _carrier_activities(f: Figures, carrier: Carrier):
    return _activities_by_carrier(f).get(carrier.name, 0)


@carrier_figure("举措数", "该载体的举措数")
def _carrier_measures(f: Figures, carrier: Carrier):
    return _measures_by_carrier(f).get(carrier.pk, {}).get("total", 0)


@carrier_figure("举措完成数", "该载体到报告日已完成的举措数")
def _carrier_measures_done(f: Figures, carrier: Carrier):
    return _measures_by_carrier(f).get(carrier.pk, {}).get("completed", 0)


@carrier_figure("长效举措数", "该载体已建立长效机制的举措数")
def _carrier_measures_long_term(f: Figures, carrier: Carrier):
    return _measures_by_carrier(f).get(carrier.pk, {}).get("long_term", 0)


# 党费 (dues.ledger, the one home of these sums).


def _dues(f: Figures) -> dict:
    return f.memo("dues", lambda: period_figures(f.branch, f.period.start, f.period.end))


@figure("应交党费", "报告期内各月应交党费合计（元）")
def _dues_due(f: Figures):
    return _dues(f)["due"]


@figure("实交党费", "报告期内交纳的党费合计（元）")
def _dues_paid(f: Figures):
    return _dues(f)["paid"]


@figure("欠交党费", "报告期末已结束各月尚未交足的党费（元）")
def _dues_owed(f: Figures):
    return _dues(f)["owed"]


@figure("欠交党费人数", "报告期末有欠交党费月份的党员人数")
def _dues_owing(f: Figures):
    return _dues(f)["members_owing"]
