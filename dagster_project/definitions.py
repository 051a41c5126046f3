"""Compose the warehouse, one concern per folder under defs/:

ingest (source → raw.personas, ZIP codes) → transform (dbt) → quality (expectation suites, quarantine
policy) → audit (census report) → publish (serving file, exports); automation runs it all as one job.
"""

import dagster as dg

from .defs.audit.assets import census_audit_report
from .defs.automation.triggers import automation_definitions, build_warehouse
from .defs.ingest.assets import raw_personas
from .defs.ingest.reference import ref_zipcodes
from .defs.publish.assets import published_warehouse
from .defs.quality.checks import build_expectation_checks, quarantine_policy
from .defs.resources import WarehouseResource
from .defs.transform.assets import dbt_marts, dbt_staging
from .defs.transform.project import dbt_resource
from .settings import EXPECTATIONS_DIR, WarehouseSettings

__all__ = ["build_warehouse", "defs"]

defs = dg.Definitions.merge(
    dg.Definitions(assets=[raw_personas, ref_zipcodes]),
    dg.Definitions(assets=[dbt_staging, dbt_marts], resources={"dbt": dbt_resource()}),
    dg.Definitions(asset_checks=[*build_expectation_checks(EXPECTATIONS_DIR), quarantine_policy]),
    dg.Definitions(assets=[census_audit_report]),
    dg.Definitions(assets=[published_warehouse]),
    automation_definitions(WarehouseSettings.from_env()),
    # One process, one step at a time: DuckDB allows a single writer.
    dg.Definitions(resources={"warehouse": WarehouseResource()}, executor=dg.in_process_executor),
)
