from django.apps import AppConfig


class HonorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "honors"
    verbose_name = "荣誉"

    def ready(self):
        from members import slots

        from . import person_page

        # The person page shows this app's records through members.slots.
        slots.register_person_section(order=40, provider=person_page.honors_section)
