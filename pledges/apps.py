from django.apps import AppConfig


class PledgesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pledges"
    verbose_name = "公开承诺"

    def ready(self):
        from members import slots

        from . import person_page

        # The person page shows this app's records through members.slots.
        slots.register_person_section(order=10, provider=person_page.pledges_section)
