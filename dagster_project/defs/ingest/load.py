"""Load a resolved source into the warehouse's raw table, streaming file by file inside DuckDB."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb

from ...lib.relations import drop_relation, relation_kind
from .columns import USA_ONLY_COLUMNS
from .files import DataFile, reader_parameters, reader_sql
from .resolve import ResolvedSource

RAW_TABLE = "raw.personas"
LOAD_LOG_TABLE = "raw.source_loads"


def last_loaded_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint of the load now in the raw table, or None if there is none."""
    try:  # a table (DuckDB's load) or a view of Spark's
        row = con.execute(f"SELECT fingerprint FROM {LOAD_LOG_TABLE} ORDER BY loaded_at DESC LIMIT 1").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def raw_engine(con: duckdb.DuckDBPyConnection) -> str | None:
    """Which engine loaded the raw table: DuckDB's load is a table, Spark's a view of Spark's files (None: none)."""
    return {"table": "duckdb", "view": "spark"}.get(relation_kind(con, "raw", "personas"))


def raw_row_count(con: duckdb.DuckDBPyConnection) -> int | None:
    """Rows in the raw table, or None before the first load."""
    try:
        return con.execute(f"SELECT count(*) FROM {RAW_TABLE}").fetchone()[0]
    except duckdb.CatalogException:
        return None


def _select_with_lineage(data_file: DataFile) -> str:
    present = {name for name, _ in data_file.columns}
    missing = [f"NULL::VARCHAR AS {c}" for c in USA_ONLY_COLUMNS if c not in present]
    if data_file.format == "parquet":
        source = "read_parquet($path, file_row_number = true)"
        columns, row_index = "* EXCLUDE (file_row_number)", "file_row_number"
    else:
        # DuckDB reads JSON and CSV files in order (load_raw_personas keeps insertion order for
        # them); the window numbers rows as read.
        source, columns, row_index = reader_sql(data_file.format), "*", "row_number() OVER () - 1"
    return (
        f"SELECT {', '.join([columns, *missing])}, "
        "$spec AS _source_spec, $revision::VARCHAR AS _source_revision, $release AS _source_release, "
        f"$file AS _source_file, ({row_index})::BIGINT AS _source_row_index, "
        f"$loaded_at::TIMESTAMPTZ AS _loaded_at FROM {source}"
    )


def load_raw_personas(con: duckdb.DuckDBPyConnection, source: ResolvedSource) -> datetime:
    """Replace the raw table with the source's rows in one transaction; return the load time.

    A failure leaves the previous load in place."""
    loaded_at = datetime.now(UTC)
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for name in ("personas", "source_loads"):  # views of a Spark build's raw tables (WAREHOUSE_ENGINE=spark)
        if relation_kind(con, "raw", name) == "view":
            drop_relation(con, "raw", name)
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {LOAD_LOG_TABLE} (
            fingerprint VARCHAR, source_spec VARCHAR, source_kind VARCHAR, repo_id VARCHAR,
            revision VARCHAR, release VARCHAR, file_count INTEGER, row_count BIGINT,
            files JSON, loaded_at TIMESTAMPTZ)"""
    )
    keep_order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("BEGIN TRANSACTION")
    try:
        for position, data_file in enumerate(source.files):
            select = _select_with_lineage(data_file)
            statement = (
                f"CREATE OR REPLACE TABLE {RAW_TABLE} AS {select}"
                if position == 0
                else f"INSERT INTO {RAW_TABLE} BY NAME {select}"
            )
            con.execute(f"SET preserve_insertion_order = {data_file.format != 'parquet'}")  # see _select_with_lineage
            con.execute(
                statement,
                {
                    **reader_parameters(data_file.format, data_file.path, data_file.columns),
                    "spec": source.spec,
                    "revision": source.revision,
                    "release": source.release,
                    "file": data_file.name,
                    "loaded_at": loaded_at,
                },
            )
        con.execute(
            f"INSERT INTO {LOAD_LOG_TABLE} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            [
                source.fingerprint, source.spec, source.kind, source.repo_id, source.revision,
                source.release, len(source.files), source.rows,
                json.dumps(source.fingerprint_record()["files"]), loaded_at,
            ],
        )  # fmt: skip
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute(f"SET preserve_insertion_order = {keep_order}")
    return loaded_at
