"""The narrative: placeholders checked on save, resolved on render, user text always escaped."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.narratives import load_narratives
from reports.forms import NarrativeForm
from reports.models import NarrativeText
from reports.placeholders import check_placeholders, placeholders
from tests.report_data import build_school

pytestmark = pytest.mark.django_db
Section = NarrativeText.Section
HOSTILE = "<script>alert('x')</script> & 【党员人数】"


@pytest.fixture
def school(branch):
    return build_school(branch)


def edit_url(school, section="opening"):
    return reverse("reports:narrative-edit", args=[school.branch.pk, school.campaign.pk, section])


def carrier_url(school, name):
    return reverse(
        "reports:narrative-carrier-edit",
        args=[school.branch.pk, school.campaign.pk, school.carriers[name].pk],
    )


def preview_url(school):
    return reverse("reports:narrative-preview", args=[school.branch.pk, school.campaign.pk])


def test_placeholders_are_found_in_text():
    assert placeholders("共【党员人数】名，【先进典型·市级】名【】") == [
        "党员人数",
        "先进典型·市级",
    ]


def test_unknown_placeholder_is_refused_with_the_valid_names():
    with pytest.raises(ValidationError) as caught:
        check_placeholders("现有党员【党员总数】名", ["党员人数", "承诺签订人数"])
    message = caught.value.messages[0]
    assert "未知的数据名称：【党员总数】" in message
    assert "可用的名称有：【党员人数】、【承诺签订人数】" in message


def test_model_validation_refuses_unknown_placeholders_in_text_and_title(school):
    row = NarrativeText(
        campaign=school.campaign,
        section=Section.LEADERSHIP,
        title="【没有这个】",
        text="共【党员人数】名，【党员总数】名",
    )
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert set(caught.value.message_dict) == {"title", "text"}
    assert "【党员总数】" in caught.value.message_dict["text"][0]


def test_carrier_figures_are_valid_only_for_the_campaigns_carriers(school):
    ok = NarrativeText(
        campaign=school.campaign, section=Section.MECHANISMS, text="【健康促进举措数】项"
    )
    ok.full_clean()
    wrong = NarrativeText(
        campaign=school.campaign, section=Section.MECHANISMS, text="【增效减负举措数】项"
    )
    with pytest.raises(ValidationError):
        wrong.full_clean()


def test_a_carrier_slot_needs_its_carrier(school):
    row = NarrativeText(campaign=school.campaign, section=Section.CARRIER, text="正文")
    with pytest.raises(ValidationError):
        row.full_clean()


def test_secretary_saves_a_section_and_history_keeps_the_old_text(client, secretary, school):
    client.force_login(secretary)
    url = edit_url(school, "leadership")
    response = client.post(url, {"title": "领导班子", "text": "第一稿【党员人数】"})
    assert response.status_code == 302
    client.post(url, {"title": "领导班子", "text": "第二稿"})
    row = NarrativeText.objects.get(campaign=school.campaign, section=Section.LEADERSHIP)
    assert row.text == "第二稿"
    assert [h.text for h in row.history.order_by("history_date")] == [
        "第一稿【党员人数】",
        "第二稿",
    ]


def test_unknown_placeholder_is_refused_in_the_browser_in_chinese(client, secretary, school):
    client.force_login(secretary)
    url = edit_url(school, "leadership")
    response = client.post(url, {"title": "", "text": "现有党员【党员总数】名"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "未知的数据名称：【党员总数】" in content
    assert "【党员人数】" in content  # the valid names are listed
    assert not NarrativeText.objects.filter(section=Section.LEADERSHIP).exists()


def test_editor_shows_the_valid_names_with_their_current_values(client, secretary, school):
    client.force_login(secretary)
    response = client.get(carrier_url(school, "公开承诺"))
    content = response.content.decode()
    assert "【承诺签订人数】" in content and "【健康促进举措数】" in content
    assert "【先进典型·市级】" in content
    # the preview of the stored text, figures resolved
    assert '我支部<span class="report-figure" title="数据：承诺签订人数">4</span>名' in content


def test_carrier_section_has_no_title_field_and_saves_under_its_carrier(client, secretary, school):
    assert "title" not in NarrativeForm(instance=NarrativeText(section=Section.CARRIER)).fields
    client.force_login(secretary)
    response = client.post(
        carrier_url(school, "志愿服务"), {"text": "志愿服务【志愿服务活动数】次。"}
    )
    assert response.status_code == 302
    row = NarrativeText.objects.get(carrier=school.carriers["志愿服务"])
    assert (row.section, row.text) == (Section.CARRIER, "志愿服务【志愿服务活动数】次。")


def test_new_section_starts_from_the_default_text(client, secretary, school):
    client.force_login(secretary)
    content = client.get(edit_url(school, "mechanisms")).content.decode()
    assert "思想建设相关制度【制度数·思想建设】项" in content


def test_live_preview_resolves_figures_and_escapes_user_text(client, secretary, school):
    client.force_login(secretary)
    response = client.post(preview_url(school), {"text": HOSTILE})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; " in content
    assert '<span class="report-figure" title="数据：党员人数">6</span>' in content


def test_live_preview_reports_unknown_names(client, secretary, school):
    client.force_login(secretary)
    content = client.post(preview_url(school), {"text": "【没有这个】"}).content.decode()
    assert "未知的数据名称：【没有这个】" in content


def test_live_preview_is_post_only(client, secretary, school):
    client.force_login(secretary)
    assert client.get(preview_url(school)).status_code == 405


def test_hostile_narrative_is_escaped_in_the_report_preview(client, secretary, school):
    NarrativeText.objects.filter(section=Section.OPENING).update(text=HOSTILE)
    client.force_login(secretary)
    url = reverse("reports:report-preview", args=[school.branch.pk, "summary"])
    content = client.get(url).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content


@pytest.mark.parametrize("persona", ["staff_user", "committee_user", "member", "outsider"])
def test_only_the_branchs_secretary_edits_the_narrative(client, school, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("reports:narrative-list", args=[school.branch.pk, school.campaign.pk]),
        edit_url(school),
        carrier_url(school, "公开承诺"),
    ):
        assert client.get(url).status_code == 403
    assert client.post(preview_url(school), {"text": "x"}).status_code == 403


def test_anonymous_is_sent_to_log_in(client, school):
    response = client.get(edit_url(school))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_unknown_section_or_campaign_of_another_branch_is_not_found(
    client, secretary, school, other_branch
):
    client.force_login(secretary)
    assert client.get(edit_url(school, "nonsense")).status_code == 404
    assert client.get(edit_url(school, "carrier")).status_code == 404
    other = build_school(other_branch)
    url = reverse("reports:narrative-edit", args=[school.branch.pk, other.campaign.pk, "opening"])
    assert client.get(url).status_code == 404


def test_narrative_list_shows_every_slot(client, secretary, school):
    client.force_login(secretary)
    content = client.get(
        reverse("reports:narrative-list", args=[school.branch.pk, school.campaign.pk])
    ).content.decode()
    for title in (
        "成立领导小组",
        "以“健康促进”为载体，关爱学生成长谱写新篇",
        "有待进一步完善的方面",
    ):
        assert title in content


def test_demo_narratives_load_twice_without_changes(school):
    load_narratives(school.campaign)
    count = NarrativeText.objects.count()
    history = NarrativeText.history.count()
    load_narratives(school.campaign)
    assert (NarrativeText.objects.count(), NarrativeText.history.count()) == (count, history)
