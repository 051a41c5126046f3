"""Quality: each expectations/*.yml suite becomes a Great Expectations asset check."""

from pathlib import Path

import dagster as dg

from ..resources import DUCKDB_WRITER_POOL, WarehouseResource
from .suites import ExpectationSuiteFile, load_suites, run_suite


def expectation_check(suite: ExpectationSuiteFile) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey.from_user_string(suite.asset),
        name=f"gx_{suite.name}",
        description=suite.description,
        blocking=suite.blocking,
        pool=DUCKDB_WRITER_POOL,
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            resolved = suite.with_value_sets(con)
            rows = suite.rows(con)
        outcome = run_suite(resolved, rows, warehouse.settings.data_docs_dir)
        failed = "\n".join(
            f"- `{f['expectation']}` {f['column']}: {f['observed']} — {f['why']}" for f in outcome.failures
        )
        if failed:
            context.log.warning(f"Expectation suite {suite.name} failed:\n{failed}")
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR if suite.blocking else dg.AssetCheckSeverity.WARN,
            description=f"{len(outcome.failures)} of {outcome.evaluated} expectations failed" if failed else None,
            metadata={
                "expectations_evaluated": outcome.evaluated,
                "expectations_failed": len(outcome.failures),
                "rows_validated": outcome.rows_validated,
                "failures": dg.MetadataValue.md(failed or "none"),
                "data_docs": dg.MetadataValue.path(str(outcome.data_docs_page)),
            },
        )

    return _check


def build_expectation_checks(directory: Path) -> list[dg.AssetChecksDefinition]:
    return [expectation_check(suite) for suite in load_suites(directory)]


STAGED_PERSONAS = dg.AssetKey(["staging", "stg_nemotron__personas"])


@dg.asset_check(
    asset=STAGED_PERSONAS,
    name="quarantine_policy",
    blocking=True,
    pool=DUCKDB_WRITER_POOL,
    description=(
        "Rows that break a staging rule are quarantined, not lost. The run stops before the marts when the "
        "quarantined share is above QUARANTINE_MAX_SHARE or any row has a reason in QUARANTINE_BLOCKING_REASONS."
    ),
)
def quarantine_policy(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    settings = warehouse.settings
    with warehouse.connect() as con:
        raw_rows, staged_rows, quarantined_rows = con.execute(
            "SELECT count(*), count(*) FILTER (len(quarantine_reasons) = 0),"
            " count(*) FILTER (len(quarantine_reasons) > 0) FROM staging.base_nemotron__personas_validated"
        ).fetchone()
        reasons = con.execute(
            "SELECT reason, count(*) AS n FROM (SELECT unnest(quarantine_reasons) AS reason"
            " FROM staging.base_nemotron__personas_validated) GROUP BY reason ORDER BY n DESC, reason"
        ).fetchall()
    share = quarantined_rows / raw_rows if raw_rows else 0.0
    blocking = [f"{reason} ({count})" for reason, count in reasons if reason in settings.quarantine_blocking_reasons]
    listed = ", ".join(f"{reason} {count}" for reason, count in reasons) or "none"
    table = "| reason | rows |\n|---|---|\n" + "".join(f"| {reason} | {count} |\n" for reason, count in reasons)
    verdict = []
    if share > settings.quarantine_max_share:
        verdict.append(f"the quarantined share is above QUARANTINE_MAX_SHARE={settings.quarantine_max_share:.3%}")
    if blocking:
        verdict.append(f"rows have blocking reasons {', '.join(blocking)} (QUARANTINE_BLOCKING_REASONS)")
    summary = f"{quarantined_rows} of {raw_rows} rows quarantined ({share:.3%}); reasons: {listed}"
    return dg.AssetCheckResult(
        passed=not verdict,
        description=f"Not publishing: {summary}; {' and '.join(verdict)}." if verdict else summary,
        metadata={
            "raw_rows": raw_rows,
            "staged_rows": staged_rows,
            "quarantined_rows": quarantined_rows,
            "quarantined_share": share,
            "reasons": dg.MetadataValue.md(table if reasons else "none"),
            "quarantine_table": "staging.stg_nemotron__personas_quarantined",
        },
    )
