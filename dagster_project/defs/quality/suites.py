"""Run the declarative expectation suites in expectations/*.yml with Great Expectations.

A suite file names the Dagster asset it guards, whether a failure blocks
downstream assets, a SQL query that selects only what the suite needs, and a
list of expectations (GX expectation type + its arguments + why). GX's SQL
datasource does not work on DuckDB (see STACK_NOTES), so the query result is
validated as a pandas DataFrame; the validation is otherwise GX's own, and its
Data Docs are written under the warehouse directory.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import great_expectations as gx
import pandas as pd
import pyarrow as pa
import yaml
from great_expectations.checkpoint import UpdateDataDocsAction
from great_expectations.data_context.data_context.context_factory import project_manager
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

RESERVED_KEYS = {"expectation", "why"}


@dataclass(frozen=True)
class ExpectationSuiteFile:
    name: str
    description: str
    asset: str
    blocking: bool
    query: str
    expectations: tuple[dict, ...]

    @classmethod
    def load(cls, path: Path) -> ExpectationSuiteFile:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing = {"asset", "blocking", "query", "expectations"} - set(spec)
        if missing:
            raise ValueError(f"{path}: missing keys {sorted(missing)}")
        for item in spec["expectations"]:
            if "expectation" not in item or "why" not in item:
                raise ValueError(f"{path}: every expectation needs 'expectation' and 'why': {item}")
        return cls(
            name=path.stem,
            description=spec.get("description", "").strip(),
            asset=spec["asset"],
            blocking=bool(spec["blocking"]),
            query=spec["query"],
            expectations=tuple(spec["expectations"]),
        )

    def with_value_sets(self, con: duckdb.DuckDBPyConnection) -> ExpectationSuiteFile:
        """The suite with each `<argument>_from: <schema>.<table>.<column>` read into its argument, so that a
        domain or a bound has one home - its seed - and the suite reads it instead of a copy: `value_set_from`
        reads the column's distinct values, any other (`min_value_from`, `max_value_from`) its one value."""
        expectations = []
        for item in self.expectations:
            resolved = {key: value for key, value in item.items() if not key.endswith("_from")}
            for key, reference in item.items():
                if key.endswith("_from"):
                    resolved[key.removesuffix("_from")] = read_reference(con, reference, many=key == "value_set_from")
            expectations.append(resolved)
        return replace(self, expectations=tuple(expectations))

    def rows(self, con: duckdb.DuckDBPyConnection) -> pa.Table:
        """The rows the suite validates. Fetch them, then close the connection before validating, so that
        DuckDB's cache is not held alongside the frame."""
        return con.sql(self.query).to_arrow_table()

    def configurations(self) -> list[ExpectationConfiguration]:
        return [
            ExpectationConfiguration(
                type=item["expectation"],
                kwargs={k: v for k, v in item.items() if k not in RESERVED_KEYS},
                meta={"why": item["why"]},
            )
            for item in self.expectations
        ]


def read_reference(con: duckdb.DuckDBPyConnection, reference: str, *, many: bool) -> list | object:
    """The values of `<schema>.<table>.<column>`: all distinct non-NULL values, or the one value it holds."""
    schema, table, column = reference.split(".")
    values = [
        value
        for (value,) in con.sql(
            f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL ORDER BY 1'
        ).fetchall()
    ]
    if many:
        return values
    if len(values) != 1:
        raise ValueError(f"{reference} must hold exactly one value to be a bound, it holds {len(values)}")
    return values[0]


def load_suites(directory: Path) -> list[ExpectationSuiteFile]:
    return [ExpectationSuiteFile.load(p) for p in sorted(directory.glob("*.yml"))]


@dataclass(frozen=True)
class SuiteOutcome:
    success: bool
    evaluated: int
    failures: list[dict]  # one per failed expectation: type, column, why, observed
    rows_validated: int
    data_docs_page: Path | None


def validate_frame(suite: ExpectationSuiteFile, frame: pd.DataFrame, data_docs_root: Path | None) -> SuiteOutcome:
    """Validate a DataFrame against the suite; write Data Docs under data_docs_root when given."""
    if data_docs_root is None:
        context = gx.get_context(mode="ephemeral")
    else:
        data_docs_root.mkdir(parents=True, exist_ok=True)
        context = gx.get_context(mode="file", project_root_dir=str(data_docs_root))
    batch_definition = (
        context.data_sources.add_or_update_pandas("warehouse")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("query_result")
    )
    gx_suite = gx.ExpectationSuite(name=suite.name, meta={"description": suite.description})
    for configuration in suite.configurations():
        gx_suite.add_expectation_configuration(configuration)
    gx_suite = context.suites.add_or_update(gx_suite)
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
    )
    actions = [UpdateDataDocsAction(name="data_docs")] if data_docs_root is not None else []
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(name=suite.name, validation_definitions=[validation], actions=actions, result_format="SUMMARY")
    )
    result = checkpoint.run(batch_parameters={"dataframe": frame})
    (validation_result,) = result.run_results.values()
    failures = [
        {
            "expectation": r.expectation_config.type,
            "column": r.expectation_config.kwargs.get("column", ""),
            "why": r.expectation_config.meta.get("why", ""),
            "observed": _observed(r.result),
        }
        for r in validation_result.results
        if not r.success
    ]
    page = None
    if data_docs_root is not None:
        # This validation's own page: its results are static HTML that reads offline, whereas the index
        # builds its table with JavaScript from CDNs and shows nothing without internet.
        site = data_docs_root / "gx" / "uncommitted" / "data_docs" / "local_site"
        page = max((site / "validations" / suite.name).rglob("*.html"), key=lambda p: p.stat().st_mtime)
    return SuiteOutcome(
        success=bool(result.success),
        evaluated=len(validation_result.results),
        failures=failures,
        rows_validated=len(frame),
        data_docs_page=page,
    )


def run_suite(suite: ExpectationSuiteFile, rows: pa.Table, data_docs_root: Path | None) -> SuiteOutcome:
    """Validate the suite's query result (`suite.rows(con)`), then give its memory back.

    The checks run in the Dagster process, between steps that need the memory: GX keeps the context it
    last created, and through it the frame, in a module global (at 10M rows that held 1.3 GB through
    dbt and the publish), so the context is let go of before the frame is freed.
    """
    # Arrow-backed columns, not Python objects: at 1M staged rows the peak is ~880 MB instead of ~1.4 GB
    frame = rows.to_pandas(types_mapper=pd.ArrowDtype)
    try:
        return validate_frame(suite, frame, data_docs_root)
    finally:
        project_manager.set_project(None)
        del frame
        _give_freed_memory_back()


def _give_freed_memory_back() -> None:
    """Return freed heap to the OS: GX's pandas work frees ~1.6 GB at 10M rows that glibc would keep."""
    gc.collect()  # GX's objects hold the frame in reference cycles
    pa.default_memory_pool().release_unused()
    if sys.platform == "linux":
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc
            pass


def _observed(result: dict) -> str:
    """A short, readable account of what GX saw."""
    if result.get("unexpected_count") is not None:
        examples = result.get("partial_unexpected_list", [])[:5]
        share = result.get("unexpected_percent", 0)
        return f"{result['unexpected_count']} unexpected rows ({share:.3f}%), e.g. {examples}"
    if result.get("observed_value") is not None:
        return str(result["observed_value"])[:300]
    return ""
