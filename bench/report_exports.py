"""Time the report exports against writing the same text with python-docx / openpyxl alone.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/report_exports.py [--runs 15]

Needs a migrated database with the demo data (``manage.py load_demo``). For each report
(summary, table) and format (docx, xlsx) it prints the median of ``--runs`` runs of the portal's
export from the records (queries, building the tree and writing the file: what the first download
after a change costs; later ones are served from the cache), of the writer alone (the file
from the built tree) and of a bare write of the same text (every paragraph, cell and data-sheet
value of that export, written with the library's defaults and nothing else), their ratios
(target: at most 2×), the export's query count, and the query count again after adding
``--extra`` activities (it must not change).
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")

import django  # noqa: E402

django.setup()

import docx  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from activities.models import Activity  # noqa: E402
from members.models import Branch, Campaign  # noqa: E402
from reports.builders import BUILDERS  # noqa: E402
from reports.document import ListBlock, Paragraph, Section, Table  # noqa: E402
from reports.figures import ReportPeriod  # noqa: E402
from reports.writers import FORMATS  # noqa: E402


def lines(document) -> list[str]:
    """The document's text, one string per paragraph or table cell, in reading order."""
    found = [document.title]

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Section):
                found.append(block.heading.display)
                walk(block.blocks)
            elif isinstance(block, Paragraph):
                found.append(block.text)
            elif isinstance(block, ListBlock):
                found.extend(item.text for item in block.items)
            elif isinstance(block, Table):
                found.extend(cell.text for row in block.rows for cell in row)

    walk(document.blocks)
    if document.signature:
        found += [document.signature.organisation, document.signature.date]
    return found


def bare_docx(document) -> bytes:
    word = docx.Document()
    for text in lines(document):
        word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def bare_xlsx(document) -> bytes:
    book = Workbook(write_only=True)
    first = book.create_sheet("1")
    for text in lines(document):
        first.append([text])
    for sheet in document.data_sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.append(sheet.headers)
        for row in sheet.rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BARE = {"docx": bare_docx, "xlsx": bare_xlsx}


def medians(*functions, runs: int) -> list[float]:
    """Median seconds of each function, run in turn so that all see the same load."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for function, found in zip(functions, times, strict=True):
            start = time.perf_counter()
            function()
            found.append(time.perf_counter() - start)
    return [statistics.median(found) for found in times]


def export(kind: str, fmt: str, branch, period) -> bytes:
    document = BUILDERS[kind](branch, period, data_sheets=fmt == "xlsx")
    return FORMATS[fmt].write(document)


def query_count(kind, fmt, branch, period) -> int:
    with CaptureQueriesContext(connection) as queries:
        export(kind, fmt, branch, period)
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--branch", default="田林二中党支部")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--extra", type=int, default=500, help="activities added for the check")
    args = parser.parse_args()

    branch = Branch.objects.get(short_name=args.branch)
    campaign = Campaign.objects.for_branch(branch).order_by("-start").first()
    period = ReportPeriod.for_campaign(campaign)
    print(
        f"{branch.short_name}，{period.label}；{args.runs} 次取中位数；数据库 {connection.vendor}"
    )
    print(
        f"{'报表':<8}{'格式':<6}{'导出 ms':>9}{'写出 ms':>9}{'裸写 ms':>9}{'导出倍数':>9}"
        f"{'写出倍数':>9}{'查询':>6}{'加活动后查询':>10}"
    )
    rows = []
    for kind in BUILDERS:
        for fmt in ("docx", "xlsx"):
            export(kind, fmt, branch, period)  # warm up imports and caches
            document = BUILDERS[kind](branch, period, data_sheets=fmt == "xlsx")
            portal, written, bare = medians(
                functools.partial(export, kind, fmt, branch, period),
                functools.partial(FORMATS[fmt].write, document),
                functools.partial(BARE[fmt], document),
                runs=args.runs,
            )
            queries = query_count(kind, fmt, branch, period)
            rows.append([kind, fmt, portal, written, bare, queries])

    with transaction.atomic():  # more activities, rolled back afterwards
        carriers = list(campaign.carriers.all())
        Activity.objects.bulk_create(
            Activity(
                branch=branch,
                carrier=carriers[i % len(carriers)],
                title=f"基准测试活动{i}",
                start_date=period.start,
            )
            for i in range(args.extra)
        )
        for row in rows:
            row.append(query_count(row[0], row[1], branch, period))
        transaction.set_rollback(True)

    for kind, fmt, portal, written, bare, queries, more in rows:
        print(
            f"{kind:<8}{fmt:<6}{portal * 1000:>9.1f}{written * 1000:>9.1f}{bare * 1000:>9.1f}"
            f"{portal / bare:>9.2f}{written / bare:>9.2f}{queries:>6}{more:>10}"
        )


if __name__ == "__main__":
    main()
