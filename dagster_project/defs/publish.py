"""Publish: after every blocking check of the run has passed, swap a new serving file in for readers."""

import dagster as dg

from ..lib.expectation_suites import load_suites
from ..lib.publishing import ServingLayout, publish
from ..settings import EXPECTATIONS_DIR
from .resources import DUCKDB_WRITER_POOL, WarehouseResource
from .transform import dbt_marts

MART_KEYS = sorted(key for key in dbt_marts.keys if key.path[0] == "marts")


def summarize_checks(context: dg.AssetExecutionContext) -> dict:
    """This run's check results; refuses to publish unless every blocking suite passed in it."""
    records = context.instance.get_records_for_run(
        run_id=context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    evaluations = [r.event_log_entry.dagster_event.event_specific_data for r in records]
    passed = {e.check_name for e in evaluations if e.passed}
    failed = sorted(f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations if not e.passed)
    required = {f"gx_{suite.name}" for suite in load_suites(EXPECTATIONS_DIR) if suite.blocking}
    missing = sorted(required - passed)
    if missing:
        raise dg.Failure(
            f"Not publishing: the blocking checks {', '.join(missing)} did not pass in this run; "
            "run the whole build_warehouse job so the data is audited before it is published."
        )
    return {"checks_passed": len(passed), "checks_failed": len(failed), "failed_checks": failed}


@dg.asset(
    key="published_warehouse",
    group_name="publish",
    deps=MART_KEYS,
    pool=DUCKDB_WRITER_POOL,
    kinds={"duckdb", "parquet"},
    description=(
        "The serving file BI tools read (warehouse/personas_serving.duckdb, schema marts) and Parquet "
        "exports of every mart, replaced atomically after this run's audit passed."
    ),
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    summary = summarize_checks(context)
    settings = warehouse.settings
    layout = ServingLayout(settings.warehouse_dir)
    with warehouse.connect() as con:
        fingerprint, spec, revision = con.execute(
            "SELECT fingerprint, source_spec, revision FROM raw.source_loads ORDER BY loaded_at DESC LIMIT 1"
        ).fetchone()
        entry = publish(
            con,
            layout,
            {"fingerprint": fingerprint, "spec": spec, "revision": revision},
            summary,
            keep=settings.publish_keep_versions,
        )
    return dg.MaterializeResult(
        metadata={
            "version": entry["version"],
            "serving_file": dg.MetadataValue.path(str(layout.serving_file)),
            "parquet_exports": dg.MetadataValue.path(str(layout.exports_dir / entry["version"])),
            "source_fingerprint": fingerprint,
            "row_counts": dg.MetadataValue.json(entry["row_counts"]),
            "check_summary": dg.MetadataValue.json(summary),
            "versions_kept": dg.MetadataValue.json(layout.versions()),
        }
    )
