"""Checks on a change of political status: a small registry the apps fill, run by the service.

``members.services.person_change_status`` moves a person from one status to the next (入党申请人
→ 入党积极分子 → …). ``members`` knows the statuses but not the rules of admission (order, time
rules, the evidence each stage needs); the app that keeps them registers a check in its
``AppConfig.ready``::

    from members import status_checks

    @status_checks.register
    def admission_rules(*, person, current, status, on):
        ...
        raise ValidationError({"on": "列为发展对象须在……之后，最早 2026-03-01。"})

A check receives the person (their branch loaded), the current stage (a ``StatusStage`` or
``None``), the new status and the day it begins; it raises ``ValidationError`` (a Chinese message,
keyed by the form field it concerns: ``status`` or ``on``) to refuse the change, and returns
nothing to allow it. Every registered check runs, inside the service's transaction, before
anything is written. Lower apps never import the apps that register checks.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

Check = Callable[..., None]
_checks: list[Check] = []


def register(check: Check) -> Check:
    """Adds a check (usable as a decorator); registering the same function twice is a no-op."""
    if check not in _checks:
        _checks.append(check)
    return check


def checks() -> tuple[Check, ...]:
    return tuple(_checks)


def run(*, person, current, status: str, on: datetime.date) -> None:
    """Runs every check; the first that refuses raises its ``ValidationError``."""
    for check in _checks:
        check(person=person, current=current, status=status, on=on)
