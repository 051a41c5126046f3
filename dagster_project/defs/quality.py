"""Quality: each expectations/*.yml suite becomes a Great Expectations asset check."""

from pathlib import Path

import dagster as dg

from ..lib.expectation_suites import ExpectationSuiteFile, load_suites, run_suite
from .resources import DUCKDB_WRITER_POOL, WarehouseResource


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
            outcome = run_suite(con, suite, warehouse.settings.data_docs_dir)
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
                "data_docs": dg.MetadataValue.path(str(outcome.data_docs_index)),
            },
        )

    return _check


def build_expectation_checks(directory: Path) -> list[dg.AssetChecksDefinition]:
    return [expectation_check(suite) for suite in load_suites(directory)]
