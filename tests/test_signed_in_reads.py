"""The two reads of every signed-in request, by SQL written once (``common.rows``): the session
(``common.sessions``) and the account with its person record (``members.backends``).

They must give exactly what the ORM gave: the same field values (dates and times converted as
the ORM converts them, on SQLite too), the person record joined, no account for a deactivated
user or an unknown id, no session once it has expired or been deleted.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.sessions.cached_db import SessionStore as CachedSessionStore
from common.sessions.db import SessionStore
from members.backends import PersonModelBackend, read_account
from members.models import Branch
from tests.factories import BranchFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_the_account_read_gives_the_orms_values_and_its_person(branch):
    user = UserFactory(first_name="慧", email="a@example.cn")
    user.last_login = timezone.now() - datetime.timedelta(days=2)
    user.save()
    person = PersonFactory(branch=branch, user=user, birth_date=datetime.date(1970, 2, 28))
    orm = get_user_model().objects.select_related("person").get(pk=user.pk)

    with CaptureQueriesContext(connection) as queries:
        read = read_account(str(user.pk))  # the session keeps the id as text
        assert read.person.name == person.name
        assert read.person.user is read
    assert len(queries) == 1
    assert _fields(read) == _fields(orm)
    assert _fields(read.person) == _fields(orm.person)
    assert isinstance(read.last_login, datetime.datetime) and read.last_login.tzinfo is not None
    assert read.person.birth_date == datetime.date(1970, 2, 28)
    assert not read._state.adding and read._state.db == "default"


def test_an_account_without_a_person_has_none_and_costs_no_second_query():
    user = UserFactory()
    read = read_account(user.pk)
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(get_user_model().person.RelatedObjectDoesNotExist),
    ):
        read.person  # noqa: B018 - the access is the test
    assert len(queries) == 0


def test_the_account_carries_the_sum_and_count_of_the_branch_versions():
    BranchFactory(), BranchFactory()
    Branch.objects.update(data_version=5)
    Branch.objects.filter(pk=Branch.objects.order_by("pk").first().pk).update(data_version=9)
    user = UserFactory()
    count = Branch.objects.count()
    assert read_account(user.pk).portal_version == (5 * (count - 1) + 9, count)


def test_unknown_deactivated_and_malformed_accounts_are_not_signed_in():
    user = UserFactory()
    backend = PersonModelBackend()
    assert backend.get_user(user.pk) == user
    assert backend.get_user(user.pk + 1000) is None
    assert backend.get_user("not a number") is None
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None


@pytest.mark.parametrize("store", [SessionStore, CachedSessionStore])
def test_the_session_read_gives_the_row_and_nothing_once_expired(store):
    session = store()
    session["branch"] = 7
    session.set_expiry(600)
    session.save()
    key = session.session_key

    row = store(key)._get_session_from_db()
    orm = Session.objects.get(session_key=key)
    assert _fields(row) == _fields(orm)
    assert isinstance(row.expire_date, datetime.datetime)
    assert SessionStore(key)["branch"] == 7

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.get("branch") is None
    assert expired.session_key is None  # as Django's own store: a new key on the next save


def test_a_signed_in_request_reads_its_session_and_account_once_each(client, secretary):
    client.force_login(secretary)
    url = reverse("members:person-detail", args=[secretary.person.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sessions = [q for q in queries if "django_session" in q["sql"]]
    accounts = [q for q in queries if 'FROM "auth_user" "u"' in q["sql"]]
    assert len(sessions) == 1 and len(accounts) == 1

    client.logout()
    assert client.get(url).status_code == 302  # to the login page: the session is gone


def test_the_role_read_gives_the_orms_assignments_with_their_branches(branch, other_branch):
    from members.access import role_assignments_of
    from members.models import Committee, RoleAssignment

    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.SECRETARY, branch=branch)
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.STAFF, branch=other_branch)
    RoleAssignment.objects.create(
        user=user, role=RoleAssignment.Role.COMMITTEE, committee=Committee.objects.first()
    )
    RoleAssignment.objects.create(user=UserFactory(), role="member", branch=branch)
    orm = list(user.role_assignments.select_related("branch").order_by("pk"))

    with CaptureQueriesContext(connection) as queries:
        read = role_assignments_of(user)
        branches = [role.branch for role in read]
        assert all(role.user is user for role in read)
    assert len(queries) == 1
    assert [_fields(role) for role in read] == [_fields(role) for role in orm]
    assert [b and _fields(b) for b in branches] == [r.branch and _fields(r.branch) for r in orm]
    assert branches[2] is None  # the committee's role has no branch
    assert role_assignments_of(UserFactory()) == []
