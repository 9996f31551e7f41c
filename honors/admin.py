"""Admin of the honors app."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Honor


@admin.register(Honor)
class HonorAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "recipient",
        "person",
        "level",
        "is_typical",
        "awarded_by",
        "awarded_on",
        "branch",
    ]
    list_select_related = ["branch", "person"]
    list_filter = ["level", "is_typical", "recipient", "branch", "awarded_on"]
    search_fields = ["title", "awarded_by", "person__name", "note"]
    date_hierarchy = "awarded_on"
    ordering = ["-awarded_on", "pk"]
    autocomplete_fields = ["branch", "person"]
