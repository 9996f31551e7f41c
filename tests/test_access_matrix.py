"""Who gets what: every named URL of the project, GET by every persona, against its rule.

The URLs are read from the URLconf (``get_resolver()``, walked recursively; the admin is left
out). A URL with no entry in ``URLS`` below, or whose view has no ``role_required(...)`` /
``public`` mark from ``members.access``, fails ``test_every_url_has_an_entry_and_every_view_a_mark``
with its name — so a new view without a rule fails the suite.

HOW TO ADD A URL
----------------
Add one line to ``URLS``, keyed by the URL's full name (``"app:url-name"``). The value is
- ``None`` for a URL without arguments, or
- a function of the shared world ``w`` returning the kwargs to reverse it, e.g.
  ``"activities:activity-detail": lambda w: {"pk": w.activity.pk}``, or
- a ``Rule(kwargs, ok=..., expect={...})`` when the defaults below do not fit:
  ``ok`` is the status for personas the view lets in (405 for a POST-only view, 302 for a view
  that redirects), ``expect`` overrides the status for single personas
  (``expect={"member": 403}``).

The world (``build_world``) holds one of each object, all in the personas' ``branch``; objects a
member owns (their person record, their pledge …) are the member's own. Need another object? Add
it to ``build_world``.

The expected status is derived from the view's mark:
- ``public``: 200 for everyone;
- ``role_required(*roles)``: anonymous → 302 to the login page; a persona holding none of
  ``roles`` → 403; a persona holding one → ``ok`` (200) — except the other branch's secretary
  (``outsider``) on a URL with kwargs, whose object is not theirs: 403.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from PIL import Image

from members.access import COMMITTEE, MEMBER, SECRETARY, STAFF
from obligations.models import CalendarFeed
from obligations.models import Rule as ObligationRule
from tests.factories import (
    ActivityFactory,
    ActivityParticipantFactory,
    AttendanceFactory,
    BranchPostFactory,
    CampaignFactory,
    CarrierFactory,
    HonorFactory,
    LeadingGroupRoleFactory,
    MeasureFactory,
    MechanismFactory,
    MeetingFactory,
    MemberFactory,
    PartyGroupFactory,
    PartyGroupMembershipFactory,
    PersonFactory,
    PledgeFactory,
    PledgeItemFactory,
    PledgeItemPhotoFactory,
    PledgeObjectionFactory,
)


@dataclass
class Rule:
    kwargs: Callable[[SimpleNamespace], dict] | None = None
    ok: int = 200
    expect: dict[str, int] = field(default_factory=dict)


URLS: dict[str, None | Callable | Rule] = {
    # project
    # home sends those who read a branch to their dashboard
    "home": Rule(expect={"outsider": 302, "staff": 302, "secretary": 302, "committee": 302}),
    "login": None,
    "logout": Rule(ok=405),  # log out is POST only
    "password_change": None,
    "password_change_done": None,
    # members
    "members:person-list": None,
    "members:person-export": None,
    "members:person-create": None,
    "members:person-detail": lambda w: {"pk": w.member_person.pk},  # the member's own record
    "members:person-update": lambda w: {"pk": w.person.pk},
    # the year in review: the member's own, or any of the branch's for its secretary
    "members:person-year-review": lambda w: {"pk": w.member_person.pk},
    "members:year-review-docx": lambda w: {"pk": w.member_person.pk},
    "members:person-status": lambda w: {"pk": w.person.pk},
    "members:person-transfer-out": lambda w: {"pk": w.person.pk},
    "members:person-transfer-in": lambda w: {"pk": w.non_member.pk},
    "members:branch-post-create": lambda w: {"pk": w.person.pk},
    "members:branch-post-end": lambda w: {"pk": w.branch_post.pk},
    "members:roster-import": None,
    "members:roster-template": None,
    "members:roster-import-preview": Rule(ok=302),  # nothing uploaded yet: back to the upload
    "members:roster-import-confirm": Rule(ok=405),  # POST only
    "members:roster-import-cancel": Rule(ok=405),  # POST only
    "members:party-group-list": None,
    "members:party-group-create": None,
    "members:party-group-detail": lambda w: {"pk": w.party_group.pk},
    "members:party-group-update": lambda w: {"pk": w.party_group.pk},
    "members:party-group-join": lambda w: {"pk": w.party_group.pk},
    "members:party-group-membership-end": lambda w: {"pk": w.group_place.pk},
    "members:leading-role-list": None,
    "members:leading-role-create": None,
    "members:leading-role-update": lambda w: {"pk": w.leading_role.pk},
    "members:leading-role-replace": lambda w: {"pk": w.leading_role.pk},
    "members:campaign-list": None,
    "members:campaign-create": None,
    "members:campaign-detail": lambda w: {"pk": w.campaign.pk},
    "members:campaign-update": lambda w: {"pk": w.campaign.pk},
    "members:campaign-close": lambda w: {"pk": w.campaign.pk},
    "members:campaign-reopen": Rule(lambda w: {"pk": w.campaign.pk}, ok=405),  # POST only
    "members:carrier-create": lambda w: {"pk": w.campaign.pk},
    "members:carrier-update": lambda w: {"pk": w.carrier.pk},
    "members:carrier-delete": lambda w: {"pk": w.carrier.pk},
    "members:rating-list": None,
    "members:rating-create": None,
    "members:rating-update": lambda w: {"pk": w.rating.pk},
    # honors
    "honors:honor-list": None,
    "honors:honor-create": None,
    "honors:honor-detail": lambda w: {"pk": w.honor.pk},
    "honors:honor-update": lambda w: {"pk": w.honor.pk},
    "honors:honor-delete": lambda w: {"pk": w.honor.pk},
    "honors:honor-certificate": lambda w: {"pk": w.honor.pk},
    # mechanisms
    "mechanisms:mechanism-list": None,
    "mechanisms:mechanism-create": None,
    "mechanisms:mechanism-detail": lambda w: {"pk": w.mechanism.pk},
    "mechanisms:mechanism-update": lambda w: {"pk": w.mechanism.pk},
    "mechanisms:mechanism-delete": lambda w: {"pk": w.mechanism.pk},
    "mechanisms:mechanism-document": lambda w: {"pk": w.mechanism.pk},
    "mechanisms:featured-work-list": None,
    "mechanisms:featured-work-create": None,
    "mechanisms:featured-work-update": lambda w: {"pk": w.featured_work.pk},
    "mechanisms:featured-work-delete": lambda w: {"pk": w.featured_work.pk},
    "mechanisms:mechanism-document-version": lambda w: {
        "pk": w.mechanism.pk,
        "history_id": w.mechanism.history.first().history_id,
    },
    # activities
    "activities:dashboard": None,
    "activities:activity-list": None,
    "activities:activity-export": None,
    "activities:activity-create": None,
    "activities:activity-detail": lambda w: {"pk": w.activity.pk},
    "activities:activity-edit": lambda w: {"pk": w.activity.pk},
    "activities:activity-delete": lambda w: {"pk": w.activity.pk},
    "activities:photo-delete": lambda w: {"pk": w.photo.pk},
    "activities:photo-file": lambda w: {"pk": w.photo.pk, "kind": "image"},
    "activities:measure-list": None,
    "activities:measure-create": None,
    "activities:measure-edit": lambda w: {"pk": w.measure.pk},
    "activities:meeting-list": None,
    "activities:meeting-create": None,
    "activities:attendance-report": None,
    "activities:meeting-detail": lambda w: {"pk": w.meeting.pk},
    "activities:meeting-edit": lambda w: {"pk": w.meeting.pk},
    "activities:meeting-delete": lambda w: {"pk": w.meeting.pk},
    "activities:meeting-attendance": lambda w: {"pk": w.meeting.pk},
    "activities:meeting-talks": lambda w: {"pk": w.meeting.pk},
    # obligations: the calendar for branch readers, the heat map for 上级党委, a person's own
    # meetings (staff and committee accounts of the personas have no person record: 403)
    "obligations:calendar": None,
    "obligations:my-meetings": Rule(expect={"staff": 403, "committee": 403}),
    "obligations:heatmap": None,
    "obligations:heatmap-export": None,
    "obligations:rule-list": None,
    "obligations:rule-create": None,
    "obligations:rule-edit": lambda w: {"pk": w.rule.pk},
    "obligations:branch-feed-renew": Rule(ok=405),  # POST only
    "obligations:person-feed-renew": Rule(ok=405),  # POST only
    "obligations:feed": lambda w: {"token": w.feed.token},  # public: the token is the key
    "obligations:digest-settings": None,
    # reports: the index sends a user with one branch straight to it
    "reports:report-index": Rule(
        expect={"outsider": 302, "staff": 302, "secretary": 302, "committee": 302}
    ),
    "reports:report-branch": lambda w: {"branch_pk": w.branch.pk},
    "reports:report-preview": lambda w: {"branch_pk": w.branch.pk, "kind": "summary"},
    "reports:report-download": lambda w: {"branch_pk": w.branch.pk, "kind": "table", "fmt": "xlsx"},
    "reports:report-bundle": lambda w: {"branch_pk": w.branch.pk},
    "reports:report-options": lambda w: {"branch_pk": w.branch.pk, "kind": "summary"},
    "reports:narrative-list": lambda w: {"branch_pk": w.branch.pk, "campaign_pk": w.campaign.pk},
    "reports:narrative-edit": lambda w: {
        "branch_pk": w.branch.pk,
        "campaign_pk": w.campaign.pk,
        "section": "opening",
    },
    "reports:narrative-carrier-edit": lambda w: {
        "branch_pk": w.branch.pk,
        "campaign_pk": w.campaign.pk,
        "carrier_pk": w.carrier.pk,
    },
    "reports:narrative-preview": Rule(
        lambda w: {"branch_pk": w.branch.pk, "campaign_pk": w.campaign.pk}, ok=405
    ),  # POST only
    # evaluation: w.evaluation_round is open; the member and the secretary are evaluated in it.
    # Their own ballot and self-assessment: evaluated members only (not staff or committee).
    "evaluation:round-list": None,
    "evaluation:round-create": None,
    "evaluation:mine": None,
    "evaluation:distribution": None,
    "evaluation:round-detail": lambda w: {"pk": w.evaluation_round.pk},
    "evaluation:round-update": lambda w: {"pk": w.evaluation_round.pk},
    # POST only: a GET is refused before the round is looked up, for the outsider too
    "evaluation:round-close": Rule(
        lambda w: {"pk": w.evaluation_round.pk}, ok=405, expect={"outsider": 405}
    ),
    # grades are given once the voting is closed: an open round sends the secretary back to it
    "evaluation:round-decide": Rule(lambda w: {"pk": w.evaluation_round.pk}, ok=302),
    "evaluation:round-export": lambda w: {"pk": w.evaluation_round.pk, "fmt": "xlsx"},
    "evaluation:self-assessment": lambda w: {"pk": w.evaluation_round.pk},
    "evaluation:ballot": lambda w: {"pk": w.evaluation_round.pk},
    # committees: the table of every branch of the committee and its workbook (上级党委 only)
    "committees:branch-overview": None,
    "committees:branch-overview-export": None,
    # recruitment: w.development is an 入党积极分子's record; approvals are the 上级党委's
    "recruitment:pipeline": None,
    "recruitment:start": None,
    "recruitment:dossier": lambda w: {"pk": w.development.pk},
    "recruitment:dossier-export": lambda w: {"pk": w.development.pk},
    "recruitment:step": lambda w: {"pk": w.development.pk, "step": "review"},
    "recruitment:approvals": None,
    "recruitment:approve": lambda w: {"pk": w.development.pk},
    "recruitment:waive": lambda w: {"pk": w.development.pk},
    "recruitment:rules": None,
    "recruitment:rule-override": None,
    # dues: amounts are the member's own and their secretary's; staff and committee see totals
    "dues:mine": None,  # every signed-in role: their own dues (or a note that they have none)
    "dues:person-dues": lambda w: {"pk": w.member_person.pk},  # the member's own
    "dues:payment-create": lambda w: {"pk": w.member_person.pk},
    "dues:base-create": lambda w: {"pk": w.member_person.pk},
    "dues:payment-reverse": lambda w: {"pk": w.dues_payment.pk},
    "dues:ledger": None,
    "dues:ledger-export": None,
    "dues:record-month": None,
    "dues:arrears": None,
    "dues:base-list": None,
    "dues:base-year": None,
    "dues:base-import": None,
    "dues:base-template": None,
    "dues:summary": None,
    "dues:committee": None,
    # pledges: w.pledge is the member's draft. Only its member writes, signs and reports on it
    # (the secretary too gets 403); a draft cannot be reviewed, signed, revised, tracked or
    # rated yet, so those pages send the user back to it (302).
    "pledges:my-pledges": None,
    "pledges:pledge-list": None,
    "pledges:pledge-create": Rule(
        lambda w: {"campaign_pk": w.campaign.pk}, expect={"member": 302}
    ),  # the member already has a pledge in this campaign: to it
    "pledges:branch-pledge-create": lambda w: {"campaign_pk": w.campaign.pk},
    "pledges:publication-edit": lambda w: {"campaign_pk": w.campaign.pk},
    "pledges:pledge-detail": lambda w: {"pk": w.pledge.pk},
    "pledges:pledge-edit": Rule(lambda w: {"pk": w.pledge.pk}, expect={"secretary": 403}),
    "pledges:pledge-submit": Rule(
        lambda w: {"pk": w.pledge.pk}, ok=405, expect={"secretary": 403}
    ),  # POST only
    # the committee reviews and rates only 支委' pledges (w.pledge is a plain member's): 403
    "pledges:pledge-review": Rule(lambda w: {"pk": w.pledge.pk}, ok=302, expect={"committee": 403}),
    "pledges:pledge-sign": Rule(lambda w: {"pk": w.pledge.pk}, ok=302, expect={"secretary": 403}),
    "pledges:pledge-revise": Rule(lambda w: {"pk": w.pledge.pk}, ok=302, expect={"secretary": 403}),
    "pledges:pledge-history": lambda w: {"pk": w.pledge.pk},
    "pledges:item-progress": Rule(
        lambda w: {"pk": w.pledge_item.pk}, ok=302, expect={"secretary": 403}
    ),
    "pledges:photo-file": lambda w: {"pk": w.pledge_photo.pk, "kind": "image"},
    "pledges:item-rate": Rule(
        lambda w: {"pk": w.pledge_item.pk}, ok=302, expect={"committee": 403}
    ),
    "pledges:objection-list": None,
    "pledges:objection-handle": Rule(lambda w: {"pk": w.objection.pk}, ok=405),  # POST only
    "pledges:public-index": lambda w: {"branch_pk": w.branch.pk},
    "pledges:public-page": lambda w: {"branch_pk": w.branch.pk, "campaign_pk": w.campaign.pk},
    "pledges:public-objection": Rule(
        lambda w: {"branch_pk": w.branch.pk, "campaign_pk": w.campaign.pk}, ok=405
    ),  # POST only
    "pledges:public-screen": lambda w: {"branch_pk": w.branch.pk, "campaign_pk": w.campaign.pk},
    "pledges:public-data": lambda w: {"branch_pk": w.branch.pk, "campaign_pk": w.campaign.pk},
}

PERSONAS = ("anonymous", "member", "outsider", "staff", "secretary", "committee")
PERSONA_ROLES = {
    "anonymous": set(),
    "member": {MEMBER},
    "outsider": {SECRETARY},
    "staff": {STAFF},
    "secretary": {SECRETARY},
    "committee": {COMMITTEE},
}


def named_urls() -> dict[str, Callable]:
    """Every named URL of the project (full name → view), the admin left out."""
    found: dict[str, Callable] = {}

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = pattern.namespace
                walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}" if namespace and inner else inner or namespace,
                )
            elif pattern.name:
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = (
                    pattern.callback
                )

    walk(get_resolver().url_patterns, "")
    return found


def is_marked(view) -> bool:
    return getattr(view, "access_public", False) or hasattr(view, "access_roles")


def expected_status(view, rule: Rule, persona: str, scoped: bool) -> int:
    if persona in rule.expect:
        return rule.expect[persona]
    if getattr(view, "access_public", False):
        return rule.ok
    if persona == "anonymous":
        return 302
    if not PERSONA_ROLES[persona] & set(view.access_roles):
        return 403
    if persona == "outsider" and scoped:
        return 403
    return rule.ok


def as_rule(entry) -> Rule:
    if isinstance(entry, Rule):
        return entry
    return Rule(kwargs=entry)


def _png(name="certificate.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def build_world(branch, member) -> SimpleNamespace:
    """One of each object, in ``branch``; the member's own things are the member's."""
    w = SimpleNamespace(branch=branch)
    w.member_person = member.person
    w.person = MemberFactory(branch=branch, name="党员丙")
    w.non_member = PersonFactory(branch=branch, name="群众甲")
    w.party_group = PartyGroupFactory(branch=branch)
    w.group_place = PartyGroupMembershipFactory(group=w.party_group, person=w.person)
    w.branch_post = BranchPostFactory(person=w.person)
    w.campaign = CampaignFactory(branch=branch)
    w.leading_role = LeadingGroupRoleFactory(campaign=w.campaign, person=w.person)
    w.carrier = CarrierFactory(campaign=w.campaign)
    w.activity = ActivityFactory(carrier=w.carrier, branch=branch)
    ActivityParticipantFactory(activity=w.activity, person=w.member_person)
    from activities.models import ActivityPhoto

    w.photo = ActivityPhoto.objects.create(activity=w.activity, image=_png("photo.png"))
    w.measure = MeasureFactory(carrier=w.carrier)
    w.meeting = MeetingFactory(branch=branch)
    AttendanceFactory(meeting=w.meeting, person=w.member_person)
    w.pledge = PledgeFactory(campaign=w.campaign, person=w.member_person)
    w.pledge_item = PledgeItemFactory(pledge=w.pledge)
    w.pledge_photo = PledgeItemPhotoFactory(update__item=w.pledge_item)
    w.objection = PledgeObjectionFactory(campaign=w.campaign, pledge=w.pledge)
    w.honor = HonorFactory(branch=branch, certificate=_png())
    w.mechanism = MechanismFactory(
        branch=branch,
        document=SimpleUploadedFile(
            "rule.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        ),
    )
    from tests.recruitment_data import activist

    w.development = activist(branch)
    from mechanisms.models import FeaturedWork
    from members.models import BranchRating

    w.rating = BranchRating.objects.create(branch=branch, rated_on=w.campaign.start, rating="good")
    w.featured_work = FeaturedWork.objects.create(branch=branch, order=1, text="党小组建在年级组")
    w.day = datetime.date(2011, 3, 1)
    from django.utils import timezone

    from evaluation.services import round_open

    today = timezone.localdate()
    w.evaluation_round = round_open(
        branch=branch,
        year=today.year,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )
    from decimal import Decimal

    from dues.models import Category
    from dues.services import BaseEntry, base_year_set, payment_record

    today = timezone.localdate().replace(day=1)
    base_year_set(
        branch=branch,
        year=today.year,
        entries=[
            BaseEntry(person=w.member_person, category=Category.SALARIED, income=Decimal("4000"))
        ],
    )
    w.dues_payment = payment_record(
        person=w.member_person,
        months=[today],
        amount=Decimal("40.00"),
        paid_on=today,
        way="cash",
    )
    w.rule = ObligationRule.objects.create(
        committee=branch.committee,
        kind="lecture",
        scope="branch",
        frequency="year",
        count=2,
        valid_from=datetime.date(2026, 1, 1),
        source="区规定",
    )
    w.feed = CalendarFeed.objects.create(branch=branch)
    return w


@pytest.fixture
def personas(member, outsider, staff_user, secretary, committee_user):
    return {
        "anonymous": None,
        "member": member,
        "outsider": outsider,
        "staff": staff_user,
        "secretary": secretary,
        "committee": committee_user,
    }


def test_every_url_has_an_entry_and_every_view_a_mark():
    urls = named_urls()
    without_entry = sorted(set(urls) - set(URLS))
    without_mark = sorted(name for name, view in urls.items() if not is_marked(view))
    stale = sorted(set(URLS) - set(urls))
    assert not without_entry, f"URL(s) without an entry in URLS of {__name__}: {without_entry}"
    assert not without_mark, f"view(s) without role_required(...) or public: {without_mark}"
    assert not stale, f"entries in URLS for URL(s) that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_each_persona_gets_the_expected_status(name, branch, personas):
    urls = named_urls()
    if name not in urls:
        pytest.fail(f"{name} is in URLS but not in the URLconf")
    view, rule = urls[name], as_rule(URLS[name])
    world = build_world(branch, personas["member"])
    kwargs = rule.kwargs(world) if rule.kwargs else {}
    url = reverse(name, kwargs=kwargs)

    wrong = []
    for persona in PERSONAS:
        client = Client()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        response = client.get(url)
        want = expected_status(view, rule, persona, scoped=bool(kwargs))
        if response.status_code != want:
            wrong.append(f"{persona}: got {response.status_code}, expected {want}")
        elif want == 302 and persona == "anonymous" and not getattr(view, "access_public", False):
            login = reverse("login")
            if not response["Location"].startswith(login):
                wrong.append(f"anonymous: redirected to {response['Location']}, not {login}")
    assert not wrong, f"GET {url} ({name}):\n" + "\n".join(wrong)
