"""Views of 发展党员: the pipeline, a person's dossier and its Word form, the forms of each step,
the superior committee's approvals and the time rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from common.urls import pk_url
from members.access import (
    COMMITTEE,
    MANAGE_ROLES,
    READ_ROLES,
    acts_on,
    branch_ids_for,
    can_manage,
    get_branch_choice,
    history_for,
    role_required,
    sees_private,
)
from members.models import Committee, Person, PoliticalStatus

from . import forms as f
from . import services
from .access import get_development_for_user
from .docx import dossier_docx
from .models import Development, RuleBook, TimeRule
from .progress import first_due, next_steps, stage_label

S = PoliticalStatus
PIPELINE = [S.APPLICANT, S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY, S.FULL]


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` next to the form field it names, or on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass(frozen=True)
class Row:
    development: Development
    stage: str
    since: object
    steps: list
    due: object  # the first dated step, or None
    url: str = ""  # the dossier's

    @property
    def overdue(self) -> bool:
        return any(step.overdue for step in self.steps)


def _rows(developments, book: RuleBook, today) -> list[Row]:
    """Each development with its stage, since when, its next steps and the first deadline."""
    dossier = pk_url("recruitment:dossier")
    rows = []
    for development in developments:
        steps = next_steps(development, book, today)
        since = development.stage_start(development.person.political_status)
        rows.append(
            Row(
                development,
                stage_label(development),
                since,
                steps,
                first_due(steps),
                dossier(development.pk),
            )
        )
    return rows


@role_required(*READ_ROLES)
def pipeline(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    today = timezone.localdate()
    developments = Development.objects.for_branch(branch)
    counts = developments.count_by_stage()
    rows = _rows(developments.open().for_pipeline(), RuleBook(), today)
    rows.sort(key=lambda row: (row.due is None, row.due.due if row.due else today))
    undocumented = Person.objects.for_branch(branch).filter(
        political_status__in=[S.APPLICANT, S.ACTIVIST, S.CANDIDATE], development__isnull=True
    )
    context = {
        "branch": branch,
        "branch_choices": choices,
        "stage_counts": [(S(s).label, counts.get(s, 0)) for s in PIPELINE]
        + [("已终止", counts.get("stopped", 0))],
        "rows": rows,
        "overdue": sum(1 for row in rows if row.overdue),
        "undocumented": [
            (name, S(status).label)
            for name, status in undocumented.order_by("name").values_list(
                "name", "political_status"
            )
        ],
        "can_manage": can_manage(request, branch),
        "today": today,
    }
    return render(request, "recruitment/pipeline.html", context)


@role_required(*MANAGE_ROLES)
def start(request):
    branch, choices = get_branch_choice(request, *MANAGE_ROLES)
    form = f.StartForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            development = services.development_start(
                person=form.cleaned_data["person"], applied_on=form.cleaned_data["applied_on"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已建立{development.person.name}的发展党员档案。")
            return redirect("recruitment:dossier", pk=development.pk)
    return render(
        request,
        "recruitment/start.html",
        {"form": form, "branch": branch, "branch_choices": choices},
    )


# The dossier -------------------------------------------------------------------------------


def dossier_context(request, development: Development) -> dict:
    """What the dossier page and its Word form show, read once."""
    development = Development.objects.for_pipeline().get(pk=development.pk)
    book, today = RuleBook(), timezone.localdate()
    return {
        "development": development,
        "person": development.person,
        "stage": stage_label(development),
        "stages": development.stages(),
        "steps": next_steps(development, book, today),
        "contacts": list(development.contacts.all()),
        "reviews": list(development.reviews.all()),
        "introducers": list(development.introducers.all()),
        "trainings": list(development.trainings.all()),
        "waivers": list(development.waivers.select_related("granted_by")),
        "training_totals": development.training_totals(),
        "shows_private": sees_private(request.user, development.person),
        "today": today,
    }


@role_required(*READ_ROLES)
def dossier(request, pk):
    development = get_development_for_user(request, pk)
    context = dossier_context(request, development)
    branch = development.person.branch
    manage = can_manage(request, branch)
    status = development.person.political_status
    context.update(
        can_manage=manage,
        actions=[
            (key, step.title)
            for key, step in STEPS.items()
            if manage and not development.stopped_on and status in step.statuses
        ],
        history=history_for(request.user, development, branch),
        may_waive=acts_on(request.user, branch.pk, COMMITTEE)
        and status == S.ACTIVIST
        and not development.stopped_on,
    )
    return render(request, "recruitment/dossier.html", context)


@role_required(*READ_ROLES)
def dossier_export(request, pk):
    development = get_development_for_user(request, pk)
    data = dossier_docx(dossier_context(request, development))
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"development-{development.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# The steps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepAction:
    title: str
    form: type
    act: Callable[[Development, dict], object]
    statuses: tuple[str, ...]
    done: str


STEPS: dict[str, StepAction] = {
    "talk": StepAction(
        "与入党申请人谈话",
        f.TalkForm,
        lambda d, c: services.development_talk(
            development=d, on=c["on"], by=c["by"], note=c["note"]
        ),
        (S.APPLICANT,),
        "已登记谈话。",
    ),
    "activist": StepAction(
        "确定为入党积极分子",
        f.ContactsForm,
        lambda d, c: services.development_make_activist(
            development=d, on=c["on"], contacts=list(c["contacts"])
        ),
        (S.APPLICANT,),
        "已确定为入党积极分子。",
    ),
    "contacts": StepAction(
        "更换培养联系人",
        f.ContactsForm,
        lambda d, c: services.development_change_contacts(
            development=d, on=c["on"], contacts=list(c["contacts"])
        ),
        (S.ACTIVIST, S.CANDIDATE),
        "已更换培养联系人。",
    ),
    "review": StepAction(
        "登记考察",
        f.ReviewForm,
        lambda d, c: services.development_review(
            development=d, on=c["on"], reviewer=c["reviewer"], summary=c["summary"]
        ),
        (S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY),
        "已登记考察。",
    ),
    "training": StepAction(
        "登记集中培训",
        f.TrainingForm,
        lambda d, c: services.development_training(
            development=d,
            start=c["start"],
            end=c["end"],
            organiser=c["organiser"],
            days=c["days"],
            hours=c["hours"],
        ),
        (S.ACTIVIST, S.CANDIDATE),
        "已登记集中培训。",
    ),
    "candidate": StepAction(
        "列为发展对象",
        f.CandidateForm,
        lambda d, c: services.development_make_candidate(
            development=d,
            on=c["on"],
            publicity_from=c["publicity_from"],
            publicity_to=c["publicity_to"],
        ),
        (S.ACTIVIST,),
        "已列为发展对象。",
    ),
    "introducers": StepAction(
        "确定入党介绍人",
        f.IntroducersForm,
        lambda d, c: services.development_set_introducers(
            development=d, on=c["on"], introducers=list(c["introducers"])
        ),
        (S.CANDIDATE,),
        "已确定入党介绍人。",
    ),
    "political-review": StepAction(
        "政治审查",
        f.PoliticalReviewForm,
        lambda d, c: services.development_political_review(
            development=d, on=c["on"], result=c["result"]
        ),
        (S.CANDIDATE,),
        "已登记政治审查。",
    ),
    "admission-vote": StepAction(
        "支部大会讨论接收预备党员",
        f.AdmissionVoteForm,
        lambda d, c: services.development_admission_vote(
            development=d,
            on=c["on"],
            entitled=c["entitled"],
            present=c["present"],
            in_favour=c["in_favour"],
            against=c["against"],
            abstain=c["abstain"],
        ),
        (S.CANDIDATE,),
        "已登记支部大会表决，报上级党委审批。",
    ),
    "oath": StepAction(
        "入党宣誓",
        f.OathForm,
        lambda d, c: services.development_oath(development=d, on=c["on"]),
        (S.PROBATIONARY,),
        "已登记入党宣誓。",
    ),
    "extend": StepAction(
        "延长预备期",
        f.ExtendForm,
        lambda d, c: services.development_extend(
            development=d, on=c["on"], months=c["months"], reason=c["reason"]
        ),
        (S.PROBATIONARY,),
        "已登记延长预备期。",
    ),
    "convert": StepAction(
        "支部大会讨论转正",
        f.ConvertForm,
        lambda d, c: services.development_convert(
            development=d, on=c["on"], present=c["present"], in_favour=c["in_favour"]
        ),
        (S.PROBATIONARY,),
        "已按期转为正式党员。",
    ),
    "stop": StepAction(
        "终止发展",
        f.StopForm,
        lambda d, c: services.development_stop(development=d, on=c["on"], reason=c["reason"]),
        (S.APPLICANT, S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY),
        "已终止发展。",
    ),
}


@role_required(*MANAGE_ROLES)
def step(request, pk, step):
    development = get_development_for_user(request, pk, *MANAGE_ROLES)
    action = STEPS.get(step)
    if action is None:
        raise Http404("没有这个步骤。")
    form = action.form(request.POST or None, development=development)
    if request.method == "POST" and form.is_valid():
        try:
            action.act(development, form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, action.done)
            return redirect("recruitment:dossier", pk=development.pk)
    context = {"form": form, "development": development, "action": action}
    return render(request, "recruitment/step.html", context)


# The superior committee ---------------------------------------------------------------------


@role_required(COMMITTEE)
def approvals(request):
    ids = branch_ids_for(request.user, COMMITTEE)
    waiting = Development.objects.awaiting_approval().for_pipeline()
    if ids is not None:
        waiting = waiting.filter(person__branch_id__in=sorted(ids))
    rows = _rows(waiting.order_by("admission_vote_on", "pk"), RuleBook(), timezone.localdate())
    return render(request, "recruitment/approvals.html", {"rows": rows})


@role_required(COMMITTEE)
def approve(request, pk):
    development = get_development_for_user(request, pk, COMMITTEE)
    form = f.ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.development_approve(
                development=development,
                on=data["on"],
                talk_on=data["talk_on"],
                by=request.user,
                note=data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已审批{development.person.name}为预备党员。")
            return redirect("recruitment:approvals")
    context = dossier_context(request, development)
    context["form"] = form
    return render(request, "recruitment/approve.html", context)


@role_required(COMMITTEE)
def waive(request, pk):
    development = get_development_for_user(request, pk, COMMITTEE)
    form = f.WaiverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.development_waive(
                development=development, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "已批准例外，理由已存档。")
            return redirect("recruitment:dossier", pk=development.pk)
    context = dossier_context(request, development)
    context["form"] = form
    return render(request, "recruitment/waive.html", context)


# The time rules -----------------------------------------------------------------------------


def _committees_of(user):
    if user.is_superuser:
        return list(Committee.objects.all())
    return list(
        Committee.objects.filter(
            role_assignments__user=user, role_assignments__role=COMMITTEE
        ).distinct()
    )


@role_required(*READ_ROLES)
def rules(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    today = timezone.localdate()
    book = RuleBook(TimeRule.objects.select_related("committee"))
    committee_id = branch.committee_id
    in_force = [book.rule(key, committee_id, today) for key in TimeRule.Key.values]
    in_force = [rule for rule in in_force if rule is not None]
    relevant = [r for r in book.rules if r.committee_id in (None, committee_id)]
    context = {
        "branch": branch,
        "branch_choices": choices,
        "in_force": in_force,
        "all_rules": sorted(relevant, key=lambda r: (r.key, r.committee_id or 0, r.valid_from)),
        "may_override": request.user.is_superuser
        or any(c.pk == committee_id for c in _committees_of(request.user)),
        "today": today,
    }
    return render(request, "recruitment/rules.html", context)


@role_required(COMMITTEE)
def rule_override(request):
    committees = _committees_of(request.user)
    if not committees:
        raise PermissionDenied("您的账号没有上级党委。")
    wanted = request.GET.get("committee") or request.POST.get("committee")
    committee = next((c for c in committees if str(c.pk) == wanted), committees[0])
    form = f.RuleOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.time_rule_override(committee=committee, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已设定本党委的“{rule.get_key_display()}”：{rule.text}。")
            return redirect("recruitment:rules")
    context = {"form": form, "committee": committee, "committees": committees}
    return render(request, "recruitment/rule_override.html", context)
