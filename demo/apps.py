from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of the source document and the synthetic district. It reads every app and
    nothing reads it: the top of the floor plan, below only the project package."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "演示数据"
