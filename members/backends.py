"""The login backend: Django's ``ModelBackend``, reading the account's person record with it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import BigIntegerField
from django.db.models.expressions import RawSQL

from .models import Branch


def _over_all_branches(aggregate: str) -> RawSQL:
    """``aggregate`` over every branch, as a subquery of the account's own query."""
    table = Branch._meta.db_table
    column = Branch._meta.get_field("data_version").column
    sql = f"SELECT {aggregate.format(column=column)} FROM {table}"
    return RawSQL(sql, [], output_field=BigIntegerField())


class PersonModelBackend(ModelBackend):
    """Loads the signed-in account together with its person record (one query, not two).

    Every page's navigation asks for ``user.person`` (the link to 我的档案); with the record
    joined to the account's own query that costs nothing more. An account without a person
    record gets none, as before.

    The same query reads ``portal_version``: the sum of the data versions of all branches and
    their number. Every change to a record of a branch raises that branch's version by at least
    one (``members.freshness``), so the sum moves on with every change and a whole page cached
    under it (``members.pagecache``) is never served after one. Not the newest version: a
    version is a time in microseconds read by the app server, and with two servers whose clocks
    differ by a few milliseconds a change through the one behind could leave the maximum where
    the other had put it. (PostgreSQL sums bigints as numeric, exactly.)
    """

    def get_user(self, user_id):
        UserModel = get_user_model()
        try:
            user = (
                UserModel._default_manager.select_related("person")
                .annotate(
                    branch_versions=_over_all_branches("COALESCE(SUM({column}), 0)"),
                    branch_count=_over_all_branches("COUNT(*)"),
                )
                .get(pk=user_id)
            )
        except UserModel.DoesNotExist:
            return None
        user.portal_version = (int(user.branch_versions), user.branch_count)
        return user if self.user_can_authenticate(user) else None
