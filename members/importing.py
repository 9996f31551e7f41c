"""The roster as an Excel workbook: the import template, reading and checking an upload, importing.

An upload is read in full and checked row by row before anything is written: every problem is
reported with its row number (as Excel shows it), its column and a reason in Chinese. Only a file
without a single problem can be imported, and then all its rows are written in one transaction,
or none. A file that is not a real ``.xlsx`` workbook (by name and by content) is refused, as is
a cell holding a formula. The export writes the same columns, so an exported roster can be
filled in and read back.
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.formula import ArrayFormula

from common.text import strip_control_characters
from common.xlsx import display_width, write_cell

from .models import MEMBER_STATUSES, Membership, PartyGroup, Person, PoliticalStatus

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a workbook that unpacks to more is refused (zip bomb)
MAX_ROWS = 2000
SHEET_NAME = "党员名册"
EXAMPLE_PREFIX = "示例"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool = False
    note: str = ""


COLUMNS = [
    Column("name", "姓名", 10, required=True, note="必填，不超过50字"),
    Column("gender", "性别", 6, note="男 或 女"),
    Column("birth_date", "出生日期", 12, note="如 1975-05-01"),
    Column("phone", "联系电话", 14, note="数字，可含 - 和空格"),
    Column("post", "岗位/职务", 14, note="如 语文教师、教导主任"),
    Column(
        "political_status",
        "政治面貌",
        10,
        required=True,
        note="必填：" + "、".join(PoliticalStatus.labels),
    ),
    Column("joined_on", "入党或转入日期", 14, note="党员必填：党员关系在本支部开始的日期"),
    Column("joined_how", "加入方式", 10, note="发展入党 或 调入；党员留空按调入"),
    Column("party_group", "党小组", 12, note="党员可填；系统中没有的党小组将新建"),
    Column("is_key_teacher", "骨干教师", 8, note="是 或 否"),
    Column("is_senior_cadre", "两长以上干部", 12, note="是 或 否"),
    Column("staff_since", "到校日期", 12, note="如 2000-09-01"),
]
COLUMN_BY_HEADER = {column.header: column for column in COLUMNS}
EXAMPLE_ROW = {
    "name": f"{EXAMPLE_PREFIX}：张三",
    "gender": "女",
    "birth_date": datetime.date(1978, 3, 12),
    "phone": "13900000000",
    "post": "语文教师",
    "political_status": "正式党员",
    "joined_on": datetime.date(2005, 7, 1),
    "joined_how": "调入",
    "party_group": "初一年级党小组",
    "is_key_teacher": "是",
    "is_senior_cadre": "否",
    "staff_since": datetime.date(2003, 9, 1),
}

STATUS_BY_LABEL = {str(label): value for value, label in PoliticalStatus.choices}
JOINED_BY_LABEL = {str(label): value for value, label in Membership.Joined.choices}
GENDER_BY_LABEL = {str(label): value for value, label in Person.Gender.choices}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", "×"}
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
]
EARLIEST = datetime.date(1900, 1, 1)


class RosterFileError(Exception):
    """The upload is not a workbook the importer can read; the message says why, in Chinese."""


@dataclass
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self):
        return f"第{self.row}行“{self.column}”列：{self.message}"


@dataclass
class RosterRow:
    row: int
    values: dict = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)

    def refuse(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.row, column, message))

    @property
    def status_label(self) -> str:
        status = self.values.get("political_status")
        return str(PoliticalStatus(status).label) if status else ""


@dataclass
class RosterPreview:
    """What an upload would import: its rows, each with its problems, and notes on the file."""

    rows: list[RosterRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[RowProblem]:
        return [problem for row in self.rows for problem in row.problems]

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.problems


# The file -------------------------------------------------------------------------------


def check_workbook_file(name: str, content: bytes) -> bytes:
    """Refuse anything but a real ``.xlsx`` workbook of a sensible size; return its bytes."""
    if not name.lower().endswith(".xlsx"):
        raise RosterFileError("只接受 .xlsx 格式的 Excel 文件，请用下载的模板填写后上传。")
    if len(content) > MAX_FILE_BYTES:
        raise RosterFileError(f"文件不能超过 {MAX_FILE_BYTES // 1024 // 1024} MB。")
    if not content.startswith(b"PK\x03\x04"):
        raise RosterFileError("文件内容不是 .xlsx 格式的 Excel 工作簿（可能只是改了扩展名）。")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise RosterFileError("文件已损坏，无法作为 Excel 工作簿打开。") from error
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise RosterFileError("文件内容不是 .xlsx 格式的 Excel 工作簿（可能只是改了扩展名）。")
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterFileError("工作簿解压后过大，请只保留名册数据后再上传。")
    return content


def _open_workbook(content: bytes):
    """The workbook in read-only (streaming) mode: rows are parsed as they are read, never all
    held at once. Close it after use."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise RosterFileError("文件已损坏或不是 Excel 工作簿，无法读取。") from error


def _open_sheet(workbook):
    sheets = workbook.worksheets
    if len(sheets) == 1:
        sheet = sheets[0]
    else:
        sheet = next((s for s in sheets if s.title.strip() == SHEET_NAME), None)
    if sheet is not None:
        sheet.reset_dimensions()  # a file may state wrong dimensions: read every row present
        return sheet
    titles = "、".join(sheet.title for sheet in sheets)
    raise RosterFileError(
        f"工作簿中有 {len(sheets)} 个工作表（{titles}），无法确定名册在哪一个："
        f"请只保留一个工作表，或将名册所在的工作表命名为“{SHEET_NAME}”。"
    )


def _header_columns(sheet, preview: RosterPreview) -> dict[int, Column]:
    """Map column numbers to columns from the header row; refuse missing or doubled headers."""
    header = next(sheet.iter_rows(min_row=1, max_row=1), ())
    found: dict[int, Column] = {}
    unknown = []
    for column_number, cell in enumerate(header, start=1):
        text = str(cell.value).strip().rstrip("*＊").strip() if cell.value is not None else ""
        if not text:
            continue
        column = COLUMN_BY_HEADER.get(text)
        if column is None:
            unknown.append(text)
        elif column in found.values():
            raise RosterFileError(f"表头中“{text}”列出现了不止一次，请删除多余的一列。")
        else:
            found[column_number] = column
    if not found:
        raise RosterFileError("第1行应为表头（姓名、政治面貌等），请使用下载的模板。")
    missing = [c.header for c in COLUMNS if c.required and c not in found.values()]
    if missing:
        raise RosterFileError(f"缺少必填列：{'、'.join(missing)}。请使用下载的模板。")
    if unknown:
        preview.notes.append(f"以下列无法识别，已忽略：{'、'.join(unknown)}。")
    return found


# One row --------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_control_characters(str(value)).strip()


def _date(value, row: RosterRow, column: Column) -> datetime.date | None:
    if value is None or value == "":
        return None
    day = None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, int | float):
        try:
            day = from_excel(value).date()
        except (ValueError, OverflowError, AttributeError):
            day = None
    else:
        text = _text(value)
        for pattern in DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    day = datetime.date(*(int(part) for part in match.groups()))
                except ValueError:
                    day = None
                break
    if day is None:
        row.refuse(column.header, f"“{_text(value)}”不是有效日期，请写成 2010-09-01 的形式。")
        return None
    if not EARLIEST <= day <= timezone.localdate():
        row.refuse(column.header, f"日期 {day:%Y-%m-%d} 不在合理范围内。")
        return None
    if column.key in MODEL_FIELDS and not _validate(row, column.header, column.key, day):
        return None
    return day


# Columns stored in a Person field: checked by that field's own validators (common.validators),
# so the import, the member form and the admin answer alike.
MODEL_FIELDS = {"phone", "birth_date", "staff_since"}


def _validate(row: RosterRow, header: str, key: str, value) -> bool:
    try:
        Person._meta.get_field(key).run_validators(value)
    except ValidationError as error:
        for message in error.messages:
            row.refuse(header, message)
        return False
    return True


def _yes_no(value, row: RosterRow, column: Column) -> bool:
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO or text == "":
        return False
    row.refuse(column.header, f"“{_text(value)}”无法识别，请填写“是”或“否”。")
    return False


def _check_row(number: int, cells: dict[str, object]) -> RosterRow:
    """Clean one row's cells into Person values, noting each problem on the row."""
    row = RosterRow(number)
    by_key = {column.key: column for column in COLUMNS}
    values = row.values

    name = _text(cells.get("name"))
    if not name:
        row.refuse("姓名", "姓名不能为空。")
    elif len(name) > 50:
        row.refuse("姓名", "姓名不能超过50个字。")
    values["name"] = name

    gender = _text(cells.get("gender"))
    if gender and gender not in GENDER_BY_LABEL:
        row.refuse("性别", f"“{gender}”无法识别，请填写“男”或“女”。")
    values["gender"] = GENDER_BY_LABEL.get(gender, "")

    phone = _text(cells.get("phone"))
    _validate(row, "联系电话", "phone", phone)
    values["phone"] = phone

    post = _text(cells.get("post"))
    if len(post) > 100:
        row.refuse("岗位/职务", "岗位/职务不能超过100个字。")
    values["post"] = post

    status_label = _text(cells.get("political_status"))
    status = STATUS_BY_LABEL.get(status_label)
    if not status_label:
        row.refuse("政治面貌", "政治面貌不能为空。")
    elif status is None:
        allowed = "、".join(STATUS_BY_LABEL)
        row.refuse("政治面貌", f"“{status_label}”不是有效的政治面貌，应为：{allowed}。")
    values["political_status"] = status
    is_member = status in MEMBER_STATUSES

    for key in ("birth_date", "joined_on", "staff_since"):
        values[key] = _date(cells.get(key), row, by_key[key])
    for key in ("is_key_teacher", "is_senior_cadre"):
        values[key] = _yes_no(cells.get(key), row, by_key[key])

    joined_how = _text(cells.get("joined_how"))
    if joined_how and joined_how not in JOINED_BY_LABEL:
        row.refuse("加入方式", f"“{joined_how}”无法识别，请填写“发展入党”或“调入”。")
    values["joined_how"] = JOINED_BY_LABEL.get(joined_how, Membership.Joined.TRANSFERRED_IN)

    group = _text(cells.get("party_group"))
    if len(group) > 50:
        row.refuse("党小组", "党小组名称不能超过50个字。")
    values["party_group"] = group

    if is_member and values["joined_on"] is None and cells.get("joined_on") in (None, ""):
        row.refuse("入党或转入日期", "党员须填写入党或转入日期。")
    if status is not None and not is_member:
        if values["joined_on"] is not None:
            row.refuse("入党或转入日期", "非党员不填写入党或转入日期。")
        if group:
            row.refuse("党小组", "只有党员才能编入党小组。")
        if joined_how:
            row.refuse("加入方式", "非党员不填写加入方式。")
    birth = values["birth_date"]
    for key in ("joined_on", "staff_since"):
        if birth and values[key] and values[key] <= birth:
            row.refuse(by_key[key].header, "该日期不能早于出生日期。")
    return row


def read_roster(content: bytes, *, branch) -> RosterPreview:
    """Read a checked workbook into a preview of what it would import into ``branch``."""
    workbook = _open_workbook(content)
    try:
        return _read_sheet(_open_sheet(workbook), branch=branch)
    finally:
        workbook.close()


def _read_sheet(sheet, *, branch) -> RosterPreview:
    preview = RosterPreview()
    columns = _header_columns(sheet, preview)
    seen: dict[str, int] = {}
    existing = set(Person.objects.for_branch(branch).values_list("name", flat=True))
    groups = set(PartyGroup.objects.filter(branch=branch).values_list("name", flat=True))
    for number, row_cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        cells = {n: cell for n, cell in enumerate(row_cells, start=1) if n in columns}
        found = {columns[n].key: cell for n, cell in cells.items()}
        if all(c.value is None or _text(c.value) == "" for c in found.values()):
            continue
        if _text(found["name"].value if "name" in found else "").startswith(EXAMPLE_PREFIX):
            preview.notes.append(f"第{number}行是模板中的示例，已跳过。")
            continue
        if len(preview.rows) >= MAX_ROWS:
            raise RosterFileError(f"一次最多导入 {MAX_ROWS} 行，请分批导入。")
        formulas = {
            columns[n].header
            for n, c in cells.items()
            if c.data_type == "f" or isinstance(c.value, ArrayFormula)
        }
        row = _check_row(
            number,
            {
                columns[n].key: None if columns[n].header in formulas else c.value
                for n, c in cells.items()
            },
        )
        row.problems = [p for p in row.problems if p.column not in formulas] + [
            RowProblem(number, header, "单元格中是公式，请改为填写内容本身。")
            for header in sorted(formulas)
        ]
        name = row.values["name"]
        if name in seen:
            row.refuse("姓名", f"与第{seen[name]}行姓名重复。")
        elif name in existing:
            row.refuse("姓名", f"本支部已有名为“{name}”的教职工，不能重复导入。")
        if name:
            seen.setdefault(name, number)
        group = row.values["party_group"]
        if group and group not in groups and group not in preview.new_groups:
            preview.new_groups.append(group)
        preview.rows.append(row)
    if not preview.rows:
        preview.notes.append("文件中没有可导入的数据行。")
    return preview


# Writing --------------------------------------------------------------------------------


class RosterImportError(Exception):
    def __init__(self, preview: RosterPreview):
        super().__init__("名册中有错误，未导入任何数据。")
        self.preview = preview


@transaction.atomic
def roster_import(*, content: bytes, branch) -> list[Person]:
    """Import every row of a workbook into ``branch``, or none when any row has a problem."""
    from .services import person_create

    preview = read_roster(content, branch=branch)
    if not preview.can_import:
        raise RosterImportError(preview)
    groups = {group.name: group for group in PartyGroup.objects.filter(branch=branch)}
    people = []
    for row in preview.rows:
        values = dict(row.values)
        group_name = values.pop("party_group")
        group = None
        if group_name:
            group = groups.get(group_name)
            if group is None:
                group = groups[group_name] = PartyGroup.objects.create(
                    branch=branch, name=group_name
                )
        fields = {
            key: values[key]
            for key in (
                "name",
                "gender",
                "birth_date",
                "phone",
                "post",
                "political_status",
                "is_key_teacher",
                "is_senior_cadre",
                "staff_since",
            )
        }
        try:
            people.append(
                person_create(
                    branch=branch,
                    fields=fields,
                    joined_on=values["joined_on"],
                    joined_how=values["joined_how"],
                    party_group=group,
                )
            )
        except ValidationError as error:
            row.refuse("", "；".join(error.messages))
            raise RosterImportError(preview) from error
    return people


# The workbooks --------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="F8D7DA")


def _write_header(sheet) -> None:
    for number, column in enumerate(COLUMNS, start=1):
        cell = write_cell(sheet, 1, number, column.header)
        cell.font = Font(bold=True, color="9C0006" if column.required else "000000")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        width = max(column.width, display_width(column.header) + 2)
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"


def _write_row(sheet, number: int, values: dict) -> None:
    for position, column in enumerate(COLUMNS, start=1):
        value = values.get(column.key)
        cell = write_cell(sheet, number, position, value)
        if isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        elif column.key == "phone":
            cell.number_format = "@"


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_template() -> bytes:
    """The import template: the header row and one example row, plus a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    _write_header(sheet)
    _write_row(sheet, 2, EXAMPLE_ROW)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
    notes = workbook.create_sheet("填写说明")
    write_cell(notes, 1, 1, "列名").font = Font(bold=True)
    write_cell(notes, 1, 2, "填写要求").font = Font(bold=True)
    for number, column in enumerate(COLUMNS, start=2):
        write_cell(notes, number, 1, column.header)
        write_cell(notes, number, 2, column.note)
    tail = len(COLUMNS) + 3
    write_cell(notes, tail, 1, "说明")
    write_cell(
        notes,
        tail,
        2,
        f"请在“{SHEET_NAME}”工作表中从第3行起逐行填写，第2行示例导入时自动跳过；"
        "不要使用公式；姓名与本支部已有人员重复的行不能导入。",
    )
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 70
    return _save(workbook)


def roster_workbook(rows) -> bytes:
    """The roster as exported: the template's columns, one row per person (``rows`` of dicts)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    _write_header(sheet)
    last = 1
    for last, values in enumerate(rows, start=2):
        _write_row(sheet, last, values)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    return _save(workbook)


def roster_rows(people, *, shows_private) -> list[dict]:
    """Export rows for ``people`` (annotated ``with_roster_facts``), in the template's columns.

    ``shows_private(person)`` says whether the phone and birth date may be written; when not,
    they are masked as on the roster page.
    """
    yes_no = {True: "是", False: "否"}
    rows = []
    for person in people:
        private = shows_private(person)
        joined_how = getattr(person, "member_joined_how", None)
        rows.append(
            {
                "name": person.name,
                "gender": person.get_gender_display(),
                "birth_date": person.birth_date if private else person.masked_birth_date,
                "phone": person.phone if private else person.masked_phone,
                "post": person.post,
                "political_status": person.get_political_status_display(),
                "joined_on": person.member_since,
                "joined_how": Membership.Joined(joined_how).label if joined_how else "",
                "party_group": person.group_name or "",
                "is_key_teacher": yes_no[person.is_key_teacher],
                "is_senior_cadre": yes_no[person.is_senior_cadre],
                "staff_since": person.staff_since,
            }
        )
    return rows
