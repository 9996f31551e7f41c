from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DuesBase, DuesRule, MonthlyDue, Payment, PaymentMonth, Rate


@admin.register(Rate)
class RateAdmin(SimpleHistoryAdmin):
    list_display = (
        "category",
        "income_above",
        "income_up_to",
        "percent",
        "fixed_amount",
        "valid_from",
        "valid_to",
    )
    list_filter = ("category",)


@admin.register(DuesRule)
class DuesRuleAdmin(SimpleHistoryAdmin):
    list_display = ("limit", "months", "valid_from", "valid_to", "source")


@admin.register(DuesBase)
class DuesBaseAdmin(SimpleHistoryAdmin):
    list_display = ("person", "category", "valid_from")
    list_select_related = ("person",)
    search_fields = ("person__name",)


class PaymentMonthInline(admin.TabularInline):
    model = PaymentMonth
    extra = 0
    can_delete = False
    readonly_fields = ("month", "amount")


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    """Payments are corrected by reversing entries on the portal, never edited here."""

    list_display = ("person", "paid_on", "amount", "way", "receipt_no", "reverses")
    list_select_related = ("person", "reverses", "reverses__person")
    inlines = [PaymentMonthInline]

    def has_add_permission(self, request):
        return False  # recorded on the portal, where the checks and the kept dues are

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentMonth)
class PaymentMonthAdmin(admin.ModelAdmin):
    list_display = ("payment", "month", "amount")
    list_select_related = ("payment", "payment__person")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonthlyDue)
class MonthlyDueAdmin(admin.ModelAdmin):
    list_display = ("person", "month", "due", "paid")
    list_select_related = ("person",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
