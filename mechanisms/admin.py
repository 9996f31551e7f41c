"""Admin of the mechanisms app: rules and mechanisms (制度) and featured works."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FeaturedWork, Mechanism


@admin.register(Mechanism)
class MechanismAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "category",
        "is_new",
        "established_on",
        "revised_on",
        "repealed_on",
        "campaign",
        "branch",
    ]
    list_select_related = ["branch", "campaign__branch"]
    list_filter = ["category", "is_new", "branch", "established_on", "repealed_on"]
    search_fields = ["name", "summary"]
    date_hierarchy = "established_on"
    ordering = ["branch", "category", "established_on"]
    autocomplete_fields = ["branch", "campaign"]


@admin.register(FeaturedWork)
class FeaturedWorkAdmin(admin.ModelAdmin):
    list_display = ["order", "__str__", "carrier", "branch"]
    list_display_links = ["order", "__str__"]
    list_select_related = ["branch", "carrier"]
    list_filter = ["branch"]
    search_fields = ["text"]
    ordering = ["branch", "order"]
    autocomplete_fields = ["branch", "carrier"]
