"""The same dbt project builds the same warehouse on DuckDB and on Spark (WAREHOUSE_ENGINE), row for row.

Each case builds one source on both engines with the build_warehouse job (Spark `local[*]` inside dbt's
processes) and compares every table: the published marts for whole builds, the staging tables and the
quarantine for the broken input. Floating-point values agree to FLOAT_TOLERANCE (the engines sum in
different orders); everything else exactly. Needs Java 17 (README; `.ci/run` installs it).
"""

from __future__ import annotations

import math

import dagster as dg
import duckdb

from dagster_project.definitions import defs
from tests.broken_inputs import ROW_DEFECTS, write_corpus
from tests.conftest import with_real_lists, write_table
from tests.warehouse_runs import build, failure_messages

# relative: sums of shares and logarithms over a few thousand rows, added up in another order
FLOAT_TOLERANCE = 1e-9
# each build's own load time (a build of the same files at another moment)
EXCLUDED_COLUMNS = {"_loaded_at", "loaded_at", "loaded_at_utc"}
STAGING = dg.AssetSelection.groups("reference") | dg.AssetSelection.assets(
    "raw_personas",
    ["staging", "base_nemotron__personas_validated"],
    ["staging", "stg_nemotron__personas"],
    ["staging", "stg_nemotron__personas_quarantined"],
)


def build_on(engine: str, monkeypatch, warehouse_dir, source, selection=None):
    monkeypatch.setenv("WAREHOUSE_ENGINE", engine)
    monkeypatch.setenv("WAREHOUSE_SPARK_SHUFFLE_PARTITIONS", "1")  # a few thousand rows: one task a stage
    result = build(monkeypatch, warehouse_dir, source, selection)
    assert result.success, failure_messages(result)
    return warehouse_dir


def columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind, *_ in con.sql(f"DESCRIBE {relation}").fetchall()]


def rows(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[tuple]]:
    names = [name for name, _ in columns(con, relation) if name not in EXCLUDED_COLUMNS]
    quoted = ", ".join(f'"{name}"' for name in names)
    return names, con.sql(f"SELECT {quoted} FROM {relation} ORDER BY ALL").fetchall()


def same_value(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    return left == right


def assert_same_tables(duck_file, spark_file, relations: list[str]) -> None:
    with (
        duckdb.connect(str(duck_file), read_only=True) as duck,
        duckdb.connect(str(spark_file), read_only=True) as spark,
    ):
        for relation in relations:
            assert columns(spark, relation) == columns(duck, relation), relation
            (names, duck_rows), (_, spark_rows) = rows(duck, relation), rows(spark, relation)
            assert len(spark_rows) == len(duck_rows), relation
            for duck_row, spark_row in zip(duck_rows, spark_rows, strict=True):
                differing = {
                    name: (repr(on_duckdb)[:100], repr(on_spark)[:100])
                    for name, on_duckdb, on_spark in zip(names, duck_row, spark_row, strict=True)
                    if not same_value(on_duckdb, on_spark)
                }
                assert not differing, (relation, duck_row[0], differing)


def mart_tables(serving_file) -> list[str]:
    with duckdb.connect(str(serving_file), read_only=True) as con:
        tables = con.sql("SELECT 'marts.' || table_name FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall()
    return sorted(name for (name,) in tables)


def assert_same_published_marts(duck_dir, spark_dir) -> None:
    duck_serving, spark_serving = duck_dir / "personas_serving.duckdb", spark_dir / "personas_serving.duckdb"
    tables = mart_tables(duck_serving)
    assert len(tables) >= 20 and mart_tables(spark_serving) == tables
    assert_same_tables(duck_serving, spark_serving, tables)
    with duckdb.connect(str(spark_serving), read_only=True) as con:
        assert con.sql("SELECT engine FROM meta.publish_log").fetchall() == [("spark",)]
        # the descriptions dbt gives the marts reach the serving file from Spark's build too
        assert con.sql("SELECT comment FROM duckdb_tables() WHERE table_name = 'dim_persona'").fetchone()[0]


def test_the_sample_publishes_the_same_marts_on_spark(sample_warehouse, tmp_path, monkeypatch):
    """The USA release in Parquet, lists as Python literals (with the real data's quirks)."""
    _, _, duck_dir = sample_warehouse
    spark_dir = build_on("spark", monkeypatch, tmp_path / "spark", "sample")
    assert_same_published_marts(duck_dir, spark_dir)
    # the same data, code and engine again: a no-op, as on DuckDB (only the ZIP code reference reloads)
    again = build(monkeypatch, spark_dir, "sample")
    materialized = {event.asset_key for event in again.get_asset_materialization_events()}
    assert again.success and materialized == {dg.AssetKey(["reference", "ref_zipcodes"])}


def test_the_original_release_with_real_lists_publishes_the_same_marts(tmp_path, monkeypatch, make_table):
    """The original release (no cultural_background) in JSON lines, lists as real lists."""
    source = tmp_path / "source"
    write_table(with_real_lists(make_table(600, release="original", seed=41)), source / "data" / "train.jsonl")
    duck_dir = build_on("duckdb", monkeypatch, tmp_path / "duckdb", source)
    spark_dir = build_on("spark", monkeypatch, tmp_path / "spark", source)
    assert_same_published_marts(duck_dir, spark_dir)


def test_broken_rows_are_quarantined_the_same_on_spark(tmp_path, monkeypatch, make_table):
    """Every row defect of the broken-input corpus (CSV, hostile text included): the same rows staged, the
    same rows quarantined with the same reason codes, and raw = staged + quarantined on Spark too."""
    write_corpus(tmp_path / "corpus", make_table(3 * len(ROW_DEFECTS), seed=77), make_table(5, release="original"))
    monkeypatch.setenv("QUARANTINE_MAX_SHARE", "1")
    monkeypatch.setenv("QUARANTINE_BLOCKING_REASONS", "")
    selection = sorted(STAGING.resolve(defs.resolve_asset_graph()))
    built = {
        engine: build_on(engine, monkeypatch, tmp_path / engine, tmp_path / "corpus" / "row_defects", selection)
        for engine in ["duckdb", "spark"]
    }
    relations = ["staging.stg_nemotron__personas", "staging.stg_nemotron__personas_quarantined"]
    assert_same_tables(built["duckdb"] / "personas.duckdb", built["spark"] / "personas.duckdb", relations)
    with duckdb.connect(str(built["spark"] / "personas.duckdb"), read_only=True) as con:
        raw, staged, quarantined = (
            con.sql(f"SELECT count(*) FROM {relation}").fetchone()[0] for relation in ["raw.personas", *relations]
        )
        assert quarantined >= 20 and raw == staged + quarantined
