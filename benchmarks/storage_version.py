"""What writing the serving file in an older DuckDB storage format costs: the marts of a build database
copied into a new file in each format, as a publish copies them; size and time of each.

    python benchmarks/storage_version.py warehouse/personas.duckdb [--runs 3]
"""

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.defs.publish.versions import PUBLIC_SCHEMA

FORMATS = ("v1.4.0", "v1.5.0")


def copy_marts(build: Path, target: Path, storage_version: str) -> float:
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{build}' AS build (READ_ONLY)")
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = $schema",
            {"schema": PUBLIC_SCHEMA},
        ).fetchall()
        started = time.perf_counter()
        con.execute(f"ATTACH '{target}' AS serving (STORAGE_VERSION '{storage_version}')")
        con.execute(f"CREATE SCHEMA serving.{PUBLIC_SCHEMA}")
        for (table,) in tables:
            con.execute(f'CREATE TABLE serving.{PUBLIC_SCHEMA}."{table}" AS FROM build.{PUBLIC_SCHEMA}."{table}"')
        con.execute("DETACH serving")
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build_database", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for storage_version in FORMATS:
            times = []
            for run in range(args.runs):
                target = Path(folder) / f"serving-{storage_version}-{run}.duckdb"
                times.append(copy_marts(args.build_database.resolve(), target, storage_version))
            size_mb = target.stat().st_size / 1e6
            print(f"{storage_version}: {size_mb:.1f} MB, " + ", ".join(f"{t:.2f} s" for t in times))


if __name__ == "__main__":
    main()
