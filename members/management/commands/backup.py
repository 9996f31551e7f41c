"""``manage.py backup --output DIR``: every row and every uploaded file, with a manifest."""

from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份全部数据和上传文件到一个新文件夹（含清单：格式版本、迁移状态、行数、校验和）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="新的备份文件夹（不存在或为空）")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, output, database, **options):
        try:
            manifest = create_backup(output, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(
            self.style.SUCCESS(f"备份完成：{output}（{rows} 行数据，{files} 个文件）")
        )
        for name in manifest["missing_media"]:
            self.stderr.write(self.style.WARNING(f"注意：数据引用的文件不存在，未能备份：{name}"))
