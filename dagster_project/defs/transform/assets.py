"""Transform: the dbt project as Dagster assets, its tests as asset checks.

Two dbt invocations, so that the blocking expectation suite on the staging
table runs between them and can stop the marts:
  dbt_staging  - Census seeds and the staging models
  dbt_marts    - intermediate models, dimensions, bridges and marts

dbt's manifest is prepared by `dagster dev` (prepare_if_dev), by `python -m dagster_project.build`
and by the tests' session start (project.py), never as a side effect of importing this module elsewhere.
"""

from collections.abc import Iterator

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from ..resources import DUCKDB_WRITER_POOL, WarehouseResource, explain_duckdb_error, wait_for_build_database
from ..spark import drop_spark_views, mirror_spark_tables
from .project import DBT_PROJECT

DBT_PROJECT.prepare_if_dev()  # re-parses under `dagster dev` only, so edits to the dbt project show up


def dbt_build_assets(name: str, select: str, schemas: list[str]) -> dg.AssetsDefinition:
    """One `dbt build` invocation over part of the project, as Dagster assets with their tests as checks.
    `schemas`: where its relations are, which a Spark build makes readable in the build database."""

    @dbt_assets(
        manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, select=select, name=name, pool=DUCKDB_WRITER_POOL
    )
    def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource) -> Iterator:
        settings = warehouse.settings
        wait_for_build_database(settings)  # the same wait for another process's lock as our own steps
        if settings.engine == "duckdb":
            with warehouse.connect() as con:
                drop_spark_views(con, settings, schemas)  # left by a Spark build of this warehouse
        try:
            with settings.exported_to_environment():
                # dbt's unit tests test the SQL, not the data: tests/test_dbt_unit_tests.py runs them
                yield from dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context).stream()
        except DagsterDbtCliRuntimeError as error:
            explained = explain_duckdb_error(settings, error)
            if explained is None:
                raise
            raise explained from None
        if settings.engine == "spark":
            with warehouse.connect() as con:
                mirrored = mirror_spark_tables(con, settings, schemas)
            context.log.info(f"Spark's tables readable in the build database: {', '.join(mirrored)}")

    return _build


dbt_staging = dbt_build_assets("dbt_staging", "resource_type:seed path:models/staging", ["reference", "staging"])
dbt_marts = dbt_build_assets("dbt_marts", "path:models/intermediate path:models/marts", ["intermediate", "marts"])
