"""Optimistic edit check: two people editing the same record do not silently overwrite each other.

An edit form carries, in a hidden field, a fingerprint of the record as it was when the form was
shown (every stored column). When the form comes back, the record must still have that
fingerprint; otherwise someone else saved it in between and the form is refused with
``CONFLICT_MESSAGE`` (nothing is written)::

    class PersonForm(EditConflictMixin, forms.ModelForm): ...

The form checks once while validating (the usual case: a clear error above the form) and again
in ``save()``, inside ``transaction.atomic`` with the row locked (``select_for_update``), so a
save that slips in between the two is caught too: ``save()`` then raises ``EditConflict``, which
the view turns into the same error with ``save_or_conflict``.

A form posted without the hidden field (an old page, a script) is not checked.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

CONFLICT_MESSAGE = "此记录已被他人修改，请刷新后重新编辑。"
VERSION_FIELD = "record_version"


class EditConflict(ValidationError):
    """The record changed since the form was shown."""

    def __init__(self):
        super().__init__(CONFLICT_MESSAGE, code="conflict")


def record_version(instance) -> str:
    """A fingerprint of every stored column of ``instance`` (no queries)."""
    values = []
    for model_field in instance._meta.concrete_fields:
        value = model_field.value_from_object(instance)
        values.append(f"{model_field.attname}={getattr(value, 'name', value)!r}")
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


class EditConflictMixin:
    """For a ModelForm: refuse the save when the record changed since the form was shown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_version = None
        if self.instance.pk is not None and not self.instance._state.adding:
            self._loaded_version = record_version(self.instance)
            self.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=self._loaded_version
            )

    def _submitted_version(self) -> str:
        if self._loaded_version is None:
            return ""
        return (getattr(self, "cleaned_data", {}).get(VERSION_FIELD) or "").strip()

    def clean(self):
        cleaned = super().clean()
        submitted = self._submitted_version()
        if submitted and submitted != self._loaded_version:
            raise EditConflict()
        return cleaned

    def save(self, commit=True):
        submitted = self._submitted_version()
        if not submitted:
            return super().save(commit)
        with transaction.atomic():
            current = type(self.instance)._base_manager.select_for_update().get(pk=self.instance.pk)
            if record_version(current) != submitted:
                raise EditConflict()
            return super().save(commit)


def save_or_conflict(form, save=None):
    """``save()`` (default ``form.save``); on a conflict put the message on the form, return None."""
    try:
        return (save or form.save)()
    except EditConflict as conflict:
        form.add_error(None, conflict)
        return None
