"""Writes of the dues app, each in one transaction: bases, payments, reversals, and the
refresh of the kept dues (``MonthlyDue``) that every one of them ends with.

Refused input raises ``ValidationError`` with messages in Chinese keyed by the form field they
belong to, so a form shows each next to its field; nothing is half-saved.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from members.models import Membership, Person

from .ledger import limits
from .models import (
    INCOME_CATEGORIES,
    ZERO,
    DuesBase,
    Limit,
    MonthlyDue,
    Payment,
    PaymentMonth,
)
from .months import add_months, label, month_of, month_range, months_between
from .rates import CENT, MAX_INCOME, NoRate, RateBook

# The kept dues --------------------------------------------------------------------------


def _first_due_month(membership: Membership) -> datetime.date:
    """A member admitted at a 支部大会 pays from that month; one transferred in during a month
    pays from the next (the month was paid in the branch they came from)."""
    first = month_of(membership.start)
    if membership.joined_how == Membership.Joined.TRANSFERRED_IN and membership.start.day > 1:
        first = add_months(first, 1)
    return first


def due_months(memberships: Iterable[Membership], horizon: datetime.date) -> list[datetime.date]:
    """The months in which a person owes dues in their branch, up to ``horizon``: every month of
    a membership, the month they leave (transferred out) included."""
    found: set[datetime.date] = set()
    for membership in memberships:
        first = _first_due_month(membership)
        last = min(month_of(membership.end), horizon) if membership.end else horizon
        if first <= last:
            found.update(month_range(first, last))
    return sorted(found)


def _horizon(bases: list[DuesBase], today: datetime.date) -> datetime.date:
    """Dues are kept to the December of this year, or of the latest base's year."""
    year = max([today.year, *(base.valid_from.year for base in bases)])
    return datetime.date(year, 12, 1)


def dues_refresh(people: Iterable[Person], *, today: datetime.date | None = None) -> int:
    """Rewrite the kept dues of ``people`` from their bases, memberships and payments.

    A fixed number of queries for any number of people: memberships, bases, rates and payment
    sums are each read once, the old rows deleted and the new ones written in bulk. Returns the
    number of member-months written.
    """
    people = list(people)
    if not people:
        return 0
    today = today or timezone.localdate()
    ids = [person.pk for person in people]
    memberships: dict[int, list] = defaultdict(list)
    for membership in Membership.objects.filter(person_id__in=ids):
        memberships[membership.person_id].append(membership)
    bases: dict[int, list] = defaultdict(list)
    for base in DuesBase.objects.filter(person_id__in=ids).order_by("valid_from"):
        bases[base.person_id].append(base)
    paid: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    for row in (
        PaymentMonth.objects.filter(payment__person_id__in=ids)
        .values("payment__person_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        paid[row["payment__person_id"]][row["month"]] = row["total"]
    book = RateBook()
    rows = []
    for person in people:
        own = bases.get(person.pk, [])
        owing: set[datetime.date] = set()
        if own:
            horizon = _horizon(own, today)
            owing = {
                month
                for month in due_months(memberships[person.pk], horizon)
                if month >= own[0].valid_from
            }
        own_paid = paid.get(person.pk, {})
        for month in sorted(owing | {month for month, amount in own_paid.items() if amount}):
            due = ZERO
            if month in owing:
                base = next(b for b in reversed(own) if b.valid_from <= month)
                due = book.amount(base.category, base.income, month, base.voluntary_extra)
            rows.append(
                MonthlyDue(
                    branch_id=person.branch_id,
                    person_id=person.pk,
                    month=month,
                    due=due,
                    paid=own_paid.get(month, ZERO),
                )
            )
    with transaction.atomic():
        MonthlyDue.objects.filter(person_id__in=ids).delete()
        MonthlyDue.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# Bases ----------------------------------------------------------------------------------


def check_base(category: str, income: Decimal | None, extra: Decimal | None) -> dict[str, str]:
    """The problems of a base, keyed by field: income required, in range, to the 分."""
    problems = {}
    if category in INCOME_CATEGORIES and income is None:
        problems["income"] = "在职和离退休党员须填写月计算基数。"
    elif category not in INCOME_CATEGORIES and income not in (None, ZERO):
        problems["income"] = "该类别按固定金额交纳党费，不填写月计算基数。"
    elif income is not None:
        if income < 0:
            problems["income"] = "月计算基数不能为负数。"
        elif income > MAX_INCOME:
            problems["income"] = "月计算基数不能超过 1000000 元。"
        elif income != income.quantize(CENT):
            problems["income"] = "金额最多保留两位小数（到分）。"
    if extra is not None:
        if extra < 0:
            problems["voluntary_extra"] = "自愿多交金额不能为负数。"
        elif extra != extra.quantize(CENT):
            problems["voluntary_extra"] = "金额最多保留两位小数（到分）。"
    return problems


@dataclass
class BaseEntry:
    person: Person
    category: str
    income: Decimal | None
    voluntary_extra: Decimal = ZERO
    note: str = ""


def _save_bases(entries: list[BaseEntry], valid_from: datetime.date, by) -> list[DuesBase]:
    saved = []
    for entry in entries:
        problems = check_base(entry.category, entry.income, entry.voluntary_extra)
        if problems:
            raise ValidationError({k: f"{entry.person}：{v}" for k, v in problems.items()})
        base, _ = DuesBase.objects.update_or_create(
            person=entry.person,
            valid_from=valid_from,
            defaults={
                "category": entry.category,
                "income": entry.income if entry.category in INCOME_CATEGORIES else None,
                "voluntary_extra": entry.voluntary_extra or ZERO,
                "note": entry.note,
                "set_by": by,
            },
        )
        saved.append(base)
    try:
        book = RateBook()
        for base in saved:
            book.amount(base.category, base.income, base.valid_from)
    except NoRate as error:
        raise ValidationError({"category": str(error)}) from error
    dues_refresh([entry.person for entry in entries])
    return saved


@transaction.atomic
def base_set(*, entry: BaseEntry, valid_from: datetime.date, by=None) -> DuesBase:
    """A member's base from a month on (the month the wage changes), replacing that month's."""
    return _save_bases([entry], month_of(valid_from), by)[0]


@transaction.atomic
def base_year_set(*, branch, year: int, entries: list[BaseEntry], by=None) -> list[DuesBase]:
    """The yearly base of the whole branch, from January of ``year``: every row, or none."""
    if any(entry.person.branch_id != branch.pk for entry in entries):
        raise ValidationError("只能为本支部的党员核定党费基数。")
    return _save_bases(entries, datetime.date(year, 1, 1), by)


# Payments -------------------------------------------------------------------------------


def _months_problem(person: Person, months: list[datetime.date], rows: dict) -> str | None:
    missing = [month for month in months if month not in rows or rows[month].due <= 0]
    if not missing:
        return None
    member_months = set(due_months(person.memberships.all(), max(missing)))
    outside = [month for month in missing if month not in member_months]
    if outside:
        return f"{label(outside[0])}不在{person}的党员关系期内（尚未入党、转入，或已转出），不能交党费。"
    return f"{person}{label(missing[0])}尚未核定党费基数，请先核定基数。"


def check_payment(
    *,
    person: Person,
    months: list[datetime.date],
    amount: Decimal | None,
    paid_on: datetime.date | None,
    receipt_no: str,
    note: str,
    rows: dict | None = None,
    today: datetime.date | None = None,
    taken: set[str] | None = None,
    back_months: int | None = None,
) -> dict[str, str]:
    """The problems of a payment, keyed by form field (no writes). ``back_months``: how far
    back a payment needs no note (the DuesRule in force on the day paid; read when not given)."""
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    if amount is None or amount <= 0:
        problems["amount"] = "交费金额须大于 0。"
    elif amount != amount.quantize(CENT):
        problems["amount"] = "金额最多保留两位小数（到分）。"
    if paid_on is None:
        problems["paid_on"] = "请填写交纳日期。"
    elif paid_on > today:
        problems["paid_on"] = "交纳日期不能晚于今天。"
    if not months:
        problems["months"] = "请至少选择一个月份。"
    else:
        if rows is None:
            rows = {
                row.month: row for row in MonthlyDue.objects.filter(person=person, month__in=months)
            }
        problem = _months_problem(person, months, rows)
        if problem:
            problems["months"] = problem
        elif paid_on is not None and not note.strip():
            oldest = min(months)
            if back_months is None:
                back_months = limits(paid_on)[Limit.BACK_PAYMENT]
            if months_between(oldest, month_of(paid_on)) > back_months:
                problems["note"] = (
                    f"补交{label(oldest)}的党费已超过 {back_months} 个月，请在备注中说明原因。"
                )
    receipt_no = receipt_no.strip()
    if receipt_no:
        if taken is None:
            taken = receipts_taken(person.branch_id, [receipt_no])
        if receipt_no in taken:
            problems["receipt_no"] = f"本支部已有收据编号“{receipt_no}”。"
    return problems


def receipts_taken(branch_id: int, numbers: list[str]) -> set[str]:
    """Which of ``numbers`` the branch's payments already carry (one query, on the partial
    unique index of the receipt numbers)."""
    numbers = [number for number in numbers if number]
    if not numbers:
        return set()
    return set(
        Payment.objects.originals()
        .exclude(receipt_no="")
        .filter(branch_id=branch_id, receipt_no__in=numbers)
        .values_list("receipt_no", flat=True)
    )


def allocate(amount: Decimal, rows: list[MonthlyDue]) -> list[tuple[datetime.date, Decimal]]:
    """Share ``amount`` over the months in order: each month what it still lacks, the rest
    (voluntary extra) to the last month."""
    left = amount
    lines = []
    for row in rows:
        part = min(max(row.due - row.paid, ZERO), left)
        lines.append([row.month, part])
        left -= part
    if left > 0:
        lines[-1][1] += left
    return [(month, part) for month, part in lines if part > 0]


def _write_payment(*, person, months, amount, paid_on, way, receipt_no, paid_by, note, by, rows):
    ordered = [rows[month] for month in sorted(months)]
    payment = Payment.objects.create(
        branch_id=person.branch_id,
        person=person,
        amount=amount,
        paid_on=paid_on,
        way=way,
        receipt_no=receipt_no.strip(),
        paid_by=paid_by.strip(),
        note=note.strip(),
        recorded_by=by,
    )
    PaymentMonth.objects.bulk_create(
        PaymentMonth(payment=payment, month=month, amount=part)
        for month, part in allocate(amount, ordered)
    )
    return payment


@transaction.atomic
def payment_record(
    *,
    person: Person,
    months: list[datetime.date],
    amount: Decimal,
    paid_on: datetime.date,
    way: str,
    receipt_no: str = "",
    paid_by: str = "",
    note: str = "",
    by=None,
) -> Payment:
    """One payment of ``person`` for one or several months."""
    months = sorted({month_of(month) for month in months})
    rows = {
        row.month: row
        for row in MonthlyDue.objects.select_for_update().filter(person=person, month__in=months)
    }
    problems = check_payment(
        person=person,
        months=months,
        amount=amount,
        paid_on=paid_on,
        receipt_no=receipt_no,
        note=note,
        rows=rows,
    )
    if problems:
        raise ValidationError(problems)
    payment = _write_payment(
        person=person,
        months=months,
        amount=amount,
        paid_on=paid_on,
        way=way,
        receipt_no=receipt_no,
        paid_by=paid_by,
        note=note,
        by=by,
        rows=rows,
    )
    dues_refresh([person])
    return payment


@dataclass
class MonthEntry:
    person: Person
    amount: Decimal | None
    way: str
    receipt_no: str = ""
    paid_by: str = ""


class MonthBatchError(Exception):
    """Rows of a month's recording that were refused: {person pk: {field: message}}."""

    def __init__(self, problems: dict[int, dict[str, str]]):
        super().__init__("有记录未通过检查，未保存任何交费。")
        self.problems = problems


@transaction.atomic
def month_payments_record(
    *, branch, month: datetime.date, paid_on: datetime.date, entries: list[MonthEntry], by=None
) -> list[Payment]:
    """The month's payments of the whole branch, all in one transaction, or none."""
    month = month_of(month)
    entries = [entry for entry in entries if entry.amount is not None]
    people = [entry.person for entry in entries]
    rows = {
        row.person_id: row
        for row in MonthlyDue.objects.select_for_update().filter(
            person__in=people, month=month, branch=branch
        )
    }
    problems: dict[int, dict[str, str]] = {}
    receipts: dict[str, int] = {}
    taken = receipts_taken(branch.pk, [entry.receipt_no.strip() for entry in entries])
    back_months = limits(paid_on)[Limit.BACK_PAYMENT]
    for entry in entries:
        if entry.person.branch_id != branch.pk:
            problems[entry.person.pk] = {"amount": "不是本支部的党员。"}
            continue
        own = {month: rows[entry.person.pk]} if entry.person.pk in rows else {}
        found = check_payment(
            person=entry.person,
            months=[month],
            amount=entry.amount,
            paid_on=paid_on,
            receipt_no=entry.receipt_no,
            note="",
            rows=own,
            taken=taken,
            back_months=back_months,
        )
        receipt = entry.receipt_no.strip()
        if receipt and receipt in receipts and "receipt_no" not in found:
            found["receipt_no"] = "与本次登记中另一行的收据编号重复。"
        receipts.setdefault(receipt, entry.person.pk)
        if found:
            problems[entry.person.pk] = found
    if problems:
        raise MonthBatchError(problems)
    payments = [
        _write_payment(
            person=entry.person,
            months=[month],
            amount=entry.amount,
            paid_on=paid_on,
            way=entry.way,
            receipt_no=entry.receipt_no,
            paid_by=entry.paid_by,
            note="",
            by=by,
            rows={month: rows[entry.person.pk]},
        )
        for entry in entries
    ]
    dues_refresh(people)
    return payments


@transaction.atomic
def payment_reverse(*, payment: Payment, reason: str, by=None) -> Payment:
    """Cancel a payment by a reversing entry (negative, with the reason); nothing is edited."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not reason.strip():
        raise ValidationError({"reason": "请填写冲销原因。"})
    if payment.is_reversal:
        raise ValidationError({"reason": "冲销记录本身不能再冲销。"})
    if Payment.objects.filter(reverses=payment).exists():
        raise ValidationError({"reason": "该交费记录已被冲销。"})
    reversal = Payment.objects.create(
        branch_id=payment.branch_id,
        person_id=payment.person_id,
        amount=-payment.amount,
        paid_on=timezone.localdate(),
        way=payment.way,
        receipt_no=payment.receipt_no,
        paid_by=payment.paid_by,
        note=f"冲销 {payment.paid_on} 的交费",
        reverses=payment,
        reason=reason.strip(),
        recorded_by=by,
    )
    PaymentMonth.objects.bulk_create(
        PaymentMonth(payment=reversal, month=line.month, amount=-line.amount)
        for line in payment.lines.all()
    )
    dues_refresh([payment.person])
    return reversal
