"""Python functions that dbt's DuckDB connections can call from SQL (a dbt-duckdb plugin).

Registered by `dbt_models/profiles.yml` (`plugins: - module: dagster_project.lib.duckdb_functions`).
Only materialized tables call them, so BI tools opening the warehouse never need them.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin

from ..settings import WarehouseSettings
from ..sources.list_literal import ListLiteralError, normalize_item_key, parse_list_literal


def parse_python_lists(texts: pa.Array) -> pa.Array:
    """Vectorised: each Python list literal → list of items; NULL when it does not parse."""
    parsed = []
    for text in texts.to_pylist():
        try:
            parsed.append(None if text is None else parse_list_literal(text))
        except ListLiteralError:
            parsed.append(None)
    return pa.array(parsed, pa.list_(pa.string()))


def normalize_item_keys(items: pa.Array) -> pa.Array:
    return pa.array([None if i is None else normalize_item_key(i) for i in items.to_pylist()], pa.string())


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    common = {"type": "arrow", "null_handling": "special", "side_effects": False}
    con.create_function("parse_python_list", parse_python_lists, ["VARCHAR"], "VARCHAR[]", **common)
    con.create_function("normalize_item_key", normalize_item_keys, ["VARCHAR"], "VARCHAR", **common)


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register_functions(conn)
        # The same memory and spill limits as the Dagster steps' connections (WarehouseSettings).
        for name, value in WarehouseSettings.from_env().duckdb_config().items():
            conn.execute(f"SET {name} = $value", {"value": value})
