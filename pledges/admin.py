"""Admin of the pledges app: pledges, their points, items and progress, the public showing."""

from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from members.admin import CurrentPeriodFilter

from .models import (
    Pledge,
    PledgeItem,
    PledgeItemPhoto,
    PledgeItemUpdate,
    PledgeObjection,
    PledgePoint,
    PledgePublication,
)


class PledgerFilter(admin.SimpleListFilter):
    title = "承诺主体"
    parameter_name = "pledger"

    def lookups(self, request, model_admin):
        return [("member", "党员"), ("branch", "党支部")]

    def queryset(self, request, queryset):
        if self.value() == "member":
            return queryset.of_members()
        if self.value() == "branch":
            return queryset.of_branch_itself()
        return queryset


class HandledFilter(admin.SimpleListFilter):
    title = "处理状态"
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", "未处理"), ("yes", "已处理")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(handled_at__isnull=self.value() == "no")
        return queryset


class PledgePointInline(admin.TabularInline):
    model = PledgePoint
    extra = 0
    fields = ["point", "text"]


class PledgeItemInline(admin.StackedInline):
    model = PledgeItem
    extra = 0
    fields = [
        ("order", "title", "deadline"),
        "target",
        "progress",
        ("done_on", "fulfilment", "rated_at", "rated_by"),
        "rating_comment",
    ]
    autocomplete_fields = ["rated_by"]


class PledgeItemUpdateInline(admin.TabularInline):
    model = PledgeItemUpdate
    extra = 0
    fields = ["text", "done_on", "created_by", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["created_by"]
    show_change_link = True


class PledgeItemPhotoInline(admin.TabularInline):
    model = PledgeItemPhoto
    extra = 0
    fields = ["image", "thumbnail"]


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    list_display = [
        "pledger",
        "campaign",
        "version",
        "status",
        "submitted_at",
        "signed_at",
        "signature_name",
    ]
    list_select_related = ["person", "campaign__branch"]
    list_filter = ["status", PledgerFilter, "campaign__branch", "signed_at"]
    search_fields = ["person__name", "summary", "signature_name", "campaign__name"]
    date_hierarchy = "signed_at"
    ordering = ["campaign", "person__name", "-version"]
    autocomplete_fields = ["campaign", "person", "previous", "reviewed_by", "signed_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PledgePointInline, PledgeItemInline]

    def get_queryset(self, request):
        # Pledge.__str__ names the person, and autocomplete answers show it too. (The changelist
        # skips list_select_related once the queryset selects related rows, so select them all.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="承诺人", ordering="person__name")
    def pledger(self, obj):
        return obj.person.name if obj.person_id else "党支部"


@admin.register(PledgePoint)
class PledgePointAdmin(admin.ModelAdmin):
    list_display = ["point", "pledge", "text"]
    list_select_related = ["pledge__person"]
    list_filter = ["point", "pledge__campaign__branch"]
    search_fields = ["text", "pledge__person__name"]
    ordering = ["pledge", "pk"]
    autocomplete_fields = ["pledge"]


@admin.register(PledgeItem)
class PledgeItemAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "pledge",
        "order",
        "deadline",
        "done_on",
        "overdue",
        "fulfilment",
        "rated_by",
    ]
    list_select_related = ["pledge__person", "rated_by"]
    list_filter = ["fulfilment", "pledge__campaign__branch", "deadline", "done_on"]
    search_fields = ["title", "target", "progress", "pledge__person__name"]
    date_hierarchy = "deadline"
    ordering = ["pledge", "order"]
    autocomplete_fields = ["pledge", "rated_by"]
    inlines = [PledgeItemUpdateInline]

    @admin.display(description="已逾期", boolean=True)
    def overdue(self, obj):
        return obj.is_overdue(timezone.localdate())


@admin.register(PledgeItemUpdate)
class PledgeItemUpdateAdmin(admin.ModelAdmin):
    list_display = ["item", "pledger", "created_at", "done_on", "created_by"]
    list_select_related = ["item__pledge__person", "created_by"]
    list_filter = ["item__pledge__campaign__branch", "created_at", "done_on"]
    search_fields = ["text", "item__title", "item__pledge__person__name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    autocomplete_fields = ["item", "created_by"]
    readonly_fields = ["created_at"]
    inlines = [PledgeItemPhotoInline]

    def get_queryset(self, request):
        # PledgeItemUpdate.__str__ names the item, and autocomplete answers show it too. (The
        # changelist skips list_select_related once the queryset selects related rows.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="承诺人", ordering="item__pledge__person__name")
    def pledger(self, obj):
        person = obj.item.pledge.person
        return person.name if person else "党支部"


@admin.register(PledgeItemPhoto)
class PledgeItemPhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "update", "update_created_at"]
    list_select_related = ["update__item"]
    list_filter = ["update__item__pledge__campaign__branch"]
    search_fields = ["image", "update__item__title"]
    ordering = ["-update__created_at", "pk"]
    autocomplete_fields = ["update"]

    @admin.display(description="报告时间", ordering="update__created_at")
    def update_created_at(self, obj):
        return obj.update.created_at


@admin.register(PledgePublication)
class PledgePublicationAdmin(admin.ModelAdmin):
    list_display = ["campaign", "start", "end", "note"]
    list_select_related = ["campaign__branch"]
    list_filter = ["campaign__branch", CurrentPeriodFilter, "start"]
    search_fields = ["campaign__name", "note"]
    date_hierarchy = "start"
    ordering = ["-start"]
    autocomplete_fields = ["campaign"]


@admin.register(PledgeObjection)
class PledgeObjectionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "campaign",
        "pledge",
        "contact",
        "created_at",
        "handled_at",
        "handled_by",
    ]
    list_select_related = ["campaign__branch", "pledge__person", "handled_by"]
    list_filter = [HandledFilter, "campaign__branch", "created_at"]
    search_fields = ["text", "name", "contact", "handling_note", "pledge__person__name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    autocomplete_fields = ["campaign", "pledge", "handled_by"]
    readonly_fields = ["created_at"]
