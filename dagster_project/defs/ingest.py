"""Ingest: the source named by PERSONAS_SOURCE → raw.personas in the build database."""

from collections.abc import Iterator

import dagster as dg

from ..lib.code_version import project_code_version
from ..lib.publishing import ServingLayout
from ..sources.load import RAW_TABLE, last_loaded_fingerprint, load_raw_personas, raw_row_count
from ..sources.resolve import resolve_source
from .resources import DUCKDB_WRITER_POOL, WarehouseResource

PREVIEW_COLUMNS = "uuid, sex, age, marital_status, education_level, occupation, city, state, _source_file"


@dg.asset(
    key="raw_personas",
    group_name="ingest",
    pool=DUCKDB_WRITER_POOL,
    kinds={"duckdb", "huggingface"},
    # Not materialized when nothing changed (see below): then every step downstream is skipped.
    output_required=False,
    description="Every source row, untouched, plus lineage (source spec, revision, file, row index, load time).",
)
def raw_personas(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> Iterator[dg.MaterializeResult]:
    settings = warehouse.settings
    source = resolve_source(settings.personas_source, settings.hf_token, settings.hf_endpoint, settings.hf_cache_dir)
    with warehouse.connect() as con:
        unchanged = last_loaded_fingerprint(con) == source.fingerprint and raw_row_count(con) == source.rows
        served = ServingLayout(settings.warehouse_dir).current_entry() or {}
        if (
            unchanged
            and served.get("source_fingerprint") == source.fingerprint
            and served.get("code_version") == project_code_version()
        ):
            # A no-op refresh: this data, built by this code, is what readers already see.
            context.log.info(
                f"{source.spec} ({source.fingerprint[:12]}) and the code are unchanged since published version "
                f"{served['version']}; nothing to build."
            )
            return
        if unchanged:
            context.log.info(
                f"{source.spec} is unchanged since the last load ({source.fingerprint[:12]}); not reloading."
            )
        else:
            load_raw_personas(con, source)
        row_count = raw_row_count(con)
        preview = con.sql(f"SELECT {PREVIEW_COLUMNS} FROM {RAW_TABLE} LIMIT 5").df()
    yield dg.MaterializeResult(
        data_version=dg.DataVersion(source.fingerprint),
        metadata={
            "source_spec": source.spec,
            "source_kind": source.kind,
            "repo_id": source.repo_id or "",
            "revision": source.revision or "",
            "release": source.release,
            "fingerprint": source.fingerprint,
            "files": dg.MetadataValue.json(source.fingerprint_record()["files"]),
            "source_rows": source.rows,
            "dagster/row_count": row_count,
            "reloaded": not unchanged,
            "preview": dg.MetadataValue.md(preview.to_markdown(index=False)),
        },
    )
