"""What ends with a membership: a small registry the apps fill, run by the service.

When a membership ends (a transfer out, death, a change to a status that is not a member's),
``members.services`` ends the posts, party group and leading-group roles it carried. Records of
the higher apps may also hang on it: an attendance already recorded at a meeting held after the
last day would keep the person on that meeting's sheet, its figures and the report's 会议 sheet
(issue 13). The app that keeps such records registers a handler in its ``AppConfig.ready``::

    from members import departures

    @departures.register
    def forget_later_attendance(*, person, last_day):
        ...
        return removed

A handler receives the person (their staff dates already updated) and the membership's last day,
runs inside the service's transaction, and returns how many records it removed. Lower apps never
import the apps that register handlers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

Handler = Callable[..., int]
_handlers: list[Handler] = []


def register(handler: Handler) -> Handler:
    """Adds a handler (usable as a decorator); registering the same function twice is a no-op."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def membership_ended(*, person, last_day: datetime.date) -> int:
    """Runs every handler; the number of records they removed."""
    return sum(handler(person=person, last_day=last_day) or 0 for handler in _handlers)
