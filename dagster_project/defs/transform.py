"""Transform: the dbt project as Dagster assets, its tests as asset checks.

Two dbt invocations, so that the blocking expectation suite on the staging
table runs between them and can stop the marts:
  dbt_staging  - Census seeds and stg_nemotron__personas
  dbt_marts    - intermediate models, dimensions, bridges and marts
"""

import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from ..settings import DBT_PROJECT_DIR, WarehouseSettings
from .resources import DUCKDB_WRITER_POOL, LOCK_CONFLICT, OutOfSpaceError, is_out_of_space, out_of_space_message

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# The dbt installed next to this interpreter, whether or not the virtualenv is activated.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=DBT_EXECUTABLE)


def prepare_manifest(project: DbtProject = DBT_PROJECT) -> None:
    """Parse the dbt project when its manifest is missing or older than any dbt file."""
    manifest = project.manifest_path
    sources = [
        p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".csv"} and "target" not in p.parts
    ]
    if not manifest.exists() or manifest.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        dbt_resource().cli(["parse", "--quiet"], target_path=project.target_path).wait()


prepare_manifest()


class AutomatedDbtTranslator(DagsterDbtTranslator):
    """dbt models rebuild by declarative automation when their parents update; seeds only in full runs."""

    def get_automation_condition(self, dbt_resource_props) -> dg.AutomationCondition | None:
        return None if dbt_resource_props["resource_type"] == "seed" else dg.AutomationCondition.eager()


def dbt_build_assets(name: str, select: str) -> dg.AssetsDefinition:
    """One `dbt build` invocation over part of the project, as Dagster assets with their tests as checks."""

    @dbt_assets(
        manifest=DBT_PROJECT.manifest_path,
        project=DBT_PROJECT,
        select=select,
        name=name,
        pool=DUCKDB_WRITER_POOL,
        dagster_dbt_translator=AutomatedDbtTranslator(),
    )
    def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
        try:
            yield from dbt.cli(["build"], context=context).stream()
        except DagsterDbtCliRuntimeError as error:
            if LOCK_CONFLICT in str(error):  # another process holds the build database: try again later
                wait = 5 * 2**context.retry_number
                context.log.warning(f"The build database is locked by another process; retrying in {wait} s.")
                raise dg.RetryRequested(max_retries=4, seconds_to_wait=wait) from error
            if is_out_of_space(error):
                raise OutOfSpaceError(out_of_space_message(WarehouseSettings.from_env(), error)) from None
            raise

    return _build


dbt_staging = dbt_build_assets("dbt_staging", "resource_type:seed path:models/staging")
dbt_marts = dbt_build_assets("dbt_marts", "path:models/intermediate path:models/marts")
