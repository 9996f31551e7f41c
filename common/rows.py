"""Model rows read by SQL written once, for the two reads every signed-in request makes.

Every request of a signed-in account reads its session and its account. Through the ORM each read
built its SQL again (``Query`` cloned, compiled, columns quoted) and cost more CPU than the rest of
a cached page together: in process on PostgreSQL, 0.40 ms for the session and 0.76 ms for the
account with its person record, against 0.08 ms for the same account read by SQL written once
(docs/performance.md, "the signed-in request"). :class:`Columns` writes a model's column list once
and turns a row back into an instance the way the ORM does: the database backend's converters and
the fields' own (SQLite returns dates as text), then ``Model.from_db``.

Only for reads by primary or unique key whose SQL is fixed; everything else goes through the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router


class Columns:
    """The concrete columns of ``model`` under a table alias, and the instance made from them."""

    def __init__(self, model, alias: str):
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self._converters: dict[str, list] = {}
        self._sql: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self, connection) -> str:
        """``alias."column", …`` in the model's field order (written once per connection)."""
        found = self._sql.get(connection.alias)
        if found is None:
            quote = connection.ops.quote_name
            found = ", ".join(f"{quote(self.alias)}.{quote(field.column)}" for field in self.fields)
            self._sql[connection.alias] = found
        return found

    def converters(self, connection) -> list[tuple[list, object]]:
        """Per column, the functions the ORM applies to a value read from ``connection``, and
        the column expression they are given (as ``SQLCompiler.get_converters`` makes them)."""
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for field in self.fields:
                column = field.get_col(self.alias)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                found.append((functions, column))
            self._converters[connection.alias] = found
        return found

    def instance(self, connection, values: Sequence):
        """The model instance of one row's values (those of these columns, in their order)."""
        converted = list(values)
        for position, (functions, column) in enumerate(self.converters(connection)):
            for function in functions:
                converted[position] = function(converted[position], column, connection)
        return self.model.from_db(connection.alias, self.attnames, converted)


def read_connection(model):
    """The connection the database router gives ``model``'s reads."""
    return connections[router.db_for_read(model)]
