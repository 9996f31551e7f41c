from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarFeed, DigestPreference, DigestSent, Rule


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "scope", "frequency", "count", "committee", "valid_from", "valid_to"]
    list_filter = ["kind", "committee"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["branch", "person", "renewed_at"]
    exclude = ["token"]


admin.site.register(DigestPreference)


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "due", "sent_at"]
