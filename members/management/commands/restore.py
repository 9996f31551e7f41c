"""``manage.py restore DIR``: a backup into an empty, migrated database, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "把 backup 生成的备份恢复到一个空的、已 migrate 的数据库：先核对清单和校验和，"
        "全部数据在一个事务里载入，行数与清单不符即撤销。"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="备份文件夹")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help="清单没有签名或签名不符时仍然恢复（仅在确认备份来源可靠时使用）",
        )

    def handle(self, *args, source, database, allow_unsigned, **options):
        try:
            manifest = restore_backup(source, using=database, allow_unsigned=allow_unsigned)
        except BackupError as error:
            raise CommandError(f"恢复失败，数据库未作任何改动。{error}") from error
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{source}（备份于 {manifest['created_at']}，{rows} 行数据，{files} 个文件）"
            )
        )
