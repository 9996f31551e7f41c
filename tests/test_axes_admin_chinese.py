"""django-axes' admin pages in Chinese: model names, columns, filters and the section heading
(issue 12, item 10), from the portal's catalogue in locale/zh_Hans."""

import gettext

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

PAGES = {
    AccessAttempt: [
        "登录尝试",
        "尝试时间",
        "IP 地址",
        "用户名",
        "路径",
        "失败次数",
        "状态",
        "已锁定",
    ],
    AccessLog: ["登录日志", "尝试时间", "退出时间", "IP 地址", "浏览器标识（User Agent）"],
    AccessFailureLog: ["登录失败记录", "尝试时间", "是否锁定", "IP 地址"],
}
ENGLISH = [
    f">{text}<"
    for text in ("Attempt Time", "IP Address", "User Agent", "Failed Logins", "Logout Time")
] + [">Status<", ">Expiration<", "Access attempts", "Access logs", "Access failures"]


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def records(db):
    common = {"user_agent": "Mozilla", "ip_address": "10.0.0.1", "username": "李老师"}
    AccessAttempt.objects.create(
        **common, http_accept="*/*", path_info="/login/", failures_since_start=5
    )
    AccessLog.objects.create(**common, http_accept="*/*", path_info="/login/")
    AccessFailureLog.objects.create(
        **common, http_accept="*/*", path_info="/login/", locked_out=True
    )


@pytest.mark.parametrize("model", list(PAGES), ids=lambda m: m.__name__)
def test_the_axes_changelists_speak_chinese(client, superuser, records, model):
    client.force_login(superuser)
    url = reverse(f"admin:axes_{model._meta.model_name}_changelist")
    page = client.get(url).content.decode()
    for text in PAGES[model]:
        assert text in page, text
    for text in ENGLISH:
        assert text not in page, text


def test_the_admin_index_heads_the_axes_section_in_chinese(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    assert "登录防护" in page and "登录尝试" in page and "登录日志" in page
    assert "Access attempts" not in page and ">Axes<" not in page


def test_the_compiled_catalogue_holds_every_entry_of_the_po_file():
    """The .mo is committed (CI needs no msgfmt): it must say what the .po says."""
    folder = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
    entries, msgid = {}, None
    for line in (folder / "django.po").read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = line[7:-1]
        elif line.startswith("msgstr ") and msgid:
            entries[msgid] = line[8:-1]
    with (folder / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert len(entries) > 30
    assert {key: catalogue.gettext(key) for key in entries} == entries
