"""The rule of the 民主评议 in force: 优秀 at most one third of the members evaluated."""

import datetime

from django.db import migrations

SOURCE = (
    "民主评议党员工作要求（shared/RULES.md《民主评议党员》）：评定等次分优秀、合格、基本合格、"
    "不合格；评为优秀的党员不超过参评党员的三分之一；评为不合格须写明理由并作出处理决定"
    "（限期改正、劝其退党、除名等，依党章和有关规定）。"
)


def add_rule(apps, schema_editor):
    rule = apps.get_model("evaluation", "EvaluationRule")
    rule.objects.get_or_create(
        valid_from=datetime.date(2000, 1, 1),
        defaults={
            "excellent_numerator": 1,
            "excellent_denominator": 3,
            "excellent_label": "三分之一",
            "source": SOURCE,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(add_rule, migrations.RunPython.noop)]
