"""Chinese error pages in the portal's look, each with a way back (issue 12, item 7)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import HonorFactory

pytestmark = pytest.mark.django_db


def test_404_is_chinese_with_the_navigation_and_a_way_home(client, secretary, settings):
    settings.DEBUG = False
    client.force_login(secretary)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回首页" in html
    assert "portal-navbar" in html and 'lang="zh-CN"' in html
    assert "Not Found" not in html


def test_403_names_the_reason_in_chinese(client, outsider, branch):
    honor = HonorFactory(branch=branch)
    client.force_login(outsider)
    response = client.get(reverse("honors:honor-detail", args=[honor.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html and "您无权" in html and "返回首页" in html
    assert "403 Forbidden" not in html


def test_500_is_chinese_and_needs_neither_request_data_nor_the_database():
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in html and "返回首页" in html and "portal-navbar" in html


def test_400_is_chinese_in_the_portals_look():
    response = defaults.bad_request(RequestFactory().get("/"), Exception())
    html = response.content.decode()
    assert response.status_code == 400
    assert "请求无法处理" in html and "portal-navbar" in html
