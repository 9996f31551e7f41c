"""django-axes' admin in Chinese.

Its models, fields, filters and actions are translated by the portal's catalogue
(``locale/zh_Hans``: axes ships none in Chinese). Two columns of the attempts list are methods
without a label, which the admin would head "Expiration" and "Status": the portal registers the
same admin with Chinese labels for them.
"""

from django.contrib import admin


def register() -> None:
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt

    class ChineseAccessAttemptAdmin(AccessAttemptAdmin):
        @admin.display(description="过期时间")
        def expiration(self, obj):
            return super().expiration(obj)

        @admin.display(description="状态")
        def status(self, obj):
            return super().status(obj)

    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
        admin.site.register(AccessAttempt, ChineseAccessAttemptAdmin)
