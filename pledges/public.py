"""What the public sees of a campaign's pledges (公示): the web page, the screen and its JSON.

One builder makes plain dictionaries holding only what may be published — the pledger's name,
post and party group, the pledge's text and its items with their progress — and the page, the
screen and the JSON endpoint all render those dictionaries. Nothing else about a person (phone,
birth date, status history, review comments, objections) is ever read into them: the person's
row is loaded with ``only()`` the published columns.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from .models import Pledge, PledgeItem, PledgePoint, PledgePublication

# The columns of the pledge and its person that the public pages read.
_PUBLISHED_COLUMNS = [
    "campaign_id",
    "person_id",
    "version",
    "summary",
    "signed_at",
    "signature_name",
    "person__name",
    "person__post",
]


@dataclass
class PublicBoard:
    campaign: object
    today: datetime.date
    publication: PledgePublication | None
    pledges: list[dict] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.publication is not None and self.publication.is_active_on(self.today)

    @property
    def not_yet(self) -> bool:
        return self.publication is not None and self.today < self.publication.start

    def as_json(self) -> dict:
        window = self.publication
        return {
            "branch": self.campaign.branch.short_name,
            "campaign": self.campaign.name,
            "open": self.is_open,
            "window": {
                "start": window.start.isoformat() if window else None,
                "end": window.end.isoformat() if window and window.end else None,
            },
            "today": self.today.isoformat(),
            "pledges": self.pledges,
        }


def public_board(campaign, today: datetime.date) -> PublicBoard:
    """The published pledges of ``campaign`` on ``today`` (none outside the publication window)."""
    publication = PledgePublication.objects.filter(campaign=campaign).first()
    board = PublicBoard(campaign=campaign, today=today, publication=publication)
    if not board.is_open:
        return board
    pledges = (
        Pledge.objects.filter(campaign=campaign)
        .published_on(today)
        .with_party_group_on(today)
        .select_related("person")
        .only(*_PUBLISHED_COLUMNS)
        .prefetch_related(
            Prefetch("points", queryset=PledgePoint.objects.only("pledge_id", "point", "text")),
            Prefetch(
                "items",
                queryset=PledgeItem.objects.only(
                    "pledge_id",
                    "order",
                    "title",
                    "target",
                    "deadline",
                    "progress",
                    "done_on",
                    "fulfilment",
                ).order_by("order"),
            ),
        )
        .order_by("pk")
    )
    # The branch's own pledge first, then the members' by name.
    pledges = sorted(
        pledges, key=lambda p: (p.person_id is not None, p.person.name if p.person_id else "")
    )
    board.pledges = [_published(pledge, campaign, today) for pledge in pledges]
    return board


def _published(pledge: Pledge, campaign, today: datetime.date) -> dict:
    texts = {point.point: point.text for point in pledge.points.all()}
    if pledge.person_id is None:
        who = {"name": campaign.branch.short_name, "post": "党支部", "group": ""}
    else:
        who = {
            "name": pledge.person.name,
            "post": pledge.person.post,
            "group": pledge.group_name or "",
        }
    return {
        "id": pledge.pk,
        **who,
        "is_branch": pledge.person_id is None,
        "standard": "五个好" if pledge.person_id is None else "五带头",
        "summary": pledge.summary,
        "signed_on": timezone.localdate(pledge.signed_at).isoformat(),
        "signature": pledge.signature_name,
        "points": [
            {"label": label, "text": texts.get(code, "")} for code, label in pledge.standard
        ],
        "items": [
            {
                "order": item.order,
                "title": item.title,
                "target": item.target,
                "deadline": item.deadline.isoformat() if item.deadline else "",
                "progress": item.progress,
                "done": item.done_on is not None,
                "overdue": item.is_overdue(today),
                "fulfilment": (
                    item.get_fulfilment_display()
                    if item.fulfilment != PledgeItem.Fulfilment.UNRATED
                    else ""
                ),
            }
            for item in pledge.items.all()
        ],
    }
