"""Who reaches the secretary's workspace: every view of the activities app, for every persona."""

import pytest
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    ActivityPhotoFactory,
    CampaignFactory,
    CarrierFactory,
    MeasureFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "member", "outsider", "staff_user", "secretary", "committee_user"]

# Expected status per persona, in the order of PERSONAS.
BRANCH_READ = (302, 403, 200, 200, 200, 200)  # a page of "my branch": the outsider sees their own
BRANCH_MANAGE = (302, 403, 200, 403, 200, 403)  # creating in "my branch": secretaries only
OBJECT_READ = (302, 403, 403, 200, 200, 200)  # an object of the first branch
OBJECT_MANAGE = (302, 403, 403, 403, 200, 403)  # changing an object of the first branch

RULES = [
    ("activities:dashboard", None, BRANCH_READ),
    ("activities:activity-list", None, BRANCH_READ),
    ("activities:activity-export", None, BRANCH_READ),
    ("activities:activity-create", None, BRANCH_MANAGE),
    ("activities:activity-detail", "activity", OBJECT_READ),
    ("activities:activity-edit", "activity", OBJECT_MANAGE),
    ("activities:activity-delete", "activity", OBJECT_MANAGE),
    ("activities:photo-delete", "photo", OBJECT_MANAGE),
    ("activities:photo-file", "photo", OBJECT_READ),
    ("activities:measure-list", None, BRANCH_READ),
    ("activities:measure-create", None, BRANCH_MANAGE),
    ("activities:measure-edit", "measure", OBJECT_MANAGE),
    ("activities:meeting-list", None, BRANCH_READ),
    ("activities:meeting-create", None, BRANCH_MANAGE),
    ("activities:attendance-report", None, BRANCH_READ),
    ("activities:meeting-detail", "meeting", OBJECT_READ),
    ("activities:meeting-edit", "meeting", OBJECT_MANAGE),
    ("activities:meeting-delete", "meeting", OBJECT_MANAGE),
    ("activities:meeting-attendance", "meeting", OBJECT_MANAGE),
    ("activities:meeting-talks", "meeting", OBJECT_MANAGE),
]


@pytest.fixture
def objects(branch, other_branch):
    carrier = CarrierFactory(campaign=CampaignFactory(branch=branch))
    CarrierFactory(campaign=CampaignFactory(branch=other_branch))
    activity = ActivityFactory(carrier=carrier)
    return {
        "activity": activity,
        "photo": ActivityPhotoFactory(activity=activity),
        "measure": MeasureFactory(carrier=carrier),
        "meeting": MeetingFactory(branch=branch),
    }


def login_as(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "target", "expected"), RULES, ids=[rule[0] for rule in RULES])
def test_each_persona_gets_the_expected_status(
    client, request, objects, persona, name, target, expected
):
    kwargs = {"pk": objects[target].pk} if target else {}
    if name == "activities:photo-file":
        kwargs["kind"] = "image"
    login_as(client, request, persona)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == expected[PERSONAS.index(persona)]
    if persona == "anonymous":
        assert response.url.startswith(reverse("login"))


def test_every_url_of_the_app_has_a_rule_here():
    from activities.urls import urlpatterns

    names = {f"activities:{pattern.name}" for pattern in urlpatterns}
    names.add("activities:dashboard")  # served by reports under the activities namespace
    assert names == {rule[0] for rule in RULES}


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("activities:activity-delete", "activity"),
        ("activities:photo-delete", "photo"),
        ("activities:meeting-delete", "meeting"),
        ("activities:activity-edit", "activity"),
        ("activities:meeting-attendance", "meeting"),
        ("activities:meeting-talks", "meeting"),
    ],
)
@pytest.mark.parametrize("persona", ["staff_user", "committee_user", "outsider", "member"])
def test_readers_cannot_change_anything_by_post(client, request, objects, persona, name, target):
    login_as(client, request, persona)
    response = client.post(reverse(name, kwargs={"pk": objects[target].pk}), {"title": "改"})
    assert response.status_code == 403
    model = type(objects[target])
    assert model.objects.filter(pk=objects[target].pk).exists()


def test_an_unknown_object_is_404_for_the_secretary(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("activities:activity-detail", args=[999999])).status_code == 404
    assert client.get(reverse("activities:meeting-detail", args=[999999])).status_code == 404


def test_the_outsider_sees_only_their_own_branch_even_when_asking_for_another(
    client, objects, outsider, branch, other_branch
):
    client.force_login(outsider)
    response = client.get(reverse("activities:activity-list"), {"branch": branch.pk})
    assert response.context["branch"] == other_branch
    assert objects["activity"].title not in response.content.decode()


def test_a_committee_user_picks_among_the_committees_branches(client, committee_user, branch):
    from tests.factories import BranchFactory

    sister = BranchFactory(committee=branch.committee, short_name="姊妹支部")
    ActivityFactory(
        carrier=CarrierFactory(campaign=CampaignFactory(branch=sister)), title="姊妹活动"
    )
    client.force_login(committee_user)

    response = client.get(reverse("activities:activity-list"), {"branch": sister.pk})
    assert response.context["branch"] == sister
    assert "姊妹活动" in response.content.decode()
    assert {b.pk for b in response.context["branch_choices"]} == {branch.pk, sister.pk}
    assert 'name="branch"' in client.get(reverse("activities:dashboard")).content.decode()


def test_home_sends_workspace_users_to_the_dashboard_and_members_stay(
    client, secretary, staff_user, committee_user, member
):
    for user in (secretary, staff_user):
        client.force_login(user)
        assert client.get(reverse("home")).url == reverse("activities:dashboard")
    client.force_login(committee_user)  # the committee works from the table of its branches
    assert client.get(reverse("home")).url == reverse("committees:branch-overview")
    client.force_login(member)
    assert client.get(reverse("home")).status_code == 200


def test_the_navigation_shows_the_workspace_to_readers_only(client, staff_user, member):
    client.force_login(staff_user)
    page = client.get(reverse("activities:activity-list")).content.decode()
    assert reverse("activities:meeting-list") in page
    client.force_login(member)
    assert reverse("activities:meeting-list") not in client.get(reverse("home")).content.decode()
