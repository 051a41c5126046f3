"""A build database held by another process: steps wait with backoff, then fail saying what to do."""

import subprocess
import sys
import time

import duckdb
import pytest

from dagster_project.defs.resources import BuildDatabaseLockedError, connect_with_backoff
from dagster_project.settings import WarehouseSettings
from tests.warehouse_runs import build

HOLD = (
    "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True);"
    "time.sleep(float(sys.argv[2]))"
)


def hold_lock(path, seconds: float) -> subprocess.Popen:
    """Another process writing the database (a stray run, or a tool opened read-write on it)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_step_waits_for_a_lock_that_is_released(tmp_path):
    path = tmp_path / "build.duckdb"
    duckdb.connect(str(path)).close()
    holder = hold_lock(path, 2)
    started = time.monotonic()
    con = connect_with_backoff(WarehouseSettings(duckdb_path=path, lock_timeout_seconds=60))
    con.close()
    assert 1 <= time.monotonic() - started < 30
    holder.wait()


def test_a_lock_that_stays_fails_naming_the_holder(tmp_path):
    path = tmp_path / "build.duckdb"
    duckdb.connect(str(path)).close()
    holder = hold_lock(path, 600)
    try:
        with pytest.raises(BuildDatabaseLockedError) as error:
            connect_with_backoff(WarehouseSettings(duckdb_path=path, lock_timeout_seconds=2))
        assert f"{path} is locked by another process" in str(error.value)
        assert f"PID {holder.pid}" in str(error.value)
    finally:
        holder.kill()


def test_a_run_against_a_locked_build_database_fails_clearly_and_the_next_one_succeeds(tmp_path, monkeypatch):
    path = tmp_path / "personas.duckdb"
    duckdb.connect(str(path)).close()
    monkeypatch.setenv("WAREHOUSE_LOCK_TIMEOUT_SECONDS", "2")
    holder = hold_lock(path, 600)
    try:
        result = build(monkeypatch, tmp_path, "sample:real")
    finally:
        holder.kill()
        holder.wait()
    assert not result.success
    failures = [e for e in result.all_events if e.is_step_failure]
    assert [f.step_key for f in failures] == ["raw_personas", "reference__ref_zipcodes"]  # nothing else started
    for failure in failures:
        message = str(failure.event_specific_data.error)
        assert "is locked by another process (" in message and f"(PID {holder.pid})); waited 2 s" in message
    assert not (tmp_path / "personas_serving.duckdb").exists()

    assert build(monkeypatch, tmp_path, "sample:real").success
