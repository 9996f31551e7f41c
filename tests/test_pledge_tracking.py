"""Tracking pledge items to their deadlines: progress with photos, overdue lists, ratings, figures."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pledges import services
from pledges.models import Pledge, PledgeItem, PledgeItemUpdate
from tests.factories import (
    CampaignFactory,
    MemberFactory,
    PledgeFactory,
    PledgeItemFactory,
    SignedPledgeFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def campaign(branch):
    return CampaignFactory(branch=branch, end=None)


def jpeg(name="photo.jpg", size=(60, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def test_the_member_reports_progress_with_photos(client, member, campaign):
    pledge = SignedPledgeFactory(campaign=campaign, person=member.person)
    item = PledgeItemFactory(pledge=pledge, deadline=days(-3))
    client.force_login(member)
    url = reverse("pledges:item-progress", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "完成一半。", "photos": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert response.status_code == 302
    update = PledgeItemUpdate.objects.get()
    assert (update.item, update.created_by, update.text) == (item, member, "完成一半。")
    assert update.photos.count() == 2
    assert all(photo.thumbnail for photo in update.photos.all())
    item.refresh_from_db()
    assert item.progress == "完成一半。" and item.done_on is None
    assert item in PledgeItem.objects.overdue(today())

    client.post(url, {"text": "全部完成。", "done_on": today().isoformat()})
    item.refresh_from_db()
    assert item.done_on == today() and item.updates.count() == 2
    assert item not in PledgeItem.objects.overdue(today())
    detail = client.get(reverse("pledges:pledge-detail", args=[pledge.pk])).content.decode()
    assert "完成一半。" in detail and "全部完成。" in detail


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(client, member, campaign):
    pledge = SignedPledgeFactory(campaign=campaign, person=member.person)
    item = PledgeItemFactory(pledge=pledge)
    client.force_login(member)
    fake = SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = client.post(
        reverse("pledges:item-progress", args=[item.pk]), {"text": "进展", "photos": fake}
    )
    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert not PledgeItemUpdate.objects.exists()
    item.refresh_from_db()
    assert item.progress == ""


def test_a_done_date_in_the_future_is_refused(client, member, campaign):
    item = PledgeItemFactory(pledge=SignedPledgeFactory(campaign=campaign, person=member.person))
    client.force_login(member)
    response = client.post(
        reverse("pledges:item-progress", args=[item.pk]),
        {"text": "进展", "done_on": days(3).isoformat()},
    )
    assert "完成日期不能晚于今天" in response.content.decode()
    assert not PledgeItemUpdate.objects.exists()


def test_progress_waits_until_the_pledge_is_signed(client, member, campaign):
    item = PledgeItemFactory(pledge=PledgeFactory(campaign=campaign, person=member.person))
    client.force_login(member)
    response = client.post(reverse("pledges:item-progress", args=[item.pk]), {"text": "提前报"})
    assert response.status_code == 302
    assert not PledgeItemUpdate.objects.exists()
    with pytest.raises(services.PledgeStateError):
        services.item_update_progress(item=item, by=member, text="提前报")
    assert not PledgeItemUpdate.objects.exists()


def test_the_secretary_rates_fulfilment_with_a_comment(client, secretary, member, campaign):
    item = PledgeItemFactory(pledge=SignedPledgeFactory(campaign=campaign, person=member.person))
    client.force_login(secretary)
    url = reverse("pledges:item-rate", args=[item.pk])
    response = client.post(url, {"fulfilment": "partly", "comment": ""})
    assert "部分兑现或未兑现时请写明评定意见" in response.content.decode()
    item.refresh_from_db()
    assert item.fulfilment == PledgeItem.Fulfilment.UNRATED
    client.post(url, {"fulfilment": "partly", "comment": "完成了一半的辅导。"})
    item.refresh_from_db()
    assert (item.fulfilment, item.rating_comment, item.rated_by) == (
        "partly",
        "完成了一半的辅导。",
        secretary,
    )
    assert item.rated_at is not None


def test_my_page_lists_my_overdue_and_soon_due_items_only(client, member, other_member, campaign):
    mine = SignedPledgeFactory(campaign=campaign, person=member.person)
    overdue = PledgeItemFactory(pledge=mine, title="我逾期的事项", deadline=days(-1))
    PledgeItemFactory(pledge=mine, title="我已完成的事项", deadline=days(-5), done_on=days(-6))
    PledgeItemFactory(pledge=mine, title="我快到期的事项", deadline=days(7))
    PledgeItemFactory(pledge=mine, title="我远期的事项", deadline=days(200))
    theirs = SignedPledgeFactory(campaign=campaign, person=other_member.person)
    PledgeItemFactory(pledge=theirs, title="别人逾期的事项", deadline=days(-1))
    draft = PledgeFactory(campaign=CampaignFactory(branch=campaign.branch), person=member.person)
    PledgeItemFactory(pledge=draft, title="草稿里的事项", deadline=days(-1))

    client.force_login(member)
    response = client.get(reverse("pledges:my-pledges"))
    assert list(response.context["overdue"]) == [overdue]
    assert [i.title for i in response.context["due_soon"]] == ["我快到期的事项"]
    html = response.content.decode()
    assert "我逾期的事项" in html and "我快到期的事项" in html
    assert "别人逾期的事项" not in html and "草稿里的事项" not in html
    assert "我远期的事项" not in html and "我已完成的事项" not in html


def test_the_figures_come_from_queryset_methods(branch, campaign):
    members = [MemberFactory(branch=branch) for _ in range(3)]
    start = timezone.make_aware(datetime.datetime(2010, 7, 15, 9))
    first = SignedPledgeFactory(campaign=campaign, person=members[0], signed_at=start)
    SignedPledgeFactory(
        campaign=campaign, person=members[1], signed_at=start + datetime.timedelta(days=90)
    )
    PledgeFactory(campaign=campaign, person=members[2], status=Pledge.Status.APPROVED)
    # A second signed version of the first pledge: the member still counts once.
    Pledge.objects.filter(pk=first.pk).update(status=Pledge.Status.SUPERSEDED)
    second = SignedPledgeFactory(
        campaign=campaign,
        person=members[0],
        version=2,
        previous=first,
        signed_at=start + datetime.timedelta(days=10),
    )
    pledges = Pledge.objects.for_branch(branch)
    assert (
        pledges.signed_between(
            datetime.date(2010, 7, 1), datetime.date(2010, 9, 30)
        ).signers_count()
        == 1
    )
    assert pledges.signers_count() == 2
    assert set(pledges.latest_signed()) == {second, Pledge.objects.get(person=members[1])}

    items = [
        PledgeItemFactory(pledge=second, deadline=days(-2), fulfilment="fulfilled"),
        PledgeItemFactory(pledge=second, deadline=days(-2), fulfilment="partly"),
        PledgeItemFactory(pledge=second, deadline=days(5), fulfilment="unfulfilled"),
        PledgeItemFactory(
            pledge=second, deadline=days(-2), done_on=days(-3), fulfilment="fulfilled"
        ),
        PledgeItemFactory(pledge=first, deadline=days(-2)),  # superseded: not tracked
    ]
    tracked = PledgeItem.objects.for_branch(branch).tracked()
    assert set(tracked.overdue(today())) == {items[0], items[1]}
    assert list(tracked.due_within(today(), 30)) == [items[2]]
    figures = tracked.fulfilment()
    assert (figures["rated"], figures["fulfilled"], figures["partly"], figures["unfulfilled"]) == (
        4,
        2,
        1,
        1,
    )
    assert figures["rate"] == 50


def test_a_newer_signed_version_hides_only_the_same_pledgers_older_items(branch, campaign):
    """The branch's own pledge (no person) and a member's are versioned apart."""
    member = MemberFactory(branch=branch)
    own_first = SignedPledgeFactory(
        campaign=campaign, person=None, signature_name="书记", status=Pledge.Status.SUPERSEDED
    )
    own_second = SignedPledgeFactory(
        campaign=campaign, person=None, signature_name="书记", version=2, previous=own_first
    )
    mine_first = SignedPledgeFactory(  # being revised: counts until the new version is signed
        campaign=campaign, person=member, status=Pledge.Status.SUPERSEDED
    )
    mine_draft = PledgeFactory(campaign=campaign, person=member, version=3, previous=mine_first)
    later = SignedPledgeFactory(campaign=campaign, person=MemberFactory(branch=branch), version=5)
    items = {
        pledge.pk: PledgeItemFactory(pledge=pledge)
        for pledge in (own_first, own_second, mine_first, mine_draft, later)
    }

    tracked = set(PledgeItem.objects.for_branch(branch).tracked())

    assert tracked == {items[own_second.pk], items[mine_first.pk], items[later.pk]}


def test_list_pages_query_counts_do_not_grow(
    client, branch, campaign, secretary, member, django_assert_max_num_queries
):
    mine = SignedPledgeFactory(campaign=campaign, person=member.person)

    def add(n):
        for _ in range(n):
            pledge = SignedPledgeFactory(campaign=campaign, person=MemberFactory(branch=branch))
            PledgeItemFactory(pledge=pledge, deadline=days(-1))
            PledgeItemFactory(pledge=mine, deadline=days(-1))
            PledgeItemFactory(pledge=mine, deadline=days(3))
            PledgeFactory(
                campaign=campaign, person=MemberFactory(branch=branch), status="submitted"
            )

    pages = [
        (secretary, reverse("pledges:pledge-list")),
        (member, reverse("pledges:my-pledges")),
        (secretary, reverse("pledges:pledge-detail", args=[mine.pk])),
    ]
    counts = {}
    for size in (2, 12):
        add(size)
        for user, url in pages:
            client.force_login(user)
            with django_assert_max_num_queries(25) as captured:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(captured))
    for url, (small, large) in counts.items():
        assert large <= small, f"{url}: {small} queries, then {large}"


def test_the_list_flags_pick_the_same_pledges_as_the_queue_and_the_branch_methods(branch, campaign):
    PledgeFactory(campaign=campaign, person=None, status=Pledge.Status.SUBMITTED)
    PledgeFactory(campaign=campaign, status=Pledge.Status.SUBMITTED)
    SignedPledgeFactory(campaign=campaign)
    PledgeFactory(campaign=campaign, status=Pledge.Status.RETURNED)
    pledges = Pledge.objects.filter(campaign=campaign)
    flagged = list(pledges.flag_queue_and_branch())
    assert {p.pk for p in flagged if p.in_queue} == set(
        pledges.awaiting_review().values_list("pk", flat=True)
    )
    assert {p.pk for p in flagged if p.of_branch} == set(
        pledges.of_branch_itself().values_list("pk", flat=True)
    )
    assert sum(p.in_queue for p in flagged) == 2 and sum(p.of_branch for p in flagged) == 1


def test_the_branch_list_shows_queue_table_and_overdue_items(client, branch, campaign, secretary):
    late = datetime.datetime(2010, 9, 2, 8, 30, tzinfo=datetime.UTC)
    early = datetime.datetime(2010, 9, 1, 23, 45, tzinfo=datetime.UTC)  # 9月2日 in Beijing
    ours = PledgeFactory(
        campaign=campaign, person=None, status=Pledge.Status.SUBMITTED, submitted_at=late
    )
    theirs = PledgeFactory(
        campaign=campaign,
        person=MemberFactory(branch=branch, name="<b>乙</b>"),
        status=Pledge.Status.SUBMITTED,
        submitted_at=early,
    )
    signed = SignedPledgeFactory(campaign=campaign, person=MemberFactory(branch=branch, name="丙"))
    item = PledgeItemFactory(pledge=signed, deadline=days(-2), progress="进" * 70)
    client.force_login(secretary)
    html = client.get(reverse("pledges:pledge-list")).content.decode()
    queue = html[html.index('id="review-queue"') : html.index('id="pledges"')]
    assert queue.index("&lt;b&gt;乙&lt;/b&gt; · 第1版") < queue.index(
        f"{branch.short_name} · 第1版"
    )
    assert "2010-09-02 07:45 提交" in queue and "2010-09-02 16:30 提交" in queue
    assert reverse("pledges:pledge-review", args=[theirs.pk]) in queue
    assert "<b>乙</b>" not in html
    detail = reverse("pledges:pledge-detail", args=[ours.pk])
    assert f'<a href="{detail}">党支部承诺书（第1版）</a>' in html
    assert f'<a href="{detail}">党支部</a>' in html
    table = html[html.index('id="pledges"') : html.index('id="overdue-items"')]
    assert 'data-status="signed">已签署</span>' in table
    assert 'data-status="submitted">待审核</span>' in table
    assert "2010-08-15 10:00" in table
    overdue = html[html.index('id="overdue-items"') :]
    anchor = reverse("pledges:pledge-detail", args=[signed.pk]) + f"#item-{item.pk}"
    assert f'<a href="{anchor}">{item.title}</a>' in overdue
    assert "进" * 57 + "..." in overdue and "进" * 58 not in overdue  # truncatechars:60
    assert f"{days(-2):%Y-%m-%d}" in overdue
