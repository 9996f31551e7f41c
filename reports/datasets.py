"""The records behind the figures, as plain sheets for the Excel export (one query per sheet).

Rows are the records the figures count, scoped the same way (branch, period, report date), so a
reader can check every figure of the summary and the table against them.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from activities.models import Activity, Measure, Meeting, ResearchTopic
from honors.models import Honor, Level
from mechanisms.models import Category, Mechanism
from members.models import Membership, Person, PoliticalStatus, ratio
from pledges.models import Pledge, PledgeItem

from .document import DataSheet
from .figures import ReportPeriod


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def build_data_sheets(branch, period: ReportPeriod) -> list[DataSheet]:
    return [
        _people(branch, period),
        _pledges(branch, period),
        _activities(branch, period),
        _measures(period),
        _meetings(branch, period),
        _honors(branch, period),
        _mechanisms(branch, period),
        _research_topics(branch, period),
    ]


def _people(branch, period: ReportPeriod) -> DataSheet:
    """Everyone on the staff on the report date, and every member during the period."""
    day = period.end
    people = Person.objects.for_branch(branch)
    during = Membership.objects.during(period.start, period.end).values("person")
    last_membership = {
        person: (start, joined, end, left)
        for person, start, joined, end, left in Membership.objects.for_branch(branch)
        .filter(start__lte=day)
        .order_by("person", "start")
        .values_list("person", "start", "joined_how", "end", "left_how")
    }
    gender, status = dict(Person.Gender.choices), dict(PoliticalStatus.choices)
    joined_how, left_how = dict(Membership.Joined.choices), dict(Membership.Left.choices)
    rows = []
    for pk, name, sex, post, political, key, cadre, since, until, member in (
        (people.on_staff(day) | people.filter(pk__in=during))
        .annotate(member=Exists(people.members_on(day).filter(pk=OuterRef("pk"))))
        .order_by("name", "pk")
        .values_list(
            "pk",
            "name",
            "gender",
            "post",
            "political_status",
            "is_key_teacher",
            "is_senior_cadre",
            "staff_since",
            "staff_until",
            "member",
        )
    ):
        start, joined, end, left = last_membership.get(pk, (None, "", None, ""))
        rows.append(
            (
                name,
                gender.get(sex, ""),
                post,
                status.get(political, ""),
                yes_no(key),
                yes_no(cadre),
                since,
                until,
                start,
                joined_how.get(joined, ""),
                end,
                left_how.get(left, "") if end else "",
                yes_no(member),
            )
        )
    return DataSheet(
        "党员与教职工",
        [
            "姓名",
            "性别",
            "岗位/职务",
            "政治面貌",
            "骨干教师",
            "两长以上干部",
            "到校日期",
            "离校日期",
            "党员关系开始",
            "加入方式",
            "党员关系结束",
            "离开方式",
            f"{day:%Y-%m-%d}是否党员",
        ],
        rows,
    )


def _pledges(branch, period: ReportPeriod) -> DataSheet:
    """The campaign's current pledges (member's and the branch's), with their items."""
    pledges = (
        Pledge.objects.for_branch(branch)
        .filter(campaign=period.campaign)
        .current()
        .annotate(
            item_count=Count("items"),
            fulfilled_count=Count(
                "items", filter=Q(items__fulfilment=PledgeItem.Fulfilment.FULFILLED)
            ),
        )
        .annotate(
            in_period=Exists(
                Pledge.objects.signed_between(period.start, period.end).filter(pk=OuterRef("pk"))
            )
        )
        .order_by("person__name", "pk")
        .values_list(
            "in_period",
            "person__name",
            "version",
            "status",
            "signed_at",
            "signature_name",
            "item_count",
            "fulfilled_count",
            "summary",
        )
    )
    status = dict(Pledge.Status.choices)
    rows = [
        (
            name or "党支部",
            version,
            status.get(state, ""),
            timezone.localdate(signed) if signed else None,
            signature,
            yes_no(in_period),
            items,
            fulfilled,
            summary,
        )
        for in_period, name, version, state, signed, signature, items, fulfilled, summary in pledges
    ]
    return DataSheet(
        "承诺书",
        [
            "承诺人",
            "版本",
            "状态",
            "签署日期",
            "签名",
            "报告期内签署",
            "承诺事项数",
            "已兑现事项数",
            "承诺概述",
        ],
        rows,
    )


def _activities(branch, period: ReportPeriod) -> DataSheet:
    activities = (
        Activity.objects.for_branch(branch)
        .between(period.start, period.end)
        .with_participant_totals()
        .order_by("start_date", "pk")
        .values_list(
            "start_date",
            "end_date",
            "carrier__name",
            "title",
            "place",
            "organiser__name",
            "participant_count",
            "hours_total",
            "description",
            "outcome",
        )
    )
    rows = [
        (start, end, carrier or "其他", title, place, organiser or "", *rest)
        for start, end, carrier, title, place, organiser, *rest in activities
    ]
    return DataSheet(
        "活动",
        [
            "开始日期",
            "结束日期",
            "载体",
            "标题",
            "地点",
            "组织者",
            "参加人数",
            "服务时长（小时）",
            "内容",
            "成效",
        ],
        rows,
    )


def _measures(period: ReportPeriod) -> DataSheet:
    measures = (
        Measure.objects.filter(carrier__campaign=period.campaign)
        .order_by("carrier__order", "order")
        .values_list("carrier__name", "order", "title", "status", "completed_on", "long_term")
    )
    status = dict(Measure.Status.choices)
    rows = [
        (carrier, order, title, status.get(state, ""), done_on, yes_no(long_term))
        for carrier, order, title, state, done_on, long_term in measures
    ]
    return DataSheet("举措", ["载体", "序号", "举措", "状态", "完成日期", "已建立长效机制"], rows)


def _meetings(branch, period: ReportPeriod) -> DataSheet:
    meetings = (
        Meeting.objects.for_branch(branch)
        .between(period.start, period.end)
        .with_attendance_counts()
        .order_by("held_on", "pk")
        .values_list(
            "held_on",
            "kind",
            "topic",
            "place",
            "party_group__name",
            "recorded_count",
            "present_count",
        )
    )
    kinds = dict(Meeting.Kind.choices)
    rows = [
        (
            day,
            kinds.get(kind, ""),
            topic,
            place,
            group or "",
            recorded,
            present,
            ratio(present, recorded),
        )
        for day, kind, topic, place, group, recorded, present in meetings
    ]
    return DataSheet(
        "会议",
        ["日期", "类型", "主题", "地点", "党小组", "记录人数", "出席人数", "出席率（%）"],
        rows,
    )


def _honors(branch, period: ReportPeriod) -> DataSheet:
    honors = (
        Honor.objects.for_branch(branch)
        .between(period.start, period.end)
        .order_by("awarded_on", "pk")
        .values_list(
            "awarded_on", "title", "level", "recipient", "person__name", "awarded_by", "is_typical"
        )
    )
    levels, recipients = dict(Level.choices), dict(Honor.Recipient.choices)
    rows = [
        (
            day,
            title,
            levels.get(level, ""),
            recipients.get(to, ""),
            person or "",
            by,
            yes_no(typical),
        )
        for day, title, level, to, person, by, typical in honors
    ]
    return DataSheet(
        "荣誉",
        ["授予日期", "荣誉称号", "级别", "获奖对象", "获奖个人", "授予单位", "先进典型"],
        rows,
    )


def _mechanisms(branch, period: ReportPeriod) -> DataSheet:
    """Every mechanism established by the report date, whether in force then, whether new."""
    mechanisms = Mechanism.objects.for_branch(branch)
    in_force = mechanisms.in_force_on(period.end).filter(pk=OuterRef("pk"))
    new = mechanisms.new_in(period.campaign).filter(pk=OuterRef("pk"))
    categories = dict(Category.choices)
    rows = [
        (
            name,
            categories.get(category, ""),
            established,
            revised,
            repealed,
            yes_no(in_force_then),
            yes_no(is_new),
        )
        for name, category, established, revised, repealed, in_force_then, is_new in mechanisms.filter(
            established_on__lte=period.end
        )
        .annotate(in_force_then=Exists(in_force), is_new_here=Exists(new))
        .order_by("category", "established_on", "pk")
        .values_list(
            "name",
            "category",
            "established_on",
            "revised_on",
            "repealed_on",
            "in_force_then",
            "is_new_here",
        )
    ]
    return DataSheet(
        "制度",
        [
            "制度名称",
            "类别",
            "建立日期",
            "最近修订",
            "废止日期",
            f"{period.end:%Y-%m-%d}有效",
            "本次活动新建",
        ],
        rows,
    )


def _research_topics(branch, period: ReportPeriod) -> DataSheet:
    topics = (
        ResearchTopic.objects.for_branch(branch)
        .declared_during(period.start, period.end)
        .order_by("declared_year", "level", "title")
        .values_list("declared_year", "level", "title", "theme", "leader__name")
    )
    levels = dict(ResearchTopic.Level.choices)
    rows = [
        (year, levels.get(level, ""), title, theme, leader or "")
        for year, level, title, theme, leader in topics
    ]
    return DataSheet("课题", ["申报年度", "级别", "课题名称", "研究主题", "负责人"], rows)
