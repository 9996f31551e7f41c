"""Admin of the reports app: the narrative texts and the report options, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import NarrativeText, ReportOptions


@admin.register(NarrativeText)
class NarrativeTextAdmin(SimpleHistoryAdmin):
    list_display = ["campaign", "year", "section", "carrier", "title", "updated_at"]
    list_select_related = ["campaign", "campaign__branch", "carrier"]
    list_filter = ["section", "campaign__branch"]
    search_fields = ["title", "text", "campaign__name", "carrier__name"]
    ordering = ["campaign", "section", "carrier__order"]
    raw_id_fields = ["campaign", "carrier"]


@admin.register(ReportOptions)
class ReportOptionsAdmin(SimpleHistoryAdmin):
    list_display = ["campaign", "year", "kind", "title", "signature_date", "list_records"]
    list_select_related = ["campaign", "campaign__branch"]
    list_filter = ["kind", "campaign__branch"]
    raw_id_fields = ["campaign"]
