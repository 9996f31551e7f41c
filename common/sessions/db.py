"""Django's ``db`` session engine with the session row read by one SQL statement."""

from django.contrib.sessions.backends import db

from . import RowReadMixin


class SessionStore(RowReadMixin, db.SessionStore):
    pass
