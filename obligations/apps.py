from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "obligations"
    verbose_name = "组织生活规定"

    def ready(self):
        from members import todos

        from . import reminders

        # The home page's to-do list shows what this month still owes, and what is overdue.
        todos.register(reminders.obligation_todos)
