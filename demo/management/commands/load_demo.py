"""``python manage.py load_demo``: the demo data set of 田林二中党支部, built from the source document.

Idempotent: a second run finds every record by its natural key and writes nothing.
"""

import unicodedata

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import obligations as demo_obligations
from demo import source as demo
from demo.dues import build_dues
from demo.evaluation import build_evaluation
from demo.narratives import load_narratives
from demo.recruitment import build_recruitment


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns, counting a Chinese character as two."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 0)


class Command(BaseCommand):
    help = "载入演示数据（田林二中党支部创先争优工作），可重复运行。"

    def handle(self, *args, **options):
        with transaction.atomic():
            result = demo.build()
            load_narratives(result.campaign)
            evaluation = build_evaluation(result.branch)
            developments = build_recruitment(result.branch)
            build_dues(result.branch, result.tally)
            # The same branch's current year of 组织生活 (2026), after the source's years.
            demo_obligations.build(result)

        self.stdout.write(f"演示数据：{result.branch.name}（{result.branch}）")
        self.stdout.write(f"{_pad('数据', 16)}{_pad('新建', 8)}{_pad('更新', 8)}未变")
        totals = [0, 0, 0]
        for label, *counts in result.tally.lines():
            self.stdout.write(_pad(label, 16) + "".join(f"{n:<8}" for n in counts).rstrip())
            totals = [total + n for total, n in zip(totals, counts, strict=True)]
        self.stdout.write(_pad("发展党员档案", 16) + f"{developments[0]:<8}{0:<8}{developments[1]}")
        self.stdout.write(_pad("合计", 16) + "".join(f"{n:<8}" for n in totals).rstrip())
        for label, what in evaluation:
            self.stdout.write(f"{_pad(label, 20)}{what}")

        self.stdout.write("")
        self.stdout.write("演示账号（密码相同）：")
        for username, password, who in result.accounts:
            self.stdout.write(f"  {username:<10} 密码：{password}  {who}")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
