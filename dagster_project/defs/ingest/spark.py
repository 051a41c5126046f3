"""Ingest on Spark (WAREHOUSE_ENGINE=spark): the arguments of the dbt operation spark_load_raw_personas
(dbt_models/macros/spark.sql), which has Spark read each source file where it lies."""

from __future__ import annotations

import json
from datetime import datetime

from .columns import USA_ONLY_COLUMNS
from .resolve import ResolvedSource

# The Spark type of each DuckDB type a checked source column can have (files.py checks them); Spark reads
# each file with its checked types, so both engines load the same values.
SPARK_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "bigint",
    "INTEGER": "int",
    "SMALLINT": "smallint",
    "TINYINT": "tinyint",
    "DOUBLE": "double",
    "FLOAT": "float",
    "BOOLEAN": "boolean",
    "VARCHAR[]": "array<string>",
}


def spark_type(duckdb_type: str) -> str:
    return SPARK_TYPES.get(duckdb_type, "string")


def spark_load_arguments(source: ResolvedSource, loaded_at: datetime) -> dict:
    """What spark_load_raw_personas needs: every file with its checked columns, and the load-log row."""
    present = {name for name, _ in source.files[0].columns}
    stamp = loaded_at.isoformat(sep=" ")
    return {
        "files": [
            {
                "path": str(data_file.path),
                "name": data_file.name,
                "format": data_file.format,
                "columns": [[name, spark_type(data_type)] for name, data_type in data_file.columns],
            }
            for data_file in source.files
        ],
        "missing_columns": [name for name in USA_ONLY_COLUMNS if name not in present],
        "load": {
            "fingerprint": source.fingerprint,
            "source_spec": source.spec,
            "source_kind": source.kind,
            "repo_id": source.repo_id,
            "revision": source.revision,
            "release": source.release,
            "file_count": len(source.files),
            "row_count": source.rows,
            "files": json.dumps(source.fingerprint_record()["files"]),
            "loaded_at": stamp,
        },
    }
