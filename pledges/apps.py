from django.apps import AppConfig


class PledgesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pledges"
    verbose_name = "公开承诺"

    def ready(self):
        from members import deadlines, slots, todos, year_review

        from . import deadlines as pledge_deadlines
        from . import person_page
        from . import todos as pledge_todos
        from . import year_review as pledge_year

        # The person page shows this app's records through members.slots.
        slots.register_person_section(order=10, provider=person_page.pledges_section)
        todos.register(pledge_todos.my_pledges)
        todos.register(pledge_todos.branch_pledges)
        todos.register_bulk(pledge_todos.pledges_for_many)

        # A member's year in review (members.year_review).
        year_review.register(order=30)(pledge_year.pledges_section)
        # Calendar feeds and the weekly digest read the items' deadlines.
        deadlines.register(pledge_deadlines.pledge_item_deadlines)
