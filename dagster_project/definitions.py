"""Compose the warehouse: ingest → dbt staging → expectation gate → dbt marts → checks → audit report, publish."""

import dagster as dg

from .defs.audit import census_audit_report
from .defs.automation import build_refresh_schedule, build_upstream_sensor
from .defs.ingest import raw_personas
from .defs.publish import published_warehouse
from .defs.quality import build_expectation_checks, quarantine_policy
from .defs.reference import ref_zipcodes
from .defs.resources import WarehouseResource
from .defs.transform import dbt_marts, dbt_resource, dbt_staging
from .settings import EXPECTATIONS_DIR, WarehouseSettings

build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Ingest PERSONAS_SOURCE, build every dbt model, run every check, publish the audited marts.",
)

# The schedule's cron and the sensor's interval are part of the definitions, so they are read here.
settings = WarehouseSettings.from_env()

defs = dg.Definitions(
    assets=[raw_personas, ref_zipcodes, dbt_staging, dbt_marts, census_audit_report, published_warehouse],
    asset_checks=[*build_expectation_checks(EXPECTATIONS_DIR), quarantine_policy],
    jobs=[build_warehouse],
    schedules=[build_refresh_schedule(build_warehouse, settings.refresh_cron)],
    sensors=[
        build_upstream_sensor(build_warehouse, settings.upstream_check_interval_seconds),
        # Rebuilds what is downstream of a changed asset (see each asset's automation condition).
        dg.AutomationConditionSensorDefinition(
            "downstream_automation", target=dg.AssetSelection.all(), default_status=dg.DefaultSensorStatus.RUNNING
        ),
    ],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": dbt_resource(),
    },
    # One process, one step at a time: DuckDB allows a single writer.
    executor=dg.in_process_executor,
)
