"""The work done under a campaign (``members.Campaign``): activities, measures, meetings, topics."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from simple_history.models import HistoricalRecords

from common.files import RandomName
from common.validators import NotInFuture, validate_sensible_date
from members.models import (
    Branch,
    BranchPost,
    Carrier,
    Membership,
    PartyGroupMembership,
    Person,
    ratio,
)
from members.orglife import MeetingKind, MeetingStatus
from members.scoping import BranchScopedQuerySet


class ActivityQuerySet(BranchScopedQuerySet):
    def between(self, start: datetime.date, end: datetime.date):
        return self.filter(start_date__range=(start, end))

    def count_by_carrier(self) -> dict[str, int]:
        rows = self.values("carrier__name").annotate(n=Count("pk")).order_by()
        return {row["carrier__name"] or "其他": row["n"] for row in rows}

    def count_by_carrier_and_month(self) -> list[tuple[str, datetime.date, int]]:
        """(carrier name, first day of the month, activities started that month), by month."""
        rows = (
            self.annotate(month=TruncMonth("start_date"))
            .values_list("carrier__name", "month")
            .annotate(n=Count("pk"))
            .order_by("month", "carrier__name")
        )
        return [(name or "其他", month, n) for name, month, n in rows]

    def search(self, text: str):
        """Activities whose title, place, description or outcome contains ``text``."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text)
            | Q(place__icontains=text)
            | Q(description__icontains=text)
            | Q(outcome__icontains=text)
        )

    def with_participant_totals(self):
        """Annotates ``participant_count`` and ``hours_total`` (None when no hours recorded).

        Correlated subqueries rather than a join with GROUP BY: a paginated list computes them
        for the rows of its page only, and counting the list needs no aggregate (issue 6).
        """
        rows = ActivityParticipant.objects.filter(activity=OuterRef("pk")).order_by()
        rows = rows.values("activity")
        return self.annotate(
            participant_count=Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0),
            hours_total=Subquery(rows.annotate(total=Sum("hours")).values("total")),
        )

    def with_first_photo(self):
        """Annotates ``photo_pk`` and ``photo_thumbnail``: the first photo (by pk) and the name of
        its thumbnail file ("" when it has none), None without photos; computed, like the
        totals, for the rows of a page only."""
        photos = ActivityPhoto.objects.filter(activity=OuterRef("pk")).order_by("pk")
        return self.annotate(
            photo_pk=Subquery(photos.values("pk")[:1]),
            photo_thumbnail=Subquery(photos.values("thumbnail")[:1]),
        )


class Activity(models.Model):
    """活动记录: a dated thing done under a carrier."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="activities", verbose_name="党支部"
    )
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="载体",
    )
    title = models.CharField("标题", max_length=200)
    start_date = models.DateField(
        "开始日期", validators=[validate_sensible_date, NotInFuture("活动日期")]
    )
    end_date = models.DateField(
        "结束日期", null=True, blank=True, validators=[validate_sensible_date]
    )
    place = models.CharField("地点", max_length=200, blank=True)
    organiser = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_activities",
        verbose_name="组织者",
    )
    description = models.TextField("内容", blank=True)
    outcome = models.TextField("成效", blank=True)
    participants = models.ManyToManyField(
        Person, through="ActivityParticipant", related_name="activities", verbose_name="参加人员"
    )

    objects = ActivityQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "活动记录"
        verbose_name_plural = "活动记录"
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["branch", "-start_date"]),
            models.Index(fields=["carrier", "start_date"]),
            # The committee table counts a period's activities per branch and carrier from this
            # index alone (an index-only scan; docs/performance.md).
            models.Index(
                fields=["start_date", "branch", "carrier"], name="activities_period_carrier"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="activities_activity_end_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.carrier_id and self.branch_id and self.carrier.campaign.branch_id != self.branch_id:
            raise ValidationError({"carrier": "所选载体不属于本支部的活动。"})


class ParticipationQuerySet(BranchScopedQuerySet):
    def between(self, start: datetime.date, end: datetime.date):
        return self.filter(activity__start_date__range=(start, end))

    def totals(self) -> dict:
        """{"activities": how many, "hours": service hours recorded (Decimal, 0 when none)}."""
        totals = self.aggregate(activities=Count("pk"), hours=Sum("hours"))
        return {"activities": totals["activities"], "hours": totals["hours"] or 0}


class ActivityParticipant(models.Model):
    branch_path = "activity__branch"

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participations", verbose_name="活动"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="participations", verbose_name="人员"
    )
    hours = models.DecimalField(
        "服务时长（小时）", max_digits=6, decimal_places=1, null=True, blank=True
    )
    role = models.CharField("角色", max_length=50, blank=True)

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "参加人员"
        verbose_name_plural = "参加人员"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="activities_participant_unique",
                violation_error_message="此人已在参加人员名单中。",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="activities_participant_hours_not_negative",
                violation_error_message="服务时长不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.activity}"


class ActivityPhoto(models.Model):
    branch_path = "activity__branch"

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name="活动"
    )
    image = models.ImageField("照片", upload_to=RandomName("activities/%Y/%m/"))
    thumbnail = models.ImageField(
        "缩略图", upload_to=RandomName("activities/thumbs/%Y/%m/"), blank=True
    )
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["activity", "pk"]

    def __str__(self):
        if self.caption:
            return self.caption
        return f"{self.activity.title}的照片" if self.activity_id else "活动照片"


class MeasureQuerySet(models.QuerySet):
    def for_branch(self, branch):
        return self.filter(carrier__campaign__branch=branch)

    def progress(self) -> dict:
        """{"total", "completed", "long_term"} for these measures."""
        return self.aggregate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=Measure.Status.DONE)),
            long_term=Count("pk", filter=Q(long_term=True)),
        )

    @staticmethod
    def done_by(day: datetime.date | None) -> Q:
        """Done, and (when ``day`` is given) done on or before it: the status on that day."""
        done = Q(status=Measure.Status.DONE)
        if day is None:
            return done
        return done & (Q(completed_on__isnull=True) | Q(completed_on__lte=day))

    def progress_by_carrier(self, on: datetime.date | None = None) -> dict[int, dict]:
        """``progress()`` per carrier id, in one query; with ``on``, as the measures stood then."""
        done = self.done_by(on)
        rows = (
            self.values("carrier")
            .annotate(
                total=Count("pk"),
                completed=Count("pk", filter=done),
                long_term=Count("pk", filter=done & Q(long_term=True)),
            )
            .order_by()
        )
        return {row.pop("carrier"): row for row in rows}


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


class Measure(models.Model):
    """举措: a planned measure under a carrier, with its status."""

    branch_path = "carrier__campaign__branch"

    Status = MeasureStatus

    carrier = models.ForeignKey(
        Carrier, on_delete=models.CASCADE, related_name="measures", verbose_name="载体"
    )
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("举措", max_length=200)
    description = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(
        "完成日期",
        null=True,
        blank=True,
        validators=[validate_sensible_date, NotInFuture("完成日期")],
    )
    long_term = models.BooleanField("已建立长效机制", default=False)

    objects = MeasureQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "举措"
        verbose_name_plural = "举措"
        ordering = ["carrier", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "order"],
                name="activities_measure_unique_order",
                violation_error_message="同一载体中举措序号不能重复。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeasureStatus.values),
                name="activities_measure_status_valid",
                violation_error_message="状态不在允许的取值之内。",
            ),
        ]

    def __str__(self):
        return self.title

    def status_on(self, day: datetime.date) -> str:
        """The status as it stood on ``day``: a measure completed later was still 推进中 then."""
        if self.status == self.Status.DONE and self.completed_on and self.completed_on > day:
            return self.Status.IN_PROGRESS
        return self.status


class MeetingQuerySet(BranchScopedQuerySet):
    def held(self):
        """Meetings that took place; planned ones are not counted anywhere."""
        return self.filter(status=MeetingStatus.HELD)

    def planned(self):
        return self.filter(status=MeetingStatus.PLANNED)

    def between(self, start: datetime.date, end: datetime.date):
        """Meetings held from ``start`` to ``end``: every figure counts these; a planned meeting
        is not yet one."""
        return self.held().filter(held_on__range=(start, end))

    def attendance_rate(self):
        """Share of recorded attendances marked present, in percent (one decimal)."""
        return self.attendance_totals()["rate"]

    def attendance_totals(self) -> dict:
        """{"meetings", "recorded", "present", "rate"} of these meetings, in one query: how many
        meetings, their recorded attendances, those marked present, and ``attendance_rate``."""
        totals = self.aggregate(
            meetings=Count("pk", distinct=True),
            recorded=Count("attendances"),
            present=Count("attendances", filter=Q(attendances__status=Attendance.Status.PRESENT)),
        )
        totals["rate"] = ratio(totals["present"], totals["recorded"])
        return totals

    def attendance_rate_by_kind(self) -> dict[str, dict]:
        """Per meeting kind: {"meetings", "recorded", "present", "rate"}, in one query."""
        rows = (
            self.values("kind")
            .annotate(
                meetings=Count("pk", distinct=True),
                recorded=Count("attendances"),
                present=Count("attendances", filter=Q(attendances__status="present")),
            )
            .order_by()
        )
        return {
            row["kind"]: {
                "meetings": row["meetings"],
                "recorded": row["recorded"],
                "present": row["present"],
                "rate": ratio(row["present"], row["recorded"]),
            }
            for row in rows
        }

    def expected_of(self, person: Person):
        """The meetings of the person's branch that were theirs to attend: 党员大会, 党课 and
        组织生活会 held while they were a member, 党小组会 of their group (or of no group) while
        they were in it, 支委会 while they held a branch post. 中心组学习 and 教职工大会 are not
        a member's duty and are left out."""

        def holds_on(facts):
            day = OuterRef("held_on")
            return models.Exists(
                facts.filter(person=person, start__lte=day).filter(
                    Q(end__isnull=True) | Q(end__gte=day)
                )
            )

        member = holds_on(Membership.objects.all())
        in_group = holds_on(PartyGroupMembership.objects.filter(group=OuterRef("party_group")))
        kind = MeetingKind
        return self.filter(branch_id=person.branch_id).filter(
            (Q(kind__in=[kind.GENERAL, kind.LECTURE, kind.LIFE]) & member)
            | (Q(kind=kind.GROUP, party_group__isnull=True) & member)
            | (Q(kind=kind.GROUP) & member & in_group)
            | (Q(kind=kind.COMMITTEE) & holds_on(BranchPost.objects.all()))
        )

    def attendance_of(self, person: Person) -> dict[str, dict[str, int]]:
        """Per meeting kind, how ``person`` stood at these meetings, in one query:
        {"expected", "present", "excused", "absent", "unrecorded"}."""
        status = Attendance.objects.filter(meeting=OuterRef("pk"), person=person).values("status")
        rows = (
            self.annotate(my_status=Subquery(status[:1]))
            .values("kind", "my_status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            counts = found.setdefault(
                row["kind"],
                {"expected": 0, "present": 0, "excused": 0, "absent": 0, "unrecorded": 0},
            )
            counts["expected"] += row["n"]
            counts[row["my_status"] or "unrecorded"] += row["n"]
        return {kind: found[kind] for kind in MeetingKind.values if kind in found}

    def with_attendance_counts(self):
        """Annotates ``recorded_count`` and ``present_count``; see ``Meeting.attendance_percent``."""
        return self.annotate(
            recorded_count=Count("attendances"),
            present_count=Count("attendances", filter=Q(attendances__status="present")),
        )


class Meeting(models.Model):
    """组织生活 (三会一课 and the like): a dated meeting with topic, minutes and attendance."""

    branch_path = "branch"

    Kind = MeetingKind
    Status = MeetingStatus

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="meetings", verbose_name="党支部"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=Status.choices,
        default=Status.HELD,
        help_text="计划中的会议不计入组织生活的完成情况，召开后请改为“已召开”。",
    )
    # A planned meeting may lie ahead; a held one may not (``clean``).
    held_on = models.DateField(
        "日期",
        validators=[validate_sensible_date],
        help_text="计划中的会议填计划日期，召开后填实际日期。",
    )
    planned_on = models.DateField(
        "计划日期", null=True, blank=True, validators=[validate_sensible_date]
    )
    topic = models.CharField("主题", max_length=200)
    place = models.CharField("地点", max_length=200, blank=True)
    party_group = models.ForeignKey(
        "members.PartyGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="党小组",
    )
    minutes = models.TextField("会议记录", blank=True)

    objects = MeetingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["branch", "-held_on"]),
            models.Index(fields=["held_on", "branch", "kind"], name="activities_meeting_held_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values),
                name="activities_meeting_kind_valid",
                violation_error_message="会议类型不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values),
                name="activities_meeting_status_valid",
                violation_error_message="会议状态不在允许的取值之内。",
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}：{self.topic}"

    def clean(self):
        # A planned meeting may lie ahead; one recorded as held may not (forms, import and the
        # admin all reach this through full_clean).
        super().clean()
        if self.status == self.Status.HELD and self.held_on:
            try:
                NotInFuture("会议日期")(self.held_on)
            except ValidationError as error:
                message = f"{error.messages[0]}尚未到来的日期不能登记为已召开，请将状态选为“计划”。"
                raise ValidationError({"held_on": message}) from error

    @property
    def attendance_percent(self):
        """This meeting's attendance rate; needs ``with_attendance_counts()``."""
        return ratio(self.present_count, self.recorded_count)

    def expected_people(self):
        """Who belongs on this meeting's attendance sheet, plus anyone already recorded."""
        people = Person.objects.for_branch(self.branch_id)
        if self.kind == self.Kind.STAFF:
            expected = people.on_staff(self.held_on)
        elif self.kind == self.Kind.GROUP and self.party_group_id:
            expected = people.filter(
                party_group_memberships__in=self.party_group.memberships.on(self.held_on)
            )
        else:
            expected = people.members_on(self.held_on)
        recorded = Attendance.objects.filter(meeting=self).values("person")
        return people.filter(Q(pk__in=expected.values("pk")) | Q(pk__in=recorded)).order_by("name")


class TalkPair(models.Model):
    """谈心谈话: who talked with whom in a 谈心谈话 record (a committee member and a member)."""

    branch_path = "meeting__branch"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="talk_pairs", verbose_name="谈心谈话"
    )
    talker = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="talks_given", verbose_name="谈话人"
    )
    partner = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="talks_received", verbose_name="谈话对象"
    )

    class Meta:
        verbose_name = "谈话双方"
        verbose_name_plural = "谈话双方"
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "talker", "partner"],
                name="activities_talkpair_unique",
                violation_error_message="这两人的谈话已经登记。",
            ),
            models.CheckConstraint(
                condition=~Q(talker=models.F("partner")),
                name="activities_talkpair_two_people",
                violation_error_message="谈话人和谈话对象不能是同一人。",
            ),
        ]

    def __str__(self):
        return f"{self.talker} — {self.partner}"


class AttendanceQuerySet(BranchScopedQuerySet):
    def between(self, start: datetime.date, end: datetime.date):
        return self.filter(meeting__status=MeetingStatus.HELD, meeting__held_on__range=(start, end))

    def rate_by_person(self) -> list[dict]:
        """Per person, by name: present / excused / absent / recorded counts and the rate."""
        rows = (
            self.values("person", "person__name")
            .annotate(
                recorded=Count("pk"),
                present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
                excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
                absent=Count("pk", filter=Q(status=Attendance.Status.ABSENT)),
            )
            .order_by("person__name", "person")
        )
        return [
            {
                "person_id": row["person"],
                "name": row["person__name"],
                "recorded": row["recorded"],
                "present": row["present"],
                "excused": row["excused"],
                "absent": row["absent"],
                "rate": ratio(row["present"], row["recorded"]),
            }
            for row in rows
        ]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    EXCUSED = "excused", "请假"
    ABSENT = "absent", "缺席"


class Attendance(models.Model):
    branch_path = "meeting__branch"

    Status = AttendanceStatus

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name="会议"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="attendances", verbose_name="人员"
    )
    status = models.CharField("出席情况", max_length=20, choices=Status.choices)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = AttendanceQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "出席记录"
        verbose_name_plural = "出席记录"
        ordering = ["meeting", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="activities_attendance_unique",
                violation_error_message="此人在本次会议已有出席记录。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values),
                name="activities_attendance_status_valid",
                violation_error_message="出席情况只能是出席、请假或缺席。",
            ),
        ]

    def __str__(self):
        return f"{self.person}：{self.get_status_display()}"


class ResearchTopicQuerySet(BranchScopedQuerySet):
    def declared_in(self, year: int):
        return self.filter(declared_year=year)

    def declared_during(self, start: datetime.date, end: datetime.date):
        """Topics declared in the years from ``start``'s to ``end``'s (declared by year only)."""
        return self.filter(declared_year__range=(start.year, end.year))

    def at_level(self, level: str):
        return self.filter(level=level)

    def on_theme(self, theme: str):
        return self.filter(theme=theme)


class ResearchTopicLevel(models.TextChoices):
    SCHOOL = "school", "校级"
    DISTRICT = "district", "区级"
    CITY = "city", "市级"


class ResearchTopic(models.Model):
    """课题: a research topic declared by staff, counted in the summary by year, level and theme."""

    branch_path = "branch"

    Level = ResearchTopicLevel

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="research_topics", verbose_name="党支部"
    )
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_topics",
        verbose_name="载体",
    )
    title = models.CharField("课题名称", max_length=200)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    declared_year = models.PositiveSmallIntegerField("申报年度")
    theme = models.CharField("研究主题", max_length=50, blank=True, help_text="如：作业")
    leader = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_topics",
        verbose_name="负责人",
    )

    objects = ResearchTopicQuerySet.as_manager()

    class Meta:
        verbose_name = "课题"
        verbose_name_plural = "课题"
        ordering = ["-declared_year", "title"]
        indexes = [models.Index(fields=["branch", "declared_year", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=ResearchTopicLevel.values),
                name="activities_researchtopic_level_valid",
                violation_error_message="级别只能是校级、区级或市级。",
            ),
            models.CheckConstraint(
                condition=Q(declared_year__gte=1949) & Q(declared_year__lte=2100),
                name="activities_researchtopic_year_valid",
                violation_error_message="申报年度不在合理范围内。",
            ),
        ]

    def __str__(self):
        return self.title
