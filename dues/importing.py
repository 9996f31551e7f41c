"""The yearly base by Excel: the template, and an all-or-nothing import with problems by row
and column, in the manner of the roster import (``members.importing``: same file checks, same
``RowProblem``)."""

from __future__ import annotations

import datetime
import io
import numbers
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.formula import ArrayFormula

from common.xlsx import write_cell
from members.importing import RosterFileError, RowProblem, check_workbook_file
from members.models import Person

from .models import INCOME_CATEGORIES, ZERO, Category
from .services import BaseEntry, base_year_set, check_base

SHEET_NAME = "党费基数"
HEADERS = ("姓名", "党员类别", "月计算基数（元）", "每月自愿多交（元）")
REQUIRED = ("姓名", "党员类别")
CATEGORY_BY_LABEL = {str(text): value for value, text in Category.choices}
COLUMN_OF_FIELD = {"income": "月计算基数（元）", "voluntary_extra": "每月自愿多交（元）"}

__all__ = ["RosterFileError", "base_import", "base_template", "read_bases"]


@dataclass
class BaseRow:
    row: int
    name: str = ""
    entry: BaseEntry | None = None
    problems: list[RowProblem] = field(default_factory=list)

    def refuse(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.row, column, message))


@dataclass
class BasePreview:
    rows: list[BaseRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.problems


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _money(value, row: BaseRow, column: str) -> Decimal | None:
    """A cell as money: numbers are read through their text, never as binary fractions."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        row.refuse(column, "请填写金额。")
        return None
    text = repr(value) if isinstance(value, numbers.Real) else _text(value).replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        row.refuse(column, f"“{_text(value)}”不是有效金额。")
        return None
    if not amount.is_finite():
        row.refuse(column, f"“{_text(value)}”不是有效金额。")
        return None
    return amount


def _open(content: bytes):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise RosterFileError("文件已损坏或不是 Excel 工作簿，无法读取。") from error
    for sheet in workbook.worksheets:
        if sheet.title.strip() == SHEET_NAME:
            return sheet
    if len(workbook.worksheets) == 1:
        return workbook.worksheets[0]
    raise RosterFileError(f"请将党费基数所在的工作表命名为“{SHEET_NAME}”。")


def read_bases(content: bytes, *, branch, year: int, name: str = "upload.xlsx") -> BasePreview:
    """Check every row of an upload against the branch's members on 1 January of ``year``."""
    check_workbook_file(name, content)
    sheet = _open(content)
    header = [_text(cell.value).rstrip("*＊") for cell in next(sheet.iter_rows(max_row=1), ())]
    columns = {text: index for index, text in enumerate(header) if text in HEADERS}
    missing = [text for text in REQUIRED if text not in columns]
    if missing:
        raise RosterFileError(f"缺少必填列：{'、'.join(missing)}。请使用下载的模板。")
    members = {}
    day = datetime.date(year, 1, 1)
    for person in Person.objects.for_branch(branch).members_on(day).order_by("pk"):
        members.setdefault(person.name, []).append(person)
    preview = BasePreview()
    seen: dict[str, int] = {}
    for cells in sheet.iter_rows(min_row=2):
        values = {text: cells[index] for text, index in columns.items() if index < len(cells)}
        if all(_text(cell.value) == "" for cell in values.values()):
            continue
        number = cells[0].row
        row = BaseRow(number)
        for text, cell in values.items():
            if cell.data_type == "f" or isinstance(cell.value, ArrayFormula):
                row.refuse(text, "单元格中是公式，请改为填写内容本身。")
        if row.problems:
            preview.rows.append(row)
            preview.problems += row.problems
            continue
        name = _text(values["姓名"].value)
        row.name = name
        person = None
        if not name:
            row.refuse("姓名", "姓名不能为空。")
        elif name in seen:
            row.refuse("姓名", f"与第{seen[name]}行姓名重复。")
        elif name not in members:
            row.refuse("姓名", f"{year}年1月1日本支部没有名为“{name}”的党员。")
        elif len(members[name]) > 1:
            row.refuse(
                "姓名", f"本支部有 {len(members[name])} 名党员叫“{name}”，请在网页上逐人核定。"
            )
        else:
            person = members[name][0]
        seen.setdefault(name, number)
        label = _text(values["党员类别"].value)
        category = CATEGORY_BY_LABEL.get(label)
        if category is None:
            allowed = "、".join(CATEGORY_BY_LABEL)
            row.refuse("党员类别", f"“{label}”不是有效的党员类别，应为：{allowed}。")
        income_cell = values.get("月计算基数（元）")
        extra_cell = values.get("每月自愿多交（元）")
        income = _money(income_cell.value if income_cell else None, row, "月计算基数（元）")
        extra = _money(extra_cell.value if extra_cell else None, row, "每月自愿多交（元）")
        if category is not None and not row.problems:
            for key, message in check_base(category, income, extra).items():
                row.refuse(COLUMN_OF_FIELD[key], message)
        if person is not None and category is not None and not row.problems:
            row.entry = BaseEntry(
                person=person,
                category=category,
                income=income if category in INCOME_CATEGORIES else None,
                voluntary_extra=extra or ZERO,
            )
        preview.rows.append(row)
        preview.problems += row.problems
    if not preview.rows:
        preview.problems.append(RowProblem(2, "姓名", "文件中没有可导入的数据行。"))
    return preview


class BaseImportError(Exception):
    def __init__(self, preview: BasePreview):
        super().__init__("党费基数表中有错误，未导入任何数据。")
        self.preview = preview


@transaction.atomic
def base_import(*, content: bytes, branch, year: int, name: str = "upload.xlsx", by=None):
    preview = read_bases(content, branch=branch, year=year, name=name)
    if not preview.can_import:
        raise BaseImportError(preview)
    return base_year_set(
        branch=branch, year=year, entries=[row.entry for row in preview.rows], by=by
    )


def base_template(branch, year: int, bases: dict) -> bytes:
    """The template, filled with the branch's members and their latest bases."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    fill = PatternFill("solid", fgColor="F8D7DA")
    for number, text in enumerate(HEADERS, start=1):
        cell = write_cell(sheet, 1, number, text)
        cell.font = Font(bold=True, color="9C0006" if text in REQUIRED else "000000")
        cell.fill = fill
    for letter, width in zip("ABCD", (12, 18, 18, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    day = datetime.date(year, 1, 1)
    people = Person.objects.for_branch(branch).members_on(day).order_by("name", "pk")
    for number, person in enumerate(people, start=2):
        base = bases.get(person.pk)
        write_cell(sheet, number, 1, person.name)
        write_cell(sheet, number, 2, base.get_category_display() if base else "")
        write_cell(sheet, number, 3, base.income if base else None)
        write_cell(sheet, number, 4, base.voluntary_extra if base else None)
    notes = workbook.create_sheet("填写说明")
    lines = [
        "每行一名党员：姓名须与本支部名册一致。",
        "党员类别：" + "、".join(CATEGORY_BY_LABEL) + "。",
        "在职、离退休党员填写月计算基数（按月固定收入，税后，元，最多两位小数，0 至 1000000）；",
        "学生、农民、下岗失业、低保党员不填基数，按固定标准交纳。",
        f"导入后作为 {year} 年1月起的党费基数；只要有一行有错误，就不会导入任何一行。",
    ]
    for number, text in enumerate(lines, start=1):
        write_cell(notes, number, 1, text)
    notes.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
