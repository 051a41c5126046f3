"""Faults that really happen to a warehouse: spill space running out, a run killed during ingest, and a
Hub token that must never be written anywhere. Each time the published data stays as it was."""

import os
import shutil
import signal
import threading
import time

import duckdb
import pytest

from dagster_project.settings import DBT_PROJECT_DIR
from tests.conftest import SAMPLE_ROWS, write_table
from tests.hub_server import FakeHub, FakeHubDataset
from tests.warehouse_runs import build, cli_build, failure_messages, serving_state


@pytest.fixture(scope="module")
def published_once(tmp_path_factory):
    """A warehouse built and published from the five real rows, copied by each test that changes it."""
    # A folder name with quotes and SQL in it: every path from configuration must be quoted or passed as a value.
    warehouse_dir = tmp_path_factory.mktemp("published") / 'it\'s "the" wh; DROP SCHEMA marts'
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert build(monkeypatch, warehouse_dir, "sample:real").success
    return warehouse_dir


@pytest.fixture
def warehouse_dir(published_once, tmp_path):
    copy = tmp_path / published_once.name
    shutil.copytree(published_once, copy, symlinks=True)
    return copy


def test_running_out_of_spill_space_fails_clearly_and_the_next_run_succeeds(warehouse_dir, monkeypatch):
    published = serving_state(warehouse_dir)
    # 40 MB of memory and 1 MB of temp directory: the sample's rows cannot be built in that.
    monkeypatch.setenv("WAREHOUSE_MEMORY_LIMIT", "40MB")
    monkeypatch.setenv("WAREHOUSE_MAX_TEMP_SIZE", "1MB")
    full = build(monkeypatch, warehouse_dir, "sample")
    assert not full.success
    ((_, message),) = failure_messages(full)
    assert "OutOfSpaceError: DuckDB ran out of memory and spill space building" in message
    assert "max_temp_directory_size" in message or "offload" in message  # DuckDB's own reason, quoted
    assert "WAREHOUSE_MEMORY_LIMIT=40MB" in message and "WAREHOUSE_MAX_TEMP_SIZE=1MB" in message
    assert "Nothing was published" in message
    assert serving_state(warehouse_dir) == published

    monkeypatch.delenv("WAREHOUSE_MEMORY_LIMIT")
    monkeypatch.delenv("WAREHOUSE_MAX_TEMP_SIZE")
    assert build(monkeypatch, warehouse_dir, "sample").success
    assert serving_state(warehouse_dir)[1] == SAMPLE_ROWS


def test_a_run_killed_during_ingest_loses_nothing(warehouse_dir, tmp_path, make_table):
    published = serving_state(warehouse_dir)
    database = warehouse_dir / "personas.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        loaded_before = con.sql("SELECT count(*), max(_loaded_at) FROM raw.personas").fetchone()
    # Big enough that the load takes a while: the kill lands while DuckDB writes the new raw table.
    write_table(make_table(20_000, seed=5), tmp_path / "big" / "data" / "train-00000-of-00001.parquet")
    sizes_before = {p.name: p.stat().st_size for p in warehouse_dir.glob("personas.duckdb*")}

    run = cli_build(warehouse_dir, tmp_path / "big", start_new_session=True)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(run.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        started = any('Started execution of step "raw_personas"' in line for line in output)
        sizes = {p.name: p.stat().st_size for p in warehouse_dir.glob("personas.duckdb*")}
        if started and sizes != sizes_before:  # the load is writing the build database
            os.killpg(run.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    run.wait(timeout=60)
    reader.join(timeout=10)
    assert run.returncode == -signal.SIGKILL
    assert not any('Finished execution of step "raw_personas"' in line for line in output)

    assert serving_state(warehouse_dir) == published
    with duckdb.connect(str(database), read_only=True) as con:  # the half-done load was rolled back
        assert con.sql("SELECT count(*), max(_loaded_at) FROM raw.personas").fetchone() == loaded_before

    again = cli_build(warehouse_dir, tmp_path / "big")
    assert again.communicate(timeout=600) and again.returncode == 0
    assert serving_state(warehouse_dir)[1] == 20_000


TOKEN = "hf_NeverWriteMe_4f1c9a2b7d"


def files_containing(root, needle: bytes) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and not p.is_symlink() and needle in p.read_bytes()]


def duckdb_values_containing(path, needle: str) -> list[str]:
    """Text columns of every table holding the token (DuckDB compresses strings, so bytes alone prove little)."""
    found = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.sql(
            "SELECT database_name, schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE data_type LIKE 'VARCHAR%' OR data_type = 'JSON'"
        ).fetchall()
        for database, schema, table, column in columns:
            name = f'"{database}"."{schema}"."{table}"'
            hits = con.execute(
                f'SELECT count(*) FROM {name} WHERE CAST("{column}" AS VARCHAR) LIKE $n', {"n": f"%{needle}%"}
            )
            if hits.fetchone()[0]:
                found.append(f"{name}.{column}")
    return found


def test_the_hub_token_is_never_written_anywhere(tmp_path, make_table):
    repo, commit = "nvidia/Nemotron-Personas-USA", "5b4cd35ab46490c1da1bd2b5a2324d6f871be180"
    write_table(make_table(40), tmp_path / "repo" / "data" / "train-00000-of-00001.parquet")
    dataset = FakeHubDataset(repo_id=repo, commit=commit, root=tmp_path / "repo")
    dagster_home, warehouse_dir, cache = tmp_path / "dagster_home", tmp_path / "wh", tmp_path / "hf_cache"
    dagster_home.mkdir()
    started = time.time()
    with FakeHub(dataset) as hub:
        env = {"HF_TOKEN": TOKEN, "HF_ENDPOINT": hub.endpoint, "HF_HUB_CACHE": str(cache),
               "DAGSTER_HOME": str(dagster_home)}  # fmt: skip
        run = cli_build(warehouse_dir, f"hf://{repo}@{commit}", extra_env=env)
        output = run.communicate(timeout=600)[0]
    assert run.returncode == 0, output[-3000:]
    assert set(dataset.authorization_headers) == {f"Bearer {TOKEN}"}  # the token was used ...

    assert TOKEN not in output  # ... but is not in the run's logs,
    # nor in the instance (run config, event log, asset metadata, compute logs), the warehouse's
    # files, the download cache, or what dbt wrote during the run,
    dbt_written = [p for p in DBT_PROJECT_DIR.rglob("*") if p.is_file() and p.stat().st_mtime >= started]
    for root in [dagster_home, warehouse_dir, cache]:
        assert files_containing(root, TOKEN.encode()) == []
    assert dbt_written and [str(p) for p in dbt_written if TOKEN.encode() in p.read_bytes()] == []
    # nor in any table of the build database or the serving file,
    for database in ["personas.duckdb", "personas_serving.duckdb"]:
        assert duckdb_values_containing(warehouse_dir / database, TOKEN) == []
    # where the same searches do find what was stored next to it: the repository and its commit.
    assert files_containing(dagster_home, commit.encode())
    assert '"raw"."source_loads".repo_id' in " ".join(duckdb_values_containing(warehouse_dir / "personas.duckdb", repo))
