from django.apps import AppConfig


class HonorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "honors"
    verbose_name = "荣誉"
