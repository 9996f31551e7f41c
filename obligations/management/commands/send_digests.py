"""``python manage.py send_digests``: the weekly digest of what is owed, by mail (run by cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from obligations.reminders import send_digests


class Command(BaseCommand):
    help = "发送每周组织生活提醒邮件（同一事项同一截止日期只发一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不发送")

    def handle(self, *args, **options):
        messages, lines = send_digests(today=timezone.localdate(), dry_run=options["dry_run"])
        verb = "将发送" if options["dry_run"] else "已发送"
        self.stdout.write(f"{verb} {messages} 封提醒邮件，共 {lines} 条事项。")
