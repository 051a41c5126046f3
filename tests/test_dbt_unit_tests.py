"""dbt's unit tests (the SQL of the trickiest models against hand-made rows), run against a copy of the
sample build: they test the code, so the pipeline's own `dbt build` leaves them out."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_project.settings import DBT_PROJECT_DIR, PROJECT_ROOT


def test_dbt_unit_tests_pass(sample_warehouse, tmp_path):
    _, _, warehouse_dir = sample_warehouse
    build = tmp_path / "personas.duckdb"
    shutil.copyfile(warehouse_dir / "personas.duckdb", build)  # the fixture holds the original open
    env = {**os.environ, "WAREHOUSE_DUCKDB_PATH": str(build), "WAREHOUSE_TEMP_DIR": str(tmp_path / "tmp"),
           "PYTHONPATH": str(PROJECT_ROOT), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}  # fmt: skip
    dbt = Path(sys.executable).parent / "dbt"
    done = subprocess.run(
        [dbt, "test", "--select", "test_type:unit", "--profiles-dir", DBT_PROJECT_DIR,
         "--target-path", tmp_path / "target", "--log-path", tmp_path / "logs"],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:]
    assert "PASS=6 " in done.stdout  # every unit test ran
