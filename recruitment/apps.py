from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recruitment"
    verbose_name = "发展党员"

    def ready(self):
        from members import slots, status_checks, todos

        from . import checks, person_page
        from . import todos as recruitment_todos

        # members never imports this app: it asks its registries, this app answers.
        status_checks.register(checks.admission_rules)
        todos.register(recruitment_todos.development_deadlines)
        todos.register(recruitment_todos.approvals_waiting)
        todos.register_bulk(recruitment_todos.recruitment_for_many)
        slots.register_person_section(order=15, provider=person_page.development_section)
