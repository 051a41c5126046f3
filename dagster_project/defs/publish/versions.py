"""Write-audit-publish: copy the audited marts into a serving file and swap it in atomically.

The pipeline only ever writes the build database, and never opens the serving file. A publish writes
a complete, new DuckDB file under warehouse/published/, in the oldest storage format that the BI
tools' embedded clients read, then makes it current with os.replace on a hard link: readers already
connected keep the file they opened; processes that open it afterwards see the new one; a failure
before the swap leaves the current file untouched. The last few versions are kept for rollback.
"""

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ...analyst import SERVING_SQL
from .served import current_manifest, served_entry, write_manifest

# The oldest storage format among the clients warehouse/README.md names: Evidence's @duckdb/node-api embeds
# DuckDB 1.4.2, which reads storage versions up to 67 (v1.4.0); DuckDB 1.5 and 2.0 read it too.
SERVING_STORAGE_VERSION = "v1.4.0"
PUBLIC_SCHEMA = "marts"
LOG_TABLE = "meta.publish_log"  # kept in the build database, copied whole into every serving file
LOG_COLUMNS = """version VARCHAR, published_at_utc TIMESTAMP, source_fingerprint VARCHAR, source_spec VARCHAR,
    source_revision VARCHAR, row_counts JSON, check_summary JSON, code_version VARCHAR, engine VARCHAR"""


@dataclass(frozen=True)
class ServingLayout:
    warehouse_dir: Path

    @property
    def serving_file(self) -> Path:
        """The file BI tools open (read-only)."""
        return self.warehouse_dir / "personas_serving.duckdb"

    @property
    def versions_dir(self) -> Path:
        return self.warehouse_dir / "published"

    @property
    def exports_dir(self) -> Path:
        return self.warehouse_dir / "exports"

    def version_file(self, version: str) -> Path:
        return self.versions_dir / f"personas-{version}.duckdb"

    def versions(self) -> list[str]:
        """Published versions on disk, oldest first (version ids sort by time)."""
        return sorted(p.stem.removeprefix("personas-") for p in self.versions_dir.glob("personas-*.duckdb"))

    def entry_file(self, version: str) -> Path:
        """The version's publish-log entry, beside its file: what `current.json` copies when it is served."""
        return self.versions_dir / f"personas-{version}.json"

    def current_entry(self) -> dict | None:
        """The publish-log entry of the version being served (version, source fingerprint and revision ...)."""
        return served_entry(self.warehouse_dir)

    def current_version(self) -> str | None:
        entry = self.current_entry()
        return entry["version"] if entry else None


def new_version() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _quoted(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    """A SQL identifier, whatever the name holds."""
    return '"' + name.replace('"', '""') + '"'


def _copy_public_tables(build: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """marts.* of the build database → serving.marts.*, with table and column descriptions."""
    tables = build.execute(
        "SELECT table_name, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = $schema ORDER BY table_name",
        {"schema": PUBLIC_SCHEMA},
    ).fetchall()
    row_counts = {}
    build.execute(f"CREATE SCHEMA serving.{PUBLIC_SCHEMA}")
    for table, comment in tables:
        target = f"serving.{PUBLIC_SCHEMA}.{_identifier(table)}"
        build.execute(f"CREATE TABLE {target} AS SELECT * FROM {PUBLIC_SCHEMA}.{_identifier(table)}")
        if comment:
            build.execute(f"COMMENT ON TABLE {target} IS {_quoted(comment)}")
        columns = build.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = $schema AND table_name = $table AND comment IS NOT NULL",
            {"schema": PUBLIC_SCHEMA, "table": table},
        ).fetchall()
        for column, column_comment in columns:
            build.execute(f"COMMENT ON COLUMN {target}.{_identifier(column)} IS {_quoted(column_comment)}")
        row_counts[table] = build.execute(f"SELECT count(*) FROM {target}").fetchone()[0]
    return row_counts


def _create_analyst_sql(build: duckdb.DuckDBPyConnection) -> None:
    """The analysts' macros and views (dagster_project/analyst/serving.sql), created with the serving file as
    the default catalog so that their queries name its tables as `marts.<table>`."""
    home = build.execute("SELECT current_database()").fetchone()[0]
    build.execute("USE serving")
    try:
        build.execute(SERVING_SQL.read_text(encoding="utf-8"))
    finally:
        build.execute(f"USE {_identifier(home)}")


def _log_values(entry: dict) -> dict:
    return {**entry, "row_counts": json.dumps(entry["row_counts"]), "check_summary": json.dumps(entry["check_summary"])}


LOG_INSERT = (
    "VALUES ($version, $published_at_utc, $source_fingerprint, $source_spec, $source_revision, $row_counts, "
    "$check_summary, $code_version, $engine)"
)


def _write_publish_log(build: duckdb.DuckDBPyConnection, entry: dict) -> None:
    """The new serving file's log: the build database's log of earlier publishes, then this one.

    The history lives in the build database so that publishing never opens the serving file, which a
    reader may hold in any mode (a read-write holder locks out even a read-only ATTACH).
    """
    build.execute(f"CREATE SCHEMA IF NOT EXISTS meta; CREATE TABLE IF NOT EXISTS {LOG_TABLE} ({LOG_COLUMNS})")
    # logs written before the engine was recorded: those versions were built on DuckDB
    build.execute(f"ALTER TABLE {LOG_TABLE} ADD COLUMN IF NOT EXISTS engine VARCHAR DEFAULT 'duckdb'")
    build.execute(f"CREATE SCHEMA serving.meta; CREATE TABLE serving.{LOG_TABLE} AS FROM {LOG_TABLE}")
    build.execute(f"INSERT INTO serving.{LOG_TABLE} {LOG_INSERT}", _log_values(entry))
    build.execute(
        f"COMMENT ON TABLE serving.{LOG_TABLE} IS 'One row per publish of this warehouse, oldest first: version, "
        "time (UTC), source fingerprint, row counts, checks, and the version of the code that built it.'"
    )
    build.execute(
        f"COMMENT ON COLUMN serving.{LOG_TABLE}.published_at_utc IS 'When the version was published, in UTC.'"
    )


def _export_parquet(build: duckdb.DuckDBPyConnection, layout: ServingLayout, version: str, tables) -> Path:
    folder = layout.exports_dir / version
    folder.mkdir(parents=True, exist_ok=True)
    build.execute("SET preserve_insertion_order = false")  # what the warehouse's connections set; bounds need it
    for table in tables:
        path = _quoted(str(folder / f"{table}.parquet"))
        # Row groups bounded in bytes, not rows: 122,880 rows of dim_persona's narratives are ~450 MB a
        # row group per thread, which pushed the 1M export past the memory limit (16 s, 2.5 GB); 32 MB
        # row groups take 6 s and 1.9 GB.
        build.execute(
            f"COPY {PUBLIC_SCHEMA}.{_identifier(table)} TO {path} "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES '32MB')"
        )
    return folder


def _swap_in(target: Path, source: Path) -> None:
    """Make `target` name the same file as `source`, atomically (a hard link, then os.replace)."""
    swap = target.with_name(f".{target.name}.swap")
    swap.unlink(missing_ok=True)
    os.link(source, swap)
    os.replace(swap, target)


def _serve(layout: ServingLayout, version: str) -> None:
    """Make a kept version the one readers see: the serving file, the `current` exports, `current.json`."""
    _swap_in(layout.serving_file, layout.version_file(version))
    if (layout.exports_dir / version).is_dir():
        _point_current_exports(layout, version)
    if layout.entry_file(version).exists():
        write_manifest(current_manifest(layout.warehouse_dir), json.loads(layout.entry_file(version).read_text()))


def _point_current_exports(layout: ServingLayout, version: str) -> None:
    link = layout.exports_dir / "current"
    swap = layout.exports_dir / ".current.swap"
    swap.unlink(missing_ok=True)
    swap.symlink_to(version, target_is_directory=True)
    os.replace(swap, link)


def publish(
    build: duckdb.DuckDBPyConnection,
    layout: ServingLayout,
    source: dict,
    check_summary: dict,
    keep: int = 5,
) -> dict:
    """Publish the build database's marts as a new version; return its publish-log entry."""
    version = new_version()
    layout.versions_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(layout)
    partial = layout.versions_dir / f".personas-{version}.duckdb.partial"
    try:
        build.execute(f"ATTACH {_quoted(str(partial))} AS serving (STORAGE_VERSION '{SERVING_STORAGE_VERSION}')")
        try:
            row_counts = _copy_public_tables(build)
            _create_analyst_sql(build)
            entry = {
                "version": version,
                # UTC, without a zone: TIMESTAMPTZ needs pytz in DuckDB's Python client and in pandas.
                "published_at_utc": datetime.now(UTC).replace(tzinfo=None),
                "source_fingerprint": source["fingerprint"],
                "source_spec": source["spec"],
                "source_revision": source["revision"],
                "row_counts": row_counts,
                "check_summary": check_summary,
                "code_version": source.get("code_version"),
                "engine": source.get("engine", "duckdb"),
            }
            _write_publish_log(build, entry)
        finally:
            build.execute("DETACH DATABASE IF EXISTS serving")
        _export_parquet(build, layout, version, row_counts)
        write_manifest(layout.entry_file(version), entry)
        os.replace(partial, layout.version_file(version))
    except BaseException:
        partial.unlink(missing_ok=True)
        layout.entry_file(version).unlink(missing_ok=True)
        if (layout.exports_dir / version).is_dir():
            shutil.rmtree(layout.exports_dir / version)
        raise
    # Only now does anything readers see change.
    _serve(layout, version)
    build.execute(f"INSERT INTO {LOG_TABLE} {LOG_INSERT}", _log_values(entry))
    _prune(layout, keep)
    return entry


def rollback(layout: ServingLayout, version: str | None = None) -> str:
    """Make a previous version current again (default: the one before the current one)."""
    versions = layout.versions()
    if version is None:
        current = layout.current_version()
        older = [v for v in versions if current is None or v < current]
        if not older:
            raise ValueError(f"No version older than {current} is kept in {layout.versions_dir}.")
        version = older[-1]
    if version not in versions:
        raise ValueError(f"Version {version} is not kept in {layout.versions_dir}; kept: {', '.join(versions)}.")
    _serve(layout, version)
    return version


def _remove_leftovers(layout: ServingLayout) -> None:
    """What a publish killed half-way left behind: partial files, and exports of versions never made."""
    for partial in layout.versions_dir.glob(".personas-*.duckdb.partial*"):  # with its .wal, if any
        partial.unlink()
    kept = set(layout.versions())
    for entry in layout.versions_dir.glob("personas-*.json"):
        if entry.stem.removeprefix("personas-") not in kept:
            entry.unlink()
    for exports in layout.exports_dir.glob("*"):  # version folders, and the `current` symlink
        if exports.is_dir() and not exports.is_symlink() and exports.name not in kept:
            shutil.rmtree(exports)


def _prune(layout: ServingLayout, keep: int) -> None:
    for version in layout.versions()[:-keep]:
        layout.version_file(version).unlink()
        layout.entry_file(version).unlink(missing_ok=True)
        if (layout.exports_dir / version).is_dir():
            shutil.rmtree(layout.exports_dir / version)
