from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "民主评议党员"

    def ready(self):
        from members import slots, todos, year_review

        from . import person_page
        from . import todos as evaluation_todos
        from . import year_review as evaluation_year

        slots.register_person_section(order=50, provider=person_page.grades_section)
        todos.register(evaluation_todos.my_evaluation)
        todos.register(evaluation_todos.branch_evaluation)
        todos.register_bulk(evaluation_todos.evaluation_for_many)
        # A member's year in review (members.year_review): the year's grade.
        year_review.register(order=60)(evaluation_year.evaluation_section)
