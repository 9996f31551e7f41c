"""``python manage.py generate_developments``: development records for a generated district.

A record for every 入党申请人, 积极分子 and 发展对象 of the committee's branches (``generate_data``
gives them their stages), one 发展对象 in three waiting for the committee's approval, and one
发展对象 made in each branch where nobody was on the way in. A second run makes none.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import synthetic
from demo.recruitment import district_developments
from members.models import Committee


class Command(BaseCommand):
    help = "为合成区的入党申请人、积极分子和发展对象生成发展党员档案（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--committee", default=synthetic.DEFAULT_COMMITTEE, help="上级党委名称")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        committee = Committee.objects.filter(name=options["committee"]).first()
        if committee is None:
            raise CommandError(f"没有上级党委“{options['committee']}”，请先运行 generate_data。")
        with transaction.atomic():
            made = district_developments(committee, seed=options["seed"])
        synthetic.refresh_planner_statistics()
        self.stdout.write(f"已为“{committee.name}”生成 {made} 份发展党员档案。")
