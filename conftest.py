import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fragment_cache(monkeypatch):
    """Each test starts with an empty cache; data versions move on at once, not after commit.

    A test runs inside one transaction that is rolled back, never committed, so the commit hook
    that moves a branch's data version on (``members.freshness.touch_branches``) would never run
    and a page cached earlier in the test would be served again after a change. Here it runs
    when the change is made; ``tests/test_fragment_cache.py`` checks the real commit hook.
    """
    from django.core.cache import cache

    from members import freshness

    cache.clear()
    monkeypatch.setattr(freshness, "_after_commit", lambda func: func())
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _client_login_with_request(monkeypatch):
    """django-axes refuses ``authenticate()`` without a request; ``Client.login`` passes none."""
    from django.http import HttpRequest
    from django.test import Client

    login = Client.login

    def login_with_request(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", login_with_request)


# Personas: one branch with its secretary, staff, two members; another branch's secretary;
# a committee user over the first branch; anonymous is the plain ``client``.
@pytest.fixture
def branch(db):
    from tests.factories import BranchFactory

    return BranchFactory()


@pytest.fixture
def other_branch(db):
    from tests.factories import BranchFactory

    return BranchFactory()


def _persona(role, branch=None, committee=None, person=None, username=None):
    from members.models import RoleAssignment
    from tests.factories import UserFactory

    user = UserFactory(username=username) if username else UserFactory()
    RoleAssignment.objects.create(user=user, role=role, branch=branch, committee=committee)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


@pytest.fixture
def secretary(branch):
    from tests.factories import MemberFactory

    return _persona("secretary", branch=branch, person=MemberFactory(branch=branch, name="书记甲"))


@pytest.fixture
def staff_user(branch):
    return _persona("staff", branch=branch)


@pytest.fixture
def member(branch):
    from tests.factories import MemberFactory

    return _persona("member", branch=branch, person=MemberFactory(branch=branch, name="党员甲"))


@pytest.fixture
def other_member(branch):
    from tests.factories import MemberFactory

    return _persona("member", branch=branch, person=MemberFactory(branch=branch, name="党员乙"))


@pytest.fixture
def outsider(other_branch):
    """The secretary of another branch."""
    from tests.factories import MemberFactory

    return _persona(
        "secretary",
        branch=other_branch,
        person=MemberFactory(branch=other_branch, name="外支部书记"),
    )


@pytest.fixture
def committee_user(branch):
    return _persona("committee", committee=branch.committee)


@pytest.fixture(autouse=True)
def _national_dues_rules(request):
    """A transactional test (browser tests, commit hooks) flushes every table at its end, the rows
    that data migrations wrote too: the national dues rules are put back for each test that uses
    the database (two queries when they are there)."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
    else:
        return
    from dues.national import ensure_installed

    ensure_installed()
