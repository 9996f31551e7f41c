"""This app's lines on the to-do lists (``members.todos``) while a round is open."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Q
from django.urls import reverse

from members.access import SECRETARY, branch_list_for
from members.todos import ACTION, INFO, Todo

from .models import Participant, Round


def my_evaluation(user, today):
    """A member evaluated in an open round: their ballot (within its dates) and self-assessment."""
    person = getattr(user, "person", None)
    if person is None:
        return
    places = (
        Participant.objects.filter(person=person, round__closed_on__isnull=True)
        .select_related("round")
        .with_progress()
        .order_by("round")  # one person's: the default's person name and branch add nothing
    )
    for place in places:
        evaluation_round = place.round
        if not place.has_assessed:
            yield Todo(
                f"{evaluation_round.year}年度民主评议：请填写个人自评",
                1,
                reverse("evaluation:self-assessment", args=[evaluation_round.pk]),
                ACTION,
            )
        if not place.has_voted and evaluation_round.voting_open_on(today):
            yield Todo(
                f"{evaluation_round.year}年度民主测评：请投票",
                1,
                reverse("evaluation:ballot", args=[evaluation_round.pk]),
                ACTION,
                f"截止 {evaluation_round.closes_on:%Y-%m-%d}",
            )


def branch_evaluation(user, today):
    """A secretary: an open round's members who have not voted or not written their
    self-assessment; a closed round whose grades the branch meeting has not yet given."""
    branches = branch_list_for(user, SECRETARY) or []
    if not branches:
        return
    rounds = list(  # open rounds and closed ones waiting for their grades, in one query
        Round.objects.filter(branch__in=[b.pk for b in branches])
        .filter(Q(closed_on__isnull=True) | Q(meeting_on__isnull=True))
        .select_related("branch")
    )
    for evaluation_round in (r for r in rounds if r.closed_on is None):
        url = reverse("evaluation:round-detail", args=[evaluation_round.pk])
        waiting = evaluation_round.participants.count_waiting()
        name = f"{evaluation_round.branch.short_name}{evaluation_round.year}年度民主评议"
        yield Todo(f"{name}：尚未投票", waiting["not_voted"], url, INFO)
        yield Todo(f"{name}：尚未自评", waiting["not_assessed"], url, INFO)
        if evaluation_round.closes_on < today:
            yield Todo(f"{name}：测评已到截止日期，请结束测评", 1, url, ACTION)
    for evaluation_round in (r for r in rounds if r.closed_on is not None):
        yield Todo(
            f"{evaluation_round.branch.short_name}{evaluation_round.year}年度民主评议：待支部党员大会评定等次",
            1,
            reverse("evaluation:round-decide", args=[evaluation_round.pk]),
            ACTION,
        )


def evaluation_for_many(users, today):
    """``my_evaluation`` for many members in one query (the weekly digest)."""
    found = defaultdict(list)
    places = (
        Participant.objects.filter(
            person__user__in=[user.pk for user in users], round__closed_on__isnull=True
        )
        .select_related("round")
        .with_progress()
        .annotate(user_pk=F("person__user"))
    )
    for place in places:
        evaluation_round = place.round
        if not place.has_assessed:
            found[place.user_pk].append(
                Todo(
                    f"{evaluation_round.year}年度民主评议：请填写个人自评",
                    1,
                    reverse("evaluation:self-assessment", args=[evaluation_round.pk]),
                    ACTION,
                )
            )
        if not place.has_voted and evaluation_round.voting_open_on(today):
            found[place.user_pk].append(
                Todo(
                    f"{evaluation_round.year}年度民主测评：请投票",
                    1,
                    reverse("evaluation:ballot", args=[evaluation_round.pk]),
                    ACTION,
                    f"截止 {evaluation_round.closes_on:%Y-%m-%d}",
                )
            )
    return found
