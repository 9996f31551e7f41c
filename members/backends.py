"""The login backend: Django's ``ModelBackend``, reading the account's person record with it."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections

from common.rows import Columns, read_connection

from .models import Branch, Person, RoleAssignment


@cache
def _account_columns() -> tuple[Columns, Columns]:
    return Columns(get_user_model(), "u"), Columns(Person, "p")


@cache
def _account_sql(connection_alias: str) -> str:
    connection = connections[connection_alias]
    account, person = _account_columns()
    quote = connection.ops.quote_name
    u, p = quote(account.alias), quote(person.alias)
    branches = quote(Branch._meta.db_table)
    version = quote(Branch._meta.get_field("data_version").column)
    return (
        f"SELECT {account.sql(connection)}, {person.sql(connection)}, "
        f"(SELECT COALESCE(SUM({version}), 0) FROM {branches}), "
        f"(SELECT COUNT(*) FROM {branches}) "
        f"FROM {quote(account.model._meta.db_table)} {u} "
        f"LEFT OUTER JOIN {quote(Person._meta.db_table)} {p} "
        f"ON {p}.{quote(Person._meta.get_field('user').column)} = "
        f"{u}.{quote(account.model._meta.pk.column)} "
        f"WHERE {u}.{quote(account.model._meta.pk.column)} = %s"
    )


def read_account(user_id):
    """The account ``user_id`` with its person record and ``portal_version``, or ``None``.

    One query, its SQL written once (``common.rows``): what
    ``User.objects.select_related("person").annotate(…).get(pk=…)`` read, at a tenth of the CPU.
    """
    UserModel = get_user_model()
    try:
        pk = UserModel._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    connection = read_connection(UserModel)
    with connection.cursor() as cursor:
        cursor.execute(_account_sql(connection.alias), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    account, person = _account_columns()
    user = account.instance(connection, row[: len(account)])
    values = row[len(account) : len(account) + len(person)]
    found = None if values[0] is None else person.instance(connection, values)
    # As select_related("person") leaves them: user.person costs no query, nor person.user.
    Person._meta.get_field("user").remote_field.set_cached_value(user, found)
    if found is not None:
        Person._meta.get_field("user").set_cached_value(found, user)
    versions, count = row[-2:]
    user.portal_version = (int(versions), int(count))
    return user


@cache
def _assignment_columns() -> tuple[Columns, Columns]:
    return Columns(RoleAssignment, "r"), Columns(Branch, "b")


def read_role_assignments(user) -> list[RoleAssignment]:
    """``user.role_assignments.select_related("branch")``, in the order they were made, by one
    query whose SQL is written once (``common.rows``): every page's access check reads them."""
    assignment, branch = _assignment_columns()
    connection = read_connection(RoleAssignment)
    with connection.cursor() as cursor:
        cursor.execute(_assignments_sql(connection.alias), [user.pk])
        rows = cursor.fetchall()
    meta = RoleAssignment._meta
    branch_field, user_field = meta.get_field("branch"), meta.get_field("user")
    found = []
    for row in rows:
        role = assignment.instance(connection, row[: len(assignment)])
        values = row[len(assignment) :]
        branch_field.set_cached_value(
            role, None if values[0] is None else branch.instance(connection, values)
        )
        user_field.set_cached_value(role, user)
        found.append(role)
    return found


@cache
def _assignments_sql(connection_alias: str) -> str:
    connection = connections[connection_alias]
    assignment, branch = _assignment_columns()
    quote = connection.ops.quote_name
    r, b = quote(assignment.alias), quote(branch.alias)
    meta = RoleAssignment._meta
    return (
        f"SELECT {assignment.sql(connection)}, {branch.sql(connection)} "
        f"FROM {quote(meta.db_table)} {r} "
        f"LEFT OUTER JOIN {quote(Branch._meta.db_table)} {b} "
        f"ON {b}.{quote(Branch._meta.pk.column)} = {r}.{quote(meta.get_field('branch').column)} "
        f"WHERE {r}.{quote(meta.get_field('user').column)} = %s "
        f"ORDER BY {r}.{quote(meta.pk.column)}"
    )


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
        user = read_account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
