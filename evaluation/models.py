"""民主评议党员: a yearly round per branch — 个人自评, anonymous 民主测评, the branch's grades.

Anonymity of the 民主测评: a ``BallotMark`` row is one grade for one member graded; it names
neither the voter nor the other grades of the same ballot (a ballot holds everyone but its
voter, so keeping ballots together would name the voter). ``VoterRecord`` names who has voted
and nothing else. Neither carries a time or a sequence number (their keys are random UUIDs,
nothing is ordered by insertion), and the grades are written anew in random order when the
round closes, so not even the table's physical order keeps one vote's grades together. A voter votes once: ``VoterRecord`` is unique per round and person,
and is written in the same transaction as the ballot.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.db.models import Count, Q
from simple_history.models import HistoricalRecords

from members.models import Branch, Person
from members.scoping import BranchScopedQuerySet

# The count of a member's grades is shown only from this many ballots on: with fewer, a member
# could work out how one colleague voted. A privacy threshold of the portal, not a party rule.
MIN_VOTERS_SHOWN = 3


# The rule row the migration ``0002_rule`` adds (and a database emptied by a test flush or a
# restore without it gets back from ``ensure_default_rule``).
DEFAULT_RULE = {
    "valid_from": datetime.date(2000, 1, 1),
    "excellent_numerator": 1,
    "excellent_denominator": 3,
    "excellent_label": "三分之一",
    "source": (
        "民主评议党员工作要求（shared/RULES.md《民主评议党员》）：评定等次分优秀、合格、基本合格、"
        "不合格；评为优秀的党员不超过参评党员的三分之一；评为不合格须写明理由并作出处理决定"
        "（限期改正、劝其退党、除名等，依党章和有关规定）。"
    ),
}


def ensure_default_rule() -> None:
    """Adds the default rule when no rule at all is stored."""
    if not EvaluationRule.objects.exists():
        EvaluationRule.objects.create(**DEFAULT_RULE)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


class Handling(models.TextChoices):
    CORRECT = "correct", "限期改正"
    ADVISE_LEAVE = "advise_leave", "劝其退党"
    EXPEL = "expel", "除名"
    OTHER = "other", "其他（见说明）"


class EvaluationRuleQuerySet(models.QuerySet):
    def in_force(self, day: datetime.date) -> EvaluationRule | None:
        """The rule in force on ``day`` (the latest to start, if two overlap)."""
        return (
            self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)
            .order_by("-valid_from")
            .first()
        )


class EvaluationRule(models.Model):
    """The quota of 优秀: at most ``excellent_numerator / excellent_denominator`` of the members
    evaluated, over a span of days, with its source. A past round is judged by the rule then."""

    branch_path = None
    judges_branches = True  # a change moves every branch on (members.freshness.rule_changed)

    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    excellent_numerator = models.PositiveSmallIntegerField("优秀比例（分子）", default=1)
    excellent_denominator = models.PositiveSmallIntegerField("优秀比例（分母）", default=3)
    excellent_label = models.CharField("比例写法", max_length=20, default="三分之一")
    source = models.TextField("依据")

    objects = EvaluationRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "民主评议规则"
        verbose_name_plural = "民主评议规则"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="evaluation_rule_valid_to_after_from",
                violation_error_message="失效日期不能早于生效日期。",
            ),
            models.CheckConstraint(
                condition=Q(excellent_denominator__gt=0)
                & Q(excellent_numerator__lte=models.F("excellent_denominator")),
                name="evaluation_rule_share_is_a_fraction",
                violation_error_message="优秀比例须是不大于 1 的分数。",
            ),
        ]

    def __str__(self):
        return f"优秀不超过{self.excellent_label}（{self.valid_from}起）"

    def excellent_quota(self, evaluated: int) -> int:
        """How many of ``evaluated`` members may be graded 优秀 (rounded down)."""
        return evaluated * self.excellent_numerator // self.excellent_denominator


class RoundQuerySet(BranchScopedQuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)

    def voting_on(self, day: datetime.date):
        """Open rounds whose voting dates include ``day``."""
        return self.open().filter(opens_on__lte=day, closes_on__gte=day)


class Round(models.Model):
    """One branch's 民主评议党员 of one year: opened and closed by the secretary."""

    branch_path = "branch"

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="evaluation_rounds", verbose_name="党支部"
    )
    year = models.PositiveSmallIntegerField("评议年度")
    opens_on = models.DateField("测评开始日期")
    closes_on = models.DateField("测评截止日期")
    closed_on = models.DateField("结束日期", null=True, blank=True)
    meeting_on = models.DateField("支部大会评定日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "民主评议"
        verbose_name_plural = "民主评议"
        ordering = ["branch", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year"],
                name="evaluation_round_one_per_branch_and_year",
                violation_error_message="本支部该年度已有民主评议。",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="evaluation_round_closes_after_opens",
                violation_error_message="测评截止日期不能早于开始日期。",
            ),
        ]

    def __str__(self):
        return f"{self.branch} {self.year}年度民主评议党员"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def voting_open_on(self, day: datetime.date) -> bool:
        return self.is_open and self.opens_on <= day <= self.closes_on

    def rule(self) -> EvaluationRule | None:
        """The rule in force on the round's last voting day."""
        return EvaluationRule.objects.in_force(self.closes_on)


class ParticipantQuerySet(BranchScopedQuerySet):
    def with_progress(self):
        """Annotates ``has_voted`` and ``has_assessed`` (a written self-assessment)."""
        voted = VoterRecord.objects.filter(
            round=models.OuterRef("round"), person=models.OuterRef("person")
        )
        assessed = SelfAssessment.objects.filter(
            round=models.OuterRef("round"), person=models.OuterRef("person")
        ).exclude(text="")
        return self.annotate(has_voted=models.Exists(voted), has_assessed=models.Exists(assessed))

    def count_waiting(self) -> dict[str, int]:
        """How many of these have not voted and how many have not written their
        self-assessment (as ``with_progress`` tells), in one query."""
        return self.with_progress().aggregate(
            not_voted=models.Count("pk", filter=models.Q(has_voted=False)),
            not_assessed=models.Count("pk", filter=models.Q(has_assessed=False)),
        )


class Participant(models.Model):
    """A member evaluated in a round (and a voter in it): the branch's members on its first day."""

    branch_path = "round__branch"

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="participants", verbose_name="民主评议"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="evaluations", verbose_name="党员"
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = "参评党员"
        verbose_name_plural = "参评党员"
        ordering = ["round", "person__name", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                name="evaluation_participant_unique",
                violation_error_message="此人已在参评名单中。",
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.round}"


class SelfAssessment(models.Model):
    """个人自评: the member's own text, started from their year in review."""

    branch_path = "round__branch"

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="self_assessments", verbose_name="民主评议"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="self_assessments", verbose_name="党员"
    )
    text = models.TextField("个人自评")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "个人自评"
        verbose_name_plural = "个人自评"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                name="evaluation_selfassessment_unique",
                violation_error_message="此人在本次评议中已有个人自评。",
            )
        ]

    def __str__(self):
        return f"{self.person}的个人自评"


class VoterRecord(models.Model):
    """Who has voted in a round — and nothing else: no ballot, no time, a random key."""

    branch_path = "round__branch"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="voter_records", verbose_name="民主评议"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="evaluation_votes", verbose_name="投票人"
    )

    class Meta:
        verbose_name = "投票记录"
        verbose_name_plural = "投票记录"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                name="evaluation_voterrecord_one_vote_per_person",
                violation_error_message="您已参加过本次民主测评，每人只能投票一次。",
            )
        ]

    def __str__(self):
        return f"{self.person}已投票"


class BallotMarkQuerySet(BranchScopedQuerySet):
    def count_by_person(self) -> dict[int, dict[str, int]]:
        """Per member graded: ballots naming them (``voters``) and the count of each grade."""
        rows = self.values("person", "grade").annotate(n=Count("pk")).order_by()
        found: dict[int, dict[str, int]] = {}
        for row in rows:
            counts = found.setdefault(
                row["person"], {"voters": 0, **dict.fromkeys(Grade.values, 0)}
            )
            counts[row["grade"]] += row["n"]
            counts["voters"] += row["n"]
        return found


class BallotMark(models.Model):
    """One grade given in the 民主测评 to one member evaluated (the person graded, never the
    voter). Not grouped into ballots: the members on a voter's ballot are everyone but the
    voter, so a stored ballot would name its voter by whom it leaves out."""

    branch_path = "round__branch"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="ballot_marks", verbose_name="民主评议"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="ballot_marks", verbose_name="被测评党员"
    )
    grade = models.CharField("测评等次", max_length=20, choices=Grade.choices)

    objects = BallotMarkQuerySet.as_manager()

    class Meta:
        verbose_name = "测评票等次"
        verbose_name_plural = "测评票等次"
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values),
                name="evaluation_ballotmark_grade_valid",
                violation_error_message="测评等次只能是优秀、合格、基本合格或不合格。",
            ),
        ]

    def __str__(self):
        return f"{self.person}：{self.get_grade_display()}"


class DecisionQuerySet(BranchScopedQuerySet):
    def distribution(self) -> dict[str, int]:
        """How many members got each grade, every grade present (0 where none)."""
        rows = dict(self.values_list("grade").annotate(n=Count("pk")).order_by())
        return {grade: rows.get(grade, 0) for grade in Grade.values}

    def distribution_by_branch(self) -> dict[int, dict[str, int]]:
        rows = self.values_list("round__branch", "grade").annotate(n=Count("pk")).order_by()
        found: dict[int, dict[str, int]] = {}
        for branch_id, grade, n in rows:
            found.setdefault(branch_id, dict.fromkeys(Grade.values, 0))[grade] = n
        return found


class Decision(models.Model):
    """组织评定: the grade the branch meeting gave a member, with reason and handling for 不合格."""

    branch_path = "round__branch"

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="decisions", verbose_name="民主评议"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="evaluation_grades", verbose_name="党员"
    )
    grade = models.CharField("评定等次", max_length=20, choices=Grade.choices)
    reason = models.TextField("评定理由", blank=True)
    handling = models.CharField("处理决定", max_length=20, choices=Handling.choices, blank=True)
    handling_note = models.TextField("处理说明", blank=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "评定等次"
        verbose_name_plural = "评定等次"
        ordering = ["round", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                name="evaluation_decision_one_per_person",
                violation_error_message="此人在本次评议中已有评定等次。",
            ),
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values),
                name="evaluation_decision_grade_valid",
                violation_error_message="评定等次只能是优秀、合格、基本合格或不合格。",
            ),
            models.CheckConstraint(
                condition=Q(handling="") | Q(handling__in=Handling.values),
                name="evaluation_decision_handling_valid",
                violation_error_message="处理决定不在允许的取值之内。",
            ),
            models.CheckConstraint(
                condition=~Q(grade="unqualified") | (~Q(reason="") & ~Q(handling="")),
                name="evaluation_decision_unqualified_has_reason_and_handling",
                violation_error_message="评为“不合格”须写明理由并作出处理决定。",
            ),
        ]

    def __str__(self):
        return f"{self.person}：{self.get_grade_display()}"
