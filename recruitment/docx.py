"""The development dossier as Word (入党积极分子、发展对象考察登记), filled from the record.

A4 with the margins of GB/T 9704 (docs: ../shared/EXPORT.md), 仿宋_GB2312 body with the East Asian
font set on the styles and runs, bordered tables whose every cell has its width.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
TYPE_WIDTH = Mm(156)
BODY_SIZE = Pt(14)


def _fonts(run_or_style, font: str, size, bold: bool = False) -> None:
    run_or_style.font.name = font
    run_or_style.font.size = size
    run_or_style.font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), font)


def _page(word) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = word.styles["Normal"]
    _fonts(normal, BODY_FONT, Pt(14))
    normal.paragraph_format.space_after = Pt(0)


def _paragraph(word, text: str, *, font=BODY_FONT, size=BODY_SIZE, bold=False, align=None):
    paragraph = word.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _fonts(paragraph.add_run(text), font, size, bold)
    return paragraph


def _borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _table(word, header: list[str], rows: list[list[str]], shares: list[int]) -> None:
    widths = [TYPE_WIDTH * share // sum(shares) for share in shares]
    table = word.add_table(rows=1 + len(rows), cols=len(header))
    table.autofit = False
    _borders(table)
    for index, width in enumerate(widths):
        table.columns[index].width = width
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            _fonts(paragraph.add_run(str(value)), BODY_FONT, Pt(12), bold=r == 0)


def _day(value) -> str:
    return f"{value:%Y年%m月%d日}" if value else "—"


def _heading(word, text: str) -> None:
    _paragraph(word, text, font=HEADING_FONT, size=Pt(16))


def dossier_docx(context: dict) -> bytes:
    """The Word file of one dossier (``views.dossier_context``)."""
    development, person = context["development"], context["person"]
    word = Document()
    _page(word)
    _paragraph(
        word,
        "发展党员考察登记表",
        font=TITLE_FONT,
        size=Pt(22),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(word, person.branch.name, align=WD_ALIGN_PARAGRAPH.CENTER)

    _heading(word, "一、基本情况")
    birth = _day(person.birth_date) if context["shows_private"] else "（不显示）"
    _table(
        word,
        ["姓名", "性别", "出生日期", "岗位/职务", "当前阶段"],
        [
            [
                person.name,
                person.get_gender_display() or "—",
                birth,
                person.post or "—",
                context["stage"],
            ]
        ],
        [2, 1, 3, 3, 4],
    )

    _heading(word, "二、发展阶段")
    rows = [
        [stage.get_status_display(), _day(stage.start), _day(stage.end) if stage.end else "至今"]
        for stage in context["stages"]
    ]
    _table(word, ["阶段", "起", "止"], rows or [["—", "—", "—"]], [3, 3, 3])

    _heading(word, "三、入党申请与谈话")
    _table(
        word,
        ["递交入党申请书", "谈话日期", "谈话人", "谈话情况"],
        [
            [
                _day(development.applied_on),
                _day(development.talk_on),
                development.talk_by or "—",
                development.talk_note or "—",
            ]
        ],
        [3, 3, 2, 5],
    )

    _heading(word, "四、培养联系人与考察")
    contacts = [
        [c.person.name, _day(c.start), _day(c.end) if c.end else "至今"]
        for c in context["contacts"]
    ]
    _table(word, ["培养联系人", "起", "止"], contacts or [["—", "—", "—"]], [3, 3, 3])
    reviews = [[_day(r.reviewed_on), r.reviewer or "—", r.summary] for r in context["reviews"]]
    _table(word, ["考察日期", "考察人", "考察意见"], reviews or [["—", "—", "—"]], [3, 2, 8])

    _heading(word, "五、发展对象")
    introducers = "、".join(i.person.name for i in context["introducers"]) or "—"
    days, hours = context["training_totals"]
    _table(
        word,
        ["事项", "情况"],
        [
            ["公示", f"{_day(development.publicity_from)} 至 {_day(development.publicity_to)}"],
            ["入党介绍人", introducers],
            [
                "政治审查",
                f"{_day(development.political_review_on)} "
                f"{development.political_review_result or ''}".strip(),
            ],
            ["集中培训", f"共 {days} 天、{hours} 学时"],
        ],
        [3, 10],
    )
    trainings = [
        [f"{_day(t.start)}—{_day(t.end)}", t.organiser, str(t.days), str(t.hours)]
        for t in context["trainings"]
    ]
    if trainings:
        _table(word, ["时间", "举办单位", "天数", "学时"], trainings, [5, 5, 1, 1])

    _heading(word, "六、支部大会与上级党委审批")
    vote = (
        f"{_day(development.admission_vote_on)}，应到 {development.admission_entitled} 人，"
        f"实到 {development.admission_present} 人，赞成 {development.admission_for} 人，"
        f"反对 {development.admission_against} 人，弃权 {development.admission_abstain} 人"
        if development.admission_vote_on
        else "—"
    )
    conversion = (
        f"{_day(development.conversion_vote_on)}，到会 {development.conversion_present} 人，"
        f"赞成 {development.conversion_for} 人"
        if development.conversion_vote_on
        else "—"
    )
    extension = (
        f"{_day(development.extended_on)} 决定延长 {development.extension_months} 个月："
        f"{development.extension_reason}"
        if development.extended_on
        else "—"
    )
    _table(
        word,
        ["事项", "情况"],
        [
            ["支部大会讨论接收", vote],
            ["上级党委谈话", _day(development.committee_talk_on)],
            [
                "上级党委审批",
                _day(development.approved_on)
                + (f"（{development.approval_note}）" if development.approval_note else ""),
            ],
            ["入党宣誓", _day(development.oath_on)],
            ["延长预备期", extension],
            ["支部大会讨论转正", conversion],
            *[
                [
                    "时限例外",
                    f"{_day(w.granted_on)} 上级党委批准不受“{w.get_rule_display()}”限制：{w.reason}",
                ]
                for w in context["waivers"]
            ],
            [
                "终止发展",
                f"{_day(development.stopped_on)} {development.stop_reason}".strip()
                if development.stopped_on
                else "—",
            ],
        ],
        [4, 9],
    )
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
