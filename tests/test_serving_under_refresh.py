"""BI readers and refreshes at once: readers never fail or see a mix, and a killed publish harms nothing.

Readers are separate processes, as BI tools are (within one process DuckDB shares an open file).
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import write_table
from tests.warehouse_runs import build, cli_build, serving_state

READER = Path(__file__).with_name("serving_reader.py")
READERS = {
    "superset_route": ["--route", "sqlalchemy"],
    "sqlalchemy_held": ["--route", "sqlalchemy", "--hold"],
    "duckdb_client": ["--route", "duckdb"],
    "duckdb_held": ["--route", "duckdb", "--hold"],
}


@pytest.fixture(scope="module")
def sources(tmp_path_factory, make_table):
    """Two different small sources, so that consecutive refreshes publish different row counts."""
    root = tmp_path_factory.mktemp("sources")
    for name, rows, seed in [("a", 240, 31), ("b", 160, 32)]:
        write_table(make_table(rows, seed=seed), root / name / "data" / "train-00000-of-00001.parquet")
    return root / "a", root / "b"


@pytest.fixture(scope="module")
def published(tmp_path_factory, sources):
    warehouse_dir = tmp_path_factory.mktemp("warehouse")
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert build(monkeypatch, warehouse_dir, sources[0]).success
    return warehouse_dir


def test_readers_keep_querying_through_refresh_and_publish_cycles(published, sources, monkeypatch, tmp_path):
    serving = published / "personas_serving.duckdb"
    stop = tmp_path / "stop"
    readers = {
        name: subprocess.Popen([sys.executable, str(READER), str(serving), str(stop), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, args in READERS.items()
    }  # fmt: skip
    time.sleep(2)  # let every reader connect and query the first version
    cycles = [sources[1], sources[0], sources[1]]
    outcomes = [build(monkeypatch, published, source).success for source in cycles]
    time.sleep(1)
    stop.touch()
    reports = {name: json.loads(reader.communicate(timeout=60)[0]) for name, reader in readers.items()}

    assert outcomes == [True, True, True]  # zero refresh failures
    for name, report in reports.items():
        assert report["errors"] == [], name
        assert report["mixed"] == [], name  # every answer was one complete version
        assert report["queries"] > 20, name
    for name in ["superset_route", "duckdb_client"]:  # a new connection sees each publish
        assert set(reports[name]["versions"].values()) == {240, 160}, name
        assert len(reports[name]["versions"]) == 4, name
    for name in ["sqlalchemy_held", "duckdb_held"]:  # a held connection keeps the version it opened
        assert list(reports[name]["versions"].values()) == [240], name
    assert serving_state(published)[1] == 160


def test_a_publish_killed_half_way_leaves_the_serving_file_intact(published, sources):
    before = serving_state(published)
    versions = published / "published"
    kept = sorted(versions.glob("personas-*.duckdb"))
    run = cli_build(published, sources[0], start_new_session=True)
    for line in run.stdout:
        if 'Started execution of step "published_warehouse"' in line:
            break
    while not list(versions.glob(".personas-*.partial")) and run.poll() is None:
        time.sleep(0.001)
    os.killpg(run.pid, signal.SIGKILL)  # the new version's file is being written
    run.communicate(timeout=60)
    assert run.returncode == -signal.SIGKILL
    assert serving_state(published) == before
    assert sorted(versions.glob("personas-*.duckdb")) == kept

    again = cli_build(published, sources[0])
    assert again.communicate(timeout=600) and again.returncode == 0
    assert serving_state(published)[1] == 240
    assert list(versions.glob(".personas-*")) == []  # the killed publish's leftovers are gone
    exported = {p.name for p in (published / "exports").iterdir()}
    assert exported == {p.stem.removeprefix("personas-") for p in versions.glob("*.duckdb")} | {"current"}


HOLD_READ_WRITE = """
import duckdb, sys
con = duckdb.connect(sys.argv[1])  # read-write, as DBeaver connects unless told otherwise
print(con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0], flush=True)
sys.stdin.readline()
print(con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0], flush=True)
"""


def test_a_read_write_holder_of_the_serving_file_never_stops_a_build_or_a_publish(published, sources, monkeypatch):
    serving = published / "personas_serving.duckdb"
    before = serving_state(published)[1]
    holder = subprocess.Popen([sys.executable, "-c", HOLD_READ_WRITE, str(serving)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert int(holder.stdout.readline()) == before
        other = sources[1] if before == 240 else sources[0]
        assert build(monkeypatch, published, other).success  # ingest, dbt, checks and the publish
        after = serving_state(published)[1]  # a new process opens the new version
        assert after != before
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert int(holder.stdout.readline()) == before  # the holder keeps the version it opened
    finally:
        holder.kill()
        holder.wait()


LONG_LIVED = """
import duckdb, sys
count = lambda con: con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0]
first = duckdb.connect(sys.argv[1], read_only=True)
print(count(first), flush=True)
sys.stdin.readline()  # a publish happened
second = duckdb.connect(sys.argv[1], read_only=True)  # a new connection while the first is open
print(count(second), flush=True)
first.close(); second.close()  # every connection of the process closed (pooling off)
third = duckdb.connect(sys.argv[1], read_only=True)
print(count(third), flush=True)
"""


def test_a_long_lived_process_sees_a_new_version_once_all_its_connections_closed(published, sources, monkeypatch):
    """What warehouse/README.md tells Superset, Metabase and notebook users: DuckDB shares one open file per
    path within a process, so a server sees a publish after it has closed every connection to the file."""
    serving = published / "personas_serving.duckdb"
    server = subprocess.Popen([sys.executable, "-c", LONG_LIVED, str(serving)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        before = int(server.stdout.readline())
        assert build(monkeypatch, published, sources[1] if before == 240 else sources[0]).success
        after = serving_state(published)[1]
        server.stdin.write("\n")
        server.stdin.flush()
        assert int(server.stdout.readline()) == before  # a pooled or still-open connection pins the old version
        assert int(server.stdout.readline()) == after  # all closed: the next connection opens the new file
    finally:
        server.kill()
        server.wait()
