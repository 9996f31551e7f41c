from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = "活动"

    def ready(self):
        from members import departures, orglife, slots, year_review

        from . import orglife as meeting_source
        from . import person_page, services
        from . import year_review as activity_year

        # obligations judges the meetings held through members.orglife.
        orglife.register_source(meeting_source.SOURCE)

        # A member who leaves is no longer on the sheets of later meetings.
        departures.register(services.forget_later_attendance)

        # The person page shows this app's records through members.slots.
        slots.register_person_section(order=20, provider=person_page.participations_section)
        slots.register_person_section(order=30, provider=person_page.attendances_section)

        # A member's year in review (members.year_review).
        year_review.register(order=10)(activity_year.meetings_section)
        year_review.register(order=20)(activity_year.activities_section)
