"""A round's result, computed once and written as the page, Word and Excel (``common.docx``,
``common.xlsx``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from common import xlsx
from common.docx import OfficialDocument

from .models import MIN_VOTERS_SHOWN, BallotMark, Decision, Grade, Round

WITHHELD = f"不足 {MIN_VOTERS_SHOWN} 票，为保护投票人不予显示"


@dataclass
class Line:
    person: object
    has_voted: bool
    has_assessed: bool
    counts: dict | None  # None while voting is open or when withheld
    voters: int
    decision: Decision | None

    @property
    def counts_note(self) -> str:
        return WITHHELD if self.counts is None and self.voters else ""


@dataclass
class Result:
    round: Round
    lines: list[Line] = field(default_factory=list)
    voted: int = 0
    distribution: dict = field(default_factory=dict)

    @property
    def evaluated(self) -> int:
        return len(self.lines)

    @property
    def counts_shown(self) -> bool:
        """Counts are read only when voting is over: during it, a count moving on after a
        colleague voted would tell how they voted."""
        return not self.round.is_open


def result_for(evaluation_round: Round) -> Result:
    """Participants with their progress, the counts (closed rounds, 3 voters or more), grades."""
    participants = list(evaluation_round.participants.select_related("person").with_progress())
    counts = (
        BallotMark.objects.filter(round=evaluation_round).count_by_person()
        if not evaluation_round.is_open
        else {}
    )
    decisions = {d.person_id: d for d in Decision.objects.filter(round=evaluation_round)}
    lines = []
    for place in participants:
        found = counts.get(place.person_id)
        voters = found["voters"] if found else 0
        shown = found if found and voters >= MIN_VOTERS_SHOWN else None
        lines.append(
            Line(
                person=place.person,
                has_voted=place.has_voted,
                has_assessed=place.has_assessed,
                counts=shown,
                voters=voters,
                decision=decisions.get(place.person_id),
            )
        )
    return Result(
        round=evaluation_round,
        lines=lines,
        voted=sum(1 for line in lines if line.has_voted),
        distribution=Decision.objects.filter(round=evaluation_round).distribution(),
    )


def _count_cells(line: Line) -> list:
    if line.counts is None:
        return [line.counts_note or "—"] + [""] * (len(Grade.values) - 1)
    return [line.counts[grade] for grade in Grade.values]


def to_docx(result: Result, *, today: datetime.date) -> bytes:
    evaluation_round = result.round
    document = OfficialDocument(
        f"{evaluation_round.branch.name}{evaluation_round.year}年度民主评议党员结果"
    )
    text = (
        f"民主测评于{evaluation_round.opens_on:%Y年%m月%d日}至"
        f"{evaluation_round.closes_on:%Y年%m月%d日}进行，参评党员 {result.evaluated} 人，"
        f"参加测评 {result.voted} 人，收回测评票 {result.voted} 张。"
    )
    if evaluation_round.meeting_on:
        text += f"{evaluation_round.meeting_on:%Y年%m月%d日}支部党员大会评定等次："
        text += "，".join(
            f"{Grade(grade).label} {n} 人" for grade, n in result.distribution.items()
        )
        text += "。"
    document.paragraph(text)
    document.heading("一、民主测评票数与评定等次")
    header = ["姓名", *Grade.labels, "评定等次"]
    rows = [
        [
            line.person.name,
            *[str(value) for value in _count_cells(line)],
            line.decision.get_grade_display() if line.decision else "",
        ]
        for line in result.lines
    ]
    document.table(header, rows, [26, 24, 24, 26, 24, 32])
    unqualified = [line for line in result.lines if line.decision and line.decision.reason]
    if unqualified:
        document.heading("二、评定理由与处理决定")
        for line in unqualified:
            decision = line.decision
            handling = decision.get_handling_display() if decision.handling else ""
            note = f"（{decision.handling_note}）" if decision.handling_note else ""
            document.paragraph(
                f"{line.person.name}：{decision.get_grade_display()}。理由：{decision.reason}"
                + (f"处理决定：{handling}{note}。" if handling else "")
            )
    document.paragraph(f"注：测评票不记名；某人所得票数{WITHHELD}。")
    document.signature(evaluation_round.branch.name, today)
    return document.to_bytes()


def to_xlsx(result: Result) -> bytes:
    evaluation_round = result.round
    workbook = xlsx.new_workbook()
    header = ["姓名", "已投票", "已自评", "测评票数", *Grade.labels, "评定等次", "理由", "处理决定"]
    rows = []
    for line in result.lines:
        decision = line.decision
        counts = (
            [line.counts[grade] for grade in Grade.values]
            if line.counts is not None
            else [line.counts_note] + [None] * (len(Grade.values) - 1)
        )
        rows.append(
            [
                line.person.name,
                "是" if line.has_voted else "否",
                "是" if line.has_assessed else "否",
                line.voters if line.counts is not None else None,
                *counts,
                decision.get_grade_display() if decision else "",
                decision.reason if decision else "",
                decision.get_handling_display() if decision and decision.handling else "",
            ]
        )
    xlsx.table_sheet(
        workbook,
        "民主评议结果",
        header,
        rows,
        caption=f"{evaluation_round.branch.name}{evaluation_round.year}年度民主评议党员",
    )
    xlsx.table_sheet(
        workbook,
        "等次分布",
        ["评定等次", "人数"],
        [[Grade(grade).label, n] for grade, n in result.distribution.items()],
    )
    return xlsx.workbook_bytes(workbook)
