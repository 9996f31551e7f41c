"""Admin of the 民主评议. Ballots and the record of who has voted are left out on purpose:
listing them side by side is what their design keeps anyone from doing."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Decision, EvaluationRule, Round


@admin.register(EvaluationRule)
class EvaluationRuleAdmin(SimpleHistoryAdmin):
    list_display = ["valid_from", "valid_to", "excellent_label", "source"]


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["branch", "year", "opens_on", "closes_on", "closed_on", "meeting_on"]
    list_filter = ["year", "branch"]
    list_select_related = ["branch"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["round", "person", "grade", "handling"]
    list_filter = ["grade", "round__year"]
    list_select_related = ["round__branch", "person"]
    search_fields = ["person__name"]
