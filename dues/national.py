"""The national dues rules of 2008 and the durations of the 党章, as the rows the migration
``dues/0002_national_rules`` writes. ``install`` is also what ``load_demo`` and the tests call
to put them back into a database whose tables were emptied (a flush)."""

import datetime
from decimal import Decimal

SOURCE = (
    "中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》（2008年，自2008年4月1日起施行）"
)
FROM = datetime.date(2008, 4, 1)
D = Decimal

RATES = [
    # category, above, up to, percent, fixed
    ("salaried", D("0"), D("3000"), D("0.5"), None),
    ("salaried", D("3000"), D("5000"), D("1"), None),
    ("salaried", D("5000"), D("10000"), D("1.5"), None),
    ("salaried", D("10000"), None, D("2"), None),
    ("retired", D("0"), D("5000"), D("0.5"), None),
    ("retired", D("5000"), None, D("1"), None),
    ("farmer", D("0"), None, None, D("0.20")),
    ("student", D("0"), None, None, D("0.20")),
    ("unemployed", D("0"), None, None, D("0.20")),
    ("low_income", D("0"), None, None, D("0.20")),
]
NOTES = {
    "farmer": "；农民党员每月交纳0.2元至1元，此处取下限，多交部分按自愿多交登记",
}
ARTICLE_9 = (
    "党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，"
    "就被认为是自行脱党。支部大会应当决定把这样的党员除名，并报上级党组织批准。"
)
RULES = [
    ("back_payment", 6, "", SOURCE + "：补交党费一般不超过6个月"),
    ("warning", 3, "", "支部工作惯例：欠交满3个月提醒本人"),
    ("lapse", 6, ARTICLE_9, "《中国共产党章程》第九条"),
]


def install(Rate, DuesRule) -> int:
    """Write the rows that are missing (found by category, band and date); return how many."""
    created = 0
    for category, above, up_to, percent, fixed in RATES:
        _, new = Rate.objects.get_or_create(
            category=category,
            income_above=above,
            valid_from=FROM,
            defaults={
                "income_up_to": up_to,
                "percent": percent,
                "fixed_amount": fixed,
                "source": SOURCE + NOTES.get(category, ""),
            },
        )
        created += new
    for limit, months, text, source in RULES:
        _, new = DuesRule.objects.get_or_create(
            limit=limit,
            valid_from=FROM,
            defaults={"months": months, "text": text, "source": source},
        )
        created += new
    return created


def ensure_installed() -> int:
    """``install`` with the app's models, when the rules table is empty (one query otherwise)."""
    from .models import DuesRule, Rate

    if Rate.objects.exists():
        return 0
    return install(Rate, DuesRule)
