"""The Django admin of every model of the portal's apps.

The tests walk ``admin.site._registry``, so a model registered later is covered without editing
them; it only needs a factory in ``tests/factories.py`` and a line in ``FACTORIES`` below.
"""

import datetime
import types
from collections import Counter

import factory
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalChanges

from activities.models import (
    Activity,
    ActivityParticipant,
    ActivityPhoto,
    Attendance,
    Measure,
    Meeting,
    ResearchTopic,
    TalkPair,
)
from dues.models import DuesBase, DuesRule, MonthlyDue, Payment, PaymentMonth, Rate
from honors.models import Honor
from mechanisms.models import FeaturedWork, Mechanism
from members.models import (
    Attempt,
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
    RoleAssignment,
    StatusStage,
)
from obligations.models import CalendarFeed, DigestPreference, DigestSent
from obligations.models import Rule as ObligationRule
from pledges.models import (
    Pledge,
    PledgeItem,
    PledgeItemPhoto,
    PledgeItemUpdate,
    PledgeObjection,
    PledgePoint,
    PledgePublication,
)
from reports.models import NarrativeText, ReportOptions
from tests import factories as f

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "members",
    "activities",
    "pledges",
    "honors",
    "mechanisms",
    "dues",
    "obligations",
    "reports",
}

# One factory per model. Where a model has several, the one whose rows fill every column the
# changelist shows (a row with an empty foreign key cannot reveal a missing select_related).
FACTORIES = {
    Attempt: f.AttemptFactory,
    get_user_model(): f.UserFactory,
    Committee: f.CommitteeFactory,
    Branch: f.BranchFactory,
    Person: f.PersonFactory,
    StatusStage: f.StatusStageFactory,
    Membership: f.MembershipFactory,
    PartyGroup: f.PartyGroupFactory,
    PartyGroupMembership: f.PartyGroupMembershipFactory,
    BranchPost: f.BranchPostFactory,
    BranchRating: f.BranchRatingFactory,
    RoleAssignment: f.RoleAssignmentFactory,
    Campaign: f.CampaignFactory,
    LeadingGroupRole: f.LeadingGroupRoleFactory,
    Carrier: f.CarrierFactory,
    Activity: f.ActivityFactory,
    ActivityParticipant: f.ActivityParticipantFactory,
    ActivityPhoto: f.ActivityPhotoFactory,
    Measure: f.MeasureFactory,
    Meeting: f.MeetingFactory,
    Attendance: f.AttendanceFactory,
    TalkPair: f.TalkPairFactory,
    ObligationRule: f.ObligationRuleFactory,
    CalendarFeed: f.CalendarFeedFactory,
    DigestPreference: f.DigestPreferenceFactory,
    DigestSent: f.DigestSentFactory,
    ResearchTopic: f.ResearchTopicFactory,
    Pledge: f.SignedPledgeFactory,
    PledgePoint: f.PledgePointFactory,
    PledgeItem: f.PledgeItemFactory,
    PledgeItemUpdate: f.PledgeItemUpdateFactory,
    PledgeItemPhoto: f.PledgeItemPhotoFactory,
    PledgePublication: f.PledgePublicationFactory,
    PledgeObjection: f.PledgeObjectionFactory,
    Honor: f.TypicalHonorFactory,
    Mechanism: f.MechanismFactory,
    FeaturedWork: f.FeaturedWorkFactory,
    NarrativeText: f.NarrativeTextFactory,
    Rate: f.RateFactory,
    DuesRule: f.DuesRuleFactory,
    DuesBase: f.DuesBaseFactory,
    MonthlyDue: f.MonthlyDueFactory,
    Payment: f.PaymentFactory,
    PaymentMonth: f.PaymentMonthFactory,
    ReportOptions: f.ReportOptionsFactory,
}


def chain(rows, field):
    """Point ``field`` of each row at the row before it (one-to-one links like predecessor)."""
    for before, after in zip(rows, rows[1:], strict=False):
        setattr(after, field, before)
        after.save(update_fields=[field])


# One-to-one links between rows of the same model, filled once the rows exist.
CHAINED = {LeadingGroupRole: "predecessor"}


def day_per_row():
    return factory.Sequence(lambda n: datetime.date(2000, 1, 1) + datetime.timedelta(days=n))


def shared_with(world, model) -> dict:
    """Factory arguments that hang the rows of ``model`` on the objects of ``world``.

    Sharing one branch, campaign … keeps data creation quick; filling the optional foreign keys
    that the changelist shows makes a missing ``list_select_related`` cost a query per row.
    """
    w = world
    known = {
        Committee: {},
        Branch: {"committee": w.committee},
        Person: {"branch": w.branch, "user": factory.SubFactory(f.UserFactory)},
        StatusStage: {"person__branch": w.branch},
        Membership: {"person__branch": w.branch},
        PartyGroup: {"branch": w.branch, "leader": w.person},
        PartyGroupMembership: {"group": w.group},
        BranchPost: {"person__branch": w.branch},
        BranchRating: {"branch": w.branch, "rated_on": day_per_row()},
        RoleAssignment: {"branch": w.branch},
        Campaign: {"branch": w.branch},
        LeadingGroupRole: {"campaign": w.campaign},
        Carrier: {"campaign": w.campaign},
        Activity: {"carrier": w.carrier, "organiser": w.person},
        ActivityParticipant: {"activity": w.activity},
        ActivityPhoto: {"activity": w.activity},
        Measure: {"carrier": w.carrier},
        Meeting: {"branch": w.branch, "party_group": w.group},
        Attendance: {"meeting": w.meeting},
        TalkPair: {"meeting": w.meeting},
        ObligationRule: {"committee": w.committee},
        CalendarFeed: {"person__branch": w.branch},
        ResearchTopic: {"branch": w.branch, "carrier": w.carrier, "leader": w.person},
        Pledge: {"campaign": w.campaign},
        PledgePoint: {"pledge__campaign": w.campaign},
        PledgeItem: {"pledge": w.pledge, "rated_by": w.user},
        PledgeItemUpdate: {"item": w.item, "created_by": w.user},
        PledgeItemPhoto: {"update__item": w.item},
        PledgePublication: {"campaign__branch": w.branch},
        PledgeObjection: {"campaign": w.campaign, "pledge": w.pledge, "handled_by": w.user},
        Honor: {"branch": w.branch, "person": w.person},
        Mechanism: {"branch": w.branch, "campaign": w.campaign},
        FeaturedWork: {"branch": w.branch, "carrier": w.carrier},
        NarrativeText: {"carrier__campaign": w.campaign},
        DuesBase: {"person__branch": w.branch},
        MonthlyDue: {"person__branch": w.branch},
        Payment: {"person__branch": w.branch},
        PaymentMonth: {"payment__person__branch": w.branch},
        ReportOptions: {"campaign": w.campaign},
    }
    return known.get(model, {})


def registered_models():
    models = [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS]
    return sorted(models, key=lambda m: m._meta.label)


def label(model):
    return model._meta.label


def factory_for(model):
    if model not in FACTORIES:
        pytest.fail(
            f"{label(model)} is registered in the admin but has no factory: append one to "
            f"tests/factories.py and map it in FACTORIES in tests/test_admin.py."
        )
    return FACTORIES[model]


def create_until(model, total, world):
    """Create rows of ``model`` (sharing ``world``) until there are ``total`` of them."""
    missing = total - model._default_manager.count()
    if missing > 0:
        rows = factory_for(model).create_batch(missing, **shared_with(world, model))
        if model in CHAINED:
            chain(rows, CHAINED[model])
    assert model._default_manager.count() == total


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser():
    return f.UserFactory(username="admin-test", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def world(superuser):
    """One branch with one of everything that rows of other models hang on."""
    branch = f.BranchFactory()
    campaign = f.CampaignFactory(branch=branch)
    carrier = f.CarrierFactory(campaign=campaign)
    pledge = f.PledgeFactory(campaign=campaign)
    return types.SimpleNamespace(
        user=superuser,
        committee=branch.committee,
        branch=branch,
        person=f.PersonFactory(branch=branch),
        group=f.PartyGroupFactory(branch=branch),
        campaign=campaign,
        carrier=carrier,
        activity=f.ActivityFactory(carrier=carrier),
        meeting=f.MeetingFactory(branch=branch),
        pledge=pledge,
        item=f.PledgeItemFactory(pledge=pledge),
    )


def test_every_model_of_the_portal_apps_is_registered_in_the_admin():
    unregistered = [
        label(model)
        for app_label in sorted(PROJECT_APPS)
        for model in apps.get_app_config(app_label).get_models()
        if not issubclass(model, HistoricalChanges) and model not in admin.site._registry
    ]
    assert not unregistered, f"models without an admin: {unregistered}"


def test_every_model_registered_in_the_admin_has_a_factory():
    missing = [label(m) for m in registered_models() if m not in FACTORIES]
    assert not missing, (
        f"registered in the admin without a factory in FACTORIES (tests/test_admin.py): {missing}"
    )


def test_admin_configuration_passes_the_system_checks():
    call_command("check", "--fail-level", "WARNING")


@pytest.mark.parametrize("model", registered_models(), ids=label)
def test_changelist_add_change_and_history_pages_render(admin_client, world, model):
    obj = factory_for(model)(**shared_with(world, model))

    changelist = admin_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert obj in changelist.context["cl"].result_list
    # records that the portal's services keep (payments, kept dues) cannot be added here
    can_add = admin.site._registry[model].has_add_permission(changelist.wsgi_request)
    assert admin_client.get(admin_url(model, "add")).status_code == (200 if can_add else 403)
    change = admin_client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert change.context["original"] == obj
    assert admin_client.get(admin_url(model, "history", obj.pk)).status_code == 200


def test_changelist_search_and_filters_answer(admin_client, world):
    """Every search box answers, every choice of our own filters and one of Django's."""
    for model in registered_models():
        factory_for(model)(**shared_with(world, model))
    failures = []
    for model in registered_models():
        url = admin_url(model, "changelist")
        response = admin_client.get(url, {"q": "1"})
        if response.status_code != 200:
            failures.append(f"{label(model)} search: {response.status_code}")
            continue
        for spec in response.context["cl"].filter_specs:
            choices = [c for c in spec.choices(response.context["cl"]) if not c["selected"]]
            if not isinstance(spec, admin.SimpleListFilter):
                choices = choices[:1]
            assert choices, f"{label(model)}: filter {spec.title} offers nothing to choose"
            for choice in choices:
                filtered = admin_client.get(url + choice["query_string"])
                if filtered.status_code != 200:
                    failures.append(f"{label(model)} {choice['query_string']}")
    assert not failures


def render_changelist(client, model):
    """Render the changelist with every row on one page; return (queries, rows shown)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"), {"all": ""})
    assert response.status_code == 200
    return queries, len(response.context["cl"].result_list)


@pytest.mark.parametrize("model", registered_models(), ids=label)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, world, model):
    create_until(model, 10, world)
    render_changelist(admin_client, model)  # warm the per-process caches
    small, shown = render_changelist(admin_client, model)
    assert shown == 10

    create_until(model, 200, world)
    large, shown = render_changelist(admin_client, model)
    assert shown == 200

    repeated = Counter(q["sql"] for q in large.captured_queries).most_common(1)[0]
    assert len(large) <= len(small) + 1, (
        f"{label(model)}: {len(small)} queries for 10 rows, {len(large)} for 200; "
        f"most repeated ({repeated[1]}×): {repeated[0]}"
    )


def autocomplete_sources():
    """One (model admin, field) per model that some autocomplete widget looks up."""
    sources = {}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for owner in [model_admin, *model_admin.inlines]:
            owner_model = owner.model
            for name in owner.autocomplete_fields:
                target = owner_model._meta.get_field(name).remote_field.model
                sources.setdefault(target, (owner_model, name))
    return sorted(
        ((target, *source) for target, source in sources.items()), key=lambda s: label(s[0])
    )


@pytest.mark.parametrize(
    ("target", "source", "field_name"),
    autocomplete_sources(),
    ids=[label(target) for target, *_ in autocomplete_sources()],
)
def test_autocomplete_answers_without_a_query_per_result(
    admin_client, world, target, source, field_name
):
    params = {
        "term": "",
        "app_label": source._meta.app_label,
        "model_name": source._meta.model_name,
        "field_name": field_name,
    }
    url = reverse("admin:autocomplete")
    counts = []
    for total in (5, 25):  # an autocomplete page holds 20 results
        create_until(target, total, world)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url, params)
        assert response.status_code == 200
        assert response.json()["results"]
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 1, f"{label(target)} autocomplete: {counts} queries"


def first_of(model):
    return model._default_manager.order_by("pk").first()


def test_every_changelist_and_a_change_form_render_on_the_demo_data(admin_client, superuser):
    call_command("load_demo", verbosity=0)
    # A model the demo leaves empty (activity photos: the document has none) gets one factory
    # row hung on the demo's own branch, campaign, activity …
    demo = types.SimpleNamespace(
        user=superuser,
        committee=first_of(Committee),
        branch=first_of(Branch),
        person=first_of(Person),
        group=first_of(PartyGroup),
        campaign=first_of(Campaign),
        carrier=first_of(Carrier),
        activity=first_of(Activity),
        meeting=first_of(Meeting),
        pledge=first_of(Pledge),
        item=first_of(PledgeItem),
    )
    failures = []
    for model in registered_models():
        obj = first_of(model) or factory_for(model)(**shared_with(demo, model))
        response = admin_client.get(admin_url(model, "changelist"))
        if response.status_code != 200 or not response.context["cl"].result_count:
            failures.append(f"{label(model)} changelist: {response.status_code}")
        response = admin_client.get(admin_url(model, "change", obj.pk))
        if response.status_code != 200:
            failures.append(f"{label(model)} change form: {response.status_code}")
    assert not failures
