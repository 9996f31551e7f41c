"""A synthetic district for load and scale work: one committee, many school branches.

``generate_district(...)`` builds N branches of M people each, with everything the portal keeps
(statuses and their history, memberships with transfers, party groups, branch posts, a campaign
with the six carriers, its leading group, activities with participants, measures, meetings with
attendance, signed pledges with points and items, honors, mechanisms, featured works, ratings,
research topics) and one login account per role in every branch.

It is built for speed: rows are made in memory a chunk of branches at a time and written with
``bulk_create`` (no per-row ``save()``, so no signals and no ``simple_history`` rows), the password
is hashed once, and the whole run is one transaction, so a failure leaves nothing behind.

The data are a function of the seed alone: one ``random.Random(seed)`` draws a seed for every
branch, and each branch is drawn from its own generator, so the same seed gives the same names,
dates and figures whatever the database. The committee name (and the district taken from it) and
the username prefix only label the rows.

The dates follow the source document's campaign: 2010-06-01 to 2012-09-30. Statuses are as of the
end of the campaign; pledges are signed in July–September 2010; pledge items fall due before the
campaign ends, so the ones still open are overdue.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from activities.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    Measure,
    Meeting,
    ResearchTopic,
)
from honors.models import Honor, Level
from mechanisms.models import Category, FeaturedWork, Mechanism
from members.models import (
    Branch,
    BranchPost,
    BranchRating,
    Campaign,
    Carrier,
    Committee,
    LeadingGroupRole,
    Membership,
    PartyGroup,
    PartyGroupMembership,
    Person,
    PoliticalStatus,
    RoleAssignment,
    StatusStage,
)
from pledges.models import FIVE_GOODS, FIVE_LEADS, Pledge, PledgeItem, PledgePoint

User = get_user_model()

D = datetime.date
CAMPAIGN_START = D(2010, 6, 1)
CAMPAIGN_END = D(2012, 9, 30)
HORIZON = CAMPAIGN_END  # statuses, memberships and ratings are drawn up to this day
SIGNING = (D(2010, 7, 1), D(2010, 9, 30))  # 2010年7月至9月中旬: the pledges are signed
PREDECESSOR_UNTIL = D(2010, 8, 31)  # where a branch changed secretary during the campaign

DEFAULT_COMMITTEE = "合成区教育党工委"
DEFAULT_PASSWORD = "district-demo-2026"
MIN_PEOPLE = 8
CHUNK = 10  # branches built in memory before they are written
BATCH = 2000  # rows per INSERT on PostgreSQL (SQLite's limit on variables is applied by Django)
ACCOUNT_ROLES = (
    RoleAssignment.Role.SECRETARY,
    RoleAssignment.Role.STAFF,
    RoleAssignment.Role.MEMBER,
)

CARRIERS = [
    ("公开承诺", "树立党员形象"),
    ("增效减负", "提升教学质量"),
    ("健康促进", "关爱学生成长"),
    ("队伍建设", "促进教师发展"),
    ("文明创建", "促进和谐校园"),
    ("志愿服务", "进社区展形象"),
]
VOLUNTEER = "志愿服务"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严戴莫孔汤"
)
GIVEN_FEMALE = "芳娜秀英敏静丽艳娟霞燕玲桂兰萍红琴雪梅莉婷慧珍洁琳颖倩瑾怡卫淑佳晓雯"
GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊峰建国文武志耀忠"
GIVEN_ANY = "云春海晨嘉欣一思宁安子佳玉诗文雅"

PLACES = [
    "田林",
    "漕河泾",
    "康健",
    "长桥",
    "华泾",
    "龙华",
    "枫林",
    "斜土",
    "天平",
    "徐家汇",
    "虹梅",
    "凌云",
    "梅陇",
    "南洋",
    "位育",
    "向阳",
    "紫阳",
    "汇师",
    "东安",
    "逸夫",
    "光启",
    "西南",
    "建襄",
    "日晖",
    "零陵",
    "求知",
    "园南",
    "爱菊",
    "钦州",
    "樱花",
    "高安",
    "宛平",
    "永嘉",
    "康宁",
    "宜山",
    "龙川",
    "华山",
    "乐山",
    "航华",
    "田东",
]
SCHOOL_KINDS = [
    ("第一中学", "secondary"),
    ("第二中学", "secondary"),
    ("第三中学", "secondary"),
    ("中学", "secondary"),
    ("初级中学", "secondary"),
    ("实验中学", "secondary"),
    ("小学", "primary"),
    ("第一小学", "primary"),
    ("第二小学", "primary"),
    ("实验小学", "primary"),
    ("幼儿园", "kindergarten"),
    ("职业学校", "vocational"),
]
GRADE_GROUPS = {
    "secondary": [
        "预备年级组",
        "初一年级组",
        "初二年级组",
        "初三年级组",
        "高一年级组",
        "高二年级组",
    ],
    "primary": ["一年级组", "二年级组", "三年级组", "四年级组", "五年级组", "行政组"],
    "kindergarten": ["小班组", "中班组", "大班组", "托班组", "保育组", "行政组"],
    "vocational": ["一年级组", "二年级组", "三年级组", "实训中心", "行政组", "后勤组"],
}
SUBJECTS = [
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "政治",
    "音乐",
    "美术",
    "体育",
    "信息技术",
    "心理",
]
LEADER_POSTS = ["副校长", "教导主任", "德育主任", "总务主任", "工会主席"]
OTHER_POSTS = ["办公室主任", "团委书记", "校医", "会计", "图书管理员", "实验员"]
PLACES_IN_SCHOOL = ["学校礼堂", "多功能厅", "会议室", "党员活动室", "操场", "图书馆", "阶梯教室"]
PLACES_OUTSIDE = ["社区活动中心", "居委会", "轨道交通南站", "敬老院", "区青少年活动中心"]

ACTIVITY_TITLES = {
    "公开承诺": [
        "党员公开承诺公示",
        "承诺践诺交流会",
        "党员承诺事项中期检查",
        "党员示范岗挂牌",
        "师德承诺书签署",
        "承诺兑现情况评议",
    ],
    "增效减负": [
        "骨干教师示范课",
        "青年教师展示课",
        "推门听课",
        "作业设计专题研讨",
        "有效教学案例交流",
        "教研组集体备课",
        "轻负担高质量教学研讨",
    ],
    "健康促进": [
        "学生体质健康测试",
        "眼保健操专项检查",
        "阳光体育大课间",
        "心理健康讲座",
        "近视防控家长会",
        "校园运动会",
    ],
    "队伍建设": [
        "师德校本培训",
        "党员教师带教结对",
        "教师三年发展规划交流",
        "优秀共产党员·师德标兵事迹报告",
        "青年教师读书沙龙",
        "校本研修活动",
    ],
    "文明创建": [
        "文明组室评比",
        "组室卫生检查",
        "温馨教室建设展示",
        "节假日家访慰问",
        "廉洁文化进校园",
        "廉洁从教书画作品展",
    ],
    "志愿服务": [
        "文明交通执勤",
        "社区暑期辅导",
        "迎世博志愿者顶岗",
        "敬老院慰问服务",
        "社区共建结对活动",
        "爱心义卖",
    ],
    None: ["学校开放日", "家长学校讲座", "主题党日"],
}
MEASURES = {
    "公开承诺": ["科学设置承诺内容", "多种形式公开承诺", "定期检查承诺兑现", "年终评议践诺情况"],
    "增效减负": ["落实教学常规要求", "加强推门听课", "开展作业专项研究", "建立骨干教师示范课制度"],
    "健康促进": [
        "严格执行三课两操两活动",
        "开展体质健康监测",
        "落实眼保健操检查",
        "改善学生营养午餐",
        "建立心理辅导室",
    ],
    "队伍建设": ["制定师德考核细则", "实施青年教师带教", "推进校本培训", "指导教师制定发展规划"],
    "文明创建": ["开展文明组室创建", "推进温馨教室建设", "组织节假日慰问", "开展廉洁文化活动"],
    "志愿服务": ["组建党员志愿者队伍", "与周边居委结对共建", "选派暑期社区辅导员"],
}
MEETING_TOPICS = {
    Meeting.Kind.COMMITTEE: [
        "研究创先争优工作推进",
        "讨论发展对象",
        "研究党员承诺审核",
        "部署月度工作",
    ],
    Meeting.Kind.GENERAL: ["创先争优动员大会", "学习上级会议精神", "党员承诺交流", "年度工作总结"],
    Meeting.Kind.GROUP: ["学习讨论科学发展观", "交流承诺践诺情况", "学习优秀党员事迹"],
    Meeting.Kind.LECTURE: ["党的基本知识", "党员先进性教育", "廉洁从教专题党课", "党史学习"],
    Meeting.Kind.LIFE: ["专题组织生活会", "民主评议党员"],
    Meeting.Kind.CENTRAL_STUDY: ["中心组专题学习", "学习教育规划纲要", "学习廉政准则"],
    Meeting.Kind.STAFF: ["全体教职工大会", "学期工作布置", "师德建设动员"],
}
PLEDGE_POINTS = {
    "study": ["认真学习政治理论和业务知识，每学期读一本教育专著。", "坚持学习，不断提高专业水平。"],
    "excel": ["立足岗位，争创一流教学业绩。", "努力提高课堂效率，争当教学能手。"],
    "serve": ["关爱每一位学生，耐心服务家长和群众。", "积极参加志愿服务，服务社区。"],
    "law": ["严格遵守教师职业道德规范，廉洁从教。", "遵纪守法，不从事有偿家教。"],
    "uphold": ["敢于抵制不良风气，弘扬正气。", "团结同事，维护和谐校园。"],
    "leadership": ["加强班子建设，坚持民主集中制。"],
    "team": ["加强党员教育管理，发挥先锋模范作用。"],
    "mechanism": ["健全长效机制，推进制度建设。"],
    "results": ["推进增效减负，提升教育教学质量。"],
    "reputation": ["倾听群众意见，办人民满意的学校。"],
}
PLEDGE_ITEMS = [
    ("开设一节区级公开课", "完成公开课并形成教学反思"),
    ("带教一名青年教师", "青年教师通过校级展示课"),
    ("参加志愿服务不少于20小时", "累计服务时长达到20小时"),
    ("完成一项校级课题研究", "形成结题报告"),
    ("撰写一篇教学论文", "在区级以上刊物发表或获奖"),
    ("所带班级学生体质健康合格率达95%", "年度测试达标"),
    ("坚持每周家访或电话沟通", "覆盖全班学生家庭"),
    ("参加师德校本培训", "全勤并完成心得"),
]
BRANCH_ITEMS = [
    ("完善党员承诺公示制度", "在学校网站和电子屏公示"),
    ("建立党员示范岗", "每个年级组至少一个示范岗"),
    ("开展健康促进工程", "五项举措全部完成"),
    ("健全长效机制", "各类制度修订完善"),
    ("创建文明单位", "通过区级文明单位复评"),
]
PERSON_HONORS = [
    ("优秀共产党员", True),
    ("创先争优先进个人", True),
    ("师德标兵", True),
    ("园丁奖", False),
    ("优秀班主任", False),
    ("教学能手", False),
    ("优秀女教工", False),
    ("魅力教师", False),
]
ORG_HONORS = [
    ("先进基层党组织", Honor.Recipient.BRANCH),
    ("创先争优先进党支部", Honor.Recipient.BRANCH),
    ("文明单位", Honor.Recipient.SCHOOL),
    ("先进职工之家", Honor.Recipient.SCHOOL),
    ("廉洁教育进课堂先进学校", Honor.Recipient.SCHOOL),
    ("体育工作先进集体", Honor.Recipient.SCHOOL),
    ("健康促进学校", Honor.Recipient.SCHOOL),
]
MECHANISMS = {
    Category.IDEOLOGY: [
        "中心组学习制度",
        "全面提高党员素质的教育机制",
        "党员学习考勤制度",
        "形势政策教育制度",
        "师德师风学习制度",
    ],
    Category.ORGANISATION: [
        "三会一课制度",
        "党员发展工作制度",
        "党小组活动制度",
        "党员承诺践诺制度",
        "党员示范岗制度",
        "流动党员管理制度",
    ],
    Category.DEMOCRACY: [
        "党务公开相关制度",
        "教代会制度",
        "校务公开制度",
        "民主评议党员制度",
        "民主生活会制度",
    ],
    Category.CONDUCT: [
        "领导干部联系群众制度",
        "推门听课制度",
        "永葆党员政治本色监督机制",
        "干部值周制度",
    ],
    Category.INTEGRITY: [
        "一岗双责制度",
        "廉洁自律制度",
        "三重一大决策制度",
        "财务审批制度",
        "廉政风险防控制度",
    ],
}
FEATURED_WORKS = [
    "党小组建在年级组，发挥党员在年级管理中的骨干作用",
    "开展“优秀共产党员·师德标兵”评选，弘扬优秀师德师风",
    "党员志愿者进社区，展示党员教师良好形象",
    "党员骨干教师示范课，引领青年教师成长",
    "健康促进工程，关爱学生身心成长",
    "廉洁文化进校园，营造清风正气",
    "党员承诺公示上墙，接受群众监督",
]
TOPIC_THEMES = ["作业", "课堂教学", "德育", "心理健康", "信息技术", "课程建设"]
TOPIC_TITLES = ["{}有效性研究", "{}的实践与探索", "基于学情的{}设计研究", "{}校本化实施研究"]


@dataclass
class DistrictResult:
    committee: Committee
    counts: Counter
    seconds: float
    password: str
    usernames: list[str] = field(default_factory=list)

    @property
    def committee_username(self) -> str:
        return self.usernames[0]


class DistrictExists(Exception):
    """The committee, a branch name or an account the run would make is already there."""


def refresh_planner_statistics() -> None:
    """``ANALYZE`` after a bulk load: a freshly generated district is otherwise planned with the
    empty tables' statistics until autovacuum gets to it (on PostgreSQL the dashboard spent 99 of
    its 167 ms in the database, a member's overdue items scanning every item: 35 ms instead of
    under 1), so a benchmark run right after ``generate_data`` measured the planner, not the
    portal. Both PostgreSQL and SQLite take the same statement, also inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def account_username(prefix: str, branch_number: int, role: str) -> str:
    return f"{prefix}b{branch_number:04d}-{role}"


def committee_username(prefix: str) -> str:
    return f"{prefix}committee"


def district_of(committee_name: str) -> str:
    return committee_name.removesuffix("教育党工委").removesuffix("党工委") or committee_name


def school_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (school name, kind) pairs, shuffled."""
    pairs = [(place + kind, sort) for place in PLACES for kind, sort in SCHOOL_KINDS]
    rng.shuffle(pairs)
    extra = 0
    while len(pairs) < count:
        extra += 1
        pairs += [(f"{place}第{extra + 3}中学", "secondary") for place in PLACES]
    return pairs[:count]


def generate_district(
    *,
    branches: int,
    people_per_branch: int,
    seed: int,
    committee_name: str = DEFAULT_COMMITTEE,
    username_prefix: str = "",
    password: str = DEFAULT_PASSWORD,
    progress=None,
) -> DistrictResult:
    """Build the district; raise ``DistrictExists`` before writing if it would collide."""
    if branches < 1:
        raise ValueError("至少生成 1 个党支部。")
    if people_per_branch < MIN_PEOPLE:
        raise ValueError(f"每个党支部至少 {MIN_PEOPLE} 名教职工。")
    began = time.perf_counter()
    master = random.Random(seed)
    schools = school_names(master, branches)
    branch_seeds = [master.getrandbits(64) for _ in range(branches)]
    district = district_of(committee_name)
    usernames = [committee_username(username_prefix)] + [
        account_username(username_prefix, number, role)
        for number in range(1, branches + 1)
        for role in ACCOUNT_ROLES
    ]
    branch_names = [f"中共{district}{school}支部委员会" for school, _ in schools]
    _refuse_collisions(committee_name, branch_names, usernames)

    writer = _Writer(password_hash=make_password(password))
    with transaction.atomic():
        committee = Committee.objects.create(name=committee_name, short_name=committee_name[:50])
        writer.counts["members.Committee"] += 1
        committee_user = writer.user(committee_username(username_prefix), "")
        writer.add(User, [committee_user])
        writer.flush_users()
        writer.role(committee_user, RoleAssignment.Role.COMMITTEE, committee=committee)
        for first in range(0, branches, CHUNK):
            numbers = range(first + 1, min(first + CHUNK, branches) + 1)
            for number in numbers:
                school, kind = schools[number - 1]
                _BranchBuilder(
                    writer,
                    rng=random.Random(branch_seeds[number - 1]),
                    committee=committee,
                    number=number,
                    school=school,
                    kind=kind,
                    district=district,
                    people=people_per_branch,
                    username_prefix=username_prefix,
                ).build()
            writer.flush()
            if progress:
                progress(numbers[-1], branches)
        writer.flush()
    return DistrictResult(
        committee=committee,
        counts=writer.counts,
        seconds=time.perf_counter() - began,
        password=password,
        usernames=usernames,
    )


def _refuse_collisions(committee_name: str, branch_names: list[str], usernames: list[str]) -> None:
    if Committee.objects.filter(name=committee_name).exists():
        raise DistrictExists(
            f"上级党委“{committee_name}”已存在：generate_data 不向已有的上级党委追加数据。"
            "请用 --committee 换一个名称（并用 --username-prefix 区分账号），或使用一个新的数据库。"
        )
    taken = list(Branch.objects.filter(name__in=branch_names).values_list("name", flat=True)[:3])
    if taken:
        raise DistrictExists(f"党支部名称已存在：{'、'.join(taken)}。请用 --committee 换一个名称。")
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True)[:3])
    if taken:
        raise DistrictExists(
            f"账号已存在：{', '.join(taken)}。请用 --username-prefix 为这次生成的账号加前缀。"
        )


# The order rows are written in: every model after the ones it points to.
WRITE_ORDER = [
    User,
    Branch,
    Person,
    StatusStage,
    Membership,
    PartyGroup,
    PartyGroupMembership,
    BranchPost,
    BranchRating,
    Campaign,
    Carrier,
    LeadingGroupRole,
    "successors",  # leading-group roles that replace one written just before
    Measure,
    Activity,
    ActivityParticipant,
    Meeting,
    Attendance,
    Pledge,
    PledgePoint,
    PledgeItem,
    Honor,
    Mechanism,
    FeaturedWork,
    ResearchTopic,
    RoleAssignment,
    "user_groups",
]


class _Writer:
    """Collects unsaved rows per model and writes them with ``bulk_create`` in ``WRITE_ORDER``."""

    def __init__(self, password_hash: str):
        self.password_hash = password_hash
        self.pending: dict = {key: [] for key in WRITE_ORDER}
        self.counts: Counter = Counter()
        self.pledge_parts: dict[int, tuple[list, list]] = {}
        self._groups: dict[str, int] = {}

    def add(self, key, rows) -> None:
        self.pending[key].extend(rows)

    def user(self, username: str, name: str):
        return User(username=username, password=self.password_hash, last_name=name)

    def role(self, user, role: str, *, branch=None, committee=None) -> None:
        self.add(
            RoleAssignment,
            [RoleAssignment(user=user, role=role, branch=branch, committee=committee)],
        )
        self.add("user_groups", [(user, role)])

    def flush_users(self) -> None:
        self._write(User)

    def flush(self) -> None:
        for key in WRITE_ORDER:
            self._write(key)

    def _write(self, key) -> None:
        rows = self.pending[key]
        if not rows:
            return
        self.pending[key] = []
        if key == "successors":
            key = LeadingGroupRole
        if key == "user_groups":
            self._write_user_groups(rows)
            return
        if key is Pledge:
            self._sign(rows)
        key.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[key._meta.label] += len(rows)
        if key is Pledge:
            self.pledge_parts.clear()

    def _write_user_groups(self, pairs) -> None:
        """The role groups that ``RoleAssignment``'s post_save signal would have filled."""
        from members.roles import role_group

        through = User.groups.through
        links = []
        for user, role in pairs:
            if role not in self._groups:
                self._groups[role] = role_group(role).pk
            links.append(through(user_id=user.pk, group_id=self._groups[role]))
        through.objects.bulk_create(links, batch_size=BATCH)
        self.counts["auth.User_groups"] += len(links)

    def _sign(self, pledges) -> None:
        """Give every signed pledge the model's own hash of its text, before the row is written."""
        for pledge in pledges:
            if pledge.status != Pledge.Status.SIGNED:
                continue
            if pledge.person is not None:
                pledge.person = pledge.person  # now saved: sets person_id, keeps the cached row
            points, items = self.pledge_parts[id(pledge)]
            pledge._prefetched_objects_cache = {"points": points, "items": items}
            pledge.pk = 0  # related managers refuse an instance without a primary key
            try:
                pledge.signed_hash = pledge.text_hash()
            finally:
                pledge.pk = None
                del pledge._prefetched_objects_cache


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _months(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    months = []
    day = first.replace(day=1)
    while day <= last:
        following = (day + datetime.timedelta(days=32)).replace(day=1)
        months.append((max(day, first), min(following - datetime.timedelta(days=1), last)))
        day = following
    return months


CAMPAIGN_MONTHS = _months(CAMPAIGN_START, CAMPAIGN_END)
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class _Someone:
    """One person while the branch is drawn: the row plus the facts needed to draw the rest."""

    row: Person
    memberships: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    group: int | None = None
    group_start: datetime.date | None = None

    def on_staff(self, first: datetime.date, last: datetime.date | None = None) -> bool:
        last = last or first
        since, until = self.row.staff_since, self.row.staff_until
        return since <= first and (until is None or until >= last)

    def member_on(self, day: datetime.date) -> bool:
        return any(start <= day and (end is None or end >= day) for start, end in self.memberships)

    @property
    def current_member(self) -> bool:
        return bool(self.memberships) and self.memberships[-1][1] is None


class _BranchBuilder:
    def __init__(
        self, writer, *, rng, committee, number, school, kind, district, people, username_prefix
    ):
        self.w = writer
        self.rng = rng
        self.committee = committee
        self.number = number
        self.school = school
        self.kind = kind
        self.district = district
        self.people_count = people
        self.prefix = username_prefix
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def build(self) -> None:
        rng = self.rng
        self.branch = Branch(
            committee=self.committee,
            name=f"中共{self.district}{self.school}支部委员会",
            short_name=f"{self.school}党支部",
            unit_name=f"{self.district}{self.school}",
            contact_phone=f"6{rng.randint(1000000, 9999999)}",
        )
        self.w.add(Branch, [self.branch])
        self.people = self._people()
        self.secretaries = self._posts()
        self._accounts()
        self.groups = self._party_groups()
        self._ratings()
        self.campaign, self.carriers = self._campaign()
        self._leading_group()
        self._measures()
        self._activities()
        self._meetings()
        self._pledges()
        self._honors()
        self._mechanisms()
        self._featured_works()
        self._research_topics()

    # --- people -----------------------------------------------------------------------------

    def _name(self, gender: str, taken: set[str]) -> str:
        rng = self.rng
        pool = GIVEN_FEMALE if gender == Person.Gender.FEMALE else GIVEN_MALE
        while True:
            given = rng.choice(pool)
            if rng.random() < 0.6:
                given += rng.choice(pool + GIVEN_ANY)
            name = rng.choice(SURNAMES) + given
            if name not in taken:
                taken.add(name)
                return name

    def _post(self, index: int) -> tuple[str, bool]:
        """(post, is a 两长以上 cadre) for the index-th person of the branch."""
        rng = self.rng
        if index == 0:
            return "校长", True
        if index == 1:
            return "党支部书记、副校长", True
        if index < 2 + len(LEADER_POSTS) and index < self.people_count // 6 + 2:
            return LEADER_POSTS[index - 2], True
        roll = rng.random()
        if roll < 0.18:
            return rng.choice(["年级组长", f"{rng.choice(SUBJECTS)}教研组长"]), True
        if roll < 0.26:
            return rng.choice(OTHER_POSTS), False
        return f"{rng.choice(SUBJECTS)}教师", False

    def _people(self) -> list[_Someone]:
        rng = self.rng
        taken: set[str] = set()
        people = []
        for index in range(self.people_count):
            gender = Person.Gender.FEMALE if rng.random() < 0.68 else Person.Gender.MALE
            post, cadre = self._post(index)
            leading = index < 2
            birth = (
                _day(rng, D(1958, 1, 1), D(1970, 12, 31))
                if leading
                else _day(rng, D(1955, 1, 1), D(1988, 12, 31))
            )
            early = leading or rng.random() < 0.88
            arrived_from = max(D(1980, 9, 1), _add_years(birth, 22))
            arrived_by = D(2005, 8, 31) if leading else D(2010, 5, 31) if early else D(2012, 3, 1)
            if arrived_by < arrived_from:
                arrived_by = D(2012, 3, 1)
            staff_since = _day(rng, arrived_from, arrived_by)
            staff_until = None
            if not leading and index >= 6 and rng.random() < 0.08:
                leave_from = max(_add_years(staff_since, 1), D(2010, 7, 1))
                if leave_from < D(2012, 8, 31):
                    staff_until = _day(rng, leave_from, D(2012, 8, 31))
            teacher = "教师" in post or "组长" in post
            key_teacher = rng.random() < (0.5 if cadre else 0.3 if teacher else 0.0)
            row = Person(
                branch=self.branch,
                name=self._name(gender, taken),
                gender=gender,
                birth_date=birth,
                phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
                post=post,
                is_key_teacher=key_teacher,
                is_senior_cadre=cadre,
                staff_since=staff_since,
                staff_until=staff_until,
            )
            someone = _Someone(row)
            chance = 1.0 if leading else 0.7 if cadre else 0.6 if key_teacher else 0.42
            if rng.random() < chance:
                self._member_history(someone, leading)
            elif rng.random() < 0.15:
                self._pipeline_history(someone)
            people.append(someone)
        self.w.add(Person, [p.row for p in people])
        return people

    def _stages(self, someone: _Someone, stages: list[tuple[str, datetime.date]]) -> None:
        rows = []
        for (status, start), following in zip(stages, stages[1:] + [None], strict=True):
            end = following[1] - ONE_DAY if following else None
            rows.append(StatusStage(person=someone.row, status=status, start=start, end=end))
        self.w.add(StatusStage, rows)
        someone.row.political_status = stages[-1][0]

    def _member_history(self, someone: _Someone, leading: bool) -> None:
        rng = self.rng
        row = someone.row
        joined_from = _add_years(row.birth_date, 20)
        joined_by = D(2004, 12, 31) if leading else HORIZON - datetime.timedelta(days=30)
        if row.staff_until:
            joined_by = min(joined_by, row.staff_until)
        if joined_by <= joined_from:
            return
        probationary = _day(rng, joined_from, joined_by)
        activist = probationary - datetime.timedelta(days=rng.randint(400, 650))
        candidate = probationary - datetime.timedelta(days=rng.randint(60, 300))
        applicant = activist - datetime.timedelta(days=rng.randint(180, 700))
        stages = [
            (PoliticalStatus.APPLICANT, applicant),
            (PoliticalStatus.ACTIVIST, activist),
            (PoliticalStatus.CANDIDATE, candidate),
            (PoliticalStatus.PROBATIONARY, probationary),
        ]
        full = _add_years(probationary, 1)
        if full <= HORIZON:
            stages.append((PoliticalStatus.FULL, full))
        self._stages(someone, stages)
        if probationary < row.staff_since:
            start, how = row.staff_since, Membership.Joined.TRANSFERRED_IN
        else:
            start, how = probationary, Membership.Joined.ADMITTED
        end, left = None, ""
        if row.staff_until:
            end = row.staff_until
            age = (end - row.birth_date).days // 365
            left = Membership.Left.RETIRED if age >= 55 else Membership.Left.TRANSFERRED_OUT
        note = "" if not left else "组织关系转出"
        self.w.add(
            Membership,
            [
                Membership(
                    person=row, start=start, end=end, joined_how=how, left_how=left, note=note
                )
            ],
        )
        someone.memberships.append((start, end))

    def _pipeline_history(self, someone: _Someone) -> None:
        rng = self.rng
        reached = rng.choice(
            [PoliticalStatus.APPLICANT, PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE]
        )
        order = [PoliticalStatus.APPLICANT, PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE]
        steps = order[: order.index(reached) + 1]
        last = _day(
            rng, max(someone.row.staff_since, D(2009, 1, 1)), HORIZON - datetime.timedelta(days=30)
        )
        starts = [last]
        for _ in steps[1:]:
            starts.insert(0, starts[0] - datetime.timedelta(days=rng.randint(200, 500)))
        self._stages(someone, list(zip(steps, starts, strict=True)))

    def _members_on(self, day: datetime.date, among=None) -> list[_Someone]:
        return [p for p in (among or self.people) if p.member_on(day)]

    # --- branch committee, accounts, groups, ratings --------------------------------------------

    def _posts(self) -> list[_Someone]:
        """Secretaries in order (a predecessor first in about a third of the branches)."""
        rng = self.rng
        principal, secretary = self.people[0], self.people[1]
        posts = []
        secretaries = [secretary]
        if rng.random() < 0.3:
            posts.append(
                BranchPost(
                    person=principal.row,
                    role=BranchPost.Role.SECRETARY,
                    start=D(2006, 9, 1),
                    end=PREDECESSOR_UNTIL,
                )
            )
            posts.append(
                BranchPost(
                    person=secretary.row,
                    role=BranchPost.Role.SECRETARY,
                    start=PREDECESSOR_UNTIL + ONE_DAY,
                )
            )
            secretaries.insert(0, principal)
        else:
            posts.append(
                BranchPost(
                    person=secretary.row, role=BranchPost.Role.SECRETARY, start=D(2008, 9, 1)
                )
            )
        others = [p for p in self.people[2:] if p.current_member]
        roles = [
            BranchPost.Role.ORGANISATION,
            BranchPost.Role.PUBLICITY,
            BranchPost.Role.DISCIPLINE,
        ]
        for person, role in zip(rng.sample(others, min(len(others), 3)), roles, strict=False):
            start = max(D(2008, 9, 1), person.memberships[-1][0])
            posts.append(BranchPost(person=person.row, role=role, start=start))
        self.w.add(BranchPost, posts)
        self.committee_people = [
            p for p in self.people if any(post.person is p.row for post in posts)
        ]
        self.posts = posts
        return secretaries

    def _accounts(self) -> None:
        current = self.secretaries[-1]
        pledgers = [p for p in self.people[2:] if p.current_member and p.member_on(SIGNING[0])] or [
            p for p in self.people if p.current_member and p is not current
        ]
        member = self.rng.choice(pledgers)
        self.secretary_user = None
        for role, person in (("secretary", current), ("staff", None), ("member", member)):
            name = person.row.name if person else ""
            user = self.w.user(account_username(self.prefix, self.number, role), name)
            self.w.add(User, [user])
            if person:
                person.row.user = user
            self.w.role(user, role, branch=self.branch)
            if role == "secretary":
                self.secretary_user = user
            if role == "member":
                self.member_user = user

    def _party_groups(self) -> list[PartyGroup]:
        rng = self.rng
        count = max(2, min(6, round(self.people_count / 15)))
        bases = GRADE_GROUPS[self.kind][:count]
        groups = [
            PartyGroup(branch=self.branch, name=f"第{'一二三四五六'[i]}党小组", based_on=base)
            for i, base in enumerate(bases)
        ]
        rows = []
        members = [p for p in self.people if p.memberships]
        rng.shuffle(members)
        for i, person in enumerate(members):
            start, end = person.memberships[-1]
            person.group = i % len(groups)
            person.group_start = start
            rows.append(
                PartyGroupMembership(
                    group=groups[person.group], person=person.row, start=start, end=end
                )
            )
            if groups[person.group].leader is None and end is None:
                groups[person.group].leader = person.row
        self.w.add(PartyGroup, groups)
        self.w.add(PartyGroupMembership, rows)
        return groups

    def _ratings(self) -> None:
        rng = self.rng
        ratings = BranchRating.Rating
        rows = [
            BranchRating(
                branch=self.branch,
                rated_on=D(year, 4, rng.randint(10, 25)),
                rating=rng.choices(
                    [ratings.GOOD, ratings.FAIRLY_GOOD, ratings.AVERAGE, ratings.POOR],
                    weights=[30, 45, 20, 5],
                )[0],
                rated_by=self.committee.name,
                occasion="教育系统基层党组织分类定级工作",
            )
            for year in (2010, 2011, 2012)
        ]
        self.w.add(BranchRating, rows)

    # --- the campaign -----------------------------------------------------------------------

    def _campaign(self) -> tuple[Campaign, list[Carrier]]:
        campaign = Campaign(
            branch=self.branch,
            name="创先争优活动",
            theme="促和谐，加强党的组织建设；讲党性，突出党员队伍建设；树先锋，强化师德师风建设",
            goals="推动科学发展，促进社会和谐，服务人民群众，加强基层组织",
            plan=f"{self.school}党支部创先争优活动实施方案：以六大行动为载体，分三个阶段推进。",
            start=CAMPAIGN_START,
            end=CAMPAIGN_END,
        )
        carriers = [
            Carrier(
                campaign=campaign,
                order=order,
                name=name,
                aim=aim,
                narrative=f"支部以“{name}”为载体，{aim}，组织党员和教职工开展了系列活动。",
            )
            for order, (name, aim) in enumerate(CARRIERS, start=1)
        ]
        self.w.add(Campaign, [campaign])
        self.w.add(Carrier, carriers)
        return campaign, carriers

    def _leading_group(self) -> None:
        rng = self.rng
        roles = []
        successors = []
        role = LeadingGroupRole.Role
        if len(self.secretaries) == 2:
            old, new = self.secretaries
            first = LeadingGroupRole(
                campaign=self.campaign,
                person=old.row,
                role=role.LEADER,
                order=1,
                start=CAMPAIGN_START,
                end=PREDECESSOR_UNTIL,
            )
            roles.append(first)
            successors.append(
                LeadingGroupRole(
                    campaign=self.campaign,
                    person=new.row,
                    role=role.LEADER,
                    order=1,
                    start=PREDECESSOR_UNTIL + ONE_DAY,
                    predecessor=first,
                )
            )
            deputy = self.people[2] if self.people[2].member_on(CAMPAIGN_START) else None
        else:
            roles.append(
                LeadingGroupRole(
                    campaign=self.campaign,
                    person=self.secretaries[0].row,
                    role=role.LEADER,
                    order=1,
                    start=CAMPAIGN_START,
                )
            )
            deputy = self.people[0]
        taken = {p.row.name for p in self.secretaries}
        if deputy is not None:
            roles.append(
                LeadingGroupRole(
                    campaign=self.campaign,
                    person=deputy.row,
                    role=role.DEPUTY,
                    order=2,
                    start=CAMPAIGN_START,
                )
            )
            taken.add(deputy.row.name)
        candidates = [p for p in self._members_on(CAMPAIGN_START) if p.row.name not in taken]
        chosen = rng.sample(candidates, min(len(candidates), 4))
        spare = [p for p in candidates if p not in chosen and p.current_member]
        for order, person in enumerate(chosen, start=3):
            until = person.memberships[-1][1]
            if until is None or until >= CAMPAIGN_END:
                roles.append(
                    LeadingGroupRole(
                        campaign=self.campaign,
                        person=person.row,
                        role=role.MEMBER,
                        order=order,
                        start=CAMPAIGN_START,
                    )
                )
                continue
            # 郭玮 replaced by 赵淑贤 after the transfer: the role ends, a successor takes it on.
            ended = LeadingGroupRole(
                campaign=self.campaign,
                person=person.row,
                role=role.MEMBER,
                order=order,
                start=CAMPAIGN_START,
                end=until,
            )
            roles.append(ended)
            if spare:
                successor = spare.pop(rng.randrange(len(spare)))
                successors.append(
                    LeadingGroupRole(
                        campaign=self.campaign,
                        person=successor.row,
                        role=role.MEMBER,
                        order=order,
                        start=until + ONE_DAY,
                        predecessor=ended,
                    )
                )
        self.w.add(LeadingGroupRole, roles)
        self.w.add("successors", successors)

    def _measures(self) -> None:
        rng = self.rng
        rows = []
        for carrier in self.carriers:
            for order, title in enumerate(MEASURES[carrier.name], start=1):
                if carrier.name == "健康促进" or rng.random() < 0.7:
                    status = Measure.Status.DONE
                else:
                    status = rng.choice([Measure.Status.IN_PROGRESS, Measure.Status.PLANNED])
                done = status == Measure.Status.DONE
                rows.append(
                    Measure(
                        carrier=carrier,
                        order=order,
                        title=title,
                        status=status,
                        completed_on=_day(rng, D(2010, 9, 1), CAMPAIGN_END) if done else None,
                        long_term=done and rng.random() < 0.5,
                    )
                )
        self.w.add(Measure, rows)

    def _activities(self) -> None:
        """About 500 activities per branch at 60 people (the count scales with the people)."""
        rng = self.rng
        count = round(self.people_count * 500 / 60)
        on_staff = [
            [p for p in self.people if p.on_staff(first, last)] for first, last in CAMPAIGN_MONTHS
        ]
        carriers = self.carriers + [None]
        weights = [16, 20, 14, 18, 14, 16, 2]
        activities, participants = [], []
        for _ in range(count):
            carrier = rng.choices(carriers, weights=weights)[0]
            month = rng.randrange(len(CAMPAIGN_MONTHS))
            first, last = CAMPAIGN_MONTHS[month]
            start = _day(rng, first, last)
            end = start + datetime.timedelta(days=rng.randint(1, 3)) if rng.random() < 0.1 else None
            eligible = on_staff[month]
            name = carrier.name if carrier else None
            volunteer = name == VOLUNTEER
            organiser = rng.choice(eligible)
            title = rng.choice(ACTIVITY_TITLES[name])
            place = rng.choice(PLACES_OUTSIDE if volunteer else PLACES_IN_SCHOOL)
            activity = Activity(
                branch=self.branch,
                carrier=carrier,
                title=f"{title}（{start.year}年{start.month}月）",
                start_date=start,
                end_date=end,
                place=place,
                organiser=organiser.row,
                description=f"{organiser.row.name}组织开展{title}，在{place}进行。",
                outcome="参与人员反响良好，达到预期效果。" if rng.random() < 0.5 else "",
            )
            activities.append(activity)
            for person in rng.sample(eligible, min(len(eligible), rng.randint(3, 8))):
                hours = (
                    Decimal(rng.choice(["1.0", "1.5", "2.0", "2.5", "3.0", "4.0"]))
                    if volunteer
                    else None
                )
                participants.append(
                    ActivityParticipant(
                        activity=activity,
                        person=person.row,
                        hours=hours,
                        role="组织者" if person is organiser else "",
                    )
                )
        self.w.add(Activity, activities)
        self.w.add(ActivityParticipant, participants)

    def _meetings(self) -> None:
        rng = self.rng
        kind = Meeting.Kind
        meetings, attendances = [], []
        plan = [
            (kind.COMMITTEE, 1),
            (kind.GENERAL, 3),
            (kind.LECTURE, 4),
            (kind.CENTRAL_STUDY, 2),
            (kind.STAFF, 6),
            (kind.LIFE, 12),
        ]
        for meeting_kind, every in plan:
            for first, last in CAMPAIGN_MONTHS[::every]:
                meetings.append((meeting_kind, _day(rng, first, last), None))
        for index, group in enumerate(self.groups):
            for first, last in CAMPAIGN_MONTHS[index % 2 :: 2]:
                meetings.append((kind.GROUP, _day(rng, first, last), (index, group)))
        for meeting_kind, day, group in meetings:
            meeting = Meeting(
                branch=self.branch,
                kind=meeting_kind,
                held_on=day,
                topic=rng.choice(MEETING_TOPICS[meeting_kind]),
                place=rng.choice(PLACES_IN_SCHOOL),
                party_group=group[1] if group else None,
                minutes="会议按议程进行，与会人员进行了认真讨论。",
            )
            if meeting_kind == kind.COMMITTEE:
                expected = [p for p in self.committee_people if p.member_on(day)]
            elif meeting_kind == kind.GROUP:
                expected = [p for p in self.people if p.group == group[0] and p.member_on(day)]
            elif meeting_kind == kind.CENTRAL_STUDY:
                expected = [p for p in self.people if p.row.is_senior_cadre and p.on_staff(day)]
            elif meeting_kind == kind.STAFF:
                expected = [p for p in self.people if p.on_staff(day)]
            else:
                expected = self._members_on(day)
            statuses = rng.choices(
                [Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT],
                weights=[88, 9, 3],
                k=len(expected),
            )
            attendances += [
                Attendance(
                    meeting=meeting,
                    person=p.row,
                    status=status,
                    note="病假" if status == Attendance.Status.EXCUSED else "",
                )
                for p, status in zip(expected, statuses, strict=True)
            ]
            self.w.add(Meeting, [meeting])
        self.w.add(Attendance, attendances)

    # --- pledges ------------------------------------------------------------------------------

    def _pledges(self) -> None:
        rng = self.rng
        status = Pledge.Status
        signers = self._members_on(SIGNING[0])
        for person in [None, *signers]:
            if person is None:
                drawn = status.SIGNED
            else:
                drawn = rng.choices(
                    [status.SIGNED, status.APPROVED, status.SUBMITTED, status.DRAFT],
                    weights=[92, 3, 3, 2],
                )[0]
            pledge = Pledge(
                campaign=self.campaign,
                person=person.row if person else None,
                status=drawn,
                summary="立足岗位，争当优秀共产党员。" if person else "争创先进基层党组织。",
            )
            if drawn != status.DRAFT:
                pledge.submitted_at = self._moment(_day(rng, D(2010, 6, 20), D(2010, 7, 10)))
            if drawn in (status.APPROVED, status.SIGNED):
                pledge.reviewed_at = pledge.submitted_at + datetime.timedelta(
                    days=rng.randint(1, 5)
                )
                pledge.reviewed_by = self.secretary_user
            if drawn == status.SIGNED:
                pledge.signed_at = self._moment(_day(rng, *SIGNING))
                signer = person or self.secretaries[-1]
                pledge.signature_name = signer.row.name
                pledge.signed_by = signer.row.user
            standard = FIVE_LEADS if person else FIVE_GOODS
            points = [
                PledgePoint(pledge=pledge, point=code, text=rng.choice(PLEDGE_POINTS[code]))
                for code, _ in standard
            ]
            items = self._items(pledge, person)
            self.w.add(Pledge, [pledge])
            self.w.add(PledgePoint, points)
            self.w.add(PledgeItem, items)
            self.w.pledge_parts[id(pledge)] = (points, items)

    def _items(self, pledge: Pledge, person: _Someone | None) -> list[PledgeItem]:
        rng = self.rng
        fulfilment = PledgeItem.Fulfilment
        chosen = BRANCH_ITEMS if person is None else rng.sample(PLEDGE_ITEMS, rng.randint(2, 4))
        items = []
        for order, (title, target) in enumerate(chosen, start=1):
            deadline = _day(rng, D(2010, 12, 31), D(2012, 8, 31))
            item = PledgeItem(
                pledge=pledge, order=order, title=title, target=target, deadline=deadline
            )
            if pledge.status == Pledge.Status.SIGNED and rng.random() < 0.75:
                item.done_on = min(
                    deadline + datetime.timedelta(days=rng.randint(-120, 20)), HORIZON
                )
                item.done_on = max(item.done_on, D(2010, 10, 1))
                item.progress = "已按计划完成。"
                if rng.random() < 0.6:
                    item.fulfilment = rng.choices(
                        [fulfilment.FULFILLED, fulfilment.PARTLY], weights=[85, 15]
                    )[0]
            elif pledge.status == Pledge.Status.SIGNED:
                item.progress = "正在推进。"
                if rng.random() < 0.3:
                    item.fulfilment = fulfilment.UNFULFILLED
            if item.fulfilment != fulfilment.UNRATED:
                item.rated_at = self._moment(min(max(deadline, item.done_on or deadline), HORIZON))
                item.rated_by = self.secretary_user
                item.rating_comment = "经支部评议。"
            items.append(item)
        return items

    def _moment(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime(
            day.year,
            day.month,
            day.day,
            self.rng.randint(8, 17),
            self.rng.choice([0, 15, 30, 45]),
            tzinfo=self.tz,
        )

    # --- honors, mechanisms, featured works, research topics -----------------------------------

    def _honors(self) -> None:
        rng = self.rng
        honors = []
        school_body = self.school
        bodies = {
            Level.SCHOOL: school_body,
            Level.DISTRICT: self.committee.name,
            Level.CITY: "上海市教育委员会",
            Level.NATIONAL: "教育部",
        }
        during = self._members_on(D(2011, 6, 1))
        # 先进典型 of the campaign: several school-level, one or two district, sometimes city.
        typical = [Level.SCHOOL] * rng.randint(3, 7) + [Level.DISTRICT] * rng.randint(1, 2)
        if rng.random() < 0.35:
            typical.append(Level.CITY)
        for level in typical:
            if not during:
                break
            title = rng.choice([t for t, is_typical in PERSON_HONORS if is_typical])
            honors.append(
                Honor(
                    branch=self.branch,
                    recipient=Honor.Recipient.PERSON,
                    person=rng.choice(during).row,
                    title=title,
                    level=level,
                    awarded_by=bodies[level],
                    awarded_on=_day(rng, D(2010, 12, 1), D(2012, 7, 1)),
                    is_typical=True,
                    note="创先争优活动先进典型",
                )
            )
        for _ in range(rng.randint(3, 8)):
            person = rng.choice(self.people)
            level = rng.choices([Level.SCHOOL, Level.DISTRICT, Level.CITY], weights=[60, 32, 8])[0]
            first = max(person.row.staff_since, D(2007, 1, 1))
            last = min(person.row.staff_until or HORIZON, HORIZON)
            honors.append(
                Honor(
                    branch=self.branch,
                    recipient=Honor.Recipient.PERSON,
                    person=person.row,
                    title=rng.choice([t for t, is_typical in PERSON_HONORS if not is_typical]),
                    level=level,
                    awarded_by=bodies[level],
                    awarded_on=_day(rng, first, last),
                )
            )
        for title, recipient in rng.sample(ORG_HONORS, rng.randint(2, 4)):
            level = rng.choices([Level.DISTRICT, Level.CITY, Level.NATIONAL], weights=[70, 26, 4])[
                0
            ]
            honors.append(
                Honor(
                    branch=self.branch,
                    recipient=recipient,
                    title=title,
                    level=level,
                    awarded_by=bodies[level],
                    awarded_on=_day(rng, D(2008, 1, 1), HORIZON),
                )
            )
        self.w.add(Honor, honors)

    def _mechanisms(self) -> None:
        rng = self.rng
        rows = []
        for category, names in MECHANISMS.items():
            for name in rng.sample(names, rng.randint(2, min(5, len(names)))):
                established = _day(rng, D(2004, 1, 1), D(2012, 6, 30))
                new = established >= CAMPAIGN_START and rng.random() < 0.8
                rows.append(
                    Mechanism(
                        branch=self.branch,
                        name=name,
                        category=category,
                        established_on=established,
                        revised_on=_day(rng, established, HORIZON) if rng.random() < 0.3 else None,
                        campaign=self.campaign if established >= CAMPAIGN_START else None,
                        is_new=new,
                        summary=f"{name}的主要内容和执行要求。",
                    )
                )
        self.w.add(Mechanism, rows)

    def _featured_works(self) -> None:
        rng = self.rng
        texts = rng.sample(FEATURED_WORKS, 3)
        rows = [
            FeaturedWork(
                branch=self.branch, order=order, text=text, carrier=rng.choice(self.carriers)
            )
            for order, text in enumerate(texts, start=1)
        ]
        self.w.add(FeaturedWork, rows)

    def _research_topics(self) -> None:
        rng = self.rng
        by_name = {c.name: c for c in self.carriers}
        rows = []
        teachers = [
            p for p in self.people if "教师" in p.row.post or "组长" in p.row.post
        ] or self.people
        for _ in range(rng.randint(4, 12)):
            theme = rng.choice(TOPIC_THEMES)
            carrier = by_name["增效减负"] if theme in ("作业", "课堂教学") else by_name["队伍建设"]
            rows.append(
                ResearchTopic(
                    branch=self.branch,
                    carrier=carrier,
                    title=rng.choice(TOPIC_TITLES).format(theme),
                    level=rng.choices(
                        [
                            ResearchTopic.Level.SCHOOL,
                            ResearchTopic.Level.DISTRICT,
                            ResearchTopic.Level.CITY,
                        ],
                        weights=[75, 20, 5],
                    )[0],
                    declared_year=rng.choice([2010, 2011, 2012]),
                    theme=theme,
                    leader=rng.choice(teachers).row,
                )
            )
        self.w.add(ResearchTopic, rows)


# --- the current year's 组织生活 (bench/obligations.py) ----------------------------------------

SYNTHETIC_KINDS = [  # (kind, months with a meeting, chance it was held)
    (Meeting.Kind.COMMITTEE, range(1, 13), 0.9),
    (Meeting.Kind.THEME_DAY, range(1, 13), 0.85),
    (Meeting.Kind.GENERAL, (3, 6, 9, 12), 0.9),
    (Meeting.Kind.LECTURE, (6,), 0.8),
    (Meeting.Kind.TALK, (4,), 0.8),
    (Meeting.Kind.LIFE, (12,), 0.9),
    (Meeting.Kind.EVALUATION, (12,), 0.9),
]


def synthetic_year(committee, *, year: int, today: datetime.date, seed: int = 1) -> int:
    """Meetings of ``year`` for every branch of a generated district (``generate_data``): each
    rule's meeting held with a fixed chance (some branches slip), planned after ``today``; the
    党小组 meet monthly likewise. Bulk-written; returns how many (``generate_meetings``)."""
    rng = random.Random(seed)
    branches = list(committee.branches.order_by("pk"))
    groups = {}
    for group in PartyGroup.objects.filter(branch__in=branches).order_by("pk"):
        groups.setdefault(group.branch_id, []).append(group)
    rows = []
    for branch in branches:
        slack = rng.uniform(0.7, 1.1)  # some branches slip more than others
        plan_rows = [(kind, months, chance, None) for kind, months, chance in SYNTHETIC_KINDS]
        plan_rows += [
            (Meeting.Kind.GROUP, range(1, 13), 0.85, g) for g in groups.get(branch.pk, [])
        ]
        for kind, months, chance, group in plan_rows:
            for month in months:
                day = datetime.date(year, month, rng.randint(1, 28))
                if day <= today and rng.random() > chance * slack:
                    continue  # missed
                rows.append(
                    Meeting(
                        branch=branch,
                        kind=kind,
                        party_group=group,
                        held_on=day,
                        planned_on=day,
                        status=Meeting.Status.HELD if day <= today else Meeting.Status.PLANNED,
                        topic=f"{month}月{Meeting.Kind(kind).label}",
                    )
                )
    Meeting.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
