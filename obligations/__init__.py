"""组织生活 as it is owed: ``obligations.compliance(branch, start, end)`` (see ``judging``)."""


def compliance(branch, start, end, *, today=None):
    """What ``branch`` owed and held from ``start`` to ``end``, rule by rule and period by
    period: ``judging.compliance`` (imported here on first use, after the apps are ready)."""
    from .judging import compliance as judge

    return judge(branch, start, end, today=today)
