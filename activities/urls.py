from django.urls import path  # noqa: F401  (views arrive with their issue)

app_name = "activities"

urlpatterns: list = []
