"""Admin of the activities app: activities, measures, meetings, topics (campaigns: ``members``)."""

from django.contrib import admin

from members.admin import CarrierAdmin

from .models import (
    Activity,
    ActivityParticipant,
    ActivityPhoto,
    Attendance,
    Measure,
    Meeting,
    ResearchTopic,
    TalkPair,
)

# Inlines ------------------------------------------------------------------------------------


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["order", "title", "status", "completed_on", "long_term"]


# A carrier's measures live here, its admin in members: plug their inline into it.
CarrierAdmin.inlines = [*CarrierAdmin.inlines, MeasureInline]


class ActivityParticipantInline(admin.TabularInline):
    model = ActivityParticipant
    extra = 0
    fields = ["person", "role", "hours"]
    autocomplete_fields = ["person"]


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    fields = ["image", "caption", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["person", "status", "note"]
    autocomplete_fields = ["person"]


# Model admins -------------------------------------------------------------------------------


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "start_date", "end_date", "carrier", "branch", "organiser", "place"]
    list_select_related = ["branch", "carrier", "organiser"]
    list_filter = ["branch", ("carrier", admin.RelatedOnlyFieldListFilter), "start_date"]
    search_fields = ["title", "place", "description", "outcome"]
    date_hierarchy = "start_date"
    ordering = ["-start_date", "-pk"]
    autocomplete_fields = ["branch", "carrier", "organiser"]
    inlines = [ActivityParticipantInline, ActivityPhotoInline]


@admin.register(ActivityParticipant)
class ActivityParticipantAdmin(admin.ModelAdmin):
    list_display = ["person", "activity", "activity_date", "role", "hours"]
    list_select_related = ["person", "activity"]
    list_filter = ["activity__branch", "activity__start_date"]
    search_fields = ["person__name", "activity__title", "role"]
    date_hierarchy = "activity__start_date"
    ordering = ["-activity__start_date", "person__name"]
    autocomplete_fields = ["activity", "person"]

    @admin.display(description="活动日期", ordering="activity__start_date")
    def activity_date(self, obj):
        return obj.activity.start_date


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "activity", "uploaded_at"]
    list_select_related = ["activity"]
    list_filter = ["activity__branch", "uploaded_at"]
    search_fields = ["caption", "activity__title"]
    date_hierarchy = "uploaded_at"
    ordering = ["-uploaded_at"]
    autocomplete_fields = ["activity"]
    readonly_fields = ["uploaded_at"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "carrier", "status", "completed_on", "long_term"]
    list_display_links = ["order", "title"]
    list_select_related = ["carrier"]
    list_filter = ["status", "long_term", "carrier__campaign__branch", "completed_on"]
    search_fields = ["title", "description", "carrier__name"]
    ordering = ["carrier", "order"]
    autocomplete_fields = ["carrier"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "kind", "topic", "branch", "party_group", "place"]
    list_display_links = ["held_on", "topic"]
    list_select_related = ["branch", "party_group"]
    list_filter = ["kind", "branch", "held_on"]
    search_fields = ["topic", "place", "minutes"]
    date_hierarchy = "held_on"
    ordering = ["-held_on", "-pk"]
    autocomplete_fields = ["branch", "party_group"]
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "status", "note"]
    list_select_related = ["person", "meeting"]
    list_filter = ["status", "meeting__kind", "meeting__branch", "meeting__held_on"]
    search_fields = ["person__name", "meeting__topic", "note"]
    date_hierarchy = "meeting__held_on"
    ordering = ["-meeting__held_on", "person__name"]
    autocomplete_fields = ["meeting", "person"]


@admin.register(TalkPair)
class TalkPairAdmin(admin.ModelAdmin):
    list_display = ["meeting", "talker", "partner"]
    list_select_related = ["meeting", "talker", "partner"]
    search_fields = ["meeting__topic", "talker__name", "partner__name"]
    autocomplete_fields = ["meeting", "talker", "partner"]


@admin.register(ResearchTopic)
class ResearchTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "declared_year", "level", "theme", "branch", "carrier", "leader"]
    list_select_related = ["branch", "carrier", "leader"]
    list_filter = ["level", "declared_year", "theme", "branch"]
    search_fields = ["title", "theme", "leader__name"]
    ordering = ["-declared_year", "title"]
    autocomplete_fields = ["branch", "carrier", "leader"]
