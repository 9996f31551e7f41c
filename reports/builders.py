"""Builders: read a branch's records for a period and return the plain document tree.

``build_summary`` gives the 工作总结 with the source document's skeleton, ``build_mechanism_table``
the 长效机制情况表. Every figure is read from ``reports.figures``; every text written by people
comes from ``reports.narrative``. Writers (``reports.writers``) never touch the database.
"""

from __future__ import annotations

from activities.models import Activity, Measure

from .datasets import build_data_sheets
from .document import Cell, Document, Heading, ListBlock, Paragraph, Run, Section, Signature, Table
from .figures import Figures, ReportPeriod, fmt_default
from .models import ReportOptions
from .narrative import PARTS, Narratives, paragraphs, resolve, slots_of

TABLE_TITLE = "基层党组织建立健全创先争优长效机制情况表"
# Activities listed under a carrier; the rest are counted, and all are in the Excel data sheet.
ACTIVITIES_LISTED = 12
# What a listed activity shows, read as named rows (``_activity_line``).
ACTIVITY_FIELDS = (
    "pk",
    "carrier_id",
    "start_date",
    "end_date",
    "title",
    "place",
    "participant_count",
    "hours_total",
)
# The table's columns (label, value, label, value) fill the 156 mm type area.
TABLE_WIDTHS_MM = [40.0, 48.0, 28.0, 40.0]


def report_name(period: ReportPeriod) -> str:
    """“创先争优” for the campaign 创先争优活动; “2011年度创先争优” for a year."""
    name = period.campaign.name.removesuffix("活动")
    return f"{period.year}年度{name}" if period.year else name


def summary_filename(branch, period: ReportPeriod) -> str:
    return f"{branch.short_name}{report_name(period)}工作总结"


def table_filename(branch, period: ReportPeriod) -> str:
    return f"{branch.short_name}{report_name(period)}长效机制情况表"


def day_text(day) -> str:
    """A date written in full Arabic numerals, year, month and day (GB/T 9704 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def fill(template: str, figures: Figures, **kwargs) -> Paragraph:
    """A paragraph from a fixed sentence of the builder, with placeholders resolved."""
    return Paragraph(resolve(template, figures), **kwargs)


CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_number(number: int) -> str:
    """一 … 十, 十一 … 九十九 (the （一） level of GB/T 9704)."""
    if number <= 10:
        return CHINESE_NUMERALS[number - 1]
    tens, units = divmod(number, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return f"{head}十{CHINESE_NUMERALS[units - 1] if units else ''}"


def _numbered(number: int, title: str, blocks: list) -> Section:
    """A part under 一、二、三: GB/T 9704's second level, “（一）” in 楷体."""
    return Section(Heading(2, f"（{chinese_number(number)}）", title), blocks)


def numbered_list(texts: list[str]) -> ListBlock:
    """Items numbered “（1）”, “（2）” … as GB/T 9704's fourth level."""
    return ListBlock([Paragraph([Run(f"（{i}）"), Run(text)]) for i, text in enumerate(texts, 1)])


def _part(part: str, children: list[Section]) -> Section:
    return Section(Heading(1, f"{part}、", PARTS[part].title), children)


# ---------------------------------------------------------------------------------------------
# The work summary.


def build_summary(branch, period: ReportPeriod, *, data_sheets: bool = False) -> Document:
    figures = Figures(branch, period)
    texts = Narratives(period.campaign, period.year)
    options = ReportOptions.objects.of(period, ReportOptions.Kind.SUMMARY)
    name = summary_filename(branch, period)
    doc = Document(title=(options.title if options else "") or name, filename=name)
    doc.blocks += paragraphs(texts.text("opening"), figures)

    lists = options.list_records if options else True
    doc.blocks.append(_part("一", _slot_parts("一", texts, figures)))
    doc.blocks.append(_part("二", _carrier_parts(branch, period, texts, figures, lists=lists)))
    doc.blocks.append(_part("三", _slot_parts("三", texts, figures)))

    signed_on = (options.signature_date if options else None) or period.end
    doc.signature = Signature(branch.short_name, day_text(signed_on))
    if data_sheets:
        doc.data_sheets = build_data_sheets(branch, period)
    return doc


def _slot_parts(part: str, texts: Narratives, figures: Figures) -> list[Section]:
    """The numbered parts of 一 or 三; a slot whose text is empty is left out."""
    sections = []
    for slot in slots_of(part):
        body = paragraphs(texts.text(slot.section), figures)
        if body:
            sections.append(_numbered(len(sections) + 1, texts.title(slot.section), body))
    return sections


def _carrier_parts(
    branch, period, texts: Narratives, figures: Figures, *, lists: bool = True
) -> list[Section]:
    """二: one part per carrier, in the campaign's order: its narrative, then (``lists``, the
    document's option) its measures and activities."""
    measures: dict[int, list[Measure]] = {}
    for measure in Measure.objects.filter(carrier__campaign=period.campaign).order_by("order"):
        measures.setdefault(measure.carrier_id, []).append(measure)
    activities: dict[int, list] = {}
    for activity in (  # rows, not model instances: a branch has hundreds in a campaign
        Activity.objects.for_branch(branch)
        .between(period.start, period.end)
        .filter(carrier__campaign=period.campaign)
        .with_participant_totals()
        .order_by("start_date", "pk")
        .values_list(*ACTIVITY_FIELDS, named=True)
    ):
        activities.setdefault(activity.carrier_id, []).append(activity)

    sections = []
    for number, carrier in enumerate(figures.carriers, 1):
        blocks: list = paragraphs(texts.text("carrier", carrier), figures)
        if lists:
            blocks += _measure_blocks(carrier, measures.get(carrier.pk, []), figures, period.end)
            blocks += _activity_blocks(carrier, activities.get(carrier.pk, []), figures)
        sections.append(_numbered(number, carrier.heading, blocks))
    return sections


def _figure_run(figures: Figures, carrier, suffix: str) -> Run:
    name, text = figures.carrier_text(carrier, suffix)
    return Run(text, figure=name)


def _measure_blocks(carrier, measures: list[Measure], figures: Figures, day) -> list:
    """The carrier's measures as they stood on ``day`` (the report date)."""
    if not measures:
        return []
    runs = [Run("举措落实情况：共"), _figure_run(figures, carrier, "举措数"), Run("项")]
    done_name, _done = figures.carrier_text(carrier, "举措完成数")
    if figures.value(done_name):
        runs += [Run("，已完成"), _figure_run(figures, carrier, "举措完成数"), Run("项")]
    else:
        runs.append(Run("，均在推进中"))
    long_term_name, long_term = figures.carrier_text(carrier, "长效举措数")
    if figures.value(long_term_name):
        runs += [Run("，其中"), Run(long_term, figure=long_term_name), Run("项已建立长效机制")]
    runs.append(Run("。"))
    items = []
    for measure in measures:
        status = measure.status_on(day)
        state = Measure.Status(status).label
        if measure.long_term and status == Measure.Status.DONE:
            state += "，已建立长效机制"
        items.append(f"{measure.title}（{state}）")
    return [Paragraph(runs), numbered_list(items)]


def _activity_blocks(carrier, activities: list, figures: Figures) -> list:
    if not activities:
        return []
    count_name, count = figures.carrier_text(carrier, "活动数")
    runs = [Run("主要活动记录：共"), Run(count, figure=count_name), Run("项")]
    shown = activities
    if len(activities) > ACTIVITIES_LISTED:
        busiest = sorted(activities, key=lambda a: (-a.participant_count, a.start_date, a.pk))
        chosen = {a.pk for a in busiest[:ACTIVITIES_LISTED]}
        shown = [a for a in activities if a.pk in chosen]
        runs.append(Run(f"，以下列出参加人数最多的{ACTIVITIES_LISTED}项，全部记录见Excel数据表"))
    runs.append(Run("。"))
    return [Paragraph(runs), numbered_list([_activity_line(a) for a in shown])]


def date_range_text(start, end=None) -> str:
    """“2010年7月12日至8月27日”: the end says only what differs from the start."""
    text = f"{start.year}年{start.month}月{start.day}日"
    if end is None or end == start:
        return text
    if end.year != start.year:
        return f"{text}至{end.year}年{end.month}月{end.day}日"
    if end.month != start.month:
        return f"{text}至{end.month}月{end.day}日"
    return f"{text}至{end.day}日"


def _activity_line(activity) -> str:
    """One listed activity (a row of ``ACTIVITY_FIELDS``)."""
    line = f"{date_range_text(activity.start_date, activity.end_date)}，{activity.title}"
    if activity.place:
        line += f"（{activity.place}）"
    details = []
    if activity.participant_count:
        details.append(f"参加{activity.participant_count}人")
    if activity.hours_total:
        details.append(f"服务时长{fmt_default(activity.hours_total)}小时")
    return line + ("，" + "，".join(details) if details else "") + "。"


# ---------------------------------------------------------------------------------------------
# The long-term-mechanism table.


def build_mechanism_table(branch, period: ReportPeriod, *, data_sheets: bool = False) -> Document:
    figures = Figures(branch, period)
    options = ReportOptions.objects.of(period, ReportOptions.Kind.TABLE)
    title = (options.title if options else "") or TABLE_TITLE
    doc = Document(title=title, filename=table_filename(branch, period))

    def label(text: str) -> Cell:
        return Cell([Paragraph.plain(text, align="center", indent=False, bold=True)], label=True)

    def value(*paras: Paragraph, colspan: int = 1) -> Cell:
        for para in paras:
            para.indent = False
        return Cell(list(paras), colspan=colspan)

    basics = "【党组织简称】现有党员【党员人数】名"
    if figures.value("分类定级"):
        basics += "，在【分类定级时间】开展的【分类定级工作】中被评定为“【分类定级】”"
    featured = [
        Paragraph([Run(f"{number}、"), Run(text, figure="党建特色工作")])
        for number, text in enumerate(figures.value("党建特色工作"), 1)
    ] or [Paragraph.plain("—")]
    mechanisms = (
        "支部建立健全思想建设相关制度【制度数·思想建设】项、组织建设相关制度【制度数·组织建设】项、"
        "民主建设相关制度【制度数·民主建设】项、作风建设相关制度【制度数·作风建设】项、"
        "反腐倡廉建设相关制度【制度数·反腐倡廉建设】项。"
    )
    if figures.value("新建制度名称"):
        mechanisms += "其中新建创先争优相关制度有：【新建制度名称】等。"

    rows = [
        [label("党组织名称"), value(fill("【党组织全称】", figures), colspan=3)],
        [
            label("党组织负责人"),
            value(fill("【党组织负责人】", figures, align="center")),
            label("联系电话"),
            value(fill("【联系电话】", figures, align="center")),
        ],
        [label("党组织基本情况"), value(fill(basics + "。", figures), colspan=3)],
        [label("党建特色工作"), value(*featured, colspan=3)],
        [
            label("党组织建立健全创先争优长效机制情况"),
            value(fill(mechanisms, figures), colspan=3),
        ],
    ]
    doc.blocks.append(Table(TABLE_WIDTHS_MM, rows))
    if data_sheets:
        doc.data_sheets = build_data_sheets(branch, period)
    return doc


BUILDERS = {"summary": build_summary, "table": build_mechanism_table}
