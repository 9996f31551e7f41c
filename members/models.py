"""The organisation and its people: committees, branches, staff, memberships, groups, ratings,
and the campaign frame (campaigns, their carriers and leading groups) every domain app hangs on.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.periods import Period, PeriodQuerySet
from common.validators import NotInFuture, validate_phone, validate_sensible_date

from .freshness import now_version
from .scoping import BranchScopedQuerySet


class Committee(models.Model):
    """上级党委: the body that oversees many branches (e.g. 徐汇区教育党工委)."""

    # Every branch of the committee (members.scoping.COMMITTEE_PATH), not one.
    branch_path = "branches"

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)

    class Meta:
        verbose_name = "上级党委"
        verbose_name_plural = "上级党委"
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class Branch(models.Model):
    """党支部: everything in the portal belongs to exactly one branch."""

    branch_path = ""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="branches", verbose_name="上级党委"
    )
    name = models.CharField("党组织全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50)
    unit_name = models.CharField("所在单位", max_length=100, blank=True)
    contact_phone = models.CharField(
        "联系电话", max_length=30, blank=True, validators=[validate_phone]
    )
    # When any record of the branch last changed (microseconds since the epoch): part of the key
    # of every cached page fragment of the branch, so a change makes them all stale at once. Set
    # by ``members.freshness.touch_branches`` (after commit), never by ``save()`` (see below).
    data_version = models.BigIntegerField("数据版本", default=now_version, editable=False)

    class Meta:
        verbose_name = "党支部"
        verbose_name_plural = "党支部"
        ordering = ["committee", "short_name"]

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        # An edit writes the fields the form changed, never ``data_version``: a copy loaded before
        # a concurrent change would otherwise put an older version back (and its cached pages).
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "data_version"
            ]
        super().save(*args, **kwargs)

    def secretary_on(self, day: datetime.date) -> Person | None:
        post = (
            BranchPost.objects.filter(person__branch=self, role=BranchPost.Role.SECRETARY)
            .on(day)
            .select_related("person")
            .order_by("-start")
            .first()
        )
        return post.person if post else None

    def latest_rating(self, on: datetime.date | None = None) -> BranchRating | None:
        ratings = self.ratings.all()
        if on is not None:
            ratings = ratings.filter(rated_on__lte=on)
        return ratings.order_by("-rated_on").first()


class PoliticalStatus(models.TextChoices):
    MASSES = "masses", "群众"
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


MEMBER_STATUSES = (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL)


def ratio(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


class PersonQuerySet(BranchScopedQuerySet):
    def on_staff(self, day: datetime.date):
        """Staff of the unit on ``day``: arrived by then and not yet left."""
        return self.filter(
            Q(staff_since__isnull=True) | Q(staff_since__lte=day),
            Q(staff_until__isnull=True) | Q(staff_until__gte=day),
        )

    @staticmethod
    def member_on(day: datetime.date) -> models.Exists:
        """The condition of ``members_on``, for a filter or a conditional count."""
        return models.Exists(Membership.objects.filter(person=models.OuterRef("pk")).on(day))

    def members_on(self, day: datetime.date):
        """People with a party membership in their branch on ``day``."""
        return self.filter(self.member_on(day))

    def members_during(self, start: datetime.date, end: datetime.date):
        """People with a party membership in their branch on at least one day of the period."""
        memberships = Membership.objects.filter(person=models.OuterRef("pk"))
        return self.filter(models.Exists(memberships.during(start, end)))

    def former_members_on(self, day: datetime.date):
        """People whose membership of their branch ended before ``day`` and was not renewed."""
        ended = Membership.objects.filter(person=models.OuterRef("pk"), end__lt=day)
        return self.filter(models.Exists(ended)).exclude(
            models.Exists(Membership.objects.filter(person=models.OuterRef("pk")).on(day))
        )

    def in_party_group_on(self, group, day: datetime.date):
        places = PartyGroupMembership.objects.filter(group=group, person=models.OuterRef("pk"))
        return self.filter(models.Exists(places.on(day)))

    def holding_post_on(self, role: str, day: datetime.date):
        posts = BranchPost.objects.filter(role=role, person=models.OuterRef("pk"))
        return self.filter(models.Exists(posts.on(day)))

    def with_roster_facts(self, day: datetime.date):
        """Annotate each person's party group, membership start and branch post on ``day``.

        One query for the whole list, however many rows: ``group_name``, ``member_since`` and
        ``member_joined_how`` (their membership on ``day``), ``member_until`` (their latest
        membership's end, when it has ended) and ``post_role``.
        """
        group = PartyGroupMembership.objects.filter(person=models.OuterRef("pk")).on(day)
        membership = Membership.objects.filter(person=models.OuterRef("pk")).on(day)
        latest = Membership.objects.filter(person=models.OuterRef("pk")).order_by("-start")
        post = BranchPost.objects.filter(person=models.OuterRef("pk")).on(day).order_by("start")
        return self.annotate(
            group_name=models.Subquery(group.values("group__name")[:1]),
            member_since=models.Subquery(membership.values("start")[:1]),
            member_joined_how=models.Subquery(membership.values("joined_how")[:1]),
            member_until=models.Subquery(latest.values("end")[:1]),
            post_role=models.Subquery(post.values("role")[:1]),
        )

    KEY_TEACHERS = Q(is_key_teacher=True)
    SENIOR_CADRES = Q(is_senior_cadre=True)

    def key_teachers(self):
        return self.filter(self.KEY_TEACHERS)

    def senior_cadres(self):
        return self.filter(self.SENIOR_CADRES)

    def member_share(self, day: datetime.date) -> dict:
        """How many of these people are party members on ``day``: {"members", "total", "percent"}."""
        return self.member_shares(day, everyone=Q())["everyone"]

    def member_shares(self, day: datetime.date, **groups: Q) -> dict[str, dict]:
        """``member_share`` of each group of these people (``KEY_TEACHERS`` …), in one query:
        {name: {"members", "total", "percent"}}."""
        member = self.member_on(day)
        counts = {}
        for name, group in groups.items():
            counts[f"{name}_total"] = models.Count("pk", filter=group or None)
            counts[f"{name}_members"] = models.Count(
                "pk", filter=group & member if group else member
            )
        found = self.aggregate(**counts)
        shares = {}
        for name in groups:
            total, members = found[f"{name}_total"], found[f"{name}_members"]
            shares[name] = {"members": members, "total": total, "percent": ratio(members, total)}
        return shares


class Person(models.Model):
    """教职工: a member of staff of the branch's unit, party member or not."""

    branch_path = "branch"

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="people", verbose_name="党支部"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="登录账号",
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(
        "出生日期",
        null=True,
        blank=True,
        validators=[validate_sensible_date, NotInFuture("出生日期")],
    )
    phone = models.CharField("联系电话", max_length=30, blank=True, validators=[validate_phone])
    post = models.CharField("岗位/职务", max_length=100, blank=True)
    is_key_teacher = models.BooleanField("骨干教师", default=False)
    is_senior_cadre = models.BooleanField("两长以上干部", default=False)
    political_status = models.CharField(
        "政治面貌", max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    staff_since = models.DateField(
        "到校日期", null=True, blank=True, validators=[validate_sensible_date]
    )
    staff_until = models.DateField(
        "离校日期", null=True, blank=True, validators=[validate_sensible_date]
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "教职工"
        verbose_name_plural = "教职工"
        ordering = ["branch", "name"]
        indexes = [models.Index(fields=["branch", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_until__isnull=True)
                | Q(staff_since__isnull=True)
                | Q(staff_until__gte=models.F("staff_since")),
                name="members_person_staff_until_after_since",
                violation_error_message="离校日期不能早于到校日期。",
            ),
            models.CheckConstraint(
                condition=Q(political_status__in=PoliticalStatus.values),
                name="members_person_political_status_valid",
                violation_error_message="政治面貌不在允许的取值之内。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_member(self) -> bool:
        return self.political_status in MEMBER_STATUSES

    def membership_on(self, day: datetime.date) -> Membership | None:
        return self.memberships.on(day).first()

    @property
    def masked_phone(self) -> str:
        """The phone as shown to those who may not read it: the first 3 and last 2 digits."""
        phone = self.phone or ""
        if len(phone) <= 5:
            return "*" * len(phone)
        return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]

    @property
    def masked_birth_date(self) -> str:
        return "****-**-**" if self.birth_date else ""


class StatusStage(Period):
    """One stage of a person's political status (入党申请人 from …, 预备党员 from …)."""

    branch_path = "person__branch"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="status_stages", verbose_name="教职工"
    )
    status = models.CharField("政治面貌", max_length=20, choices=PoliticalStatus.choices)

    history = HistoricalRecords()

    class Meta(Period.Meta):
        verbose_name = "政治面貌阶段"
        verbose_name_plural = "政治面貌阶段"
        ordering = ["person", "start"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end__isnull=True),
                name="members_statusstage_one_current_per_person",
                violation_error_message="此人已有一个尚未结束的政治面貌阶段。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PoliticalStatus.values),
                name="members_statusstage_status_valid",
                violation_error_message="政治面貌不在允许的取值之内。",
            ),
        ]

    def __str__(self):
        return f"{self.person}：{self.get_status_display()}（{self.start}起）"


class MembershipQuerySet(BranchScopedQuerySet, PeriodQuerySet):
    def joined_during(self, start: datetime.date, end: datetime.date):
        return self.filter(start__range=(start, end))

    def left_during(self, start: datetime.date, end: datetime.date):
        return self.filter(end__range=(start, end))


class Membership(Period):
    """党员: a person's membership of their branch from ``start`` to ``end`` (inclusive)."""

    branch_path = "person__branch"

    class Joined(models.TextChoices):
        ADMITTED = "admitted", "发展入党"
        TRANSFERRED_IN = "transferred_in", "调入"

    class Left(models.TextChoices):
        TRANSFERRED_OUT = "transferred_out", "调出"
        RETIRED = "retired", "退休转出"
        DECEASED = "deceased", "去世"
        OTHER = "other", "其他"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name="教职工"
    )
    joined_how = models.CharField(
        "加入方式", max_length=20, choices=Joined.choices, default=Joined.TRANSFERRED_IN
    )
    left_how = models.CharField("离开方式", max_length=20, choices=Left.choices, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Period.Meta):
        verbose_name = "党员关系"
        verbose_name_plural = "党员关系"
        ordering = ["person", "start"]
        indexes = [models.Index(fields=["start", "end"])]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end__isnull=True),
                name="members_membership_one_active_per_person",
                violation_error_message="此人已有一条尚未结束的党员关系。",
            ),
            models.CheckConstraint(
                condition=(Q(end__isnull=True) & Q(left_how=""))
                | (Q(end__isnull=False) & ~Q(left_how="")),
                name="members_membership_left_how_with_end",
                violation_error_message="结束党员关系时须注明离开方式，尚未结束时不填。",
            ),
        ]

    def __str__(self):
        until = self.end or "至今"
        return f"{self.person}（{self.start} — {until}）"

    def clean(self):
        super().clean()
        if self.person_id and self.start and self.overlaps(self.person.memberships.all()):
            raise ValidationError("此人的党员关系在这段时间内已有记录，时间不能重叠。")


class PartyGroup(models.Model):
    """党小组: this branch builds its groups on the grade groups (党小组建在年级组)."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="party_groups", verbose_name="党支部"
    )
    name = models.CharField("名称", max_length=50)
    based_on = models.CharField("依托", max_length=50, blank=True, help_text="如：初一年级组")
    leader = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_party_groups",
        verbose_name="党小组长",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "党小组"
        verbose_name_plural = "党小组"
        ordering = ["branch", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "name"],
                name="members_partygroup_unique_name",
                violation_error_message="本支部已有同名党小组。",
            )
        ]

    def __str__(self):
        return self.name


class PartyGroupMembership(Period):
    branch_path = "group__branch"

    group = models.ForeignKey(
        PartyGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name="党小组"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="party_group_memberships",
        verbose_name="党员",
    )

    objects = PeriodQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta(Period.Meta):
        verbose_name = "党小组成员"
        verbose_name_plural = "党小组成员"
        ordering = ["group", "start"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end__isnull=True),
                name="members_partygroupmembership_one_current_per_person",
                violation_error_message="此人当前已在一个党小组中。",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.group}"

    def clean(self):
        super().clean()
        if self.group_id and self.person_id and self.group.branch_id != self.person.branch_id:
            raise ValidationError("党小组与党员须属于同一个党支部。")


class BranchPostRole(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    ORGANISATION = "organisation", "组织委员"
    PUBLICITY = "publicity", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    COMMITTEE = "committee", "支部委员"


class BranchPost(Period):
    """A post on the branch committee (支部委员会), e.g. the secretary, over a date range."""

    branch_path = "person__branch"

    Role = BranchPostRole

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="branch_posts", verbose_name="党员"
    )
    role = models.CharField("职务", max_length=20, choices=Role.choices)

    objects = PeriodQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta(Period.Meta):
        verbose_name = "支委职务"
        verbose_name_plural = "支委职务"
        ordering = ["start"]
        constraints = [
            *Period.Meta.constraints,
            models.CheckConstraint(
                condition=Q(role__in=BranchPostRole.values),
                name="members_branchpost_role_valid",
                violation_error_message="职务不在允许的取值之内。",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}：{self.person}"


class BranchRatingGrade(models.TextChoices):
    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "较差"


class BranchRating(models.Model):
    """分类定级: a dated rating of the branch by its committee."""

    branch_path = "branch"

    Rating = BranchRatingGrade

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="ratings", verbose_name="党支部"
    )
    rated_on = models.DateField("定级日期", validators=[validate_sensible_date])
    rating = models.CharField("等次", max_length=20, choices=Rating.choices)
    rated_by = models.CharField("评定单位", max_length=100, blank=True)
    occasion = models.CharField(
        "定级工作", max_length=100, blank=True, help_text="如：教育系统基层党组织分类定级工作"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "分类定级"
        verbose_name_plural = "分类定级"
        ordering = ["branch", "-rated_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__in=BranchRatingGrade.values),
                name="members_branchrating_rating_valid",
                violation_error_message="等次只能是“好”“较好”“一般”“较差”之一。",
            ),
            models.UniqueConstraint(
                fields=["branch", "rated_on"],
                name="members_branchrating_one_per_day",
                violation_error_message="同一天只能有一次分类定级。",
            ),
        ]

    def __str__(self):
        return f"{self.branch} {self.rated_on:%Y-%m}：{self.get_rating_display()}"


class RoleAssignment(models.Model):
    """Which branch (or committee) a login account works for, and in which role."""

    branch_path = "branch"

    class Role(models.TextChoices):
        SECRETARY = "secretary", "书记/支委"
        STAFF = "staff", "工作人员"
        MEMBER = "member", "党员"
        COMMITTEE = "committee", "上级党委"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name="账号",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="党支部",
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="上级党委",
    )

    class Meta:
        verbose_name = "账号角色"
        verbose_name_plural = "账号角色"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="committee") & Q(committee__isnull=False) & Q(branch__isnull=True)
                )
                | (~Q(role="committee") & Q(branch__isnull=False) & Q(committee__isnull=True)),
                name="members_roleassignment_scope_matches_role",
                violation_error_message="上级党委角色须指定上级党委，其他角色须指定党支部。",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "branch", "committee"],
                name="members_roleassignment_unique",
                violation_error_message="该账号已有此角色。",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.branch or self.committee}"


# The campaign frame. It lived in ``activities`` until the apps were layered; its tables, and
# the names of its constraints, keep the ``activities_`` prefix they were created with.


class CampaignQuerySet(BranchScopedQuerySet):
    def as_of(self, day: datetime.date) -> Campaign | None:
        """The campaign running on ``day``, else the latest one started by then, else the first.

        One query: the three choices are ranked in its ORDER BY (the latest first among those
        started, the earliest first among the others)."""
        started = Q(start__lte=day)
        running = started & (Q(end__isnull=True) | Q(end__gte=day))
        return (
            self.alias(
                as_of_rank=Case(When(running, then=0), When(started, then=1), default=2),
                started_on=Case(When(started, then=F("start"))),
                started_pk=Case(When(started, then=F("pk"))),
            )
            .order_by(
                "as_of_rank",
                F("started_on").desc(nulls_last=True),
                F("started_pk").desc(nulls_last=True),
                "start",
                "pk",
            )
            .first()
        )


class Campaign(models.Model):
    """创先争优活动: a dated programme with theme, goals, plan and its carriers."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="campaigns", verbose_name="党支部"
    )
    name = models.CharField("活动名称", max_length=100)
    theme = models.TextField("主题", blank=True)
    goals = models.TextField("目标", blank=True)
    plan = models.TextField("实施方案", blank=True)
    start = models.DateField("开始日期", validators=[validate_sensible_date])
    end = models.DateField("结束日期", null=True, blank=True, validators=[validate_sensible_date])

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "创先争优活动"
        verbose_name_plural = "创先争优活动"
        db_table = "activities_campaign"
        ordering = ["branch", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="activities_campaign_end_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            ),
            models.UniqueConstraint(
                fields=["branch", "name", "start"],
                name="activities_campaign_unique",
                violation_error_message="本支部已有同名同期的活动。",
            ),
        ]

    def __str__(self):
        return f"{self.branch} {self.name}（{self.start:%Y年%m月}起）"

    def span(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        """First and last day of the campaign; an open one runs to ``today``."""
        return self.start, self.end or today or timezone.localdate()

    def is_open_on(self, day: datetime.date) -> bool:
        """Whether the campaign runs on ``day`` (started, and not closed before it)."""
        return self.start <= day and (self.end is None or self.end >= day)

    def status_on(self, day: datetime.date) -> str:
        if day < self.start:
            return "未开始"
        return "进行中" if self.end is None or self.end >= day else "已结束"


class LeadingGroupPost(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "组员"


class LeadingGroupRole(Period):
    """A role in a campaign's leading group (领导小组), held by a person over a date range."""

    branch_path = "campaign__branch"

    Role = LeadingGroupPost

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="leading_roles", verbose_name="活动"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="leading_roles", verbose_name="人员"
    )
    role = models.CharField("职务", max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name="接替",
    )

    objects = PeriodQuerySet.as_manager()

    class Meta(Period.Meta):
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"
        db_table = "activities_leadinggrouprole"
        ordering = ["campaign", "order", "start"]
        constraints = [
            # Period's own check, spelled out: its name would follow the app label to members_….
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="activities_leadinggrouprole_end_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=Q(role__in=LeadingGroupPost.values),
                name="activities_leadinggrouprole_role_valid",
                violation_error_message="职务只能是组长、副组长或组员。",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}：{self.person}"

    def clean(self):
        super().clean()
        if self.campaign_id and self.person_id and self.campaign.branch_id != self.person.branch_id:
            raise ValidationError("领导小组成员须是本支部的教职工。")
        if self.role == self.Role.LEADER and self.campaign_id and self.start:
            leaders = LeadingGroupRole.objects.filter(campaign=self.campaign, role=self.Role.LEADER)
            if self.overlaps(leaders):
                raise ValidationError("同一时间只能有一位组长。")


class Carrier(models.Model):
    """载体 / 行动: one of a campaign's themed lines of action, in the campaign's order."""

    branch_path = "campaign__branch"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="carriers", verbose_name="活动"
    )
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("载体", max_length=30, help_text="如：公开承诺")
    aim = models.CharField("目标短语", max_length=50, help_text="如：树立党员形象")
    narrative = models.TextField("工作叙述", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "载体"
        verbose_name_plural = "载体"
        db_table = "activities_carrier"
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "order"],
                name="activities_carrier_unique_order",
                violation_error_message="同一活动中载体序号不能重复。",
            ),
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="activities_carrier_unique_name",
                violation_error_message="同一活动中已有同名载体。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def heading(self) -> str:
        return f"以“{self.name}”为载体，{self.aim}谱写新篇"


class Attempt(models.Model):
    """One counted try at something limited (a wrong signing password, a public comment, a wrong
    old password), kept in the database so the limit holds across every worker and server
    (``members/throttle.py``)."""

    branch_path = None
    judges_branches = False

    scope = models.CharField("范围", max_length=30)
    who = models.CharField("对象", max_length=200)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "尝试记录"
        verbose_name_plural = "尝试记录"
        indexes = [models.Index(fields=["scope", "who", "at"], name="attempt_scope_who_at")]

    def __str__(self):
        return f"{self.scope} {self.who} {self.at:%Y-%m-%d %H:%M}"
