"""Shared fixtures: small source folders in every format the loader accepts."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from dagster_project.defs.ingest.columns import LIST_COLUMNS
from dagster_project.lib.list_literal import parse_list_literal
from dagster_project.settings import SAMPLES_DIR
from persona_generator.census import load_census_reference
from persona_generator.personas import generate_shard, load_vocabularies

REAL_ROWS_DIR = SAMPLES_DIR / "real_rows"
# how many personas the bundled sample holds, read from its files (the generator decides)
SAMPLE_ROWS = sum(pq.read_metadata(f).num_rows for f in (SAMPLES_DIR / "generated").rglob("*.parquet"))


def pytest_configure(config):
    """dbt's manifest, before any test module imports the definitions built from it."""
    from dagster_project.defs.transform.project import prepare_dbt_manifest

    prepare_dbt_manifest()


@pytest.fixture(scope="session")
def census_and_vocab():
    reference = load_census_reference()
    return reference, load_vocabularies(reference.states)


@pytest.fixture(scope="session")
def make_table(census_and_vocab):
    """Generated personas as an Arrow table, in either release format."""
    reference, vocab = census_and_vocab

    def make(rows: int = 40, release: str = "usa", seed: int = 3, shard: int = 0) -> pa.Table:
        return generate_shard(seed, shard, rows, 1000, release, reference, vocab)

    return make


def with_real_lists(table: pa.Table) -> pa.Table:
    """The same rows with the two list columns as list<string>, as the datasets library gives them."""
    for name in LIST_COLUMNS:
        parsed = pa.array([parse_list_literal(v) for v in table[name].to_pylist()], pa.list_(pa.string()))
        table = table.set_column(table.schema.get_field_index(name), name, parsed)
    return table


def write_table(table: pa.Table, path: Path) -> Path:
    """Write a table as .parquet, .jsonl (one object per line), .json (an array) or .csv."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    elif path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in table.to_pylist()), encoding="utf-8")
    elif path.suffix == ".json":
        path.write_text(json.dumps(table.to_pylist(), ensure_ascii=False), encoding="utf-8")
    elif path.suffix == ".csv":
        pacsv.write_csv(table, path)
    else:
        raise ValueError(path)
    return path


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory):
    """The whole warehouse built once from the default sample: (run result, read-only connection, folder)."""
    from tests.warehouse_runs import build

    with pytest.MonkeyPatch.context() as monkeypatch:
        warehouse_dir = tmp_path_factory.mktemp("warehouse")
        result = build(monkeypatch, warehouse_dir, "sample")
        assert result.success
        con = duckdb.connect(str(warehouse_dir / "personas.duckdb"), read_only=True)
        yield result, con, warehouse_dir
        con.close()
