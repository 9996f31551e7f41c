"""``{% error_summary form formset … %}``: every error of a page's forms in one box at the top.

base.html renders it for the page's ``form``; a page with formsets overrides the
``error_summary`` block and names them too. Each error links to its field (``#id_…``); the
box has ``role="alert"`` and ``static/js/error-summary.js`` moves the focus to its first link, so
on a phone a failed submit is seen at once, wherever the field is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class ErrorLink:
    field_id: str  # "" for an error of the whole form
    label: str
    message: str


def _form_errors(form) -> list[ErrorLink]:
    found = [ErrorLink("", "", str(message)) for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        widget_id = bound.id_for_label or bound.auto_id or ""
        for message in messages:
            found.append(ErrorLink(widget_id, str(bound.label or name), str(message)))
    return found


def errors_of(*forms_or_formsets) -> list[ErrorLink]:
    errors: list[ErrorLink] = []
    for thing in forms_or_formsets:
        if not thing or not getattr(thing, "is_bound", False):
            continue
        if isinstance(thing, forms.BaseFormSet):
            errors += [ErrorLink("", "", str(m)) for m in thing.non_form_errors()]
            for form in thing.forms:
                errors += _form_errors(form)
        elif isinstance(thing, forms.BaseForm):
            errors += _form_errors(thing)
    return errors


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_or_formsets):
    return {"errors": errors_of(*forms_or_formsets)}
