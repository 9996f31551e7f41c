"""A membership that starts, ends or changes moves the months a person owes dues: their kept
dues are rewritten in the same transaction (``members`` does not know this app)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from members.models import Membership, Person

from .models import DuesBase, MonthlyDue
from .services import dues_refresh


def _membership_changed(sender, instance: Membership, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata (a restore): the kept dues come with the data
    origin = kwargs.get("origin")
    if origin is not None and not isinstance(origin, Membership):
        return  # the person (and their dues) are being deleted with it
    person = instance.person
    if DuesBase.objects.filter(person=person).exists():
        dues_refresh([person])


def _person_saved(sender, instance: Person, created: bool, **kwargs):
    if not created and not kwargs.get("raw"):
        MonthlyDue.objects.filter(person=instance).exclude(branch_id=instance.branch_id).update(
            branch_id=instance.branch_id
        )


def connect() -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="dues-membership")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="dues-membership-del")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="dues-person")
