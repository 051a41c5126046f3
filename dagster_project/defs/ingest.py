"""Ingest: the source named by PERSONAS_SOURCE → raw.personas in the build database."""

import dagster as dg

from ..sources.load import RAW_TABLE, last_loaded_fingerprint, load_raw_personas, raw_row_count
from ..sources.resolve import resolve_source
from .resources import DUCKDB_WRITER_POOL, WarehouseResource

PREVIEW_COLUMNS = "uuid, sex, age, marital_status, education_level, occupation, city, state, _source_file"


@dg.asset(
    key="raw_personas",
    group_name="ingest",
    pool=DUCKDB_WRITER_POOL,
    kinds={"duckdb", "huggingface"},
    description="Every source row, untouched, plus lineage (source spec, revision, file, row index, load time).",
)
def raw_personas(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    settings = warehouse.settings
    source = resolve_source(settings.personas_source, settings.hf_token, settings.hf_endpoint, settings.hf_cache_dir)
    with warehouse.connect() as con:
        unchanged = last_loaded_fingerprint(con) == source.fingerprint and raw_row_count(con) == source.rows
        if unchanged:
            context.log.info(
                f"{source.spec} is unchanged since the last load ({source.fingerprint[:12]}); not reloading."
            )
        else:
            load_raw_personas(con, source)
        row_count = raw_row_count(con)
        preview = con.sql(f"SELECT {PREVIEW_COLUMNS} FROM {RAW_TABLE} LIMIT 5").df()
    return dg.MaterializeResult(
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
