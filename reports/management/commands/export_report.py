"""``python manage.py export_report``: a report to a file, for scripts and cron.

    python manage.py export_report summary --branch 田林二中党支部 --format docx --output 总结.docx
    python manage.py export_report table --branch 3 --year 2011 --format xlsx --output table.xlsx

Bad arguments end with a one-line error and exit status 1; no partial file is left behind (the
file is written next to its destination and moved into place only when complete).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.models import Branch, Campaign
from reports.builders import BUILDERS
from reports.figures import PeriodError, ReportPeriod
from reports.writers import formats_available


class Command(BaseCommand):
    help = "导出工作总结（summary）或长效机制情况表（table）为 HTML、Word 或 Excel 文件。"

    def add_arguments(self, parser):
        parser.add_argument("report", choices=sorted(BUILDERS), help="summary 或 table")
        parser.add_argument("--branch", required=True, help="党支部的编号或简称")
        period = parser.add_mutually_exclusive_group()
        period.add_argument("--campaign", type=int, help="活动编号（默认：最近的活动）")
        period.add_argument("--year", type=int, help="年度，如 2011")
        parser.add_argument(
            "--format", required=True, choices=sorted(formats_available()), dest="fmt"
        )
        parser.add_argument("--output", required=True, type=Path, help="输出文件路径")

    def handle(self, *args, report, branch, campaign, year, fmt, output, **options):
        branch = self.find_branch(branch)
        period = self.find_period(branch, campaign, year)
        document = BUILDERS[report](branch, period, data_sheets=fmt == "xlsx")
        self.write_atomically(output, formats_available()[fmt].write(document))
        self.stdout.write(f"已导出 {document.title}（{period.label}）：{output}")

    @staticmethod
    def find_branch(value: str) -> Branch:
        branches = Branch.objects.filter(short_name=value)
        if value.isdigit():
            branches = Branch.objects.filter(pk=int(value)) | branches
        found = list(branches[:2])
        if not found:
            raise CommandError(f"找不到党支部：{value}")
        if len(found) > 1:
            raise CommandError(f"简称“{value}”对应多个党支部，请改用编号。")
        return found[0]

    @staticmethod
    def find_period(branch: Branch, campaign_pk: int | None, year: int | None) -> ReportPeriod:
        try:
            if year is not None:
                return ReportPeriod.for_year(branch, year)
            campaigns = Campaign.objects.for_branch(branch)
            if campaign_pk is not None:
                campaign = campaigns.filter(pk=campaign_pk).first()
                if campaign is None:
                    raise CommandError(f"{branch.short_name}没有编号为 {campaign_pk} 的活动。")
            else:
                campaign = campaigns.order_by("-start", "-pk").first()
                if campaign is None:
                    raise CommandError(f"{branch.short_name}尚未登记创先争优活动。")
            return ReportPeriod.for_campaign(campaign)
        except PeriodError as error:
            raise CommandError(str(error)) from error

    @staticmethod
    def write_atomically(path: Path, data: bytes) -> None:
        directory = path.parent if str(path.parent) else Path(".")
        temporary = None
        try:
            with tempfile.NamedTemporaryFile(
                dir=directory, prefix=f".{path.name}.", suffix=".part", delete=False
            ) as handle:
                temporary = handle.name
                handle.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not 0600
            os.replace(temporary, path)
        except OSError as error:
            if temporary and os.path.exists(temporary):
                os.unlink(temporary)
            raise CommandError(f"无法写入 {path}：{error.strerror or error}") from error
