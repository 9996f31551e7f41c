"""Writes of the activities app that touch several rows or files, each under one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from common.files import delete_after_commit
from common.history import history_user
from common.images import CleanPhoto
from members.freshness import touch_branches

from .models import Activity, ActivityPhoto, Attendance, Meeting


@transaction.atomic
def activity_save(*, form, participants, photos: Iterable[CleanPhoto] = ()) -> Activity:
    """Save an activity with its participants and any new photos, all or nothing."""
    activity = form.save()
    participants.instance = activity
    participants.save()
    for photo in photos:
        ActivityPhoto.objects.create(
            activity=activity, image=photo.image, thumbnail=photo.thumbnail
        )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    """Delete an activity, its participants and its photos (files removed after commit)."""
    files = []
    for photo in activity.photos.all():
        files += [photo.image, photo.thumbnail]
    delete_after_commit(*files)
    activity.delete()


@transaction.atomic
def activity_photo_delete(*, photo: ActivityPhoto) -> None:
    delete_after_commit(photo.image, photo.thumbnail)
    photo.delete()


@transaction.atomic
def attendance_record(*, meeting: Meeting, rows: Iterable[tuple[int, str, str]]) -> int:
    """Write the whole attendance sheet of ``meeting`` at once: (person id, status, note) rows.

    Rows for people already recorded are updated; the rest are created. Returns the row count.
    """
    before = {
        person_id: (status, note)
        for person_id, status, note in meeting.attendances.values_list("person", "status", "note")
    }
    attendances = [
        Attendance(meeting=meeting, person_id=person_id, status=status, note=note)
        for person_id, status, note in rows
    ]
    Attendance.objects.bulk_create(
        attendances,
        update_conflicts=True,
        unique_fields=["meeting", "person"],
        update_fields=["status", "note"],
    )
    # History in two bulk inserts at most, and only for rows that changed (bulk_create saves
    # no history of its own).
    user = history_user()
    for history_type, changed in (
        ("+", [a for a in attendances if a.person_id not in before]),
        (
            "~",
            [
                a
                for a in attendances
                if before.get(a.person_id, (a.status, a.note)) != (a.status, a.note)
            ],
        ),
    ):
        if changed:
            Attendance.history.bulk_history_create(
                changed, update=history_type == "~", default_user=user
            )
    touch_branches([meeting.branch_id])  # bulk_create sends no post_save
    return len(attendances)


def forget_later_attendance(*, person, last_day: datetime.date) -> int:
    """A member has left (``members.departures``): the attendance recorded for them at their
    branch's meetings held after ``last_day`` goes, for they were not expected there (a sheet
    filled in before the transfer was entered); 教职工大会 are kept while they are still on the
    staff. Returns how many records went (one per meeting); each keeps its history."""
    later = Attendance.objects.filter(
        person=person, meeting__branch=person.branch_id, meeting__held_on__gt=last_day
    )
    still_staff = Q(meeting__kind=Meeting.Kind.STAFF)
    if person.staff_until is not None:
        still_staff &= Q(meeting__held_on__lte=person.staff_until)
    doomed = later.exclude(still_staff)
    _total, by_model = doomed.delete()
    return by_model.get(Attendance._meta.label, 0)
