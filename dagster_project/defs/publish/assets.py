"""Publish: at the end of a build_warehouse run whose blocking checks passed, swap a new serving file in."""

import dagster as dg

from ...lib.code_version import project_code_version
from ..resources import DUCKDB_WRITER_POOL, WarehouseResource
from ..transform.assets import dbt_marts
from .versions import ServingLayout, publish

MART_KEYS = sorted(key for key in dbt_marts.keys if key.path[0] == "marts")


def _this_run(context: dg.AssetExecutionContext, event_type: dg.DagsterEventType) -> list:
    records = context.instance.get_records_for_run(run_id=context.run.run_id, of_type=event_type).records
    return [record.event_log_entry.dagster_event.event_specific_data for record in records]


def check_summary(context: dg.AssetExecutionContext) -> dict:
    """What this run's checks said. A failed blocking check never gets here - Dagster does not start the
    steps downstream of it - so the publish refuses only a run that did not itself build the marts."""
    built = {event.materialization.asset_key for event in _this_run(context, dg.DagsterEventType.ASSET_MATERIALIZATION)}
    missing = [key.to_user_string() for key in MART_KEYS if key not in built]
    if missing:
        raise dg.Failure(
            f"Not publishing: this run did not build {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}. "
            "A publish belongs at the end of the whole build_warehouse job, so that what it publishes was built "
            "and audited in the same run."
        )
    evaluations = _this_run(context, dg.DagsterEventType.ASSET_CHECK_EVALUATION)

    def name(evaluation) -> str:
        return f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"

    return {
        "blocking_checks_passed": sorted(name(e) for e in evaluations if e.passed and e.blocking),
        "checks_passed": sum(e.passed for e in evaluations),
        "checks_failed_in_this_run": sorted(name(e) for e in evaluations if not e.passed),
    }


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
    summary = check_summary(context)
    settings = warehouse.settings
    layout = ServingLayout(settings.warehouse_dir)
    with warehouse.connect() as con:
        fingerprint, spec, revision = con.execute(
            "SELECT fingerprint, source_spec, revision FROM raw.source_loads ORDER BY loaded_at DESC LIMIT 1"
        ).fetchone()
        entry = publish(
            con,
            layout,
            {
                "fingerprint": fingerprint,
                "spec": spec,
                "revision": revision,
                "code_version": project_code_version(),
                "engine": settings.engine,
            },
            summary,
            keep=settings.publish_keep_versions,
        )
    return dg.MaterializeResult(
        metadata={
            "version": entry["version"],
            "serving_file": dg.MetadataValue.path(str(layout.serving_file)),
            "parquet_exports": dg.MetadataValue.path(str(layout.exports_dir / entry["version"])),
            "source_spec": spec,
            "source_fingerprint": fingerprint,
            "engine": settings.engine,
            "row_counts": dg.MetadataValue.json(entry["row_counts"]),
            "check_summary": dg.MetadataValue.json(summary),
            "versions_kept": dg.MetadataValue.json(layout.versions()),
        }
    )
