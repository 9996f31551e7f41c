import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def restore_party_rules(sender, apps=None, **kwargs):
    """The Party's time rules (the data migration's rows) put back where missing, e.g. after a
    ``flush``; rows present, and every committee's own value, are left as they are."""
    seed = importlib.import_module("recruitment.migrations.0002_seed_time_rules")
    if apps is None:  # ``flush`` sends the signal without the migration state
        from django.apps import apps
    if "recruitment.TimeRule" in {m._meta.label for m in apps.get_models()}:
        seed.seed(apps, None)


class RecruitmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recruitment"
    verbose_name = "发展党员"

    def ready(self):
        from members import slots, status_checks, todos

        from . import checks, person_page
        from . import todos as recruitment_todos

        post_migrate.connect(restore_party_rules, sender=self, dispatch_uid="recruitment_rules")
        # members never imports this app: it asks its registries, this app answers.
        status_checks.register(checks.admission_rules)
        todos.register(recruitment_todos.development_deadlines)
        todos.register(recruitment_todos.approvals_waiting)
        slots.register_person_section(order=15, provider=person_page.development_section)
