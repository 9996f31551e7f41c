"""``manage.py refresh_dues``: rewrite every member's kept dues (``MonthlyDue``) from their bases,
memberships and payments.

The kept dues reach to December of the current year (or of the latest base's year) and are
rewritten with every change of a base, a membership or a payment. Run this once at the turn of
the year (e.g. from cron on 1 January) so that the new year's months are owed even for members
whose base has not been set again yet; it is also safe to run at any time (it changes nothing
that is already right).
"""

from django.core.management.base import BaseCommand

from dues.models import DuesBase
from dues.services import dues_refresh
from members.models import Person

CHUNK = 2000


class Command(BaseCommand):
    help = "按党费基数、党员关系和交费记录重新计算每名党员各月应交、实交党费（可随时运行）。"

    def handle(self, *args, **options):
        people = list(
            Person.objects.filter(pk__in=DuesBase.objects.values("person_id")).order_by("pk")
        )
        rows = 0
        for first in range(0, len(people), CHUNK):
            rows += dues_refresh(people[first : first + CHUNK])
        self.stdout.write(f"已重新计算 {len(people)} 名党员的 {rows} 个月的党费。")
