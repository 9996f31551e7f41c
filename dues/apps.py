from django.apps import AppConfig


class DuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dues"
    verbose_name = "党费"

    def ready(self):
        from members import slots, todos, year_review

        from . import person_page, signals
        from . import todos as dues_todos
        from . import year_review as dues_year

        signals.connect()
        slots.register_person_section(order=50, provider=person_page.dues_section)
        todos.register(dues_todos.my_dues)
        todos.register(dues_todos.branch_dues)
        todos.register_bulk(dues_todos.dues_for_many)
        year_review.register(order=50)(dues_year.dues_section)
