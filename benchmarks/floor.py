"""Run the DuckDB floor (duckdb_floor.sql) in this process: python benchmarks/floor.py SOURCE_GLOB DATABASE

Same DuckDB settings as the warehouse's connections, and the project's list parser and item-key
function registered, exactly as dbt's connections have them."""

import sys
from pathlib import Path

import duckdb

from dagster_project.lib.duckdb_functions import register_functions
from dagster_project.settings import WarehouseSettings


def main(source: str, database: str) -> None:
    settings = WarehouseSettings.from_env()
    settings.duckdb_temp_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(database, config=settings.duckdb_config())
    register_functions(con)
    con.execute("SET VARIABLE source = $source", {"source": source})
    con.execute((Path(__file__).parent / "duckdb_floor.sql").read_text(encoding="utf-8"))
    con.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
