"""``manage.py generate_data``: a synthetic district of N school branches for scale and load work.

The generator lives in ``demo.synthetic``; this command parses the options, runs it and prints
what it made. It never adds to an existing district: if the committee (or one of the branch names
or accounts it would make) is already there it stops with a message and writes nothing. Use a new
``--committee`` name and a ``--username-prefix`` to put a second district in the same database.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo import synthetic
from demo.synthetic_dues import generate_dues


class Command(BaseCommand):
    help = "生成一个合成的区级数据集（一个上级党委、N 个学校党支部，每个支部 M 名教职工），用于规模与性能测试。"

    def add_arguments(self, parser):
        parser.add_argument("--branches", type=int, required=True, help="党支部数量 N")
        parser.add_argument(
            "--people-per-branch",
            type=int,
            required=True,
            help="每个党支部的教职工人数 M（至少 8）",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="随机种子：相同的种子生成相同的数据"
        )
        parser.add_argument(
            "--committee", default=synthetic.DEFAULT_COMMITTEE, help="上级党委名称（须是新的）"
        )
        parser.add_argument("--username-prefix", default="", help="账号名前缀，如 d2-")
        parser.add_argument(
            "--with-dues",
            action="store_true",
            help="同时生成今年的党费基数、交费记录（部分党员欠交）",
        )
        parser.add_argument(
            "--password", default=synthetic.DEFAULT_PASSWORD, help="所有生成账号的共同密码"
        )

    def handle(self, *args, **options):
        def progress(done, total):
            if options["verbosity"] >= 2:
                self.stderr.write(f"  {done}/{total} 个党支部")

        try:
            result = synthetic.generate_district(
                branches=options["branches"],
                people_per_branch=options["people_per_branch"],
                seed=options["seed"],
                committee_name=options["committee"],
                username_prefix=options["username_prefix"],
                password=options["password"],
                progress=progress,
            )
        except (synthetic.DistrictExists, ValueError) as error:
            raise CommandError(str(error)) from error
        if options["with_dues"]:
            result.counts.update(
                generate_dues(
                    committee=result.committee, today=timezone.localdate(), seed=options["seed"]
                )
            )

        synthetic.refresh_planner_statistics()

        prefix = options["username_prefix"]
        self.stdout.write(f"已生成上级党委“{result.committee.name}”（种子 {options['seed']}）：")
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {label:<36}{count:>10}")
        self.stdout.write(f"  {'合计':<34}{sum(result.counts.values()):>10}")
        self.stdout.write(f"用时 {result.seconds:.1f} 秒")
        last = synthetic.account_username(prefix, options["branches"], "member")
        self.stdout.write(f"账号（密码均为 {result.password}）：")
        self.stdout.write(f"  上级党委：{result.committee_username}")
        self.stdout.write(
            f"  每个党支部：{prefix}bNNNN-secretary、{prefix}bNNNN-staff、{prefix}bNNNN-member"
            f"（NNNN = 0001 … {options['branches']:04d}，如 {result.usernames[1]} … {last}）"
        )
