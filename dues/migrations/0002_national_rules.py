"""The national dues rules of 2008 and the durations of the 党章, as data rows
(``dues.national``)."""

from django.db import migrations

from dues.national import FROM, install


def add(apps, schema_editor):
    install(apps.get_model("dues", "Rate"), apps.get_model("dues", "DuesRule"))


def remove(apps, schema_editor):
    apps.get_model("dues", "Rate").objects.filter(valid_from=FROM).delete()
    apps.get_model("dues", "DuesRule").objects.filter(valid_from=FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
