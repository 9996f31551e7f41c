from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarFeed, DigestPreference, DigestSent, Rule


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "kind",
        "scope",
        "frequency",
        "count",
        "unit",
        "committee",
        "valid_from",
        "valid_to",
    ]
    list_select_related = ["committee"]
    list_filter = ["kind", "scope", "frequency", "committee"]
    search_fields = ["source", "note"]
    autocomplete_fields = ["committee"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["branch", "person", "renewed_at"]
    list_select_related = ["branch", "person"]
    search_fields = ["branch__short_name", "person__name"]
    autocomplete_fields = ["branch", "person"]
    exclude = ["token"]


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "opted_out"]
    list_select_related = ["user"]
    list_filter = ["opted_out"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "due", "sent_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "key"]
    date_hierarchy = "due"
    autocomplete_fields = ["user"]
