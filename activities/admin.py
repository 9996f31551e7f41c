"""Admin of the activities app: campaigns, carriers, activities, measures, meetings, topics."""

from django.contrib import admin

from members.admin import CurrentPeriodFilter

from .models import (
    Activity,
    ActivityParticipant,
    ActivityPhoto,
    Attendance,
    Campaign,
    Carrier,
    LeadingGroupRole,
    Measure,
    Meeting,
    ResearchTopic,
)

# Inlines ------------------------------------------------------------------------------------


class CarrierInline(admin.StackedInline):
    model = Carrier
    extra = 0
    fields = [("order", "name", "aim"), "narrative"]
    show_change_link = True


class LeadingGroupRoleInline(admin.TabularInline):
    model = LeadingGroupRole
    extra = 0
    fields = ["order", "role", "person", "start", "end", "predecessor"]
    autocomplete_fields = ["person", "predecessor"]


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["order", "title", "status", "completed_on", "long_term"]


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


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "start", "end"]
    list_select_related = ["branch"]
    list_filter = ["branch", "start"]
    search_fields = ["name", "theme", "goals"]
    date_hierarchy = "start"
    ordering = ["-start", "name"]
    autocomplete_fields = ["branch"]
    inlines = [CarrierInline, LeadingGroupRoleInline]

    def get_queryset(self, request):
        # Campaign.__str__ names the branch, and autocomplete answers show it too. (The changelist
        # skips list_select_related once the queryset selects related rows, so select them all.)
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(LeadingGroupRole)
class LeadingGroupRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "campaign", "start", "end", "predecessor_person", "order"]
    list_select_related = ["person", "campaign__branch", "predecessor__person"]
    list_filter = ["role", "campaign__branch", CurrentPeriodFilter, "start"]
    search_fields = ["person__name", "campaign__name"]
    date_hierarchy = "start"
    ordering = ["campaign", "order", "start"]
    autocomplete_fields = ["campaign", "person", "predecessor"]

    def get_queryset(self, request):
        # LeadingGroupRole.__str__ names the person, and autocomplete answers show it too. (The changelist
        # skips list_select_related once the queryset selects related rows, so select them all.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="接替", ordering="predecessor__person__name")
    def predecessor_person(self, obj):
        return obj.predecessor.person if obj.predecessor_id else None


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "heading", "campaign"]
    list_display_links = ["order", "name"]
    list_select_related = ["campaign__branch"]
    list_filter = ["campaign__branch"]
    search_fields = ["name", "aim", "narrative"]
    ordering = ["campaign", "order"]
    autocomplete_fields = ["campaign"]
    inlines = [MeasureInline]

    @admin.display(description="标题")
    def heading(self, obj):
        return obj.heading


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


@admin.register(ResearchTopic)
class ResearchTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "declared_year", "level", "theme", "branch", "carrier", "leader"]
    list_select_related = ["branch", "carrier", "leader"]
    list_filter = ["level", "declared_year", "theme", "branch"]
    search_fields = ["title", "theme", "leader__name"]
    ordering = ["-declared_year", "title"]
    autocomplete_fields = ["branch", "carrier", "leader"]
