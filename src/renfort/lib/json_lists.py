"""A JSON list column that holds a given string, as SQL that SQLite and PostgreSQL both run.

Django's ``contains`` lookup on a ``JSONField`` is not supported on SQLite, and the list
columns of this project (an expert's categories and languages) are filtered on both
databases: ``Expert.objects.filter(JSONListHas(F("languages"), "fr"))``.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class JSONListHas(Lookup):
    """True when the JSON list on the left holds the string on the right."""

    lookup_name = "json_list_has"
    prepare_rhs = False

    def _sides(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, [*lhs_params, *rhs_params]

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        # SQLite: one row per element of the list.
        lhs, rhs, params = self._sides(compiler, connection)
        return f"EXISTS (SELECT 1 FROM json_each({lhs}) AS item WHERE item.value = {rhs})", params

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, Any]:
        # jsonb ``?``: the string is an element of the array.
        lhs, rhs, params = self._sides(compiler, connection)
        return f"({lhs} ? {rhs})", params
