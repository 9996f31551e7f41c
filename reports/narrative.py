"""Narrative written by people, with figures as placeholders 【名称】 resolved at render time.

The summary has fixed slots (the opening, the three parts of 一, one part per carrier under 二,
the parts of 三); each slot holds a ``NarrativeText`` or, until the secretary writes one, the
default below. Every line of a text is one paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Paragraph, Run
from .figures import DESCRIPTIVE, Figures, UnknownFigure
from .models import NarrativeText
from .placeholders import PLACEHOLDER, placeholders

Section = NarrativeText.Section


@dataclass(frozen=True)
class Slot:
    section: str
    part: str  # "" for the opening, else the part of the summary: 一, 二 or 三
    title: str  # the default title (the carrier's heading for carrier slots)
    text: str  # the default text


SLOTS: dict[str, Slot] = {
    slot.section: slot
    for slot in [
        Slot(
            Section.OPENING,
            "",
            "",
            "【起始年月】以来，【党组织简称】在【上级党组织】领导下，以“【活动主题】”为主题，"
            "以“【活动目标】”为目标，扎实开展创先争优活动，学校先后获得【集体荣誉】等荣誉称号。"
            "现就创先争优工作总结如下：",
        ),
        Slot(
            Section.LEADING_GROUP,
            "一",
            "成立领导小组",
            "支部成立创先争优活动领导小组，【领导小组组长】任组长，组员包括：【领导小组组员】。",
        ),
        Slot(Section.PLAN, "一", "制定活动计划", ""),
        Slot(Section.MOBILISATION, "一", "广泛宣传动员", ""),
        Slot(Section.CARRIER, "二", "", ""),
        Slot(Section.LEADERSHIP, "三", "领导班子建设得到加强，强化了干部服务意识", ""),
        Slot(
            Section.PARTY_BUILDING,
            "三",
            "党建工作机制有创新，强化了党员主体意识",
            "学校骨干教师中党员比例达【骨干教师党员比例】，"
            "两长以上干部党员比例达【两长以上干部党员比例】。",
        ),
        Slot(Section.CONDUCT, "三", "“三风”建设有成效，推进了反腐倡廉建设", ""),
        Slot(
            Section.MECHANISMS,
            "三",
            "制度建设得到推进，支部建设基础更坚实",
            "支部共建立健全思想建设相关制度【制度数·思想建设】项、"
            "组织建设相关制度【制度数·组织建设】项、民主建设相关制度【制度数·民主建设】项、"
            "作风建设相关制度【制度数·作风建设】项、反腐倡廉建设相关制度【制度数·反腐倡廉建设】项。",
        ),
        Slot(Section.IMPROVEMENT, "三", "有待进一步完善的方面", ""),
    ]
}


# The yearly template: a year's summary starts from these texts, not from the campaign's (which
# tell the whole campaign). Optional parts in 〔〕 drop out when a figure in them is zero or
# missing; a sentence whose figures are all zero or missing is left out.
YEARLY_TEXTS: dict[str, str] = {
    Section.OPENING: "【报告期间】，【党组织简称】在【上级党组织】领导下，"
    "〔以“【活动主题】”为主题，〕扎实开展创先争优活动。【报告期称谓】学校先后获得【集体荣誉】等荣誉称号。"
    "现将【报告期称谓】创先争优工作总结如下：",
    Section.LEADING_GROUP: "【报告期称谓】，创先争优活动领导小组由【领导小组组长】任组长"
    "〔，组员包括：【领导小组组员】〕。",
    Section.PLAN: "",
    Section.MOBILISATION: "",
    Section.CARRIER: "",
    Section.LEADERSHIP: "",
    Section.PARTY_BUILDING: "【报告期称谓】新签订承诺书的党员【承诺签订人数】名。"
    "期内【期内党员人数】名党员中，【已签订承诺党员人数】名签订了承诺书，签订率【承诺签订率】。"
    "【报告期称谓】支部选树先进典型〔市级【先进典型·市级】名，〕〔区级【先进典型·区级】名，〕"
    "〔校级【先进典型·校级】名〕。"
    "学校骨干教师中党员比例达【骨干教师党员比例】，两长以上干部党员比例达【两长以上干部党员比例】。",
    Section.CONDUCT: "",
    Section.MECHANISMS: "截至【截止年月】，支部共有有效制度【制度总数】项，其中"
    "〔思想建设相关制度【制度数·思想建设】项、〕〔组织建设相关制度【制度数·组织建设】项、〕"
    "〔民主建设相关制度【制度数·民主建设】项、〕〔作风建设相关制度【制度数·作风建设】项、〕"
    "〔反腐倡廉建设相关制度【制度数·反腐倡廉建设】项〕。",
    Section.IMPROVEMENT: "",
}


@dataclass(frozen=True)
class Part:
    key: str  # "" for the opening, else 一, 二 or 三
    label: str  # how the narrative editor names the part
    title: str  # the part's heading in the summary ("" for the opening)


PARTS: dict[str, Part] = {
    part.key: part
    for part in [
        Part("", "开篇", ""),
        Part("一", "一、制定计划，宣传动员", "制定计划，宣传动员，创先争优活动拉开帷幕"),
        Part("二", "二、依托载体", "依托载体，重在行动，创先争优岗位谱写新篇"),
        Part("三", "三、总结提升", "总结提升，推进创新，不断建立健全长效机制"),
    ]
}


def slots_of(part: str) -> list[Slot]:
    return [slot for slot in SLOTS.values() if slot.part == part and slot.section != "carrier"]


# ---------------------------------------------------------------------------------------------
# Placeholders (parsed and checked in ``placeholders.py``) resolved to runs.


def resolve(text: str, figures: Figures) -> list[Run]:
    """Split ``text`` into runs; a placeholder becomes a run with its figure's text.

    A name that is no longer valid (a carrier renamed after the text was saved) stays as
    written, marked as an error, so that the preview shows it.
    """
    runs: list[Run] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position : match.start()]))
        name = match.group(1)
        try:
            runs.append(Run(figures.text(name), figure=name))
        except UnknownFigure:
            runs.append(Run(match.group(0), error=True))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return runs


# A sentence ends after 。！？ (and the closing quote or bracket that may follow); 〔…〕 marks an
# optional part, printed only when none of its figures is zero or missing.
SENTENCE = re.compile(r"[^。！？]*(?:[。！？][”’」）)]*|$)")
OPTIONAL = re.compile(r"〔([^〔〕]*)〕")
DANGLING = [
    ("，。", "。"),
    ("、。", "。"),
    ("，，", "，"),
    ("、、", "、"),
    ("：。", "。"),
    ("，、", "，"),
]


def _has_empty(text: str, figures: Figures) -> bool:
    for name in placeholders(text):
        try:
            if figures.is_empty(name):
                return True
        except UnknownFigure:
            continue  # shown as an error by ``resolve``
    return False


def _results(text: str) -> list[str]:
    """The placeholders of ``text`` that state a result (not a name or a date)."""
    return [name for name in placeholders(text) if name not in DESCRIPTIVE]


def _sentence(sentence: str, figures: Figures) -> str:
    """The sentence with its optional parts kept or dropped; "" when it must be left out.

    Left out: a sentence with a zero or missing figure outside 〔〕, and a sentence all of whose
    results were in dropped optional parts (it would state nothing; names and dates such as
    【报告期称谓】 are not results, ``figures.DESCRIPTIVE``).
    """
    had_results = bool(_results(sentence))
    kept = OPTIONAL.sub(lambda m: "" if _has_empty(m.group(1), figures) else m.group(1), sentence)
    if _has_empty(kept, figures) or (had_results and not _results(kept)):
        return ""
    for dangling, fixed in DANGLING:
        kept = kept.replace(dangling, fixed)
    return kept


def render_line(line: str, figures: Figures) -> str:
    """``line`` with the sentences that would state a zero or missing figure left out."""
    return "".join(
        _sentence(match.group(0), figures) for match in SENTENCE.finditer(line) if match.group(0)
    ).strip()


def paragraphs(text: str, figures: Figures) -> list[Paragraph]:
    """One paragraph per non-empty line of ``text``, placeholders resolved; a sentence that
    would state a zero or missing figure is left out (``render_line``)."""
    lines = (render_line(line.strip(), figures) for line in text.splitlines() if line.strip())
    return [Paragraph(resolve(line, figures)) for line in lines if line]


# ---------------------------------------------------------------------------------------------
# The texts of one campaign.


class Narratives:
    """The stored texts of a campaign's summary, or of one year's (``year``), in one query,
    falling back to each slot's default: the campaign template, or the yearly template."""

    def __init__(self, campaign, year: int | None = None):
        self.campaign = campaign
        self.year = year
        self._stored = {
            (row.section, row.carrier_id): row
            for row in NarrativeText.objects.filter(campaign=campaign, year=year)
        }

    def stored(self, section: str, carrier=None) -> NarrativeText | None:
        return self._stored.get((section, carrier.pk if carrier else None))

    def title(self, section: str, carrier=None) -> str:
        if carrier is not None:
            return carrier.heading
        row = self.stored(section)
        return (row.title if row and row.title else "") or SLOTS[section].title

    def text(self, section: str, carrier=None) -> str:
        row = self.stored(section, carrier)
        if row is not None:
            return row.text
        return YEARLY_TEXTS[section] if self.year else SLOTS[section].text
