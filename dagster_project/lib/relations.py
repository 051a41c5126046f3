"""Tables and views of the build database, whichever engine made them: DuckDB builds tables, a Spark build
leaves views of Spark's files (dagster_project/defs/spark.py), and a switch of engine meets the other kind."""

from __future__ import annotations

import duckdb


def relation_kind(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> str | None:
    """'table', 'view', or None when the build database has no such relation."""
    row = con.execute(
        "SELECT 'table' FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $s "
        "AND table_name = $n UNION ALL SELECT 'view' FROM duckdb_views() WHERE database_name = current_database() "
        "AND schema_name = $s AND view_name = $n",
        {"s": schema, "n": name},
    ).fetchone()
    return row[0] if row else None


def drop_relation(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    """Drop a table or a view, whichever it is."""
    kind = relation_kind(con, schema, name)
    if kind:
        con.execute(f'DROP {kind.upper()} "{schema}"."{name}"')
