"""The time rules of admission as the Party set them (RULES.md, 发展党员), with their sources."""

import datetime

from django.db import migrations

DETAIL = "《中国共产党发展党员工作细则》（2014年）"
CONSTITUTION = "《中国共产党章程》第一条、第五条至第七条"
DETAIL_FROM = datetime.date(2014, 6, 10)  # the day the 细则 was issued and took effect
# The rules the 党章 itself sets hold since the 1982 党章 (adopted 1982-09-06); earlier days and,
# for the 细则's rules, days before 2014-06-10 have no row here and are not checked.
CONSTITUTION_FROM = datetime.date(1982, 9, 6)

RULES = [
    ("min_age", 18, "years", CONSTITUTION, "年满十八岁的中国公民可以申请入党"),
    ("talk_within", 1, "months", DETAIL, "党组织收到入党申请书后，一个月内派人谈话"),
    ("contacts_min", 1, "people", DETAIL, "指定一至两名正式党员作培养联系人"),
    ("contacts_max", 2, "people", DETAIL, "指定一至两名正式党员作培养联系人"),
    ("review_every", 6, "months", DETAIL, "每半年对入党积极分子进行一次考察"),
    ("min_activist", 1, "years", DETAIL, "经过一年以上培养教育和考察，方可列为发展对象"),
    ("introducers", 2, "people", CONSTITUTION, "须有两名正式党员作介绍人"),
    ("training_days", 3, "days", DETAIL, "集中培训时间一般不少于三天（或不少于二十四个学时）"),
    ("training_hours", 24, "hours", DETAIL, "集中培训时间一般不少于三天（或不少于二十四个学时）"),
    ("approval_within", 3, "months", DETAIL, "上级党委应当在三个月内审批"),
    ("approval_max", 6, "months", DETAIL, "特殊情况可适当延长审批时间，但不得超过六个月"),
    ("probation", 1, "years", CONSTITUTION, "预备期为一年，自支部大会通过之日算起"),
    ("extension_min", 6, "months", DETAIL, "延长预备期不能少于半年"),
    ("extension_max", 1, "years", CONSTITUTION, "延长预备期最长不超过一年"),
]


def seed(apps, schema_editor):
    TimeRule = apps.get_model("recruitment", "TimeRule")
    for key, value, unit, source, note in RULES:
        TimeRule.objects.get_or_create(
            key=key,
            committee=None,
            valid_from=CONSTITUTION_FROM if source == CONSTITUTION else DETAIL_FROM,
            defaults={"value": value, "unit": unit, "source": source, "note": note},
        )


def unseed(apps, schema_editor):
    TimeRule = apps.get_model("recruitment", "TimeRule")
    TimeRule.objects.filter(committee=None, valid_from__in=[DETAIL_FROM, CONSTITUTION_FROM]).delete()


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
