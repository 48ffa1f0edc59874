"""Insert many rows at once: PostgreSQL's COPY where available, ``bulk_create`` elsewhere.

Finalizing a national period stores 3,300 result rows carrying ~30 MB of JSON. Django's
``bulk_create`` on PostgreSQL sends them as arrays (``INSERT … SELECT * FROM UNNEST(…)``),
which psycopg quotes element by element on the client; that took more than half of the whole
finalization (``bench/RESULTS.md``). ``COPY … FROM STDIN`` streams the same values in
PostgreSQL's own row format. Each value is still prepared by its model field
(``pre_save`` for ``auto_now_add``, ``get_db_prep_save`` for JSON and decimals), so the rows
stored are the same as ``bulk_create``'s. Primary keys are not read back.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def insert_rows(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Store ``objs`` (new instances of ``model``) inside the caller's transaction."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    # wrap_database_errors: a failed COPY raises Django's IntegrityError etc., as bulk_create
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for obj in objs:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
