"""What readers are served: the one owner of "is this version already published?".

Every publish writes its publish-log entry beside its version file (`published/personas-<v>.json`) and
then, when it swaps the serving file in, the same entry to `published/current.json`; a rollback points
`current.json` at the older entry. The ingest (is a run a no-op?), the sensor (is there anything new
upstream?) and the schedule (which source do I refresh?) read that small file and nothing else: never
the serving file, which a BI tool may hold open in any mode.
"""

import json
import os
from pathlib import Path

import duckdb

SAMPLE_SOURCE = "sample"


def current_manifest(warehouse_dir: Path) -> Path:
    return warehouse_dir / "published" / "current.json"


def served_entry(warehouse_dir: Path) -> dict | None:
    """The publish-log entry of the version being served, or None when nothing is published."""
    path = current_manifest(warehouse_dir)
    if not path.exists():
        _write_manifest_of_an_earlier_release(warehouse_dir, path)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _write_manifest_of_an_earlier_release(warehouse_dir: Path, path: Path) -> None:
    """Warehouses published before current.json existed: read the serving file's log once, if it opens now,
    so that an upgrade does not forget which source is served. Nothing happens when a reader locks it."""
    serving = warehouse_dir / "personas_serving.duckdb"
    if not serving.exists():
        return
    try:
        with duckdb.connect(str(serving), read_only=True) as con:
            cursor = con.execute("SELECT * FROM meta.publish_log ORDER BY 2 DESC LIMIT 1")
            row = cursor.fetchone()
            entry = dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None
    except duckdb.Error:
        return
    if entry is not None:
        write_manifest(path, entry)


def write_manifest(path: Path, entry: dict) -> None:
    """Write a publish-log entry as JSON, atomically (a reader sees the old file or the new one)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(entry, indent=2, default=str), encoding="utf-8")
    os.replace(partial, path)


def source_to_build(warehouse_dir: Path, *chosen: str | None) -> str:
    """The first source chosen explicitly (a run's config, PERSONAS_SOURCE); else the one being served;
    else the sample.

    So a scheduled or sensor run refreshes the dataset readers already have, and never silently
    replaces it with another (e.g. the sample, after a build from files with PERSONAS_SOURCE set).
    """
    explicit = next((source for source in chosen if source), None)
    if explicit:
        return explicit
    served = served_entry(warehouse_dir)
    return served["source_spec"] if served and served.get("source_spec") else SAMPLE_SOURCE


def is_served(
    warehouse_dir: Path,
    code_version: str,
    fingerprint: str | None = None,
    revision: str | None = None,
    engine: str = "duckdb",
) -> bool:
    """Whether readers already see this source version (a content fingerprint, or a Hub commit) built by
    this code version on this engine (versions published before the engine was recorded were DuckDB's)."""
    served = served_entry(warehouse_dir)
    if served is None or served.get("code_version") != code_version:
        return False
    if (served.get("engine") or "duckdb") != engine:
        return False
    if fingerprint is not None:
        return served.get("source_fingerprint") == fingerprint
    return revision is not None and served.get("source_revision") == revision
