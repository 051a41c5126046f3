"""The dbt project, its manifest and the dbt resource: what the dbt assets are defined from."""

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from ...settings import DBT_PROJECT_DIR

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_resource() -> DbtCliResource:
    # dbt from PATH, else the one beside this interpreter (`.venv/bin/dagster` runs without an activated venv).
    return DbtCliResource(
        project_dir=DBT_PROJECT, dbt_executable=shutil.which("dbt") or str(Path(sys.executable).parent / "dbt")
    )


def prepare_dbt_manifest() -> None:
    """Parse the dbt project into target/manifest.json, which the dbt assets are defined from."""
    dbt_resource().cli(["parse", "--quiet"], target_path=DBT_PROJECT.target_path).wait()
