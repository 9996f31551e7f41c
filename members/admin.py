"""Admin of the members app.

Foreign keys to people, branches and accounts use autocomplete widgets, so that no form renders
thousands of options; every changelist selects the rows it shows (and what their ``__str__``
follows) in one query.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attempt,
    Branch,
    BranchPost,
    BranchRating,
    Campaign,
    Carrier,
    Committee,
    LeadingGroupRole,
    Membership,
    PartyGroup,
    PartyGroupMembership,
    Person,
    RoleAssignment,
    StatusStage,
)


class CurrentPeriodFilter(admin.SimpleListFilter):
    """For facts held over a date range (``common.periods.Period``): do they hold today?"""

    title = "是否当前有效"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "当前有效"), ("no", "已结束或尚未开始")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.on(today)
        if self.value() == "no":
            return queryset.filter(Q(end__lt=today) | Q(start__gt=today))
        return queryset


# Inlines ------------------------------------------------------------------------------------


class BranchRatingInline(admin.TabularInline):
    model = BranchRating
    extra = 0
    fields = ["rated_on", "rating", "rated_by", "occasion"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["start", "joined_how", "end", "left_how", "note"]


class StatusStageInline(admin.TabularInline):
    model = StatusStage
    extra = 0
    fields = ["status", "start", "end"]


class BranchPostInline(admin.TabularInline):
    model = BranchPost
    extra = 0
    fields = ["role", "start", "end"]


class PartyGroupMembershipInline(admin.TabularInline):
    model = PartyGroupMembership
    extra = 0
    fields = ["person", "start", "end"]
    autocomplete_fields = ["person"]


# Model admins -------------------------------------------------------------------------------


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]
    ordering = ["name"]


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "committee", "unit_name", "contact_phone"]
    list_select_related = ["committee"]
    list_filter = ["committee"]
    search_fields = ["name", "short_name", "unit_name"]
    ordering = ["committee", "short_name"]
    autocomplete_fields = ["committee"]
    inlines = [BranchRatingInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "branch",
        "gender",
        "post",
        "political_status",
        "is_key_teacher",
        "is_senior_cadre",
        "staff_since",
        "staff_until",
    ]
    list_select_related = ["branch"]
    list_filter = [
        "branch",
        "political_status",
        "is_key_teacher",
        "is_senior_cadre",
        "gender",
        "staff_since",
    ]
    search_fields = ["name", "post", "phone"]
    ordering = ["branch", "name"]
    autocomplete_fields = ["branch", "user"]
    inlines = [MembershipInline, StatusStageInline, BranchPostInline]


@admin.register(StatusStage)
class StatusStageAdmin(admin.ModelAdmin):
    list_display = ["person", "person_branch", "status", "start", "end"]
    list_select_related = ["person__branch"]
    list_filter = ["status", "person__branch", CurrentPeriodFilter, "start"]
    search_fields = ["person__name"]
    date_hierarchy = "start"
    ordering = ["person__name", "start"]
    autocomplete_fields = ["person"]

    @admin.display(description="党支部", ordering="person__branch__short_name")
    def person_branch(self, obj):
        return obj.person.branch


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "person_branch", "start", "joined_how", "end", "left_how", "note"]
    list_select_related = ["person__branch"]
    list_filter = [
        "person__branch",
        CurrentPeriodFilter,
        "joined_how",
        "left_how",
        "start",
        "end",
    ]
    search_fields = ["person__name", "note"]
    date_hierarchy = "start"
    ordering = ["-start", "person__name"]
    autocomplete_fields = ["person"]

    @admin.display(description="党支部", ordering="person__branch__short_name")
    def person_branch(self, obj):
        return obj.person.branch


@admin.register(PartyGroup)
class PartyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "based_on", "leader"]
    list_select_related = ["branch", "leader"]
    list_filter = ["branch"]
    search_fields = ["name", "based_on", "leader__name"]
    ordering = ["branch", "name"]
    autocomplete_fields = ["branch", "leader"]
    inlines = [PartyGroupMembershipInline]


@admin.register(PartyGroupMembership)
class PartyGroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "group", "group_branch", "start", "end"]
    list_select_related = ["person", "group__branch"]
    list_filter = ["group__branch", CurrentPeriodFilter, "start"]
    search_fields = ["person__name", "group__name"]
    ordering = ["group__name", "start"]
    autocomplete_fields = ["group", "person"]

    @admin.display(description="党支部", ordering="group__branch__short_name")
    def group_branch(self, obj):
        return obj.group.branch


@admin.register(BranchPost)
class BranchPostAdmin(admin.ModelAdmin):
    list_display = ["role", "person", "person_branch", "start", "end"]
    list_select_related = ["person__branch"]
    list_filter = ["role", "person__branch", CurrentPeriodFilter, "start"]
    search_fields = ["person__name"]
    date_hierarchy = "start"
    ordering = ["-start"]
    autocomplete_fields = ["person"]

    @admin.display(description="党支部", ordering="person__branch__short_name")
    def person_branch(self, obj):
        return obj.person.branch


@admin.register(BranchRating)
class BranchRatingAdmin(admin.ModelAdmin):
    list_display = ["branch", "rated_on", "rating", "rated_by", "occasion"]
    list_select_related = ["branch"]
    list_filter = ["rating", "branch", "rated_on"]
    search_fields = ["branch__name", "branch__short_name", "rated_by", "occasion"]
    date_hierarchy = "rated_on"
    ordering = ["-rated_on"]
    autocomplete_fields = ["branch"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "branch", "committee"]
    list_select_related = ["user", "branch", "committee"]
    list_filter = ["role", "branch", "committee"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "branch__short_name"]
    ordering = ["user__username", "role"]
    autocomplete_fields = ["user", "branch", "committee"]


# The campaign frame ----------------------------------------------------------------------


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
    inlines = []  # activities/admin.py adds the carrier's measures

    @admin.display(description="标题")
    def heading(self, obj):
        return obj.heading


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Counted tries of the portal's limits (members.throttle): deleting a row lifts that try."""

    list_display = ["scope", "who", "at"]
    list_filter = ["scope"]
    search_fields = ["who"]
