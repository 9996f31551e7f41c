"""Django's ``cached_db`` session engine with the session row read by one SQL statement."""

from django.contrib.sessions.backends import cached_db

from . import RowReadMixin


class SessionStore(RowReadMixin, cached_db.SessionStore):
    pass
