"""Views of the dues app.

Personal amounts: the member's own page (``mine`` / ``person-dues``) and the secretary's pages
(ledger, recording, arrears, bases, the 登记表). Staff and the committee see totals only
(``summary``, ``committee``).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from common.xlsx import CONTENT_TYPE
from members.access import (
    COMMITTEE,
    MEMBER,
    READ_ROLES,
    SECRETARY,
    STAFF,
    acts_on,
    branch_list_for,
    get_branch_choice,
    role_required,
)
from members.models import Branch, Person

from . import ledger as figures
from .access import get_dues_person_for_user, get_payment_for_user
from .export import ledger_workbook
from .forms import (
    BaseForm,
    BaseUploadForm,
    MonthHeadForm,
    MonthRowForm,
    PaymentForm,
    ReverseForm,
    YearBaseRowForm,
    apply_errors,
    month_choices,
)
from .importing import BaseImportError, RosterFileError, base_import, base_template
from .models import INCOME_CATEGORIES, ZERO, DuesBase, MonthlyDue, Payment
from .months import add_months, label, month_of
from .services import (
    BaseEntry,
    MonthBatchError,
    MonthEntry,
    base_set,
    base_year_set,
    check_base,
    month_payments_record,
    payment_record,
    payment_reverse,
)

ALL_ROLES = (SECRETARY, STAFF, MEMBER, COMMITTEE)


def _today() -> datetime.date:
    return timezone.localdate()


def _year(request) -> int:
    today = _today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _latest_bases(people_ids, today) -> dict[int, DuesBase]:
    """Each person's base in force this month (one query)."""
    found: dict[int, DuesBase] = {}
    for base in DuesBase.objects.filter(person_id__in=people_ids, valid_from__lte=month_of(today)):
        if base.person_id not in found or base.valid_from > found[base.person_id].valid_from:
            found[base.person_id] = base
    return found


def _branch_url(name: str, branch, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"branch": branch.pk, **params}.items())
    return f"{reverse(name)}?{query}"


# A member's own dues ---------------------------------------------------------------------


def _person_page(request, person, *, own: bool):
    today = _today()
    year = _year(request)
    rows = MonthlyDue.objects.filter(person=person).of_year(year).order_by("month")
    payments = (
        Payment.objects.filter(person=person, paid_on__year=year)
        .select_related("reverses")
        .prefetch_related("lines")
        .order_by("-paid_on", "-pk")
    )
    base = _latest_bases([person.pk], today).get(person.pk)
    return render(
        request,
        "dues/person_dues.html",
        {
            "person": person,
            "own": own,
            "year": year,
            "years": [year - 1, year, year + 1] if year < today.year else [year - 1, year],
            "rows": rows,
            "totals": rows.totals(today),
            "payments": payments,
            "base": base,
            "arrear": figures.person_arrear(person, today),
            "this_month": month_of(today),
            "is_secretary": _is_secretary_of(request, person),
        },
    )


@role_required(*ALL_ROLES)
def mine(request):
    person = Person.objects.filter(user=request.user).select_related("branch").first()
    if person is None:
        return render(request, "dues/no_person.html")
    return _person_page(request, person, own=True)


@role_required(SECRETARY, MEMBER)
def person_dues(request, pk):
    person = get_dues_person_for_user(request, pk)
    return _person_page(request, person, own=person.user_id == request.user.pk)


# The secretary's ledger -------------------------------------------------------------------


@role_required(SECRETARY)
def ledger(request):
    branch, choices = get_branch_choice(request, SECRETARY)
    today = _today()
    year = _year(request)
    book = figures.branch_ledger(branch, year, today)
    return render(
        request,
        "dues/ledger.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "year": year,
            "ledger": book,
            "this_month": month_of(today),
            "missing": figures.members_without_base(branch, today).count(),
        },
    )


@role_required(SECRETARY)
def ledger_export(request):
    branch, _ = get_branch_choice(request, SECRETARY)
    today = _today()
    year = _year(request)
    book = figures.branch_ledger(branch, year, today)
    last_day = min(today, datetime.date(year, 12, 31))
    bases = _latest_bases([row.person.pk for row in book.rows], last_day)
    response = HttpResponse(ledger_workbook(branch, book, bases), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="dues-{branch.pk}-{year}.xlsx"'
    return response


@role_required(SECRETARY)
def arrears(request):
    branch, choices = get_branch_choice(request, SECRETARY)
    today = _today()
    return render(
        request,
        "dues/arrears.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "arrears": figures.branch_arrears(branch, today),
            "limits": figures.limits(today),
            "article_9": figures.lapse_text(today),
        },
    )


# Recording payments ----------------------------------------------------------------------


@role_required(SECRETARY)
def record_month(request):
    branch, choices = get_branch_choice(request, SECRETARY)
    today = _today()
    options = month_choices(add_months(month_of(today), -12), month_of(today))
    wanted = request.GET.get("month") or request.POST.get("month") or options[0][0]
    try:
        month = month_of(datetime.date.fromisoformat(wanted))
    except ValueError:
        month = month_of(today)
    rows = list(
        MonthlyDue.objects.for_branch(branch)
        .filter(month=month, due__gt=0)
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    head = MonthHeadForm(request.POST or None, initial={"paid_on": today})
    forms = [
        MonthRowForm(
            request.POST or None,
            prefix=f"p{row.person_id}",
            row_label=row.person.name,
            initial={"amount": row.short if row.short > 0 else None},
        )
        for row in rows
    ]
    if request.method == "POST" and head.is_valid() and all(f.is_valid() for f in forms):
        entries = [
            MonthEntry(
                person=row.person,
                amount=form.cleaned_data["amount"],
                way=form.cleaned_data["way"],
                receipt_no=form.cleaned_data["receipt_no"],
                paid_by=form.cleaned_data["paid_by"],
            )
            for row, form in zip(rows, forms, strict=True)
            if not row.is_paid
        ]
        try:
            saved = month_payments_record(
                branch=branch,
                month=month,
                paid_on=head.cleaned_data["paid_on"],
                entries=entries,
                by=request.user,
            )
        except MonthBatchError as error:
            for row, form in zip(rows, forms, strict=True):
                for name, message in error.problems.get(row.person_id, {}).items():
                    form.add_error(name if name in form.fields else None, message)
            messages.error(request, str(error))
        except ValidationError as error:
            apply_errors(head, error)
        else:
            messages.success(request, f"已登记 {len(saved)} 笔{label(month)}党费。")
            return redirect(_branch_url("dues:ledger", branch, year=month.year))
    return render(
        request,
        "dues/record_month.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "month": month,
            "month_options": options,
            "head": head,
            "lines": list(zip(rows, forms, strict=True)),
        },
    )


@role_required(SECRETARY)
def payment_create(request, pk):
    person = get_dues_person_for_user(request, pk)
    if not _is_secretary_of(request, person):
        raise PermissionDenied("党费由支部书记登记。")
    today = _today()
    kept = list(
        MonthlyDue.objects.filter(
            person=person, due__gt=0, month__lte=add_months(month_of(today), 3)
        )
        .order_by("month")
        .only("month", "due", "paid")
    )
    options = [row.month for row in kept]
    owing = [
        row.month.isoformat() for row in kept if not row.is_paid and row.month <= month_of(today)
    ]
    form = PaymentForm(
        request.POST or None,
        month_options=options,
        initial={
            "paid_on": today,
            "months": owing,
            "amount": sum((row.short for row in kept if row.month.isoformat() in owing), ZERO)
            or None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment_record(
                person=person,
                months=data["months"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                way=data["way"],
                receipt_no=data["receipt_no"],
                paid_by=data["paid_by"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已登记{person}交纳的党费 {data['amount']} 元。")
            return redirect("dues:person-dues", pk=person.pk)
    return render(request, "dues/payment_form.html", {"person": person, "form": form, "kept": kept})


def _is_secretary_of(request, person) -> bool:
    return acts_on(request.user, person.branch_id, SECRETARY)


@role_required(SECRETARY)
def payment_reverse_view(request, pk):
    payment = get_payment_for_user(request, pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment_reverse(payment=payment, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "已登记冲销记录，原记录保留。")
            return redirect("dues:person-dues", pk=payment.person_id)
    return render(request, "dues/payment_reverse.html", {"payment": payment, "form": form})


# Bases -------------------------------------------------------------------------------------


@role_required(SECRETARY)
def base_list(request):
    branch, choices = get_branch_choice(request, SECRETARY)
    today = _today()
    people = list(Person.objects.for_branch(branch).members_on(today).order_by("name", "pk"))
    bases = _latest_bases([p.pk for p in people], add_months(month_of(today), 12))
    return render(
        request,
        "dues/base_list.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "rows": [(person, bases.get(person.pk)) for person in people],
            "year": today.year,
        },
    )


@role_required(SECRETARY)
def base_create(request, pk):
    person = get_dues_person_for_user(request, pk)
    if not _is_secretary_of(request, person):
        raise PermissionDenied("党费基数由支部书记核定。")
    today = _today()
    current = _latest_bases([person.pk], today).get(person.pk)
    initial = {"category": current.category, "income": current.income} if current else {}
    form = BaseForm(request.POST or None, today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            base_set(
                entry=BaseEntry(
                    person=person,
                    category=data["category"],
                    income=data["income"],
                    voluntary_extra=data["voluntary_extra"] or ZERO,
                    note=data["note"],
                ),
                valid_from=data["valid_from"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已核定{person}自{label(data['valid_from'])}起的党费基数。")
            return redirect("dues:person-dues", pk=person.pk)
    history = DuesBase.objects.filter(person=person).order_by("-valid_from")
    return render(
        request, "dues/base_form.html", {"person": person, "form": form, "history": history}
    )


@role_required(SECRETARY)
def base_year(request):
    branch, choices = get_branch_choice(request, SECRETARY)
    today = _today()
    year = _year(request)
    people = list(
        Person.objects.for_branch(branch)
        .members_on(datetime.date(year, 1, 1))
        .order_by("name", "pk")
    )
    bases = _latest_bases([p.pk for p in people], datetime.date(year, 1, 1))
    forms = [
        YearBaseRowForm(
            request.POST or None,
            prefix=f"p{person.pk}",
            row_label=person.name,
            initial={
                "category": bases[person.pk].category,
                "income": bases[person.pk].income,
                "voluntary_extra": bases[person.pk].voluntary_extra or None,
            }
            if person.pk in bases
            else {},
        )
        for person in people
    ]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        entries = [
            BaseEntry(
                person=person,
                category=form.cleaned_data["category"],
                income=form.cleaned_data["income"],
                voluntary_extra=form.cleaned_data["voluntary_extra"] or ZERO,
            )
            for person, form in zip(people, forms, strict=True)
        ]
        problems = 0
        for entry, form in zip(entries, forms, strict=True):
            for name, message in check_base(
                entry.category, entry.income, entry.voluntary_extra
            ).items():
                form.add_error(name, message)
                problems += 1
        if not problems:
            base_year_set(branch=branch, year=year, entries=entries, by=request.user)
            messages.success(request, f"已核定 {len(entries)} 名党员 {year} 年的党费基数。")
            return redirect(_branch_url("dues:ledger", branch, year=year))
        messages.error(request, "有党员的基数未通过检查，未保存任何基数。")
    return render(
        request,
        "dues/base_year.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "year": year,
            "lines": list(zip(people, forms, strict=True)),
            "income_categories": list(INCOME_CATEGORIES),
            "today": today,
        },
    )


@role_required(SECRETARY)
def base_template_download(request):
    branch, _ = get_branch_choice(request, SECRETARY)
    year = _year(request)
    people = Person.objects.for_branch(branch).members_on(datetime.date(year, 1, 1))
    bases = _latest_bases(list(people.values_list("pk", flat=True)), datetime.date(year, 1, 1))
    response = HttpResponse(base_template(branch, year, bases), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="dues-bases-{branch.pk}-{year}.xlsx"'
    return response


@role_required(SECRETARY)
def base_import_view(request):
    branch, choices = get_branch_choice(request, SECRETARY)
    year = _year(request)
    form = BaseUploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            saved = base_import(
                content=content, branch=branch, year=year, name=upload.name, by=request.user
            )
        except RosterFileError as error:
            form.add_error("file", str(error))
        except BaseImportError as error:
            preview = error.preview
            messages.error(request, str(error))
        else:
            messages.success(request, f"已导入 {len(saved)} 名党员 {year} 年的党费基数。")
            return redirect(_branch_url("dues:ledger", branch, year=year))
    return render(
        request,
        "dues/base_import.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "year": year,
            "form": form,
            "preview": preview,
        },
    )


# Totals for staff and the committee ---------------------------------------------------------


@role_required(*READ_ROLES)
def summary(request):
    branch, choices = get_branch_choice(request, *READ_ROLES)
    today = _today()
    year = _year(request)
    kept = MonthlyDue.objects.for_branch(branch).of_year(year)
    return render(
        request,
        "dues/summary.html",
        {
            "branch": branch,
            "branch_choices": choices,
            "year": year,
            "by_month": kept.totals_by_month(today),
            "figures": figures.year_figures(branch, year, today),
        },
    )


@role_required(COMMITTEE)
def committee(request):
    today = _today()
    year = _year(request)
    branches = branch_list_for(request.user, COMMITTEE)
    if branches is None:  # the superuser
        branches = list(Branch.objects.all())
    branches = sorted(branches, key=lambda b: (b.short_name, b.pk))
    rows = figures.committee_totals(branches, year, today)
    totals = {
        key: sum((getattr(row, key) for row in rows), ZERO) for key in ("due", "paid", "owed")
    }
    return render(
        request,
        "dues/committee.html",
        {"rows": rows, "year": year, "totals": totals, "limits": figures.limits(today)},
    )
