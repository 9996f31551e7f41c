"""``manage.py generate_meetings``: a generated district's 组织生活 of one year (bench/obligations.py).

Adds, for every branch of the committee, the meetings the rules ask for in ``--year``: each held
with a fixed chance (some branches slip more than others), planned after today. It stops without
writing when the committee already has meetings in that year.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from activities.models import Meeting
from demo import synthetic
from members.models import Committee


class Command(BaseCommand):
    help = "为合成的区级数据集生成某一年的组织生活会议（部分已召开、部分缺漏、今后为计划）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度（默认今年）")
        parser.add_argument("--committee", default=synthetic.DEFAULT_COMMITTEE, help="上级党委名称")
        parser.add_argument("--seed", type=int, default=1, help="随机种子")

    def handle(self, *args, **options):
        today = timezone.localdate()
        year = options["year"] or today.year
        committee = Committee.objects.filter(name=options["committee"]).first()
        if committee is None:
            raise CommandError(f"没有上级党委“{options['committee']}”：请先运行 generate_data。")
        if Meeting.objects.filter(branch__committee=committee, held_on__year=year).exists():
            raise CommandError(f"“{committee}”已有 {year} 年的会议，未做改动。")
        made = synthetic.synthetic_year(committee, year=year, today=today, seed=options["seed"])
        synthetic.refresh_planner_statistics()
        self.stdout.write(f"已为“{committee}”生成 {year} 年的会议 {made} 次。")
