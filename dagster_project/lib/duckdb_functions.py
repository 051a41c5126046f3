"""Python functions that dbt's DuckDB connections can call from SQL (a dbt-duckdb plugin).

Registered by `dbt_models/profiles.yml` (`plugins: - module: dagster_project.lib.duckdb_functions`).
Only materialized tables call them, so BI tools opening the warehouse never need them.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin

from ..settings import WarehouseSettings
from .list_literal import ListLiteralError, normalize_item_key, parse_list_literal


def parse_python_lists(texts: pa.Array) -> pa.Array:
    """Vectorised: each Python list literal → list of items; NULL when it does not parse."""
    parsed = []
    for text in texts.to_pylist():
        try:
            parsed.append(None if text is None else parse_list_literal(text))
        except ListLiteralError:
            parsed.append(None)
    return pa.array(parsed, pa.list_(pa.string()))


# A Python list literal DuckDB can split on its own: quoted items without backslashes or line breaks,
# separated by commas, with an optional trailing comma. Anything else (escapes, adjacent literals
# that Python joins, the nested list, non-string items, invalid text) goes to parse_python_list,
# so both paths give exactly what ast.literal_eval gives.
QUOTED_ITEM = "'[^'\\\\\\n\\r]*'|\"[^\"\\\\\\n\\r]*\""
SIMPLE_LIST = rf"\s*\[\s*(?:(?:{QUOTED_ITEM})(?:\s*,\s*(?:{QUOTED_ITEM}))*\s*,?)?\s*\]\s*"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Not a TEMP macro: dbt's threads use cursors, which do not see their parent connection's temp objects.
# It lives in the build database only; the serving file holds tables alone.
PARSE_LIST_LITERAL_MACRO = f"""
CREATE OR REPLACE MACRO parse_list_literal(text) AS
    CASE
        WHEN regexp_full_match(text, {_sql_string(SIMPLE_LIST)})
            THEN list_transform(regexp_extract_all(text, {_sql_string(QUOTED_ITEM)}), item -> item[2:-2])
        ELSE parse_python_list(text)
    END
"""


def normalize_item_keys(items: pa.Array) -> pa.Array:
    return pa.array([None if i is None else normalize_item_key(i) for i in items.to_pylist()], pa.string())


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    common = {"type": "arrow", "null_handling": "special", "side_effects": False}
    # Idempotent: some callers (sqlfluff's dbt templater) configure the same connection twice.
    registered = {row[0] for row in con.execute("SELECT function_name FROM duckdb_functions()").fetchall()}
    if "parse_python_list" not in registered:
        con.create_function("parse_python_list", parse_python_lists, ["VARCHAR"], "VARCHAR[]", **common)
    if "normalize_item_key" not in registered:
        con.create_function("normalize_item_key", normalize_item_keys, ["VARCHAR"], "VARCHAR", **common)
    con.execute(PARSE_LIST_LITERAL_MACRO)


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register_functions(conn)
        # The same memory and spill limits as the Dagster steps' connections (WarehouseSettings).
        for name, value in WarehouseSettings.from_env().duckdb_config().items():
            conn.execute(f"SET {name} = $value", {"value": value})
