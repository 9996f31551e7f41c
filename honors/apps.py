from django.apps import AppConfig


class HonorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "honors"
    verbose_name = "荣誉"

    def ready(self):
        from members import slots, year_review

        from . import person_page
        from . import year_review as honor_year

        # The person page shows this app's records through members.slots.
        slots.register_person_section(order=40, provider=person_page.honors_section)

        # A member's year in review (members.year_review).
        year_review.register(order=40)(honor_year.honors_section)
