"""Running the whole warehouse from tests: in-process through Dagster, or as the README's CLI command."""

import hashlib
import json
import os
import subprocess
import sys

import dagster as dg
import duckdb

from dagster_project.definitions import defs
from dagster_project.defs.transform.project import DBT_PROJECT


def build(monkeypatch, warehouse_dir, source, selection=None):
    """The build_warehouse job in this process, into warehouse_dir."""
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse_dir))
    monkeypatch.setenv("PERSONAS_SOURCE", str(source))
    monkeypatch.delenv("WAREHOUSE_DUCKDB_PATH", raising=False)
    job = defs.resolve_job_def("build_warehouse")
    return job.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, asset_selection=selection
    )


def failure_messages(result) -> list[tuple[str, str]]:
    """(step, error with its causes as the UI shows it) for each failed step of an in-process run."""
    return [(e.step_key, e.step_failure_data.error.to_string()) for e in result.all_events if e.is_step_failure]


def cli_build(warehouse_dir, source, extra_env=None, verbose=True, **popen) -> subprocess.Popen:
    """The README's main command in a new process, output merged into stdout; verbose: Dagster's whole log
    (which the fault tests watch for a step to start), else what a user sees."""
    env = {**os.environ, "WAREHOUSE_DIR": str(warehouse_dir), "PERSONAS_SOURCE": str(source), **(extra_env or {})}
    env.pop("WAREHOUSE_DUCKDB_PATH", None)
    warehouse_dir.mkdir(parents=True, exist_ok=True)  # also the cwd: the command must not depend on it
    command = [sys.executable, "-m", "dagster_project.build", *(["--verbose"] if verbose else [])]
    return subprocess.Popen(
        command, cwd=warehouse_dir, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen,
    )  # fmt: skip


def serving_state(warehouse_dir) -> tuple[str, int]:
    """The serving file's sha256 and its persona count (which also proves it still opens)."""
    serving = warehouse_dir / "personas_serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.sql("SELECT count(*) FROM marts.dim_persona").fetchone()[0]
    return hashlib.sha256(serving.read_bytes()).hexdigest(), rows


def fake_dim_persona(con: duckdb.DuckDBPyConnection, personas: int) -> None:
    """marts.dim_persona with the columns its dbt contract declares and `personas` rows (ids 0, 1, ...; every
    other column NULL): enough for a publish without a build, which creates the analysts' SQL over it."""
    # the contract as dbt parsed it for the DuckDB target (the list type is Jinja in the YAML)
    manifest = json.loads(DBT_PROJECT.manifest_path.read_text(encoding="utf-8"))
    model = next(n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["name"] == "dim_persona")
    select = ", ".join(
        "range::VARCHAR AS persona_id" if name == "persona_id" else f"NULL::{column['data_type']} AS {name}"
        for name, column in model["columns"].items()
    )
    con.execute(f"CREATE SCHEMA IF NOT EXISTS marts; CREATE OR REPLACE TABLE marts.dim_persona AS SELECT {select} "
                f"FROM range({personas})")  # fmt: skip
