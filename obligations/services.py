"""Writes of obligations: a committee's rule, calendar feed tokens."""

from __future__ import annotations

from django.db import transaction

from .models import CalendarFeed, Rule


@transaction.atomic
def rule_save(*, form) -> Rule:
    """Saves a committee's rule (validated by ``RuleForm``); the committee's branches' cached
    pages and to-dos go stale (``members.freshness.rule_changed``), since what they owe may
    have changed."""
    return form.save()


@transaction.atomic
def feed_for(*, branch, person=None) -> CalendarFeed:
    """The branch's feed (``person`` None) or the person's, made on first use."""
    if person is not None:
        feed, _ = CalendarFeed.objects.get_or_create(person=person, defaults={"branch": branch})
    else:
        feed, _ = CalendarFeed.objects.get_or_create(branch=branch, person=None)
    return feed


@transaction.atomic
def feed_renew(*, branch, person=None) -> CalendarFeed:
    """A new private address; the old one stops working at once."""
    feed = feed_for(branch=branch, person=person)
    feed.renew()
    return feed
