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

    The same query reads ``portal_version``: the newest data version of all branches and their
    number. It changes whenever a record of any branch changes (``members.freshness``), so a
    whole page cached under it (``members.pagecache``) is never served after a change.
    """

    def get_user(self, user_id):
        UserModel = get_user_model()
        try:
            user = (
                UserModel._default_manager.select_related("person")
                .annotate(
                    newest_branch_version=_over_all_branches("COALESCE(MAX({column}), 0)"),
                    branch_count=_over_all_branches("COUNT(*)"),
                )
                .get(pk=user_id)
            )
        except UserModel.DoesNotExist:
            return None
        user.portal_version = (user.newest_branch_version, user.branch_count)
        return user if self.user_can_authenticate(user) else None
