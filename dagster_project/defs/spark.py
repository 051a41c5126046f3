"""WAREHOUSE_ENGINE=spark: what Dagster adds around dbt-spark.

dbt builds every table in Spark, as Parquet under Spark's warehouse directory (`<schema>.db/<table>/`). The
steps that follow a build in Python - the expectation suites, the quarantine policy, the census audit
report, the publish - read the build database, so each Spark table is made readable there: a DuckDB view
over its Parquet files, and for the marts, which the publish copies into the serving file, a table with the
descriptions dbt gives them. Spark runs only inside dbt processes (`dbt build`, `dbt run-operation`), one at
a time (the writer pool), because the embedded Derby metastore admits one process.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from dagster_dbt import DbtCliResource

from ..lib.relations import drop_relation, relation_kind
from ..settings import WarehouseSettings
from .transform.project import DBT_PROJECT

# Tables copied into the build database rather than viewed: what the publish reads.
COPIED_SCHEMAS = ("marts",)


def run_dbt_operation(dbt: DbtCliResource, settings: WarehouseSettings, macro: str, arguments: dict) -> None:
    """Run one of dbt_models/macros/spark.sql's operations on the Spark target."""
    with settings.exported_to_environment():
        dbt.cli(["run-operation", macro, "--args", json.dumps(arguments)], manifest=DBT_PROJECT.manifest_path).wait()


def spark_tables(settings: WarehouseSettings, schema: str) -> list[tuple[str, Path]]:
    """(table, folder) of every table Spark holds in a schema."""
    folder = settings.spark_catalog_dir / f"{schema}.db"
    if not folder.is_dir():
        return []
    return [(table.name, table) for table in sorted(folder.iterdir()) if any(table.glob("*.parquet"))]


def _descriptions() -> dict[tuple[str, str], dict]:
    """dbt's descriptions of each model and seed, by (schema, table): what persist_docs gives DuckDB's tables."""
    manifest = json.loads(DBT_PROJECT.manifest_path.read_text(encoding="utf-8"))
    return {(node["schema"], node["alias"]): node for node in manifest["nodes"].values() if "alias" in node}


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def mirror_spark_tables(con: duckdb.DuckDBPyConnection, settings: WarehouseSettings, schemas: list[str]) -> list[str]:
    """Make Spark's tables of these schemas readable in the build database; return their names."""
    descriptions = _descriptions()
    mirrored = []
    for schema in schemas:
        con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        for table, folder in spark_tables(settings, schema):
            files = _quoted(str(folder / "*.parquet"))
            target = f'"{schema}"."{table}"'
            copy = schema in COPIED_SCHEMAS
            if relation_kind(con, schema, table) != ("table" if copy else "view"):
                drop_relation(con, schema, table)
            kind = "TABLE" if copy else "VIEW"
            con.execute(f"CREATE OR REPLACE {kind} {target} AS SELECT * FROM read_parquet({files})")
            node = descriptions.get((schema, table))
            if copy and node:
                if node.get("description"):
                    con.execute(f"COMMENT ON TABLE {target} IS {_quoted(node['description'])}")
                for column, spec in node.get("columns", {}).items():
                    if spec.get("description"):
                        con.execute(f'COMMENT ON COLUMN {target}."{column}" IS {_quoted(spec["description"])}')
            mirrored.append(f"{schema}.{table}")
    return mirrored


def drop_spark_views(con: duckdb.DuckDBPyConnection, settings: WarehouseSettings, schemas: list[str]) -> list[str]:
    """Before DuckDB builds these schemas: drop the views a Spark build left there (dbt-duckdb will not
    replace a view with a seed or a table); return their names."""
    views = con.execute(
        "SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database() "
        "AND list_contains($schemas, schema_name) AND contains(sql, $catalog)",
        {"schemas": schemas, "catalog": str(settings.spark_catalog_dir)},
    ).fetchall()
    for schema, view in views:
        drop_relation(con, schema, view)
    return [f"{schema}.{view}" for schema, view in views]
