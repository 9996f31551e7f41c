"""Views of the 民主评议党员: rounds (secretary), the member's self-assessment and ballot, the
result and its exports, the committee's distribution per branch."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common import xlsx
from common.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from members import year_review
from members.access import (
    COMMITTEE,
    MANAGE_ROLES,
    MEMBER,
    READ_ROLES,
    SECRETARY,
    STAFF,
    branch_list_for,
    can_manage,
    get_branch_choice,
    role_required,
)
from members.models import Branch

from . import results, services
from .access import get_participation_for_user, get_round_for_user
from .forms import BallotForm, DecisionForm, RoundForm, SelfAssessmentForm
from .models import Decision, Grade, Participant, Round, SelfAssessment


def _today() -> datetime.date:
    return timezone.localdate()


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# The secretary's rounds ------------------------------------------------------------------


@role_required(*READ_ROLES)
def round_list(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    rounds = Round.objects.for_branch(branch).order_by("-year")
    return render(
        request,
        "evaluation/round_list.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "rounds": rounds,
            "can_manage": can_manage(request, branch),
        },
    )


@role_required(*MANAGE_ROLES)
def round_create(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_round = services.round_open(branch=branch, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已开启{evaluation_round.year}年度民主评议。")
            return redirect("evaluation:round-detail", pk=evaluation_round.pk)
    return render(
        request,
        "evaluation/round_form.html",
        {"form": form, "branch": branch, "branch_choices": choices},
    )


@role_required(*MANAGE_ROLES)
def round_update(request, pk):
    evaluation_round = get_round_for_user(request, pk, *MANAGE_ROLES)
    form = RoundForm(request.POST or None, instance=evaluation_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                evaluation_round=Round.objects.get(pk=evaluation_round.pk),
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "已保存测评日期。")
            return redirect("evaluation:round-detail", pk=evaluation_round.pk)
    return render(
        request,
        "evaluation/round_form.html",
        {"form": form, "round": evaluation_round, "branch": evaluation_round.branch},
    )


@role_required(*READ_ROLES)
def round_detail(request, pk):
    evaluation_round = get_round_for_user(request, pk)
    manages = can_manage(request, evaluation_round.branch)
    assessments = []
    if manages:  # read at the branch meeting; the secretary's to hand
        assessments = list(
            SelfAssessment.objects.filter(round=evaluation_round)
            .order_by("person__name", "person")
            .values_list("person__name", "text")
        )
    return render(
        request,
        "evaluation/round_detail.html",
        {
            "round": evaluation_round,
            "result": results.result_for(evaluation_round),
            "can_manage": manages,
            "assessments": assessments,
            "rule": evaluation_round.rule(),
            "grades": Grade,
            "today": _today(),
        },
    )


@role_required(*MANAGE_ROLES)
@require_POST
def round_close(request, pk):
    evaluation_round = get_round_for_user(request, pk, *MANAGE_ROLES)
    try:
        services.round_close(evaluation_round=evaluation_round, on=_today())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "民主测评已结束，可以查看票数并由支部党员大会评定等次。")
    return redirect("evaluation:round-detail", pk=evaluation_round.pk)


@role_required(*MANAGE_ROLES)
def round_decide(request, pk):
    """组织评定: the grades the branch meeting gave, checked against the rules."""
    evaluation_round = get_round_for_user(request, pk, *MANAGE_ROLES)
    if evaluation_round.is_open:
        messages.error(request, "请先结束民主测评，再由支部党员大会评定等次。")
        return redirect("evaluation:round-detail", pk=evaluation_round.pk)
    result = results.result_for(evaluation_round)
    people = [line.person for line in result.lines]
    initial = {"meeting_on": evaluation_round.meeting_on or _today()}
    for line in result.lines:
        if line.decision:
            pk_ = line.person.pk
            initial[f"grade_{pk_}"] = line.decision.grade
            initial[f"reason_{pk_}"] = line.decision.reason
            initial[f"handling_{pk_}"] = line.decision.handling
            initial[f"handling_note_{pk_}"] = line.decision.handling_note
    form = DecisionForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        errors = services.decision_errors(evaluation_round, form.decisions())
        if errors:
            form.add_service_errors(errors)
        else:
            try:
                services.decisions_save(
                    evaluation_round=evaluation_round,
                    decisions=form.decisions(),
                    meeting_on=form.cleaned_data["meeting_on"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "已保存支部党员大会评定的等次。")
                return redirect("evaluation:round-detail", pk=evaluation_round.pk)
    lines = {line.person.pk: line for line in result.lines}
    rows = [(lines[row[0].pk], *row[1:]) for row in form.rows()]
    return render(
        request,
        "evaluation/round_decide.html",
        {"round": evaluation_round, "form": form, "rows": rows, "rule": evaluation_round.rule()},
    )


@role_required(*READ_ROLES)
def round_export(request, pk, fmt):
    if fmt not in ("docx", "xlsx"):
        raise Http404("没有这种格式。")
    evaluation_round = get_round_for_user(request, pk)
    result = results.result_for(evaluation_round)
    name = f"{evaluation_round.branch.short_name}{evaluation_round.year}年度民主评议党员结果"
    if fmt == "docx":
        return _download(results.to_docx(result, today=_today()), DOCX_CONTENT_TYPE, f"{name}.docx")
    return _download(results.to_xlsx(result), xlsx.CONTENT_TYPE, f"{name}.xlsx")


# The member's part -----------------------------------------------------------------------


@role_required(*READ_ROLES, MEMBER)
def my_evaluation(request):
    """The rounds the signed-in member takes part in, with what is left for them to do."""
    person = getattr(request.user, "person", None)
    places = []
    if person is not None:
        places = list(
            Participant.objects.filter(person=person)
            .select_related("round__branch")
            .with_progress()
            .order_by("-round__year")
        )
    grades = {}
    if person is not None:
        grades = {d.round_id: d for d in Decision.objects.filter(person=person)}
    return render(
        request,
        "evaluation/my_evaluation.html",
        {"places": places, "grades": grades, "today": _today()},
    )


@role_required(SECRETARY, MEMBER)
def self_assessment(request, pk):
    place = get_participation_for_user(request, pk)
    evaluation_round, person = place.round, place.person
    existing = SelfAssessment.objects.filter(round=evaluation_round, person=person).first()
    if existing is not None:
        start = existing.text
    else:
        sections = year_review.sections_for(person, evaluation_round.year)
        start = year_review.as_text(sections) + "\n\n个人自评：\n"
    form = SelfAssessmentForm(request.POST or None, initial={"text": start})
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_save(
                evaluation_round=evaluation_round, person=person, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "已保存个人自评。")
            return redirect("evaluation:mine")
    return render(
        request,
        "evaluation/self_assessment.html",
        {"round": evaluation_round, "person": person, "form": form, "existing": existing},
    )


@role_required(SECRETARY, MEMBER)
def ballot(request, pk):
    """民主测评 on a phone: one grade for every other member evaluated; the ballot is stored
    without the voter."""
    place = get_participation_for_user(request, pk)
    evaluation_round, voter = place.round, place.person
    today = _today()
    people = [
        p.person
        for p in evaluation_round.participants.select_related("person").exclude(person=voter)
    ]
    voted = services.has_voted(evaluation_round, voter)
    form = BallotForm(request.POST or None, people=people)
    if request.method == "POST" and not voted and form.is_valid():
        try:
            services.ballot_cast(
                evaluation_round=evaluation_round, voter=voter, grades=form.grades(), today=today
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, "投票成功。测评票不记名，任何人（包括书记）都看不到您的选择。"
            )
            return redirect("evaluation:mine")
    return render(
        request,
        "evaluation/ballot.html",
        {
            "round": evaluation_round,
            "form": form,
            "voted": voted,
            "voting_open": evaluation_round.voting_open_on(today),
        },
    )


# The committee's view --------------------------------------------------------------------


@role_required(COMMITTEE, SECRETARY, STAFF)
def distribution(request):
    """Grades per branch for a year: every branch the user reads (a committee: all of its)."""
    today = _today()
    try:
        year = int(request.GET.get("year", today.year - 1))
    except ValueError:
        year = today.year - 1
    branches = branch_list_for(request.user, *READ_ROLES)
    rounds = Round.objects.filter(year=year).select_related("branch")
    if branches is not None:
        rounds = rounds.filter(branch__in=[b.pk for b in branches])
    else:
        branches = list(Branch.objects.all())
    by_branch = {r.branch_id: r for r in rounds}
    counts = Decision.objects.filter(round__in=rounds).distribution_by_branch()
    evaluated = dict(
        Participant.objects.filter(round__in=rounds)
        .values_list("round__branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        {
            "branch": branch,
            "round": by_branch.get(branch.pk),
            "evaluated": evaluated.get(branch.pk, 0),
            "counts": [counts.get(branch.pk, {}).get(grade, 0) for grade in Grade.values],
        }
        for branch in sorted(branches, key=lambda b: (b.short_name, b.pk))
    ]
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(Grade.values))]
    return render(
        request,
        "evaluation/distribution.html",
        {
            "year": year,
            "years": range(today.year, 2009, -1),
            "rows": rows,
            "totals": totals,
            "grade_labels": Grade.labels,
        },
    )
