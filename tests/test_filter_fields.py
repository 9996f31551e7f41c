"""``select_options``: a filter form's options in one pass, as Django's Select writes them."""

import re

import pytest
from django import forms

from members.templatetags.filter_fields import select_options


class Filter(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "全部"), ("a", "<甲>"), ("b", "乙"), ("b", "乙（重复）"), (None, "无")],
        required=False,
    )
    grouped = forms.ChoiceField(choices=[("组", [("x", "X")])], required=False)


def options(html):
    return re.findall(r"<option[^>]*>[^<]*</option>", str(html))


def django_options(field):
    return options(field.as_widget())


def test_the_options_are_those_of_djangos_select_widget():
    for data in ({}, {"kind": "a"}, {"kind": "b"}, {"kind": ""}, {"kind": "zz"}, None):
        field = Filter(data)["kind"]
        assert options(select_options(field)) == django_options(field), data


def test_labels_are_escaped_and_only_the_first_match_is_selected():
    html = str(select_options(Filter({"kind": "b"})["kind"]))
    assert '<option value="a">&lt;甲&gt;</option>' in html
    assert html.count(" selected") == 1 and '<option value="b" selected>乙</option>' in html
    assert '<option value="">无</option>' in html


def test_option_groups_are_refused():
    with pytest.raises(TypeError):
        select_options(Filter()["grouped"])
