"""The national rules of 组织生活 (docs/obligations.md), seeded with their dates and sources.

Dates: 《中国共产党支部工作条例（试行）》 was issued on 2018-10-28 and took effect that day; for
《关于党的基层组织任期的意见》 (2018) the seed takes 2018-01-01, the first day of its year.
A committee overrides any of these for its branches in the browser.
"""

import datetime

from django.db import migrations

BRANCH_RULES = "《中国共产党支部工作条例（试行）》（2018）"
TERMS = "《关于党的基层组织任期的意见》（2018）"
D = datetime.date

RULES = [
    # kind, scope, frequency, count, term years, valid from, source, note
    ("general", "branch", "quarter", 1, None, D(2018, 10, 28), f"{BRANCH_RULES}第十一条", "支部党员大会一般每季度召开1次"),
    ("committee", "committee", "month", 1, None, D(2018, 10, 28), f"{BRANCH_RULES}第十一条", "支部委员会会议一般每月召开1次"),
    ("group", "group", "month", 1, None, D(2018, 10, 28), f"{BRANCH_RULES}第十一条", "党小组会一般每月召开1次，按党小组分别计算"),
    ("lecture", "branch", "year", 1, None, D(2018, 10, 28), f"{BRANCH_RULES}第十一条", "支部书记每年至少讲1次党课；各地可规定更多"),
    ("theme_day", "branch", "month", 1, None, D(2018, 10, 28), f"{BRANCH_RULES}第十一条", "每月相对固定1天开展主题党日"),
    ("life", "branch", "year", 1, None, D(2018, 10, 28), f"{BRANCH_RULES}第十二条", "组织生活会一般每年召开1次，通常在第四季度"),
    ("talk", "committee", "year", 1, None, D(2018, 10, 28), f"{BRANCH_RULES}第十三条", "支委与党员谈心谈话每年至少1次，按谈话双方登记"),
    ("evaluation", "branch", "year", 1, None, D(2018, 10, 28), f"{BRANCH_RULES}第十二条", "民主评议党员一般每年开展1次"),
    ("election", "branch", "term", 1, 3, D(2018, 1, 1), TERMS, "支部委员会每届任期一般为3年，届满按期换届"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("obligations", "Rule")
    for kind, scope, frequency, count, term_years, valid_from, source, note in RULES:
        Rule.objects.get_or_create(
            committee=None,
            kind=kind,
            scope=scope,
            valid_from=valid_from,
            defaults={
                "frequency": frequency,
                "count": count,
                "term_years": term_years,
                "source": source,
                "note": note,
            },
        )


def unseed(apps, schema_editor):
    Rule = apps.get_model("obligations", "Rule")
    for kind, scope, _f, _c, _t, valid_from, _s, _n in RULES:
        Rule.objects.filter(committee=None, kind=kind, scope=scope, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
