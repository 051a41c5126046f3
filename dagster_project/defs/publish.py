"""Publish: once every blocking check has passed on the current data, swap a new serving file in for readers."""

import dagster as dg

from ..lib.code_version import project_code_version
from ..lib.expectation_suites import load_suites
from ..lib.publishing import ServingLayout, publish
from ..settings import EXPECTATIONS_DIR
from .quality import STAGED_PERSONAS
from .resources import DUCKDB_WRITER_POOL, WarehouseResource
from .transform import dbt_marts

MART_KEYS = sorted(key for key in dbt_marts.keys if key.path[0] == "marts")


def blocking_check_keys() -> list[dg.AssetCheckKey]:
    suites = [
        dg.AssetCheckKey(dg.AssetKey.from_user_string(suite.asset), f"gx_{suite.name}")
        for suite in load_suites(EXPECTATIONS_DIR)
        if suite.blocking
    ]
    return [*suites, dg.AssetCheckKey(STAGED_PERSONAS, "quarantine_policy")]


def summarize_checks(context: dg.AssetExecutionContext) -> dict:
    """Refuse unless every blocking suite passed on the current materialization of the asset it guards.

    The checks may have run in this run (a full build_warehouse run) or in the earlier runs that
    declarative automation launched for the changed assets.
    """
    problems, passed = [], []
    for key in blocking_check_keys():
        record = context.instance.get_latest_asset_check_evaluation_record(key)
        evaluation = record.evaluation if record else None
        latest = context.instance.get_latest_materialization_event(key.asset_key)
        name = f"{key.asset_key.to_user_string()}:{key.name}"
        if evaluation is None or latest is None:
            problems.append(f"{name} has not run")
        elif not evaluation.passed:
            problems.append(f"{name} failed in run {record.run_id}")
        elif evaluation.target_materialization_data is None or (
            evaluation.target_materialization_data.run_id != latest.run_id
        ):
            problems.append(f"{name} has not checked the latest materialization of its asset")
        else:
            passed.append(name)
    ingested = context.instance.get_latest_materialization_event(dg.AssetKey("raw_personas"))
    for key in MART_KEYS:
        built = context.instance.get_latest_materialization_event(key)
        if ingested is None or built is None or built.timestamp < ingested.timestamp:
            problems.append(f"{key.to_user_string()} is older than the latest raw_personas load")
    if problems:
        raise dg.Failure(
            f"Not publishing: {'; '.join(problems)}. Run the whole build_warehouse job so the data is audited "
            "before it is published."
        )
    records = context.instance.get_records_for_run(
        run_id=context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    evaluations = [r.event_log_entry.dagster_event.event_specific_data for r in records]
    warnings = sorted(f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations if not e.passed)
    return {"blocking_checks_passed": passed, "checks_failed_in_this_run": warnings}


@dg.asset(
    key="published_warehouse",
    group_name="publish",
    deps=MART_KEYS,
    # Publishes whenever a mart changed and every blocking check upstream passed.
    automation_condition=dg.AutomationCondition.eager() & dg.AutomationCondition.all_deps_blocking_checks_passed(),
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
            {"fingerprint": fingerprint, "spec": spec, "revision": revision, "code_version": project_code_version()},
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
